"""Reference values for citydip::analytics::stats::FitOls (classical and Newey-West HAC).

Run: /usr/bin/python3 tests/reference/stats/ols_hac.py  (writes ols_hac.json next to this file)
"""
import os

import numpy as np
import statsmodels.api as sm
from statsmodels.stats import sandwich_covariance as sw

from common import tolist, write

HERE = os.path.dirname(os.path.abspath(__file__))


def case(name, x, y):
    res = sm.OLS(y, x).fit()
    out = {
        "name": name,
        "x": tolist(x),
        "y": tolist(y),
        "nonrobust": {
            "params": tolist(res.params),
            "bse": tolist(res.bse),
            "pvalues": tolist(res.pvalues),
            "conf_int": tolist(res.conf_int(0.05)),
            "ssr": float(res.ssr),
            "rsquared": float(res.rsquared),
            "llf": float(res.llf),
            "aic": float(res.aic),
            "bic": float(res.bic),
            "df_resid": float(res.df_resid),
        },
        "hac": [],
    }
    for maxlags in (0, 1, 3):
        for corr in (False, True):
            h = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags, "use_correction": corr})
            out["hac"].append({
                "maxlags": maxlags,
                "use_correction": corr,
                "bse": tolist(h.bse),
                "pvalues": tolist(h.pvalues),
                "conf_int": tolist(h.conf_int(0.05)),
            })
    # maxlags=None: statsmodels' own default lag floor(4 (n/100)^(2/9)) in cov_hac.
    cov = sw.cov_hac(res, nlags=None, use_correction=False)
    out["hac_default_lag"] = {
        "nlags": int(np.floor(4 * (len(y) / 100.0) ** (2.0 / 9.0))),
        "bse": tolist(np.sqrt(np.diag(cov))),
    }
    return out


def main():
    rng = np.random.RandomState(20240601)
    cases = []
    # AR(1) errors around a linear trend plus a regressor: the case HAC exists for.
    n = 60
    t = np.arange(n, dtype=float)
    z = rng.normal(size=n)
    e = np.zeros(n)
    for i in range(1, n):
        e[i] = 0.6 * e[i - 1] + rng.normal()
    y = 1.5 + 0.08 * t - 0.7 * z + e
    cases.append(case("trend_ar1", np.column_stack([np.ones(n), t, z]), y))
    # Small sample, heteroscedastic, no constant column.
    n = 15
    x1 = rng.uniform(1, 5, size=n)
    x2 = rng.normal(size=n)
    y = 2.0 * x1 + 0.5 * x2 + rng.normal(size=n) * x1
    cases.append(case("hetero_no_constant", np.column_stack([x1, x2]), y))
    write(os.path.join(HERE, "ols_hac.json"), "tests/reference/stats/ols_hac.py", {"cases": cases})


if __name__ == "__main__":
    main()
