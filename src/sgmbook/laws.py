r"""Exact laws of the affine reverse schemes (:mod:`sgmbook.schemes`), with no sampling.

* :func:`gaussian` -- for an affine score :math:`s(t, x) = A(t) x + b(t)` the law stays Gaussian and
  its mean and covariance follow a recursion;
* :func:`grid_1d` -- in 1-D, for any score, the density on a uniform grid by quadrature.

Both take a :class:`sgmbook.schedules.Schedule` and a scheme name, and an optional
``callback(k, ...)`` called with the law after ``k = 0..K`` steps.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import _validate as v
from . import schemes
from ._numerics import trapezoid_weights, uniform_grid
from .schedules import Schedule

__all__ = ["gaussian", "grid_1d"]


def _check_schedule(schedule) -> Schedule:
    if not isinstance(schedule, Schedule):
        raise TypeError("schedule must be a sgmbook.schedules.Schedule (e.g. schedules.uniform(T, eps, K))")
    t, h = np.asarray(schedule.t, dtype=float), np.asarray(schedule.h, dtype=float)
    noise = np.asarray(schedule.noise)
    if not (t.ndim == 1 and t.size >= 1 and t.shape == h.shape == noise.shape):
        raise ValueError(f"schedule.t, .h and .noise must be 1-D of one length >= 1, got shapes "
                         f"{t.shape}, {h.shape}, {noise.shape}")
    if not (np.all(np.isfinite(t)) and np.all(t >= 0)):
        raise ValueError(f"schedule.t must be finite and >= 0, got min {t.min()!r}")
    if not (np.all(np.isfinite(h)) and np.all(h > 0)):
        raise ValueError(f"schedule.h must be finite and > 0, got min {h.min()!r}")
    return schedule


def gaussian(affine_score: Callable[[float], tuple[np.ndarray, np.ndarray]], mean0: np.ndarray,
             cov0: np.ndarray, schedule: Schedule, *, scheme: str,
             callback: Callable[[int, np.ndarray, np.ndarray], None] | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact law of the scheme's output for an affine score :math:`s(t, x) = A(t) x + b(t)`.

    ``affine_score(t)`` returns ``(A, b)``; ``A`` is ``(d, d)`` or a ``(d,)`` diagonal (a scalar is
    accepted).  Starting from :math:`N(m_0, S_0)`, each step is :math:`Y' = M_k Y + c_k b + \sqrt{v_k} Z`
    with :math:`M_k = a_k I + c_k A(t_k)`, so

    .. math:: m_{k+1} = M_k m_k + c_k b(t_k), \qquad S_{k+1} = M_k S_k M_k^\top + v_k I.

    With diagonal ``A`` and ``cov0`` the recursion stays diagonal and costs :math:`O(d)` per step.
    ``callback(k, mean, cov)`` is called after ``k = 0..K`` steps.  Returns the final ``(mean, cov)``.
    """
    if not callable(affine_score):
        raise TypeError(f"affine_score must be a callable t -> (A, b), got {affine_score!r}")
    schedule = _check_schedule(schedule)
    if callback is not None:
        v.callable_("callback", callback)
    m = v.finite_array("mean0", mean0, ndim=1).copy()
    d = m.shape[0]
    S = v.spd_matrix("cov0", cov0, dim=d).copy()
    a, c, var = schemes.coefficients(scheme, schedule.h, schedule.noise)
    if callback is not None:
        callback(0, m, S)
    for k in range(schedule.n_steps):
        tk = float(schedule.t[k])
        out = affine_score(tk)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError(f"affine_score ({v.callable_name(affine_score)}) at t = {tk:.6g} returned "
                            f"{v._show(out)}, expected a pair (A, b)")
        A = v.callable_output("affine_score", affine_score, out[0], tk)
        b = v.callable_output("affine_score", affine_score, out[1], tk)
        if b.shape not in ((), (d,)):
            raise ValueError(f"affine_score ({v.callable_name(affine_score)}) at t = {tk:.6g} returned b of "
                             f"shape {b.shape}, expected ({d},)")
        b = np.broadcast_to(b, (d,))
        if A.ndim == 0:
            A = np.full(d, float(A))
        if A.shape not in ((d,), (d, d)):
            raise ValueError(f"affine_score ({v.callable_name(affine_score)}) at t = {tk:.6g} returned A of "
                             f"shape {A.shape}: A must have shape ({d},) or ({d}, {d})")
        if A.ndim == 1:
            M = a[k] + c[k] * A
            m = M * m + c[k] * b
            S = (M * S * M + var[k]) if S.ndim == 1 else (M[:, None] * S * M[None, :] + var[k] * np.eye(d))
        else:
            if S.ndim == 1:
                S = np.diag(S)
            M = a[k] * np.eye(d) + c[k] * A
            m = M @ m + c[k] * b
            S = M @ S @ M.T + var[k] * np.eye(d)
            S = 0.5 * (S + S.T)
        if callback is not None:
            callback(k + 1, m, S)
    if not (np.all(np.isfinite(m)) and np.all(np.isfinite(S))):
        raise v.DivergenceError(
            f"the law overflowed (non-finite mean or covariance): the steps of the schedule are too large "
            f"for scheme {scheme!r} (largest h = {float(np.max(schedule.h)):.4g}, from T, eps and n_steps)")
    return m, S


