r"""The chapter-5 checks of the blow-up construction (after Mooney et al., Section 3, the counterexample
following Theorem 3.1): the bump potentials' smoothness, the curvature at the horizon, the supremum of
:math:`\partial_x^2 \log p_\tau` against time, the mechanism, the infinite-bump locality and sampling
with the exact score.

Times are Mooney et al.'s OU time :math:`\tau = 2t` (heat time :math:`s = 1 - e^{-\tau}`); the flows
(:mod:`sgmbook.targets.heat`) take book time and are converted with :mod:`sgmbook.ou`.  Every function
returns a small frozen record; the chapter prints it and asserts the inequalities.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import _validate as v
from .. import ou, schedules
from ..bounds import mooney
from ..bump import bump_potential
from ..targets import Grid1D
from ..targets.heat import bump_flow, multi_bump_flow
from .blowup import M_MAX, bump_curvature_half, exact_score_errors, sup_hessian_curve
from .local_lipschitz import loglog_slope

__all__ = ["BumpSmoothness", "bump_smoothness", "HorizonValues", "horizon_values", "SupCurve",
           "sup_curve_study", "Mechanism", "mechanism", "MechanismCurves", "mechanism_curves",
           "multi_bump_locality", "SamplingOrders", "sampling_orders", "coarse_window_errors"]

LOG2 = float(np.log(2.0))


def _Ms(name: str, Ms: object, *, at_least: int = 1) -> np.ndarray:
    """Bump sizes: a 1-D array of at least ``at_least`` values in ``(0, M_MAX]``."""
    Ms = v.finite_array(name, Ms, ndim=1)
    if Ms.size < at_least or np.any(Ms <= 0) or np.any(Ms > M_MAX):
        raise ValueError(f"{name} must hold at least {at_least} bump sizes in (0, {M_MAX:g}], got "
                         f"{Ms.size} in [{float(Ms.min())!r}, {float(Ms.max())!r}]")
    return Ms


@dataclass(frozen=True)
class BumpSmoothness:
    r"""Per bump size: the grid step ``h``, the range ``[d2_min, d2_max]`` of the second differences of
    :math:`g_M` and ``mismatch``, the largest jump of the one-sided first differences across a joint."""

    Ms: np.ndarray
    h: np.ndarray
    d2_min: np.ndarray
    d2_max: np.ndarray
    mismatch: np.ndarray

    @property
    def d2_abs(self) -> np.ndarray:
        """The largest absolute second difference, per size."""
        return np.maximum(-self.d2_min, self.d2_max)


def bump_smoothness(Ms: np.ndarray, *, n_per_M: int = 400) -> BumpSmoothness:
    r"""Second differences and joint slopes of the bump potential :math:`g_M` (:func:`sgmbook.bump.bump_potential`)
    on the grid of step :math:`h = M/\text{n\_per\_M}` over :math:`[-5M, 5M]`, the joints
    :math:`\pm M, \pm 3M, \pm 4M` on nodes.  For :math:`g_M \in C^{1,1}` with :math:`|g_M''| \le 2`:
    :math:`|(g(y + h) - 2g(y) + g(y - h))/h^2| \le 2`, and the one-sided slopes
    :math:`(g(j \pm h) - g(j))/(\pm h)` at a joint :math:`j` differ by :math:`|g''| h \le 2h`."""
    Ms = _Ms("Ms", Ms)
    n_per_M = v.positive_int("n_per_M", n_per_M, maximum=10 ** 6)
    out = np.empty((4, Ms.size))
    for i, M in enumerate(Ms):
        h = M / n_per_M
        yy = h * np.arange(-5 * n_per_M, 5 * n_per_M + 1)  # [-5M, 5M]
        gv = bump_potential(yy, M)
        d2 = np.diff(gv, 2) / h ** 2
        joints = np.searchsorted(yy, np.array([-4, -3, -1, 1, 3, 4]) * M)
        left = (gv[joints] - gv[joints - 1]) / h
        right = (gv[joints + 1] - gv[joints]) / h
        out[:, i] = h, d2.min(), d2.max(), np.max(np.abs(right - left))
    return BumpSmoothness(Ms, *out)


@dataclass(frozen=True)
class HorizonValues:
    r"""At OU time :math:`\log 2`, per bump size: ``heat`` :math:`= (\log \bar p)_{yy}(\tfrac12, 0)` by the
    flow's quadrature, ``closed`` the closed form, ``ou`` :math:`= \partial_x^2 \log p_{\log 2}(0)`; for the
    sizes ``dense_Ms``, ``dense`` the OU value by quadrature over the whole grid and ``windowed`` the
    flow's value at the same sizes."""

    Ms: np.ndarray
    heat: np.ndarray
    closed: np.ndarray
    ou: np.ndarray
    dense_Ms: np.ndarray
    dense: np.ndarray
    windowed: np.ndarray

    @property
    def lower(self) -> np.ndarray:
        r"""The lower bound :math:`\tfrac43 M^2 - 2` of ``heat``; ``ratio`` is heat / :math:`\tfrac43 M^2`,
        ``rel_cf`` = |heat/closed - 1|, ``paper_ratio`` the least closed / :math:`(M^2/3)`."""
        return 4 * self.Ms ** 2 / 3 - 2

    @property
    def ratio(self) -> np.ndarray:
        return self.heat / (4 * self.Ms ** 2 / 3)

    @property
    def rel_cf(self) -> np.ndarray:
        return np.abs(self.heat / self.closed - 1)

    @property
    def paper_ratio(self) -> float:
        return float(np.min(self.closed / (self.Ms ** 2 / 3)))


