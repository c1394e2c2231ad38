"""W2 estimators: time against sample size, with the fitted scaling exponent.

Exact 1-D quantile W2 (``sg.w2_1d``), POT's exact network-simplex solver (``sg.w2_empirical``, d = 2)
and POT's sliced W2 (``sg.sliced_w2``, 50 projections, d = 2).
"""
from __future__ import annotations

import numpy as np

from _common import best_time, fit_exponent, table
import sgmbook as sg


def main() -> str:
    rng = np.random.default_rng(0)
    warm = rng.standard_normal((50, 2))
    sg.w2_empirical(warm, warm + 1)  # first calls load POT's solvers
    sg.sliced_w2(warm, warm + 1, 5, rng=np.random.default_rng(0))
    rows = []
    sizes = {"w2_1d (exact, 1-D)": [10_000, 100_000, 1_000_000],
             "w2_empirical (POT emd, d=2)": [250, 500, 1000, 2000],
             "sliced_w2 (POT, 50 proj., d=2)": [1_000, 10_000, 100_000]}
    for name, ns in sizes.items():
        times = []
        for n in ns:
            if name.startswith("w2_1d"):
                a, b = rng.standard_normal(n), rng.standard_normal(n) + 1
                times.append(best_time(lambda: sg.w2_1d(a, b), repeat=2, min_time=0.01))
            elif name.startswith("w2_emp"):
                a, b = rng.standard_normal((n, 2)), rng.standard_normal((n, 2)) + 1
                times.append(best_time(lambda: sg.w2_empirical(a, b), repeat=1, min_time=0.0))
            else:
                a, b = rng.standard_normal((n, 2)), rng.standard_normal((n, 2)) + 1
                times.append(best_time(lambda: sg.sliced_w2(a, b, 50, rng=np.random.default_rng(0)), repeat=2, min_time=0.01))
        rows.append([name, ", ".join(f"{n:.0e}" for n in ns), ", ".join(f"{t * 1e3:.3g}" for t in times),
                     f"{fit_exponent(ns, times):.2f}"])
    return table(["estimator", "sample sizes", "time (ms)", "fitted exponent"], rows)


if __name__ == "__main__":
    print(main())
