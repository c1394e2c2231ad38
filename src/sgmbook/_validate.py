"""Input checks shared by the package: each raises a ValueError or TypeError naming the parameter."""
from __future__ import annotations

from typing import Any

import numpy as np


def finite_array(name: str, value: Any, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``value`` as a float array, rejecting NaN/inf and (optionally) the wrong number of axes."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a real array, got {type(value).__name__}") from exc
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            raise ValueError(f"{name} must have {' or '.join(map(str, allowed))} axes, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def real(name: str, value: Any, lower: float | None = None) -> float:
    """Return ``value`` as a finite float, ``> lower`` when ``lower`` is given."""
    if isinstance(value, bool) or not np.isscalar(value):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a real number, got {value!r}") from exc
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if lower is not None and x <= lower:
        raise ValueError(f"{name} must be > {lower:g}, got {value!r}")
    return x


def positive(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float that is > 0 (or >= 0 with ``allow_zero``)."""
    bound = ">= 0" if allow_zero else "> 0"
    try:
        x = real(name, value)
    except ValueError as exc:
        raise ValueError(f"{name} must be finite and {bound}, got {value!r}") from exc
    if x < 0 or (x == 0 and not allow_zero):
        raise ValueError(f"{name} must be finite and {bound}, got {value!r}")
    return x


def positive_int(name: str, value: Any) -> int:
    """Return ``value`` as an int >= 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer >= 1, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value}")
    return int(value)


def times(name: str, value: Any) -> np.ndarray:
    """Return forward times as a float array, all finite and >= 0."""
    t = finite_array(name, value)
    if np.any(t < 0):
        raise ValueError(f"{name} must be >= 0")
    return t


def rng(value: Any) -> np.random.Generator:
    if not isinstance(value, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator (use numpy.random.default_rng(seed))")
    return value


def spd_matrix(name: str, value: Any, dim: int | None = None) -> np.ndarray:
    """Check a covariance: (d,) positive diagonal or (d, d) symmetric positive definite."""
    arr = finite_array(name, value, ndim=(1, 2))
    if dim is not None and arr.shape[0] != dim:
        raise ValueError(f"{name} must have leading dimension {dim}, got shape {arr.shape}")
    if arr.ndim == 1:
        if np.any(arr <= 0):
            raise ValueError(f"{name} (a diagonal covariance) must have entries > 0")
        return arr
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be square, got shape {arr.shape}")
    if not np.allclose(arr, arr.T, rtol=1e-10, atol=1e-12 * max(1.0, float(np.abs(arr).max()))):
        raise ValueError(f"{name} must be symmetric")
    try:
        np.linalg.cholesky(arr)
    except np.linalg.LinAlgError as exc:
        raise ValueError(f"{name} must be symmetric positive definite") from exc
    return arr


def horizon(T: Any, eps: Any) -> tuple[float, float]:
    """Check a time horizon ``T > 0`` and an early-stopping time ``eps`` in ``[0, T)``."""
    T = positive("T", T)
    eps = positive("eps", eps, allow_zero=True)
    if eps >= T:
        raise ValueError(f"eps must be in [0, T) = [0, {T:g}), got {eps:g}")
    return T, eps


SCHEMES = ("em", "ei")


def scheme(value: Any) -> str:
    """Check a discretisation name: ``"em"`` (Euler-Maruyama) or ``"ei"`` (exponential integrator)."""
    if value not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {value!r}")
    return value
