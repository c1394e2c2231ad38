r"""The book's bounds for the Gaussian-with-unknown-mean example of Bruno et al.

Bruno, Zhang, Lim, Akyildiz, Sabanis, arXiv 2311.13584, Section 3.1 (the section number as the
authors' public code gives it): data :math:`\pi_D = N(\mu, I_d)`, score model
:math:`s(t, x, \theta) = -x + e^{-t}\theta` trained by SGLD, samplers of the scheme table
:mod:`sgmbook.schemes` with step :math:`\gamma = (T-\varepsilon)/K` from :math:`N(0, I_d)`.  The paper's own
constants for this example could not be consulted: every formula here is **derived in the book**
(chapter "Gaussian with unknown mean", with proofs) and need not coincide with the paper's.

* :func:`early_stopping_term`, :func:`initialisation_term`: the two exact terms of the error split;
* :func:`discretisation_constants` (lemma "Discretisation constants") and
  :func:`discretisation_term` (its use in the bound);
* :func:`sgld_stationary_terms` and :func:`sgld_mse_bound` (proposition "SGLD error with explicit
  constants");
* :func:`w2_bound` (theorem "Full W2 bound") and :func:`bound_steps`, the step count it predicts.
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from .. import schemes
from ..training import loss_moments

__all__ = [
    "early_stopping_term",
    "initialisation_term",
    "continuous_coefficient",
    "discretisation_constants",
    "discretisation_term",
    "sgld_stationary_terms",
    "sgld_mse_bound",
    "w2_bound",
    "bound_steps",
]


def early_stopping_term(mu_norm: float, eps: float) -> float:
    r""":math:`W_2(\pi_D, \mathcal L(X_\varepsilon)) = (1 - e^{-\varepsilon})|\mu|`, exact (derived in the book:
    :math:`X_\varepsilon \sim N(e^{-\varepsilon}\mu, I_d)`)."""
    mu_norm = v.positive("mu_norm", mu_norm, allow_zero=True)
    eps = v.positive("eps", eps, allow_zero=True)
    return float(-np.expm1(-eps) * mu_norm)


def initialisation_term(mu_norm: float, T: float, eps: float = 0.0) -> float:
    r""":math:`W_2(\mathcal L(X_\varepsilon), N(c_\infty\mu, I_d)) = e^{-2(T-\varepsilon)-\varepsilon}|\mu|`, exact
    (derived in the book: the reverse SDE started at :math:`N(0, I_d)` instead of :math:`\mathcal L(X_T)`)."""
    mu_norm = v.positive("mu_norm", mu_norm, allow_zero=True)
    T, eps = v.horizon(T, eps)
    return float(np.exp(eps - 2.0 * T) * mu_norm)


def continuous_coefficient(T: float, eps: float = 0.0) -> float:
    r""":math:`c_\infty = e^{-\varepsilon} - e^{\varepsilon - 2T}`: the reverse SDE with score
    :math:`s(\cdot,\cdot,\theta)` from :math:`N(0, I)` ends at :math:`N(c_\infty\theta, I)` (derived in the book)."""
    T, eps = v.horizon(T, eps)
    return float(np.exp(-eps) * -np.expm1(-2.0 * (T - eps)))


def _em_constants(gamma: float, T: float, eps: float) -> tuple[float, float]:
    cm = np.exp(gamma) * max(np.exp(-eps) / 4.0, np.exp(-T) * (0.25 + 0.5 / np.e))
    return cm, 1.0 / (2.0 * (2.0 - gamma))


def _ei_constants(gamma: float, T: float, eps: float) -> tuple[float, float]:
    cm = np.exp(-T) * np.exp(gamma - 1.0) * np.cosh(gamma)
    return cm, np.expm1(gamma) / (gamma * (2.0 - np.expm1(gamma)))


#: The constants of :func:`discretisation_constants`, one entry per affine scheme of
#: :data:`sgmbook.schemes.SCHEMES` for which the lemma is proved.
_CONSTANTS = {"em": _em_constants, "ei": _ei_constants}


def discretisation_constants(gamma: float, T: float, scheme: str, eps: float = 0.0) -> tuple[float, float]:
    r"""``(C_m, C_v)`` with :math:`|c_K - c_\infty| \le C_m \gamma` and :math:`0 \le \sqrt{v_K} - 1 \le C_v\gamma`,
    valid for every :math:`K` with :math:`\gamma = (T-\varepsilon)/K \le 1/2` (derived in the book):

    * EM: :math:`C_m = e^\gamma \max\{e^{-\varepsilon}/4,\ e^{-T}(1/4 + 1/(2e))\}`, :math:`C_v = 1/(2(2-\gamma))`;
    * EI: :math:`C_m = e^{-T} e^{\gamma-1}\cosh\gamma`, :math:`C_v = (e^\gamma - 1)/(\gamma(3 - e^\gamma))`.

    ``scheme`` is a name of the scheme table :mod:`sgmbook.schemes` for which the lemma is proved.
    """
    gamma = v.positive("gamma", gamma)
    if gamma > 0.5:
        raise ValueError(f"gamma must be in (0, 0.5], got {gamma:g}")
    T, eps = v.horizon(T, eps)
    schemes.get(scheme)
    if scheme not in _CONSTANTS:
        raise ValueError(f"scheme must be one of {sorted(_CONSTANTS)} (the schemes the lemma covers), "
                         f"got {scheme!r}")
    cm, cv = _CONSTANTS[scheme](gamma, T, eps)
    return float(cm), float(cv)


def discretisation_term(gamma: float, T: float, scheme: str, d: int, second_moment: float,
                        eps: float = 0.0) -> float:
    r"""The discretisation part of the bound, :math:`\gamma\sqrt{C_m^2 M_2 + d\,C_v^2}` with
    :math:`(C_m, C_v)` from :func:`discretisation_constants` and :math:`M_2 \ge E|\hat\theta|^2`
    (``second_moment``; :math:`|\theta|^2` for a deterministic parameter).  Bounds the exact
    discretisation term :math:`((c_K - c_\infty)^2 M_2 + d(\sqrt{v_K} - 1)^2)^{1/2}` (derived in the book)."""
    d = v.positive_int("d", d)
    m2 = v.positive("second_moment", second_moment, allow_zero=True)
    cm, cv = discretisation_constants(gamma, T, scheme, eps)
    return float(gamma * np.sqrt(cm * cm * m2 + d * cv * cv))


def sgld_stationary_terms(*, step: float, beta: float, batch: int, T: float,
                          eps: float = 0.0) -> tuple[float, float]:
    r"""Per coordinate, the two stationary terms of :func:`sgld_mse_bound`: the minibatch term
    :math:`4\lambda/(3B)` and the Langevin term :math:`2/(3\beta c)`, :math:`c = E[m_\tau^2\sigma_\tau^2]`
    (derived in the book; compare :func:`sgmbook.training.sgld_stationary_variance`, the exact ones)."""
    step = v.positive("step", step)
    beta = v.positive("beta", beta)
    batch = v.positive_int("batch", batch)
    c = loss_moments(T, eps).c
    return float(4.0 * step / (3.0 * batch)), float(2.0 / (3.0 * beta * c))


def sgld_mse_bound(theta0: np.ndarray, mu: np.ndarray, n: int | np.ndarray, *, step: float, beta: float,
                   batch: int, T: float, eps: float = 0.0) -> np.ndarray | float:
    r"""Explicit bound on the SGLD mean-square error, for :math:`\lambda \le 1` (derived in the book):

    .. math:: E|\theta_n - \mu|^2 \le e^{-3\lambda c n}|\theta_0 - \mu|^2
              + d\Bigl(\frac{4\lambda}{3B} + \frac{2}{3\beta c}\Bigr).
    """
    mu = v.finite_array("mu", mu, ndim=1)
    theta0 = v.finite_array("theta0", theta0, ndim=1)
    if theta0.shape != mu.shape:
        raise ValueError(f"theta0 must have the shape of mu {mu.shape}, got {theta0.shape}")
    step = v.positive("step", step)
    if step > 1.0:
        raise ValueError(f"step must be in (0, 1] for this bound, got {step:g}")
    nn = np.asarray(n)
    if not np.issubdtype(nn.dtype, np.integer) or np.any(nn < 0):
        raise ValueError("n must be integers >= 0")
    minibatch, langevin = sgld_stationary_terms(step=step, beta=beta, batch=batch, T=T, eps=eps)
    c = loss_moments(T, eps).c
    out = np.exp(-3.0 * step * c * nn) * float(np.sum((theta0 - mu) ** 2)) \
        + mu.shape[0] * (minibatch + langevin)
    return float(out) if np.ndim(out) == 0 else out


def w2_bound(mu_norm: float, d: int, mse: float, *, gamma: float, T: float, scheme: str, eps: float = 0.0,
             second_moment: float | None = None) -> float:
    r"""The book's bound (derived in the book) on :math:`W_2(\mathcal L(Y_K), \pi_D)` for a random
    :math:`\hat\theta` independent of the sampler noise with :math:`E|\hat\theta-\mu|^2 \le` ``mse``:

    .. math:: (1-e^{-\varepsilon})|\mu| + e^{-2(T-\varepsilon)-\varepsilon}|\mu| + c_\infty\sqrt{\text{mse}}
              + \gamma\sqrt{C_m^2 M_2 + d\,C_v^2},

    with :math:`M_2 \ge E|\hat\theta|^2` (default :math:`(|\mu| + \sqrt{\text{mse}})^2`) and :math:`(C_m, C_v)` from
    :func:`discretisation_constants` (requires :math:`\gamma \le 1/2`).
    """
    mu_norm = v.positive("mu_norm", mu_norm, allow_zero=True)
    d = v.positive_int("d", d)
    mse = v.positive("mse", mse, allow_zero=True)
    T, eps = v.horizon(T, eps)
    m2 = (mu_norm + np.sqrt(mse)) ** 2 if second_moment is None else v.positive("second_moment", second_moment,
                                                                                  allow_zero=True)
    early = early_stopping_term(mu_norm, eps)
    init = initialisation_term(mu_norm, T, eps)
    opt = continuous_coefficient(T, eps) * np.sqrt(mse)
    disc = discretisation_term(gamma, T, scheme, d, m2, eps)
    return float(early + init + opt + disc)


def bound_steps(delta: float, mu_norm: float, d: int, mse: float, *, T: float, scheme: str, eps: float = 0.0,
                k_max: int = 10 ** 9) -> int | None:
    r"""Smallest :math:`K` (with :math:`\gamma = (T-\varepsilon)/K \le 1/2`) at which :func:`w2_bound` is below
    ``delta``; ``None`` if even ``k_max`` steps do not suffice.

    The bound decreases in :math:`K` (:math:`C_m` and :math:`C_v` increase with :math:`\gamma`), so a bisection
    finds the threshold.
    """
    delta = v.positive("delta", delta)
    T, eps = v.horizon(T, eps)
    k_max = v.positive_int("k_max", k_max, maximum=None)
    lo = max(1, int(np.ceil(2.0 * (T - eps))))

    def bound(K: int) -> float:
        return w2_bound(mu_norm, d, mse, gamma=(T - eps) / K, T=T, scheme=scheme, eps=eps)

    if lo > k_max or bound(k_max) >= delta:
        return None
    if bound(lo) < delta:
        return lo
    while k_max - lo > 1:  # invariant: bound(lo) >= delta > bound(k_max)
        mid = (lo + k_max) // 2
        if bound(mid) < delta:
            k_max = mid
        else:
            lo = mid
    return k_max
