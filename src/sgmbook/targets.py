r"""Data distributions whose law, score and score derivative are known at every forward time.

Under the forward OU process of :mod:`sgmbook.ou`, :math:`X_t = m_t X_0 + \sigma_t Z` with
:math:`m_t = e^{-t}`, :math:`\sigma_t^2 = 1 - e^{-2t}`, so

* a Gaussian :math:`N(\mu, S)` stays Gaussian: :math:`N(m_t \mu,\ m_t^2 S + \sigma_t^2 I)`;
* a Gaussian mixture stays a mixture with the same weights and transformed components;
* any density :math:`p_0` gives :math:`p_t(x) = \int p_0(y)\, \varphi_{\sigma_t}(x - m_t y)\,dy`, and by
  Tweedie's formulas

  .. math:: \nabla \log p_t(x) = \frac{m_t\, E[X_0 \mid X_t = x] - x}{\sigma_t^2}, \qquad
            \partial_x^2 \log p_t(x) = -\frac{1}{\sigma_t^2} + \frac{m_t^2}{\sigma_t^4}\,
            \mathrm{Var}(X_0 \mid X_t = x).

Scores take ``x`` of shape ``(n, d)`` (``(n,)`` is accepted for ``d = 1`` targets) and a forward time
``t >= 0``; every evaluation is vectorised over the rows of ``x``.
"""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from . import _validate as v

__all__ = ["Gaussian", "GaussianMixture", "Grid1D"]

_LOG_2PI = float(np.log(2.0 * np.pi))


def _points(x: np.ndarray, dim: int) -> tuple[np.ndarray, bool]:
    """Return ``x`` as ``(n, dim)`` and whether it came in as a flat 1-D array (only for ``dim == 1``)."""
    arr = v.finite_array("x", x, ndim=(1, 2))
    if arr.ndim == 1:
        if dim != 1:
            raise ValueError(f"x must have shape (n, {dim}), got {arr.shape}")
        return arr[:, None], True
    if arr.shape[1] != dim:
        raise ValueError(f"x must have shape (n, {dim}), got {arr.shape}")
    return arr, False


