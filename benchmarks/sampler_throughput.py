"""Sampler throughput: the package's vectorised Euler-Maruyama and exponential integrator against a
per-step reference written the way the authors' public code does it (one call per step on freshly
allocated arrays), in particle-steps per second, with the memory-bandwidth bound for comparison.

Bytes moved per coordinate-step by the package's update (float64, 8 B a number):
the score call reads y and writes s (16 B); the generator fills the noise buffer (8 B) and
``noise *= sd`` reads and writes it (16 B); ``y *= a`` (16 B); the temporary ``c * s`` (16 B);
``y += c * s`` and ``y += noise`` read two arrays and write one (2 x 24 B): 136 B in all. A fully fused
step could move as little as 40 B (read y, write s; read y and s, write y; noise made in registers).
The memory bound is the machine's copy bandwidth (``np.copyto``) over those bytes. Drawing normal
variates is compute-bound, so the table also gives the rate of ``rng.standard_normal`` on one core.
"""
from __future__ import annotations

import numpy as np

from _common import best_time, table
import sgmbook as sg

BYTES_PER_COORD_STEP = 136
BYTES_FUSED = 40


def copy_bandwidth() -> float:
    a = np.ones(2 ** 25)
    b = np.empty_like(a)
    t = best_time(lambda: np.copyto(b, a), repeat=5)
    return 2 * a.nbytes / t  # read + write


def rng_rate() -> float:
    rng = np.random.default_rng(0)
    out = np.empty(2 ** 22)
    t = best_time(lambda: rng.standard_normal(out=out), repeat=5)
    return out.size / t


def reference_em(score, y0, T, n_steps, rng):
    """Per-step reference: new arrays at every step, score and noise computed on fresh allocations."""
    h = T / n_steps
    y = y0
    for k in range(n_steps):
        t = T - k * h
        drift = y + 2.0 * score(t, y)
        y = y + h * drift + np.sqrt(2.0 * h) * rng.standard_normal(y.shape)
    return y


def main() -> str:
    bw = copy_bandwidth()
    gauss = rng_rate()
    score = lambda t, x: -x  # the stationary score: the cost is the sampler's own
    rows = []
    for d, n in [(2, 10_000), (2, 1_000_000), (100, 10_000), (100, 30_000), (1000, 10_000)]:
        steps = 10
        rng = np.random.default_rng(0)
        y0 = rng.standard_normal((n, d))
        work = n * d * steps
        t_em = best_time(lambda: sg.euler_maruyama(score, y0, T=1.0, n_steps=steps, rng=rng), repeat=2)
        t_ei = best_time(lambda: sg.exponential_integrator(score, y0, T=1.0, n_steps=steps, rng=rng), repeat=2)
        t_ref = best_time(lambda: reference_em(score, y0, 1.0, steps, rng), repeat=2)
        bound = bw / BYTES_PER_COORD_STEP
        fused = bw / BYTES_FUSED
        rows.append([d, f"{n:.0e}", f"{work / t_em:.3g}", f"{work / t_ei:.3g}", f"{work / t_ref:.3g}",
                     f"{t_ref / t_em:.2f}", f"{(work / t_em) / bound:.0%}", f"{(work / t_em) / fused:.0%}",
                     f"{(work / t_em) / gauss:.0%}"])
    head = (f"Copy bandwidth {bw / 1e9:.1f} GB/s, so the memory bound is {bw / BYTES_PER_COORD_STEP:.3g} "
            f"coordinate-steps/s at 136 B ({bw / BYTES_FUSED:.3g} at 40 B); normal variates {gauss:.3g}/s "
            f"on one core.\n\n")
    return head + table(["d", "particles", "EM (coord-steps/s)", "EI (coord-steps/s)", "per-step reference",
                         "EM speed-up", "EM / memory bound (136 B)", "EM / fused bound (40 B)",
                         "EM / normal-variate rate"], rows)


if __name__ == "__main__":
    print(main())
