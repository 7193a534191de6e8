"""Reference values for FitGlm (Poisson, NB2 at fixed alpha) and FitNegativeBinomialMle.

statsmodels GLM(y, X, family=..., offset=...).fit(tol=1e-13, maxiter=200) (IRLS, log link, scale
1); the NB2 alpha MLE from statsmodels.discrete.discrete_model.NegativeBinomial (loglike_method
"nb2") fitted by Newton with a tight tolerance, then GLM at that alpha.
Run: /usr/bin/python3 tests/reference/stats/glm.py  (writes glm.json)
"""
import os

import numpy as np
import statsmodels.api as sm
from statsmodels.discrete.discrete_model import NegativeBinomial

from common import tolist, write

HERE = os.path.dirname(os.path.abspath(__file__))


def glm_values(res):
    return {
        "params": tolist(res.params),
        "bse": tolist(res.bse),
        "pvalues": tolist(res.pvalues),
        "conf_int": tolist(res.conf_int(0.05)),
        "deviance": float(res.deviance),
        "pearson_chi2": float(res.pearson_chi2),
        "llf": float(res.llf),
        "aic": float(res.aic),
        "mu": tolist(res.mu),
    }


def main():
    rng = np.random.RandomState(42)
    n = 40
    t = np.arange(n) / 10.0
    shock = ((np.arange(n) >= 20) & (np.arange(n) < 28)).astype(float)
    exposure = rng.uniform(0.5, 2.0, size=n)
    x = np.column_stack([np.ones(n), t, shock])
    offset = np.log(exposure)
    mu = exposure * np.exp(0.8 + 0.25 * t - 0.9 * shock)
    y_pois = rng.poisson(mu).astype(float)
    # NB2 draws with alpha 0.5: Poisson with a gamma-distributed mean
    y_nb = rng.poisson(mu * rng.gamma(2.0, 0.5, size=n)).astype(float)
    x_new = np.array([[1.0, 4.5, 0.0], [1.0, 4.5, 1.0]])

    pois = sm.GLM(y_pois, x, family=sm.families.Poisson(), offset=offset).fit(tol=1e-13, maxiter=200)
    nb_fixed = sm.GLM(y_nb, x, family=sm.families.NegativeBinomial(alpha=0.7), offset=offset).fit(
        tol=1e-13, maxiter=200)
    mle = NegativeBinomial(y_nb, x, loglike_method="nb2", offset=offset).fit(
        method="newton", maxiter=200, tol=1e-14, disp=0)
    alpha_hat = float(mle.params[-1])
    nb_mle = sm.GLM(y_nb, x, family=sm.families.NegativeBinomial(alpha=alpha_hat),
                    offset=offset).fit(tol=1e-13, maxiter=200)
    write(os.path.join(HERE, "glm.json"), "tests/reference/stats/glm.py", {
        "x": tolist(x),
        "offset": tolist(offset),
        "y_poisson": tolist(y_pois),
        "y_nb": tolist(y_nb),
        "x_new": tolist(x_new),
        "poisson": {**glm_values(pois), "predict_new": tolist(pois.predict(x_new))},
        "nb_alpha": 0.7,
        "nb_fixed": glm_values(nb_fixed),
        "nb_mle": {"alpha": alpha_hat, "llf_discrete": float(mle.llf),
                   "params_discrete": tolist(mle.params[:-1]), **glm_values(nb_mle)},
    })


if __name__ == "__main__":
    main()
