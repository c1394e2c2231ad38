r"""Mooney et al. (arXiv 2405.16104) in :math:`\mathbb R^n`: matrix forms of the Hessian bounds, the
book's matrix bounds for isotropic mixtures, and the dimension factors quoted from reviews.

Clock: Mooney et al.'s OU time :math:`\tau` (:math:`dX = -\tfrac12 X d\tau + dW`, :math:`\tau = 2t`
in book time, see :mod:`sgmbook.ou`).

* :func:`hessian_logp_matrix_bounds` -- Theorem 3.1 in :math:`\mathbb R^n`: scalar multiples of the
  identity, the same functions of :math:`(\tau, M_0, M_1)` as in one dimension
  (:func:`sgmbook.bounds.mooney.hessian_logp_bounds`), so they do not depend on :math:`n`.
* :func:`half_diameter`, :func:`isotropic_mixture_logp0_bounds`, :func:`isotropic_mixture_constants`,
  :func:`identity_mixture_upper` -- derived in the book (chapter on dimension): for
  :math:`p_0 = \sum_k w_k N(\mu_k, vI)` and :math:`\rho` half the diameter of the means,
  :math:`-I/v \preceq \nabla^2\log p_0 \preceq (-1/v + \rho^2/v^2) I`.
* :func:`local_hessian_shape`, :func:`case_two_dim_factor` -- the dimension factors as quoted in
  reviews (implied constants unknown, set to one).
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from .mooney import hessian_logp_bounds

__all__ = ["hessian_logp_matrix_bounds", "half_diameter", "isotropic_mixture_logp0_bounds",
           "isotropic_mixture_constants", "identity_mixture_upper", "local_hessian_shape",
           "case_two_dim_factor"]


def hessian_logp_matrix_bounds(tau, M0: float, M1: float):
    r"""``(lower, upper)`` with :math:`\mathrm{lower}\, I \preceq \nabla^2\log p_\tau(x) \preceq
    \mathrm{upper}\, I` for all :math:`x \in \mathbb R^n` (Mooney et al., Theorem 3.1; explicit form
    reconstructed and proven in the book), given :math:`-M_0 I \preceq D^2 g \preceq M_1 I`:

    .. math:: -1 - \frac{M_1 e^{-\tau}}{1 + M_1(1 - e^{-\tau})} \le \lambda(\nabla^2\log p_\tau)
              \le -1 + \frac{M_0 e^{-\tau}}{1 - M_0(1 - e^{-\tau})},

    the upper one ``inf`` from :math:`\tau^* = -\log(1 - 1/M_0)` on.  No dependence on :math:`n`."""
    return hessian_logp_bounds(tau, M0, M1)


def half_diameter(means) -> float:
    r"""Spread :math:`\rho = \tfrac12\max_{k,l}|\mu_k - \mu_l|` of the rows of ``means`` (``(K, n)``)."""
    mu = v.finite_array("means", means, ndim=2)
    g = mu @ mu.T
    d2 = np.diag(g)[:, None] + np.diag(g)[None, :] - 2 * g
    return float(0.5 * np.sqrt(max(float(d2.max()), 0.0)))


def isotropic_mixture_logp0_bounds(means, variance: float) -> tuple[float, float]:
    r"""``(lower, upper)``: :math:`-\frac1v I \preceq \nabla^2\log p_0 \preceq (-\frac1v + \frac{\rho^2}{v^2}) I`
    for :math:`p_0 = \sum_k w_k N(\mu_k, v I)`, any weights, :math:`\rho` = :func:`half_diameter`.
    Derived in the book: :math:`\nabla^2\log p_0 = -I/v + \mathrm{Cov}_r(\mu)/v^2` and, by Popoviciu's
    inequality, :math:`0 \le e^\top\mathrm{Cov}_r(\mu)e \le (\max_k e\cdot\mu_k - \min_k e\cdot\mu_k)^2/4
    \le \rho^2` for unit :math:`e`."""
    var = v.positive("variance", variance)
    rho = half_diameter(means)
    return -1.0 / var, -1.0 / var + rho * rho / (var * var)


def isotropic_mixture_constants(means, variance: float) -> tuple[float, float]:
    r"""``(M0, M1)`` of Theorem 3.1 for :math:`p_0 = \sum_k w_k N(\mu_k, vI)`: from
    :math:`D^2 g = -I - \nabla^2\log p_0`, :math:`M_1 = 1/v - 1` and :math:`M_0 = \rho^2/v^2 - 1/v + 1`."""
    lo, up = isotropic_mixture_logp0_bounds(means, variance)
    return up + 1.0, -lo - 1.0


def identity_mixture_upper(tau, means):
    r"""Exact-structure bound for identity components (derived in the book): at OU time :math:`\tau`
    the mixture is :math:`\sum_k w_k N(e^{-\tau/2}\mu_k, I)`, hence
    :math:`\nabla^2\log p_\tau \preceq (-1 + e^{-\tau}\rho^2) I` for **all** :math:`\tau` (no horizon)."""
    tau = v.times("tau", tau)
    rho = half_diameter(means)
    out = -1.0 + np.exp(-tau) * rho * rho
    return float(out) if out.ndim == 0 else out


def _dims(n):
    d = np.asarray(n)
    if d.dtype.kind not in "iu" or np.any(d < 2):
        raise ValueError(f"n must be integer(s) >= 2 (n log n vanishes at n = 1), got {n!r}")
    return d.astype(float)


def local_hessian_shape(n, L: float, r):
    r"""Shape of the local bound as quoted in a review (Mooney et al., eq. (2.27)):
    :math:`L^2(n\log n + L r^2)`, implied constant set to one, :math:`r = |y - x_0|`."""
    d = _dims(n)
    L = v.positive("L", L)
    rr = v.finite_array("r", r)
    if np.any(rr < 0):
        raise ValueError("r must be >= 0")
    out = L * L * (d * np.log(d) + L * rr * rr)
    return float(out) if np.ndim(out) == 0 else out


def case_two_dim_factor(n):
    r"""Dimension factor :math:`n(n\log n)^2` of the Case-II bound as quoted in a review."""
    d = _dims(n)
    out = d * (d * np.log(d)) ** 2
    return float(out) if np.ndim(out) == 0 else out
