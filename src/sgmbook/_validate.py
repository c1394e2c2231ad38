"""Input checks shared by the package: each raises a ValueError or TypeError naming the parameter.

The input policy, applied at every public entry point:

* numbers are real and, where the mathematics needs it, finite: ``bool``, ``str``, ``bytes``, complex
  numbers and other objects are refused (TypeError), NaN and inf too (ValueError), never parsed or
  truncated;
* arrays have the documented number of axes (and shape) and are non-empty; their entries are real
  (integer or floating dtype: no bool, string, complex or object arrays, no ragged lists);
* grids are strictly increasing where a grid is expected (:func:`grid`), uniform where the quadrature
  needs it;
* step counts and sizes are integers >= 1 (:func:`positive_int`); times lie in their documented range
  (:func:`horizon`, :func:`times`);
* weights are probability vectors (:func:`probability_vector`);
* a callable argument (a score, a model) is checked when it is first called (:func:`callable_output`):
  a non-array, a wrong shape, NaN or inf is reported with the callable's name and the time;
* a request that would allocate more than :data:`MAX_BYTES` (2 GiB) in one array is refused before
  allocating (:func:`allocation`), with the estimate in the message.

Every message names the parameter, the allowed range and the value received.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

MAX_BYTES = 2 * 2 ** 30


class DivergenceError(FloatingPointError, ValueError):
    """A run whose state became non-finite (a step too large for the score's growth)."""


def _show(value: Any) -> str:
    """A short description of a received value for a message."""
    if isinstance(value, np.ndarray):
        if value.size <= 4:
            return f"array {np.array2string(value, precision=4, separator=', ')} (dtype {value.dtype})"
        return f"an array of shape {value.shape} (dtype {value.dtype})"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _reject_non_real(name: str, value: Any) -> None:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, got the bool {value!r}")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a real number, got the string {value!r}")
    if isinstance(value, (complex, np.complexfloating)):
        raise TypeError(f"{name} must be a real number, got the complex number {value!r}")


def real_array(name: str, value: Any, ndim: int | tuple[int, ...] | None = None, *,
               allow_empty: bool = False) -> np.ndarray:
    """``value`` as a float array of real entries (integer or floating input), with ``ndim`` axes when
    given and non-empty unless ``allow_empty``; NaN and inf are allowed (see :func:`finite_array`)."""
    if value is None or callable(value) and not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a real array, got {_show(value)}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise TypeError(f"{name} must be a real array (a rectangular list or array), got {_show(value)}") from exc
    kind = raw.dtype.kind
    if kind in "b":
        raise TypeError(f"{name} must hold real numbers, got a bool array")
    if kind in "USa":
        raise TypeError(f"{name} must hold real numbers, got strings ({_show(value)})")
    if kind == "c":
        raise TypeError(f"{name} must hold real numbers, got a complex array")
    if kind not in "iuf":
        try:
            raw = np.asarray(raw, dtype=float) if kind == "O" and all(
                isinstance(e, (int, float, np.integer, np.floating)) and not isinstance(e, (bool, np.bool_))
                for e in raw.flat) else None
        except (TypeError, ValueError):
            raw = None
        if raw is None:
            raise TypeError(f"{name} must be a real array, got {_show(value)}")
    arr = np.asarray(raw, dtype=float)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            axes = " or ".join(map(str, allowed))
            raise ValueError(f"{name} must have {axes} axes, got shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must be non-empty, got shape {arr.shape}")
    return arr


def finite_array(name: str, value: Any, ndim: int | tuple[int, ...] | None = None, *,
                 allow_empty: bool = False) -> np.ndarray:
    """Return ``value`` as a float array of finite real entries, with ``ndim`` axes when given and
    non-empty unless ``allow_empty`` (the policy above)."""
    arr = real_array(name, value, ndim, allow_empty=allow_empty)
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)]
        raise ValueError(f"{name} must be finite (no NaN or inf), got {bad.size} non-finite entries "
                         f"(first {bad.flat[0]!r})")
    return arr


def real(name: str, value: Any, lower: float | None = None) -> float:
    """Return ``value`` as a finite float, ``> lower`` when ``lower`` is given."""
    _reject_non_real(name, value)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value[()]
    if not (isinstance(value, (int, float, np.integer, np.floating))):
        raise TypeError(f"{name} must be a real number, got {_show(value)}")
    x = float(value)
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


def in_range(name: str, value: Any, lo: float, hi: float, *, closed: tuple[bool, bool] = (True, True)) -> float:
    """Return ``value`` as a float in the interval from ``lo`` to ``hi`` (ends included as ``closed``)."""
    x = real(name, value)
    ok_lo = x >= lo if closed[0] else x > lo
    ok_hi = x <= hi if closed[1] else x < hi
    if not (ok_lo and ok_hi):
        interval = f"{'[' if closed[0] else '('}{lo:g}, {hi:g}{']' if closed[1] else ')'}"
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return x


# Largest count (steps, points, particles) accepted by default: one float64 array of that many entries
# is the 2 GiB limit.
MAX_COUNT = MAX_BYTES // 8


