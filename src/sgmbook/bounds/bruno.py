r"""Inequalities of Bruno et al. (arXiv 2311.13584), in the book's clock :math:`dX = -X dt + \sqrt2 dB`.

The paper's full text could not be consulted; the shape of its general bound is known, its constants
are not.  Functions here say which parts are the paper's and which are derived in the book.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from .. import _validate as v
from .. import schemes
from .._numerics import scalar_or_array

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
    return scalar_or_array(out)


def log_concavity_floor(L: float) -> float:
    r""":math:`\hat L = \min(1, L)`, a uniform-in-time lower bound of :func:`log_concavity_along_ou`
    (derived in the book).  The paper's general bound has a constant written :math:`\widehat L_{MO}` in
    its exponent; reading it as :math:`\min(1, L_{MO})` is the book's reconstruction, not a statement
    confirmed from the paper's text."""
    return min(1.0, v.positive("L", L))


# ---------------------------------------------------------------------------------------------------
# The four-term bound, with constants derived in the book (chapter "The strongly log-concave theory").
# Only the *shape*  C1 sqrt(eps) + C2 exp(-2 Lhat (T - eps) - eps) + C3(T, eps) sqrt(eps_SN) + C4 gamma^alpha
# is the paper's; every constant below is proved in the chapter.
# ---------------------------------------------------------------------------------------------------
__all__ += [
    "ScoreModelConstants", "FourTermBound", "Prescription", "backward_contraction",
    "early_stopping_term", "early_stopping_constant", "initialisation_term", "score_error_constant",
    "auxiliary_moment_bound", "discretisation_term", "discretisation_constant",
    "discretisation_exponent", "discretisation_step_limit", "four_term_bound", "prescribe",
]


@dataclass(frozen=True)
class ScoreModelConstants:
    r"""Regularity of a score model :math:`s(t, x)` for forward times :math:`t \in [\varepsilon, T]`
    (the book's assumptions on the approximator, derived here, not the paper's wording):

    * ``lipschitz`` :math:`\ell`: :math:`|s(t,x) - s(t,y)| \le \ell |x - y|`;
    * ``monotonicity`` :math:`\kappa`: :math:`\langle s(t,x) - s(t,y), x - y\rangle \le -\kappa |x-y|^2`;
    * ``time_m0``, ``time_m1``, ``alpha`` :math:`(M_0, M_1, \alpha)`:
      :math:`|s(t,x) - s(t',x)| \le (M_0 + M_1 |x|)\,|t - t'|^\alpha`;
    * ``s0`` :math:`S_0`: :math:`\sup_t |s(t, 0)|`.
    """

    lipschitz: float
    monotonicity: float
    time_m0: float
    time_m1: float
    alpha: float
    s0: float

    def __post_init__(self) -> None:
        K = v.positive("lipschitz", self.lipschitz)
        kappa = float(self.monotonicity)
        if not np.isfinite(kappa) or kappa > K:
            raise ValueError(f"monotonicity must be finite and <= lipschitz={K:g}, got {self.monotonicity!r}")
        v.positive("time_m0", self.time_m0, allow_zero=True)
        v.positive("time_m1", self.time_m1, allow_zero=True)
        a = v.positive("alpha", self.alpha)
        if a > 1:
            raise ValueError(f"alpha must be in (0, 1], got {self.alpha!r}")
        v.positive("s0", self.s0, allow_zero=True)


class FourTermBound(NamedTuple):
    """The four terms of the bound and their sum (all W2 units)."""

    early_stopping: float
    initialisation: float
    score_error: float
    discretisation: float

    @property
    def total(self) -> float:
        return float(self.early_stopping + self.initialisation + self.score_error + self.discretisation)


class Prescription(NamedTuple):
    """Parameters that make each of the four terms at most ``delta / 4``."""

    eps: float
    T: float
    eps_sn: float
    gamma: float
    n_steps: int