def _ou(t: float) -> tuple[float, float]:
    t = v.positive("t", t, allow_zero=True)
    return float(np.exp(-t)), float(-np.expm1(-2.0 * t))


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
        m, s2 = _ou(t)
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

    def hessian_logp(self, t: float) -> np.ndarray:
        r""":math:`\nabla^2 \log p_t = -\Sigma_t^{-1}` (constant in x; ``(d,)`` if diagonal)."""
        return -self.marginal(t).precision()

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

    def logpdf(self, x: np.ndarray, t: float = 0.0) -> np.ndarray:
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
        return -0.5 * (quad + logdet + self.dim * _LOG_2PI)

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
        return np.stack([np.log(w) + c.logpdf(pts) if w > 0 else np.full(pts.shape[0], -np.inf)
                         for w, c in zip(self.weights, comps)], axis=1)

    def logpdf(self, x: np.ndarray, t: float = 0.0) -> np.ndarray:
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
        shape ``(n, d, d)`` (``(n,)`` for flat 1-D input)."""
        pts, flat = _points(x, self.dim)
        r = self.responsibilities(t, pts)
        comps = self.marginal(t).components
        scores = np.stack([c.score(0.0, pts) for c in comps], axis=1)  # (n, K, d)
        mean_s = np.einsum("nk,nkd->nd", r, scores)
        hess = np.zeros((pts.shape[0], self.dim, self.dim))
        for k, c in enumerate(comps):
            hk = c.hessian_logp(0.0)
            hk = np.diag(hk) if hk.ndim == 1 else hk
            hess += r[:, k, None, None] * hk
        dev = scores - mean_s[:, None, :]
        hess += np.einsum("nk,nki,nkj->nij", r, dev, dev)
        return hess[:, 0, 0] if flat else hess

    def sample(self, n: int, rng: np.random.Generator, t: float = 0.0) -> np.ndarray:
        """``n`` draws of :math:`X_t`, shape ``(n, d)`` (component labels by one multinomial draw)."""
        n = v.positive_int("n", n)
        rng = v.rng(rng)
        counts = rng.multinomial(n, self.weights)
        comps = self.marginal(t).components
        out = np.concatenate([c.sample(k, rng) for c, k in zip(comps, counts) if k > 0], axis=0)
        return out[rng.permutation(n)]


class Grid1D:
    r"""A 1-D target given by its (unnormalised) log-density on a uniform grid.

    The target is the density :math:`p_0 \propto e^{\ell}` on ``[y[0], y[-1]]``, with ``ell`` tabulated
    on the grid ``y`` and treated as zero outside it.  For ``t > 0`` the law of :math:`X_t` and its score
    come from the posterior of :math:`X_0` given :math:`X_t = x`, integrated over the grid by the
    trapezoid rule with log-sum-exp weights:

    .. math:: \log p_t(x) = \log \sum_j w_j\, e^{\ell(y_j) - (x - m_t y_j)^2 / (2\sigma_t^2)}
              - \tfrac12 \log(2\pi\sigma_t^2) - \log Z_0,

    and the Tweedie formulas of the module docstring.  The trapezoid rule is spectrally accurate
    while the posterior width in ``y``, :math:`\sigma_t / m_t`, is at least the grid step; smaller
    positive times raise ``ValueError``.  At ``t = 0`` the tabulated values are interpolated and
    differentiated by second-order finite differences.
    """

    def __init__(self, y: np.ndarray, log_density: np.ndarray, *, chunk: int = 2_000_000):
        y = v.finite_array("y", y, ndim=1)
        ell = np.asarray(log_density, dtype=float)
        if ell.shape != y.shape:
            raise ValueError(f"log_density must have the shape of y {y.shape}, got {ell.shape}")
        if np.any(np.isnan(ell)) or np.any(ell == np.inf):
            raise ValueError("log_density must not contain NaN or +inf (-inf marks zero density)")
        if y.size < 3:
            raise ValueError("y must hold at least 3 grid points")
        dy = np.diff(y)
        if np.any(dy <= 0) or not np.allclose(dy, dy[0], rtol=1e-8, atol=0):
            raise ValueError("y must be a uniform increasing grid")
        self.y = y
        self.dy = float(dy[0])
        self.dim = 1
        lw = np.full(y.shape, np.log(self.dy))
        lw[[0, -1]] += np.log(0.5)
        self._log_w = lw
        self.log_z = float(logsumexp(ell + lw))
        if not np.isfinite(self.log_z):
            raise ValueError("log_density must be finite somewhere")
        self.log_density = ell - self.log_z  # normalised on the grid
        self._chunk = int(chunk)

    def __repr__(self) -> str:
        return f"Grid1D(n={self.y.size}, y in [{self.y[0]:g}, {self.y[-1]:g}])"

    def min_time(self) -> float:
        r"""Smallest positive forward time the quadrature accepts: :math:`\sigma_t / m_t = \Delta y`."""
        # sigma_t / m_t = sqrt(e^{2t} - 1) = dy  <=>  t = log(1 + dy^2) / 2
        return 0.5 * float(np.log1p(self.dy ** 2))

    def posterior_moments(self, t: float, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""``(log p_t(x), E[X_0 | X_t = x], Var(X_0 | X_t = x))`` for flat ``x``, by quadrature."""
        xs = v.finite_array("x", x, ndim=1)
        m, s2 = _ou(t)
        if s2 == 0.0:
            raise ValueError("t must be > 0 for posterior moments")
        if t < self.min_time() * (1 - 1e-12):
            raise ValueError(f"t={t:g} is below the grid's resolution: t must be >= {self.min_time():.3g} "
                             f"(refine y or stop earlier)")
        base = self.log_density + self._log_w
        rows = max(1, self._chunk // self.y.size)
        logp = np.empty(xs.size)
        mean = np.empty(xs.size)
        var = np.empty(xs.size)
        for i0 in range(0, xs.size, rows):
            xc = xs[i0:i0 + rows, None]
            e = base - (xc - m * self.y) ** 2 / (2.0 * s2)
            lz = logsumexp(e, axis=1, keepdims=True)
            w = np.exp(e - lz)
            # moments about each row's posterior mode, so the variance loses no digits to cancellation
            centre = self.y[np.argmax(e, axis=1)][:, None]
            dev = self.y[None, :] - centre
            mu = np.sum(w * dev, axis=1)
            logp[i0:i0 + rows] = lz[:, 0]
            mean[i0:i0 + rows] = mu + centre[:, 0]
            var[i0:i0 + rows] = np.maximum(np.sum(w * dev * dev, axis=1) - mu * mu, 0.0)
        logp -= 0.5 * (np.log(s2) + _LOG_2PI)
        return logp, mean, var

    def logpdf(self, x: np.ndarray, t: float = 0.0) -> np.ndarray:
        """Log-density of :math:`p_t` at flat ``x`` (or ``(n, 1)``)."""
        pts, _ = _points(x, 1)
        if float(t) == 0.0:
            return np.interp(pts[:, 0], self.y, self.log_density, left=-np.inf, right=-np.inf)
        return self.posterior_moments(t, pts[:, 0])[0]

    def score(self, t: float, x: np.ndarray) -> np.ndarray:
        r"""Score :math:`(m_t E[X_0|x] - x)/\sigma_t^2`; at ``t = 0`` the finite-difference derivative."""
        pts, flat = _points(x, 1)
        xs = pts[:, 0]
        m, s2 = _ou(t)
        if s2 == 0.0:
            out = np.interp(xs, self.y, np.gradient(self.log_density, self.dy))
        else:
            _, mean, _ = self.posterior_moments(t, xs)
            out = (m * mean - xs) / s2
        return out if flat else out[:, None]

    def score_derivative(self, t: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial_x^2 \log p_t(x) = -1/\sigma_t^2 + m_t^2 \mathrm{Var}(X_0|x)/\sigma_t^4`."""
        pts, flat = _points(x, 1)
        xs = pts[:, 0]
        m, s2 = _ou(t)
        if s2 == 0.0:
            d1 = np.gradient(self.log_density, self.dy)
            out = np.interp(xs, self.y, np.gradient(d1, self.dy))
        else:
            _, _, var = self.posterior_moments(t, xs)
            out = -1.0 / s2 + m * m * var / (s2 * s2)
        return out if flat else out[:, None]

    def moments(self) -> tuple[float, float]:
        """Mean and variance of :math:`p_0` (trapezoid rule)."""
        w = np.exp(self.log_density + self._log_w)
        mean = float(w @ self.y)
        return mean, float(w @ (self.y - mean) ** 2)

    def cdf(self) -> np.ndarray:
        """CDF of :math:`p_0` at the grid points (trapezoid rule, ends at exactly 1)."""
        p = np.exp(self.log_density)
        c = np.concatenate([[0.0], np.cumsum(0.5 * (p[1:] + p[:-1]) * self.dy)])
        return c / c[-1]

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws of :math:`X_0` by inverting the piecewise-linear CDF, shape ``(n, 1)``."""
        n = v.positive_int("n", n)
        rng = v.rng(rng)
        c = self.cdf()
        keep = np.concatenate([[True], np.diff(c) > 0])
        return np.interp(rng.random(n), c[keep], self.y[keep])[:, None]
