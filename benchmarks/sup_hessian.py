"""Benchmark: the sup-Hessian curve sup_x d^2/dx^2 log p_tau of the bump targets (Mooney et al., Section 3).

50 OU times tau in [0.05, 2] (log 2 included), M = 4, 8, 16, 32, 4001 points x (odd, so x = 0 is one),
uniform in the heat variable y = exp(-tau/2) x on [-5M - 3, 5M + 3] (the bump and the outer peak of the
curvature at |y| ~ 2M + M sqrt(2(1 + 2s)) < 4.45M, see sgmbook.experiments.blowup.sup_hessian_curve); the data grid is
extended to |z| <= 5M + 12 so that every posterior stays inside it.
Times the windowed quadrature of sgmbook.targets.HeatFlow1D against dense log-sum-exp quadrature (sgmbook.Grid1D) on
the same data grid, and prints the largest relative difference of the curves.

usage:  .venv/bin/python benchmarks/sup_hessian.py [--quick]
"""
from __future__ import annotations

import sys
import time

import numpy as np

from sgmbook import Grid1D, ou
from sgmbook.bounds.mooney import hessian_logp_bounds
from sgmbook.targets import bump_flow

QUICK = "--quick" in sys.argv
MS = [4.0, 8.0, 16.0, 32.0]
TAUS = np.sort(np.append(np.linspace(0.05, 2.0, 49), np.log(2.0)))
N_X = 1001 if QUICK else 4001
H = 0.05
Y_EXTRA = 3.0


def curve(M: float, dense: bool) -> tuple[np.ndarray, float]:
    flow = bump_flow(M, h=H, margin=M + Y_EXTRA + 9)
    model = Grid1D(flow.z, flow.log_density) if dense else flow
    ys = np.linspace(-5 * M - Y_EXTRA, 5 * M + Y_EXTRA, N_X)
    out = np.empty(TAUS.size)
    t0 = time.perf_counter()
    for k, tau in enumerate(TAUS):
        xs = ys * np.exp(0.5 * tau)
        d = model.hessian_logp(tau / 2, xs) if dense else flow.hessian_logp(ou.from_mooney_time(tau), xs)
        out[k] = d.max()
    return out, time.perf_counter() - t0


def main() -> None:
    print(f"sup_x d2 log p_tau: {TAUS.size} taus in [{TAUS[0]:g}, {TAUS[-1]:g}], {N_X} x points, grid step {H}")
    print(f"{'M':>4} {'nodes':>6} {'heat.py [s]':>12} {'Grid1D [s]':>11} {'speed-up':>9} {'max rel diff':>13} "
          f"{'sup at log2':>12} {'excess heat.py':>15} {'excess Grid1D':>14}")
    before = TAUS < np.log(2.0) - 1e-12
    bound = hessian_logp_bounds(TAUS[before], 2.0, 2.0)[1]
    tot_fast = tot_dense = 0.0
    for M in MS:
        fast, t_fast = curve(M, dense=False)
        slow, t_dense = curve(M, dense=True)
        tot_fast += t_fast
        tot_dense += t_dense
        rel = float(np.max(np.abs(fast - slow) / np.abs(slow)))
        k = int(np.argmin(np.abs(TAUS - np.log(2.0))))
        ex_fast = float(np.max(fast[before] - bound))
        ex_slow = float(np.max(slow[before] - bound))
        print(f"{M:4g} {bump_flow(M, h=H, margin=M + Y_EXTRA + 9).z.size:6d} {t_fast:12.3f} {t_dense:11.3f} {t_dense / t_fast:9.1f} "
              f"{rel:13.2e} {fast[k]:12.6g} {ex_fast:15.1e} {ex_slow:14.1e}")
    print(f"{'all':>4} {'':6} {tot_fast:12.3f} {tot_dense:11.3f} {tot_dense / tot_fast:9.1f}")
    print("excess = max over tau < log 2 of (sup - Theorem-3.1 bound); the bound is attained for large M, so a")
    print("positive excess is round-off (both methods form the posterior variance about each row's mode).")


if __name__ == "__main__":
    main()
