r"""The chapter-4 checks of Mooney et al.'s two-sided Hessian bounds (Section 3, Theorem 3.1, in the
book's explicit OU-time form :func:`sgmbook.bounds.mooney.hessian_logp_bounds`).

Every function here speaks the OU time :math:`\tau = 2t` of the paper (book time :math:`t = \tau/2`,
converted with :mod:`sgmbook.ou`) and returns a small frozen record of arrays and floats; the chapter
prints them and asserts the inequalities.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate as v
from .. import ou
from ..bounds import mooney
from ..targets import Gaussian
from ..targets.heat import HeatFlow1D, bump_flow
from .blowup import heat_equation_residual

__all__ = ["Clocks", "clock_conversions", "HeatResidual", "heat_equation_check", "GaussianAttainment", "gaussian_attainment",
           "hessian_envelope", "BoundEnvelope", "bound_envelope", "MixtureBoundCheck",
           "mixture_bound_check", "BumpBoundCheck", "bump_bound_check"]


def _taus(name: str, taus: np.ndarray, *, allow_zero: bool = False) -> np.ndarray:
    """OU times: a non-empty 1-D array in ``[0, 50]`` (``(0, 50]`` unless ``allow_zero``)."""
    taus = v.finite_array(name, taus, ndim=1)
    lo_ok = np.all(taus >= 0) if allow_zero else np.all(taus > 0)
    if not lo_ok or np.any(taus > 50):
        raise ValueError(f"{name} must lie in {'[' if allow_zero else '('}0, 50] (OU times), got "
                         f"[{float(taus.min())!r}, {float(taus.max())!r}]")
    return taus


@dataclass(frozen=True)
class Clocks:
    r"""Book times ``t``, OU times ``tau`` :math:`= 2t`, heat times ``heat`` :math:`= 1 - e^{-2t}`, and the
    horizon ``tau_star`` :math:`= -\log(1 - 1/M_0)` in OU time (book time ``tau_star / 2``)."""

    t: np.ndarray
    tau: np.ndarray
    heat: np.ndarray
    tau_star: float


def clock_conversions(t_book: np.ndarray, M0: float) -> Clocks:
    r"""The clocks of book chapter 4 (Mooney et al., Section 2, in the normalisation
    :math:`dX = -\tfrac12 X\,d\tau + dW`): OU time :math:`\tau = 2t`, heat time :math:`s = 1 - e^{-\tau}`
    (:func:`sgmbook.ou.to_mooney_time`, :func:`sgmbook.ou.heat_time`) of the book times ``t_book``, and
    the horizon :math:`\tau^*` of Theorem 3.1 for :math:`M_0` (:func:`sgmbook.bounds.mooney.blowup_time`)."""
    t_book = v.finite_array("t_book", t_book, ndim=1)
    if np.any(t_book < 0) or np.any(t_book > 25):
        raise ValueError(f"t_book must lie in [0, 25] (book times), got [{float(t_book.min())!r}, "
                         f"{float(t_book.max())!r}]")
    M0 = v.real("M0", M0)
    return Clocks(t_book, ou.to_mooney_time(t_book), ou.heat_time(t_book),
                  float(mooney.blowup_time(M0)))


@dataclass(frozen=True)
class HeatResidual:
    """Largest ``|residual| / p`` and largest ``|d_s p| / p`` over the heat times and points checked."""

    worst: float
    size: float


def heat_equation_check(flow: HeatFlow1D, s_values: np.ndarray, y: np.ndarray, *,
                        ds: float = 1e-3) -> HeatResidual:
    r"""Finite-difference residual of the heat equation :math:`\partial_s \bar p = \tfrac12 \partial_y^2 \bar p`
    (the heat form of the Fokker-Planck equation, Mooney et al., Section 2; proposition ch4-prop-heat of
    the book) at the heat times ``s_values`` and the uniform grid ``y``, by
    :func:`sgmbook.experiments.blowup.heat_equation_residual`: the maxima over all of them of
    :math:`|\partial_s \bar p - \tfrac12 \partial_y^2 \bar p| / \bar p` and of
    :math:`|\partial_s \bar p| / \bar p`."""
    v.instance("flow", flow, HeatFlow1D, "a HeatFlow1D")
    s_values = v.finite_array("s_values", s_values, ndim=1)
    ds = v.positive("ds", ds)
    if np.any(s_values - ds <= 0) or np.any(s_values + ds >= 1):
        raise ValueError(f"s_values must lie in (ds, 1 - ds) = ({ds:g}, {1 - ds:g}), got "
                         f"[{float(s_values.min())!r}, {float(s_values.max())!r}]")
    parts = [heat_equation_residual(flow, float(s), y, ds=ds) for s in s_values]
    return HeatResidual(float(max(np.abs(r).max() for r, _ in parts)),
                        float(max(c.max() for _, c in parts)))


@dataclass(frozen=True)
class GaussianAttainment:
    r"""For each :math:`\sigma` (rows) and OU time (columns): the exact :math:`\partial_x^2 \log p_\tau` of
    :math:`N(0, \sigma^2)` and both bounds; ``gap`` is the largest distance to either bound, per
    :math:`\sigma`."""

    sigmas: np.ndarray
    taus: np.ndarray
    exact: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    gap: np.ndarray


def gaussian_attainment(sigmas: np.ndarray, taus: np.ndarray) -> GaussianAttainment:
    r"""Both sides of the Hessian bounds (Mooney et al., Theorem 3.1, in the form
    :func:`~sgmbook.bounds.mooney.hessian_logp_bounds`) for the Gaussians :math:`N(0, \sigma^2)`, whose
    constants are :math:`-M_0 = M_1 = \sigma^{-2} - 1`, against the exact value
    :math:`\partial_x^2 \log p_\tau = -1/(\sigma^2 e^{-\tau} + 1 - e^{-\tau})` (``Gaussian.hessian_logp`` at
    book time :math:`\tau/2`).  Equality is the equality case of the theorem."""
    sigmas = v.finite_array("sigmas", sigmas, ndim=1)
    if np.any(sigmas <= 0):
        raise ValueError(f"sigmas must be > 0, got min {float(sigmas.min())!r}")
    taus = _taus("taus", taus, allow_zero=True)
    exact, lower, upper = (np.empty((sigmas.size, taus.size)) for _ in range(3))
    for i, sigma in enumerate(sigmas):
        c = 1 / sigma ** 2 - 1
        lower[i], upper[i] = mooney.hessian_logp_bounds(taus, M0=-c, M1=c)
        g = Gaussian(np.zeros(1), np.array([sigma ** 2]))
        exact[i] = [g.hessian_logp(ou.from_mooney_time(tk), np.zeros(1))[0] for tk in taus]
    gap = np.maximum(np.abs(exact - lower).max(axis=1), np.abs(exact - upper).max(axis=1))
    return GaussianAttainment(sigmas, taus, exact, lower, upper, gap)


def hessian_envelope(target: object, taus: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""``(sup, inf)`` over the points ``x`` of :math:`\partial_x^2 \log p_\tau(x)` for a 1-D target (any
    object with ``hessian_logp(t, x)`` in book time), at each OU time of ``taus`` (book time
    :math:`\tau/2`)."""
    v.duck("target", target, ("hessian_logp",), "a 1-D target")
    taus = _taus("taus", taus, allow_zero=True)
    x = v.finite_array("x", x, ndim=1)
    hs = np.array([target.hessian_logp(ou.from_mooney_time(tk), x) for tk in taus])
    return hs.max(axis=1), hs.min(axis=1)


