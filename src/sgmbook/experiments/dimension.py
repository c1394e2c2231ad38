r"""Experiments of the chapter on Mooney et al. in :math:`n` dimensions (book time ``t`` throughout;
Mooney et al.'s OU time is :math:`\tau = 2t`, heat time :math:`s = 1 - e^{-2t}`, via :mod:`sgmbook.ou`).

* :func:`heat_hessian_norm` -- :math:`\|D^2\bar q(s, y)\|` from the extreme eigenvalues of a target;
* :func:`derivative_errors` -- a target's score, Hessian and extreme eigenvalues against finite
  differences and dense eigenvalues;
* :func:`ball_sample`, :func:`local_sup_lower` -- a lower estimate of a supremum over a ball, by
  sampling plus a local (derivative-free) ascent;
* :func:`girsanov_term_mc` -- the discretisation term of the Girsanov bound by Monte Carlo along exact
  forward paths, with exact scores; :func:`girsanov_term_gaussian` -- the same term in closed form for
  :math:`N(0, \mathrm{diag}(v))`;
* :func:`ei_gaussian_kl` -- the exact KL of the exponential integrator on a Gaussian target;
* :func:`loglog_fit` -- a log-log slope with a confidence interval;
* :func:`rescaled_means` -- random mixture means with a fixed spread (so that the curvature constants do
  not depend on :math:`n`).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy import stats

from .. import _validate as v
from .. import laws, ou, schedules
from ..bounds.mooney_nd import half_diameter
from .._loglog import log_pairs
from ..metrics import kl_gaussian
from ..targets import Gaussian

__all__ = ["heat_hessian_norm", "derivative_errors", "ball_sample", "local_sup_lower", "girsanov_term_mc",
           "girsanov_term_gaussian", "ei_gaussian_kl", "loglog_fit", "rescaled_means"]


def heat_hessian_norm(target, t: float, y) -> np.ndarray:
    r""":math:`\|D^2\bar q(s, y)\|` at heat time :math:`s = \sigma_t^2`, heat point ``y`` (``(..., n)``).

    From the heat transform (Mooney et al., Section 2), :math:`\nabla^2\log p_t(x) = -I -
    e^{-2t} D^2\bar q(s, e^{-t}x)`, so with :math:`\lambda_{\min}, \lambda_{\max}` of
    :math:`\nabla^2\log p_t` at :math:`x = e^{t}y`:
    :math:`\|D^2\bar q\| = e^{2t}\max(|1 + \lambda_{\min}|, |1 + \lambda_{\max}|)`."""
    v.duck("target", target, ("hessian_extreme_eigs",), "a target")
    y = v.finite_array("y", y, ndim=tuple(range(1, 33)))
    if y.shape[-1] != getattr(target, "dim", y.shape[-1]):
        raise ValueError(f"y must have shape (..., {target.dim}), got {y.shape}")
    m = float(ou.mean_factor(v.in_range("t", t, 0.0, 700.0)))
    lo, hi = target.hessian_extreme_eigs(t, np.asarray(y, dtype=float) / m)
    return np.maximum(np.abs(1.0 + lo), np.abs(1.0 + hi)) / (m * m)


def derivative_errors(target, t: float, x, h: float = 1e-5) -> tuple[float, float, float]:
    r"""``(score, hessian, eigs)``: the largest absolute errors, at the rows of ``x`` (``(k, n)``) and
    book time ``t``, of ``target.score`` against centred differences of ``target.logpdf``, of
    ``target.hessian_logp`` against centred differences of ``target.score`` (step ``h``; truncation
    error :math:`O(h^2)`, rounding :math:`O(10^{-16}/h)`), and of ``target.hessian_extreme_eigs``
    against ``numpy.linalg.eigvalsh`` of the dense Hessian (the :math:`K \times K` reduction derived
    in the book's chapter on dimension)."""
    X = v.finite_array("x", x, ndim=2)
    h = v.positive("h", h)
    n = X.shape[1]
    E = np.eye(n)
    fd = np.stack([target.logpdf(t, X + h * E[i]) - target.logpdf(t, X - h * E[i])
                   for i in range(n)], -1) / (2 * h)
    e_s = float(np.abs(fd - target.score(t, X)).max())
    H = target.hessian_logp(t, X)
    fdh = np.stack([target.score(t, X + h * E[i]) - target.score(t, X - h * E[i])
                    for i in range(n)], -1) / (2 * h)
    e_h = float(np.abs(fdh - H).max())
    lam = np.linalg.eigvalsh(H)
    lo, hi = target.hessian_extreme_eigs(t, X)
    e_e = max(float(np.abs(lo - lam[:, 0]).max()), float(np.abs(hi - lam[:, -1]).max()))
    return e_s, e_h, e_e


def ball_sample(x0, r: float, n_points: int, rng: np.random.Generator) -> np.ndarray:
    """``n_points`` uniform draws from the ball :math:`|y - x_0| \\le r` in :math:`\\mathbb R^n`."""
    x0 = v.finite_array("x0", x0, ndim=1)
    r = v.positive("r", r)
    P = v.positive_int("n_points", n_points)
    rng = v.rng(rng)
    g = rng.standard_normal((P, x0.size))
    g /= np.linalg.norm(g, axis=1, keepdims=True)
    rad = r * rng.random(P) ** (1.0 / x0.size)
    return x0 + rad[:, None] * g


def _project(y, x0, r):
    d = y - x0
    nrm = np.linalg.norm(d, axis=1, keepdims=True)
    return x0 + d * np.minimum(1.0, r / np.maximum(nrm, 1e-300))


def local_sup_lower(f: Callable[[np.ndarray], np.ndarray], x0, r: float, rng: np.random.Generator, *,
                    n_samples: int = 2000, n_starts: int = 16, n_iter: int = 80,
                    basis: np.ndarray | None = None,
                    edge_points: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    r"""Lower estimate of :math:`\sup_{|y - x_0| \le r} f(y)`: ``n_samples`` uniform points of the ball
    (and, with ``basis``, as many uniform points of the ball of the subspace
    :math:`x_0 + \mathrm{span}(B)`; plus optional ``edge_points``, projected on the ball), then from
    the ``n_starts`` best a random-search ascent (proposals :math:`y + h\,B\xi`, :math:`\xi \sim N(0, I)`, in the span of the columns of
    ``basis``, default all of :math:`\mathbb R^n`; kept if :math:`f` grows; step :math:`h` grows by 1.5
    on success and shrinks by 0.6 otherwise), projected on the ball.  Any value returned is
    :math:`f` at a point of the ball, so it is :math:`\le` the supremum.  ``f`` maps ``(P, n)`` to ``(P,)``.
    Returns ``(value, point)``."""
    if not callable(f):
        raise TypeError("f must be a callable (P, n) -> (P,)")
    x0 = v.finite_array("x0", x0, ndim=1)
    r = v.positive("r", r)
    rng = v.rng(rng)
    v.positive_int("n_samples", n_samples)
    S = v.positive_int("n_starts", n_starts)
    it = v.positive_int("n_iter", n_iter)
    y = ball_sample(x0, r, n_samples, rng)
    if basis is None:
        B = np.eye(x0.size)
    else:
        B = v.finite_array("basis", basis, ndim=2)
        if B.shape[0] != x0.size:
            raise ValueError(f"basis must have {x0.size} rows, got {B.shape[0]}")
        B = np.linalg.qr(B)[0]  # orthonormal columns: the subspace ball below has radius r
        y = np.concatenate([y, x0 + ball_sample(np.zeros(B.shape[1]), r, n_samples, rng) @ B.T])
    if edge_points is not None:
        y = np.concatenate([y, _project(v.finite_array("edge_points", edge_points, ndim=2), x0, r)])
    fy = v.callable_output("f", f, f(y), None, (y.shape[0],))
    best = np.argsort(fy)[-min(S, fy.size):]
    y, fy = y[best], fy[best]
    h = np.full(y.shape[0], 0.25 * r)
    for _ in range(it):
        prop = _project(y + h[:, None] * (rng.standard_normal((y.shape[0], B.shape[1])) @ B.T), x0, r)
        fp = v.callable_output("f", f, f(prop), None, (prop.shape[0],))
        up = fp > fy
        y[up], fy[up] = prop[up], fp[up]
        h = np.where(up, 1.5 * h, 0.6 * h)
    i = int(np.argmax(fy))
    return float(fy[i]), y[i].copy()


def _check_times(times):
    grid = v.finite_array("times", times, ndim=1)
    if grid.size < 2 or np.any(np.diff(grid) >= 0) or grid[-1] < 0:
        raise ValueError("times must be a strictly decreasing grid of forward times >= 0")
    return grid


def girsanov_term_mc(target, times, n_paths: int, rng: np.random.Generator,
                     n_nodes: int = 3) -> tuple[float, float]:
    r"""Monte Carlo estimate and 95% half-width of the discretisation term of the Girsanov bound
    (the book's proposition after Chen et al. 2023, chapter on local Lipschitz bounds):

    .. math:: G = \sum_k \int_{t_{k+1}}^{t_k} \mathbb E\,|\nabla\log p_t(X_t) -
              \nabla\log p_{t_k}(X_{t_k})|^2\,dt,

    with ``n_nodes`` Gauss-Legendre nodes per step.  Each of the ``n_paths`` i.i.d. paths starts from
    ``target.sample`` at :math:`t = 0` and is advanced exactly by the OU transition through the nodes and
    grid times in increasing order; each path gives one value of the quadrature sum, and the estimate
    is their mean (half-width :math:`1.96\,\mathrm{sd}/\sqrt{P}`)."""
    v.duck("target", target, ("sample", "score"), "a target")
    grid = _check_times(times)
    P = v.positive_int("n_paths", n_paths)
    q = v.positive_int("n_nodes", n_nodes)
    rng = v.rng(rng)
    gx, gw = np.polynomial.legendre.leggauss(q)
    x = target.sample(P, rng, t=float(grid[-1]))
    now = float(grid[-1])
    acc = np.zeros(P)

    def advance(x, t_from, t_to):
        m = float(ou.mean_factor(t_to - t_from))
        return m * x + np.sqrt(float(ou.variance(t_to - t_from))) * rng.standard_normal(x.shape)

    for k in range(grid.size - 2, -1, -1):  # intervals [t_{k+1}, t_k] in increasing time
        lo_t, hi_t = float(grid[k + 1]), float(grid[k])
        half = 0.5 * (hi_t - lo_t)
        stored = []
        for node, weight in zip(gx, gw):
            tn = lo_t + half * (node + 1.0)
            x = advance(x, now, tn)
            now = tn
            stored.append((half * weight, target.score(tn, x)))
        x = advance(x, now, hi_t)
        now = hi_t
        s_k = target.score(hi_t, x)
        for wgt, s in stored:
            acc += wgt * np.sum((s - s_k) ** 2, axis=1)
    return float(acc.mean()), float(1.96 * acc.std(ddof=1) / np.sqrt(P))


def girsanov_term_gaussian(variances, times, n_nodes: int = 3) -> float:
    r"""The term :math:`G` of :func:`girsanov_term_mc` in closed form for :math:`p_0 = N(0, \mathrm{diag}(v))`
    (derived in the book): coordinatewise :math:`\nabla\log p_t = -x_i/c_i(t)`,
    :math:`c_i(t) = m_t^2 v_i + \sigma_t^2`, :math:`\mathrm{Cov}(X_t^i, X_{t'}^i) = e^{-(t'-t)}c_i(t)`, so

    .. math:: \mathbb E|\cdot|^2 = \sum_i \Bigl[\frac{1}{c_i(t)} + \frac{1}{c_i(t_k)}
              - \frac{2 e^{-(t_k - t)}}{c_i(t_k)}\Bigr],

    integrated with the same Gauss-Legendre rule (``n_nodes`` per step)."""
    var = v.finite_array("variances", variances, ndim=1)
    if np.any(var <= 0):
        raise ValueError("variances must be > 0")
    grid = _check_times(times)
    q = v.positive_int("n_nodes", n_nodes)
    gx, gw = np.polynomial.legendre.leggauss(q)

    def c(t):
        return float(ou.mean_factor(t)) ** 2 * var + float(ou.variance(t))

    total = 0.0
    for k in range(grid.size - 1):
        lo_t, hi_t = float(grid[k + 1]), float(grid[k])
        half = 0.5 * (hi_t - lo_t)
        ck = c(hi_t)
        for node, weight in zip(gx, gw):
            tn = lo_t + half * (node + 1.0)
            ct = c(tn)
            e = float(ou.mean_factor(hi_t - tn))
            total += half * weight * float(np.sum(1.0 / ct + 1.0 / ck - 2.0 * e / ck))
    return total


def ei_gaussian_kl(variances, T: float, n_steps: int, start: str = "exact") -> float:
    r"""Exact :math:`\mathrm{KL}(p_0 \,\|\, \hat q)` of the uniform-step exponential integrator with the
    exact score on :math:`p_0 = N(0, \mathrm{diag}(v))`: the scheme is linear, so its law is Gaussian
    (:func:`sgmbook.laws.gaussian`), started at :math:`p_T` (``"exact"``) or :math:`N(0, I)`
    (``"standard"``); KL by :func:`sgmbook.metrics.kl_gaussian`."""
    var = v.finite_array("variances", variances, ndim=1)
    if np.any(var <= 0):
        raise ValueError(f"variances must be > 0, got min {float(var.min())!r}")
    T = v.positive("T", T)
    N = v.positive_int("n_steps", n_steps)
    if start not in ("exact", "standard"):
        raise ValueError(f"start must be 'exact' or 'standard', got {start!r}")
    g = Gaussian(np.zeros(var.size), var)
    p_T = g.marginal(T)
    cov0 = p_T.cov if start == "exact" else np.ones(var.size)
    m, S = laws.gaussian(g.affine_score, np.zeros(var.size), cov0, schedules.uniform(T, 0.0, N),
                         scheme="ei")
    return kl_gaussian(g.mean, g.cov, m, S)


def loglog_fit(x, y, level: float = 0.95) -> tuple[float, float, float]:
    r"""``(slope, lower, upper)``: least-squares slope of :math:`\log y` on :math:`\log x` with its
    ``level`` confidence interval (Student t with :math:`k - 2` degrees of freedom, :math:`k` points).
    The interval reflects the scatter about a straight line; it is not a statement about a model."""
    lx, ly = log_pairs(x, y, 3)
    lev = v.positive("level", level)
    if not lev < 1:
        raise ValueError(f"level must lie in (0, 1), got {level!r}")
    dx = lx - lx.mean()
    slope = float(dx @ (ly - ly.mean()) / (dx @ dx))
    resid = ly - ly.mean() - slope * dx
    stderr = float(np.sqrt(resid @ resid / (lx.size - 2) / (dx @ dx)))
    half = float(stats.t.ppf(0.5 + lev / 2, lx.size - 2)) * stderr
    return slope, slope - half, slope + half


def rescaled_means(n: int, K: int, rho: float, rng: np.random.Generator) -> np.ndarray:
    r"""``(K, n)`` means drawn i.i.d. :math:`N(0, I_n)` and rescaled to the spread
    :math:`\rho = \tfrac12\max_{k,l}|\mu_k - \mu_l|` (:func:`sgmbook.bounds.mooney_nd.half_diameter`), so
    that an identity-covariance mixture with these means has :math:`M_0 = \rho^2` in every dimension
    (the book's lemma on isotropic mixtures, chapter on dimension)."""
    n = v.positive_int("n", n)
    K = v.positive_int("K", K)
    if K < 2:
        raise ValueError(f"K must be >= 2 (one mean has no spread), got {K}")
    rho = v.positive("rho", rho)
    rng = v.rng(rng)
    mu = rng.standard_normal((K, n))
    return mu * rho / half_diameter(mu)
