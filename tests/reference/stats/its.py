"""Reference values for citydip::analytics::stats::FitInterruptedTimeSeries.

Segmented regression y_t = b0 + b1 t + b2 D_t + b3 (t - T0) D_t with statsmodels OLS and
cov_type="HAC" (Bartlett kernel, maxlags = floor(4 (n/100)^(2/9)), no small-sample correction,
normal reference distribution: statsmodels' defaults for HAC).
Run: /usr/bin/python3 tests/reference/stats/its.py  (writes its.json)
"""
import os

import numpy as np
import statsmodels.api as sm

from common import tolist, write

HERE = os.path.dirname(os.path.abspath(__file__))


def its(y, t0, maxlags=None):
    n = len(y)
    t = np.arange(n, dtype=float)
    d = (t >= t0).astype(float)
    x = np.column_stack([np.ones(n), t, d, (t - t0) * d])
    if maxlags is None:
        maxlags = int(np.floor(4 * (n / 100.0) ** (2.0 / 9.0)))
    res = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags})
    return {
        "y": tolist(y),
        "break_index": int(t0),
        "maxlags": maxlags,
        "params": tolist(res.params),
        "bse": tolist(res.bse),
        "pvalues": tolist(res.pvalues),
        "conf_int": tolist(res.conf_int(0.05)),
    }


def main():
    rng = np.random.RandomState(7)
    cases = []
    # Monthly activity, 48 periods, level +3 and slope -0.1 at month 30, AR(1) noise.
    n, t0 = 48, 30
    t = np.arange(n)
    e = np.zeros(n)
    for i in range(1, n):
        e[i] = 0.4 * e[i - 1] + rng.normal(scale=0.8)
    y = 2.0 + 0.05 * t + 3.0 * (t >= t0) - 0.1 * (t - t0) * (t >= t0) + e
    cases.append(its(y, t0))
    # Yearly counts, 25 periods (a sister-city relation's activity), Poisson noise.
    n, t0 = 25, 12
    t = np.arange(n)
    lam = 1.0 + 0.1 * t + 2.5 * (t >= t0)
    cases.append(its(rng.poisson(lam).astype(float), t0))
    # Same data with an explicit lag of 2.
    cases.append(its(cases[-1]["y"], t0, maxlags=2))
    write(os.path.join(HERE, "its.json"), "tests/reference/stats/its.py", {"cases": cases})


if __name__ == "__main__":
    main()