def positive_int(name: str, value: Any, *, maximum: int | None = MAX_COUNT) -> int:
    """Return ``value`` as an int >= 1 and <= ``maximum`` (default :data:`MAX_COUNT`, the 2 GiB one-array
    limit; ``None`` for no limit)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer >= 1, got {_show(value)}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value}")
    if maximum is not None and value > maximum:
        extra = " (larger sizes exceed the 2 GiB one-array limit)" if maximum == MAX_COUNT else ""
        raise ValueError(f"{name} must be an integer in [1, {maximum}]{extra}, got {value}")
    return int(value)


def int_array(name: str, value: Any, *, minimum: int = 0) -> np.ndarray:
    """Integers (a scalar or an array of them, integer dtype or integral floats) all >= ``minimum``."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        arr = np.asarray(value)
    else:
        arr = real_array(name, value)
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise TypeError(f"{name} must hold integers, got {_show(value)}")
        arr = arr.astype(np.int64)
    if np.any(arr < minimum):
        raise ValueError(f"{name} must be integers >= {minimum}, got min {int(np.min(arr))}")
    return arr


def times(name: str, value: Any) -> np.ndarray:
    """Return forward times as a float array, all finite and >= 0."""
    t = finite_array(name, value)
    if np.any(t < 0):
        raise ValueError(f"{name} must be >= 0, got min {float(t.min())!r}")
    return t


def grid(name: str, value: Any, *, min_points: int = 2) -> np.ndarray:
    """A 1-D strictly increasing grid of at least ``min_points`` finite points."""
    xs = finite_array(name, value, ndim=1)
    if xs.size < min_points:
        raise ValueError(f"{name} must hold at least {min_points} grid points, got {xs.size}")
    if np.any(np.diff(xs) <= 0):
        i = int(np.argmax(np.diff(xs) <= 0))
        raise ValueError(f"{name} must be strictly increasing, got {name}[{i}] = {xs[i]!r} >= "
                         f"{name}[{i + 1}] = {xs[i + 1]!r}")
    return xs


def probability_vector(name: str, value: Any, n: int | None = None, *, normalise: bool = True) -> np.ndarray:
    """Non-negative finite weights (``n`` of them when given) with a positive sum, normalised."""
    w = finite_array(name, value, ndim=1)
    if n is not None and w.shape[0] != n:
        raise ValueError(f"{name} must hold {n} weights, got {w.shape[0]}")
    if np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"{name} must be >= 0 with a positive sum, got min {float(w.min())!r}, sum {float(w.sum())!r}")
    return w / w.sum() if normalise else w


def callable_(name: str, value: Any, what: str = "a callable") -> Callable:
    """``value`` if it is callable, else a TypeError naming ``name``."""
    if not callable(value):
        raise TypeError(f"{name} must be {what}, got {_show(value)}")
    return value


def callable_name(fn: Any) -> str:
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)


def callable_output(name: str, fn: Any, out: Any, t: float | None, shape: tuple[int, ...] | None = None, *,
                    allow_scalar: bool = False) -> np.ndarray:
    """Check what a user callable returned: a real array of ``shape`` (when given), all finite.  The
    message names the parameter, the callable and the time ``t`` of the call."""
    who = f" (the callable {callable_name(fn)}" + ("" if t is None else f", called at t = {t:.6g}") + ")"
    if out is None or isinstance(out, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} returned {_show(out)}, expected a real array"
                        + ("" if shape is None else f" of shape {shape}") + who)
    try:
        arr = real_array(name, out, allow_empty=True)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} returned {_show(out)}, expected a real array{who}") from exc
    if shape is not None and arr.shape != tuple(shape) and not (allow_scalar and arr.ndim == 0):
        raise ValueError(f"{name} returned shape {arr.shape}, expected {tuple(shape)}{who}")
    if not np.all(np.isfinite(arr)):
        n_bad = int(np.sum(~np.isfinite(arr)))
        raise ValueError(f"{name} returned {n_bad} non-finite values (NaN or inf){who}")
    return arr


def allocation(n_items: float, what: str, itemsize: int = 8) -> None:
    """Refuse, before allocating, one array of ``n_items`` entries above :data:`MAX_BYTES`."""
    need = float(n_items) * itemsize
    if need > MAX_BYTES:
        raise ValueError(f"{what} would allocate about {need / 2 ** 30:.3g} GiB in one array (limit "
                         f"{MAX_BYTES / 2 ** 30:g} GiB): choose a smaller size")


def rng(value: Any) -> np.random.Generator:
    if not isinstance(value, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (use numpy.random.default_rng(seed)), got "
                        f"{_show(value)}")
    return value


def spd_matrix(name: str, value: Any, dim: int | None = None) -> np.ndarray:
    """Check a covariance: (d,) positive diagonal or (d, d) symmetric positive definite."""
    arr = finite_array(name, value, ndim=(1, 2))
    if dim is not None and arr.shape[0] != dim:
        raise ValueError(f"{name} must have leading dimension {dim}, got shape {arr.shape}")
    if arr.ndim == 1:
        if np.any(arr <= 0):
            raise ValueError(f"{name} (a diagonal covariance) must have entries > 0, got min {float(arr.min())!r}")
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
    if not isinstance(value, str) or value not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {value!r}")
    return value


def choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    """A string among ``allowed``."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def instance(name: str, value: Any, cls: type | tuple[type, ...], what: str) -> Any:
    """``value`` if it is an instance of ``cls``, else a TypeError naming ``name``."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {what}, got {_show(value)}")
    return value


def duck(name: str, value: Any, methods: tuple[str, ...], what: str) -> Any:
    """``value`` if it has every method in ``methods`` (a target, a flow), else a TypeError naming
    ``name``."""
    missing = [m for m in methods if not callable(getattr(value, m, None))]
    if missing:
        raise TypeError(f"{name} must be {what} (with {', '.join(methods)}), got {_show(value)}")
    return value
