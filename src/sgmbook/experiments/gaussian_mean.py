r"""The Gaussian-with-unknown-mean example of Bruno et al. (Section 3.1), computed exactly.

Data :math:`\pi_D = N(\mu, I_d)`; score model :math:`s(t, x, \theta) = -x + e^{-t}\theta` (the true score is
the member :math:`\theta = \mu`).  Both samplers of :mod:`sgmbook.samplers` (Euler-Maruyama ``"em"``, the
scheme of the authors' code, and the exponential integrator ``"ei"``) run with step
:math:`\gamma = (T - \varepsilon)/K` from :math:`Y_0 \sim N(0, I_d)` and output, for a fixed parameter,

.. math:: Y_K \sim N(c_K\,\theta,\ v_K I_d)

(derived in the book).  The continuous-time reverse SDE with the same score model gives
:math:`N(c_\infty \theta, I_d)` with :math:`c_\infty = e^{-\varepsilon} - e^{\varepsilon - 2T}`.  From these the module
computes the exact :math:`W_2(\mathcal L(Y_K), \pi_D)`, its split into early-stopping, initialisation,
optimisation and discretisation parts, the book's bound with explicit constants, and the number of steps
needed for a target accuracy.  Statements and proofs: chapter "Gaussian with unknown mean".  The bounds (``w2_bound``,
``sgld_mse_bound``, ``discretisation_constants``, ``bound_steps``) live in
:mod:`sgmbook.bounds.bruno_gaussian` and are re-exported here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import _validate as v
from .. import laws, schedules, schemes
from ..bounds.bruno_gaussian import (bound_steps, continuous_coefficient, discretisation_constants,
                                     early_stopping_term, initialisation_term, sgld_mse_bound, w2_bound)
from ..metrics import w2_gaussian
from ..training import ThetaLaw

__all__ = [
    "MU_CODE",
    "affine_score",
    "output_law",
    "scheme_coefficients",
    "stationary_variance",
    "continuous_coefficient",
    "w2_output",
    "w2_closed",
    "ErrorSplit",
    "error_split",
    "output_density_1d",
    "discretisation_constants",
    "sgld_mse_bound",
    "w2_bound",
    "steps_to_accuracy",
    "bound_steps",
]

#: The mean hard-coded in the authors' public code (d = 2).
MU_CODE = np.array([-1.23486883, -0.89244735])

def affine_score(theta: np.ndarray) -> Callable[[float], tuple[np.ndarray, np.ndarray]]:
    r"""``t -> (A, b)`` with :math:`s(t, x, \theta) = A x + b`, :math:`A = -I` (as a diagonal),
    :math:`b = e^{-t}\theta`: the input :func:`sgmbook.laws.gaussian` expects."""
    theta = v.finite_array("theta", theta, ndim=1).copy()
    minus_one = -np.ones_like(theta)

    def ab(t: float) -> tuple[np.ndarray, np.ndarray]:
        return minus_one, np.exp(-t) * theta

    return ab


def output_law(theta: np.ndarray, *, T: float, n_steps: int, scheme: str, eps: float = 0.0
               ) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact law ``(mean, diagonal covariance)`` of :math:`Y_K` for a fixed ``theta``, by
    :func:`sgmbook.laws.gaussian` on :func:`sgmbook.schedules.uniform` started at :math:`N(0, I_d)`
    (cost :math:`O(Kd)`)."""
    theta = v.finite_array("theta", theta, ndim=1)
    d = theta.shape[0]
    schemes.get(scheme)
    T, eps = v.horizon(T, eps)
    sched = schedules.uniform(T, eps, v.positive_int("n_steps", n_steps))
    return laws.gaussian(affine_score(theta), np.zeros(d), np.ones(d), sched, scheme=scheme)


