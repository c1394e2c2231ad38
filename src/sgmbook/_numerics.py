"""Numerical helpers shared by the package, written once: trapezoid weights, grid checks,
scalar-or-array returns, :math:`\\log 2\\pi` and a bracketing root finder."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from scipy.optimize import brentq

from . import _validate as v

__all__ = ["LOG_2PI", "trapezoid_weights", "log_trapezoid_weights", "uniform_grid", "scalar_or_array",
           "bisect"]

LOG_2PI = float(np.log(2.0 * np.pi))


def uniform_grid(name: str, x: Any, min_points: int = 3) -> tuple[np.ndarray, float]:
    """Return ``(x, step)`` for a uniform increasing 1-D grid of at least ``min_points`` points, else raise
    a ValueError naming ``name``."""
    xs = v.grid(name, x, min_points=min_points)
    dx = np.diff(xs)
    if not np.allclose(dx, dx[0], rtol=1e-8, atol=0):
        raise ValueError(f"{name} must be a uniform increasing grid, got steps from {dx.min():.6g} to "
                         f"{dx.max():.6g}")
    return xs, float(dx[0])


def trapezoid_weights(n: int, step: float) -> np.ndarray:
    r"""Trapezoid-rule weights on ``n`` uniform nodes of spacing ``step``:
    :math:`(h/2, h, \dots, h, h/2)`."""
    w = np.full(int(n), float(step))
    w[[0, -1]] *= 0.5
    return w


def log_trapezoid_weights(n: int, step: float) -> np.ndarray:
    """Logarithm of :func:`trapezoid_weights` (for log-sum-exp quadrature)."""
    lw = np.full(int(n), np.log(float(step)))
    lw[[0, -1]] += np.log(0.5)
    return lw


def scalar_or_array(out: np.ndarray) -> np.ndarray | float:
    """A plain ``float`` for a 0-d result, the array otherwise."""
    out = np.asarray(out)
    return float(out) if out.ndim == 0 else out


def bisect(f: Callable[[float], float], lo: float, hi: float, *, xtol: float = 1e-12) -> float:
    """Root of ``f`` in ``[lo, hi]`` (a sign change is required), by Brent's method
    (:func:`scipy.optimize.brentq`)."""
    flo, fhi = f(lo), f(hi)
    if flo == 0:
        return float(lo)
    if fhi == 0:
        return float(hi)
    if np.sign(flo) == np.sign(fhi):
        raise ValueError(f"f must change sign on [{lo:g}, {hi:g}], got f(lo)={flo:g}, f(hi)={fhi:g}")
    return float(brentq(f, lo, hi, xtol=xtol))
