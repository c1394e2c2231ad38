r"""Error of the exponential integrator on 1-D targets, computed from the scheme's exact grid law,
the experiments of the chapter on local Lipschitz convergence.  The convergence-bound shapes of Mooney et
al. (arXiv 2405.16104, Section 4 of the camera-ready) live in :mod:`sgmbook.bounds.mooney` (re-exported
here).

Clocks.  The samplers use the book's time :math:`t` (:math:`dX = -X\,dt + \sqrt2\,dB`, the clock of
Bruno et al.'s public code).  For Mooney et al. the book uses :math:`dX = -\tfrac12 X\,d\tau + dW`, the
normalisation consistent with the critical time :math:`-\log(1 - 1/M_0)` and the heat time :math:`1/2`
quoted from the paper (their display of the SDE could not be checked); then :math:`\tau = 2t`.  Functions that implement the
paper's bound shapes take the paper's OU time ``tau``; the numerical experiments take book time ``T``.

Contents

* step schedules: :mod:`sgmbook.schedules` (``uniform``, ``split``); the old names
  :func:`uniform_times`, :func:`split_times` are kept as thin aliases returning the times as arrays;
  the functions below take either such an array or a :class:`sgmbook.schedules.Schedule`;
* the scheme's law and its error: :func:`scheme_law_1d`, :func:`scheme_errors`, :func:`init_kl_1d`;
* the Girsanov bound of the discretisation (derived in the book after Chen et al., 2023):
  :func:`girsanov_discretisation_bound`;
* the curvature of :math:`\log p_\tau` sampled near each bump of a multi-bump density:
  :func:`bump_window_curvature`;
* the growth constant of the reverse drift used in the well-posedness argument:
  :func:`reverse_drift_growth`, and the local Lipschitz constant on balls: :func:`local_lipschitz`;
* the bound shapes (from :mod:`sgmbook.bounds.mooney`): ``case_one_horizon``, ``case_one_lipschitz``,
  ``case_one_bound``, ``case_two_bound``, ``case_two_steps``, ``early_stopping_lipschitz``;
* :func:`loglog_slope`.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .. import _validate as v
from .. import laws, schedules
from .._loglog import log_pairs
from ..bounds.mooney import (case_one_bound, case_one_horizon, case_one_lipschitz, case_two_bound,  # noqa: F401
                            case_two_steps, early_stopping_lipschitz)
from ..metrics import kl_1d_density, w2_1d_density

__all__ = [
    "uniform_times", "split_times", "scheme_law_1d", "scheme_errors", "init_kl_1d",
    "girsanov_discretisation_bound", "bump_window_curvature", "reverse_drift_growth", "local_lipschitz",
    "case_one_horizon", "case_one_lipschitz", "case_one_bound", "case_two_bound", "case_two_steps",
    "early_stopping_lipschitz", "loglog_slope",
]

Score = Callable[[float, np.ndarray], np.ndarray]
LogPdf = Callable[..., np.ndarray]


# ----------------------------------------------------------------------------------------------
# step schedules


def uniform_times(T: float, n_steps: int, eps: float = 0.0) -> np.ndarray:
    r"""Uniform forward-time grid :math:`t_k = T - k (T - \varepsilon)/N`, :math:`k = 0..N`: the times
    of :func:`sgmbook.schedules.uniform` as an array (old name, kept for old imports)."""
    return _as_times(schedules.uniform(T, eps, n_steps))


def split_times(T: float, n_steps: int, t_split: float, frac_late: float = 0.5,
                eps: float = 0.0) -> np.ndarray:
    r"""Time-split grid: ``round(frac_late * n_steps)`` uniform steps on :math:`[\varepsilon, t_{split}]`
    (the last part of the backward run, near the data) and the rest uniform on :math:`[t_{split}, T]`.

    This is the simplest form of the "separated time regimes" used in analyses of non-log-concave
    data: one step size far from the data and a finer one near it.  Old name of
    :func:`sgmbook.schedules.split_grid` (the times of :func:`sgmbook.schedules.split`).
    """
    return schedules.split_grid(T, n_steps, t_split, frac_late, eps)


def _as_times(times):
    r"""The decreasing times :math:`t_0 > \dots > t_K` of a :class:`~sgmbook.schedules.Schedule`
    (``times`` unchanged when it is not one)."""
    if isinstance(times, schedules.Schedule):
        return np.append(np.asarray(times.t, dtype=float), times.end)
    return times


# ----------------------------------------------------------------------------------------------
# the scheme's exact law on a grid and its error


def _gaussian_density(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)


def scheme_law_1d(score: Score, x: np.ndarray, *, T: float, times: np.ndarray | None = None,
                  n_steps: int | None = None, eps: float = 0.0,
                  start: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    r"""Density of the exponential integrator's output on the uniform grid ``x`` (no sampling).

    :func:`sgmbook.laws.grid_1d` with ``scheme="ei"`` on ``n_steps`` uniform steps or the grid ``times``
    (exactly one of them); the start is
    :math:`N(0, 1)` unless ``start`` (a density tabulated on ``x``, e.g. the exact :math:`p_T`) is
    given.  With ``times`` (an array or a :class:`~sgmbook.schedules.Schedule`) the stopping time is
    its last time (``eps`` is ignored).  Returns ``(density, mass lost at the grid's ends)``.
    """
    times = _as_times(times)
    xs = v.finite_array("x", x, ndim=1)
    if times is not None:
        eps = float(np.asarray(times, dtype=float)[-1])
    rho0 = _gaussian_density(xs) if start is None else v.finite_array("start", start, ndim=1)
    T, eps = v.horizon(T, eps)
    if (n_steps is None) == (times is None):
        raise ValueError("give exactly one of n_steps (uniform steps) or times (a grid from T down)")
    if times is None:
        schedule = schedules.uniform(T, eps, n_steps)
    else:
        grid = v.finite_array("times", times, ndim=1)
        if grid.size < 2 or not np.isclose(grid[0], T):
            raise ValueError(f"times must run from T = {T:g} down, got {grid[:1]!r} first")
        schedule = schedules.from_times(grid)
    return laws.grid_1d(score, xs, rho0, schedule, scheme="ei")


def scheme_errors(x: np.ndarray, target: np.ndarray, q: np.ndarray) -> dict[str, float]:
    r"""``{"kl": KL(target || q), "w2": W2(target, q)}`` for densities tabulated on one uniform grid.

    KL by the trapezoid rule (:func:`sgmbook.metrics.kl_1d_density`), W2 exactly through the quantile
    functions of the piecewise-constant densities (:func:`sgmbook.metrics.w2_1d_density`); both are
    exact up to the quadrature error of the grid.
    """
    xs = v.grid("x", x)
    for name, arr in (("target", target), ("q", q)):
        a = v.finite_array(name, arr, ndim=1)
        if a.shape != xs.shape or np.any(a < 0) or a.sum() <= 0:
            raise ValueError(f"{name} must be a density >= 0 with positive mass on x (shape {xs.shape}), "
                             f"got shape {a.shape}")
    w2 = w2_1d_density(xs, target, xs, q)
    return {"kl": kl_1d_density(xs, target, q), "w2": w2}


def init_kl_1d(logpdf_T: np.ndarray, x: np.ndarray) -> float:
    r""":math:`\mathrm{KL}(p_T \,\|\, N(0,1))` from :math:`\log p_T` tabulated on the uniform grid ``x``.

    By the data-processing inequality this bounds the error of the *continuous* reverse SDE started
    at :math:`N(0,1)` instead of :math:`p_T` (derived in the book, Chapter 6).
    """
    xs = v.grid("x", x)
    lp = v.real_array("logpdf_T", logpdf_T, ndim=1)
    if np.any(np.isnan(lp) | (lp == np.inf)) or not np.any(np.isfinite(lp)):
        raise ValueError("logpdf_T must be finite or -inf (zero density), with some finite value")
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

    ``score(t, x)`` and ``logpdf(t, x)`` take flat 1-D arrays.  ``times`` is the decreasing grid (or a
    :class:`~sgmbook.schedules.Schedule`).
    """
    v.callable_("score", score)
    v.callable_("logpdf", logpdf)
    grid = v.finite_array("times", _as_times(times), ndim=1)
    if grid.size < 2 or np.any(np.diff(grid) >= 0) or grid[-1] < 0:
        raise ValueError("times must be a strictly decreasing grid of forward times >= 0")
    xs = v.grid("x", x)
    n_tn = v.positive_int("n_time_nodes", n_time_nodes, maximum=10 ** 4)
    n_gh = v.positive_int("n_hermite", n_hermite, maximum=10 ** 4)
    v.allocation(xs.size * n_gh, f"x.size * n_hermite = {xs.size} * {n_gh}")
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
            lp = v.real_array("logpdf", logpdf(t, xs))
            if lp.shape != xs.shape or np.any(np.isnan(lp) | (lp == np.inf)) or not np.any(np.isfinite(lp)):
                raise ValueError(f"logpdf ({v.callable_name(logpdf)}) at t = {t:.6g} must return {xs.shape} "
                                 f"values, finite or -inf, got shape {lp.shape}")
            px = np.exp(lp - lp.max())  # normalised below: no underflow far out
            px = px / (px @ wq)
            r = tk - t
            mean = np.exp(-r) * xs
            sd = np.sqrt(-np.expm1(-2.0 * r))
            y = (mean[:, None] + sd * gh_x[None, :]).reshape(-1)
            s_k = v.callable_output("score", score, score(tk, y), tk, y.shape).reshape(xs.size, n_gh)
            s_t = v.callable_output("score", score, score(t, xs), t, xs.shape).reshape(xs.size, 1)
            inner = ((s_k - s_t) ** 2) @ gh_w
            total += half * weight * float((px * inner) @ wq)
    return total


# ----------------------------------------------------------------------------------------------
# curvature near the bumps of a multi-bump density


def bump_window_curvature(target, Ms: np.ndarray, centres: np.ndarray, tau: float, *,
                          n_wide: int = 201, n_core: int = 301):
    r"""The curvature :math:`\partial_x^2 \log p_\tau` sampled near each bump of a multi-bump density,
    at Mooney et al.'s OU time :math:`\tau` (book time :math:`\tau/2`; the local bound of their
    Theorem 3.5 / Corollary 3.6 of the submission, as quoted in reviews, says it grows at most
    quadratically in :math:`|x|`).

    A feature at :math:`y` of the data scale sits at :math:`x = e^{\tau/2} y`.  Bump :math:`k` (size
    :math:`M_k`, centre :math:`c_k`) gets the window :math:`e^{\tau/2}(c_k + [-4.5 M_k, 4.5 M_k])`
    (``n_wide`` points) joined with :math:`e^{\tau/2} c_k + [-1.5, 1.5]` (``n_core`` points).
    ``target.hessian_logp(t, x)`` is the 1-D second derivative in book time.  Returns
    ``(x, h, sup, ratio, centre)``: the window points (all bumps), :math:`h = \partial_x^2\log p_\tau`
    there, per bump the sampled :math:`\sup |h|` and :math:`\sup |h|/(1 + x^2)`, and :math:`h` at the
    focus points :math:`e^{\tau/2} c_k`.
    """
    Ms = v.finite_array("Ms", Ms, ndim=1)
    cs = v.finite_array("centres", centres, ndim=1)
    if Ms.shape != cs.shape or np.any(Ms <= 0):
        raise ValueError(f"Ms must be > 0 and have the shape of centres, got {Ms!r}")
    tau = v.in_range("tau", tau, 0.0, 50.0, closed=(False, True))
    lo = getattr(target, "min_time", None)
    if callable(lo) and tau / 2 < lo() * (1 - 1e-12):
        raise ValueError(f"tau must be >= {2 * lo():.3g} (the target's grid resolves no earlier OU time), "
                         f"got {tau!r}")
    n_wide = v.positive_int("n_wide", n_wide)
    n_core = v.positive_int("n_core", n_core)
    e = np.exp(tau / 2)
    windows = [
        np.unique(np.concatenate([e * (c + np.linspace(-4.5 * M, 4.5 * M, n_wide)),
                                  e * c + np.linspace(-1.5, 1.5, n_core)]))
        for M, c in zip(Ms, cs)
    ]
    xs = np.concatenate(windows)
    h = target.hessian_logp(tau / 2, xs)
    centre = target.hessian_logp(tau / 2, e * cs)
    edges = np.cumsum([0] + [w.size for w in windows])
    a = np.abs(h)
    sup = np.maximum.reduceat(a, edges[:-1])
    ratio = np.maximum.reduceat(a / (1 + xs ** 2), edges[:-1])
    return xs, h, sup, ratio, centre


# ----------------------------------------------------------------------------------------------
# well-posedness quantities


def reverse_drift_growth(score: Score, times: np.ndarray, x: np.ndarray) -> np.ndarray:
    r"""One-sided growth constant of the reverse drift :math:`b(t, y) = y + 2\nabla\log p_t(y)`
    (book clock) at each forward time:

    .. math:: K(t) = \max_{y \in x} \frac{y\, b(t, y)}{1 + y^2}.

    A bound :math:`y\,b \le K (1 + y^2)` uniform in time is the Lyapunov (non-explosion) condition of
    the global existence theorem for SDEs with locally Lipschitz drift.
    """
    v.callable_("score", score)
    ts = v.times("times", times)
    if ts.ndim > 1:
        raise ValueError(f"times must be a number or a 1-D array, got shape {ts.shape}")
    xs = v.finite_array("x", x, ndim=1)
    out = np.empty(ts.size)
    for i, t in enumerate(np.atleast_1d(ts)):
        st = v.callable_output("score", score, score(float(t), xs), float(t))
        if st.size != xs.size:
            raise ValueError(f"score ({v.callable_name(score)}) at t = {float(t):.6g} returned shape {st.shape}, "
                             f"expected {xs.shape}")
        b = xs + 2.0 * st.reshape(-1)
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


def loglog_slope(x: np.ndarray, y: np.ndarray) -> float:
    r"""Least-squares slope of :math:`\log y` against :math:`\log x` (both positive)."""
    lx, ly = log_pairs(x, y, 2)
    return float(np.polyfit(lx, ly, 1)[0])