def backward_contraction(T: float, eps: float | np.ndarray, L: float, *, sharp: bool = False) -> np.ndarray | float:
    r"""Contraction factor of two synchronously coupled copies of the reverse SDE with the exact score,
    run from forward time ``T`` down to forward time ``eps`` (derived in the book):

    .. math:: |Y_{T-\varepsilon} - Y'_{T-\varepsilon}| \le \Phi\, |Y_0 - Y'_0|, \qquad
              \Phi = \exp\!\int_\varepsilon^T (1 - 2L_t)\,dt
              = e^{T-\varepsilon}\,\frac{1 - L + L e^{2\varepsilon}}{1 - L + L e^{2T}}

    with :math:`L_t` of :func:`log_concavity_along_ou` (``sharp=True``), or the cruder
    :math:`\Phi = e^{(1 - 2\hat L)(T - \varepsilon)}` with :math:`\hat L = \min(1, L)` (default; the
    rate of the paper's bound).  ``eps`` may be an array of times in ``(0, T]``: the lemma needs
    :math:`\varepsilon > 0` (:math:`-\nabla^2\log p_t \preceq \sigma_\varepsilon^{-2} I`); ``eps <= 0`` raises.
    """
    T = v.positive("T", T)
    e = v.times("eps", eps)
    if np.any(e > T) or np.any(e <= 0):
        raise ValueError(f"eps must be in (0, T] = (0, {T:g}] (the lemma needs eps > 0), got "
                         f"values in [{float(np.min(e)):g}, {float(np.max(e)):g}]")
    L = v.positive("L", L)
    if sharp:
        # log(1 - L + L e^{2t}) = 2t + log(L + (1 - L) e^{-2t}), stable for large t
        def lg(t):
            return 2.0 * t + np.log(L + (1.0 - L) * np.exp(-2.0 * t))
        out = np.exp((T - e) + lg(e) - lg(T))
    else:
        out = np.exp((1.0 - 2.0 * min(1.0, L)) * (T - e))
    return scalar_or_array(out)


def early_stopping_term(eps: float, d: int, m2: float) -> float:
    r""":math:`W_2(\pi_D, p_\varepsilon) \le \sqrt{(1 - e^{-\varepsilon})^2 m_2 + (1 - e^{-2\varepsilon}) d}`
    with :math:`m_2 = E|X_0|^2` (derived in the book: synchronous coupling :math:`X_0 \mapsto X_\varepsilon`)."""
    eps = v.positive("eps", eps, allow_zero=True)
    d = v.positive_int("d", d)
    m2 = v.positive("m2", m2, allow_zero=True)
    return float(np.sqrt(np.expm1(-eps) ** 2 * m2 - np.expm1(-2.0 * eps) * d))


def early_stopping_constant(d: int, m2: float) -> float:
    r""":math:`C_1 = \sqrt{2d + m_2}`: :func:`early_stopping_term` :math:`\le C_1 \sqrt\varepsilon` for
    :math:`\varepsilon \le 1` (derived in the book)."""
    d = v.positive_int("d", d)
    m2 = v.positive("m2", m2, allow_zero=True)
    return float(np.sqrt(2.0 * d + m2))


def initialisation_term(T: float, eps: float, L: float, w2_data_to_gaussian: float) -> float:
    r""":math:`C_2 e^{-2\hat L (T - \varepsilon) - \varepsilon}` with :math:`C_2 = W_2(\pi_D, N(0, I))`
    and :math:`\hat L = \min(1, L)` (the shape is the paper's; the constant is derived in the book:
    OU contraction :math:`e^{-T}` times :func:`backward_contraction`); ``eps <= 0`` raises."""
    T, eps = v.horizon(T, eps)
    if eps <= 0:
        raise ValueError(f"eps must be > 0 (the contraction lemma needs it), got {eps:g}")
    L = v.positive("L", L)
    c2 = v.positive("w2_data_to_gaussian", w2_data_to_gaussian, allow_zero=True)
    return float(c2 * np.exp(-2.0 * min(1.0, L) * (T - eps) - eps))


def _int_exp(rate: float, tau: float) -> float:
    r""":math:`\int_0^\tau e^{-2 r u}\,du` for any real ``rate`` r."""
    if rate == 0.0:
        return float(tau)
    return float(-np.expm1(-2.0 * rate * tau) / (2.0 * rate))


def score_error_constant(T: float, eps: float, L: float) -> float:
    r""":math:`C_3(T, \varepsilon) = 2 \bigl(\int_0^{T-\varepsilon} e^{-2(2\hat L - 1)u}\,du\bigr)^{1/2}`
    (derived in the book); it stays below :math:`\sqrt{2/(2\hat L - 1)}` when :math:`\hat L > 1/2`.
    The score error is :math:`\varepsilon_{SN} = \int_0^{T-\varepsilon} E|\nabla\log p_{T-r}(\tilde Y_r)
    - s(T-r, \tilde Y_r)|^2 dr` along the auxiliary process :math:`\tilde Y`.  Defined for
    :math:`\varepsilon = 0`, but the proposition needs :math:`\varepsilon > 0` (or Gaussian data)."""
    T, eps = v.horizon(T, eps)
    L = v.positive("L", L)
    return float(2.0 * np.sqrt(_int_exp(2.0 * min(1.0, L) - 1.0, T - eps)))


