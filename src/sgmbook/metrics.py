r"""Distances between probability laws: exact where a closed form exists, POT-backed otherwise.

* :func:`w2_gaussian` -- closed form (Bures):
  :math:`W_2^2 = |m_1 - m_2|^2 + \mathrm{tr} S_1 + \mathrm{tr} S_2 - 2 \mathrm{tr}(S_1^{1/2} S_2 S_1^{1/2})^{1/2}`.
* :func:`w2_1d` -- exact 1-D W2 between empirical measures, :math:`\int_0^1 |F^{-1} - G^{-1}|^2 du`.
* :func:`w2_1d_density` -- exact 1-D W2 between densities tabulated on grids (piecewise-constant
  cells), again through quantile functions.
* :func:`w2_empirical` (POT's exact network-simplex solver) and :func:`sliced_w2` (POT, seeded):
  Monte Carlo estimators for d > 1.
* :func:`kl_gaussian`, :func:`kl_1d_density`.

Every function returns W2 itself, not its square (POT returns squares in ``emd2`` and
``wasserstein_1d``; the conversion is done here).
"""
from __future__ import annotations

import numpy as np

from . import _validate as v

__all__ = ["w2_gaussian", "w2_1d", "w2_1d_density", "w2_empirical", "sliced_w2", "kl_gaussian",
           "kl_1d_density"]


def _sym_sqrt(S: np.ndarray) -> np.ndarray:
    w, U = np.linalg.eigh(0.5 * (S + S.T))
    return (U * np.sqrt(np.clip(w, 0.0, None))) @ U.T


def _gaussian_pair(m1, S1, m2, S2):
    m1 = v.finite_array("m1", m1, ndim=1)
    m2 = v.finite_array("m2", m2, ndim=1)
    if m1.shape != m2.shape:
        raise ValueError(f"m1 and m2 must have the same shape, got {m1.shape} and {m2.shape}")
    d = m1.shape[0]
    S1 = v.spd_matrix("S1", S1, dim=d)
    S2 = v.spd_matrix("S2", S2, dim=d)
    return m1, S1, m2, S2


def w2_gaussian(m1: np.ndarray, S1: np.ndarray, m2: np.ndarray, S2: np.ndarray) -> float:
    r"""W2 (not squared) between :math:`N(m_1, S_1)` and :math:`N(m_2, S_2)`.

    Covariances are ``(d,)`` diagonals or ``(d, d)`` matrices.  Two diagonals give
    :math:`\sum_i (\sqrt{s_{1,i}} - \sqrt{s_{2,i}})^2` for the covariance part, in :math:`O(d)` and with
    no cancellation; otherwise the Bures formula with symmetric eigen-square-roots.
    """
    m1, S1, m2, S2 = _gaussian_pair(m1, S1, m2, S2)
    mean_part = float(np.sum((m1 - m2) ** 2))
    if S1.ndim == 1 and S2.ndim == 1:
        cov_part = float(np.sum((np.sqrt(S1) - np.sqrt(S2)) ** 2))
    else:
        A = np.diag(S1) if S1.ndim == 1 else S1
        B = np.diag(S2) if S2.ndim == 1 else S2
        rA = _sym_sqrt(A)
        cross = _sym_sqrt(rA @ B @ rA)
        cov_part = max(float(np.trace(A) + np.trace(B) - 2.0 * np.trace(cross)), 0.0)
    return float(np.sqrt(mean_part + cov_part))


def kl_gaussian(m1: np.ndarray, S1: np.ndarray, m2: np.ndarray, S2: np.ndarray) -> float:
    r""":math:`\mathrm{KL}(N(m_1,S_1)\,\|\,N(m_2,S_2)) = \tfrac12[\mathrm{tr}(S_2^{-1}S_1)
    + (m_2-m_1)^\top S_2^{-1}(m_2-m_1) - d + \log\det S_2 - \log\det S_1]`."""
    m1, S1, m2, S2 = _gaussian_pair(m1, S1, m2, S2)
    d = m1.shape[0]
    dm = m2 - m1
    if S1.ndim == 1 and S2.ndim == 1:
        r = S1 / S2
        return float(0.5 * (np.sum(r - 1.0 - np.log(r)) + np.sum(dm * dm / S2)))
    A = np.diag(S1) if S1.ndim == 1 else S1
    B = np.diag(S2) if S2.ndim == 1 else S2
    LB = np.linalg.cholesky(B)
    LA = np.linalg.cholesky(A)
    X = np.linalg.solve(LB, LA)
    z = np.linalg.solve(LB, dm)
    logdet = 2.0 * (np.sum(np.log(np.diag(LB))) - np.sum(np.log(np.diag(LA))))
    return float(0.5 * (np.sum(X * X) + z @ z - d + logdet))


