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

Also here: the crude Hessian bound for data on a compact set (Section 3, :func:`crude_bound`) and the
convergence-bound shapes of Section 4 and 6.3 (:func:`case_one_bound`, :func:`case_two_bound`, ...).
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._numerics import scalar_or_array

__all__ = ["blowup_time", "hessian_logp_bounds", "hessian_q_bounds", "heat_hessian_bounds",
           "constants_from_logp_hessian", "crude_bound", "crude_bound_ou", "two_atom_onset_constant",
           "case_one_horizon", "case_one_lipschitz", "case_one_bound", "case_two_bound", "case_two_steps",
           "early_stopping_lipschitz"]


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


# ---------------------------------------------------------------- data on compact sets (Section 3)
def crude_bound(s: float | np.ndarray, M: float) -> np.ndarray | float:
    r"""Crude bound :math:`\|\nabla^2 \log \bar p(s, x)\| \le 1/s + M^2/s^2` for every :math:`x`,
    :math:`M` the radius of the support (derived in the book; the form reconstructs Mooney et al.,
    Theorem 3.9 of the submission)."""
    s = v.finite_array("s", s)
    if np.any(s <= 0):
        raise ValueError("s must be > 0")
    M = v.positive("M", M, allow_zero=True)
    out = 1.0 / s + M * M / (s * s)
    return scalar_or_array(out)


def crude_bound_ou(t: float | np.ndarray, M: float) -> np.ndarray | float:
    r"""The crude bound in the book's OU clock: :math:`\|\nabla^2 \log p_t\| \le 1/\sigma_t^2 +
    e^{-2t} M^2/\sigma_t^4`, :math:`\sigma_t^2 = 1 - e^{-2t}` (derived in the book)."""
    t = v.finite_array("t", t)
    if np.any(t <= 0):
        raise ValueError("t must be > 0")
    M = v.positive("M", M, allow_zero=True)
    s2 = -np.expm1(-2.0 * t)
    out = 1.0 / s2 + np.exp(-2.0 * t) * M * M / (s2 * s2)
    return scalar_or_array(out)


def two_atom_onset_constant() -> float:
    r""":math:`c^* = \max_{z > 0} z\,\mathrm{sech}^2 z \approx 0.4477`.  For two atoms at
    :math:`\pm a` and :math:`x \ne 0`, :math:`\sup_{s > 0} s\,(a/s)^2 \mathrm{sech}^2(a x / s) =
    c^* a / |x|` (derived in the book), so :math:`C_x` grows like :math:`1/|x|` at the ridge."""
    z = np.linspace(1e-6, 3.0, 300_001)
    return float(np.max(z / np.cosh(z) ** 2))


# ----------------------------------------------------------------------------------------------
# bound shapes of Mooney et al. (paper's OU time tau = 2 t; implied constants set to 1)


def case_one_horizon(L0: float) -> float:
    r"""Time limit of Case I, :math:`\tau < -\log(1 - 1/(L_0 + 1)) = \log(1 + 1/L_0)` for
    :math:`L_0 = \sup_x \lambda_{\max}(\nabla^2 \log p_0) > 0` (Mooney et al., Theorem 4.3 of the
    submission as quoted by a reviewer); ``inf`` for :math:`L_0 \le 0` (log-concave data)."""
    if isinstance(L0, bool) or not isinstance(L0, (int, float, np.integer, np.floating)):
        raise TypeError(f"L0 must be a real number, got {type(L0).__name__}")
    if not np.isfinite(L0):
        raise ValueError("L0 must be finite")
    L0 = float(L0)
    return float(np.inf) if L0 <= 0 else float(np.log1p(1.0 / L0))


def case_one_lipschitz(tau: float, M0: float, M1: float, n_grid: int = 2001) -> float:
    r""":math:`H_\tau = \sup_{0 \le u \le \tau} \|\nabla^2 \log p_u\|` as bounded by Theorem 3.1 of
    Mooney et al. (the book's reconstructed OU-time form, :func:`sgmbook.bounds.mooney.hessian_logp_bounds`):
    the larger of the two sides' absolute values on :math:`[0, \tau]`; ``inf`` past the horizon."""
    tau = v.positive("tau", tau, allow_zero=True)
    n_grid = v.positive_int("n_grid", n_grid)
    lo, hi = hessian_logp_bounds(np.linspace(0.0, tau, n_grid), M0, M1)
    return float(max(np.max(np.abs(lo)), np.max(np.abs(hi))))


