r"""The forward Ornstein-Uhlenbeck process and its clocks.

The book's convention is the clock of Bruno et al. (arXiv 2311.13584), as in the authors' public code:

.. math:: dX_t = -X_t\,dt + \sqrt{2}\,dB_t, \qquad X_t \overset{d}{=} e^{-t} X_0 + \sigma_t Z,
          \quad \sigma_t^2 = 1 - e^{-2t}.

For Mooney et al. (arXiv 2405.16104) the book uses the clock :math:`dX = -\tfrac12 X\,d\tau + dW`: the
normalisation consistent with the horizon :math:`-\log(1 - 1/M_0)` and the heat time :math:`1/2` quoted
from the paper (its own display of the SDE could not be checked).  Its law at time :math:`\tau` equals
the law above at :math:`t = \tau/2`.  Their heat-equation transform uses the
heat time :math:`s = 1 - e^{-\tau} = 1 - e^{-2t} = \sigma_t^2` and the rescaled space variable
:math:`y = e^{-t} x`.
"""
from __future__ import annotations

import numpy as np

from . import _validate as v
from ._numerics import scalar_or_array

__all__ = [
    "mean_factor",
    "variance",
    "sample_transition",
    "to_mooney_time",
    "from_mooney_time",
    "heat_time",
    "from_heat_time",
    "coefficients",
]


def mean_factor(t: float | np.ndarray) -> np.ndarray | float:
    r"""Mean factor :math:`m_t = e^{-t}` of :math:`X_t \mid X_0` (Bruno et al.'s clock)."""
    t = v.times("t", t)
    out = np.exp(-t)
    return scalar_or_array(out)


def variance(t: float | np.ndarray) -> np.ndarray | float:
    r"""Variance :math:`\sigma_t^2 = 1 - e^{-2t}` of :math:`X_t \mid X_0`, computed as ``-expm1(-2t)``
    so that it keeps full relative accuracy as :math:`t \to 0`."""
    t = v.times("t", t)
    out = -np.expm1(-2.0 * t)
    return scalar_or_array(out)


def sample_transition(x0: np.ndarray, t: float, rng: np.random.Generator) -> np.ndarray:
    r"""Draw :math:`X_t = e^{-t} x_0 + \sigma_t Z` for each row of ``x0`` (shape ``(n, d)``)."""
    x0 = v.finite_array("x0", x0, ndim=2)
    t = v.positive("t", t, allow_zero=True)
    rng = v.rng(rng)
    return np.exp(-t) * x0 + np.sqrt(-np.expm1(-2.0 * t)) * rng.standard_normal(x0.shape)


def to_mooney_time(t: float | np.ndarray) -> np.ndarray | float:
    r"""OU time of Mooney et al.: :math:`\tau = 2t` (same law of :math:`X`)."""
    t = v.times("t", t)
    out = 2.0 * t
    return scalar_or_array(out)


def from_mooney_time(tau: float | np.ndarray) -> np.ndarray | float:
    r"""Book time from Mooney et al.'s OU time: :math:`t = \tau/2`."""
    tau = v.times("tau", tau)
    out = 0.5 * tau
    return scalar_or_array(out)


def heat_time(t: float | np.ndarray) -> np.ndarray | float:
    r"""Heat time of the Hamilton-Jacobi transform of Mooney et al.:
    :math:`s = 1 - e^{-\tau} = 1 - e^{-2t} \in [0, 1)`."""
    return variance(t)


def from_heat_time(s: float | np.ndarray) -> np.ndarray | float:
    r"""Inverse of :func:`heat_time`: :math:`t = -\tfrac12 \log(1 - s)` for :math:`s \in [0, 1)`."""
    s = v.times("s", s)
    if np.any(s >= 1):
        raise ValueError("s (heat time) must lie in [0, 1)")
    out = -0.5 * np.log1p(-s)
    return scalar_or_array(out)


def coefficients(t: float) -> tuple[float, float]:
    r"""``(m_t, sigma_t^2) = (e^{-t}, 1 - e^{-2t})`` as plain floats, for a scalar book time ``t >= 0``."""
    t = v.positive("t", t, allow_zero=True)
    return float(np.exp(-t)), float(-np.expm1(-2.0 * t))
