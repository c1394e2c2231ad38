r"""Discretisations of the reverse OU process and the exact laws they produce.

The reverse of :math:`dX = -X\,dt + \sqrt2\,dB` run from forward time :math:`T` down to the
early-stopping time :math:`\varepsilon` is (Anderson 1982; the clock of Bruno et al.'s setting)

.. math:: dY_s = \bigl(Y_s + 2 \nabla \log p_{T-s}(Y_s)\bigr)\,ds + \sqrt2\,d\bar B_s, \qquad Y_0 \sim p_T;

a sampler starts instead from the stationary law :math:`N(0, I)` and uses a score model.

On a grid of forward times :math:`T = t_0 > t_1 > \dots > t_K = \varepsilon` with steps
:math:`h_k = t_k - t_{k+1}`, and a score model :math:`s(t, x)` evaluated at forward time :math:`t_k`:

* Euler-Maruyama (the scheme of Bruno et al.'s public code):
  :math:`Y_{k+1} = Y_k + h_k (Y_k + 2 s(t_k, Y_k)) + \sqrt{2 h_k}\, Z_{k+1}`;
* exponential integrator (score frozen over the step, linear part solved exactly):
  :math:`Y_{k+1} = e^{h_k} Y_k + 2 (e^{h_k} - 1) s(t_k, Y_k) + \sqrt{e^{2 h_k} - 1}\, Z_{k+1}`.

Both are affine in :math:`(Y_k, s)`: :math:`Y_{k+1} = a_k Y_k + c_k s(t_k, Y_k) + \sqrt{v_k} Z`, with
:math:`(a, c, v) = (1 + h, 2h, 2h)` for Euler-Maruyama and :math:`(e^h, 2(e^h - 1), e^{2h} - 1)` for the
exponential integrator.  That common form gives the exact Gaussian law for affine scores
(:func:`sgmbook.laws.gaussian`) and the exact law on a 1-D grid for any score (:func:`sgmbook.laws.grid_1d`).
The schemes sit in one table, :mod:`sgmbook.schemes`; the time grids are values, :mod:`sgmbook.schedules`.
:func:`sample` is the one particle sampler.

The particle samplers split the particles into blocks of rows of ``BLOCK_COORDS`` coordinates and take
each block through all the steps while it stays in a core's cache, in threads.  Each block draws its
Gaussian increments from its own stream, spawned from the caller's generator (``rng.spawn``), so the
output is fixed by the generator and the inputs, whatever the number of threads.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import numpy as np

from . import _validate as v
from . import laws, schemes
from .schedules import Schedule

__all__ = [
    "BLOCK_COORDS",
    "sample",
]

Score = Callable[[float, np.ndarray], np.ndarray]
Callback = Callable[[int, np.ndarray], None]

# Coordinates per block of rows: 256 KiB per float64 array, so a block's particles, score, drift and noise
# stay in a core's L2 cache over all the steps.  Fixed: the blocks decide the random streams.
BLOCK_COORDS = 1 << 15


def _row_blocks(n: int, d: int) -> list[tuple[int, int]]:
    rows = max(1, BLOCK_COORDS // d)
    return [(i, min(i + rows, n)) for i in range(0, n, rows)]


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_schedule(schedule) -> Schedule:
    if not isinstance(schedule, Schedule):
        raise TypeError("schedule must be a sgmbook.schedules.Schedule (e.g. schedules.uniform(T, eps, K))")
    return schedule


def sample(score: Score, y0: np.ndarray, schedule: Schedule, *, scheme: str, rng: np.random.Generator,
           callback: Callback | None = None, workers: int | None = None) -> np.ndarray:
    r"""Run the reverse scheme ``scheme`` (:mod:`sgmbook.schemes`) on the particles ``y0`` (``(n, d)``,
    usually ``rng.standard_normal((n, d))``) over ``schedule``; returns the particles after the last step.

    Step :math:`k`: :math:`Y_{k+1} = a(h_k) Y_k + c(h_k) s(t_k, Y_k) + \sqrt{v(h_k)} Z_{k+1}`, with
    :math:`v = 0` on a step without noise.  The particles are advanced in blocks of rows
    (``BLOCK_COORDS`` coordinates each), each with its own random stream spawned from ``rng``
    (``rng.spawn``), so ``score`` must act on each row on its own and is called on blocks of rows.
    Without ``callback`` every block goes through all the steps while it sits in cache, up to ``workers``
    blocks at once in threads (default: the available cores; ``workers=1`` for a score that is not
    thread-safe).  With ``callback(k, y)`` (called for ``k = 0..K`` with the state after ``k`` steps; do not
    keep ``y`` without copying it) the run goes step by step, block after block in one thread: the
    draws, hence the output, are the same.  A scheme with a ``step`` function also runs step by step.
    """
    if not callable(score):
        raise TypeError(f"score must be a callable s(t, x), got {score!r}")
    schedule = laws._check_schedule(schedule)
    entry = schemes.get(scheme)
    if callback is not None:
        v.callable_("callback", callback)
    y = v.finite_array("y0", y0, ndim=2).copy()
    rng = v.rng(rng)
    workers = _available_cores() if workers is None else v.positive_int("workers", workers)
    ts = [float(t) for t in schedule.t]
    hs = [float(h) for h in schedule.h]
    noise = [bool(z) for z in schedule.noise]
    blocks = _row_blocks(*y.shape)
    streams = rng.spawn(len(blocks))  # one independent child stream per block of rows
    if entry.affine:
        a, c, var = schemes.coefficients(scheme, schedule.h, schedule.noise)
        sd = np.sqrt(var)

    def one_step(k: int, yb: np.ndarray, gen: np.random.Generator, noise_buf: np.ndarray,
                 drift: np.ndarray) -> None:
        if not entry.affine:
            gen.standard_normal(out=noise_buf)
            yb[...] = entry.step(score, ts[k], hs[k], yb, noise_buf, noise[k])
            return
        s = score(ts[k], yb)
        if not checked:  # the first call: a non-array, a wrong shape, NaN or inf names score and t
            checked.append(v.callable_output("score", score, s, ts[k], yb.shape))
        s = np.asarray(s, dtype=float)
        if s.shape != yb.shape:
            raise ValueError(f"score returned shape {s.shape} for particles of shape {yb.shape}")
        np.multiply(s, c[k], out=drift)  # before y changes: s may be a view of y
        gen.standard_normal(out=noise_buf)
        noise_buf *= sd[k]
        yb *= a[k]
        yb += drift
        yb += noise_buf

    bufs = {}
    checked: list = []

    def buffers(j: int) -> tuple[np.ndarray, np.ndarray]:
        if j not in bufs:
            i0, i1 = blocks[j]
            bufs[j] = (np.empty_like(y[i0:i1]), np.empty_like(y[i0:i1]))
        return bufs[j]

    with np.errstate(over="ignore", invalid="ignore"):
        if callback is None and entry.affine:
            def advance(j: int) -> None:
                """All the steps for one block of rows, updated in place in ``y``."""
                i0, i1 = blocks[j]
                yb, gen = y[i0:i1], streams[j]
                noise_buf, drift = np.empty_like(yb), np.empty_like(yb)
                for k in range(len(ts)):
                    one_step(k, yb, gen, noise_buf, drift)

            n_threads = min(workers, len(blocks))
            if n_threads == 1:
                for j in range(len(blocks)):
                    advance(j)
            else:
                with ThreadPoolExecutor(n_threads) as pool:
                    for job in [pool.submit(advance, j) for j in range(len(blocks))]:
                        job.result()
        else:
            if callback is not None:
                callback(0, y)
            for k in range(len(ts)):
                for j, (i0, i1) in enumerate(blocks):
                    one_step(k, y[i0:i1], streams[j], *buffers(j))
                if callback is not None:
                    callback(k + 1, y)
    if not np.all(np.isfinite(y)):
        raise v.DivergenceError(
            f"the sampler diverged (non-finite particles): reduce the step size (largest step "
            f"h = {float(np.max(schedule.h)):.4g} of the schedule from T, eps, n_steps or times), or check "
            f"that score ({v.callable_name(score)}) stays finite")
    return y