@dataclass(frozen=True)
class BoundEnvelope:
    r"""Per OU time: ``sup`` and ``inf`` over the points of :math:`\partial_x^2 \log p_\tau`, the bounds
    ``lower`` and ``upper`` for the constants ``M0``, ``M1`` read off the data, and the horizon
    ``tstar``."""

    taus: np.ndarray
    sup: np.ndarray
    inf: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    M0: float
    M1: float
    tstar: float


def bound_envelope(target: object, taus: np.ndarray, x: np.ndarray) -> BoundEnvelope:
    r"""The envelope :func:`hessian_envelope` of a 1-D target on the points ``x`` at the OU times
    ``taus``, with both sides of Mooney et al.'s Theorem 3.1 (form
    :func:`~sgmbook.bounds.mooney.hessian_logp_bounds`) for the constants :math:`M_0, M_1` of
    :math:`\partial_x^2 \log p_0` on ``x`` (:func:`~sgmbook.bounds.mooney.constants_from_logp_hessian`)
    and :math:`\tau^* = -\log(1 - 1/M_0)`: the data of a figure of the bounds against time."""
    v.duck("target", target, ("hessian_logp",), "a 1-D target")
    taus = _taus("taus", taus, allow_zero=True)
    x = v.finite_array("x", x, ndim=1)
    M0, M1 = mooney.constants_from_logp_hessian(target.hessian_logp(0.0, x))
    lower, upper = mooney.hessian_logp_bounds(taus, M0, M1)
    sup, inf = hessian_envelope(target, taus, x)
    return BoundEnvelope(taus, sup, inf, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float),
                         float(M0), float(M1), float(mooney.blowup_time(M0)))


