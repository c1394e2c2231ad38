r"""The bump potentials of the finite-time blow-up construction (after Mooney et al., Section 3).

The paper's own :math:`g_M` is not available.  This is the book's construction with the properties the
paper states: :math:`g_M \in C^{1,1}`, :math:`|g_M''| \le 2` (so :math:`M_0 = M_1 = 2` in Theorem 3.1), compact
support, and a heat-evolved log-density whose second derivative at heat time 1/2 grows like :math:`M^2`.  The
particular support :math:`[-4M, 4M]` and the piecewise-quadratic shape are the book's own choices:

.. math:: g_M(y) = \begin{cases} -y^2 & |y| \le M \\ (|y| - 2M)^2 - 2M^2 & M \le |y| \le 3M \\
          -(|y| - 4M)^2 & 3M \le |y| \le 4M \\ 0 & |y| \ge 4M. \end{cases}

The data density is :math:`p_0 \propto \exp(-g_M(x) - x^2/2)`; on :math:`[-M, M]` it is log-convex.
"""
from __future__ import annotations

import numpy as np

from . import _validate as v

__all__ = ["bump_potential", "bump_potential_dd", "multi_bump_potential", "bump_log_density"]


def bump_potential(y: np.ndarray, M: float) -> np.ndarray:
    r""":math:`g_M(y)` above, vectorised over ``y``."""
    y = v.finite_array("y", y)
    M = v.positive("M", M)
    a = np.abs(y)
    return np.select([a <= M, a <= 3 * M, a <= 4 * M],
                     [-(y * y), (a - 2 * M) ** 2 - 2 * M * M, -((a - 4 * M) ** 2)], default=0.0)


def bump_potential_dd(y: np.ndarray, M: float) -> np.ndarray:
    r""":math:`g_M''(y) \in \{-2, 2, 0\}` (one-sided choice at the break points)."""
    y = v.finite_array("y", y)
    M = v.positive("M", M)
    a = np.abs(y)
    return np.select([a <= M, a <= 3 * M, a <= 4 * M], [-2.0, 2.0, -2.0], default=0.0)


def multi_bump_potential(y: np.ndarray, Ms: np.ndarray, centres: np.ndarray) -> np.ndarray:
    r""":math:`g(y) = \sum_k g_{M_k}(y - x_k)`; the supports :math:`[x_k - 4M_k, x_k + 4M_k]` must be disjoint."""
    Ms = v.finite_array("Ms", Ms, ndim=1)
    centres = v.finite_array("centres", centres, ndim=1)
    if Ms.shape != centres.shape:
        raise ValueError("Ms and centres must have the same length")
    if np.any(Ms <= 0):
        raise ValueError(f"Ms must be > 0, got min {float(Ms.min())!r}")
    order = np.argsort(centres)
    lo = centres[order] - 4 * Ms[order]
    hi = centres[order] + 4 * Ms[order]
    if np.any(lo[1:] < hi[:-1]):
        raise ValueError("centres and Ms must keep the bump supports [x_k - 4 M_k, x_k + 4 M_k] disjoint")
    y = v.finite_array("y", y)
    return sum((bump_potential(y - c, M) for M, c in zip(Ms, centres)), np.zeros_like(y))


def bump_log_density(y: np.ndarray, M: float) -> np.ndarray:
    r"""Unnormalised :math:`\log p_0(y) = -g_M(y) - y^2/2`."""
    y = v.finite_array("y", y)
    return -bump_potential(y, M) - 0.5 * y * y