def _affine_step(scheme: str, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(a, rho, w)`` of the step ``Y' = aY + rho (e^g - a) e^{-t} theta + sqrt(w) Z`` for the model
    ``s = -y + e^{-t} theta``, from the scheme table (``rho = C / (e^g - A + C)``)."""
    A, C, w = schemes.coefficients(scheme, g)
    return A - C, C / ((np.exp(g) - A) + C), w


def stationary_variance(gamma: float, scheme: str) -> float:
    r""":math:`v_* = w/(1 - a^2)`, the fixed point of :math:`v_{k+1} = a^2 v_k + w`, for the step
    :math:`Y' = aY + (\cdot)\theta + \sqrt w Z` of ``scheme`` (:func:`scheme_coefficients`; derived in the
    book): :math:`2/(2-\gamma)` for EM, :math:`(e^\gamma+1)/(3-e^\gamma)` for EI.

    Raises ``ValueError`` where :math:`a^2 = 1` (to a relative :math:`10^{-12}`: EM at :math:`\gamma = 2`,
    EI at :math:`\gamma = \log 3`), where :math:`v_*` is undefined (:math:`v_K = 1 + Kw` grows without limit).
    For :math:`a^2 > 1` (EM with :math:`\gamma > 2`, EI with :math:`\gamma > \log 3`) it returns the negative
    number :math:`w/(1 - a^2)`: not a variance, but still the constant of
    :math:`v_K = v_* + (1 - v_*)a^{2K}`, which then diverges geometrically.
    """
    gamma = v.positive("gamma", gamma)
    a, _, w = (float(x) for x in _affine_step(scheme, np.asarray(gamma)))
    one_minus = 1.0 - a * a
    if abs(one_minus) <= 1e-12:
        raise ValueError(f"gamma = {gamma!r} gives a^2 = 1 for scheme {scheme!r} (gamma = 2 for 'em', "
                         "log 3 for 'ei'): the stationary variance w/(1 - a^2) is undefined there")
    return w / one_minus


def scheme_coefficients(T: float, n_steps: np.ndarray | int, scheme: str, eps: float = 0.0
                        ) -> tuple[np.ndarray, np.ndarray]:
    r"""Closed forms of :math:`(c_K, v_K)` with :math:`Y_K \sim N(c_K\theta, v_K I)` (derived in the book).

    With :math:`\gamma = (T-\varepsilon)/K` and the step :math:`Y' = aY + (\text{drift})\,\theta + \sqrt{w} Z`:

    * EM: :math:`a = 1-\gamma`, :math:`c_K = \rho\,(e^{-\varepsilon} - e^{-T} a^K)`,
      :math:`\rho = 2\gamma/(e^\gamma - 1 + \gamma)`, :math:`v_* = 2/(2-\gamma)`;
    * EI: :math:`a = 2 - e^\gamma`, :math:`c_K = e^{-\varepsilon} - e^{-T} a^K`, :math:`v_* = (e^\gamma+1)/(3-e^\gamma)`;

    and :math:`v_K = v_* + (1 - v_*) a^{2K}` (:func:`stationary_variance`).  The coefficients come from
    the scheme table :mod:`sgmbook.schemes`: a step :math:`Y' = AY + Cs + \sqrt{w}Z` with
    :math:`s = -Y + e^{-t}\theta` has :math:`a = A - C` and
    :math:`c_K = C(e^{-\varepsilon} - e^{-T}a^K)/(e^\gamma - A + C)`.  Where :math:`a^2 = 1`
    (EM at :math:`\gamma = 2`, EI at :math:`\gamma = \log 3`) :math:`v_*` is undefined and the sum is
    :math:`v_K = 1 + Kw` instead.  Vectorised over ``n_steps``.
    """
    T, eps = v.horizon(T, eps)
    K = np.asarray(n_steps)
    if not np.issubdtype(K.dtype, np.integer) or np.any(K < 1):
        raise ValueError("n_steps must be integers >= 1")
    Kf = K.astype(float)
    g = (T - eps) / Kf
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        a, rho, w = _affine_step(scheme, g)
        c = rho * (np.exp(-eps) - np.exp(-T) * np.power(a, K))
        a2K = np.power(a * a, K)
        # v_K = a^{2K} + w (1 - a^{2K}) / (1 - a^2)  (= 1 + K w when a^2 = 1)
        one_minus = 1.0 - a * a
        geo = np.where(one_minus == 0.0, Kf, (1.0 - a2K) / np.where(one_minus == 0.0, 1.0, one_minus))
        vK = a2K + w * geo
    if not (np.all(np.isfinite(c)) and np.all(np.isfinite(vK))):
        raise ValueError(f"the step (T - eps)/n_steps = {float(np.max(g)):.4g} makes the {scheme!r} output "
                         f"overflow: take more steps (n_steps) or a shorter T")
    return c, vK


def w2_output(theta: np.ndarray, mu: np.ndarray, *, T: float, n_steps: int, scheme: str,
              eps: float = 0.0) -> float:
    r"""Exact :math:`W_2(\mathcal L(Y_K), N(\mu, I_d))` for a fixed ``theta``: the law from
    :func:`output_law`, the distance from :func:`sgmbook.metrics.w2_gaussian`."""
    mu = v.finite_array("mu", mu, ndim=1)
    m, S = output_law(theta, T=T, n_steps=n_steps, scheme=scheme, eps=eps)
    if m.shape != mu.shape:
        raise ValueError(f"theta and mu must have the same shape, got {m.shape} and {mu.shape}")
    return w2_gaussian(m, S, mu, np.ones_like(mu))


def w2_closed(theta: np.ndarray, mu: np.ndarray, *, T: float, n_steps: np.ndarray | int, scheme: str,
              eps: float = 0.0) -> np.ndarray:
    r""":math:`\sqrt{|c_K\theta - \mu|^2 + d(\sqrt{v_K} - 1)^2}` from :func:`scheme_coefficients`, vectorised
    over ``n_steps`` (same value as :func:`w2_output`, without the loop over steps)."""
    theta = v.finite_array("theta", theta, ndim=1)
    mu = v.finite_array("mu", mu, ndim=1)
    if theta.shape != mu.shape:
        raise ValueError(f"theta and mu must have the same shape, got {theta.shape} and {mu.shape}")
    c, vK = scheme_coefficients(T, n_steps, scheme, eps)
    c = np.atleast_1d(c)
    vK = np.atleast_1d(vK)
    tt, tm, mm = float(theta @ theta), float(theta @ mu), float(mu @ mu)
    with np.errstate(invalid="ignore", over="ignore"):
        mean2 = np.maximum(c * c * tt - 2.0 * c * tm + mm, 0.0)
        out = np.sqrt(mean2 + mu.shape[0] * (np.sqrt(np.abs(vK)) - 1.0) ** 2)
    out[~np.isfinite(out) | (vK <= 0)] = np.inf
    return out


@dataclass(frozen=True)
class ErrorSplit:
    r"""The four parts of the error and the exact total (derived in the book).

    ``early`` :math:`= W_2(\pi_D, \mathcal L(X_\varepsilon)) = (1 - e^{-\varepsilon})|\mu|`;
    ``init`` :math:`= W_2(\mathcal L(X_\varepsilon), N(c_\infty\mu, I)) = e^{-2(T-\varepsilon)-\varepsilon}|\mu|`;
    ``opt`` :math:`= c_\infty (E|\hat\theta - \mu|^2)^{1/2}`; ``disc``
    :math:`= ((c_K - c_\infty)^2 E|\hat\theta|^2 + d(\sqrt{v_K} - 1)^2)^{1/2}`; ``total_sum`` their sum.
    ``upper`` :math:`= (E|c_K\hat\theta - \mu|^2 + d(\sqrt{v_K}-1)^2)^{1/2}` and ``lower`` (Gelbrich bound from the
    mean and covariance of the mixture) bracket :math:`W_2(\mathcal L(Y_K), \pi_D)`; they coincide, and are
    the exact value, when :math:`\hat\theta` is deterministic.  For a deterministic :math:`\hat\theta` each part is
    itself an exact :math:`W_2` between two Gaussians.
    """

    early: float
    init: float
    opt: float
    disc: float
    total_sum: float
    upper: float
    lower: float


def error_split(theta: ThetaLaw | np.ndarray, mu: np.ndarray, *, T: float, n_steps: int, scheme: str,
                eps: float = 0.0) -> ErrorSplit:
    r""":class:`ErrorSplit` for a deterministic ``theta`` (array) or a random one (:class:`ThetaLaw`)."""
    law = theta if isinstance(theta, ThetaLaw) else ThetaLaw.point(theta)
    mu = v.finite_array("mu", mu, ndim=1)
    if law.mean.shape != mu.shape:
        raise ValueError(f"theta and mu must have the same shape, got {law.mean.shape} and {mu.shape}")
    n_steps = v.positive_int("n_steps", n_steps)
    T, eps = v.horizon(T, eps)
    d = mu.shape[0]
    nmu = float(np.linalg.norm(mu))
    cinf = continuous_coefficient(T, eps)
    c, vK = (float(x[()]) for x in scheme_coefficients(T, np.array(n_steps), scheme, eps))
    var_part = d * (np.sqrt(vK) - 1.0) ** 2
    early = early_stopping_term(nmu, eps)
    init = initialisation_term(nmu, T, eps)
    opt = cinf * np.sqrt(law.second_moment(mu))
    disc = np.sqrt((c - cinf) ** 2 * law.second_moment(0.0) + var_part)
    tr = law.trace_cov()
    upper = np.sqrt(np.sum((c * law.mean - mu) ** 2) + c * c * tr + var_part)
    lam1, lam2 = law.cov_eigenvalues()
    lower = np.sqrt(np.sum((c * law.mean - mu) ** 2) + (d - 1) * (np.sqrt(vK + c * c * lam1) - 1.0) ** 2
                    + (np.sqrt(vK + c * c * lam2) - 1.0) ** 2)
    return ErrorSplit(float(early), float(init), float(opt), float(disc), float(early + init + opt + disc),
                      float(upper), float(lower))


def output_density_1d(x: np.ndarray, atoms: np.ndarray, weights: np.ndarray, *, T: float, n_steps: int,
                      scheme: str, eps: float = 0.0, atom_vars: np.ndarray | None = None) -> np.ndarray:
    r"""Density on the grid ``x`` of :math:`Y_K` in dimension one when :math:`\hat\theta` is a mixture
    :math:`\sum_j w_j N(a_j, s_j^2)` (``atom_vars`` :math:`s_j^2`, default 0: point masses), independent of
    the sampler's noise.  Since :math:`Y_K = c_K\hat\theta + \sqrt{v_K}G` (derived in the book),

    .. math:: \mathcal L(Y_K) = \sum_j w_j\, N\bigl(c_K a_j,\ v_K + c_K^2 s_j^2\bigr).

    A single atom with :math:`s^2 > 0` is a Gaussian :math:`\hat\theta`.
    """
    xs = v.finite_array("x", x, ndim=1)
    a = v.finite_array("atoms", atoms, ndim=1)
    w = v.finite_array("weights", weights, ndim=1)
    if w.shape != a.shape or np.any(w < 0) or not abs(float(w.sum()) - 1.0) < 1e-12:
        raise ValueError("weights must be non-negative, sum to 1 and match atoms")
    s2 = np.zeros_like(a) if atom_vars is None else v.finite_array("atom_vars", atom_vars, ndim=1)
    if s2.shape != a.shape or np.any(s2 < 0):
        raise ValueError("atom_vars must be >= 0 and match atoms")
    c, vK = (float(z[()]) for z in scheme_coefficients(T, np.array(v.positive_int("n_steps", n_steps)), scheme, eps))
    var = vK + c * c * s2
    z = (xs[:, None] - c * a[None, :]) ** 2 / var[None, :]
    return np.sum(w[None, :] * np.exp(-0.5 * z) / np.sqrt(2.0 * np.pi * var[None, :]), axis=1)


def steps_to_accuracy(delta: float, values: np.ndarray) -> int | None:
    r"""Smallest :math:`K \ge 1` from which ``values[K-1]`` (an error indexed by :math:`K = 1, 2, \dots`) stays
    below ``delta`` up to the end of the array; ``None`` if the last value is not below ``delta``."""
    delta = v.positive("delta", delta)
    vals = v.real_array("values", values, ndim=1)
    if np.any(np.isnan(vals)):
        raise ValueError("values must not hold NaN (+inf marks an unbounded error)")
    if vals.ndim != 1 or vals.size == 0:
        raise ValueError("values must be a non-empty 1-D array")
    below = vals < delta
    if not below[-1]:
        return None
    bad = np.flatnonzero(~below)
    return int(bad[-1] + 2) if bad.size else 1
