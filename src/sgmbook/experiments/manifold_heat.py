r"""What the chapter on data on low-dimensional compact sets runs on the heat-evolved targets.

The targets (uniform interval, two atoms, circle, point clouds and arcs), the second-order Tweedie
identity behind them and their closed forms live in :mod:`sgmbook.targets.manifold`; the crude bound
:math:`\|D^2 \bar q(s, \cdot)\| \le 1/s + M^2/s^2` of Mooney et al. (arXiv 2405.16104, Section 3 of the
submission) in :mod:`sgmbook.bounds.mooney`.
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from ..bounds.mooney import crude_bound, crude_bound_ou, two_atom_onset_constant  # noqa: F401
from ..targets.manifold import TwoAtoms, UniformCircle, UniformInterval, arc_points, discrete_hessian

__all__ = ["UniformInterval", "TwoAtoms", "UniformCircle", "discrete_hessian", "crude_bound",
           "crude_bound_ou", "two_atom_onset_constant", "w2_to_interval", "mean_square_hessian_1d",
           "arc_points", "early_stopping_errors"]

def w2_to_interval(x: np.ndarray, q: np.ndarray, a: float = 1.0, n_cells: int = 4000) -> float:
    r"""Exact W2 between a density tabulated on the grid ``x`` and the uniform law on :math:`[-a, a]`.

    The uniform law is represented by ``n_cells`` cells that tile :math:`[-a, a]` exactly, so both
    quantile functions are piecewise linear and :func:`sgmbook.metrics.w2_1d_density` integrates
    :math:`\int_0^1 |F^{-1} - G^{-1}|^2 du` exactly.
    """
    from ..metrics import w2_1d_density

    xs = v.grid("x", x)
    qs = v.finite_array("q", q, ndim=1)
    if qs.shape != xs.shape or np.any(qs < 0) or qs.sum() <= 0:
        raise ValueError("q must be >= 0 with positive mass and the shape of x")
    a = v.positive("a", a)
    n = v.positive_int("n_cells", n_cells)
    centres = -a + (np.arange(n) + 0.5) * (2.0 * a / n)
    return w2_1d_density(xs, qs, centres, np.ones(n))


def mean_square_hessian_1d(target, t: float, x: np.ndarray) -> float:
    r""":math:`\mathbb E_{p_t}[(\partial_x^2 \log p_t)^2]` by the trapezoid rule on the uniform grid ``x``
    (book clock), for a 1-D target with ``logpdf(t, x)`` and ``hessian_logp(t, x)``: the averaged
    squared Lipschitz constant that enters Girsanov-type error bounds."""
    v.duck("target", target, ("logpdf", "hessian_logp"), "a 1-D target")
    xs = v.grid("x", x, min_points=3)
    w = np.gradient(xs)
    w[[0, -1]] = 0.5 * np.diff(xs)[[0, -1]]
    p = np.exp(target.logpdf(t, xs))
    h = target.hessian_logp(t, xs)
    return float(np.sum(w * p * h * h) / np.sum(w * p))


def early_stopping_errors(target, x: np.ndarray, T: float, deltas: np.ndarray, n_steps: int, *,
                          t_split: float | None = None) -> tuple[np.ndarray, float]:
    r"""Early stopping on uniform data on :math:`[-a, a]` (book time; chapter 7, after Mooney et al.,
    Section 6.3 of the published version): for each stopping time :math:`\delta`, the exponential
    integrator with the exact score of ``target`` (a :class:`~sgmbook.targets.manifold.UniformInterval`)
    from :math:`N(0, 1)` at ``T`` down to :math:`\delta`, with ``n_steps`` uniform steps on
    :math:`[\delta, T]` or, with ``t_split``, half of them on :math:`[\delta, t_{split}]`
    (:func:`sgmbook.schedules.split`).  Its law :math:`\hat q` is exact on the grid ``x``
    (:func:`sgmbook.laws.grid_1d`).  Returns an array of rows
    :math:`(W_2(p_0, p_\delta), W_2(p_0, \hat q), \mathrm{KL}(p_\delta \| \hat q))` (:func:`w2_to_interval`,
    :func:`sgmbook.metrics.kl_1d_density`) and the largest mass lost at the grid's ends.
    """
    from .. import laws, schedules
    from ..metrics import kl_1d_density

    xs = v.finite_array("x", x, ndim=1)
    T = v.positive("T", T)
    ds = v.finite_array("deltas", deltas, ndim=1)
    if not np.all((ds > 0) & (ds < T)):
        raise ValueError(f"deltas (stopping times) must lie in (0, T) = (0, {T:g}), got {ds!r}")
    rho0 = np.exp(-0.5 * xs * xs) / np.sqrt(2.0 * np.pi)
    rows, lost_max = [], 0.0
    for d in ds:
        if t_split is None:
            schedule = schedules.uniform(T, float(d), n_steps)
        else:
            schedule = schedules.split(T, n_steps, t_split, eps=float(d))
        q, lost = laws.grid_1d(target.score, xs, rho0, schedule, scheme="ei")
        lost_max = max(lost_max, abs(float(lost)))
        pd = np.exp(target.logpdf(float(d), xs))
        a = float(target.a)
        rows.append((w2_to_interval(xs, pd, a), w2_to_interval(xs, q, a), kl_1d_density(xs, pd, q)))
    return np.array(rows), lost_max
