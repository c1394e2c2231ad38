r"""The convergence checks of the chapter on local Lipschitz bounds and convergence without time
separation (Mooney et al., arXiv 2405.16104, Section 4 of the submission), one function per check,
each returning a small record:

* the Case-I horizon and first term on a Gaussian mixture (:func:`case_one_floor`) and the Case-I shape
  against the exact KL on a Gaussian (:func:`case_one_gaussian`);
* the exact error of the uniform-step exponential integrator against the Girsanov bound
  (:func:`girsanov_check`), against the horizon at a fixed step (:func:`horizon_sweep`), and uniform
  against time-split steps (:func:`uniform_vs_split`).

The scheme's law is propagated exactly on a grid
(:func:`sgmbook.experiments.local_lipschitz.scheme_law_1d`): no sampling error enters.  ``T`` is book
time; Mooney et al.'s OU time is :math:`\tau = 2T`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate as v
from .. import schedules
from ..bounds import mooney
from ..bump import bump_log_density
from ..targets import Grid1D, Target
from . import dimension
from . import local_lipschitz as ll

__all__ = ["CaseOneFloor", "case_one_floor", "CaseOneShape", "case_one_gaussian", "GirsanovCheck",
           "girsanov_check", "HorizonSweep", "horizon_sweep", "SplitComparison", "uniform_vs_split",
           "bump_target"]

_TARGET_METHODS = ("score", "logpdf")


# ----------------------------------------------------------------------------------------------
# the convergence theorems: Case I shape, Girsanov bound, horizon, time-split steps


@dataclass(frozen=True)
class CaseOneFloor:
    r""":math:`L_0 = \sup_x \partial_x^2\log p_0`, the second moment :math:`M_2`, the Case-I horizon
    :math:`\tau^*` (OU time) and the first term :math:`(M_2 + 1)e^{-\tau^*}` at it."""
    L0: float
    m2: float
    tau_star: float
    floor: float


def case_one_floor(target: Target, *, x_max: float = 4.0, n_x: int = 4001) -> CaseOneFloor:
    r"""The Case-I horizon :math:`\tau^* = \log(1 + 1/L_0)` of Mooney et al. (Theorem 4.3 of the
    submission, as quoted in reviews; :func:`sgmbook.bounds.mooney.case_one_horizon`) for a 1-D Gaussian
    mixture, with :math:`L_0` sampled on ``n_x`` points of :math:`[-x_{\max}, x_{\max}]`, and the size
    :math:`(M_2 + 1)e^{-\tau^*}` of the first term of the bound at that horizon (implied constant one),
    :math:`M_2 = \sum_i w_i(\mu_i^2 + \sigma_i^2)`.
    """
    v.duck("target", target, ("hessian_logp",), "a 1-D Gaussian mixture")
    if not all(hasattr(target, a) for a in ("weights", "means", "covs")) or target.means.shape[1] != 1:
        raise TypeError(f"target must be a 1-D GaussianMixture, got {target!r}")
    x_max = v.in_range("x_max", x_max, 0.0, 1e4, closed=(False, True))
    n_x = v.positive_int("n_x", n_x, maximum=10 ** 7)
    L0 = float(target.hessian_logp(0.0, np.linspace(-x_max, x_max, n_x)).max())
    m2 = float(np.sum(target.weights * (target.means[:, 0] ** 2 + np.asarray(target.covs)[:, 0])))
    tau_star = float(mooney.case_one_horizon(L0))
    return CaseOneFloor(L0, m2, tau_star, float((m2 + 1) * np.exp(-tau_star)))


@dataclass(frozen=True)
class CaseOneShape:
    """Per step count ``N``: the exact KL of the scheme (start :math:`N(0,1)`), the Case-I shape with
    implied constant one and their ratio; ``H`` the Lipschitz constant of Theorem 3.1 used in it."""
    N: np.ndarray
    kl: np.ndarray
    bound: np.ndarray
    ratio: np.ndarray
    H: float


def case_one_gaussian(N: np.ndarray | tuple = (8, 32, 128), *, variance: float = 0.25, T: float = 2.0,
                      M0: float = -3.0, M1: float = 3.0) -> CaseOneShape:
    r"""The Case-I shape :math:`(M_2 + d)e^{-\tau} + d\,\tau^2 H_\tau^2/N` (Mooney et al., Theorem 4.3
    of the submission as quoted in reviews; :func:`sgmbook.bounds.mooney.case_one_bound` with
    :math:`\epsilon_0 = 0`, :math:`H_\tau` from :func:`sgmbook.bounds.mooney.case_one_lipschitz` with
    Theorem 3.1's constants ``M0``, ``M1``) at OU time :math:`\tau = 2T`, against the exact KL of the
    uniform-step exponential integrator on :math:`N(0, \text{variance})` started at :math:`N(0, 1)`
    (:func:`sgmbook.experiments.dimension.ei_gaussian_kl`).
    """
    Ns = v.int_array("N", N, minimum=1)
    if Ns.ndim != 1 or Ns.size == 0:
        raise ValueError(f"N must be a non-empty 1-D array of step counts >= 1, got {N!r}")
    var = v.positive("variance", variance)
    T = v.positive("T", T)
    M0, M1 = v.real("M0", M0), v.real("M1", M1)
    H = float(mooney.case_one_lipschitz(2 * T, M0, M1))
    kl = np.array([dimension.ei_gaussian_kl(np.array([var]), T, int(n), start="standard") for n in Ns])
    bound = np.array([mooney.case_one_bound(2 * T, int(n), dim=1, m2=var, eps0=0.0, H=H) for n in Ns])
    return CaseOneShape(Ns, kl, bound, bound / kl, H)


def _target(target: Target) -> None:
    v.duck("target", target, _TARGET_METHODS, "a 1-D target")


def _x_grid(x) -> np.ndarray:
    """The grid ``x`` of the law of the scheme; by default (chapter 6) 481 points on :math:`[-8, 8]`."""
    return np.linspace(-8.0, 8.0, 481) if x is None else v.grid("x", x)


def _steps(name: str, value) -> np.ndarray:
    Ns = v.int_array(name, value, minimum=1)
    if Ns.ndim != 1 or Ns.size < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 step counts >= 1, got {value!r}")
    return Ns


@dataclass(frozen=True)
class GirsanovCheck:
    """Per step count ``N``: the exact KL from :math:`N(0,1)` (``kl_standard``) and from :math:`p_T`
    (``kl_exact``), :math:`W_2` from :math:`N(0,1)`, the Girsanov discretisation term; ``init`` =
    :math:`\\mathrm{KL}(p_T\\|N(0,1))`, ``bound`` = ``init + girsanov`` (the right-hand side), ``lost``
    the largest mass leaving the grid, and the log-log slopes in ``N`` (counts ``fit_from`` on) of
    ``kl_exact``, ``w2`` and ``girsanov``; ``slack`` = ``bound / kl_standard`` per ``N``."""
    N: np.ndarray
    kl_standard: np.ndarray
    kl_exact: np.ndarray
    w2: np.ndarray
    girsanov: np.ndarray
    init: float
    bound: np.ndarray
    lost: float
    slope_kl: float
    slope_w2: float
    slope_girsanov: float

    @property
    def slack(self) -> np.ndarray:
        """The factor by which the bound exceeds the exact KL (start :math:`N(0,1)`), per ``N``."""
        return self.bound / self.kl_standard


def girsanov_check(target: Target, x: np.ndarray | None = None, *, T: float = 4.0,
                   N: np.ndarray | tuple = (8, 16, 32, 64, 128), n_time_nodes: int = 3,
                   n_hermite: int = 16, fit_from: int = 2) -> GirsanovCheck:
    r"""The exact error of the uniform-step exponential integrator (exact score, law on the grid ``x``, by
    default 481 points on :math:`[-8, 8]`,
    :func:`sgmbook.experiments.local_lipschitz.scheme_law_1d`) against the bound derived in the book
    after Chen et al. (2023),

    .. math:: \mathrm{KL}(p_0\|\hat q) \le \mathrm{KL}(p_T\|N(0,1)) + \sum_k\int_{t_{k+1}}^{t_k}
              \mathbb E|\nabla\log p_t(X_t) - \nabla\log p_{t_k}(X_{t_k})|^2\,dt

    (:func:`sgmbook.experiments.local_lipschitz.girsanov_discretisation_bound`), for ``N`` uniform steps
    on :math:`[0, T]` (book time).  ``target`` has ``score(t, x)`` and ``logpdf(t, x)``.
    """
    _target(target)
    xs = _x_grid(x)
    T = v.positive("T", T)
    Ns = _steps("N", N)
    fit = v.int_array("fit_from", fit_from)
    if fit.ndim or Ns.size - int(fit) < 2:
        raise ValueError(f"fit_from must be an integer leaving >= 2 step counts, got {fit_from!r}")
    p0, pT = np.exp(target.logpdf(0.0, xs)), np.exp(target.logpdf(T, xs))
    rows, lost = [], 0.0
    for n in Ns:
        sched = schedules.uniform(T, 0.0, int(n))
        q_g, lost_g = ll.scheme_law_1d(target.score, xs, T=T, times=sched)
        q_e, lost_e = ll.scheme_law_1d(target.score, xs, T=T, times=sched, start=pT)
        e_g, e_e = ll.scheme_errors(xs, p0, q_g), ll.scheme_errors(xs, p0, q_e)
        B = ll.girsanov_discretisation_bound(target.score, target.logpdf, sched, xs,
                                             n_time_nodes=n_time_nodes, n_hermite=n_hermite)
        lost = max(lost, lost_g, lost_e)
        rows.append((e_g["kl"], e_e["kl"], e_g["w2"], B))
    r = np.array(rows)
    k = int(fit)
    slopes = [ll.loglog_slope(Ns[k:].astype(float), r[k:, j]) for j in (1, 2, 3)]
    init = ll.init_kl_1d(target.logpdf(T, xs), xs)
    return GirsanovCheck(Ns, r[:, 0], r[:, 1], r[:, 2], r[:, 3], init, init + r[:, 3], float(lost), *slopes)


@dataclass(frozen=True)
class HorizonSweep:
    r"""Per horizon ``T`` (book time, ``N`` steps): the total KL (start :math:`N(0,1)`), the
    discretisation part (start :math:`p_T`), :math:`\mathrm{KL}(p_T\|N(0,1))`; the fitted decay rate of
    the last over :math:`T \ge` ``rate_from`` and the max/min ratio of the discretisation part over
    :math:`T \ge` ``spread_from``."""
    T: np.ndarray
    N: np.ndarray
    kl_total: np.ndarray
    kl_disc: np.ndarray
    init: np.ndarray
    init_rate: float
    disc_spread: float


def horizon_sweep(target: Target, x: np.ndarray | None = None, *,
                  T: np.ndarray | tuple = (0.5, 1.0, 2.0, 4.0, 8.0),
                  steps_per_unit: int = 16, rate_from: float = 2.0,
                  spread_from: float = 1.0) -> HorizonSweep:
    r"""The error of the exponential integrator at the fixed step :math:`h = 1/\text{steps\_per\_unit}`
    against the horizon :math:`T` (Case II of Mooney et al. allows any :math:`T`): the exact KL started
    at :math:`N(0,1)` and at :math:`p_T` (:func:`sgmbook.experiments.local_lipschitz.scheme_law_1d`), and
    the initialisation term :math:`\mathrm{KL}(p_T\|N(0,1))`, which decays like :math:`e^{-2T}`.
    The law lives on the grid ``x`` (by default 481 points on :math:`[-8, 8]`).
    """
    _target(target)
    xs = _x_grid(x)
    Ts = v.finite_array("T", T, ndim=1)
    if np.any(Ts <= 0):
        raise ValueError(f"T must be > 0 (book horizons), got {Ts!r}")
    k = v.positive_int("steps_per_unit", steps_per_unit, maximum=10 ** 5)
    rate_from, spread_from = v.real("rate_from", rate_from), v.real("spread_from", spread_from)
    if np.sum(Ts >= rate_from) < 2 or np.sum(Ts >= spread_from) < 1:
        raise ValueError(f"rate_from and spread_from must leave >= 2 and >= 1 horizons of {Ts!r}, "
                         f"got {rate_from!r}, {spread_from!r}")
    p0, Ns = np.exp(target.logpdf(0.0, xs)), (k * Ts).astype(int)
    if np.any(Ns < 1):
        raise ValueError(f"T * steps_per_unit must be >= 1 step, got {Ns!r}")
    rows = []
    for TT, n in zip(Ts, Ns):
        sched = schedules.uniform(float(TT), 0.0, int(n))
        q_g, _ = ll.scheme_law_1d(target.score, xs, T=float(TT), times=sched)
        q_e, _ = ll.scheme_law_1d(target.score, xs, T=float(TT), times=sched,
                                  start=np.exp(target.logpdf(float(TT), xs)))
        rows.append((ll.scheme_errors(xs, p0, q_g)["kl"], ll.scheme_errors(xs, p0, q_e)["kl"],
                     ll.init_kl_1d(target.logpdf(float(TT), xs), xs)))
    r = np.array(rows)
    late, mid = Ts >= rate_from, Ts >= spread_from
    rate = -float(np.polyfit(Ts[late], np.log(r[late, 2]), 1)[0])
    return HorizonSweep(Ts, Ns, r[:, 0], r[:, 1], r[:, 2], rate,
                        float(r[mid, 1].max() / r[mid, 1].min()))


@dataclass(frozen=True)
class SplitComparison:
    """Per step count ``N``: the exact KL with uniform and with time-split steps, their log-log slopes
    in ``N`` and the mean ratio uniform / split (``gain``); ``kl`` and ``slopes`` stack them, uniform
    first."""
    N: np.ndarray
    kl_uniform: np.ndarray
    kl_split: np.ndarray
    slope_uniform: float
    slope_split: float
    gain: float

    @property
    def kl(self) -> np.ndarray:
        """``(2, len(N))``: the KL with uniform steps (row 0) and with time-split steps (row 1)."""
        return np.stack([self.kl_uniform, self.kl_split])

    @property
    def slopes(self) -> np.ndarray:
        """``(2,)``: the log-log slopes in ``N``, uniform then split."""
        return np.array([self.slope_uniform, self.slope_split])


def uniform_vs_split(target: Target, x: np.ndarray | None = None, *, T: float = 4.0,
                     N: np.ndarray | tuple = (16, 32, 64),
                     t_split: float = 0.5) -> SplitComparison:
    r"""Uniform steps (:func:`sgmbook.schedules.uniform`) against time-split steps, half of the ``N``
    steps on :math:`[0, t_{split}]` and half on :math:`[t_{split}, T]` (:func:`sgmbook.schedules.split`):
    the exact KL of the exponential integrator from :math:`N(0,1)` on the grid ``x``
    (by default 481 points on :math:`[-8, 8]`).
    """
    _target(target)
    xs = _x_grid(x)
    T = v.positive("T", T)
    Ns = _steps("N", N)
    t_split = v.in_range("t_split", t_split, 0.0, T, closed=(False, False))
    p0 = np.exp(target.logpdf(0.0, xs))
    res = np.array([[ll.scheme_errors(xs, p0, ll.scheme_law_1d(target.score, xs, T=T, times=sched)[0])["kl"]
                     for sched in (schedules.uniform(T, 0.0, int(n)), schedules.split(T, int(n), t_split))]
                    for n in Ns])
    su, ss = (ll.loglog_slope(Ns.astype(float), res[:, j]) for j in (0, 1))
    return SplitComparison(Ns, res[:, 0], res[:, 1], su, ss, float(np.mean(res[:, 0] / res[:, 1])))


def bump_target(M: float = 2.0, *, half_width: float = 9.0, n_points: int = 721) -> Grid1D:
    r"""The single-bump density :math:`p_0 \propto e^{-g_M(x) - x^2/2}` (the book's bump
    :math:`g_M`, :func:`sgmbook.bump.bump_log_density`; modes near :math:`\pm 4M/3`) tabulated on
    ``n_points`` uniform points of :math:`[-h, h]`, :math:`h` = ``half_width``, as a
    :class:`~sgmbook.targets.Grid1D`: a non-log-concave 1-D target for the convergence checks of
    Mooney et al. (Section 4 of the submission).
    """
    M = v.positive("M", M)
    h = v.in_range("half_width", half_width, 0.0, 1e4, closed=(False, True))
    n = v.positive_int("n_points", n_points, maximum=10 ** 7)
    if n < 3:
        raise ValueError(f"n_points must be an integer >= 3, got {n_points!r}")
    y = np.linspace(-h, h, n)
    return Grid1D(y, bump_log_density(y, M))
