r"""Chapter 5's sweeps over bump sizes (after Mooney et al., Section 3, the counterexample following
Theorem 3.1): the single-size quantities of :mod:`sgmbook.experiments.blowup` (both sides of the horizon
bound, the window log-weights, the lower bound (ch5-infinite-lb), the mass-weighted curvature) for a
list of sizes :math:`M` (and OU times :math:`\tau`), each returned as a small frozen record of arrays.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import _validate as v
from ..bump import bump_potential
from ..targets.heat import bump_flow
from .blowup import (M_MAX, horizon_curvature, mass_weighted_curvature, single_bump_lower_bound,
                     window_log_weights)

__all__ = ["BumpShapes", "bump_shapes", "HorizonBounds", "horizon_bounds", "WindowWeights", "window_weights", "SingleBumpBounds",
           "single_bump_bounds", "MassWeighted", "mass_weighted_curvatures"]


def _Ms(Ms: object) -> np.ndarray:
    """Bump sizes: a non-empty 1-D array in ``(0, M_MAX]``."""
    Ms = v.finite_array("Ms", Ms, ndim=1)
    if Ms.size == 0 or np.any(Ms <= 0) or np.any(Ms > M_MAX):
        raise ValueError(f"Ms must hold at least 1 bump size in (0, {M_MAX:g}], got "
                         f"{Ms.tolist() if Ms.size < 10 else Ms.size}")
    return Ms


@dataclass(frozen=True)
class BumpShapes:
    r"""The potential ``g`` :math:`= g_M(y)` of one size on the points ``y``, and for each size of ``Ms``
    the data density :math:`p_0 \propto e^{-g_M(x) - x^2/2}` (``p``) on its flow's grid (``z``)."""

    y: np.ndarray
    g: np.ndarray
    Ms: np.ndarray
    z: list[np.ndarray]
    p: list[np.ndarray]


def bump_shapes(M_potential: float, Ms: Sequence[float], y: np.ndarray) -> BumpShapes:
    r"""The bump potential :math:`g_M` (:func:`sgmbook.bump.bump_potential`, book chapter 5, definition
    ch5-def-bump, after Mooney et al., Section 3) for :math:`M =` ``M_potential`` on ``y``, and the data
    densities :math:`p_0 = e^{-g_M} \gamma / Z` of the sizes ``Ms`` on the grids of
    :func:`sgmbook.targets.heat.bump_flow` (normalised there by quadrature)."""
    M_potential = v.in_range("M_potential", M_potential, 0.0, M_MAX, closed=(False, True))
    Ms = _Ms(Ms)
    y = v.finite_array("y", y, ndim=1)
    flows = [bump_flow(float(M)) for M in Ms]
    return BumpShapes(y, bump_potential(y, M_potential), Ms, [f.z for f in flows],
                      [np.exp(f.log_density) for f in flows])


@dataclass(frozen=True)
class HorizonBounds:
    r"""Per bump size: ``value`` :math:`= (\log \bar p)_{yy}(\tfrac12, 0)` by quadrature of the posterior
    weight, and the sides ``lower`` :math:`= \tfrac43 M^2 - 2`, ``upper``
    :math:`= \tfrac43 M^2 + \sqrt{2\pi} M + 4/M`; ``low_ratio`` = value/lower, ``up_ratio`` =
    upper/value."""

    Ms: np.ndarray
    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    @property
    def low_ratio(self) -> np.ndarray:
        return self.value / self.lower

    @property
    def up_ratio(self) -> np.ndarray:
        return self.upper / self.value


def horizon_bounds(Ms: np.ndarray, *, n: int = 400_001) -> HorizonBounds:
    r"""Both sides of the book's bound
    :math:`\tfrac43 M^2 - 2 \le (\log \bar p)_{yy}(\tfrac12, 0) \le \tfrac43 M^2 + \sqrt{2\pi} M + 4/M`
    (chapter 5, proposition ch5-prop-m2, after Mooney et al., Section 3) and the value, by
    :func:`~sgmbook.experiments.blowup.horizon_curvature` (trapezoid rule on ``n`` points), per size of
    ``Ms``."""
    Ms = _Ms(Ms)
    n = v.positive_int("n", n, maximum=10 ** 7)
    value, lower, upper = np.array([horizon_curvature(float(M), n=n) for M in Ms]).T
    return HorizonBounds(Ms, value, lower, upper)


@dataclass(frozen=True)
class WindowWeights:
    r"""Per bump size, at :math:`|y| = 5M + \text{y\_extra}`, :math:`s = 1`: the largest log excess weight
    ``excess`` and log-weight ``full`` of the bump's points, the bound ``bound``
    :math:`= -(M + \text{y\_extra})^2/2` and ``paired`` :math:`= 2M^2 - (2M + \text{y\_extra})^2/2`, the
    largest :math:`-g_M` paired with the smallest distance (not a bound)."""

    Ms: np.ndarray
    excess: np.ndarray
    full: np.ndarray
    bound: np.ndarray
    paired: np.ndarray