def horizon_values(Ms: np.ndarray, dense_Ms: np.ndarray) -> HorizonValues:
    r"""The curvature at the horizon :math:`\tau = \log 2` (heat time :math:`1/2`) at the origin for the bump
    targets, three ways: :meth:`HeatFlow1D.heat` (windowed trapezoid quadrature), the closed form
    :func:`~sgmbook.experiments.blowup.bump_curvature_half` (no grid), and, for ``dense_Ms`` (a subset of
    ``Ms``), :class:`sgmbook.targets.Grid1D` on the same grid without the window.  In OU variables
    :math:`\partial_x^2 \log p_{\log 2}(0) = -1 + \tfrac12 (\log \bar p)_{yy}(\tfrac12, 0)` (book chapter 5,
    after Mooney et al., Section 3)."""
    Ms = _Ms("Ms", Ms)
    dense_Ms = _Ms("dense_Ms", dense_Ms)
    if not np.all(np.isin(dense_Ms, Ms)):
        raise ValueError(f"dense_Ms must be a subset of Ms = {Ms.tolist()}, got {dense_Ms.tolist()}")
    zero = np.array([0.0])
    flows = [bump_flow(float(M)) for M in Ms]
    heat = np.array([f.heat(0.5, zero)[2][0] for f in flows])
    ou_vals = np.array([f.hessian_logp(ou.from_mooney_time(LOG2), zero)[0] for f in flows])
    closed = np.array([bump_curvature_half(float(M)) for M in Ms])
    idx = [int(np.flatnonzero(Ms == M)[0]) for M in dense_Ms]
    dense = np.array([Grid1D(flows[i].z, flows[i].log_density).hessian_logp(LOG2 / 2, zero)[0]
                      for i in idx])
    return HorizonValues(Ms, heat, closed, ou_vals, dense_Ms, dense, ou_vals[idx])


