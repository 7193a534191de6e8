"""Reference values for GrangerFTest / GrangerAicByLag / GrangerCausality.

F tests: statsmodels.tsa.stattools.grangercausalitytests(np.column_stack([effect, cause]), maxlag)
["ssr_ftest"] for every lag. AIC by lag: statsmodels OLS(...).aic of the unrestricted regression
(constant, lags 1..p of both series) on the common sample t = maxlag..n-1.
Run: /usr/bin/python3 tests/reference/stats/granger.py  (writes granger.json)
"""
import os

import numpy as np
import statsmodels.api as sm
from statsmodels.tsa.stattools import grangercausalitytests

from common import tolist, write

HERE = os.path.dirname(os.path.abspath(__file__))


def aic_by_lag(effect, cause, maxlag):
    n = len(effect)
    out = []
    for p in range(1, maxlag + 1):
        rows = range(maxlag, n)
        x = [[1.0] + [effect[t - l] for l in range(1, p + 1)] + [cause[t - l] for l in range(1, p + 1)]
             for t in rows]
        y = [effect[t] for t in rows]
        out.append(float(sm.OLS(np.array(y), np.array(x)).fit().aic))
    return out


def direction(effect, cause, maxlag):
    res = grangercausalitytests(np.column_stack([effect, cause]), maxlag, verbose=False)
    tests = []
    for lag in range(1, maxlag + 1):
        f, p, df_denom, df_num = res[lag][0]["ssr_ftest"]
        tests.append({"lag": lag, "f": float(f), "p": float(p), "df_denom": float(df_denom),
                      "df_num": int(df_num)})
    return {"tests": tests, "aic_by_lag": aic_by_lag(effect, cause, maxlag)}


def main():
    rng = np.random.RandomState(5)
    n = 80
    national = np.zeros(n)
    city = np.zeros(n)
    for t in range(2, n):
        national[t] = 0.5 * national[t - 1] + rng.normal()
        # the city reacts to the national index two periods later
        city[t] = 0.3 * city[t - 1] + 0.8 * national[t - 2] + rng.normal(scale=0.7)
    maxlag = 4
    write(os.path.join(HERE, "granger.json"), "tests/reference/stats/granger.py", {
        "city": tolist(city),
        "national": tolist(national),
        "maxlag": maxlag,
        "national_to_city": direction(city, national, maxlag),
        "city_to_national": direction(national, city, maxlag),
    })


if __name__ == "__main__":
    main()