def case_one_bound(tau: float, n_steps: int, *, dim: int, m2: float, eps0: float, H: float) -> float:
    r"""Shape of Case I (Mooney et al., Theorem 4.2 camera-ready / 4.3 submission, as quoted by reviewers):

    .. math:: (M_2 + d)\,e^{-T} + T \epsilon_0^2 + \frac{d\,T^2 H_T^2}{N},

    :math:`T` in the paper's OU time, implied constant set to 1.  Valid only below the Case-I horizon
    (:func:`case_one_horizon`) for non-log-concave data."""
    tau = v.positive("tau", tau)
    n = v.positive_int("n_steps", n_steps, maximum=None)
    d = v.positive_int("dim", dim)
    m2 = v.positive("m2", m2, allow_zero=True)
    eps0 = v.positive("eps0", eps0, allow_zero=True)
    H = v.positive("H", H, allow_zero=True)
    return float((m2 + d) * np.exp(-tau) + tau * eps0 ** 2 + d * tau ** 2 * H ** 2 / n)


def _dim_factor(d: int) -> float:
    return float(d * (d * np.log(d)) ** 2)


def case_two_bound(tau: float, n_steps: int, *, dim: int, m2: float, eps0: float, L: float,
                   C: float = 1.0) -> float:
    r"""Shape of Case II (Mooney et al., Theorem 4.3 camera-ready / 4.4 submission, as quoted by a reviewer):

    .. math:: (M_2 + n)\,e^{-T} + T \epsilon_0^2 + \frac{C L^6\, T\, n (n \log n)^2}{N}

    for any :math:`T` (paper's OU time).  The dimension factor :math:`n (n\log n)^2` is an
    asymptotic statement and vanishes at ``dim = 1``; use ``dim >= 2``."""
    tau = v.positive("tau", tau)
    n = v.positive_int("n_steps", n_steps, maximum=None)
    d = v.positive_int("dim", dim)
    if d < 2:
        raise ValueError("dim must be >= 2 (the factor n (n log n)^2 vanishes at n = 1)")
    m2 = v.positive("m2", m2, allow_zero=True)
    eps0 = v.positive("eps0", eps0, allow_zero=True)
    L = v.positive("L", L)
    C = v.positive("C", C)
    return float((m2 + d) * np.exp(-tau) + tau * eps0 ** 2 + C * L ** 6 * tau * _dim_factor(d) / n)


def case_two_steps(dim: int | np.ndarray, *, L: float, tau: float, accuracy: float,
                   C: float = 1.0) -> np.ndarray | float:
    r"""Steps that make the Case-II discretisation term at most ``accuracy``:
    :math:`N = \lceil C L^6 T n (n \log n)^2 / \text{accuracy} \rceil` (so :math:`N = O(n^3 \log^2 n)`)."""
    d = np.asarray(dim)
    if d.dtype.kind not in "iu" or np.any(d < 2):
        raise ValueError("dim must be integer(s) >= 2")
    L = v.positive("L", L)
    tau = v.positive("tau", tau)
    acc = v.positive("accuracy", accuracy)
    C = v.positive("C", C)
    df = d * (d * np.log(d)) ** 2
    out = np.ceil(C * L ** 6 * tau * df / acc)
    return scalar_or_array(out)


def early_stopping_lipschitz(delta: float | np.ndarray, M: float) -> np.ndarray | float:
    r"""Lipschitz constant used for compactly supported data with early stopping at OU time
    :math:`\delta` (Mooney et al., Section 6.3 of the camera-ready, reconstructed form):
    :math:`L_\delta = 1 + 1/\delta + M^2/\delta^2`, :math:`M` the radius of the support."""
    d = v.finite_array("delta", delta)
    if np.any(d <= 0):
        raise ValueError("delta must be > 0")
    M = v.positive("M", M, allow_zero=True)
    out = 1.0 + 1.0 / d + M * M / (d * d)
    return scalar_or_array(out)