@dataclass(frozen=True)
class SupCurve:
    r""":math:`\sup_x \partial_x^2 \log p_\tau` (``sup``, bump sizes by OU times) and its summaries.

    ``bound`` is the upper bound for :math:`M_0 = 2` (per time), ``before`` the times below
    :math:`\log 2`, ``k_star`` the index of the time nearest :math:`\log 2`; ``excess`` the largest
    ``sup - bound`` before :math:`\log 2` (all sizes); for the largest size, the bound is met to
    ``touch_tol`` at the first ``n_touch`` times (up to ``tau_touch``), with largest gap ``attained``;
    ``slope`` is the least-squares slope of :math:`\log \sup` against :math:`\log M` at ``k_star`` and
    ``local`` the slopes between consecutive sizes; ``late_k`` and ``late_slopes`` the least-squares slopes
    at the times nearest ``late_taus``."""

    taus: np.ndarray
    Ms: np.ndarray
    sup: np.ndarray
    bound: np.ndarray
    before: np.ndarray
    k_star: int
    excess: float
    n_touch: int
    tau_touch: float
    attained: float
    slope: float
    local: np.ndarray
    late_k: np.ndarray
    late_slopes: np.ndarray

    @property
    def running_sup(self) -> np.ndarray:
        """The largest ``sup`` over the first ``k + 1`` sizes (row ``k``), per time: for bumps on disjoint,
        far-apart supports, the supremum of a truncation with the first ``k + 1`` bumps."""
        return np.maximum.accumulate(self.sup, axis=0)

    def nearest(self, taus: Sequence[float]) -> list[int]:
        """Indices of the times of ``self.taus`` nearest each of ``taus``."""
        taus = v.finite_array("taus", taus, ndim=1)
        return [int(np.argmin(np.abs(self.taus - tk))) for tk in taus]

    def s_fit(self, n_sd: float = 6.0) -> float:
        r"""The last heat time :math:`M^2/(n_{sd}^2 + 2M^2)` at which the posterior at :math:`y = 0`
        (variance :math:`s/(1 - 2s)`) fits in :math:`[-M, M]` with ``n_sd`` standard deviations to spare,
        for the largest size."""
        n_sd = v.positive("n_sd", n_sd)
        M = float(self.Ms[-1])
        return M ** 2 / (n_sd ** 2 + 2 * M ** 2)


def sup_curve_study(taus: np.ndarray, Ms: np.ndarray, *, n_x: int = 2001, touch_tol: float = 1e-6,
                    late_taus: Sequence[float] = (1.0, 2.0)) -> SupCurve:
    r"""The supremum over :math:`x` of :math:`\partial_x^2 \log p_\tau` for the bump targets
    (:func:`~sgmbook.experiments.blowup.sup_hessian_curve`) against the upper bound
    :math:`-1 + 2e^{-\tau}/(2e^{-\tau} - 1)` of Mooney et al., Theorem 3.1 (:math:`M_0 = 2`, horizon
    :math:`\log 2`), and its growth in :math:`M` at and after :math:`\log 2` (book chapter 5).  ``taus``
    must be sorted and contain a time below :math:`\log 2`; the sizes ``Ms`` increasing, at least
    two."""
    taus = v.finite_array("taus", taus, ndim=1)
    if np.any(np.diff(taus) < 0):
        raise ValueError("taus must be non-decreasing (sorted OU times)")
    Ms = v.grid("Ms", _Ms("Ms", Ms, at_least=2))
    touch_tol = v.positive("touch_tol", touch_tol)
    late = v.finite_array("late_taus", late_taus, ndim=1)
    before = taus < LOG2 - 1e-12
    if not before.any():
        raise ValueError(f"taus must hold a time below log 2, got min {float(taus.min())!r}")
    S = sup_hessian_curve(taus, Ms, n_x=n_x)
    sup_pos = S > 0
    if not np.all(sup_pos[:, ~before]):
        raise ValueError("the supremum must be positive from log 2 on for the log-log slopes")
    bound = np.asarray(mooney.hessian_logp_bounds(taus, 2.0, 2.0)[1], dtype=float)
    k_star = int(np.argmin(np.abs(taus - LOG2)))
    excess = float(np.max(S[:, before] - bound[before]))
    touch = np.abs(S[-1] - bound) < touch_tol
    n_touch = int(np.argmin(touch & before)) if not np.all(touch[before]) else int(before.sum())
    if n_touch == 0:
        raise ValueError(f"the largest M does not meet the bound to touch_tol = {touch_tol:g} at the "
                         "first time: lower the first time or raise touch_tol")
    attained = float(np.max(np.abs(S[-1, :n_touch] - bound[:n_touch])))
    logS = np.log(S[:, k_star])
    late_k = np.array([int(np.argmin(np.abs(taus - tt))) for tt in late])
    return SupCurve(taus, Ms, S, bound, before, k_star, excess, n_touch, float(taus[n_touch - 1]),
                    attained, loglog_slope(Ms, S[:, k_star]), np.diff(logS) / np.diff(np.log(Ms)),
                    late_k, np.array([loglog_slope(Ms, S[:, k]) for k in late_k]))


