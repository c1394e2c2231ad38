r"""The discretisation schemes of the reverse OU SDE, in one table.

The reverse of :math:`dX = -X\,dt + \sqrt2\,dB` is :math:`dY = (Y + 2\nabla\log p_{T-s}(Y))ds + \sqrt2\,d\bar B`.
An *affine* scheme takes the step

.. math:: Y_{k+1} = a(h_k)\, Y_k + c(h_k)\, s(t_k, Y_k) + \sqrt{v(h_k)}\, Z_{k+1},

and is one entry of ``SCHEMES`` giving :math:`(a, c, v)` as functions of the step :math:`h`:

* ``"em"`` Euler-Maruyama (the scheme of Bruno et al.'s public code): :math:`(1 + h, 2h, 2h)`;
* ``"ei"`` exponential integrator (score frozen over the step, linear part exact):
  :math:`(e^h, 2(e^h - 1), e^{2h} - 1)`.

A step with ``noise=False`` (:class:`sgmbook.schedules.Schedule`) has :math:`v = 0`.  Exact laws
(:mod:`sgmbook.laws`) exist for affine schemes only.  A scheme that is not affine (Heun, a
predictor-corrector) is an entry with a ``step`` function ``step(score, t, h, y, z, noise) -> y'``
(``z`` standard normal of the shape of ``y``); :func:`sgmbook.samplers.sample` runs it step by step.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from . import _validate as v

__all__ = ["Scheme", "SCHEMES", "get", "coefficients"]


class Scheme(NamedTuple):
    """A table entry: ``coefficients(h) -> (a, c, v)`` for an affine scheme, or ``step`` for another."""

    name: str
    coefficients: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
    step: Callable | None = None

    @property
    def affine(self) -> bool:
        return self.coefficients is not None


def _em(h: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return 1.0 + h, 2.0 * h, 2.0 * h


def _ei(h: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.exp(h), 2.0 * np.expm1(h), np.expm1(2.0 * h)


SCHEMES: dict[str, Scheme] = {
    "em": Scheme("em", _em),
    "ei": Scheme("ei", _ei),
}


def get(scheme: str) -> Scheme:
    """The table entry for ``scheme``; an unknown name raises ValueError listing the known ones."""
    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {sorted(SCHEMES)}, got {scheme!r}")
    return SCHEMES[scheme]


def coefficients(scheme: str, h: np.ndarray | float,
                 noise: np.ndarray | bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""``(a, c, v)`` of an affine scheme for steps ``h``; :math:`v = 0` where ``noise`` is False."""
    entry = get(scheme)
    if not entry.affine:
        raise ValueError(f"scheme {scheme!r} is not affine: it has no (a, c, v) coefficients")
    h = v.finite_array("h", h)
    if np.any(h <= 0):
        raise ValueError(f"h must be > 0 (step sizes), got min {float(h.min())!r}")
    if not isinstance(noise, (bool, np.bool_)) and np.asarray(noise).dtype.kind != "b":
        raise TypeError(f"noise must be a bool or a bool array, got {noise!r}")
    with np.errstate(over="ignore"):
        a, c, var = entry.coefficients(h)
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(c)) and np.all(np.isfinite(var))):
        raise ValueError(f"h = {float(np.max(h)):.6g} (a step from T, eps and n_steps) is too large for scheme "
                         f"{scheme!r}: its coefficients overflow")
    var = np.where(np.asarray(noise, dtype=bool), var, 0.0)
    return np.asarray(a, dtype=float), np.asarray(c, dtype=float), var
