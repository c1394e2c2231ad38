r"""Regularity constants of the book's score models for Bruno et al.'s theorems (arXiv 2311.13584,
Assumptions on the score model), derived in the book: the model constants beside the inequalities of
:mod:`sgmbook.bounds.bruno`.

The score models are ``sgmbook.experiments.log_concave.BiasedScore`` (exact score plus a bias
:math:`\eta e^{-t} b(x)`) on :func:`sgmbook.targets.two_point_mixture` and on diagonal Gaussians.
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from ..targets import mixture_log_concavity
from .bruno import ScoreModelConstants, log_concavity_floor

__all__ = ["mixture_model_constants", "gaussian_model_constants"]


def _bias_constants(eta: float, kind: str) -> tuple[float, float, float, float]:
    """(added K, removed kappa, added M0, added S0) for the bias eta e^{-t} b(x)."""
    v.choice("kind", kind, ("cos", "const"))
    if kind == "cos":
        return eta, eta, eta, eta
    return 0.0, 0.0, eta, eta


def mixture_model_constants(a: float, variance: float, eta: float = 0.0, kind: str = "cos") -> ScoreModelConstants:
    r"""Constants of ``BiasedScore`` on :func:`sgmbook.targets.gaussian.two_point_mixture` (any weight), derived in the book.

    With :math:`v_t = 1 + e^{-2t}(v - 1)`, :math:`g_t = e^{-t}/v_t`, :math:`B_t = 2a g_t` and the
    posterior weight :math:`r_t`, the exact score is :math:`s = -(x + a e^{-t})/v_t + B_t r_t(x)`, so
    :math:`\partial_x s \in [-1/v_t, -1/v_t + B_t^2/4]`.  With :math:`\underline v = \min(v, 1)`,
    :math:`|v_t'| \le 2|v-1|`, :math:`g_t \le 1/\underline v`, :math:`|g_t'| \le G := 1/\underline v
    + 2|v-1|/\underline v^2`:

    * :math:`\ell = 1/\underline v` (Lipschitz), :math:`\kappa = \min(1, L)` (:func:`sgmbook.bounds.bruno.log_concavity_floor`);
    * :math:`|\partial_t s| \le 3aG + (2|v-1|/\underline v^2 + a^2 G/\underline v)|x|`, :math:`\alpha = 1`;
    * :math:`|s(t, 0)| \le a/\underline v`;

    and the bias adds :math:`\eta` to :math:`\ell, M_0, S_0` and removes :math:`\eta` from :math:`\kappa`
    (``kind="cos"``) or adds :math:`\eta` to :math:`M_0, S_0` only (``kind="const"``).
    """
    a = v.positive("a", a, allow_zero=True)
    variance = v.positive("variance", variance)
    eta = v.positive("eta", eta, allow_zero=True)
    L = mixture_log_concavity(a, variance)
    if L <= 0:
        raise ValueError(f"the mixture must be strongly log-concave (a^2 < v), got a={a:g}, variance={variance:g}")
    vmin = min(variance, 1.0)
    G = 1.0 / vmin + 2.0 * abs(variance - 1.0) / vmin ** 2
    dK, dk, dM, dS = _bias_constants(eta, kind)
    return ScoreModelConstants(
        lipschitz=1.0 / vmin + dK,
        monotonicity=log_concavity_floor(L) - dk,
        time_m0=3.0 * a * G + dM,
        time_m1=2.0 * abs(variance - 1.0) / vmin ** 2 + a * a * G / vmin,
        alpha=1.0,
        s0=a / vmin + dS,
    )


def gaussian_model_constants(mean: np.ndarray, cov: np.ndarray, eta: float = 0.0,
                             kind: str = "const") -> ScoreModelConstants:
    r"""Constants of ``BiasedScore`` on :math:`N(\mu, \mathrm{diag}(c))`, derived in the book.

    The exact score is :math:`s_i = -x_i/v_i(t) + \mu_i g_i(t)`, :math:`v_i = 1 + e^{-2t}(c_i - 1)`,
    :math:`g_i = e^{-t}/v_i`.  With :math:`\underline v_i = \min(c_i, 1)` and
    :math:`G_i = 1/\underline v_i + 2|c_i - 1|/\underline v_i^2`:
    :math:`\ell = \max_i 1/\underline v_i`, :math:`\kappa = 1/\max(1, \max_i c_i) = \min(1, L)`,
    :math:`M_1 = \max_i 2|c_i - 1|/\underline v_i^2`, :math:`M_0 = |(\mu_i G_i)_i|`,
    :math:`S_0 = |(\mu_i/\underline v_i)_i|`, :math:`\alpha = 1`; the bias changes them as in
    :func:`mixture_model_constants`.
    """
    mu = v.finite_array("mean", mean, ndim=1)
    c = v.spd_matrix("cov", cov, dim=mu.shape[0])
    if c.ndim != 1:
        raise ValueError("cov must be a (d,) diagonal")
    eta = v.positive("eta", eta, allow_zero=True)
    vmin = np.minimum(c, 1.0)
    G = 1.0 / vmin + 2.0 * np.abs(c - 1.0) / vmin ** 2
    dK, dk, dM, dS = _bias_constants(eta, kind)
    return ScoreModelConstants(
        lipschitz=float(np.max(1.0 / vmin)) + dK,
        monotonicity=float(1.0 / max(1.0, float(c.max()))) - dk,
        time_m0=float(np.linalg.norm(mu * G)) + dM,
        time_m1=float(np.max(2.0 * np.abs(c - 1.0) / vmin ** 2)),
        alpha=1.0,
        s0=float(np.linalg.norm(mu / vmin)) + dS,
    )