@dataclass(frozen=True)
class Mechanism:
    r"""For the bump :math:`g_M`: ``flat`` = max/min - 1 of the posterior at :math:`y = 0` on
    :math:`[-M + 1, M - 1]` at :math:`\tau = \log 2`; at OU time ``tau_mode`` (heat time ``s_mode``) the
    posterior mode ``mode`` against ``mode_pred`` :math:`= 4Ms/(2s + 1)` and the grid step ``h``; the
    Burgers slope ``uy`` :math:`= -(\log \bar p)_{yy}(s, 0)` at ``s_values`` against ``uy_ref``, the
    inviscid :math:`-2/(1 - 2s)` for :math:`s < 1/2` and :math:`-(\tfrac43 M^2 - 2)` from :math:`s = 1/2`
    on."""

    M: float
    h: float
    flat: float
    s_mode: float
    mode: float
    mode_pred: float
    s_values: np.ndarray
    uy: np.ndarray
    uy_ref: np.ndarray

    @property
    def inviscid(self) -> np.ndarray:
        """The heat times below 1/2, where ``uy_ref`` is the inviscid slope."""
        return self.s_values < 0.5


def mechanism(M: float = 8.0, *, tau_mode: float = 0.9,
              s_values: Sequence[float] = (0.3, 0.4, 0.5)) -> Mechanism:
    r"""The mechanism of the blow-up (book chapter 5, after Mooney et al., Section 3): at heat time
    :math:`s` the posterior of :math:`X_0` given :math:`y = 0` has log-density :math:`-g_M(z) - z^2/(2s)`,
    which on :math:`[-M, M]` is :math:`z^2(1 - 1/(2s))`: flat at :math:`s = 1/2`, and for
    :math:`s > 1/2` largest at :math:`|z| = 4Ms/(2s + 1)`; the Burgers velocity
    :math:`u = \partial_y \bar q` has slope :math:`u_y(s, 0) = -2/(1 - 2s)` while the Gaussian posterior
    fits in the bump, and at most :math:`-(\tfrac43 M^2 - 2)` at :math:`s = 1/2`."""
    M = v.in_range("M", M, 1.0, M_MAX, closed=(False, True))
    tau_mode = v.in_range("tau_mode", tau_mode, LOG2, 5.0, closed=(False, True))
    s_values = v.finite_array("s_values", s_values, ndim=1)
    if np.any(s_values <= 0) or np.any(s_values >= 1):
        raise ValueError(f"s_values must lie in (0, 1) (heat times), got [{float(s_values.min())!r}, "
                         f"{float(s_values.max())!r}]")
    f = bump_flow(M)
    post = f.posterior_density(ou.from_mooney_time(LOG2), 0.0)
    inner = np.abs(f.z) <= M - 1
    s_mode = float(-np.expm1(-tau_mode))
    mode = float(abs(f.z[np.argmax(f.posterior_density(ou.from_mooney_time(tau_mode), 0.0))]))
    uy = np.array([-f.heat(float(s), np.array([0.0]))[2][0] for s in s_values])
    with np.errstate(divide="ignore"):
        ref = np.where(s_values < 0.5, -2 / (1 - 2 * s_values), -(4 * M ** 2 / 3 - 2))
    return Mechanism(M, float(f.h), float(post[inner].max() / post[inner].min() - 1), s_mode, mode,
                     4 * M * s_mode / (2 * s_mode + 1), s_values, uy, ref)


