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
:func:`sample` is the one particle sampler; :func:`euler_maruyama`, :func:`exponential_integrator`,
:func:`sample_reverse`, :func:`gaussian_law` and :func:`grid_law_1d` are kept as thin wrappers that build a
schedule from ``(T, n_steps, eps, times)``.

The particle samplers split the particles into blocks of rows of ``BLOCK_COORDS`` coordinates and take
each block through all the steps while it stays in a core's cache, in threads.  Each block draws its
Gaussian increments from its own stream, spawned from the caller's generator (``rng.spawn``), so the
output is fixed by the generator and the inputs, whatever the number of threads.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Literal

import numpy as np

from . import _validate as v
from . import laws, schedules, schemes
from .schedules import Schedule

__all__ = [
    "BLOCK_COORDS",
    "sample",
    "time_grid",
    "step_coefficients",
    "euler_maruyama",
    "exponential_integrator",
    "sample_reverse",
    "gaussian_law",
    "grid_law_1d",
]

Score = Callable[[float, np.ndarray], np.ndarray]
Scheme = Literal["em", "ei"]
Callback = Callable[[int, np.ndarray], None]


def time_grid(T: float, n_steps: int | None = None, eps: float = 0.0,
              times: np.ndarray | None = None) -> np.ndarray:
    r"""Decreasing forward times :math:`T = t_0 > \dots > t_K = \varepsilon` (old interface: either
    ``n_steps`` uniform steps or a user grid ``times`` from ``T`` to ``eps``)."""
    T, eps = v.horizon(T, eps)
    if (n_steps is None) == (times is None):
        raise ValueError("give exactly one of n_steps (uniform grid) or times (a user grid)")
    if times is None:
        k = v.positive_int("n_steps", n_steps)
        v.allocation(k + 1, f"n_steps = {k}")
        return np.linspace(T, eps, k + 1)
    grid = v.finite_array("times", times, ndim=1)
    if grid.size < 2:
        raise ValueError("times must hold at least two points")
    if not (np.isclose(grid[0], T) and np.isclose(grid[-1], eps)):
        raise ValueError(f"times must run from T={T:g} down to eps={eps:g}")
    if np.any(np.diff(grid) >= 0):
        raise ValueError("times must be strictly decreasing (forward times from T down to eps)")
    return grid


def _schedule(T, n_steps, eps, times) -> Schedule:
    return schedules.from_times(time_grid(T, n_steps, eps, times))


