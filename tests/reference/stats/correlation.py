"""Reference values for CrossCorrelation and RollingCorrelation.

ccf: statsmodels.tsa.stattools.ccf(x, y, adjusted=False), whose entry k is corr(x_{t+k}, y_t);
negative lags come from ccf(y, x). Rolling: pandas Series(x).rolling(w).corr(Series(y)).
Run: /usr/bin/python3 tests/reference/stats/correlation.py  (writes correlation.json)
"""
import os

import numpy as np
import pandas as pd
from statsmodels.tsa.stattools import ccf

from common import tolist, write

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    rng = np.random.RandomState(11)
    n, true_lag = 120, 3
    index = np.cumsum(rng.normal(size=n + true_lag)) * 0.3 + rng.normal(size=n + true_lag)
    # city activity follows the index by `true_lag` periods (plus noise)
    city = 5.0 + 0.8 * index[:n] + rng.normal(scale=0.5, size=n)
    x = city
    y = index[true_lag:true_lag + n]
    max_lag = 8
    pos = ccf(x, y, adjusted=False)[: max_lag + 1]
    neg = ccf(y, x, adjusted=False)[: max_lag + 1]
    lags = list(range(-max_lag, max_lag + 1))
    values = [float(neg[-k]) if k < 0 else float(pos[k]) for k in lags]
    window = 12
    rolling = pd.Series(x).rolling(window).corr(pd.Series(y)).to_numpy()
    write(os.path.join(HERE, "correlation.json"), "tests/reference/stats/correlation.py", {
        "x": tolist(x),
        "y": tolist(y),
        "max_lag": max_lag,
        "lags": lags,
        "ccf": values,
        "band": 1.959963984540054 / np.sqrt(n),
        "true_lag": true_lag,
        "window": window,
        "rolling": tolist(rolling),
    })


if __name__ == "__main__":
    main()