@dataclass(frozen=True)
class MechanismCurves:
    r"""Posterior densities on the nodes ``z`` (rows: OU times) and Burgers velocities on ``y`` (rows:
    heat times)."""

    z: np.ndarray
    posterior: np.ndarray
    y: np.ndarray
    u: np.ndarray


def mechanism_curves(M: float, taus: Sequence[float], s_values: Sequence[float],
                     y: np.ndarray) -> MechanismCurves:
    r"""For the bump :math:`g_M`: the density of :math:`X_0` given :math:`X_\tau = 0` at the OU times
    ``taus`` (:meth:`HeatFlow1D.posterior_density`) and the Burgers velocity
    :math:`u = \partial_y \bar q = -\partial_y \log \bar p` at the heat times ``s_values`` on the points
    ``y`` (:meth:`HeatFlow1D.heat`), the data of the mechanism figure of book chapter 5."""
    M = v.in_range("M", M, 0.0, M_MAX, closed=(False, True))
    f = bump_flow(M)
    taus = v.finite_array("taus", taus, ndim=1)
    lo = ou.to_mooney_time(f.min_time())
    if np.any(taus < lo) or np.any(taus > 50):
        raise ValueError(f"taus must lie in [{lo:.3g}, 50] (OU times the flow's grid resolves), got "
                         f"[{float(taus.min())!r}, {float(taus.max())!r}]")
    s_values = v.finite_array("s_values", s_values, ndim=1)
    if np.any(s_values <= 0) or np.any(s_values >= 1):
        raise ValueError(f"s_values must lie in (0, 1) (heat times), got [{float(s_values.min())!r}, "
                         f"{float(s_values.max())!r}]")
    y = v.finite_array("y", y, ndim=1)
    post = np.array([f.posterior_density(ou.from_mooney_time(float(tk)), 0.0) for tk in taus])
    u = np.array([-f.heat(float(s), y)[1] for s in s_values])
    return MechanismCurves(f.z, post, y, u)


def multi_bump_locality(Ms: np.ndarray, taus: Sequence[float], *, gap: float = 16.0, h: float = 0.05,
                        n_y: int = 401, y_extra: float = 3.0) -> tuple[np.ndarray, float]:
    r"""Locality of the infinite-bump construction (book chapter 5, proposition ch5-prop-infinite): the
    bumps :math:`g_{M_k}` at centres :math:`c_1 = 0`, :math:`c_{k+1} = c_k + 4M_k + \text{gap} + 4M_{k+1}`
    on one grid (:func:`sgmbook.targets.heat.multi_bump_flow`), against each bump alone, at the OU times
    ``taus`` on ``n_y`` heat points :math:`|y - c_k| \le 4M_k + \text{y\_extra}`.  Returns the centres and
    the largest relative difference :math:`|d_{multi} - d_{single}| / \max(1, |d_{single}|)` of
    :math:`\partial_x^2 \log p_\tau`."""
    Ms = _Ms("Ms", Ms)
    gap = v.positive("gap", gap)
    h = v.positive("h", h)
    taus = v.finite_array("taus", taus, ndim=1)
    if np.any(taus < np.log1p(h * h)) or np.any(taus > 50):
        raise ValueError(f"taus must lie in [log(1 + h^2), 50] = [{np.log1p(h * h):.3g}, 50] (OU times "
                         f"the grid resolves), got [{float(taus.min())!r}, {float(taus.max())!r}]")
    n_y = v.positive_int("n_y", n_y, maximum=10 ** 6)
    y_extra = v.positive("y_extra", y_extra, allow_zero=True)
    centres = np.concatenate([[0.0], np.cumsum(4 * Ms[:-1] + gap + 4 * Ms[1:])])
    multi = multi_bump_flow(Ms, centres, h=h)
    worst = 0.0
    for M, c in zip(Ms, centres):
        single = bump_flow(float(M))
        yy = np.linspace(-4 * M - y_extra, 4 * M + y_extra, n_y)
        for tk in taus:
            a, t = np.exp(tk / 2), ou.from_mooney_time(float(tk))
            d_multi = multi.hessian_logp(t, (c + yy) * a)
            d_single = single.hessian_logp(t, yy * a)
            worst = max(worst, float(np.max(np.abs(d_multi - d_single) / np.maximum(1, np.abs(d_single)))))
    return centres, worst


