r"""Inequalities of Mooney et al. (arXiv 2405.16104, Theorem 3.1), in the OU clock
:math:`dX = -\tfrac12 X d\tau + dW` (:math:`\tau = 2t` in the book's clock, see :mod:`sgmbook.ou`).

We use this normalisation because it is the one consistent with the horizon :math:`-\log(1 - 1/M_0)` and the
heat time :math:`1/2` quoted from the paper; the paper's displayed SDE was not available, so the choice is the
book's inference.

With the score potential :math:`q = -\log p - |x|^2/2` and :math:`g = q(0, \cdot)`:
if :math:`p_0 = e^{-g}\gamma` is a probability density, :math:`D^2 g \preceq M_1 I` and
:math:`D^2 g \succeq -M_0 I`, then

.. math:: -\frac{M_0 e^{-\tau}}{1 - M_0 (1 - e^{-\tau})} \le D^2 q(\tau, x)
          \le \frac{M_1 e^{-\tau}}{1 + M_1 (1 - e^{-\tau})},

the lower bound for :math:`\tau < \tau^* = -\log(1 - 1/M_0)` when :math:`M_0 > 1` (all :math:`\tau` when
:math:`M_0 \le 1`).  In the heat variables (heat time :math:`s = 1 - e^{-\tau}`,
:math:`\bar q(s, y) = q(\tau, e^{\tau/2} y)`) the same statement reads
:math:`-M_0/(1 - M_0 s) \le D^2 \bar q \le M_1/(1 + M_1 s)`.
The structure (a one-sided bound for all times, the other up to the horizon :math:`\tau^*`) is the
paper's; the explicit formulas are the book's reconstruction through the heat transform, proven in the
chapter on sharp Hessian bounds and attained by Gaussians.

The constants may have either sign: :math:`M_0 \in \mathbb R` (negative when :math:`g` is uniformly
convex) and :math:`M_1 > -1`.  The condition :math:`M_1 > -1` is only necessary for :math:`p_0` to be a
probability density (:math:`D^2 g \preceq M_1 I` with :math:`M_1 \le -1` makes
:math:`e^{-g - |x|^2/2} \ge c\,e^{-b \cdot x}` non-integrable); it is not sufficient: :math:`g(x) = -|x|^2/2`
satisfies :math:`D^2 g \preceq 0` but :math:`e^{-g}\gamma` is constant.  The functions here only check
:math:`M_1 > -1`; that :math:`e^{-g}\gamma` is a probability density is the caller's hypothesis.
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v

__all__ = ["blowup_time", "hessian_logp_bounds", "hessian_q_bounds", "heat_hessian_bounds",
           "constants_from_logp_hessian"]


def blowup_time(M0: float) -> float:
    r""":math:`\tau^* = -\log(1 - 1/M_0)` for :math:`M_0 > 1`, and :math:`+\infty` for :math:`M_0 \le 1`
    (OU time of Mooney et al.; heat time :math:`s^* = 1/M_0`; book time :math:`\tau^*/2`)."""
    M0 = v.real("M0", M0)
    return float(np.inf) if M0 <= 1.0 else float(-np.log1p(-1.0 / M0))


def _pack(tau: np.ndarray, lower: np.ndarray, upper: np.ndarray):
    if tau.ndim == 0:
        return float(lower), float(upper)
    return lower, upper


def hessian_q_bounds(tau: float | np.ndarray, M0: float, M1: float) -> tuple[np.ndarray, np.ndarray]:
    r"""``(lower, upper)`` bounds on :math:`D^2 q(\tau, \cdot)` (eigenvalues), :math:`q = -\log p_\tau - |x|^2/2`:

    .. math:: -\frac{M_0 e^{-\tau}}{1 - M_0(1 - e^{-\tau})} \le D^2 q \le \frac{M_1 e^{-\tau}}{1 + M_1(1 - e^{-\tau})};

    the lower one is ``-inf`` from :math:`\tau^*` on.  Structure: Mooney et al., Theorem 3.1; formulas
    derived in the book.
    """
    tau = v.times("tau", tau)
    M0 = v.real("M0", M0)
    M1 = v.real("M1", M1, lower=-1.0)
    e = np.exp(-tau)
    s = -np.expm1(-tau)
    upper = M1 * e / (1.0 + M1 * s)
    den = 1.0 - M0 * s
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(den > 0, -M0 * e / np.where(den > 0, den, 1.0), -np.inf)
    return _pack(tau, lower, upper)


def hessian_logp_bounds(tau: float | np.ndarray, M0: float, M1: float) -> tuple[np.ndarray, np.ndarray]:
    r"""``(lower, upper)`` bounds on :math:`\partial_x^2 \log p_\tau` (eigenvalues in d > 1):

    .. math:: -1 - \frac{M_1 e^{-\tau}}{1 + M_1(1 - e^{-\tau})} \le \nabla^2 \log p_\tau
              \le -1 + \frac{M_0 e^{-\tau}}{1 - M_0(1 - e^{-\tau})},

    the upper one finite only for :math:`\tau < \tau^*` (``inf`` from there on).  Since
    :math:`\nabla^2 \log p_\tau = -I - D^2 q`, this is :func:`hessian_q_bounds` reflected.
    """
    tau_arr = v.times("tau", tau)
    lq, uq = hessian_q_bounds(tau_arr, M0, M1)
    return _pack(tau_arr, -1.0 - np.asarray(uq), -1.0 - np.asarray(lq))


def heat_hessian_bounds(s: float | np.ndarray, M0: float, M1: float) -> tuple[np.ndarray, np.ndarray]:
    r"""``(lower, upper)`` bounds on :math:`D^2 \bar q(s, \cdot)` at heat time :math:`s = 1 - e^{-\tau} \in [0, 1)`:
    :math:`-M_0/(1 - M_0 s) \le D^2 \bar q \le M_1/(1 + M_1 s)`, the lower one for :math:`s < 1/M_0`
    (``-inf`` after).  Equivalently :math:`(\log \bar p)_{yy} \le M_0/(1 - M_0 s)`."""
    s = v.times("s", s)
    if np.any(s >= 1):
        raise ValueError("s (heat time) must lie in [0, 1)")
    M0 = v.real("M0", M0)
    M1 = v.real("M1", M1, lower=-1.0)
    upper = M1 / (1.0 + M1 * s)
    den = 1.0 - M0 * s
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(den > 0, -M0 / np.where(den > 0, den, 1.0), -np.inf)
    return _pack(s, lower, upper)


def constants_from_logp_hessian(hess_logp0: np.ndarray) -> tuple[float, float]:
    r"""``(M0, M1)`` from samples of :math:`\partial_x^2 \log p_0`: since :math:`D^2 g = -D^2 \log p_0 - I`,
    :math:`M_0 = \sup \partial_x^2 \log p_0 + 1` and :math:`M_1 = -\inf \partial_x^2 \log p_0 - 1`."""
    h = v.finite_array("hess_logp0", hess_logp0)
    if h.size == 0:
        raise ValueError("hess_logp0 must not be empty")
    return float(h.max() + 1.0), float(-h.min() - 1.0)
