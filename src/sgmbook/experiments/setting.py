r"""The checks of the chapter on the setting (chapter 1): the forward OU marginals and the exact laws of
the two schemes against sampled paths, and the exact W2 error of both schemes against the closed-form
initialisation error.

Book clock (Bruno et al., arXiv 2311.13584, Section 2): :math:`dX_t = -X_t\,dt + \sqrt2\,dB_t`, whose
marginal from :math:`N(\mu, S)` is :math:`N(e^{-t}\mu, e^{-2t}S + (1 - e^{-2t})I)`.

* :func:`forward_marginal_check` -- sample moments of forward draws against the closed-form marginal;
* :func:`scheme_moment_check` -- sample moments of a scheme's output against its exact Gaussian law;
* :func:`init_error_convergence` -- exact W2 error of both schemes as the number of steps grows;
* :func:`clock_check` -- the two papers' clocks describe one law.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .. import _validate as v
from .. import laws, ou, samplers, schedules
from ..metrics import w2_gaussian
from ..targets import Gaussian
from .local_lipschitz import loglog_slope

__all__ = ["MomentCheck", "forward_marginal_check", "scheme_moment_check", "InitConvergence",
           "init_error_convergence", "ClockCheck", "clock_check"]


@dataclass(frozen=True)
class MomentCheck:
    """The exact ``mean`` and ``cov`` and the largest ``|z|`` of the sample mean and sample covariance
    against them."""
    mean: np.ndarray
    cov: np.ndarray
    z_mean: float
    z_cov: float


def _moment_z(samples: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> MomentCheck:
    r"""z-scores with standard errors :math:`\sqrt{S_{ii}/n}` (mean) and
    :math:`\sqrt{(S_{ij}^2 + S_{ii}S_{jj})/n}` (covariance, Gaussian fourth moments)."""
    n = samples.shape[0]
    se_mean = np.sqrt(np.diag(cov) / n)
    se_cov = np.sqrt((cov ** 2 + np.outer(np.diag(cov), np.diag(cov))) / n)
    z_mean = np.max(np.abs(samples.mean(0) - mean) / se_mean)
    z_cov = np.max(np.abs(np.cov(samples.T) - cov) / se_cov)
    return MomentCheck(mean, cov, float(z_mean), float(z_cov))


def _gaussian(target: Gaussian) -> Gaussian:
    return v.instance("target", target, Gaussian, "a Gaussian target")


def forward_marginal_check(target: Gaussian, t: float, n: int, rng: np.random.Generator) -> MomentCheck:
    r"""``n`` forward draws :math:`X_t = e^{-t}X_0 + \sigma_t Z` (:func:`sgmbook.ou.sample_transition`,
    :math:`X_0` from ``target``) against the closed-form marginal ``target.marginal(t)`` (the OU marginal
    of Bruno et al., Section 2)."""
    target = _gaussian(target)
    t = v.positive("t", t)
    n = v.positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be >= 2 (a sample covariance), got {n}")
    rng = v.rng(rng)
    law = target.marginal(t)
    cov = np.diag(law.cov) if law.diagonal else law.cov
    return _moment_z(ou.sample_transition(target.sample(n, rng), t, rng), law.mean, cov)


def scheme_moment_check(target: Gaussian, schedule: schedules.Schedule, scheme: str, n: int,
                        rng: np.random.Generator) -> MomentCheck:
    r"""``n`` paths of ``scheme`` (``"em"`` or ``"ei"``) with the exact score of ``target`` from
    :math:`N(0, I)` on ``schedule`` (:func:`sgmbook.samplers.sample`) against the exact Gaussian law of
    the output (:func:`sgmbook.laws.gaussian`: :math:`m_{k+1} = M_k m_k + c_k b(t_k)`,
    :math:`S_{k+1} = M_k S_k M_k^\top + v_k I`, chapter 1)."""
    target = _gaussian(target)
    v.instance("schedule", schedule, schedules.Schedule, "a step schedule (sgmbook.schedules)")
    scheme = v.scheme(scheme)
    n = v.positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be >= 2 (a sample covariance), got {n}")
    rng = v.rng(rng)
    d = target.dim
    y = samplers.sample(target.score, rng.standard_normal((n, d)), schedule, scheme=scheme, rng=rng)
    m, S = laws.gaussian(target.affine_score, np.zeros(d), np.eye(d), schedule, scheme=scheme)
    return _moment_z(y, m, S)


@dataclass(frozen=True)
class InitConvergence:
    """``limit``: the closed-form initialisation error; ``errors[i, k]``: exact W2 error of scheme
    ``schemes[i]`` with ``steps[k]`` uniform steps; ``gaps``: ``|errors - limit|``; ``gap_slopes``: their
    log-log slopes in the number of steps over the last ``n_fit`` step counts."""
    steps: np.ndarray
    schemes: tuple[str, ...]
    limit: float
    errors: np.ndarray
    gaps: np.ndarray
    gap_slopes: np.ndarray


def init_error_convergence(target: Gaussian, T: float, steps: ArrayLike | None = None,
                           n_fit: int = 4) -> InitConvergence:
    r"""For a Gaussian target with diagonal covariance and the exact score, the exact W2 error of both
    schemes from :math:`N(0, I)` at ``T`` to time 0 (:func:`sgmbook.laws.gaussian`,
    :func:`sgmbook.metrics.w2_gaussian`) against the closed form of the initialisation error,
    :math:`W_2^2 = \sum_i \delta_i^2 + (\sqrt{s_i^2 + \eta_i} - s_i)^2` (``target.reverse_sde_law``;
    derived in chapter 1).  By default (chapter 1) ``steps`` is :math:`10 \cdot 2^k`,
    :math:`k = 0, \dots, 7`."""
    target = _gaussian(target)
    if not target.diagonal:
        raise ValueError("target must have a diagonal covariance (the closed form of chapter 1)")
    T = v.positive("T", T)
    if steps is None:
        steps = 10 * 2 ** np.arange(8)
    ks = v.int_array("steps", steps, minimum=1)
    if ks.ndim != 1 or ks.size < 2:
        raise ValueError(f"steps must be a 1-D array of at least two step counts, got {ks!r}")
    n_fit = v.positive_int("n_fit", n_fit)
    if not 2 <= n_fit <= ks.size:
        raise ValueError(f"n_fit must lie in [2, len(steps)] = [2, {ks.size}], got {n_fit}")
    reached = target.reverse_sde_law(T)
    limit = float(w2_gaussian(reached.mean, reached.cov, target.mean, target.cov))
    d, schemes = target.dim, ("em", "ei")
    errors = np.array([[w2_gaussian(*laws.gaussian(target.affine_score, np.zeros(d), np.ones(d),
                                                   schedules.uniform(T, 0.0, int(k)), scheme=s),
                                    target.mean, target.cov) for k in ks] for s in schemes])
    gaps = np.abs(errors - limit)
    slopes = np.array([loglog_slope(ks[-n_fit:], g[-n_fit:]) for g in gaps])
    return InitConvergence(ks, schemes, limit, errors, gaps, slopes)


@dataclass(frozen=True)
class ClockCheck:
    """Mooney et al.'s OU times ``tau``, the book times ``t_book`` and heat times ``heat`` of the same
    law, and ``gaps``: the largest absolute gaps of the three identities of :func:`clock_check`."""
    tau: np.ndarray
    t_book: np.ndarray
    heat: np.ndarray
    gaps: np.ndarray


def clock_check(tau: ArrayLike) -> ClockCheck:
    r"""The book's clock :math:`dX = -X\,dt + \sqrt2\,dB` against Mooney et al.'s
    :math:`dX = -\tfrac12 X\,d\tau + dW` (arXiv 2405.16104, Section 2, as read in chapter 1): with
    :math:`t = \tau/2` (:func:`sgmbook.ou.from_mooney_time`), ``gaps`` holds the largest of
    :math:`|m_t - e^{-\tau/2}|`, :math:`|\sigma_t^2 - (1 - e^{-\tau})|` and
    :math:`|t - t(s(t))|` over ``tau``, the last for the heat time :math:`s = 1 - e^{-\tau}`
    (:func:`sgmbook.ou.heat_time`) and its inverse :func:`sgmbook.ou.from_heat_time`."""
    tau = v.finite_array("tau", tau, ndim=1)
    if np.any(tau < 0):
        raise ValueError(f"tau must hold OU times >= 0, got {tau!r}")
    t = np.asarray(ou.from_mooney_time(tau), dtype=float)
    heat = np.asarray(ou.heat_time(t), dtype=float)
    gaps = np.array([np.max(np.abs(ou.mean_factor(t) - np.exp(-tau / 2))),
                     np.max(np.abs(ou.variance(t) + np.expm1(-tau))),
                     np.max(np.abs(ou.from_heat_time(heat) - t))])
    return ClockCheck(tau, t, heat, gaps)