@dataclass(frozen=True)
class SamplingOrders:
    r""":math:`W_2` errors (bump sizes by step counts), the fitted orders :math:`-\mathrm{d}\log W_2 /
    \mathrm{d}\log N` and the largest mass lost at the grid's ends, per size."""

    Ms: np.ndarray
    Ns: np.ndarray
    errors: np.ndarray
    orders: np.ndarray
    lost: np.ndarray

    def slope_line(self, i: int) -> np.ndarray:
        r"""The reference line :math:`W_2(N_0) N_0 / N` of slope :math:`-1` through the ``i``-th size's
        error at the first step count."""
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)):
            raise TypeError(f"i must be an integer index in [0, {self.Ms.size - 1}], got {i!r}")
        if not 0 <= i < self.Ms.size:
            raise ValueError(f"i must be an integer index in [0, {self.Ms.size - 1}], got {i}")
        return self.errors[i, 0] * self.Ns[0] / self.Ns


def sampling_orders(Ms: np.ndarray, T: float, Ns: Sequence[int], *, scheme: str = "ei") -> SamplingOrders:
    r"""The exact-score sampling error of book chapter 5: for each bump target :math:`g_M`,
    :func:`~sgmbook.experiments.blowup.exact_score_errors` with :math:`N` uniform steps on :math:`[0, T]`
    (book time) for each :math:`N` of ``Ns``, and the least-squares order of :math:`W_2` in :math:`N`
    on log-log axes."""
    Ms = _Ms("Ms", Ms)
    T = v.positive("T", T)
    Ns = v.int_array("Ns", Ns, minimum=1)
    if Ns.ndim != 1 or Ns.size < 2:
        raise ValueError(f"Ns must be a 1-D list of at least 2 step counts, got {Ns.tolist()}")
    runs = [exact_score_errors(float(M), [schedules.uniform(T, 0.0, int(N)) for N in Ns], scheme=scheme)
            for M in Ms]
    errors = np.array([e for e, _ in runs])
    orders = np.array([-loglog_slope(Ns, e) for e in errors])
    return SamplingOrders(Ms, Ns, errors, orders, np.array([lost for _, lost in runs]))


def coarse_window_errors(M: float, T: float, los: Sequence[float], *, width: float = 0.3,
                         n_fine: int = 96, n_coarse: int = 2,
                         scheme: str = "ei") -> tuple[float, np.ndarray]:
    r"""Where along the trajectory the exact-score sampling error is made (book chapter 5): the
    :math:`W_2` error of :func:`~sgmbook.experiments.blowup.exact_score_errors` for the bump target
    :math:`g_M` with ``n_fine`` uniform steps on :math:`[0, T]` (book time), and with the schedule
    :func:`sgmbook.schedules.windows`, uniform step :math:`T/n_{fine}` except the window
    :math:`[lo, lo + \text{width}]` covered by ``n_coarse`` steps, for each start ``lo`` of ``los``.
    Returns the uniform error and the windowed errors."""
    M = v.in_range("M", M, 0.0, M_MAX, closed=(False, True))
    T = v.positive("T", T)
    los = v.finite_array("los", los, ndim=1)
    n_fine = v.positive_int("n_fine", n_fine, maximum=10 ** 6)
    scheds = [schedules.uniform(T, 0.0, n_fine)] + [
        schedules.windows(T, float(lo), width=width, n_fine=n_fine, n_coarse=n_coarse) for lo in los]
    errors, _ = exact_score_errors(M, scheds, scheme=scheme)
    return float(errors[0]), errors[1:]
