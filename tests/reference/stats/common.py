"""Shared helpers for the reference-value scripts (run offline with Debian's python3-statsmodels).

Every script builds SYNTHETIC inputs from a fixed seed, computes the reference values with
statsmodels / pandas / numpy, and writes one JSON file holding both the inputs and the expected
values, so that the C++ tests need nothing but the JSON file.
"""
import json
import platform

import numpy as np
import pandas as pd
import scipy
import statsmodels


def versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
        "statsmodels": statsmodels.__version__,
    }


def tolist(a):
    """JSON-friendly list; NaN becomes None."""
    arr = np.asarray(a, dtype=float)
    if arr.ndim == 0:
        v = float(arr)
        return None if np.isnan(v) else v
    return [tolist(x) for x in arr]


def write(path, script, payload):
    payload = {"generated_by": script, "synthetic": True, "versions": versions(), **payload}
    with open(path, "w") as f:
        json.dump(payload, f, indent=1, sort_keys=True)
        f.write("\n")
