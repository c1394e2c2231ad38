r"""Exact counterparts of the terms of the four-term bound (:mod:`sgmbook.bounds.bruno`), and tight cases.

Each term of the bound of the chapter "The strongly log-concave theory" controls one distance of a
triangle inequality,

.. math:: W_2(\mathcal L(Y_K), \pi_D) \le W_2(\pi_D, p_\varepsilon)
          + W_2(p_\varepsilon, \mathcal L(\bar Y_{T-\varepsilon}))
          + W_2(\mathcal L(\bar Y_{T-\varepsilon}), \mathcal L(\tilde Y_{T-\varepsilon}))
          + W_2(\mathcal L(\tilde Y_{T-\varepsilon}), \mathcal L(Y_K)),

with :math:`\bar Y` the reverse SDE with the exact score started at :math:`N(0, I)`, :math:`\tilde Y` the
auxiliary process (model score, same start) and :math:`Y_K` the scheme.  For a diagonal Gaussian target
:math:`N(\mu, \mathrm{diag}(c))` and the model :math:`s(t, x) = \nabla\log p_t(x) + \eta e^{-t}u` every
law is Gaussian and known in closed form, so each distance is exact (:func:`gaussian_term_counterparts`).
The module needs only numpy and the scheme table :mod:`sgmbook.schemes`, so that a term can be compared with its counterpart without
any sampler of the package.  Everything here is derived in the book; nothing is the papers'.

Tight cases: :func:`gaussian_early_stopping` for :math:`c \to 0` (the lemma's coupling is then optimal),
and :func:`constant_drift_moment` with :func:`constant_drift_constants` for the moment lemma.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import _validate as v
from .. import schemes
from .bruno import ScoreModelConstants

__all__ = ["GaussianTermCounterparts", "gaussian_early_stopping", "gaussian_term_counterparts",
           "gaussian_bias_constants", "mixture_early_stopping", "constant_drift_moment",
           "constant_drift_constants"]


class GaussianTermCounterparts(NamedTuple):
    """Exact distances controlled by the four terms, and the exact total error (all W2)."""

    early_stopping: float
    initialisation: float
    score_error: float
    discretisation: float
    total: float


def _diag_target(mean, cov) -> tuple[np.ndarray, np.ndarray]:
    mu = v.finite_array("mean", mean, ndim=1)
    c = v.finite_array("cov", cov, ndim=1)
    if c.shape != mu.shape:
        raise ValueError(f"cov must be a diagonal of length {mu.shape[0]}, got shape {c.shape}")
    if np.any(c <= 0):
        raise ValueError(f"cov must be > 0 (a diagonal of variances), got min {float(c.min())!r}")
    return mu, c


def _w2_diag(m1, v1, m2, v2) -> float:
    r""":math:`W_2` between diagonal Gaussians: :math:`(|m_1 - m_2|^2 + \sum_i(\sqrt{v_{1i}} - \sqrt{v_{2i}})^2)^{1/2}`."""
    return float(np.sqrt(np.sum((m1 - m2) ** 2) + np.sum((np.sqrt(v1) - np.sqrt(v2)) ** 2)))


def _var(c: np.ndarray, t: float) -> np.ndarray:
    """Variance of p_t per coordinate: 1 + e^{-2t}(c - 1)."""
    return 1.0 + np.exp(-2.0 * t) * (c - 1.0)


def gaussian_early_stopping(mean: np.ndarray, cov: np.ndarray, eps: float) -> float:
    r"""Exact :math:`W_2(\pi_D, p_\varepsilon)` for :math:`\pi_D = N(\mu, \mathrm{diag}(c))`:

    .. math:: W_2^2 = (1 - e^{-\varepsilon})^2|\mu|^2 + \sum_i\bigl(\sqrt{c_i} - \sqrt{e^{-2\varepsilon}c_i
              + 1 - e^{-2\varepsilon}}\bigr)^2 .

    As :math:`c \to 0` this tends to :func:`sgmbook.bounds.bruno.early_stopping_term` with
    :math:`m_2 = |\mu|^2`: the lemma's coupling (independent noise) is optimal for a point mass, so the
    lemma is tight (derived in the book).
    """
    mu, c = _diag_target(mean, cov)
    eps = v.positive("eps", eps, allow_zero=True)
    return _w2_diag(mu, c, np.exp(-eps) * mu, _var(c, eps))


def _coefficients(h: float, scheme: str) -> tuple[float, float, float]:
    """(a, c, w) of the step Y' = a Y + c s + sqrt(w) Z, from the table :mod:`sgmbook.schemes`
    (EM (1+h, 2h, 2h), EI (e^h, 2(e^h-1), e^{2h}-1))."""
    return tuple(float(z) for z in schemes.coefficients(scheme, h))


def _bias_shift(c: np.ndarray, b: np.ndarray, T: float, eps: float) -> np.ndarray:
    r"""Mean shift :math:`2b_i\int_\varepsilon^T \Phi_i(t)e^{-t}dt` of the auxiliary process caused by the
    bias :math:`e^{-t}b`, with :math:`\Phi_i(t) = e^{-(t-\varepsilon)}v_i(\varepsilon)/v_i(t)`:
    :math:`b_i e^{\varepsilon}v_i(\varepsilon)\,[\log(1 + \delta_i e^{-2\varepsilon}) - \log(1 + \delta_i e^{-2T})]/\delta_i`,
    :math:`\delta_i = c_i - 1` (a series for small :math:`|\delta_i|`)."""
    delta = c - 1.0
    w1, w2 = np.exp(-2.0 * T), np.exp(-2.0 * eps)
    small = np.abs(delta) < 1e-6
    safe = np.where(small, 1.0, delta)
    quotient = np.where(small,
                        (w2 - w1) - delta * (w2 ** 2 - w1 ** 2) / 2.0 + delta ** 2 * (w2 ** 3 - w1 ** 3) / 3.0,
                        (np.log1p(safe * w2) - np.log1p(safe * w1)) / safe)
    return b * np.exp(eps) * (1.0 + delta * w2) * quotient


def gaussian_term_counterparts(mean: np.ndarray, cov: np.ndarray, *, eta: float, T: float, eps: float,
                               n_steps: int, scheme: str,
                               direction: np.ndarray | None = None) -> GaussianTermCounterparts:
    r"""The exact distances bounded by the four terms, for :math:`\pi_D = N(\mu, \mathrm{diag}(c))` and the
    model :math:`s(t, x) = \nabla\log p_t(x) + \eta e^{-t}u` (:math:`u` = ``direction`` normalised,
    default :math:`(1, \dots, 1)/\sqrt d`), on the uniform grid of ``n_steps`` steps from ``T`` to ``eps``.

    Two solutions of the (linear) reverse SDE with the same noise differ by
    :math:`\Phi_i = e^{-(T-\varepsilon)}v_i(\varepsilon)/v_i(T)` times their initial difference
    (:math:`v_i(t) = 1 + e^{-2t}(c_i - 1)`); comparing with the solution from :math:`p_T`, whose law at the
    end is :math:`p_\varepsilon`, gives :math:`\mathcal L(\bar Y_{T-\varepsilon}) =
    N(e^{-\varepsilon}\mu - \Phi e^{-T}\mu,\ v(\varepsilon) + \Phi^2(1 - v(T)))`; the bias shifts the mean
    by :func:`_bias_shift` and leaves the variance.  The scheme's law follows the exact recursion
    :math:`m_{k+1} = M_k m_k + c\,\beta_k`, :math:`S_{k+1} = M_k^2 S_k + w` with
    :math:`M_k = a - c/v(t_k)` and :math:`\beta_k = e^{-t_k}(\mu/v(t_k) + \eta u)` (a loop over the steps,
    vectorised over coordinates).  Returns the early-stopping, initialisation, score-error and
    discretisation counterparts and the exact total :math:`W_2(\mathcal L(Y_K), \pi_D)`.
    """
    mu, c = _diag_target(mean, cov)
    eta = v.positive("eta", eta, allow_zero=True)
    T, eps = v.horizon(T, eps)
    K = v.positive_int("n_steps", n_steps)
    v.scheme(scheme)
    d = mu.shape[0]
    u = np.ones(d) if direction is None else v.finite_array("direction", direction, ndim=1)
    if u.shape != (d,) or not np.linalg.norm(u) > 0:
        raise ValueError(f"direction must be a non-zero vector of length {d}, got shape {u.shape}")
    u = u / np.linalg.norm(u)
    v_eps, v_T = _var(c, eps), _var(c, T)
    phi = np.exp(-(T - eps)) * v_eps / v_T
    m_bar = np.exp(-eps) * mu - phi * np.exp(-T) * mu
    s_bar = v_eps + phi ** 2 * (1.0 - v_T)
    m_aux = m_bar + _bias_shift(c, eta * u, T, eps)
    h = (T - eps) / K
    a, cc, w = _coefficients(h, scheme)
    m, S = np.zeros(d), np.ones(d)
    for k in range(K):
        t = T - k * h
        vt = _var(c, t)
        M = a - cc / vt
        m = M * m + cc * np.exp(-t) * (mu / vt + eta * u)
        S = M * M * S + w
    return GaussianTermCounterparts(
        early_stopping=_w2_diag(mu, c, np.exp(-eps) * mu, v_eps),
        initialisation=_w2_diag(np.exp(-eps) * mu, v_eps, m_bar, s_bar),
        score_error=float(np.linalg.norm(m_aux - m_bar)),
        discretisation=_w2_diag(m_aux, s_bar, m, S),
        total=_w2_diag(m, S, mu, c),
    )


def gaussian_bias_constants(mean: np.ndarray, cov: np.ndarray, eta: float) -> ScoreModelConstants:
    r"""Constants (:class:`~sgmbook.bounds.bruno.ScoreModelConstants`) of the model
    :math:`s(t, x) = \nabla\log p_t(x) + \eta e^{-t}u` on :math:`N(\mu, \mathrm{diag}(c))` for
    :math:`t \ge 0` (derived in the book).  The exact score is :math:`s_i = -x_i/v_i(t) + \mu_i e^{-t}/v_i(t)`,
    :math:`v_i = 1 + e^{-2t}(c_i - 1)`; with :math:`\underline v_i = \min(c_i, 1)` and
    :math:`G_i = 1/\underline v_i + 2|c_i - 1|/\underline v_i^2`: :math:`\ell = \max_i 1/\underline v_i`,
    :math:`\kappa = 1/\max(1, \max_i c_i)`, :math:`M_0 = |(\mu_i G_i)_i| + \eta`,
    :math:`M_1 = \max_i 2|c_i - 1|/\underline v_i^2`, :math:`\alpha = 1`,
    :math:`S_0 = |(\mu_i/\underline v_i)_i| + \eta`.  The same constants as
    ``sgmbook.bounds.bruno_models.gaussian_model_constants`` (``kind="const"``), restated here so that this module
    needs nothing but :mod:`sgmbook.bounds.bruno`.
    """
    mu, c = _diag_target(mean, cov)
    eta = v.positive("eta", eta, allow_zero=True)
    vmin = np.minimum(c, 1.0)
    G = 1.0 / vmin + 2.0 * np.abs(c - 1.0) / vmin ** 2
    return ScoreModelConstants(
        lipschitz=float(np.max(1.0 / vmin)),
        monotonicity=float(1.0 / max(1.0, float(c.max()))),
        time_m0=float(np.linalg.norm(mu * G)) + eta,
        time_m1=float(np.max(2.0 * np.abs(c - 1.0) / vmin ** 2)),
        alpha=1.0,
        s0=float(np.linalg.norm(mu / vmin)) + eta,
    )


def mixture_early_stopping(a: float, variance: float, w: float, eps: float, *, n: int = 40001) -> float:
    r"""Exact :math:`W_2(\pi_D, p_\varepsilon)` for :math:`\pi_D = wN(a, v) + (1-w)N(-a, v)` by quadrature of
    :math:`\int_0^1 (F^{-1}(q) - F_\varepsilon^{-1}(q))^2\,dq` (closed-form CDFs, quantiles by monotone
    interpolation on ``n`` points of :math:`[-12, 12]`; the midpoint rule in :math:`q`).  Here
    :math:`p_\varepsilon = wN(ae^{-\varepsilon}, v_\varepsilon) + (1-w)N(-ae^{-\varepsilon}, v_\varepsilon)`,
    :math:`v_\varepsilon = 1 + e^{-2\varepsilon}(v - 1)`.
    """
    from scipy.special import ndtr

    a = v.real("a", a)
    var = v.positive("variance", variance)
    w = v.real("w", w)
    if not 0.0 <= w <= 1.0:
        raise ValueError(f"w must be in [0, 1], got {w!r}")
    eps = v.positive("eps", eps, allow_zero=True)
    n = v.positive_int("n", n)
    x = np.linspace(-12.0, 12.0, n)

    def cdf(m: float, s2: float) -> np.ndarray:
        sd = np.sqrt(s2)
        return w * ndtr((x - m) / sd) + (1.0 - w) * ndtr((x + m) / sd)

    F0 = cdf(a, var)
    Fe = cdf(a * np.exp(-eps), 1.0 + np.exp(-2.0 * eps) * (var - 1.0))
    q = (np.arange(n) + 0.5) / n
    return float(np.sqrt(np.mean((np.interp(q, F0, x) - np.interp(q, Fe, x)) ** 2)))


def constant_drift_moment(b: np.ndarray, a: float, s: float | np.ndarray) -> np.ndarray | float:
    r""":math:`E|\tilde Y_s|^2` for the auxiliary process of the model :math:`s(t, x) = -a x + b` (constant in
    time) started at :math:`N(0, I_d)`: :math:`d\tilde Y = ((1 - 2a)\tilde Y + 2b)ds + \sqrt2\,dB`, so with
    :math:`\lambda = 2a - 1 > 0`

    .. math:: E|\tilde Y_s|^2 = \frac{4|b|^2}{\lambda^2}(1 - e^{-\lambda s})^2
              + d\Bigl(e^{-2\lambda s} + \frac{1 - e^{-2\lambda s}}{\lambda}\Bigr).

    As :math:`s \to \infty` and :math:`|b| \to \infty` this approaches the bound
    :math:`(2d + 4|b|^2/\lambda)/\lambda` of :func:`sgmbook.bounds.bruno.auxiliary_moment_bound`: the
    moment lemma is tight (derived in the book).
    """
    bb = v.finite_array("b", b, ndim=1)
    a = v.real("a", a)
    lam = 2.0 * a - 1.0
    if lam <= 0:
        raise ValueError(f"a must be > 1/2 (lambda = 2a - 1 > 0), got {a!r}")
    ss = v.times("s", s)
    e = np.exp(-lam * ss)
    out = 4.0 * float(bb @ bb) / lam ** 2 * (1.0 - e) ** 2 + bb.size * (e * e + (1.0 - e * e) / lam)
    return float(out) if out.ndim == 0 else out


def constant_drift_constants(b: np.ndarray, a: float) -> ScoreModelConstants:
    r""":class:`~sgmbook.bounds.bruno.ScoreModelConstants` of :math:`s(t, x) = -a x + b`: Lipschitz and
    monotonicity constant :math:`a`, no time dependence (:math:`M_0 = M_1 = 0`, :math:`\alpha = 1`) and
    :math:`S_0 = |b|`."""
    bb = v.finite_array("b", b, ndim=1)
    a = v.positive("a", a)
    return ScoreModelConstants(lipschitz=a, monotonicity=a, time_m0=0.0, time_m1=0.0, alpha=1.0,
                               s0=float(np.linalg.norm(bb)))