def grid_1d(score: Callable[[float, np.ndarray], np.ndarray], x: np.ndarray, density0: np.ndarray,
            schedule: Schedule, *, scheme: str,
            callback: Callable[[int, np.ndarray], None] | None = None,
            chunk: int = 4_000_000) -> tuple[np.ndarray, float]:
    r"""Law of a 1-D scheme's output on a uniform grid, for any score.

    Given :math:`Y_k` with density :math:`\rho_k` on the grid ``x``, the step is Gaussian given
    :math:`Y_k`, so

    .. math:: \rho_{k+1}(x') = \int \rho_k(x)\, \varphi_{\sqrt{v_k}}\bigl(x' - a_k x - c_k s(t_k, x)\bigr)\,dx,

    evaluated by the trapezoid rule on the grid.  The error is the quadrature error only (no Monte
    Carlo).  Every step must add noise wider than the grid step (a noise-free step has no density on a
    grid).  Mass carried outside the grid is lost; ``callback(k, density)`` is called after ``k = 0..K``
    steps; returns the final density (renormalised) and the total mass lost, which the caller should
    check is negligible.
    """
    if not callable(score):
        raise TypeError(f"score must be a callable s(t, x), got {score!r}")
    schedule = _check_schedule(schedule)
    xs, h = uniform_grid("x", x)
    v.positive_int("chunk", chunk)
    if callback is not None:
        v.callable_("callback", callback)
    rho = v.finite_array("density0", density0, ndim=1)
    if rho.shape != xs.shape or np.any(rho < 0):
        raise ValueError("density0 must be >= 0 and have the shape of x")
    wq = trapezoid_weights(xs.size, h)
    mass = float(rho @ wq)
    if mass <= 0:
        raise ValueError("density0 must have positive mass on the grid")
    rho = rho / mass
    if not np.all(schedule.noise):
        raise ValueError("grid_1d needs noise on every step (schedule.noise all True)")
    a, c, var = schemes.coefficients(scheme, schedule.h, schedule.noise)
    if np.sqrt(var.min()) < h:
        raise ValueError(f"the grid step {h:.3g} is wider than the smallest step's noise "
                         f"{np.sqrt(var.min()):.3g}: refine x or take fewer steps")
    lost = 0.0
    rows = max(1, int(chunk) // xs.size)
    if callback is not None:
        callback(0, rho)
    for k in range(schedule.n_steps):
        tk = float(schedule.t[k])
        s = v.callable_output("score", score, score(tk, xs[:, None]), tk)
        if s.shape not in ((xs.size, 1), (xs.size,)):
            raise ValueError(f"score ({v.callable_name(score)}) at t = {tk:.6g} returned shape {s.shape}, "
                             f"expected ({xs.size}, 1) for x[:, None]")
        s = s.reshape(-1)
        centre = a[k] * xs + c[k] * s
        src = rho * wq
        new = np.empty_like(rho)
        inv = 1.0 / np.sqrt(2.0 * np.pi * var[k])
        for i0 in range(0, xs.size, rows):
            diff = xs[i0:i0 + rows, None] - centre[None, :]
            new[i0:i0 + rows] = inv * (np.exp(-diff * diff / (2.0 * var[k])) @ src)
        total = float(new @ wq)
        lost += 1.0 - total
        rho = new / total
        if callback is not None:
            callback(k + 1, rho)
    return rho, lost
