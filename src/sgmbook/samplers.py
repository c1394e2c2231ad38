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
(:func:`gaussian_law`) and the exact law on a 1-D grid for any score (:func:`grid_law_1d`).

The particle samplers split the particles into blocks of rows of :data:`BLOCK_COORDS` coordinates and take
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

__all__ = [
    "BLOCK_COORDS",
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


def time_grid(T: float, n_steps: int | None = None, eps: float = 0.0,
              times: np.ndarray | None = None) -> np.ndarray:
    r"""Decreasing forward times :math:`T = t_0 > \dots > t_K = \varepsilon`.

    Either ``n_steps`` (uniform steps :math:`(T - \varepsilon)/K`) or ``times`` (any strictly decreasing
    grid from ``T`` to ``eps``) must be given.
    """
    T, eps = v.horizon(T, eps)
    if (n_steps is None) == (times is None):
        raise ValueError("give exactly one of n_steps (uniform grid) or times (a user grid)")
    if times is None:
        k = v.positive_int("n_steps", n_steps)
        return np.linspace(T, eps, k + 1)
    grid = v.finite_array("times", times, ndim=1)
    if grid.size < 2:
        raise ValueError("times must hold at least two points")
    if not (np.isclose(grid[0], T) and np.isclose(grid[-1], eps)):
        raise ValueError(f"times must run from T={T:g} down to eps={eps:g}")
    if np.any(np.diff(grid) >= 0):
        raise ValueError("times must be strictly decreasing (forward times from T down to eps)")
    return grid


def step_coefficients(h: np.ndarray | float, scheme: Scheme) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""``(a, c, v)`` of the step :math:`Y' = a Y + c\, s + \sqrt{v} Z` for step sizes ``h``.

    ``em``: :math:`(1 + h, 2h, 2h)`; ``ei``: :math:`(e^h, 2\,\mathrm{expm1}(h), \mathrm{expm1}(2h))`.
    """
    v.scheme(scheme)
    h = np.asarray(h, dtype=float)
    if scheme == "em":
        return 1.0 + h, 2.0 * h, 2.0 * h
    return np.exp(h), 2.0 * np.expm1(h), np.expm1(2.0 * h)


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


def _run(score: Score, y0: np.ndarray, grid: np.ndarray, scheme: Scheme, rng: np.random.Generator,
         return_path: bool, workers: int | None) -> np.ndarray:
    if not callable(score):
        raise TypeError("score must be a callable s(t, x)")
    y = v.finite_array("y0", y0, ndim=2).copy()
    rng = v.rng(rng)
    workers = _available_cores() if workers is None else v.positive_int("workers", workers)
    a, c, var = step_coefficients(-np.diff(grid), scheme)
    sd = np.sqrt(var)
    ts = [float(t) for t in grid[:-1]]
    blocks = _row_blocks(*y.shape)
    streams = rng.spawn(len(blocks))  # one independent child stream per block of rows
    path = np.empty((grid.size,) + y.shape) if return_path else None

    def advance(j: int) -> None:
        """All the steps for one block of rows, updated in place in ``y``."""
        i0, i1 = blocks[j]
        yb, gen = y[i0:i1], streams[j]
        noise, drift = np.empty_like(yb), np.empty_like(yb)
        if path is not None:
            path[0, i0:i1] = yb
        with np.errstate(over="ignore", invalid="ignore"):
            for k, t in enumerate(ts):
                s = np.asarray(score(t, yb), dtype=float)
                if s.shape != yb.shape:
                    raise ValueError(f"score returned shape {s.shape} for particles of shape {yb.shape}")
                np.multiply(s, c[k], out=drift)  # before y changes: s may be a view of y
                gen.standard_normal(out=noise)
                noise *= sd[k]
                yb *= a[k]
                yb += drift
                yb += noise
                if path is not None:
                    path[k + 1, i0:i1] = yb

    n_threads = min(workers, len(blocks))
    if n_threads == 1:
        for j in range(len(blocks)):
            advance(j)
    else:
        with ThreadPoolExecutor(n_threads) as pool:
            for job in [pool.submit(advance, j) for j in range(len(blocks))]:
                job.result()
    if not np.all(np.isfinite(y)):
        raise FloatingPointError("the sampler diverged (non-finite particles): reduce the step size")
    return path if return_path else y


def euler_maruyama(score: Score, y0: np.ndarray, *, T: float, rng: np.random.Generator,
                   n_steps: int | None = None, eps: float = 0.0, times: np.ndarray | None = None,
                   return_path: bool = False, workers: int | None = None) -> np.ndarray:
    r"""Euler-Maruyama for the reverse OU SDE (Bruno et al., Section 3.1 code):
    :math:`Y_{k+1} = Y_k + h_k (Y_k + 2 s(t_k, Y_k)) + \sqrt{2h_k} Z_{k+1}`.

    ``y0`` holds the initial particles (``(n, d)``, usually ``rng.standard_normal((n, d))``);
    returns the particles at forward time ``eps`` (or the whole path, ``(K+1, n, d)``).

    The particles are advanced in blocks of rows (:data:`BLOCK_COORDS` coordinates each), every block
    through all the steps while it sits in cache, each with its own random stream spawned from ``rng``
    (``rng.spawn``).  So ``score`` must act on each row on its own (as a score :math:`s(t, x)` does) and is
    called on blocks of rows; up to ``workers`` blocks run at once in threads (default: the available
    cores; ``workers=1`` for a score that is not thread-safe).  The output depends on ``rng`` and the
    inputs only, not on ``workers``.
    """
    return _run(score, y0, time_grid(T, n_steps, eps, times), "em", rng, return_path, workers)


def exponential_integrator(score: Score, y0: np.ndarray, *, T: float, rng: np.random.Generator,
                           n_steps: int | None = None, eps: float = 0.0, times: np.ndarray | None = None,
                           return_path: bool = False, workers: int | None = None) -> np.ndarray:
    r"""Exponential integrator for the reverse OU SDE:
    :math:`Y_{k+1} = e^{h_k} Y_k + 2(e^{h_k} - 1) s(t_k, Y_k) + \sqrt{e^{2h_k} - 1}\, Z_{k+1}`.

    Same arguments, blocks and random streams as :func:`euler_maruyama`.
    """
    return _run(score, y0, time_grid(T, n_steps, eps, times), "ei", rng, return_path, workers)


def sample_reverse(scheme: Scheme, score: Score, n: int, d: int, *, T: float, rng: np.random.Generator,
                   n_steps: int | None = None, eps: float = 0.0, times: np.ndarray | None = None,
                   workers: int | None = None) -> np.ndarray:
    """Start ``n`` particles at :math:`N(0, I_d)` (drawn from ``rng``) and run ``scheme`` (``"em"`` or
    ``"ei"``) as :func:`euler_maruyama` does."""
    v.scheme(scheme)
    n = v.positive_int("n", n)
    d = v.positive_int("d", d)
    rng = v.rng(rng)
    y0 = rng.standard_normal((n, d))
    return _run(score, y0, time_grid(T, n_steps, eps, times), scheme, rng, False, workers)


def gaussian_law(affine_score: Callable[[float], tuple[np.ndarray, np.ndarray]], mean0: np.ndarray,
                 cov0: np.ndarray, *, T: float, scheme: Scheme, n_steps: int | None = None,
                 eps: float = 0.0, times: np.ndarray | None = None,
                 return_path: bool = False) -> tuple[np.ndarray, np.ndarray] | tuple[list, list]:
    r"""Exact law of the scheme's output for an affine score :math:`s(t, x) = A(t) x + b(t)`.

    ``affine_score(t)`` returns ``(A, b)``; ``A`` is ``(d, d)`` or a ``(d,)`` diagonal (a scalar is
    accepted).  Starting from :math:`N(m_0, S_0)`, each step is :math:`Y' = M_k Y + c_k b + \sqrt{v_k} Z`
    with :math:`M_k = a_k I + c_k A(t_k)`, so

    .. math:: m_{k+1} = M_k m_k + c_k b(t_k), \qquad S_{k+1} = M_k S_k M_k^\top + v_k I.

    No sampling is involved.  With diagonal ``A`` and ``cov0`` the recursion stays diagonal and costs
    :math:`O(d)` per step.  Returns the final ``(mean, cov)`` (or the lists over all steps).
    """
    if not callable(affine_score):
        raise TypeError("affine_score must be a callable t -> (A, b)")
    grid = time_grid(T, n_steps, eps, times)
    m = v.finite_array("mean0", mean0, ndim=1).copy()
    d = m.shape[0]
    S = v.spd_matrix("cov0", cov0, dim=d).copy()
    a, c, var = step_coefficients(-np.diff(grid), scheme)
    means, covs = [m.copy()], [S.copy()]
    for k in range(grid.size - 1):
        A, b = affine_score(float(grid[k]))
        A = np.asarray(A, dtype=float)
        b = np.broadcast_to(np.asarray(b, dtype=float), (d,))
        if A.ndim == 0:
            A = np.full(d, float(A))
        if A.shape not in ((d,), (d, d)):
            raise ValueError(f"A must have shape ({d},) or ({d}, {d}), got {A.shape}")
        if A.ndim == 1:
            M = a[k] + c[k] * A
            m = M * m + c[k] * b
            S = (M * S * M + var[k]) if S.ndim == 1 else (M[:, None] * S * M[None, :] + var[k] * np.eye(d))
        else:
            if S.ndim == 1:
                S = np.diag(S)
            M = a[k] * np.eye(d) + c[k] * A
            m = M @ m + c[k] * b
            S = M @ S @ M.T + var[k] * np.eye(d)
            S = 0.5 * (S + S.T)
        if return_path:
            means.append(m.copy())
            covs.append(S.copy())
    return (means, covs) if return_path else (m, S)


def grid_law_1d(score: Score, x: np.ndarray, density0: np.ndarray, *, T: float, scheme: Scheme,
                n_steps: int | None = None, eps: float = 0.0, times: np.ndarray | None = None,
                chunk: int = 4_000_000) -> tuple[np.ndarray, float]:
    r"""Law of a 1-D scheme's output on a uniform grid, for any score.

    Given :math:`Y_k` with density :math:`\rho_k` on the grid ``x``, the step is Gaussian given
    :math:`Y_k`, so

    .. math:: \rho_{k+1}(x') = \int \rho_k(x)\, \varphi_{\sqrt{v_k}}\bigl(x' - a_k x - c_k s(t_k, x)\bigr)\,dx,

    evaluated by the trapezoid rule on the grid.  The error is the quadrature error only (no Monte
    Carlo).  Mass carried outside the grid is lost; the function returns the final density
    (renormalised) and the total mass lost, which the caller should check is negligible.
    """
    if not callable(score):
        raise TypeError("score must be a callable s(t, x)")
    xs = v.finite_array("x", x, ndim=1)
    dx = np.diff(xs)
    if xs.size < 3 or np.any(dx <= 0) or not np.allclose(dx, dx[0], rtol=1e-8):
        raise ValueError("x must be a uniform increasing grid of at least 3 points")
    rho = v.finite_array("density0", density0, ndim=1)
    if rho.shape != xs.shape or np.any(rho < 0):
        raise ValueError("density0 must be >= 0 and have the shape of x")
    h = float(dx[0])
    wq = np.full(xs.size, h)
    wq[[0, -1]] *= 0.5
    mass = float(rho @ wq)
    if mass <= 0:
        raise ValueError("density0 must have positive mass on the grid")
    rho = rho / mass
    grid = time_grid(T, n_steps, eps, times)
    a, c, var = step_coefficients(-np.diff(grid), scheme)
    if np.sqrt(var.min()) < h:
        raise ValueError(f"the grid step {h:.3g} is wider than the smallest step's noise "
                         f"{np.sqrt(var.min()):.3g}: refine x or take fewer steps")
    lost = 0.0
    rows = max(1, int(chunk) // xs.size)
    for k in range(grid.size - 1):
        s = np.asarray(score(float(grid[k]), xs[:, None]), dtype=float).reshape(-1)
        centre = a[k] * xs + c[k] * s
        src = rho * wq
        new = np.empty_like(rho)
        inv = 1.0 / np.sqrt(2.0 * np.pi * var[k])
        for i0 in range(0, xs.size, rows):
            diff = xs[i0:i0 + rows, None] - centre[None, :]
            new[i0:i0 + rows] = inv * (np.exp(-diff * diff / (2.0 * var[k])) @ src)
        total = float(new @ wq)
        lost += 1.0 - total
        rho = new / total
    return rho, lost