def auxiliary_moment_bound(d: int, consts: ScoreModelConstants) -> float:
    r"""Bound on :math:`\sup_s E|\tilde Y_s|^2` for the auxiliary process started at :math:`N(0, I_d)`
    (derived in the book): with :math:`\lambda = 2\kappa - 1 > 0`,

    .. math:: \sup_s E|\tilde Y_s|^2 \le \max\Bigl(d,\ \frac{2d + 4 S_0^2/\lambda}{\lambda}\Bigr).
    """
    d = v.positive_int("d", d)
    if not isinstance(consts, ScoreModelConstants):
        raise TypeError("consts must be a ScoreModelConstants")
    lam = 2.0 * consts.monotonicity - 1.0
    if lam <= 0:
        raise ValueError(f"consts.monotonicity must be > 1/2 for the moment bound, got {consts.monotonicity:g}")
    return float(max(d, (2.0 * d + 4.0 * consts.s0 ** 2 / lam) / lam))


# Schemes of sgmbook.schemes (a = 1 + u, c = 2u) in the lemma: (gamma(u), weights (w1, w2)(ell, e^gamma)).
_DISC_SCHEMES: dict[str, tuple[Callable, Callable]] = {
    "em": (lambda u: u, lambda ell, eg: (1.0 + 2.0 * ell, 2.0)),
    "ei": (lambda u: float(np.log1p(u)), lambda ell, eg: (2.0 * ell * eg, 2.0 * eg))}


def _disc_scheme(scheme: str) -> tuple[Callable, Callable]:
    """The lemma's entry; an unknown name raises ValueError naming ``scheme`` and the allowed ones."""
    schemes.get(scheme)
    if scheme not in _DISC_SCHEMES:
        raise ValueError(f"scheme must be one of {sorted(_DISC_SCHEMES)} here, got {scheme!r}")
    return _DISC_SCHEMES[scheme]


def discretisation_term(T: float, eps: float, n_steps: int, d: int, consts: ScoreModelConstants,
                        scheme: str) -> float:
    r"""Bound on :math:`W_2(\mathcal L(\tilde Y_{T-\varepsilon}), \mathcal L(Y^{alg}_K))` for a uniform
    grid of ``n_steps`` steps :math:`\gamma = (T-\varepsilon)/K` (derived in the book).

    With the step :math:`Y' = aY + c\,s + \text{noise}` (:func:`sgmbook.schemes.coefficients`),
    :math:`\rho = (a^2 - 2ac\kappa + c^2\ell^2)^{1/2}` (:math:`\ell` the Lipschitz constant), :math:`\tilde m`
    from :func:`auxiliary_moment_bound`, :math:`\bar B = (1 + 2\ell)\tilde m + 2S_0` and

    .. math:: r(\gamma) = w_1\Bigl(\frac{\bar B\gamma^2}{2} + \frac{2\sqrt{2d}}{3}\gamma^{3/2}\Bigr)
              + w_2 (M_0 + M_1\tilde m)\frac{\gamma^{1+\alpha}}{1+\alpha},

    (:math:`(w_1, w_2) = (1 + 2\ell, 2)` for Euler-Maruyama, :math:`(2\ell e^\gamma, 2e^\gamma)` for the
    exponential integrator), the bound is :math:`D(\gamma) = r(\gamma)\sum_{j<K}\rho^j` (valid for every
    step; see :func:`discretisation_constant` for the power law in :math:`\gamma`).
    """
    T, eps = v.horizon(T, eps)
    K = v.positive_int("n_steps", n_steps, maximum=None)
    d = v.positive_int("d", d)
    entry = _disc_scheme(scheme)
    m_tilde = np.sqrt(auxiliary_moment_bound(d, consts))
    g = (T - eps) / K
    a, c, _ = (float(z) for z in schemes.coefficients(scheme, g))
    Kx, kappa = consts.lipschitz, consts.monotonicity
    rho2 = a * a - 2.0 * a * c * kappa + c * c * Kx * Kx
    rho = np.sqrt(max(rho2, 0.0))
    w1, w2 = entry[1](Kx, float(np.exp(g)))
    Bbar = (1.0 + 2.0 * Kx) * m_tilde + 2.0 * consts.s0
    al = consts.alpha
    r = (w1 * (Bbar * g * g / 2.0 + 2.0 * np.sqrt(2.0 * d) / 3.0 * g ** 1.5)
         + w2 * (consts.time_m0 + consts.time_m1 * m_tilde) * g ** (1.0 + al) / (1.0 + al))
    if rho == 0.0:
        geo = 1.0
    else:
        lr = np.log(rho)
        geo = float(K) if abs(lr) < 1e-300 else float(np.expm1(K * lr) / np.expm1(lr))
    return float(r * geo)