def step_coefficients(h: np.ndarray | float, scheme: Scheme) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""``(a, c, v)`` of the step :math:`Y' = a Y + c\, s + \sqrt{v} Z` for step sizes ``h``
    (the table :mod:`sgmbook.schemes`); ``h`` finite and > 0."""
    h = v.finite_array("h", h)
    if np.any(h <= 0):
        raise ValueError(f"h must be > 0 (step sizes), got min {float(h.min())!r}")
    return schemes.coefficients(scheme, h)


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


def _run(score: Score, y0: np.ndarray, schedule: Schedule, scheme: str, rng: np.random.Generator,
         return_path: bool, workers: int | None) -> np.ndarray:
    if not return_path:
        return sample(score, y0, schedule, scheme=scheme, rng=rng, workers=workers)
    path = []
    sample(score, y0, schedule, scheme=scheme, rng=rng, workers=workers,
           callback=lambda k, y: path.append(y.copy()))
    return np.stack(path)


def euler_maruyama(score: Score, y0: np.ndarray, *, T: float, rng: np.random.Generator,
                   n_steps: int | None = None, eps: float = 0.0, times: np.ndarray | None = None,
                   return_path: bool = False, workers: int | None = None) -> np.ndarray:
    r"""Euler-Maruyama for the reverse OU SDE (Bruno et al., Section 3.1 code):
    :math:`Y_{k+1} = Y_k + h_k (Y_k + 2 s(t_k, Y_k)) + \sqrt{2h_k} Z_{k+1}`.

    ``y0`` holds the initial particles (``(n, d)``, usually ``rng.standard_normal((n, d))``);
    returns the particles at forward time ``eps`` (or the whole path, ``(K+1, n, d)``).

    The particles are advanced in blocks of rows (``BLOCK_COORDS`` coordinates each), every block
    through all the steps while it sits in cache, each with its own random stream spawned from ``rng``
    (``rng.spawn``).  So ``score`` must act on each row on its own (as a score :math:`s(t, x)` does) and is
    called on blocks of rows; up to ``workers`` blocks run at once in threads (default: the available
    cores; ``workers=1`` for a score that is not thread-safe).  The output depends on ``rng`` and the
    inputs only, not on ``workers``.
    """
    return _run(score, y0, _schedule(T, n_steps, eps, times), "em", rng, return_path, workers)


def exponential_integrator(score: Score, y0: np.ndarray, *, T: float, rng: np.random.Generator,
                           n_steps: int | None = None, eps: float = 0.0, times: np.ndarray | None = None,
                           return_path: bool = False, workers: int | None = None) -> np.ndarray:
    r"""Exponential integrator for the reverse OU SDE:
    :math:`Y_{k+1} = e^{h_k} Y_k + 2(e^{h_k} - 1) s(t_k, Y_k) + \sqrt{e^{2h_k} - 1}\, Z_{k+1}`.

    Same arguments, blocks and random streams as :func:`euler_maruyama`.
    """
    return _run(score, y0, _schedule(T, n_steps, eps, times), "ei", rng, return_path, workers)


def sample_reverse(scheme: Scheme, score: Score, n: int, d: int, *, T: float, rng: np.random.Generator,
                   n_steps: int | None = None, eps: float = 0.0, times: np.ndarray | None = None,
                   workers: int | None = None) -> np.ndarray:
    """Start ``n`` particles at :math:`N(0, I_d)` (drawn from ``rng``) and run ``scheme`` (``"em"`` or
    ``"ei"``) as :func:`euler_maruyama` does."""
    schemes.get(scheme)
    n = v.positive_int("n", n)
    d = v.positive_int("d", d)
    v.allocation(n * d, f"n * d = {n} * {d} particles")
    rng = v.rng(rng)
    y0 = rng.standard_normal((n, d))
    return _run(score, y0, _schedule(T, n_steps, eps, times), scheme, rng, False, workers)


def gaussian_law(affine_score: Callable[[float], tuple[np.ndarray, np.ndarray]], mean0: np.ndarray,
                 cov0: np.ndarray, *, T: float, scheme: Scheme, n_steps: int | None = None,
                 eps: float = 0.0, times: np.ndarray | None = None,
                 return_path: bool = False) -> tuple[np.ndarray, np.ndarray] | tuple[list, list]:
    """:func:`sgmbook.laws.gaussian` on the grid ``(T, n_steps, eps, times)`` (old interface); with
    ``return_path`` the lists of means and covariances after 0..K steps."""
    sched = _schedule(T, n_steps, eps, times)
    if not return_path:
        return laws.gaussian(affine_score, mean0, cov0, sched, scheme=scheme)
    means, covs = [], []

    def keep(k, m, S):
        means.append(m.copy())
        covs.append(S.copy())

    laws.gaussian(affine_score, mean0, cov0, sched, scheme=scheme, callback=keep)
    return means, covs


def grid_law_1d(score: Score, x: np.ndarray, density0: np.ndarray, *, T: float, scheme: Scheme,
                n_steps: int | None = None, eps: float = 0.0, times: np.ndarray | None = None,
                chunk: int = 4_000_000) -> tuple[np.ndarray, float]:
    """:func:`sgmbook.laws.grid_1d` on the grid ``(T, n_steps, eps, times)`` (old interface)."""
    return laws.grid_1d(score, x, density0, _schedule(T, n_steps, eps, times), scheme=scheme, chunk=chunk)
