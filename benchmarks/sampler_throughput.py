"""Sampler throughput: the package's vectorised Euler-Maruyama and exponential integrator against a
per-step reference written the way the authors' public code does it (one call per step on freshly
allocated arrays), in particle-steps per second, with the memory-bandwidth bound for comparison.

Bytes per particle-step and coordinate counted for the package's in-place update
``y *= a; y += c * s; y += sd * z``: the score call reads y and writes s (16 B), the update reads and
writes y three times and reads s and z (64 B), the generator writes z (8 B): 88 B. The bound is the
machine's copy bandwidth (measured below with ``np.copyto``) divided by those bytes. Drawing normal
variates is compute-bound (roughly 10 ns each on one core), so the generator, not memory, sets the
ceiling; the table reports both.
"""
from __future__ import annotations

import numpy as np

from _common import best_time, table
import sgmbook as sg

BYTES_PER_COORD_STEP = 88


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
        rows.append([d, f"{n:.0e}", f"{work / t_em:.3g}", f"{work / t_ei:.3g}", f"{work / t_ref:.3g}",
                     f"{t_ref / t_em:.2f}", f"{(work / t_em) / bound:.0%}", f"{(work / t_em) / gauss:.0%}"])
    head = (f"Copy bandwidth {bw / 1e9:.1f} GB/s, so the memory bound is {bw / BYTES_PER_COORD_STEP:.3g} "
            f"coordinate-steps/s; normal variates {gauss:.3g}/s on one core.\n\n")
    return head + table(["d", "particles", "EM (coord-steps/s)", "EI (coord-steps/s)", "per-step reference",
                         "EM speed-up", "EM / memory bound", "EM / normal-variate rate"], rows)


if __name__ == "__main__":
    print(main())