def _curvature_ratio(consts: ScoreModelConstants) -> tuple[float, float]:
    """(lambda, lambda / (4 l^2 - 4 kappa + 1)) with lambda = 2 kappa - 1 > 0."""
    if not isinstance(consts, ScoreModelConstants):
        raise TypeError("consts must be a ScoreModelConstants")
    lam = 2.0 * consts.monotonicity - 1.0
    if lam <= 0:
        raise ValueError(f"consts.monotonicity must be > 1/2, got {consts.monotonicity:g}")
    ell, kappa = consts.lipschitz, consts.monotonicity
    # 4 l^2 - 4 kappa + 1 >= (2 kappa - 1)^2 = lambda^2 > 0 because l >= kappa
    return lam, lam / (4.0 * ell * ell - 4.0 * kappa + 1.0)


def discretisation_step_limit(consts: ScoreModelConstants, scheme: str) -> float:
    r"""Largest step :math:`\gamma_0` for which :func:`discretisation_constant` applies (derived in the book).

    With :math:`\lambda = 2\kappa - 1 > 0` and :math:`g_0 = \min\{1, \lambda/(4\ell^2 - 4\kappa + 1)\}`:
    :math:`\gamma_0 = g_0` for Euler-Maruyama and :math:`\gamma_0 = \log(1 + g_0)` for the exponential
    integrator.  For :math:`\gamma \le \gamma_0` the one-step factor satisfies
    :math:`\rho \le 1 - \lambda\gamma/2`, because :math:`\rho^2 = 1 - 2\lambda u + u^2(4\ell^2 - 4\kappa + 1)`
    with :math:`u = \gamma` (EM) or :math:`u = e^\gamma - 1 \ge \gamma` (EI).
    """
    entry = _disc_scheme(scheme)
    _, ratio = _curvature_ratio(consts)
    g0 = min(1.0, ratio)
    return float(entry[0](g0))


def discretisation_exponent(consts: ScoreModelConstants) -> float:
    r"""The proven exponent :math:`p = \min(\alpha, 1/2)` of :func:`discretisation_constant` (derived in
    the book); an error :math:`\le C\gamma^p` has measured order at least :math:`p` as :math:`\gamma \to 0`."""
    if not isinstance(consts, ScoreModelConstants):
        raise TypeError("consts must be a ScoreModelConstants")
    return float(min(consts.alpha, 0.5))


def discretisation_constant(d: int, consts: ScoreModelConstants, scheme: str) -> float:
    r"""Explicit :math:`C_4` with :math:`D(\gamma) \le C_4\,\gamma^{\min(\alpha, 1/2)}` for every step
    :math:`\gamma \le` :func:`discretisation_step_limit` (derived in the book; :math:`C_4` does not depend
    on :math:`\gamma`, and depends on :math:`(T, \varepsilon)` only through the model's constants):

    .. math:: C_4 = \frac{2}{\lambda}\Bigl[\bar w_1\Bigl(\frac{\bar B}{2} + \frac{2\sqrt{2d}}{3}\Bigr)
              + \bar w_2\,\frac{M_0 + M_1\tilde m}{1+\alpha}\Bigr],

    with :math:`(\bar w_1, \bar w_2) = (1 + 2\ell, 2)` for Euler-Maruyama and :math:`(1 + g_0)(2\ell, 2)` for
    the exponential integrator (:math:`e^\gamma \le 1 + g_0`).  Proof: :math:`\sum_{j<K}\rho^j \le
    1/(1-\rho) \le 2/(\lambda\gamma)`, and :math:`\gamma, \gamma^{1/2}, \gamma^\alpha \le \gamma^{\min(\alpha,1/2)}`
    for :math:`\gamma \le 1`.
    """
    d = v.positive_int("d", d)
    gmax = discretisation_step_limit(consts, scheme)
    lam, ratio = _curvature_ratio(consts)
    ell = consts.lipschitz
    m_tilde = np.sqrt(auxiliary_moment_bound(d, consts))
    Bbar = (1.0 + 2.0 * ell) * m_tilde + 2.0 * consts.s0
    w1, w2 = _disc_scheme(scheme)[1](ell, float(np.exp(gmax)))  # e^gamma <= e^gamma_0
    inner = (w1 * (Bbar / 2.0 + 2.0 * np.sqrt(2.0 * d) / 3.0)
             + w2 * (consts.time_m0 + consts.time_m1 * m_tilde) / (1.0 + consts.alpha))
    return float(2.0 / lam * inner)