@dataclass(frozen=True)
class MixtureBoundCheck:
    r"""The constants read off the data, the horizon :math:`\tau^*`, the smallest margins
    ``slack_lo = min(d2 log p - lower)`` (all times) and ``slack_up = min(upper - d2 log p)`` (times
    before :math:`\tau^*`), and ``n_up``, the number of times at which the upper bound was checked."""

    M0: float
    M1: float
    tstar: float
    slack_lo: float
    slack_up: float
    n_up: int


def mixture_bound_check(target: object, x: np.ndarray, taus: np.ndarray,
                        pre_fractions: np.ndarray) -> MixtureBoundCheck:
    r"""Both Hessian bounds (Mooney et al., Theorem 3.1, form
    :func:`~sgmbook.bounds.mooney.hessian_logp_bounds`) for a 1-D target on the points ``x``: the
    constants :math:`M_0, M_1` from :math:`\partial_x^2 \log p_0` on ``x``
    (:func:`~sgmbook.bounds.mooney.constants_from_logp_hessian`), the lower bound at the OU times
    ``taus`` and at :math:`\tau^* \cdot` ``pre_fractions``, the upper bound at those of them below
    :math:`\tau^* = -\log(1 - 1/M_0)` (all of ``taus`` when :math:`M_0 \le 1`, where
    :math:`\tau^* = \infty` and ``pre_fractions`` is not used)."""
    v.duck("target", target, ("hessian_logp",), "a 1-D target")
    x = v.finite_array("x", x, ndim=1)
    taus = _taus("taus", taus)
    pre = v.finite_array("pre_fractions", pre_fractions, ndim=1)
    if np.any(pre <= 0) or np.any(pre >= 1):
        raise ValueError(f"pre_fractions must lie in (0, 1), got [{float(pre.min())!r}, "
                         f"{float(pre.max())!r}]")
    M0, M1 = mooney.constants_from_logp_hessian(target.hessian_logp(0.0, x))
    tstar = float(mooney.blowup_time(M0))
    # M0 <= 1: no horizon (tau* = inf), the upper bound is checked at the times ``taus``
    allt = np.concatenate([taus, tstar * pre]) if np.isfinite(tstar) else taus
    sup, inf = hessian_envelope(target, allt, x)
    lo, up = mooney.hessian_logp_bounds(allt, M0, M1)
    early = allt < tstar
    slack_up = float(np.min(up[early] - sup[early])) if early.any() else np.inf
    return MixtureBoundCheck(float(M0), float(M1), tstar, float(np.min(inf - lo)), slack_up,
                             int(early.sum()))


@dataclass(frozen=True)
class BumpBoundCheck:
    r"""For each bump size (rows) and OU time (columns): ``sup`` and ``inf`` over the points of
    :math:`\partial_x^2 \log p_\tau`; the bounds ``lower``, ``upper`` (per time, :math:`M_0 = M_1 = 2`);
    ``fits``, the times at which the Gaussian posterior at :math:`y = 0` fits in :math:`[-M, M]`;
    ``gap`` :math:`= \max |\sup - \text{upper}|` over those times and ``tau_fit`` the last of them."""

    Ms: np.ndarray
    taus: np.ndarray
    sup: np.ndarray
    inf: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    fits: np.ndarray
    gap: np.ndarray
    tau_fit: np.ndarray

    @property
    def over(self) -> np.ndarray:
        """``max(sup - upper)`` over the times, per size (at most 0 where the upper bound holds)."""
        return (self.sup - self.upper).max(axis=1)

    @property
    def under(self) -> np.ndarray:
        """``min(inf - lower)`` over the times, per size (at least 0 where the lower bound holds)."""
        return (self.inf - self.lower).min(axis=1)

    def envelope(self, i: int) -> BoundEnvelope:
        """The envelope and bounds of the ``i``-th size (:math:`M_0 = M_1 = 2`, horizon log 2)."""
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)):
            raise TypeError(f"i must be an integer index in [0, {self.Ms.size - 1}], got {i!r}")
        if not 0 <= i < self.Ms.size:
            raise ValueError(f"i must be an integer index in [0, {self.Ms.size - 1}], got {i}")
        return BoundEnvelope(self.taus, self.sup[i], self.inf[i], self.lower, self.upper, 2.0, 2.0,
                             float(np.log(2.0)))


