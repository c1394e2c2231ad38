r"""The checks of the chapter on local Lipschitz bounds and convergence without time separation
(Mooney et al., arXiv 2405.16104), one function per check or figure, each returning a small record.

* the curvature of :math:`\log p_\tau` near the bumps of a multi-bump density and its growth like
  :math:`M_k^2` (:func:`bump_curvature`), and the quadratic envelope on one grid covering every bump
  (:func:`quadratic_envelope`): the local Hessian bound of Theorem 3.5 / Corollary 3.6 of the
  submission, as quoted in reviews;
* the two conditions of the global existence theorem for the backward SDE, sampled
  (:func:`wellposedness_constants`), and the local constant of uniform data on :math:`[-1, 1]` against the
  early-stopping constant (:func:`uniform_interval_lipschitz`);
* the convergence checks of the same chapter are in
  :mod:`sgmbook.experiments.local_lipschitz_rates`.

Clocks: ``tau`` is Mooney et al.'s OU time, ``t`` and ``T`` the book's time, :math:`\tau = 2t`
(:mod:`sgmbook.ou`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate as v
from .. import ou
from ..bounds import mooney
from ..bump import multi_bump_potential
from ..targets import Grid1D, HeatFlow1D, UniformInterval
from . import local_lipschitz as ll

__all__ = ["BumpCurvature", "bump_curvature", "QuadraticEnvelope", "quadratic_envelope",
           "WellPosedness", "wellposedness_constants", "IntervalLipschitz", "uniform_interval_lipschitz"]

def _bumps(Ms, centres) -> tuple[np.ndarray, np.ndarray]:
    Ms = v.finite_array("Ms", Ms, ndim=1)
    cs = v.finite_array("centres", centres, ndim=1)
    if Ms.shape != cs.shape or np.any(Ms <= 0):
        raise ValueError(f"Ms must be > 0 and have the shape of centres {cs.shape}, got {Ms!r}")
    return Ms, cs


def _log_density(z: np.ndarray, Ms: np.ndarray, cs: np.ndarray) -> np.ndarray:
    """:math:`\\log p_0 = -g - z^2/2` up to a constant, :math:`g = \\sum_k g_{M_k}(\\cdot - c_k)`."""
    return -multi_bump_potential(z, Ms, cs) - 0.5 * z * z


def _taus(taus) -> np.ndarray:
    ts = v.finite_array("taus", taus, ndim=1)
    if np.any(ts <= 0) or np.any(ts > 50):
        raise ValueError(f"taus must lie in (0, 50], got {ts!r}")
    return ts


# ----------------------------------------------------------------------------------------------
# the local Hessian bound on a multi-bump density


@dataclass(frozen=True)
class BumpCurvature:
    r"""Per OU time (rows) and bump (columns): :math:`\partial_x^2\log p_\tau` at the focus point,
    the sampled :math:`\sup|\cdot|` and :math:`\sup|\cdot|/(1 + x^2)` near the bump; per time the
    smallest and largest sampled value over all windows, the log-log slope of the focus values in
    :math:`M_k` (bumps ``fit_from`` on) and their growth :math:`|h_{\rm last}/h_{\rm first}|` from the
    first bump to the last; per time Theorem 3.1's window ``bound_lo``, ``bound_hi`` (infinite past the
    critical time) and ``window_excess``, the largest of ``bound_lo - window_min`` and
    ``window_max - bound_hi`` (:math:`\le 0` where the sampled values lie in the window)."""
    taus: np.ndarray
    centre: np.ndarray
    sup: np.ndarray
    ratio: np.ndarray
    window_min: np.ndarray
    window_max: np.ndarray
    slope: np.ndarray
    growth: np.ndarray
    bound_lo: np.ndarray
    bound_hi: np.ndarray
    window_excess: np.ndarray


def bump_curvature(Ms: np.ndarray, centres: np.ndarray, taus: np.ndarray, *,
                   y_range: tuple[float, float] = (-10.0, 270.0), dy: float = 0.05,
                   fit_from: int = 1, M0: float = 2.0, M1: float = 2.0) -> BumpCurvature:
    r"""The curvature of :math:`\log p_\tau` near each bump of :math:`p_0 \propto e^{-g - x^2/2}`,
    :math:`g = \sum_k g_{M_k}(\cdot - c_k)` (the book's bump :math:`g_M`), at the OU times ``taus``.

    The data density is tabulated on ``y_range`` with spacing ``dy`` (:class:`~sgmbook.targets.Grid1D`)
    and sampled by :func:`sgmbook.experiments.local_lipschitz.bump_window_curvature`.  Mooney et al.'s
    local bound (Theorem 3.5 / Corollary 3.6 of the submission, as quoted in reviews) allows growth at
    most quadratic in :math:`|x|`; with :math:`M_k \propto c_k` the focus values grow like
    :math:`M_k^2` for :math:`\tau \ge \log 2`.  ``M0``, ``M1`` bound :math:`-M_1 \le D^2 g \le M_0` (2 and 2
    for the book's bumps) and give the finite-time window of Theorem 3.1
    (:func:`sgmbook.bounds.mooney.hessian_logp_bounds`).
    """
    Ms, cs = _bumps(Ms, centres)
    ts = _taus(taus)
    if not (isinstance(y_range, tuple) and len(y_range) == 2):
        raise TypeError(f"y_range must be a pair (lo, hi), got {y_range!r}")
    lo, hi = v.real("y_range[0]", y_range[0]), v.real("y_range[1]", y_range[1])
    if hi <= lo:
        raise ValueError(f"y_range must be a pair (lo, hi) with lo < hi, got {y_range!r}")
    dy = v.in_range("dy", dy, 0.0, 1.0, closed=(False, True))
    M0, M1 = v.real("M0", M0), v.real("M1", M1, lower=-1.0)
    fit_from = v.int_array("fit_from", fit_from)
    if fit_from.ndim or Ms.size - int(fit_from) < 2:
        raise ValueError(f"fit_from must be an integer leaving >= 2 bumps of {Ms.size}, got {fit_from!r}")
    v.allocation((hi - lo) / dy, "y_range / dy grid points")
    y = np.arange(lo, hi, dy)
    target = Grid1D(y, _log_density(y, Ms, cs))
    parts = [ll.bump_window_curvature(target, Ms, cs, float(tau)) for tau in ts]
    centre = np.array([p[4] for p in parts])
    slope = np.array([ll.loglog_slope(Ms[int(fit_from):], np.abs(c[int(fit_from):])) for c in centre])
    w_min, w_max = np.array([p[1].min() for p in parts]), np.array([p[1].max() for p in parts])
    lo, hi = (np.asarray(b) for b in mooney.hessian_logp_bounds(ts, M0, M1))
    return BumpCurvature(ts, centre, np.array([p[2] for p in parts]), np.array([p[3] for p in parts]),
                         w_min, w_max, slope, np.abs(centre[:, -1] / centre[:, 0]), lo, hi,
                         np.maximum(lo - w_min, w_max - hi))


@dataclass(frozen=True)
class QuadraticEnvelope:
    r"""Per OU time: the grid ``x`` (a list of arrays) and :math:`|\partial_x^2\log p_\tau|` on it
    (``abs_h``); its largest value, the largest :math:`(|\cdot| - 1)/x^2` over :math:`x \ge 1`
    (``b_ou``), the largest :math:`\|D^2\bar q\|/(1 + y^2)` (``ratio_heat``), the largest excess over
    each envelope (``excess_ou``, ``excess_heat``: :math:`\le 0` where the envelope holds), the heat time
    ``s`` and the range of :math:`D^2 \bar q` (``dq_min``, ``dq_max``); and ``tail``, the largest
    :math:`-2g(z)/z^2` over :math:`|z| > 1` (the Gaussian-tail constant :math:`\alpha_2` with
    :math:`\alpha_1 = 0`); per time Theorem 3.1's window for :math:`D^2\bar q(s, \cdot)`
    (``dq_bound_lo``, ``dq_bound_hi``, infinite past the critical time) and ``dq_excess``, the largest of
    ``dq_bound_lo - dq_min`` and ``dq_max - dq_bound_hi`` (:math:`\le 0` inside the window); ``A``,
    ``B``: the OU envelope :math:`A + B x^2` (:meth:`envelope_curve` tabulates it)."""
    taus: np.ndarray
    x: list
    abs_h: list
    n_points: np.ndarray
    h_max: np.ndarray
    b_ou: np.ndarray
    ratio_heat: np.ndarray
    excess_ou: np.ndarray
    excess_heat: np.ndarray
    s: np.ndarray
    dq_min: np.ndarray
    dq_max: np.ndarray
    tail: float
    dq_bound_lo: np.ndarray
    dq_bound_hi: np.ndarray
    dq_excess: np.ndarray
    A: float
    B: float

    def envelope_curve(self, x_end: float, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
        """``(x, A + B x^2)`` on ``n`` equally spaced points of :math:`[1, x_{end}]`."""
        x_end = v.in_range("x_end", x_end, 1.0, np.inf, closed=(False, False))
        x = np.linspace(1.0, x_end, v.positive_int("n", n))
        return x, self.A + self.B * x ** 2


def quadratic_envelope(Ms: np.ndarray, centres: np.ndarray, taus: np.ndarray, *, x_max: float = 270.0,
                       dx: float = 0.005, A: float = 1.0, B: float = 0.005,
                       B_heat: float = 0.05, M0: float = 2.0, M1: float = 2.0) -> QuadraticEnvelope:
    r"""The curvature of :math:`\log p_\tau` on one grid :math:`0 \le x \le x_{\max} e^{\tau/2}` (spacing
    ``dx``) per OU time, against the envelopes :math:`|\partial_x^2 \log p_\tau(x)| \le A + B x^2` (OU
    variables) and :math:`\|D^2\bar q(s, y)\| \le B_{\rm heat}(1 + y^2)` (heat variables,
    :math:`s = 1 - e^{-\tau}`, :math:`y = e^{-\tau/2} x`), where
    :math:`D^2\bar q(s, y) = -e^{\tau}(\partial_x^2\log p_\tau(x) + 1)` (Mooney et al.'s heat transform).

    The flow is :class:`~sgmbook.targets.HeatFlow1D` on :math:`z \in [-20, x_{\max} + 20]` (spacing
    0.05, so the kinks of every bump sit on nodes).  ``M0``, ``M1`` bound :math:`-M_1 \le D^2 g \le M_0`
    (2 and 2 for the book's bumps) and give Theorem 3.1's window in heat variables
    (:func:`sgmbook.bounds.mooney.heat_hessian_bounds`).
    """
    Ms, cs = _bumps(Ms, centres)
    ts = _taus(taus)
    x_max = v.in_range("x_max", x_max, 1.0, 1e5)
    dx = v.in_range("dx", dx, 0.0, 1.0, closed=(False, True))
    A, B, B_heat = v.real("A", A), v.real("B", B), v.real("B_heat", B_heat)
    M0, M1 = v.real("M0", M0), v.real("M1", M1, lower=-1.0)
    v.allocation(x_max * np.exp(ts.max() / 2) / dx, "x_max e^{tau/2} / dx grid points")
    z = np.arange(-20.0, x_max + 20.0 + 1e-9, 0.05)
    flow = HeatFlow1D(z, _log_density(z, Ms, cs))
    far = np.abs(z) > 1
    tail = float(np.max(-2.0 * multi_bump_potential(z, Ms, cs)[far] / z[far] ** 2))
    out = {k: [] for k in ("x", "abs_h", "b", "r", "eo", "eh", "s", "lo", "hi")}
    for tau in ts:
        x = np.arange(0.0, x_max * np.exp(tau / 2) + 1e-9, dx)
        h = flow.hessian_logp(ou.from_mooney_time(tau), x)
        y = np.exp(-tau / 2) * x
        dq = np.exp(tau) * (h + 1.0)  # minus D2 qbar(1 - e^{-tau}, y)
        big = x >= 1.0
        out["x"].append(x)
        out["abs_h"].append(np.abs(h))
        out["b"].append(float(((np.abs(h[big]) - 1.0) / x[big] ** 2).max()))
        out["r"].append(float((np.abs(dq) / (1.0 + y ** 2)).max()))
        out["eo"].append(float(np.max(np.abs(h) - (A + B * x ** 2))))
        out["eh"].append(float(np.max(np.abs(dq) - B_heat * (1.0 + y ** 2))))
        out["s"].append(float(ou.heat_time(ou.from_mooney_time(tau))))
        out["lo"].append(float(-dq.max()))
        out["hi"].append(float(-dq.min()))
    arr = {k: np.array(val) for k, val in out.items() if k not in ("x", "abs_h")}
    lo, hi = (np.asarray(b) for b in mooney.heat_hessian_bounds(arr["s"], M0, M1))
    return QuadraticEnvelope(ts, out["x"], out["abs_h"], np.array([x.size for x in out["x"]]),
                             np.array([a.max() for a in out["abs_h"]]), arr["b"], arr["r"], arr["eo"],
                             arr["eh"], arr["s"], arr["lo"], arr["hi"], tail, lo, hi,
                             np.maximum(lo - arr["lo"], arr["hi"] - hi), float(A), float(B))


# ----------------------------------------------------------------------------------------------
# well-posedness of the backward SDE


@dataclass(frozen=True)
class WellPosedness:
    """``L[i, j]``: the sampled local Lipschitz constant at book time ``t[i]`` on the ball of radius
    ``radii[j]``; ``K[i]``: the largest :math:`y\\,b(t, y)/(1 + y^2)` over sampled :math:`|y| \\ge 1`."""
    t: np.ndarray
    radii: np.ndarray
    L: np.ndarray
    K: np.ndarray


def wellposedness_constants(Ms: np.ndarray, centres: np.ndarray, t: np.ndarray,
                            radii: np.ndarray | tuple = (10.0, 40.0, 160.0, 640.0), *,
                            half_width: float = 640.0, dx: float = 0.05) -> WellPosedness:
    r"""The two conditions of the global existence theorem for :math:`dY = b\,ds + \sqrt2\,dB`,
    :math:`b(t, y) = y + 2\partial_y\log p_t(y)` (book clock), sampled for the multi-bump density:
    :math:`L_R(t) = \max_{|x| \le R}|\partial_x^2\log p_t(x)|`
    (:func:`~sgmbook.experiments.local_lipschitz.local_lipschitz`) and
    :math:`K(t) = \max_{|y| \ge 1} y\,b(t, y)/(1 + y^2)`
    (:func:`~sgmbook.experiments.local_lipschitz.reverse_drift_growth`), on
    :math:`|x| \le` ``half_width`` (spacing ``dx``), for the ball radii ``radii`` (by default, chapter 6,
    10, 40, 160 and 640); the data grid reaches 20 further (the posterior of
    :math:`X_0` given :math:`X_t = x` is centred at :math:`e^{-t}x`).  At :math:`t = 0` finite
    differences of the tabulated density, else :class:`~sgmbook.targets.HeatFlow1D`.
    """
    Ms, cs = _bumps(Ms, centres)
    ts = v.times("t", t)
    if ts.ndim != 1:
        raise ValueError(f"t must be a 1-D array of book times >= 0, got shape {ts.shape}")
    rs = v.finite_array("radii", radii, ndim=1)
    half_width = v.in_range("half_width", half_width, 1.0, 1e5)
    dx = v.in_range("dx", dx, 0.0, 1.0, closed=(False, True))
    if np.any(rs < 0) or np.any(rs > half_width):
        raise ValueError(f"radii must lie in [0, half_width = {half_width:g}], got {rs!r}")
    v.allocation(2 * (half_width + 20) / dx, "2 (half_width + 20) / dx grid points")
    x = np.arange(-half_width, half_width + 1e-9, dx)
    z = np.arange(-half_width - 20.0, half_width + 20.0 + 1e-9, dx)
    flow, data = HeatFlow1D(z, _log_density(z, Ms, cs)), Grid1D(z, _log_density(z, Ms, cs))
    evolved = {float(s): flow.evolve(float(s), x) for s in ts if s > 0}
    out = np.abs(x) >= 1.0

    def d2(s: float) -> np.ndarray:
        return data.hessian_logp(0.0, x) if s == 0 else evolved[s].hessian_logp[0]

    def score(s: float, y: np.ndarray) -> np.ndarray:  # the tabulated score at x[out]
        return data.score(0.0, y) if s == 0 else evolved[s].score[0][out]

    L = np.array([ll.local_lipschitz(d2(float(s)), x, rs) for s in ts])
    return WellPosedness(ts, rs, L, ll.reverse_drift_growth(score, ts, x[out]))


@dataclass(frozen=True)
class IntervalLipschitz:
    r"""At book times ``t``: the sampled :math:`L_R(t)` of uniform data on :math:`[-1, 1]` (``L``) and the
    early-stopping constant :math:`1 + 1/\delta + 1/\delta^2` at :math:`\delta = 2t` (``L_es``)."""
    t: np.ndarray
    L: np.ndarray
    L_es: np.ndarray


def uniform_interval_lipschitz(t: np.ndarray, *, radius: float = 2.0,
                               n_points: int = 2001) -> IntervalLipschitz:
    r"""The local Lipschitz constant :math:`L_R(t) = \max_{|x| \le R}|\partial_x^2\log p_t(x)|` of uniform
    data on :math:`[-1, 1]` (``n_points`` uniform points of :math:`[-R, R]`), which blows up like
    :math:`1/(2t)` as :math:`t \to 0`, and the constant :math:`L_\delta = 1 + 1/\delta + M^2/\delta^2`
    (:math:`M = 1`, OU time :math:`\delta = 2t`) that Mooney et al. use with early stopping (Section 6.3
    of the camera-ready, reconstructed form; :func:`sgmbook.bounds.mooney.early_stopping_lipschitz`).
    """
    ts = v.finite_array("t", t, ndim=1)
    if np.any(ts <= 0):
        raise ValueError(f"t must be > 0 (book times), got {ts!r}")
    R = v.in_range("radius", radius, 0.0, 1e3, closed=(False, True))
    n = v.positive_int("n_points", n_points, maximum=10 ** 7)
    xi = np.linspace(-R, R, n)
    target = UniformInterval()
    L = np.array([ll.local_lipschitz(target.hessian_logp(float(s), xi), xi, np.array([R]))[0]
                  for s in ts])
    return IntervalLipschitz(ts, L, np.asarray(mooney.early_stopping_lipschitz(ou.to_mooney_time(ts), 1.0)))