def four_term_bound(*, T: float, eps: float, n_steps: int, d: int, m2: float, L: float,
                    w2_data_to_gaussian: float, eps_sn: float, consts: ScoreModelConstants,
                    scheme: str) -> FourTermBound:
    r"""The four terms (derived in the book; the shape is the paper's)

    .. math::

        \begin{aligned}
        W_2(\mathcal L(Y^{alg}_K), \pi_D) \le{}& \underbrace{\sqrt{(1-e^{-\varepsilon})^2 m_2
          + (1-e^{-2\varepsilon})d}}_{\le C_1\sqrt\varepsilon}
          + C_2 e^{-2\hat L(T-\varepsilon)-\varepsilon}\\
          &+ C_3(T,\varepsilon)\sqrt{\varepsilon_{SN}}
          + \underbrace{r(\gamma)\textstyle\sum_{j<K}\rho^j}_{D(\gamma)},
        \end{aligned}

    and :math:`D(\gamma) \le C_4\gamma^{\min(\alpha,1/2)}` for :math:`\gamma \le \gamma_0`
    (:func:`discretisation_constant`, :func:`discretisation_step_limit`).
    """
    eps_sn = v.positive("eps_sn", eps_sn, allow_zero=True)
    return FourTermBound(
        early_stopping_term(eps, d, m2),
        initialisation_term(T, eps, L, w2_data_to_gaussian),
        score_error_constant(T, eps, L) * float(np.sqrt(eps_sn)),
        discretisation_term(T, eps, n_steps, d, consts, scheme),
    )


def prescribe(delta: float, *, d: int, m2: float, L: float, w2_data_to_gaussian: float,
              consts_for: Callable[[float, float, float], "ScoreModelConstants"], scheme: str, max_steps: int = 10 ** 9) -> tuple[Prescription, ScoreModelConstants]:
    r"""Parameters making each term of :func:`four_term_bound` at most :math:`\delta/4` (derived in the book):

    * :math:`\varepsilon = \min\{1, (\delta / (4C_1))^2\}` (so :math:`C_1\sqrt\varepsilon \le \delta/4`);
    * :math:`T = \varepsilon + \max\{\log(4C_2/\delta) - \varepsilon, 0\}/(2\hat L)`, plus a floor so :math:`T > \varepsilon`;
    * :math:`\varepsilon_{SN} = (\delta/(4C_3(T,\varepsilon)))^2`;
    * a number of steps :math:`K` with discretisation term :math:`\le \delta/4` and :math:`K - 1` steps failing,
      found by doubling and bisection on :math:`K` (the smallest such :math:`K` if the term decreases in
      :math:`K`, which is not proved).

    ``consts_for(eps, T, eps_sn)`` returns the :class:`ScoreModelConstants` of the score model that
    realises the prescribed score error (its constants may depend on it).  Returns the prescription and
    those constants.
    """
    delta = v.positive("delta", delta)
    if not callable(consts_for):
        raise TypeError("consts_for must be a callable (eps, T, eps_sn) -> ScoreModelConstants")
    c1 = early_stopping_constant(d, m2)
    eps = min(1.0, (delta / (4.0 * c1)) ** 2)
    c2 = v.positive("w2_data_to_gaussian", w2_data_to_gaussian, allow_zero=True)
    Lh = min(1.0, v.positive("L", L))
    gap = max(np.log(4.0 * c2 / delta) - eps, 0.0) / (2.0 * Lh) if c2 > 0 else 0.0
    T = eps + max(gap, 1e-3)
    eps_sn = (delta / (4.0 * score_error_constant(T, eps, L))) ** 2
    consts = consts_for(eps, T, eps_sn)
    if not isinstance(consts, ScoreModelConstants):
        raise TypeError(f"consts_for ({v.callable_name(consts_for)}) returned {v._show(consts)}, expected a "
                        f"ScoreModelConstants")

    def disc(k: int) -> float:
        try:
            return discretisation_term(T, eps, k, d, consts, scheme)
        except ValueError as exc:
            raise ValueError(f"prescribe(delta={delta:g}, L={L:g}) asks for T = {T:.4g}: {exc}") from exc

    target = delta / 4.0
    hi = 1
    while disc(hi) > target:
        hi *= 2
        if hi > max_steps:
            raise ValueError(f"more than max_steps={max_steps} steps would be needed for delta={delta:g}")
    lo = max(hi // 2, 1)
    if disc(lo) <= target:
        hi = lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if disc(mid) <= target:
            hi = mid
        else:
            lo = mid
    return Prescription(eps, T, eps_sn, (T - eps) / hi, hi), consts