def bump_bound_check(Ms: np.ndarray, taus: np.ndarray, *, n_y: int = 2001, y_extra: float = 3.0,
                     n_sd: float = 6.0) -> BumpBoundCheck:
    r"""Both Hessian bounds (Mooney et al., Theorem 3.1; :math:`M_0 = M_1 = 2`) for the bump targets
    :math:`g_M` (:func:`sgmbook.targets.heat.bump_flow`), on ``n_y`` points of the heat variable
    :math:`y = e^{-\tau/2} x` uniform on :math:`|y| \le 4M + \text{y\_extra}`, at the OU times ``taus``.

    Attainment: where :math:`|y| \le M` the potential is :math:`-y^2`, so the posterior at :math:`y = 0`
    is the Gaussian of variance :math:`s/(1 - 2s)` (:math:`s = 1 - e^{-\tau}`) cut off at :math:`\pm M`;
    ``fits`` marks the times with :math:`M^2 (1 - 2s)/s \ge` ``n_sd``:math:`^2` (at least ``n_sd``
    standard deviations inside), where the upper bound is attained up to the cut-off."""
    Ms = v.finite_array("Ms", Ms, ndim=1)
    if np.any(Ms <= 0) or np.any(Ms > 1000):
        raise ValueError(f"Ms must lie in (0, 1000], got [{float(Ms.min())!r}, {float(Ms.max())!r}]")
    taus = _taus("taus", taus)
    if np.any(taus >= np.log(2.0)):
        raise ValueError(f"taus must lie below log 2 (the horizon for M0 = 2), got max {float(taus.max())!r}")
    n_y = v.positive_int("n_y", n_y, maximum=10 ** 6)
    y_extra = v.positive("y_extra", y_extra, allow_zero=True)
    n_sd = v.positive("n_sd", n_sd)
    sup, inf = np.empty((2, Ms.size, taus.size))
    for i, M in enumerate(Ms):
        flow = bump_flow(float(M))
        if float(taus.min()) < ou.to_mooney_time(flow.min_time()):
            raise ValueError(f"taus must be >= {ou.to_mooney_time(flow.min_time()):.3g} (the bump flow's "
                             f"grid resolution), got min {float(taus.min())!r}")
        ys = np.linspace(-4 * M - y_extra, 4 * M + y_extra, n_y)
        sup[i], inf[i] = hessian_envelope(_Scaled(flow), taus, ys)
    lo, up = mooney.hessian_logp_bounds(taus, 2.0, 2.0)
    s_heat = -np.expm1(-taus)
    fits = Ms[:, None] ** 2 * (1 - 2 * s_heat) / s_heat >= n_sd ** 2
    if not np.all(fits.any(axis=1)):
        raise ValueError(f"no time of taus has the posterior inside the bump (n_sd = {n_sd:g}): lower the "
                         "smallest time or n_sd")
    gap = np.array([np.abs(sup[i] - up)[fits[i]].max() for i in range(Ms.size)])
    tau_fit = np.array([taus[fits[i]].max() for i in range(Ms.size)])
    return BumpBoundCheck(Ms, taus, sup, inf, lo, up, fits, gap, tau_fit)


class _Scaled:
    """A flow evaluated at heat points: ``hessian_logp(t, y)`` is the flow's at :math:`x = e^{t} y`."""

    def __init__(self, flow: HeatFlow1D):
        self.flow = flow

    def hessian_logp(self, t: float, y: np.ndarray) -> np.ndarray:
        return self.flow.hessian_logp(t, y * np.exp(ou.to_mooney_time(t) / 2))
