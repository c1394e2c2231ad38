r"""Time grids of the reverse samplers, as values.

A :class:`Schedule` holds, for the :math:`K` steps of a reverse run, the forward times ``t`` at which the
score is evaluated (decreasing), the step sizes ``h`` and a boolean ``noise`` saying whether the step
adds its Gaussian increment.  Step :math:`k` takes :math:`Y_k` (at forward time :math:`t_k`) to
:math:`Y_{k+1}` with the score :math:`s(t_k, \cdot)` and step :math:`h_k`.  Every sampler and exact-law
routine (:func:`sgmbook.samplers.sample`, :func:`sgmbook.laws.gaussian`, :func:`sgmbook.laws.grid_1d`)
takes one.

A new time grid is one constructor here.

Example (a doctest):

>>> from sgmbook import schedules
>>> s = schedules.authors(1.0, 1e-3)
>>> s.n_steps, round(float(s.h[0]) * 999, 12), bool(s.noise[-1])
(1000, 1.0, False)
>>> schedules.uniform(1.0, 0.0, 4).t.tolist()
[1.0, 0.75, 0.5, 0.25]
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _validate as v

__all__ = ["Schedule", "uniform", "from_times", "split", "split_grid", "windows", "authors"]


class Schedule(NamedTuple):
    """``t`` (forward times of the score, decreasing, length K), ``h`` (step sizes, length K) and
    ``noise`` (bool, length K: does the step add noise?)."""

    t: np.ndarray
    h: np.ndarray
    noise: np.ndarray

    @property
    def n_steps(self) -> int:
        """Number of steps :math:`K`."""
        return int(self.t.size)

    @property
    def end(self) -> float:
        r"""Forward time reached after the last step, :math:`t_{K-1} - h_{K-1}`."""
        return float(self.t[-1] - self.h[-1])


def _make(t: np.ndarray, h: np.ndarray, noise: np.ndarray) -> Schedule:
    t, h, noise = (np.asarray(a) for a in (t, h, noise))
    for a in (t, h, noise):
        a.setflags(write=False)
    return Schedule(t, h, noise)


def from_times(times: np.ndarray) -> Schedule:
    r"""A user grid :math:`t_0 > t_1 > \dots > t_K \ge 0`: :math:`K` steps, the score at :math:`t_k`,
    :math:`h_k = t_k - t_{k+1}`, noise on every step."""
    grid = v.finite_array("times", times, ndim=1)
    if grid.size < 2:
        raise ValueError(f"times must hold at least two points, got {grid.size}")
    if np.any(np.diff(grid) >= 0):
        raise ValueError("times must be strictly decreasing (forward times from T down to eps)")
    if grid[-1] < 0:
        raise ValueError(f"times must be >= 0, got a last time {grid[-1]:g}")
    return _make(grid[:-1].copy(), -np.diff(grid), np.ones(grid.size - 1, dtype=bool))


def uniform(T: float, eps: float, n_steps: int) -> Schedule:
    r"""Uniform steps :math:`h = (T - \varepsilon)/K`, :math:`t_k = T - k h` (:math:`k = 0..K-1`), noise on
    every step."""
    T, eps = v.horizon(T, eps)
    k = v.positive_int("n_steps", n_steps)
    return from_times(np.linspace(T, eps, k + 1))


def split(T: float, n_steps: int, t_split: float, frac_late: float = 0.5, eps: float = 0.0) -> Schedule:
    r"""Time-split grid: ``round(frac_late * n_steps)`` uniform steps on :math:`[\varepsilon, t_{split}]`
    (near the data) and the rest uniform on :math:`[t_{split}, T]`: the simplest form of the "separated
    time regimes" of analyses of non-log-concave data."""
    return from_times(split_grid(T, n_steps, t_split, frac_late, eps))


def split_grid(T: float, n_steps: int, t_split: float, frac_late: float = 0.5,
               eps: float = 0.0) -> np.ndarray:
    r"""The times :math:`t_0 = T > \dots > t_K = \varepsilon` of :func:`split`, as an array."""
    T, eps = v.horizon(T, eps)
    n = v.positive_int("n_steps", n_steps)
    t_split = v.positive("t_split", t_split)
    if not eps < t_split < T:
        raise ValueError(f"t_split must lie in (eps, T) = ({eps:g}, {T:g}), got {t_split:g}")
    frac = v.positive("frac_late", frac_late)
    if not 0.0 < frac < 1.0:
        raise ValueError(f"frac_late must lie in (0, 1), got {frac_late!r}")
    if n < 2:
        raise ValueError(f"n_steps must be >= 2 for a split grid, got {n}")
    n_late = min(max(int(round(frac * n)), 1), n - 1)
    early = np.linspace(T, t_split, n - n_late + 1)
    late = np.linspace(t_split, eps, n_late + 1)
    return np.concatenate([early, late[1:]])


def windows(T: float, lo: float, width: float = 0.3, n_fine: int = 96, n_coarse: int = 2) -> Schedule:
    r"""Uniform step :math:`T/n_{fine}` from :math:`T` down to 0, except the window
    :math:`[lo, lo + width]`, covered by ``n_coarse`` steps (the coarse-window experiment of chapter 5)."""
    T = v.positive("T", T)
    lo = v.positive("lo", lo, allow_zero=True)
    width = v.positive("width", width)
    n_fine = v.positive_int("n_fine", n_fine)
    n_coarse = v.positive_int("n_coarse", n_coarse)
    hi = lo + width
    if hi >= T:
        raise ValueError(f"lo + width must be < T = {T:g}, got {hi:g}")
    hf = T / n_fine
    top = np.linspace(T, hi, int(round((T - hi) / hf)) + 1)
    mid = np.linspace(hi, lo, n_coarse + 1)[1:]
    bot = np.linspace(lo, 0.0, max(1, int(round(lo / hf))) + 1)[1:] if lo > 0 else np.array([])
    return from_times(np.concatenate([top, mid, bot]))


def authors(T: float, eps: float, n_points: int = 1000) -> Schedule:
    r"""The sampler of Bruno et al.'s public code (``Euler_Maruyama_sampler`` in
    ``stebruno/Score-Based-Generative-modeling-Gaussian-Data-Distribution``, commit ``f64def0``): the
    score at ``t = linspace(T, eps, N)`` and the step :math:`h = T/(N - 1)` (the code divides
    :math:`T`, not :math:`T - \varepsilon`) for all :math:`N` updates (note: :math:`N` updates, not
    :math:`N - 1`), with noise on every step except the last (the code returns ``mean_x`` of the last
    step).  The run therefore integrates over :math:`N h = NT/(N-1) > T - \varepsilon`, and ends at
    forward time :math:`t_{N-1} - h = \varepsilon - h`, one step past :math:`\varepsilon`."""
    T, eps = v.horizon(T, eps)
    n = v.positive_int("n_points", n_points)
    if n < 2:
        raise ValueError(f"n_points must be >= 2, got {n}")
    t = np.linspace(T, eps, n)
    h = np.full(n, T / (n - 1))
    noise = np.ones(n, dtype=bool)
    noise[-1] = False
    return _make(t, h, noise)
