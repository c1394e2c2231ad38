r"""Targets in :math:`\mathbb R^n` with exact derivatives at every forward time (book time ``t``).

Both classes follow the target contract: ``dim``, ``logpdf(t, x)``, ``score(t, x)``,
``hessian_logp(t, x)`` (dense, for tests at small ``n``), ``sample(n, rng, t=0.0)``; points ``x`` have
shape ``(..., n)``.  The forward process is the book's OU process of :mod:`sgmbook.ou`,
:math:`X_t = m_t X_0 + \sigma_t Z` with :math:`m_t = e^{-t}`, :math:`\sigma_t^2 = 1 - e^{-2t}`
(Mooney et al.'s OU time is :math:`\tau = 2t`, their heat time :math:`s = \sigma_t^2`).

* :class:`IsotropicMixture` -- :math:`\sum_k w_k N(\mu_k, v_k I_n)`.  Its Hessian is a multiple of the
  identity plus a matrix of rank at most :math:`K`, so its extreme eigenvalues come from a
  :math:`K \times K` problem (:meth:`IsotropicMixture.hessian_extreme_eigs`).
* :class:`CosineRidge` -- :math:`p_0 \propto e^{-|x|^2/2 - a\cos(w \cdot x)}`, a non-separable smooth
  perturbation of the standard Gaussian with :math:`\|D^2 g\| \le a|w|^2`; it is one-dimensional along
  :math:`w` and exactly Gaussian across, and its 1-D heat evolution has a closed Fourier series.
"""
from __future__ import annotations

import numpy as np
from scipy.special import ive, logsumexp

from .. import _validate as v
from .. import ou

__all__ = ["IsotropicMixture", "CosineRidge"]

_LOG_2PI = float(np.log(2.0 * np.pi))