def window_weights(Ms: np.ndarray, *, y_extra: float = 3.0, n: int = 800_001) -> WindowWeights:
    r"""The window argument of book chapter 5 (the supremum over :math:`x`, after Mooney et al.,
    Section 3): :func:`~sgmbook.experiments.blowup.window_log_weights` per size of ``Ms``, with
    :math:`\max_r [-g_M(r) - (5M + y_{extra} - r)^2/2] \le -(M + y_{extra})^2/2`, against the paired value
    :math:`2M^2 - (2M + y_{extra})^2/2` (:math:`= -6M - 4.5` for :math:`y_{extra} = 3`)."""
    Ms = _Ms(Ms)
    y_extra = v.positive("y_extra", y_extra, allow_zero=True)
    n = v.positive_int("n", n, maximum=10 ** 7)
    excess, full, bound = np.array([window_log_weights(float(M), y_extra=y_extra, n=n)
                                    for M in Ms]).T
    return WindowWeights(Ms, excess, full, bound, -2 * y_extra * Ms - y_extra ** 2 / 2)


@dataclass(frozen=True)
class SingleBumpBounds:
    r"""Per OU time (rows) and bump size (columns): ``lhs`` :math:`= \partial_x^2 \log p_\tau(0)`, ``rhs``
    the right side of (ch5-infinite-lb), ``prob`` the posterior mass :math:`P(A)` of :math:`[-3M, 3M]`;
    ``margin`` = lhs - rhs, ``ratio`` = lhs / rhs."""

    taus: np.ndarray
    Ms: np.ndarray
    lhs: np.ndarray
    rhs: np.ndarray
    prob: np.ndarray

    @property
    def margin(self) -> np.ndarray:
        return self.lhs - self.rhs

    @property
    def ratio(self) -> np.ndarray:
        """lhs / rhs."""
        return self.lhs / self.rhs

    @property
    def flat(self) -> "SingleBumpBounds":
        """The same record in long form: one entry per (time, size) pair, time-major (the rows of a
        table), with ``taus`` and ``Ms`` repeated to match."""
        n_tau, n_M = self.lhs.shape
        return SingleBumpBounds(np.repeat(self.taus, n_M), np.tile(self.Ms, n_tau), self.lhs.ravel(),
                                self.rhs.ravel(), self.prob.ravel())


def single_bump_bounds(taus: Sequence[float], Ms: np.ndarray) -> SingleBumpBounds:
    r"""Both sides of the lower bound
    :math:`\partial_x^2 \log p_\tau(0) \ge (1 - s) P \frac{M^2}{3 s^2} - 1 - \frac{1 - s}{s}`
    (book chapter 5, (ch5-infinite-lb), after Mooney et al., Section 3) for single bumps, by
    :func:`~sgmbook.experiments.blowup.single_bump_lower_bound`, at each OU time of ``taus`` and size
    of ``Ms``."""
    taus = v.finite_array("taus", taus, ndim=1)
    if taus.size == 0:
        raise ValueError("taus must hold at least 1 OU time, got an empty array")
    Ms = _Ms(Ms)
    out = np.array([[single_bump_lower_bound(float(tk), float(M)) for M in Ms] for tk in taus])
    lhs, rhs, prob = np.moveaxis(out, -1, 0)
    return SingleBumpBounds(taus, Ms, lhs, rhs, prob)


@dataclass(frozen=True)
class MassWeighted:
    r"""Per bump size at OU time ``tau``: ``sup`` :math:`= \sup_x \partial_x^2 \log p_\tau` and ``mean``
    :math:`= E_{p_\tau} |\partial_x^2 \log p_\tau|`."""

    Ms: np.ndarray
    tau: float
    sup: np.ndarray
    mean: np.ndarray


def mass_weighted_curvatures(Ms: np.ndarray, tau: float, *, n_x: int = 4001) -> MassWeighted:
    r"""The supremum and the mass-weighted mean
    :math:`\int |\partial_x^2 \log p_\tau|\, p_\tau / \int p_\tau` of the curvature for the bump targets
    (book chapter 5, what the blow-up does to sampling), by
    :func:`~sgmbook.experiments.blowup.mass_weighted_curvature`, per size of ``Ms``."""
    Ms = _Ms(Ms)
    tau = v.positive("tau", tau)
    n_x = v.positive_int("n_x", n_x, maximum=10 ** 7)
    sup, mean = np.array([mass_weighted_curvature(float(M), tau, n_x=n_x) for M in Ms]).T
    return MassWeighted(Ms, tau, sup, mean)
