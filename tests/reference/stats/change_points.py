"""Reference values for DetectChangePoints (PELT and binary segmentation).

No statsmodels/R changepoint package is available from Debian here, so the reference is an
independent, exhaustive implementation: optimal partitioning (Jackson et al. 2005), the O(n^2)
dynamic programme that PELT must reproduce exactly, and a plain binary segmentation. Cost: the
within-segment sum of squares of noise-standardized columns; noise scale: MAD of first differences
/ (Phi^-1(0.75) sqrt 2), else sd(diff)/sqrt 2, else 1; penalty: BIC (d + 1) log n.
Run: /usr/bin/python3 tests/reference/stats/change_points.py  (writes change_points.json)
"""
import math
import os

import numpy as np
from scipy.stats import norm

from common import tolist, write

HERE = os.path.dirname(os.path.abspath(__file__))


def noise_scale(data):
    scales = []
    for j in range(data.shape[1]):
        d = np.diff(data[:, j])
        tiny = 1e-9 * max(1.0, np.abs(data[:, j]).max())
        s = np.median(np.abs(d - np.median(d))) / (norm.ppf(0.75) * math.sqrt(2.0))
        if not s > tiny:
            s = np.std(d, ddof=1) / math.sqrt(2.0) if len(d) > 1 else 0.0
        scales.append(s if s > tiny and np.isfinite(s) else 1.0)
    return np.array(scales)


def seg_cost(z, a, b):
    seg = z[a:b]
    return float(((seg - seg.mean(axis=0)) ** 2).sum())


def optimal_partitioning(z, min_seg, pen):
    n = len(z)
    best = [math.inf] * (n + 1)
    last = [0] * (n + 1)
    best[0] = -pen
    for t in range(min_seg, n + 1):
        for tau in range(0, t - min_seg + 1):
            if not math.isfinite(best[tau]):
                continue
            v = best[tau] + seg_cost(z, tau, t) + pen
            if v < best[t]:
                best[t], last[t] = v, tau
    cps, t = [], last[n]
    while t > 0:
        cps.append(t)
        t = last[t]
    return sorted(cps)


def binseg(z, a, b, min_seg, pen, out):
    if b - a < 2 * min_seg:
        return
    whole = seg_cost(z, a, b)
    best_gain, best_s = -math.inf, -1
    for s in range(a + min_seg, b - min_seg + 1):
        g = whole - seg_cost(z, a, s) - seg_cost(z, s, b)
        if g > best_gain:
            best_gain, best_s = g, s
    if best_s < 0 or best_gain <= pen:
        return
    out.append(best_s)
    binseg(z, a, best_s, min_seg, pen, out)
    binseg(z, best_s, b, min_seg, pen, out)


def case(name, data, min_seg, known=None, standardize=True):
    data = np.asarray(data, dtype=float)
    if data.ndim == 1:
        data = data[:, None]
    n, d = data.shape
    scales = noise_scale(data) if standardize else np.ones(d)
    z = data / scales
    pen = (d + 1) * math.log(n)
    op = optimal_partitioning(z, min_seg, pen)
    bs = []
    binseg(z, 0, n, min_seg, pen, bs)
    bs.sort()

    def costs(cps):
        bounds = [0] + cps + [n]
        c = sum(seg_cost(z, bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1))
        means = [tolist(data[bounds[i]:bounds[i + 1]].mean(axis=0)) for i in range(len(bounds) - 1)]
        return c, means

    op_cost, op_means = costs(op)
    bs_cost, bs_means = costs(bs)
    return {
        "name": name, "data": tolist(data), "min_segment": min_seg, "known": known,
        "standardize": standardize,
        "scales": tolist(scales), "penalty": pen,
        "pelt": {"change_points": op, "cost": op_cost, "penalized_cost": op_cost + pen * len(op),
                 "means": op_means},
        "binseg": {"change_points": bs, "cost": bs_cost, "penalized_cost": bs_cost + pen * len(bs),
                   "means": bs_means},
    }


def main():
    rng = np.random.RandomState(3)
    cases = []
    # Univariate: means 0 -> 4 -> 1 at 30 and 55 (n = 80), unit noise.
    y = np.concatenate([rng.normal(0, 1, 30), rng.normal(4, 1, 25), rng.normal(1, 1, 25)])
    cases.append(case("univariate_two_changes", y, 2, known=[30, 55]))
    # Three yearly indicators over 32 years with changes at 10 and 21 (Poisson counts).
    lam = np.array([[3, 0.5, 0.2]] * 10 + [[3, 3, 0.5]] * 11 + [[2, 3, 4]] * 11)
    counts = rng.poisson(lam)
    cases.append(case("yearly_indicators", counts, 2, known=[10, 21]))
    # The same counts after the Anscombe transform 2 sqrt(x + 3/8) (unit variance for Poisson
    # counts), not standardized: how the phases analysis calls it.
    cases.append(case("yearly_indicators_anscombe", 2.0 * np.sqrt(counts + 0.375), 2,
                      known=[10, 21], standardize=False))
    # No change at all, min segment 3.
    cases.append(case("no_change", rng.normal(2, 1, 40), 3, known=[]))
    # Sparse counts (MAD of differences is 0: the sd fallback).
    sparse = np.array([0] * 12 + [1, 0, 0, 2, 0, 5, 6, 4, 7, 5, 6, 5], dtype=float)
    cases.append(case("sparse_counts", sparse, 2))
    # A repeating wiggle whose MAD of differences is 0 up to rounding (the `tiny` threshold).
    t = np.arange(30)
    steps = np.where(t < 12, 1.0, np.where(t < 22, 6.0, 3.0)) + 0.3 * ((t * 5) % 3 - 1)
    cases.append(case("repeating_wiggle_steps", steps, 2, known=[12, 22]))
    write(os.path.join(HERE, "change_points.json"), "tests/reference/stats/change_points.py",
          {"cases": cases})


if __name__ == "__main__":
    main()