def _points(x, dim: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """``x`` of shape ``(..., dim)`` as ``(P, dim)`` plus the leading shape."""
    arr = v.finite_array("x", x)
    if arr.ndim == 0 or arr.shape[-1] != dim:
        raise ValueError(f"x must have shape (..., {dim}), got {arr.shape}")
    return arr.reshape(-1, dim), arr.shape[:-1]


def _clock(t) -> tuple[float, float]:
    """``(m_t, sigma_t^2)`` through :mod:`sgmbook.ou`."""
    t = v.positive("t", t, allow_zero=True)
    return float(ou.mean_factor(t)), float(ou.variance(t))


class IsotropicMixture:
    r"""Gaussian mixture :math:`p_0 = \sum_k w_k N(\mu_k, v_k I_n)` in :math:`\mathbb R^n`.

    Under the OU flow, component :math:`k` becomes :math:`N(m_t\mu_k, c_k I)` with
    :math:`c_k = m_t^2 v_k + \sigma_t^2`.  With responsibilities :math:`r_k(x)` (log-sum-exp) and
    component scores :math:`s_k = -(x - m_t\mu_k)/c_k`,

    .. math:: \nabla\log p_t = \sum_k r_k s_k, \qquad
              \nabla^2\log p_t = -\alpha I + \sum_k r_k (s_k - \bar s)(s_k - \bar s)^\top,
              \quad \alpha = \sum_k r_k / c_k .

    The second term is :math:`D^\top D` with rows :math:`D_k = \sqrt{r_k}(s_k - \bar s)`; its nonzero
    eigenvalues are those of the :math:`K \times K` Gram matrix :math:`D D^\top`.
    """

    def __init__(self, weights, means, variances):
        w = v.finite_array("weights", weights, ndim=1)
        if np.any(w < 0) or w.sum() <= 0:
            raise ValueError("weights must be >= 0 with a positive sum")
        mu = v.finite_array("means", means, ndim=2)
        if mu.shape[0] != w.size:
            raise ValueError(f"means must have {w.size} rows (one per weight), got {mu.shape[0]}")
        var = np.broadcast_to(v.finite_array("variances", variances, ndim=(0, 1)), (w.size,)).astype(float)
        if np.any(var <= 0):
            raise ValueError(f"variances must be > 0, got {var}")
        self.weights = w / w.sum()
        self.means = mu
        self.variances = var.copy()
        self.dim = int(mu.shape[1])
        self.K = int(w.size)
        self._gram = mu @ mu.T  # (K, K)

    def __repr__(self) -> str:
        return f"IsotropicMixture(K={self.K}, dim={self.dim})"

    def _c(self, t):
        m, s2 = _clock(t)
        return m, m * m * self.variances + s2

    def _log_terms(self, t, X):
        m, c = self._c(t)
        xm = X @ self.means.T  # (P, K)
        sq = np.sum(X * X, axis=1)[:, None] - 2 * m * xm + m * m * np.diag(self._gram)[None, :]
        sq = np.maximum(sq, 0.0)
        lt = np.log(self.weights) - 0.5 * self.dim * np.log(2 * np.pi * c) - sq / (2 * c)
        return lt, xm, m, c

    def logpdf(self, t: float, x) -> np.ndarray:
        r""":math:`\log p_t(x) = \log\sum_k w_k\,\varphi(x; m_t\mu_k, c_k I)` (log-sum-exp)."""
        X, lead = _points(x, self.dim)
        lt = self._log_terms(t, X)[0]
        return logsumexp(lt, axis=1).reshape(lead)

    def responsibilities(self, t: float, x) -> np.ndarray:
        """Posterior component probabilities :math:`r_k(x)`, shape ``(..., K)``."""
        X, lead = _points(x, self.dim)
        lt = self._log_terms(t, X)[0]
        return np.exp(lt - logsumexp(lt, axis=1, keepdims=True)).reshape(lead + (self.K,))

    def _parts(self, t, X):
        lt, xm, m, c = self._log_terms(t, X)
        r = np.exp(lt - logsumexp(lt, axis=1, keepdims=True))
        alpha = r @ (1.0 / c)
        return r, xm, m, c, alpha

    def score(self, t: float, x) -> np.ndarray:
        r"""Exact score :math:`-\alpha x + m_t \sum_k (r_k/c_k)\mu_k`, shape ``(..., n)``."""
        X, lead = _points(x, self.dim)
        r, _, m, c, alpha = self._parts(t, X)
        out = -alpha[:, None] * X + m * (r / c) @ self.means
        return out.reshape(lead + (self.dim,))

    def _centred(self, t, X):
        r"""Pieces of :math:`s_k - \bar s = \beta_k x + m\gamma_k`, :math:`\beta_k = \alpha - 1/c_k`,
        :math:`\gamma_k = \sum_j (\delta_{kj} - r_j)\mu_j/c_j` (no cancellation for equal ``c``)."""
        r, xm, m, c, alpha = self._parts(t, X)
        beta = alpha[:, None] - 1.0 / c[None, :]  # (P, K)
        B = (np.eye(self.K)[None, :, :] - r[:, None, :]) / c[None, None, :]  # (P, K, K)
        return r, xm, m, alpha, beta, B

    def hessian_gram(self, t: float, x) -> tuple[np.ndarray, np.ndarray]:
        r"""``(alpha, G)``: :math:`\nabla^2 \log p_t = -\alpha I + D^\top D`, with the
        :math:`K \times K` Gram matrix :math:`G = D D^\top`, shapes ``(P,)`` and ``(P, K, K)``."""
        X, _ = _points(x, self.dim)
        r, xm, m, alpha, beta, B = self._centred(t, X)
        xg = np.einsum("pkj,pj->pk", B, xm)  # x . gamma_k
        gg = np.einsum("pki,ij,plj->pkl", B, self._gram, B)  # gamma_k . gamma_l
        x2 = np.sum(X * X, axis=1)
        dd = (beta[:, :, None] * beta[:, None, :] * x2[:, None, None]
              + m * (beta[:, :, None] * xg[:, None, :] + beta[:, None, :] * xg[:, :, None])
              + m * m * gg)
        sr = np.sqrt(r)
        return alpha, sr[:, :, None] * dd * sr[:, None, :]

    def hessian_extreme_eigs(self, t: float, x) -> tuple[np.ndarray, np.ndarray]:
        r"""``(lambda_min, lambda_max)`` of :math:`\nabla^2\log p_t(x)`, shape ``(...)`` each, through the
        :math:`K \times K` problem: the spectrum of :math:`D^\top D` is the top :math:`\min(n, K)`
        eigenvalues of :math:`G` padded with :math:`n - K` zeros when :math:`n > K`."""
        X, lead = _points(x, self.dim)
        alpha, G = self.hessian_gram(t, X)
        e = np.clip(np.linalg.eigvalsh(G), 0.0, None)  # ascending, (P, K)
        top = e[:, -1]
        # n < K: the n x n spectrum is the top n of G; n >= K: rank(D) <= K - 1 < n, so 0 is in it
        low = e[:, self.K - self.dim] if self.dim < self.K else np.zeros(X.shape[0])
        return (-alpha + low).reshape(lead), (-alpha + top).reshape(lead)

    def hessian_logp(self, t: float, x) -> np.ndarray:
        """Dense Hessian, shape ``(..., n, n)`` (for tests at small ``n``)."""
        X, lead = _points(x, self.dim)
        r, _, m, c, alpha = self._parts(t, X)
        s = (-X[:, None, :] + m * self.means[None, :, :]) / c[None, :, None]  # (P, K, n)
        d = s - np.einsum("pk,pkn->pn", r, s)[:, None, :]
        H = np.einsum("pk,pki,pkj->pij", r, d, d) - alpha[:, None, None] * np.eye(self.dim)
        return H.reshape(lead + (self.dim, self.dim))

    def sample(self, n: int, rng: np.random.Generator, t: float = 0.0) -> np.ndarray:
        """``n`` draws of :math:`X_t`, shape ``(n, dim)``."""
        n = v.positive_int("n", n)
        rng = v.rng(rng)
        m, c = self._c(t)
        lab = rng.choice(self.K, size=n, p=self.weights)
        z = rng.standard_normal((n, self.dim))
        return m * self.means[lab] + np.sqrt(c[lab])[:, None] * z


class CosineRidge:
    r""":math:`p_0(x) = e^{-g(x)}\gamma_n(x)/Z`, :math:`g(x) = a\cos(w\cdot x)`, in :math:`\mathbb R^n`.

    :math:`D^2 g = -a\cos(w\cdot x)\, w w^\top`, so :math:`\|D^2 g\| \le L = a|w|^2` and
    :math:`-L I \preceq D^2 g \preceq L I`.  With :math:`u = w/|w|` and :math:`\omega = |w|`, the law
    factorises into a 1-D law of :math:`z = u\cdot x` and a standard Gaussian across; the OU flow keeps
    the factorisation (the Gaussian factor is invariant).  The heat-picture density along :math:`u`
    (heat time :math:`s`, :math:`\bar p(s,\cdot) = e^{-g}*N(0,s)`) is, from
    :math:`e^{-a\cos\theta} = I_0(a) + 2\sum_{k\ge1}(-1)^k I_k(a)\cos k\theta`,

    .. math:: \bar p(s, \zeta) = I_0(a) + 2\sum_{k \ge 1} (-1)^k I_k(a)\, e^{-k^2\omega^2 s/2}
              \cos(k\omega\zeta),

    and :math:`\log p_t(x) = \log\gamma_n(x) + \log\bar p(\sigma_t^2, m_t z) - \log\bar p(1, 0)`
    (the heat transform of Mooney et al., Section 2; the series is the book's).
    """

    def __init__(self, dim: int, a: float, w):
        self.dim = v.positive_int("dim", dim)
        self.a = v.positive("a", a)
        if self.a > 50:
            raise ValueError(f"a must be in (0, 50], got {a!r}")
        w = v.finite_array("w", w, ndim=1)
        if w.shape != (self.dim,):
            raise ValueError(f"w must have shape ({self.dim},), got {w.shape}")
        self.omega = float(np.linalg.norm(w))
        if self.omega == 0:
            raise ValueError("w must be nonzero")
        self.u = w / self.omega
        self.L = self.a * self.omega ** 2
        k = np.arange(0, 400)
        c = ive(k, self.a)
        kmax = int(np.nonzero(c / c[0] > 1e-18)[0].max()) + 1
        self._k = k[:kmax + 1]
        self._c = np.where(self._k == 0, 1.0, 2.0) * (-1.0) ** self._k * c[:kmax + 1]
        self._logZ = float(np.log(self.heat_profile(1.0, np.zeros(1))[0][0]))

    def __repr__(self) -> str:
        return f"CosineRidge(dim={self.dim}, a={self.a:g}, |w|={self.omega:g})"

    def heat_profile(self, s: float, zeta) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""``(pbar, d pbar, d2 pbar)`` in :math:`\zeta` at heat time :math:`s \in [0, 1]` (Fourier series)."""
        s = v.positive("s", s, allow_zero=True)
        if s > 1:
            raise ValueError(f"s (heat time) must lie in [0, 1], got {s!r}")
        z = v.finite_array("zeta", zeta)
        kw = self._k * self.omega
        amp = self._c * np.exp(-0.5 * kw ** 2 * s)
        ph = z[..., None] * kw
        cos, sin = np.cos(ph), np.sin(ph)
        return cos @ amp, -(sin @ (amp * kw)), -(cos @ (amp * kw ** 2))

    def heat_curvature(self, s: float, zeta) -> np.ndarray:
        r""":math:`(\log\bar p)''(s, \zeta)`; then :math:`D^2\bar q(s, y) = -(\log\bar p)''(s, u\cdot y)\,u u^\top`."""
        p, d1, d2 = self.heat_profile(s, zeta)
        return d2 / p - (d1 / p) ** 2

    def logpdf(self, t: float, x) -> np.ndarray:
        r""":math:`\log\gamma_n(x) + \log\bar p(\sigma_t^2, m_t u\cdot x) - \log\bar p(1, 0)`."""
        X, lead = _points(x, self.dim)
        m, s2 = _clock(t)
        p = self.heat_profile(s2, m * (X @ self.u))[0]
        out = -0.5 * np.sum(X * X, axis=1) - 0.5 * self.dim * _LOG_2PI + np.log(p) - self._logZ
        return out.reshape(lead)

    def score(self, t: float, x) -> np.ndarray:
        r""":math:`-x + m_t (\bar p'/\bar p)(\sigma_t^2, m_t z)\, u`."""
        X, lead = _points(x, self.dim)
        m, s2 = _clock(t)
        p, d1, _ = self.heat_profile(s2, m * (X @ self.u))
        out = -X + (m * d1 / p)[:, None] * self.u
        return out.reshape(lead + (self.dim,))

    def _curv(self, t, X):
        m, s2 = _clock(t)
        return m * m * self.heat_curvature(s2, m * (X @ self.u))

    def hessian_extreme_eigs(self, t: float, x) -> tuple[np.ndarray, np.ndarray]:
        r""":math:`\nabla^2\log p_t = -I + m_t^2(\log\bar p)''\,u u^\top`: eigenvalues :math:`-1`
        (multiplicity :math:`n - 1`) and :math:`-1 + m_t^2(\log\bar p)''`."""
        X, lead = _points(x, self.dim)
        lam = -1.0 + self._curv(t, X)
        if self.dim == 1:
            return lam.reshape(lead), lam.reshape(lead)
        return np.minimum(lam, -1.0).reshape(lead), np.maximum(lam, -1.0).reshape(lead)

    def hessian_logp(self, t: float, x) -> np.ndarray:
        """Dense Hessian, shape ``(..., n, n)`` (for tests at small ``n``)."""
        X, lead = _points(x, self.dim)
        c = self._curv(t, X)
        H = -np.eye(self.dim) + c[:, None, None] * np.outer(self.u, self.u)
        return H.reshape(lead + (self.dim, self.dim))

    def sample(self, n: int, rng: np.random.Generator, t: float = 0.0) -> np.ndarray:
        r"""``n`` draws of :math:`X_t`: :math:`z` by rejection from :math:`N(0,1)` with acceptance
        :math:`e^{-a\cos(\omega z) - a}`, a standard Gaussian across :math:`u`, then the OU transition."""
        n = v.positive_int("n", n)
        rng = v.rng(rng)
        m, s2 = _clock(t)
        z = np.empty(0)
        while z.size < n:
            prop = rng.standard_normal(2 * n)
            keep = rng.random(2 * n) < np.exp(-self.a * np.cos(self.omega * prop) - self.a)
            z = np.concatenate([z, prop[keep]])
        g = rng.standard_normal((n, self.dim))
        x0 = g - np.outer(g @ self.u, self.u) + np.outer(z[:n], self.u)
        return m * x0 + np.sqrt(s2) * rng.standard_normal((n, self.dim))
