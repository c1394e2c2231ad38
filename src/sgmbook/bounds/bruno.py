r"""Inequalities of Bruno et al. (arXiv 2311.13584), in the book's clock :math:`dX = -X dt + \sqrt2 dB`.

The paper's full text could not be consulted; the shape of its general bound is known, its constants
are not.  Functions here say which parts are the paper's and which are derived in the book.
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v

__all__ = ["log_concavity_along_ou", "log_concavity_floor"]


def log_concavity_along_ou(t: float | np.ndarray, L: float) -> np.ndarray | float:
    r"""Lower bound on the strong log-concavity of :math:`p_t` when :math:`p_0` is :math:`L`-strongly
    log-concave:

    .. math:: L_t \ge \Bigl(\frac{e^{-2t}}{L} + 1 - e^{-2t}\Bigr)^{-1}.

    Derived in the book (chapter "The strongly log-concave theory"): :math:`X_t = e^{-t}X_0 + \sigma_t Z`
    is a convolution of an :math:`e^{2t}L`-strongly log-concave law with :math:`N(0, \sigma_t^2)`.  It
    is an equality for Gaussians.
    """
    t = v.times("t", t)
    L = v.positive("L", L)
    e = np.exp(-2.0 * t)
    out = 1.0 / (e / L - np.expm1(-2.0 * t))
    return float(out) if out.ndim == 0 else out


def log_concavity_floor(L: float) -> float:
    r""":math:`\hat L = \min(1, L)`, a uniform-in-time lower bound of :func:`log_concavity_along_ou`
    (the constant written :math:`\widehat L_{MO}` in the paper's general bound)."""
    return min(1.0, v.positive("L", L))
