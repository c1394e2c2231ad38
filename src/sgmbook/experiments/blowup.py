r"""The chapter-5 experiments on the bump flows: sup-Hessian curves, a closed-form check, a heat-equation check.

The flows themselves (:class:`~sgmbook.targets.heat.HeatFlow1D`, :func:`~sgmbook.targets.heat.bump_flow`,
:func:`~sgmbook.targets.heat.multi_bump_flow`) live in :mod:`sgmbook.targets.heat` and take book time;
the functions here speak Mooney et al.'s OU time :math:`\tau = 2t` and convert with :mod:`sgmbook.ou`.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
from scipy.special import erf, erfc

from .. import _validate as v
from .. import laws, ou
from ..metrics import w2_1d_density
from ..schedules import Schedule
from ..bump import bump_potential
from ..targets.heat import Evolution, HeatFlow1D, bump_flow, multi_bump_flow

#: the largest bump size and OU time the quadratures below are checked for (finite results)
M_MAX = 1000.0
TAU_MAX = 50.0

__all__ = ["Evolution", "HeatFlow1D", "bump_flow", "multi_bump_flow", "sup_hessian_curve",
           "heat_equation_residual", "bump_curvature_half", "HorizonCurvature", "horizon_curvature",
           "window_log_weights", "single_bump_lower_bound", "mass_weighted_curvature",
           "exact_score_errors"]


def sup_hessian_curve(taus: np.ndarray, Ms: np.ndarray, *, n_x: int = 4001, h: float = 0.05,
                      y_extra: float = 3.0) -> np.ndarray:
    r""":math:`\sup_x \partial_x^2 \log p_\tau(x)` for the bump targets :math:`g_M`, shape ``(len(Ms), len(taus))``.

    The sup is taken over ``n_x`` points of the heat variable :math:`y = e^{-\tau/2} x` uniform on
    :math:`[-5M - \text{y\_extra}, 5M + \text{y\_extra}]` (odd ``n_x`` puts :math:`y = 0` on the grid), on a
    data grid extended to :math:`|z| \le 5M + \text{y\_extra} + 9` so that every posterior stays inside it.

    Why this window (derived in the book): :math:`\partial_x^2 \log p_\tau` has, besides the peak at
    :math:`y = 0`, a second peak outside the bump, at :math:`|y| \approx 2M + M\sqrt{2(1 + 2s)}` with
    :math:`s = 1 - e^{-\tau}`, where the heat posterior splits between the Gaussian tail and the lobe
    :math:`-g_M \approx 2M^2` at :math:`|z| = 2M`; for :math:`\tau \ge 1` it is of order :math:`M^2` and lies in
    :math:`(4M, 2M + \sqrt6 M) \subset (4M, 4.45M)`.  For :math:`|y| \ge 5M + 3` the bump adds to the
    Gaussian part of the heat posterior (weight of order one) only the excess weight
    :math:`(e^{-g_M(z)} - 1) e^{-(y - z)^2/(2s)}` on :math:`|z| \le 4M`, whose logarithm is at most
    :math:`-(M + 3)^2/2` at every point (:func:`window_log_weights`; the bound is attained near
    :math:`|z| = 4M`, not at the top :math:`2M^2` of :math:`-g_M`), so the curvature there is within
    :math:`O(M^3 e^{-(M + 3)^2/2})` of :math:`-1`.  The outer peak is narrow (width
    :math:`O(1)` in :math:`y`), so a coarse ``n_x`` may under-resolve it; in every case computed in the book
    (and in the tests) it is lower than the value at :math:`y = 0`, which is a grid point and is the supremum.
    """
    taus = v.finite_array("taus", taus, ndim=1)
    Ms = v.finite_array("Ms", Ms, ndim=1)
    n_x = v.positive_int("n_x", n_x)
    y_extra = v.positive("y_extra", y_extra, allow_zero=True)
    h = v.positive("h", h)
    if np.any(taus <= 0) or np.any(taus > 1200):
        raise ValueError(f"taus must lie in (0, 1200] (OU times; e^(tau/2) overflows beyond), got "
                         f"[{float(taus.min())!r}, {float(taus.max())!r}]")
    if np.any(Ms <= 0):
        raise ValueError(f"Ms must be > 0, got min {float(Ms.min())!r}")
    if float(taus.min()) < np.log1p(h * h) * (1 + 1e-12):
        raise ValueError(f"h = {h:g} is too coarse for the smallest tau = {float(taus.min()):g}: need "
                         f"tau >= log(1 + h^2) = {np.log1p(h * h):.3g} (the flow's grid resolution)")
    out = np.empty((Ms.size, taus.size))
    for i, M in enumerate(Ms):
        y_max = 5 * M + y_extra
        flow = bump_flow(float(M), h=h, margin=max(12.0, y_max - 4 * M + 9.0))
        ys = np.linspace(-y_max, y_max, n_x)
        for k, tau in enumerate(taus):
            xs = ys * np.exp(0.5 * tau)
            out[i, k] = flow.hessian_logp(ou.from_mooney_time(float(tau)), xs).max()
    return out


def bump_curvature_half(M: float) -> float:
    r""":math:`(\log \bar p)_{yy}(\tfrac12, 0)` for the bump potential :math:`g_M` in closed form (derived in the book).

    At heat time :math:`s = 1/2` and :math:`y = 0` the posterior weight is :math:`w(z) = e^{-g_M(z) - z^2}`:
    :math:`1` on :math:`|z| \le M`, :math:`e^{-2(|z| - M)^2}` on :math:`M \le |z| \le 3M`,
    :math:`e^{-8M(|z| - 2M)}` on :math:`3M \le |z| \le 4M` and :math:`e^{-z^2}` beyond.  The posterior is even, so

    .. math:: (\log \bar p)_{yy}(\tfrac12, 0) = -2 + 4\,\frac{\int z^2 w}{\int w},

    with each piece of both integrals in closed form (error functions and exponentials).  This does not use
    any grid: it is an independent check of :class:`HeatFlow1D`.
    """
    M = v.positive("M", M)
    # |z| in [0, M]: w = 1
    i1, j1 = M, M ** 3 / 3.0
    # |z| in [M, 3M]: b = |z| - M in [0, 2M], w = exp(-2 b^2)
    L = 2.0 * M
    eL = np.exp(-2.0 * L * L)
    i2 = np.sqrt(np.pi / 8.0) * erf(np.sqrt(2.0) * L)
    k1 = (1.0 - eL) / 4.0                    # int_0^L b exp(-2 b^2) db
    k2 = i2 / 4.0 - L * eL / 4.0             # int_0^L b^2 exp(-2 b^2) db
    j2 = k2 + 2.0 * M * k1 + M * M * i2
    # |z| in [3M, 4M]: w = exp(-k (|z| - 2M)), k = 8M; antiderivative of a^2 e^{-k(a - 2M)}
    k = 8.0 * M

    def prim(a: float) -> float:
        return -np.exp(-k * (a - 2.0 * M)) * (a * a / k + 2.0 * a / k ** 2 + 2.0 / k ** 3)

    i3 = (np.exp(-8.0 * M * M) - np.exp(-16.0 * M * M)) / k
    j3 = prim(4.0 * M) - prim(3.0 * M)
    # |z| >= 4M: w = exp(-z^2)
    i4 = 0.5 * np.sqrt(np.pi) * erfc(4.0 * M)
    j4 = 2.0 * M * np.exp(-16.0 * M * M) + 0.5 * i4
    var = (j1 + j2 + j3 + j4) / (i1 + i2 + i3 + i4)
    return float(-2.0 + 4.0 * var)


def heat_equation_residual(flow: HeatFlow1D, s: float, y: np.ndarray, ds: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    r"""Finite-difference check that :math:`\bar p` solves :math:`\partial_s \bar p = \tfrac12 \partial_y^2 \bar p`.

    Returns ``(residual, scale)`` at the interior points ``y[1:-1]``, divided by :math:`\bar p(s, y)`:
    the residual :math:`(\partial_s \bar p - \tfrac12 \partial_y^2 \bar p)/\bar p` with centred differences
    (step ``ds`` in heat time :math:`s`, the grid step of the uniform ``y`` in space), and the size of the terms,
    :math:`|\partial_s \bar p / \bar p|`.  Both are formed from :math:`\log \bar p` differences, so they
    keep their relative accuracy where :math:`\bar p` is tiny.
    """
    v.instance("flow", flow, HeatFlow1D, "a HeatFlow1D")
    s = v.positive("s", s)
    ds = v.positive("ds", ds)
    if not (0 < s - ds and s + ds < 1):
        raise ValueError("s - ds and s + ds must lie in (0, 1)")
    ys = v.finite_array("y", y, ndim=1)
    dy = np.diff(ys)
    if ys.size < 3 or np.any(dy <= 0) or not np.allclose(dy, dy[0], rtol=1e-8):
        raise ValueError("y must be a uniform increasing grid of at least 3 points")
    hy = float(dy[0])
    l0 = flow.heat(s, ys)[0]
    lp = flow.heat(s + ds, ys[1:-1])[0]
    lm = flow.heat(s - ds, ys[1:-1])[0]
    c = l0[1:-1]
    ds_term = (np.expm1(lp - c) - np.expm1(lm - c)) / (2 * ds)
    dyy_term = (np.expm1(l0[2:] - c) + np.expm1(l0[:-2] - c)) / (hy * hy)
    return ds_term - 0.5 * dyy_term, np.abs(ds_term)


class HorizonCurvature(NamedTuple):
    r""":math:`(\log \bar p)_{yy}(\tfrac12, 0)` for :math:`g_M` (``value``) and the two sides of the book's
    bound, ``lower`` :math:`= \tfrac43 M^2 - 2` and ``upper`` :math:`= \tfrac43 M^2 + \sqrt{2\pi} M + 4/M`."""

    value: float
    lower: float
    upper: float


def _bump_log_weight_half(z: np.ndarray, M: float) -> np.ndarray:
    r"""Log of the heat posterior weight :math:`w = e^{-g_M(z) - z^2}` at :math:`s = 1/2`, :math:`y = 0`."""
    a = np.abs(z)
    return np.select([a <= M, a <= 3 * M, a <= 4 * M],
                     [0.0, -2.0 * (a - M) ** 2, -8.0 * M * (a - 2.0 * M)], default=-a * a)


def horizon_curvature(M: float, *, n: int = 400_001, z_extra: float = 12.0) -> HorizonCurvature:
    r"""Both sides of the book's bound on the curvature at the horizon (chapter 5, after Mooney et al.,
    Section 3, counterexample), and the value they bracket.

    At heat time :math:`s = 1/2` and :math:`y = 0` the posterior of the initial point has the even weight
    :math:`w(z) = e^{-g_M(z) - z^2}` (1 on :math:`|z| \le M`, :math:`e^{-2(|z| - M)^2}` up to :math:`3M`,
    :math:`e^{-8M(|z| - 2M)}` up to :math:`4M`, :math:`e^{-z^2}` beyond), and

    .. math:: (\log \bar p)_{yy}(\tfrac12, 0) = -2 + 4\,\frac{\int_0^\infty z^2 w}{\int_0^\infty w}
              \in \bigl[\tfrac43 M^2 - 2,\; \tfrac43 M^2 + \sqrt{2\pi} M + 4/M\bigr].

    The value is the trapezoid rule on ``n`` points of :math:`[0, 4M + z\_extra]` applied to the weight
    itself (no heat-flow code; :func:`bump_curvature_half` is the closed form of the same ratio).
    """
    M = v.positive("M", M)
    n = v.positive_int("n", n)
    z_extra = v.positive("z_extra", z_extra)
    z = np.linspace(0.0, 4.0 * M + z_extra, n)
    w = np.exp(_bump_log_weight_half(z, M))
    value = -2.0 + 4.0 * np.trapezoid(z * z * w, z) / np.trapezoid(w, z)
    lower = 4.0 * M * M / 3.0 - 2.0
    upper = 4.0 * M * M / 3.0 + np.sqrt(2.0 * np.pi) * M + 4.0 / M
    return HorizonCurvature(float(value), float(lower), float(upper))


def window_log_weights(M: float, *, y_extra: float = 3.0, n: int = 800_001) -> tuple[float, float, float]:
    r"""``(max log excess weight, max log weight, bound)`` of the bump's points in the heat posterior at
    :math:`|y| = 5M + \text{y\_extra}`, heat time :math:`s = 1` (the worst :math:`s \le 1`).

    With :math:`r = |z| \le 4M` and the distance :math:`d = 5M + \text{y\_extra} - r` to the nearest such
    :math:`y`, the log-weight is :math:`-g_M(r) - d^2/2` and the log excess weight over the Gaussian part
    is :math:`\log(e^{-g_M(r)} - 1) - d^2/2`; both are at most ``bound`` :math:`= -(M + \text{y\_extra})^2/2`
    (derived in the book, chapter 5; the log-weight attains it at :math:`r = 4M`).  Maxima over ``n`` points
    of :math:`[0, 4M]`.
    """
    M = v.positive("M", M)
    y_extra = v.positive("y_extra", y_extra, allow_zero=True)
    n = v.positive_int("n", n)
    r = np.linspace(0.0, 4.0 * M, n)
    g = bump_potential(r, M)
    dist2 = 0.5 * (5.0 * M + y_extra - r) ** 2
    with np.errstate(divide="ignore"):
        excess = np.log(-np.expm1(g)) - g - dist2  # log((e^{-g} - 1) e^{-d^2/2}); -inf where g = 0
    full = -g - dist2
    return float(excess.max()), float(full.max()), float(-0.5 * (M + y_extra) ** 2)


def _bump_tau(tau: float, flow: HeatFlow1D) -> float:
    """``tau`` checked for a bump flow: the flow's grid resolves no earlier time, and ``e^{tau/2}`` (the
    scaling from heat to OU variables) must stay finite."""
    tau = v.positive("tau", tau)
    lo = ou.to_mooney_time(flow.min_time())
    if not lo * (1 - 1e-12) <= tau <= TAU_MAX:
        raise ValueError(f"tau must lie in [{lo:.3g}, {TAU_MAX:g}] (the bump flow's grid resolves no "
                         f"earlier OU time), got {tau!r}")
    return tau


def single_bump_lower_bound(tau: float, M: float) -> tuple[float, float, float]:
    r"""Both sides of the lower bound (ch5-infinite-lb) of the book (chapter 5, after Mooney et al.,
    Section 3) for a single bump :math:`g_M` at :math:`x = 0`, OU time ``tau``, heat time
    :math:`s = 1 - e^{-\tau}`:

    .. math:: \partial_x^2 \log p_\tau(0) \;\ge\; (1 - s)\, P\, \frac{M^2}{3 s^2} - 1 - \frac{1 - s}{s},

    with :math:`P` the posterior probability of :math:`[-3M, 3M]` given :math:`X_\tau = 0` (trapezoid
    rule on the flow's grid).  Returns ``(left side, right side, P)``.
    """
    M = v.in_range("M", M, 0.0, M_MAX, closed=(False, True))
    f = bump_flow(M)
    tau = _bump_tau(tau, f)
    s_h = -np.expm1(-tau)
    t = ou.from_mooney_time(tau)
    post = f.posterior_density(t, 0.0)
    in_A = np.abs(f.z) <= 3 * M
    P_A = float(np.trapezoid(post[in_A], f.z[in_A]))
    lhs = float(f.hessian_logp(t, np.array([0.0]))[0])
    rhs = -1 - (1 - s_h) / s_h + (1 - s_h) * P_A * M ** 2 / (3 * s_h ** 2)
    return lhs, float(rhs), P_A


def mass_weighted_curvature(M: float, tau: float, *, n_x: int = 4001) -> tuple[float, float]:
    r"""``(sup, mean)`` of :math:`\partial_x^2 \log p_\tau` for the bump target :math:`g_M` at OU time
    ``tau``: the supremum over ``n_x`` points and the mass-weighted mean
    :math:`\int |\partial_x^2 \log p_\tau|\, p_\tau / \int p_\tau`, both on the uniform grid
    :math:`x = e^{\tau/2} y`, :math:`|y| \le 4M + 3` (the bump and three units beyond, in heat
    variables; sums, not a weighted quadrature rule, which is exact enough for a ratio)."""
    M = v.in_range("M", M, 0.0, M_MAX, closed=(False, True))
    n_x = v.positive_int("n_x", n_x)
    f = bump_flow(M)
    tau = _bump_tau(tau, f)
    xx = np.linspace(-4 * M - 3, 4 * M + 3, n_x) * np.exp(tau / 2)
    ev = f.evolve(ou.from_mooney_time(tau), xx)
    w = np.exp(ev.logp[0])
    d2 = ev.hessian_logp[0]
    return float(d2.max()), float(np.sum(w * np.abs(d2)) / np.sum(w))


def exact_score_errors(M: float, scheds: Sequence[Schedule], *, dx: float = 0.1,
                       scheme: str = "ei") -> tuple[np.ndarray, float]:
    r""":math:`W_2(\hat q, p_0)` for the bump target :math:`g_M` and each schedule (book time, all starting
    at the same :math:`T`), where :math:`\hat q` is the exact law on a grid
    (:func:`sgmbook.laws.grid_1d`) of ``scheme`` run with the exact score from the exact :math:`p_T`:
    only the discretisation error remains.  The grid has step ``dx`` on
    :math:`[-4M - 6, 4M + 6]`; :math:`W_2` is exact for the tabulated densities
    (:func:`sgmbook.metrics.w2_1d_density`).  Returns the errors and the largest mass lost at the
    grid's ends.
    """
    M = v.in_range("M", M, 0.0, M_MAX, closed=(False, True))
    dx = v.positive("dx", dx)
    if not dx <= (8 * M + 12) / 2:
        raise ValueError(f"dx must be at most (8M + 12)/2 = {(8 * M + 12) / 2:g} (at least 3 grid points), "
                         f"got {dx!r}")
    v.allocation(int((8 * M + 12) / dx) + 1, f"the grid of step dx = {dx:g} on [-4M - 6, 4M + 6]")
    if len(scheds) == 0:
        raise ValueError("scheds must hold at least one schedule")
    T = float(scheds[0].t[0])
    if any(float(sc.t[0]) != T for sc in scheds):
        raise ValueError(f"every schedule must start at the same time T = {T:g}")
    f = bump_flow(M)
    xg = np.linspace(-4 * M - 6, 4 * M + 6, int(round((8 * M + 12) / dx)) + 1)
    p0 = np.exp(np.interp(xg, f.z, f.log_density))
    pT = np.exp(f.evolve(T, xg).logp[0])
    errs, lost_max = [], 0.0
    for sc in scheds:
        rho, lost = laws.grid_1d(f.score, xg, pT, sc, scheme=scheme)
        lost_max = max(lost_max, abs(float(lost)))
        errs.append(w2_1d_density(xg, rho, xg, p0))
    return np.array(errs), lost_max
