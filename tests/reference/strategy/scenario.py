"""Reference values for the scenario model (src/citydip/analytics/strategy/scenario.cpp).

SYNTHETIC inputs from a fixed seed: a monthly national index (AR(1)) and monthly city activity
counts drawn from a Poisson (and a negative-binomial) model on the lagged index. The values are
computed as docs/strategy.md defines the model, with statsmodels 0.13:

- sample: months t with the count and every lagged index value, t <= cutoff;
- the index is standardized with the mean and sample sd (ddof 1) of the index months entering
  the design (ordinals first - max_lag .. last - min_lag);
- GLM(y, [1, z_{t-l}...], family).fit(tol=1e-13, maxiter=200); the NB2 alpha by
  statsmodels.discrete NegativeBinomial (nb2) maximum likelihood, then the GLM at that alpha;
- baseline: the index after its last month is held at the mean of its last 12 months; scenario:
  that level + shock_sd * sd; expected_total = sum of predicted means over the horizon;
- AIC lag choice: one lag at a time, Poisson, on the months every lag 0..max_lag can use;
- back-test: the model fitted on the months before the episode, forecasting the horizon from the
  observed index.

Run: /usr/bin/python3 tests/reference/strategy/scenario.py  (writes scenario.json)
"""
import json
import os
import platform

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from statsmodels.discrete.discrete_model import NegativeBinomial

HERE = os.path.dirname(os.path.abspath(__file__))

FIRST = 2010 * 12  # Period ordinal of 2010-01 (12 * year + month - 1)
N = 120            # 2010-01 .. 2019-12
HORIZON = 12
SHOCK = -2.0


def tolist(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def design(index, lags, first, last, mean, sd, assumed):
    rows = []
    for t in range(first, last + 1):
        row = [1.0]
        for lag in lags:
            s = t - lag
            v = index[s - FIRST] if FIRST <= s < FIRST + len(index) else assumed
            row.append((v - mean) / sd)
        rows.append(row)
    return np.array(rows)


def sample(lags, cutoff=10**9, counts_len=N, index_len=N):
    first = max(FIRST, FIRST + max(lags))
    last = min(FIRST + counts_len - 1, FIRST + index_len - 1 + min(lags), cutoff)
    return first, last


def moments(index, lags, first, last):
    values = [index[s - FIRST] for s in range(first - max(lags), last - min(lags) + 1)]
    return float(np.mean(values)), float(np.std(values, ddof=1))


def fit(counts, index, lags, first, last, family):
    mean, sd = moments(index, lags, first, last)
    x = design(index, lags, first, last, mean, sd, 0.0)
    y = np.array([counts[t - FIRST] for t in range(first, last + 1)])
    if family == "poisson":
        res = sm.GLM(y, x, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=200)
        alpha = 0.0
    else:
        mle = NegativeBinomial(y, x, loglike_method="nb2").fit(
            method="newton", maxiter=200, tol=1e-14, disp=0)
        alpha = float(mle.params[-1])
        res = sm.GLM(y, x, family=sm.families.NegativeBinomial(alpha=alpha)).fit(
            tol=1e-13, maxiter=200)
    return res, mean, sd, alpha


def scenario(counts, index, lags, family):
    first, last = sample(lags)
    res, mean, sd, alpha = fit(counts, index, lags, first, last, family)
    baseline_level = float(np.mean(index[-12:]))
    shocked_level = baseline_level + SHOCK * sd
    xb = design(index, lags, last + 1, last + HORIZON, mean, sd, baseline_level)
    xs = design(index, lags, last + 1, last + HORIZON, mean, sd, shocked_level)
    return {
        "lags": lags,
        "family": family,
        "first": first,
        "last": last,
        "index_mean": mean,
        "index_sd": sd,
        "alpha": alpha,
        "params": tolist(res.params),
        "bse": tolist(res.bse),
        "llf": float(res.llf),
        "aic": float(res.aic),
        "index_baseline": baseline_level,
        "index_shocked": shocked_level,
        "baseline_total": float(res.predict(xb).sum()),
        "scenario_total": float(res.predict(xs).sum()),
        "baseline_monthly": tolist(res.predict(xb)),
    }


def aic_lag(counts, index, max_lag):
    first, last = sample([0, max_lag])
    aics = []
    for lag in range(max_lag + 1):
        res, _, _, _ = fit(counts, index, [lag], first, last, "poisson")
        aics.append(float(res.aic))
    return int(np.argmin(aics)), aics


def backtest(counts, index, lags, start, family):
    first, last = sample(lags, cutoff=start - 1)
    res, mean, sd, _ = fit(counts, index, lags, first, last, family)
    end = start + HORIZON - 1
    x = design(index, lags, start, end, mean, sd, 0.0)
    actual = float(sum(counts[t - FIRST] for t in range(start, end + 1)))
    return {"start": start, "predicted": float(res.predict(x).sum()), "actual": actual}


def main():
    rng = np.random.RandomState(2016)
    index = np.zeros(N)
    for t in range(1, N):
        index[t] = 0.7 * index[t - 1] + rng.normal(0.0, 1.0)
    index = 10.0 + 2.0 * index  # an index in its own units
    z = (index - index.mean()) / index.std()
    mu = np.exp(0.2 + 0.5 * np.roll(z, 3))  # activity follows the index by 3 months
    mu[:3] = np.exp(0.2)
    counts = rng.poisson(mu).astype(float)
    counts_nb = rng.poisson(mu * rng.gamma(2.0, 0.5, size=N)).astype(float)

    best, aics = aic_lag(counts, index, 6)
    payload = {
        "generated_by": "tests/reference/strategy/scenario.py",
        "synthetic": True,
        "versions": {"python": platform.python_version(), "numpy": np.__version__,
                     "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        "first_ordinal": FIRST,
        "horizon": HORIZON,
        "shock_sd": SHOCK,
        "index": tolist(index),
        "counts": tolist(counts),
        "counts_nb": tolist(counts_nb),
        "poisson_lag3": scenario(counts, index, [3], "poisson"),
        "poisson_lags_0_6": scenario(counts, index, [0, 6], "poisson"),
        "nb_lag3": scenario(counts_nb, index, [3], "negative_binomial"),
        "aic": {"max_lag": 6, "best": best, "aics": aics},
        "backtest_lag3": backtest(counts, index, [3], 2016 * 12 + 6, "poisson"),
    }
    with open(os.path.join(HERE, "scenario.json"), "w") as f:
        json.dump(payload, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
