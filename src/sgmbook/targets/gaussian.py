r"""Gaussian targets: :class:`Gaussian` and :class:`GaussianMixture`, exact at every forward time.

Under the forward OU process (:mod:`sgmbook.ou`), :math:`X_t = m_t X_0 + \sigma_t Z`, a Gaussian
:math:`N(\mu, S)` stays Gaussian, :math:`N(m_t \mu,\ m_t^2 S + \sigma_t^2 I)`, and a mixture stays a
mixture with the same weights and transformed components.
"""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from .. import _validate as v
from .. import ou
from .._numerics import LOG_2PI
from ._points import points as _points

__all__ = ["Gaussian", "GaussianMixture", "two_point_mixture", "mixture_log_concavity"]


class Gaussian:
    r"""The Gaussian :math:`N(\mu, S)`, with ``cov`` either a ``(d,)`` diagonal or a full ``(d, d)`` matrix.

    Its OU marginal is :math:`N(e^{-t}\mu,\ e^{-2t} S + (1 - e^{-2t}) I)` and its score is the affine map
    :math:`\nabla \log p_t(x) = -\Sigma_t^{-1}(x - e^{-t}\mu)`.
    """

    def __init__(self, mean: np.ndarray, cov: np.ndarray):
        self.mean = v.finite_array("mean", mean, ndim=1)
        self.cov = v.spd_matrix("cov", cov, dim=self.mean.shape[0])
        self.dim = self.mean.shape[0]
        self.diagonal = self.cov.ndim == 1

    def __repr__(self) -> str:
        kind = "diagonal" if self.diagonal else "full"
        return f"Gaussian(dim={self.dim}, {kind} covariance)"

    def marginal(self, t: float) -> "Gaussian":
        r"""Law of :math:`X_t`: :math:`N(m_t \mu, m_t^2 S + \sigma_t^2 I)`."""
        m, s2 = ou.coefficients(t)
        cov = m * m * self.cov + (s2 if self.diagonal else s2 * np.eye(self.dim))
        return Gaussian(m * self.mean, cov)

    def precision(self) -> np.ndarray:
        """Inverse covariance (``(d,)`` for a diagonal covariance)."""
        if self.diagonal:
            return 1.0 / self.cov
        return np.linalg.inv(self.cov)

    def affine_score(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        r"""``(A, b)`` with :math:`\nabla \log p_t(x) = A x + b`: :math:`A = -\Sigma_t^{-1}`,
        :math:`b = \Sigma_t^{-1} m_t \mu`."""
        g = self.marginal(t)
        prec = g.precision()
        if self.diagonal:
            return -prec, prec * g.mean
        return -prec, prec @ g.mean

    def score(self, t: float, x: np.ndarray) -> np.ndarray:
        r"""Exact score :math:`-\Sigma_t^{-1}(x - m_t \mu)` at the rows of ``x``."""
        pts, flat = _points(x, self.dim)
        A, b = self.affine_score(t)
        out = pts * A + b if self.diagonal else pts @ A.T + b
        return out[:, 0] if flat else out

    def hessian_logp(self, t: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\nabla^2 \log p_t(x) = -\Sigma_t^{-1}` (constant in x) at the rows of ``x``: shape
        ``(n, d, d)``, or the shape of ``x`` for a 1-D target."""
        pts, flat = _points(x, self.dim)
        prec = self.marginal(t).precision()
        H = -(np.diag(prec) if self.diagonal else prec)
        if self.dim == 1:
            out = np.full(pts.shape, float(H[0, 0]))
            return out[:, 0] if flat else out
        return np.broadcast_to(H, (pts.shape[0], self.dim, self.dim)).copy()

    def log_concavity(self, t: float = 0.0) -> float:
        r"""Strong log-concavity constant of :math:`p_t`: the smallest eigenvalue of :math:`\Sigma_t^{-1}`."""
        g = self.marginal(t)
        top = g.cov.max() if self.diagonal else np.linalg.eigvalsh(g.cov)[-1]
        return float(1.0 / top)

    def reverse_sde_law(self, T: float) -> "Gaussian":
        r"""Law of the exact-score reverse SDE started at :math:`N(0, I)` instead of :math:`p_T` and run to
        forward time 0 (diagonal covariances :math:`s_i^2` only).  Derived in the book (chapter 1):

        .. math:: Y_T \sim N\Bigl(\mu_i - \frac{\mu_i s_i^2}{e^{2T} + s_i^2 - 1},\
                  s_i^2 + \frac{(1 - s_i^2) s_i^4}{(e^{2T} + s_i^2 - 1)^2}\Bigr).

        Its W2 distance to the target is the initialisation error of every scheme's small-step limit.
        """
        T = v.positive("T", T)
        if not self.diagonal:
            raise ValueError("reverse_sde_law needs a diagonal covariance (cov of shape (d,))")
        den = np.expm1(2.0 * T) + self.cov
        return Gaussian(self.mean - self.mean * self.cov / den,
                        self.cov + (1.0 - self.cov) * self.cov ** 2 / den ** 2)

    def logpdf(self, t: float, x: np.ndarray) -> np.ndarray:
        """Log-density of :math:`p_t` at the rows of ``x``."""
        pts, _ = _points(x, self.dim)
        g = self.marginal(t)
        r = pts - g.mean
        if self.diagonal:
            quad = np.sum(r * r / g.cov, axis=1)
            logdet = float(np.sum(np.log(g.cov)))
        else:
            chol = np.linalg.cholesky(g.cov)
            z = np.linalg.solve(chol, r.T)
            quad = np.sum(z * z, axis=0)
            logdet = 2.0 * float(np.sum(np.log(np.diag(chol))))
        return -0.5 * (quad + logdet + self.dim * LOG_2PI)

    def sample(self, n: int, rng: np.random.Generator, t: float = 0.0) -> np.ndarray:
        """``n`` draws of :math:`X_t`, shape ``(n, d)``."""
        n = v.positive_int("n", n)
        rng = v.rng(rng)
        g = self.marginal(t)
        z = rng.standard_normal((n, self.dim))
        if self.diagonal:
            return g.mean + z * np.sqrt(g.cov)
        return g.mean + z @ np.linalg.cholesky(g.cov).T


class GaussianMixture:
    r"""Mixture :math:`\sum_k w_k N(\mu_k, S_k)`; ``covs`` is ``(K, d)`` (diagonal) or ``(K, d, d)``.

    Each component moves under the OU flow as in :class:`Gaussian`, the weights stay fixed, and the
    score is the responsibility-weighted component score, computed with log-sum-exp:

    .. math:: \nabla \log p_t(x) = \sum_k r_k(x)\, \nabla \log p^{(k)}_t(x), \qquad
              r_k(x) = \frac{w_k p^{(k)}_t(x)}{\sum_j w_j p^{(j)}_t(x)}.
    """

    def __init__(self, weights: np.ndarray, means: np.ndarray, covs: np.ndarray):
        w = v.finite_array("weights", weights, ndim=1)
        if np.any(w < 0) or w.sum() <= 0:
            raise ValueError("weights must be >= 0 with a positive sum")
        self.weights = w / w.sum()
        self.means = v.finite_array("means", means, ndim=2)
        if self.means.shape[0] != w.shape[0]:
            raise ValueError(f"means must have {w.shape[0]} rows (one per weight), got {self.means.shape[0]}")
        covs = v.finite_array("covs", covs, ndim=(2, 3))
        if covs.ndim == 2 and np.any(covs <= 0):
            raise ValueError(f"covs (diagonal covariances) must be > 0, got min {float(covs.min())!r}")
        if covs.shape[0] != w.shape[0]:
            raise ValueError(f"covs must have {w.shape[0]} entries (one per weight), got {covs.shape[0]}")
        self.components = [Gaussian(m, c) for m, c in zip(self.means, covs)]
        self.dim = self.means.shape[1]
        self.covs = covs

    def __repr__(self) -> str:
        return f"GaussianMixture(components={len(self.weights)}, dim={self.dim})"

    def marginal(self, t: float) -> "GaussianMixture":
        """Law of :math:`X_t`, again a mixture."""
        comps = [c.marginal(t) for c in self.components]
        return GaussianMixture(self.weights, np.array([c.mean for c in comps]), np.array([c.cov for c in comps]))

    def _log_terms(self, t: float, pts: np.ndarray) -> np.ndarray:
        comps = self.marginal(t).components
        return np.stack([np.log(w) + c.logpdf(0.0, pts) if w > 0 else np.full(pts.shape[0], -np.inf)
                         for w, c in zip(self.weights, comps)], axis=1)

    def logpdf(self, t: float, x: np.ndarray) -> np.ndarray:
        """Log-density of :math:`p_t` (log-sum-exp over components)."""
        pts, _ = _points(x, self.dim)
        return logsumexp(self._log_terms(t, pts), axis=1)

    def responsibilities(self, t: float, x: np.ndarray) -> np.ndarray:
        """Posterior component probabilities :math:`r_k(x)`, shape ``(n, K)``."""
        pts, _ = _points(x, self.dim)
        lt = self._log_terms(t, pts)
        return np.exp(lt - logsumexp(lt, axis=1, keepdims=True))

    def score(self, t: float, x: np.ndarray) -> np.ndarray:
        """Exact score of :math:`p_t` at the rows of ``x``."""
        pts, flat = _points(x, self.dim)
        r = self.responsibilities(t, pts)
        comps = self.marginal(t).components
        out = np.zeros_like(pts)
        for k, c in enumerate(comps):
            out += r[:, k:k + 1] * c.score(0.0, pts)
        return out[:, 0] if flat else out

    def hessian_logp(self, t: float, x: np.ndarray) -> np.ndarray:
        r"""Hessian of :math:`\log p_t`: :math:`\sum_k r_k H_k + \mathrm{Cov}_r(\nabla \log p^{(k)}_t)`,
        shape ``(n, d, d)`` (the shape of ``x`` for a 1-D target)."""
        pts, flat = _points(x, self.dim)
        r = self.responsibilities(t, pts)
        comps = self.marginal(t).components
        scores = np.stack([c.score(0.0, pts) for c in comps], axis=1)  # (n, K, d)
        mean_s = np.einsum("nk,nkd->nd", r, scores)
        hess = np.zeros((pts.shape[0], self.dim, self.dim))
        for k, c in enumerate(comps):
            hk = -c.precision()
            hk = np.diag(hk) if hk.ndim == 1 else hk
            hess += r[:, k, None, None] * hk
        dev = scores - mean_s[:, None, :]
        hess += np.einsum("nk,nki,nkj->nij", r, dev, dev)
        if self.dim == 1:
            return hess[:, 0, 0] if flat else hess[:, :, 0]
        return hess

    def sample(self, n: int, rng: np.random.Generator, t: float = 0.0) -> np.ndarray:
        """``n`` draws of :math:`X_t`, shape ``(n, d)`` (component labels by one multinomial draw)."""
        n = v.positive_int("n", n)
        rng = v.rng(rng)
        counts = rng.multinomial(n, self.weights)
        comps = self.marginal(t).components
        out = np.concatenate([c.sample(k, rng) for c, k in zip(comps, counts) if k > 0], axis=0)
        return out[rng.permutation(n)]


def two_point_mixture(a: float, variance: float, w: float = 0.5) -> GaussianMixture:
    r"""The 1-D mixture :math:`w N(a, v) + (1 - w) N(-a, v)`.

    For ``w = 1/2`` its density is :math:`\propto e^{-x^2/(2v)}\cosh(ax/v)`.  It is strongly log-concave
    iff :math:`a^2 < v`, with constant :func:`mixture_log_concavity` for every weight.
    """
    a = v.positive("a", a, allow_zero=True)
    variance = v.positive("variance", variance)
    w = v.positive("w", w)
    if w >= 1:
        raise ValueError(f"w must be in (0, 1), got {w!r}")
    return GaussianMixture(np.array([w, 1.0 - w]), np.array([[a], [-a]]), np.array([[variance], [variance]]))


def mixture_log_concavity(a: float, variance: float) -> float:
    r"""Exact strong log-concavity of :func:`two_point_mixture`:
    :math:`L = 1/v - a^2/v^2` (derived in the book).

    With :math:`r(x)` the posterior weight of the first component,
    :math:`-\partial_x^2 \log p = 1/v - (2a/v)^2 r(1-r)`, and :math:`r` takes the value 1/2 somewhere.
    """
    a = v.positive("a", a, allow_zero=True)
    variance = v.positive("variance", variance)
    return float(1.0 / variance - a * a / (variance * variance))
