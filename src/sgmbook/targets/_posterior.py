r"""Posterior moments of the initial point given :math:`X_t = x`, by quadrature: written once for
:class:`~sgmbook.targets.grid.Grid1D` (the whole grid) and :class:`~sgmbook.targets.heat.HeatFlow1D`
(a window of nodes per block of points).

For nodes :math:`z_j` with log-weights :math:`b_j = \ell(z_j) + \log w_j` (normalised log-density plus
log quadrature weight) and the OU step :math:`X_t = a X_0 + \sigma Z`, the posterior of :math:`X_0` given
:math:`X_t = x` puts log-weight :math:`e_j(x) = b_j - (x - a z_j)^2 / (2\sigma^2)` on node :math:`j`, and

.. math:: \log p_t(x) = \log \sum_j e^{e_j(x)} - \tfrac12 \log(2\pi\sigma^2), \qquad
          E[X_0 \mid x] = \frac{\sum_j z_j e^{e_j}}{\sum_j e^{e_j}}, \qquad
          \mathrm{Var}(X_0 \mid x) = \frac{\sum_j (z_j - E[X_0 \mid x])^2 e^{e_j}}{\sum_j e^{e_j}}.

The sums are log-sum-exp stabilised, and the moments are taken about each row's posterior mode, so the
variance loses no digits to cancellation.
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._numerics import LOG_2PI, uniform_grid

__all__: list[str] = []


def tabulated_log_density(grid_name: str, grid: np.ndarray,
                          log_density: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    """``(nodes, step, log density)`` of a law tabulated on a uniform grid, checked: the grid strictly
    increasing and uniform, the log-density real, of the grid's shape, without NaN or ``+inf`` (``-inf``
    marks zero density)."""
    nodes, step = uniform_grid(grid_name, grid)
    ell = v.real_array("log_density", log_density)
    if ell.shape != nodes.shape:
        raise ValueError(f"log_density must have the shape of {grid_name} {nodes.shape}, got {ell.shape}")
    if np.any(np.isnan(ell)) or np.any(ell == np.inf):
        raise ValueError("log_density must not contain NaN or +inf (-inf marks zero density)")
    return nodes, step, ell


def _row_moments(e: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(log sum exp e, mean, variance)`` of each row of log-weights ``e`` on ``nodes``."""
    emax = e.max(axis=1, keepdims=True)
    w = np.exp(e - emax)
    tot = w.sum(axis=1)
    w /= tot[:, None]
    centre = nodes[np.argmax(e, axis=1)][:, None]  # each row's mode: stable variance
    dev = nodes[None, :] - centre
    m1 = np.sum(w * dev, axis=1)
    m2 = np.sum(w * dev * dev, axis=1)
    return emax[:, 0] + np.log(tot), centre[:, 0] + m1, np.maximum(m2 - m1 * m1, 0.0)


def gaussian_kernel_moments(base: np.ndarray, nodes: np.ndarray, a: float, sig2: float,
                            xs: np.ndarray, rows: int, lo: np.ndarray | None = None,
                            hi: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""``(log p_t(x), E[X_0 | x], Var(X_0 | x))`` at the flat points ``xs`` (formulas above).

    ``base`` holds :math:`b_j` on ``nodes``; ``a`` and ``sig2`` are :math:`a` and :math:`\sigma^2`.
    Points are processed ``rows`` at a time.  Without ``lo``/``hi`` every node is used; with them a
    block of points uses the nodes ``[min lo, max hi)`` of its points (callers sort the points so that
    a block's windows overlap).
    """
    logp = np.empty(xs.size)
    mean = np.empty(xs.size)
    var = np.empty(xs.size)
    for i0 in range(0, xs.size, rows):
        sl = slice(i0, i0 + rows)
        if lo is None:
            j0, j1 = 0, nodes.size
        else:
            j0, j1 = int(lo[sl].min()), int(hi[sl].max())
        zb = nodes[j0:j1]
        e = base[j0:j1][None, :] - (xs[sl, None] - a * zb[None, :]) ** 2 / (2.0 * sig2)
        logp[sl], mean[sl], var[sl] = _row_moments(e, zb)
    logp -= 0.5 * (np.log(sig2) + LOG_2PI)
    return logp, mean, var
