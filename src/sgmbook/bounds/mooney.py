r"""Inequalities of Mooney et al. (arXiv 2405.16104, Theorem 3.1), in their clock
:math:`dX = -\tfrac12 X d\tau + dW` (:math:`\tau = 2t` in the book's clock, see :mod:`sgmbook.ou`).

With the score potential :math:`q = -\log p - |x|^2/2` and :math:`g = q(0, \cdot)`:
if :math:`D^2 g \preceq M_1 I` and :math:`D^2 g \succeq -M_0 I`, then

.. math:: -\frac{M_0 e^{-\tau}}{1 - M_0 (1 - e^{-\tau})} \le D^2 q(\tau, x)
          \le \frac{M_1 e^{-\tau}}{1 + M_1 (1 - e^{-\tau})},

the lower bound for :math:`\tau < \tau^* = -\log(1 - 1/M_0)` (all :math:`\tau` when :math:`M_0 \le 1`).
The structure is the paper's; the explicit OU-time formulas are the book's reconstruction through the
heat transform, checked to be attained by Gaussians.
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v

__all__ = ["blowup_time", "hessian_logp_bounds"]


def blowup_time(M0: float) -> float:
    r""":math:`\tau^* = -\log(1 - 1/M_0)` for :math:`M_0 > 1`, and :math:`+\infty` for :math:`M_0 \le 1`."""
    M0 = v.positive("M0", M0, allow_zero=True)
    return float(np.inf) if M0 <= 1.0 else float(-np.log1p(-1.0 / M0))


def hessian_logp_bounds(tau: float | np.ndarray, M0: float, M1: float) -> tuple[np.ndarray, np.ndarray]:
    r"""``(lower, upper)`` bounds on :math:`\partial_x^2 \log p_\tau` (eigenvalues in d > 1):

    .. math:: -1 - \frac{M_1 e^{-\tau}}{1 + M_1(1 - e^{-\tau})} \le \nabla^2 \log p_\tau
              \le -1 + \frac{M_0 e^{-\tau}}{1 - M_0(1 - e^{-\tau})},

    the upper one finite only for :math:`\tau < \tau^*` (``inf`` from there on).
    """
    tau = v.times("tau", tau)
    M0 = v.positive("M0", M0, allow_zero=True)
    M1 = v.positive("M1", M1, allow_zero=True)
    e = np.exp(-tau)
    s = -np.expm1(-tau)
    lower = -1.0 - M1 * e / (1.0 + M1 * s)
    den = 1.0 - M0 * s
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = np.where(den > 0, -1.0 + M0 * e / np.where(den > 0, den, 1.0), np.inf)
    if tau.ndim == 0:
        return float(lower), float(upper)
    return lower, upper
