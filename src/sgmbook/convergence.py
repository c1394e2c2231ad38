r"""Error of the exponential integrator on 1-D targets, computed from the scheme's exact grid law,
and the convergence-bound shapes of Mooney et al. (arXiv 2405.16104, Section 4 of the camera-ready).

Clocks.  The samplers use the book's time :math:`t` (:math:`dX = -X\,dt + \sqrt2\,dB`, the clock of
Bruno et al.'s public code).  For Mooney et al. the book uses :math:`dX = -\tfrac12 X\,d\tau + dW`, the
normalisation consistent with the critical time :math:`-\log(1 - 1/M_0)` and the heat time :math:`1/2`
quoted from the paper (their display of the SDE could not be checked); then :math:`\tau = 2t`.  Functions that implement the
paper's bound shapes take the paper's OU time ``tau``; the numerical experiments take book time ``T``.

Contents

* step schedules: :func:`uniform_times`, :func:`split_times` (two uniform pieces, "time-split");
* the scheme's law and its error: :func:`scheme_law_1d`, :func:`scheme_errors`, :func:`init_kl_1d`;
* the Girsanov bound of the discretisation (derived in the book after Chen et al., 2023):
  :func:`girsanov_discretisation_bound`;
* the growth constant of the reverse drift used in the well-posedness argument:
  :func:`reverse_drift_growth`, and the local Lipschitz constant on balls: :func:`local_lipschitz`;
* the bound shapes: :func:`case_one_horizon`, :func:`case_one_lipschitz`, :func:`case_one_bound`,
  :func:`case_two_bound`, :func:`case_two_steps`, :func:`early_stopping_lipschitz`;
* :func:`loglog_slope`.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import _validate as v
from .bounds.mooney import hessian_logp_bounds
from .metrics import kl_1d_density, w2_1d_density
from .samplers import grid_law_1d, time_grid

__all__ = [
    "uniform_times", "split_times", "scheme_law_1d", "scheme_errors", "init_kl_1d",
    "girsanov_discretisation_bound", "reverse_drift_growth", "local_lipschitz",
    "case_one_horizon", "case_one_lipschitz", "case_one_bound", "case_two_bound", "case_two_steps",
    "early_stopping_lipschitz", "loglog_slope",
]

Score = Callable[[float, np.ndarray], np.ndarray]
LogPdf = Callable[..., np.ndarray]


# ----------------------------------------------------------------------------------------------
# step schedules


def uniform_times(T: float, n_steps: int, eps: float = 0.0) -> np.ndarray:
    r"""Uniform forward-time grid :math:`t_k = T - k (T - \varepsilon)/N`, :math:`k = 0..N`."""
    return time_grid(T, n_steps=n_steps, eps=eps)


def split_times(T: float, n_steps: int, t_split: float, frac_late: float = 0.5,
                eps: float = 0.0) -> np.ndarray:
    r"""Time-split grid: ``round(frac_late * n_steps)`` uniform steps on :math:`[\varepsilon, t_{split}]`
    (the last part of the backward run, near the data) and the rest uniform on :math:`[t_{split}, T]`.

    This is the simplest form of the "separated time regimes" used in analyses of non-log-concave
    data: one step size far from the data and a finer one near it.
    """
    T = v.positive("T", T)
    eps = v.positive("eps", eps, allow_zero=True)
    n = v.positive_int("n_steps", n_steps)
    t_split = v.positive("t_split", t_split)
    if not eps < t_split < T:
        raise ValueError(f"t_split must lie in (eps, T) = ({eps:g}, {T:g}), got {t_split:g}")
    frac = v.positive("frac_late", frac_late)
    if not 0.0 < frac < 1.0:
        raise ValueError(f"frac_late must lie in (0, 1), got {frac_late!r}")
    if n < 2:
        raise ValueError("n_steps must be >= 2 for a split grid")
    n_late = min(max(int(round(frac * n)), 1), n - 1)
    early = np.linspace(T, t_split, n - n_late + 1)
    late = np.linspace(t_split, eps, n_late + 1)
    return np.concatenate([early, late[1:]])


# ----------------------------------------------------------------------------------------------
# the scheme's exact law on a grid and its error


def _gaussian_density(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)


def scheme_law_1d(score: Score, x: np.ndarray, *, T: float, times: np.ndarray | None = None,
                  n_steps: int | None = None, eps: float = 0.0,
                  start: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    r"""Density of the exponential integrator's output on the uniform grid ``x`` (no sampling).

    Thin wrapper of :func:`sgmbook.samplers.grid_law_1d` with ``scheme="ei"``; the start is
    :math:`N(0, 1)` unless ``start`` (a density tabulated on ``x``, e.g. the exact :math:`p_T`) is
    given.  With ``times`` the stopping time is ``times[-1]`` (``eps`` is ignored).
    Returns ``(density, mass lost at the grid's ends)``.
    """
    xs = v.finite_array("x", x, ndim=1)
    if times is not None:
        eps = float(np.asarray(times, dtype=float)[-1])
    rho0 = _gaussian_density(xs) if start is None else v.finite_array("start", start, ndim=1)
    return grid_law_1d(score, xs, rho0, T=T, scheme="ei", n_steps=n_steps, eps=eps, times=times)


def scheme_errors(x: np.ndarray, target: np.ndarray, q: np.ndarray) -> dict[str, float]:
    r"""``{"kl": KL(target || q), "w2": W2(target, q)}`` for densities tabulated on one uniform grid.

    KL by the trapezoid rule (:func:`sgmbook.metrics.kl_1d_density`), W2 exactly through the quantile
    functions of the piecewise-constant densities (:func:`sgmbook.metrics.w2_1d_density`); both are
    exact up to the quadrature error of the grid.
    """
    xs = v.finite_array("x", x, ndim=1)
    w2 = w2_1d_density(xs, target, xs, q)
    return {"kl": kl_1d_density(xs, target, q), "w2": w2}


def init_kl_1d(logpdf_T: np.ndarray, x: np.ndarray) -> float:
    r""":math:`\mathrm{KL}(p_T \,\|\, N(0,1))` from :math:`\log p_T` tabulated on the uniform grid ``x``.

    By the data-processing inequality this bounds the error of the *continuous* reverse SDE started
    at :math:`N(0,1)` instead of :math:`p_T` (derived in the book, Chapter 6).
    """
    xs = v.finite_array("x", x, ndim=1)
    lp = np.asarray(logpdf_T, dtype=float)
    if lp.shape != xs.shape:
        raise ValueError("logpdf_T must have the shape of x")
    return kl_1d_density(xs, np.exp(lp - lp.max()), _gaussian_density(xs))


# ----------------------------------------------------------------------------------------------
# Girsanov bound of the discretisation term


def girsanov_discretisation_bound(score: Score, logpdf: LogPdf, times: np.ndarray, x: np.ndarray, *,
                                  n_time_nodes: int = 4, n_hermite: int = 24) -> float:
    r"""Right-hand side of the Girsanov bound for the exponential integrator with score frozen at
    the start of each step (derived in the book after Chen, Chewi, Li, Li, Salim, Zhang 2023):

    .. math:: \mathrm{KL}(p_0 \,\|\, \hat q) \le \mathrm{KL}(p_T \,\|\, N(0,1))
              + \sum_k \int_{t_{k+1}}^{t_k} \mathbb E\,\bigl|\nabla\log p_t(X_t)
              - \nabla\log p_{t_k}(X_{t_k})\bigr|^2\,dt,

    with :math:`(X_t)` the forward OU process of the book (:math:`dX = -X dt + \sqrt2 dB`).  This
    function returns the sum (the discretisation term).  Given :math:`X_t = x`,
    :math:`X_{t_k} \sim N(e^{-(t_k - t)} x, 1 - e^{-2(t_k - t)})`; the expectation is computed by
    Gauss-Hermite nodes for that transition, the trapezoid rule in ``x`` against
    :math:`p_t` (``logpdf(t, x)``), and Gauss-Legendre nodes in ``t`` on each step.

    ``score(t, x)`` and ``logpdf(t, x)`` take flat 1-D arrays.  ``times`` is the decreasing grid.
    """
    if not callable(score) or not callable(logpdf):
        raise TypeError("score and logpdf must be callables")
    grid = v.finite_array("times", times, ndim=1)
    if grid.size < 2 or np.any(np.diff(grid) >= 0) or grid[-1] < 0:
        raise ValueError("times must be a strictly decreasing grid of forward times >= 0")
    xs = v.finite_array("x", x, ndim=1)
    n_tn = v.positive_int("n_time_nodes", n_time_nodes)
    n_gh = v.positive_int("n_hermite", n_hermite)
    gl_x, gl_w = np.polynomial.legendre.leggauss(n_tn)
    gh_x, gh_w = np.polynomial.hermite_e.hermegauss(n_gh)
    gh_w = gh_w / gh_w.sum()
    wq = np.gradient(xs)
    wq[[0, -1]] = 0.5 * np.diff(xs)[[0, -1]]
    total = 0.0
    for k in range(grid.size - 1):
        tk, tk1 = float(grid[k]), float(grid[k + 1])
        half = 0.5 * (tk - tk1)
        for node, weight in zip(gl_x, gl_w):
            t = tk1 + half * (node + 1.0)
            if t <= 0.0:
                continue
            px = np.exp(logpdf(t, xs))
            px = px / (px @ wq)
            r = tk - t
            mean = np.exp(-r) * xs
            sd = np.sqrt(-np.expm1(-2.0 * r))
            y = (mean[:, None] + sd * gh_x[None, :]).reshape(-1)
            s_k = np.asarray(score(tk, y), dtype=float).reshape(xs.size, n_gh)
            s_t = np.asarray(score(t, xs), dtype=float).reshape(xs.size, 1)
            inner = ((s_k - s_t) ** 2) @ gh_w
            total += half * weight * float((px * inner) @ wq)
    return total


# ----------------------------------------------------------------------------------------------
# well-posedness quantities


def reverse_drift_growth(score: Score, times: np.ndarray, x: np.ndarray) -> np.ndarray:
    r"""One-sided growth constant of the reverse drift :math:`b(t, y) = y + 2\nabla\log p_t(y)`
    (book clock) at each forward time:

    .. math:: K(t) = \max_{y \in x} \frac{y\, b(t, y)}{1 + y^2}.

    A bound :math:`y\,b \le K (1 + y^2)` uniform in time is the Lyapunov (non-explosion) condition of
    the global existence theorem for SDEs with locally Lipschitz drift.
    """
    ts = v.times("times", times)
    xs = v.finite_array("x", x, ndim=1)
    out = np.empty(ts.size)
    for i, t in enumerate(np.atleast_1d(ts)):
        b = xs + 2.0 * np.asarray(score(float(t), xs), dtype=float).reshape(-1)
        out[i] = np.max(xs * b / (1.0 + xs * xs))
    return out


def local_lipschitz(hessian: np.ndarray, x: np.ndarray, radii: np.ndarray) -> np.ndarray:
    r"""Lipschitz constant of the score on the balls :math:`\{|x| \le R\}`:
    :math:`L(R) = \max_{|x| \le R} |\partial_x^2 \log p(x)|`, from the second derivative tabulated on
    ``x`` (one value per radius in ``radii``)."""
    h = v.finite_array("hessian", hessian, ndim=1)
    xs = v.finite_array("x", x, ndim=1)
    if h.shape != xs.shape:
        raise ValueError("hessian must have the shape of x")
    rs = v.finite_array("radii", radii, ndim=1)
    if np.any(rs < 0):
        raise ValueError("radii must be >= 0")
    a = np.abs(h)
    out = np.empty(rs.size)
    for i, r in enumerate(rs):
        inside = np.abs(xs) <= r
        if not np.any(inside):
            raise ValueError(f"radii: no grid point with |x| <= {r:g}")
        out[i] = a[inside].max()
    return out


# ----------------------------------------------------------------------------------------------
# bound shapes of Mooney et al. (paper's OU time tau = 2 t; implied constants set to 1)


def case_one_horizon(L0: float) -> float:
    r"""Time limit of Case I, :math:`\tau < -\log(1 - 1/(L_0 + 1)) = \log(1 + 1/L_0)` for
    :math:`L_0 = \sup_x \lambda_{\max}(\nabla^2 \log p_0) > 0` (Mooney et al., Theorem 4.3 of the
    submission as quoted by a reviewer); ``inf`` for :math:`L_0 \le 0` (log-concave data)."""
    if isinstance(L0, bool) or not isinstance(L0, (int, float, np.integer, np.floating)):
        raise TypeError(f"L0 must be a real number, got {type(L0).__name__}")
    if not np.isfinite(L0):
        raise ValueError("L0 must be finite")
    L0 = float(L0)
    return float(np.inf) if L0 <= 0 else float(np.log1p(1.0 / L0))


def case_one_lipschitz(tau: float, M0: float, M1: float, n_grid: int = 2001) -> float:
    r""":math:`H_\tau = \sup_{0 \le u \le \tau} \|\nabla^2 \log p_u\|` as bounded by Theorem 3.1 of
    Mooney et al. (the book's reconstructed OU-time form, :func:`sgmbook.bounds.mooney.hessian_logp_bounds`):
    the larger of the two sides' absolute values on :math:`[0, \tau]`; ``inf`` past the horizon."""
    tau = v.positive("tau", tau, allow_zero=True)
    n_grid = v.positive_int("n_grid", n_grid)
    lo, hi = hessian_logp_bounds(np.linspace(0.0, tau, n_grid), M0, M1)
    return float(max(np.max(np.abs(lo)), np.max(np.abs(hi))))


def case_one_bound(tau: float, n_steps: int, *, dim: int, m2: float, eps0: float, H: float) -> float:
    r"""Shape of Case I (Mooney et al., Theorem 4.2 camera-ready / 4.3 submission, as quoted by reviewers):

    .. math:: (M_2 + d)\,e^{-T} + T \epsilon_0^2 + \frac{d\,T^2 H_T^2}{N},

    :math:`T` in the paper's OU time, implied constant set to 1.  Valid only below the Case-I horizon
    (:func:`case_one_horizon`) for non-log-concave data."""
    tau = v.positive("tau", tau)
    n = v.positive_int("n_steps", n_steps)
    d = v.positive_int("dim", dim)
    m2 = v.positive("m2", m2, allow_zero=True)
    eps0 = v.positive("eps0", eps0, allow_zero=True)
    H = v.positive("H", H, allow_zero=True)
    return float((m2 + d) * np.exp(-tau) + tau * eps0 ** 2 + d * tau ** 2 * H ** 2 / n)


def _dim_factor(d: int) -> float:
    return float(d * (d * np.log(d)) ** 2)


def case_two_bound(tau: float, n_steps: int, *, dim: int, m2: float, eps0: float, L: float,
                   C: float = 1.0) -> float:
    r"""Shape of Case II (Mooney et al., Theorem 4.3 camera-ready / 4.4 submission, as quoted by a reviewer):

    .. math:: (M_2 + n)\,e^{-T} + T \epsilon_0^2 + \frac{C L^6\, T\, n (n \log n)^2}{N}

    for any :math:`T` (paper's OU time).  The dimension factor :math:`n (n\log n)^2` is an
    asymptotic statement and vanishes at ``dim = 1``; use ``dim >= 2``."""
    tau = v.positive("tau", tau)
    n = v.positive_int("n_steps", n_steps)
    d = v.positive_int("dim", dim)
    if d < 2:
        raise ValueError("dim must be >= 2 (the factor n (n log n)^2 vanishes at n = 1)")
    m2 = v.positive("m2", m2, allow_zero=True)
    eps0 = v.positive("eps0", eps0, allow_zero=True)
    L = v.positive("L", L)
    C = v.positive("C", C)
    return float((m2 + d) * np.exp(-tau) + tau * eps0 ** 2 + C * L ** 6 * tau * _dim_factor(d) / n)


def case_two_steps(dim: int | np.ndarray, *, L: float, tau: float, accuracy: float,
                   C: float = 1.0) -> np.ndarray | float:
    r"""Steps that make the Case-II discretisation term at most ``accuracy``:
    :math:`N = \lceil C L^6 T n (n \log n)^2 / \text{accuracy} \rceil` (so :math:`N = O(n^3 \log^2 n)`)."""
    d = np.asarray(dim)
    if d.dtype.kind not in "iu" or np.any(d < 2):
        raise ValueError("dim must be integer(s) >= 2")
    L = v.positive("L", L)
    tau = v.positive("tau", tau)
    acc = v.positive("accuracy", accuracy)
    C = v.positive("C", C)
    df = d * (d * np.log(d)) ** 2
    out = np.ceil(C * L ** 6 * tau * df / acc)
    return float(out) if out.ndim == 0 else out


def early_stopping_lipschitz(delta: float | np.ndarray, M: float) -> np.ndarray | float:
    r"""Lipschitz constant used for compactly supported data with early stopping at OU time
    :math:`\delta` (Mooney et al., Section 6.3 of the camera-ready, reconstructed form):
    :math:`L_\delta = 1 + 1/\delta + M^2/\delta^2`, :math:`M` the radius of the support."""
    d = v.finite_array("delta", delta)
    if np.any(d <= 0):
        raise ValueError("delta must be > 0")
    M = v.positive("M", M, allow_zero=True)
    out = 1.0 + 1.0 / d + M * M / (d * d)
    return float(out) if out.ndim == 0 else out


def loglog_slope(x: np.ndarray, y: np.ndarray) -> float:
    r"""Least-squares slope of :math:`\log y` against :math:`\log x` (both positive)."""
    xs = v.finite_array("x", x, ndim=1)
    ys = v.finite_array("y", y, ndim=1)
    if xs.shape != ys.shape or xs.size < 2:
        raise ValueError("x and y must have the same shape, at least 2 points")
    if np.any(xs <= 0) or np.any(ys <= 0):
        raise ValueError("x and y must be > 0")
    return float(np.polyfit(np.log(xs), np.log(ys), 1)[0])