def _weights(name: str, w, n: int) -> np.ndarray:
    if w is None:
        return np.full(n, 1.0 / n)
    w = v.finite_array(name, w, ndim=1)
    if w.shape[0] != n or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"{name} must be {n} non-negative numbers with a positive sum")
    return w / w.sum()


def _samples_1d(name: str, x) -> np.ndarray:
    arr = v.finite_array(name, x, ndim=(1, 2))
    if arr.ndim == 2:
        if arr.shape[1] != 1:
            raise ValueError(f"{name} must be 1-D samples, shape (n,) or (n, 1), got {arr.shape}")
        arr = arr[:, 0]
    return arr


def _quantile_pieces(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(x, kind="stable")
    return x[order], np.cumsum(w[order])


def w2_1d(a: np.ndarray, b: np.ndarray, wa: np.ndarray | None = None, wb: np.ndarray | None = None) -> float:
    r"""Exact W2 between two 1-D discrete measures (uniform weights unless given).

    :math:`W_2^2 = \int_0^1 |F_a^{-1}(u) - F_b^{-1}(u)|^2\,du`, with both quantile functions piecewise
    constant; the integral is a finite sum over the merged cumulative weights.
    """
    a = _samples_1d("a", a)
    b = _samples_1d("b", b)
    if a.size == 0 or b.size == 0:
        raise ValueError("a and b must be non-empty")
    xa, ca = _quantile_pieces(a, _weights("wa", wa, a.size))
    xb, cb = _quantile_pieces(b, _weights("wb", wb, b.size))
    levels = np.union1d(ca, cb)
    levels = levels[levels < 1.0 - 1e-15]
    cuts = np.concatenate([[0.0], levels, [1.0]])
    mid = 0.5 * (cuts[1:] + cuts[:-1])
    qa = xa[np.minimum(np.searchsorted(ca, mid, side="left"), xa.size - 1)]
    qb = xb[np.minimum(np.searchsorted(cb, mid, side="left"), xb.size - 1)]
    return float(np.sqrt(np.sum(np.diff(cuts) * (qa - qb) ** 2)))


def _cell_quantile(x: np.ndarray, p: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative masses at the cell edges of a density tabulated at cell centres ``x``."""
    x = v.finite_array(f"x for {name}", x, ndim=1)
    p = v.finite_array(name, p, ndim=1)
    if x.shape != p.shape or x.size < 2:
        raise ValueError(f"{name} must have the shape of its grid (at least 2 points)")
    if np.any(np.diff(x) <= 0):
        raise ValueError(f"the grid of {name} must be strictly increasing")
    if np.any(p < 0) or p.sum() <= 0:
        raise ValueError(f"{name} must be >= 0 with positive mass")
    edges = np.concatenate([[x[0] - 0.5 * (x[1] - x[0])], 0.5 * (x[1:] + x[:-1]),
                            [x[-1] + 0.5 * (x[-1] - x[-2])]])
    mass = p * np.diff(edges)
    cum = np.concatenate([[0.0], np.cumsum(mass)])
    return edges, cum / cum[-1]


def w2_1d_density(x: np.ndarray, p: np.ndarray, y: np.ndarray, q: np.ndarray) -> float:
    r"""Exact W2 between two 1-D densities tabulated at the points ``x`` and ``y``.

    Each density is read as constant on the cell around each point, so its CDF is piecewise linear and
    its quantile function :math:`F^{-1}` piecewise linear in :math:`u`.  On the merged breakpoints both
    quantile functions are linear and :math:`\int |F^{-1} - G^{-1}|^2 du` is integrated exactly
    (Simpson's rule is exact for quadratics).  Unnormalised densities are normalised.
    """
    v.grid("x", x)
    v.grid("y", y)
    ex, cx = _cell_quantile(x, p, "p")
    ey, cy = _cell_quantile(y, q, "q")
    u = np.union1d(cx, cy)

    def quantile(edges: np.ndarray, cum: np.ndarray, uu: np.ndarray) -> np.ndarray:
        # cells whose mass is below the resolution of u (underflowed tails) carry no quantile level
        keep = np.concatenate([[True], np.diff(cum) > 4 * np.finfo(float).eps])
        return np.interp(uu, cum[keep], edges[keep])

    du = np.diff(u)
    um = 0.5 * (u[1:] + u[:-1])
    f0 = quantile(ex, cx, u) - quantile(ey, cy, u)
    fm = quantile(ex, cx, um) - quantile(ey, cy, um)
    integral = np.sum(du * (f0[:-1] ** 2 + 4.0 * fm ** 2 + f0[1:] ** 2) / 6.0)
    return float(np.sqrt(max(integral, 0.0)))


def w2_empirical(x: np.ndarray, y: np.ndarray) -> float:
    r"""W2 between two empirical measures in :math:`\mathbb R^d` (uniform weights), by POT's exact
    network-simplex solver: :math:`W_2 = (\texttt{ot.emd2}(a, b, \|x_i - y_j\|^2))^{1/2}`.

    Cost :math:`O(n^3)`: keep ``n`` below a few thousand.
    """
    import ot

    x = v.finite_array("x", x, ndim=2)
    y = v.finite_array("y", y, ndim=2)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y must have the same dimension, got {x.shape[1]} and {y.shape[1]}")
    a = np.full(x.shape[0], 1.0 / x.shape[0])
    b = np.full(y.shape[0], 1.0 / y.shape[0])
    cost = ot.dist(x, y)  # squared Euclidean
    return float(np.sqrt(max(ot.emd2(a, b, cost, numItermax=10_000_000), 0.0)))


def sliced_w2(x: np.ndarray, y: np.ndarray, n_projections: int = 200, *, rng: np.random.Generator) -> float:
    r"""Sliced W2, :math:`(\int_{S^{d-1}} W_2^2(\theta_\# \mu, \theta_\# \nu)\,d\theta)^{1/2}`, estimated
    by POT with ``n_projections`` uniform random directions drawn from ``rng``."""
    import ot

    x = v.finite_array("x", x, ndim=2)
    y = v.finite_array("y", y, ndim=2)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y must have the same dimension, got {x.shape[1]} and {y.shape[1]}")
    n_projections = v.positive_int("n_projections", n_projections)
    rng = v.rng(rng)
    theta = rng.standard_normal((x.shape[1], n_projections))
    theta /= np.linalg.norm(theta, axis=0, keepdims=True)
    return float(ot.sliced_wasserstein_distance(x, y, p=2, projections=theta))


def kl_1d_density(x: np.ndarray, p: np.ndarray, q: np.ndarray) -> float:
    r""":math:`\mathrm{KL}(p\,\|\,q) = \int p \log(p/q)` for densities on one uniform grid (trapezoid rule,
    both normalised first).  Raises if ``q`` vanishes where ``p`` does not."""
    x = v.grid("x", x)
    p = v.finite_array("p", p, ndim=1)
    q = v.finite_array("q", q, ndim=1)
    if not (x.shape == p.shape == q.shape):
        raise ValueError("x, p and q must have the same shape")
    if np.any(p < 0) or np.any(q < 0) or p.sum() <= 0 or q.sum() <= 0:
        raise ValueError("p and q must be >= 0 with positive mass")
    w = np.gradient(x)
    w[[0, -1]] = 0.5 * np.diff(x)[[0, -1]]
    p = p / (p @ w)
    q = q / (q @ w)
    support = p > 0
    if np.any(q[support] == 0):
        raise ValueError("q must be > 0 wherever p > 0 (otherwise KL is infinite)")
    integrand = np.zeros_like(p)
    integrand[support] = p[support] * (np.log(p[support]) - np.log(q[support]))
    return float(max(integrand @ w, 0.0))
