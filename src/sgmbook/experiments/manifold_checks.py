r"""The checks of the chapter on data on low-dimensional sets (chapter 7), one function per check or
figure: each returns a small frozen dataclass of arrays.

After Mooney et al. (arXiv 2405.16104, Sections 3-4 of the submission): for :math:`\pi_0` supported in
:math:`\bar B(0, M)` the heat-evolved law :math:`\bar p(t, \cdot) = \pi_0 * N(0, tI)` has
:math:`\nabla^2 \log \bar p(t, x) = -I/t + \mathrm{Cov}(Y \mid x)/t^2` (second-order Tweedie), hence the
crude bound :math:`\|\nabla^2 \log \bar p\| \le 1/t + M^2/t^2`, and :math:`O(1/t)` away from the ridge
(points with more than one nearest point of the support).  Heat time ``t`` throughout, except in
:func:`hessian_moment_scan` and :func:`early_stopping_study` (book time of the OU process).

* :func:`interval_hessian_scan` -- uniform law on :math:`[-a, a]`: extremes of
  :math:`\partial_x^2 \log \bar p`;
* :func:`concentrated_hessian_at_zero` -- a law on :math:`[-1, 1]` concentrated at the ends, where the
  log-concave bound fails;
* :func:`two_atom_scan` -- two atoms: the ridge by closed form and by posterior covariance, and
  :math:`t|\partial_x^2 \log \bar p|` off the ridge;
* :func:`circle_scan` -- uniform law on a circle: Bessel form against angle quadrature, the centre, radii;
* :func:`three_arc_scan` -- three arcs of a circle (a Y-shaped ridge), by quadrature;
* :func:`crude_bound_ratios` -- :math:`\|\nabla^2 \log \bar p\| / (1/t + M^2/t^2)` on the three examples;
* :func:`hessian_moment_scan` -- mean square, squared supremum and squared crude bound of the OU Hessian;
* :func:`early_stopping_study` -- exact laws of the exponential integrator stopped at :math:`\delta`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .. import _validate as v
from ..bounds import bruno
from ..bounds.mooney import crude_bound, crude_bound_ou, two_atom_onset_constant
from ..targets.manifold import TwoAtoms, UniformCircle, UniformInterval, arc_points, discrete_hessian
from .local_lipschitz import loglog_slope
from .manifold_heat import early_stopping_errors, mean_square_hessian_1d

__all__ = ["IntervalScan", "interval_hessian_scan", "concentrated_hessian_at_zero", "TwoAtomScan",
           "two_atom_scan", "CircleScan", "circle_scan", "ArcScan", "three_arc_scan",
           "crude_bound_ratios", "HessianMoments", "hessian_moment_scan", "EarlyStopping",
           "early_stopping_study"]


def _times(name: str, t: ArrayLike) -> np.ndarray:
    ts = v.finite_array(name, t, ndim=1)
    if np.any(ts <= 0):
        raise ValueError(f"{name} must hold heat times > 0, got {ts!r}")
    return ts


@dataclass(frozen=True)
class IntervalScan:
    """Per heat time ``t``: ``h_min``, ``h_max`` (extremes of the Hessian over the grid) and
    ``t_sup`` (:math:`t \\sup |\\partial_x^2 \\log \\bar p|`)."""
    t: np.ndarray
    h_min: np.ndarray
    h_max: np.ndarray
    t_sup: np.ndarray


def interval_hessian_scan(t: ArrayLike, x: ArrayLike, a: float = 1.0) -> IntervalScan:
    r"""Extremes over the grid ``x`` of :math:`\partial_x^2 \log \bar p(t, x)` for the uniform law on
    :math:`[-a, a]`, at each heat time of ``t``.  The paper's bound for convex support (Mooney et al.,
    Section 4) reads :math:`-1/t \le \partial_x^2 \log \bar p \le 0`, with :math:`t \sup|\cdot| \to 1`."""
    ts = _times("t", t)
    xs = v.finite_array("x", x, ndim=1)
    target = UniformInterval(a)
    h = np.array([target.hess_heat(float(s), xs) for s in ts])
    return IntervalScan(ts, h.min(1), h.max(1), ts * np.abs(h).max(1))


def concentrated_hessian_at_zero(t: ArrayLike, c: float = 50.0, n_points: int = 4001) -> np.ndarray:
    r""":math:`\partial_x^2 \log \bar p(t, 0)` for :math:`\pi_0 \propto e^{c y^2}` on :math:`[-1, 1]`
    (trapezoid nodes, :func:`~sgmbook.targets.manifold.discrete_hessian`), at each heat time of ``t``:
    :math:`-1/t + \mathrm{Var}(Y \mid 0)/t^2`, which exceeds :math:`1/t` for large ``c`` (a law with
    convex support that is not log-concave)."""
    ts = _times("t", t)
    c = v.real("c", c)
    if not 0.0 <= c <= 300.0:
        raise ValueError(f"c must lie in [0, 300], got {c!r}")
    n = v.positive_int("n_points", n_points)
    if n < 2:
        raise ValueError(f"n_points must be >= 2, got {n}")
    y = np.linspace(-1.0, 1.0, n)
    w = np.exp(c * (y * y - 1.0))
    w[[0, -1]] *= 0.5
    return np.array([discrete_hessian(float(s), np.zeros((1, 1)), y[:, None], w)[0, 0, 0]
                     for s in ts])


@dataclass(frozen=True)
class TwoAtomScan:
    r"""``ridge`` and ``ridge_posterior``: :math:`t^2 \\partial_x^2 \\log \\bar p(t, 0)` by the closed
    form and by the posterior covariance of the atoms; ``off``: :math:`t|\\partial_x^2 \\log \\bar p(t,
    x)|`, shape ``(len(x_off), len(t))``; ``C``: its maximum over ``t`` per point; ``c_star``: the
    onset constant; ``bound``: Mooney et al.'s :math:`1 + c^*/|x|` per point; ``crude``:
    :math:`t\,(1/t + a^2/t^2)`, the crude bound times ``t``."""
    t: np.ndarray
    ridge: np.ndarray
    ridge_posterior: np.ndarray
    x_off: np.ndarray
    off: np.ndarray
    C: np.ndarray
    c_star: float
    bound: np.ndarray
    crude: np.ndarray


def two_atom_scan(t: ArrayLike, x_off: ArrayLike, a: float = 1.0) -> TwoAtomScan:
    r""":math:`\pi_0 = \tfrac12(\delta_{-a} + \delta_a)`: on the ridge :math:`x = 0`,
    :math:`t^2 \partial_x^2 \log \bar p = a^2 - t` (closed form against
    :func:`~sgmbook.targets.manifold.discrete_hessian`); off it, :math:`t|\partial_x^2 \log \bar p|` at
    each point of ``x_off`` (Mooney et al.'s bound :math:`1 + c^*/|x|`,
    :func:`~sgmbook.bounds.mooney.two_atom_onset_constant`)."""
    ts = _times("t", t)
    xo = v.finite_array("x_off", x_off, ndim=1)
    target, atoms = TwoAtoms(a), np.array([[-1.0], [1.0]]) * v.positive("a", a)
    ridge = np.array([s * s * target.hess_heat(float(s), [0.0])[0] for s in ts])
    post = np.array([s * s * discrete_hessian(float(s), np.zeros((1, 1)), atoms)[0, 0, 0] for s in ts])
    off = np.array([s * target.hessian_norm(float(s), xo) for s in ts]).T
    c_star = float(two_atom_onset_constant())
    return TwoAtomScan(ts, ridge, post, xo, off, off.max(1), c_star, 1.0 + c_star / np.abs(xo),
                       ts * crude_bound(ts, target.radius))


@dataclass(frozen=True)
class CircleScan:
    """``quad_diff``: largest gap, Bessel form against angle quadrature, per time of ``t_quad``;
    ``centre``, ``centre_quad``: :math:`t^2\\|\\nabla^2 \\log \\bar p(t, 0)\\|` both ways;
    ``curves``: :math:`t\\|\\nabla^2 \\log \\bar p(t, (r, 0))\\|`, shape ``(len(radii), len(t))``;
    ``C``: its maximum over ``t``; ``limit``: its limit :math:`\\max(1, |a - r|/r)` as
    :math:`t \\to 0` (derived in the book); ``limit_gap``: the relative gap to it at the first time."""
    t_quad: np.ndarray
    quad_diff: np.ndarray
    t: np.ndarray
    centre: np.ndarray
    centre_quad: np.ndarray
    radii: np.ndarray
    curves: np.ndarray
    C: np.ndarray
    limit: np.ndarray

    @property
    def limit_gap(self) -> np.ndarray:
        return np.abs(self.curves[:, 0] / self.limit - 1.0)


def circle_scan(t_quad: float, t: ArrayLike, radii: ArrayLike, probe: ArrayLike | None = None,
                n_angles: int = 4000, a: float = 1.0) -> CircleScan:
    r"""Uniform law on the circle of radius ``a``: the closed (Bessel) form of
    :math:`\nabla^2 \log \bar p` against :func:`~sgmbook.targets.manifold.discrete_hessian` on
    ``n_angles`` equally spaced nodes at the points ``probe`` (``(k, 2)``; by default (chapter 7)
    :math:`(0, 0), (0.1, 0.05), (0.6, -0.2), (0, 1), (1.5, 1)`, at the centre, inside, on and outside
    the circle); at the centre (:math:`t^2\|\cdot\| = |a^2/2 - t|`) and at the points :math:`(r, 0)`,
    ``r`` in ``radii``."""
    tq, ts = _times("t_quad", t_quad), _times("t", t)
    if probe is None:
        probe = [[0.0, 0.0], [0.1, 0.05], [0.6, -0.2], [0.0, 1.0], [1.5, 1.0]]
    pts = v.finite_array("probe", probe, ndim=2)
    if pts.shape[1] != 2:
        raise ValueError(f"probe must have shape (k, 2), got {pts.shape}")
    rs = v.finite_array("radii", radii, ndim=1)
    n = v.positive_int("n_angles", n_angles)
    target = UniformCircle(a)
    th = np.linspace(0, 2 * np.pi, n, endpoint=False)
    ring = target.a * np.stack([np.cos(th), np.sin(th)], 1)
    diff = np.array([np.abs(target.hess_heat(float(s), pts) - discrete_hessian(float(s), pts, ring)).max()
                     for s in tq])
    zero = np.zeros((1, 2))
    centre = np.array([s * s * target.hessian_norm(float(s), zero)[0] for s in ts])
    centre_q = np.array([s * s * np.linalg.norm(discrete_hessian(float(s), zero, ring)[0], 2) for s in ts])
    at_r = np.stack([rs, np.zeros_like(rs)], 1)
    curves = np.array([s * target.hessian_norm(float(s), at_r) for s in ts]).T
    limit = np.maximum(1.0, np.abs(target.a - rs) / rs)
    return CircleScan(tq, diff, ts, centre, centre_q, rs, curves, curves.max(1), limit)


@dataclass(frozen=True)
class ArcScan:
    """``support``: the quadrature nodes; ``points``: the probe points; ``norm``:
    :math:`\\|\\nabla^2 \\log \\bar p(t, x)\\|`, shape ``(len(t), len(points))``; ``slopes``: log-log
    slopes in ``t`` over :math:`t \\le` ``t_fit``; ``arm_limit``: :math:`\\sin^2(g/2)`, ``g`` the
    narrowest gap between arcs, the limit of :math:`t^2\\|\\nabla^2 \\log \\bar p\\|` on the ray bisecting
    it (the posterior splits evenly between two points :math:`2\\sin(g/2)` apart); ``t_norm`` and
    ``t2_norm``: :math:`t\\|\\cdot\\|` and :math:`t^2\\|\\cdot\\|` at the first time, per point;
    ``ridge_deg``: the angles (degrees, sorted in :math:`[0, 360)`) of the rays bisecting the gaps
    between arcs, on which the nearest point of the support is not unique."""
    support: np.ndarray
    points: np.ndarray
    t: np.ndarray
    norm: np.ndarray
    slopes: np.ndarray
    arm_limit: float
    ridge_deg: np.ndarray

    def ridge_rays(self, length: float) -> tuple[np.ndarray, np.ndarray]:
        """The segments from the origin along the rays of ``ridge_deg``, of the given ``length``: ``(xs,
        ys)``, each of shape ``(2, k)`` (one column per ray, as ``plt.plot`` takes them)."""
        length = v.positive("length", length)
        ends = length * np.exp(1j * np.deg2rad(self.ridge_deg))
        return np.stack([np.zeros(ends.size), ends.real]), np.stack([np.zeros(ends.size), ends.imag])

    @property
    def t_norm(self) -> np.ndarray:
        return self.t[0] * self.norm[0]

    @property
    def t2_norm(self) -> np.ndarray:
        return self.t[0] ** 2 * self.norm[0]


def three_arc_scan(probes_polar: ArrayLike, t: ArrayLike,
                   centres_deg: ArrayLike = (90.0, 210.0, 330.0), width_deg: float = 100.0,
                   n_per_arc: int = 2000, t_fit: float = 1e-3) -> ArcScan:
    r"""Uniform law on arcs of the unit circle (:func:`~sgmbook.targets.manifold.arc_points`): the
    spectral norm of :math:`\nabla^2 \log \bar p` by quadrature at the probe points, given in polar
    form ``(r, degrees)`` (``(k, 2)``), and its log-log slope at small ``t`` (-2 on the ridge, -1 off
    it, after Mooney et al., Section 4)."""
    polar = v.finite_array("probes_polar", probes_polar, ndim=2)
    if polar.shape[1] != 2:
        raise ValueError(f"probes_polar must have shape (k, 2), got {polar.shape}")
    ts = _times("t", t)
    t_fit = v.positive("t_fit", t_fit)
    small = ts <= t_fit
    if small.sum() < 2:
        raise ValueError(f"t_fit must leave at least two times of t below it, got {t_fit!r}")
    centres_deg = v.finite_array("centres_deg", centres_deg, ndim=1)
    support = arc_points(centres_deg, width_deg, n_per_arc)  # validates the arcs
    centres = np.sort(np.mod(centres_deg, 360.0))
    spacing = np.diff(centres, append=centres[0] + 360.0)
    gap = max(float(np.min(spacing)) - float(width_deg), 0.0)
    ridge = np.sort(np.mod(centres + spacing / 2.0, 360.0))
    ang = np.deg2rad(polar[:, 1])
    pts = polar[:, :1] * np.stack([np.cos(ang), np.sin(ang)], 1)
    norm = np.array([np.linalg.norm(discrete_hessian(float(s), pts, support), ord=2, axis=(1, 2))
                     for s in ts])
    slopes = np.array([loglog_slope(ts[small], norm[small, j]) for j in range(pts.shape[0])])
    return ArcScan(support, pts, ts, norm, slopes, float(np.sin(np.deg2rad(gap / 2.0)) ** 2), ridge)


def crude_bound_ratios(t: ArrayLike, x: ArrayLike | None = None,
                       grid2: ArrayLike | None = None) -> np.ndarray:
    r""":math:`\max_x \|\nabla^2 \log \bar p(t, x)\| / (1/t + M^2/t^2)` (Mooney et al.'s crude bound,
    :func:`~sgmbook.bounds.mooney.crude_bound`) for the uniform law on :math:`[-1, 1]` and two atoms at
    :math:`\pm 1` over the grid ``x``, and the unit circle over the points ``grid2`` (``(k, 2)``).
    Shape ``(len(t), 3)``.  By default (chapter 7) ``x`` has 4001 points on :math:`[-4, 4]` and ``grid2``
    is the :math:`81 \times 81` grid of :math:`[-2, 2]^2`."""
    ts = _times("t", t)
    if x is None:
        x = np.linspace(-4.0, 4.0, 4001)
    if grid2 is None:
        g = np.linspace(-2.0, 2.0, 81)
        grid2 = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    xs = v.finite_array("x", x, ndim=1)
    g2 = v.finite_array("grid2", grid2, ndim=2)
    if g2.shape[1] != 2:
        raise ValueError(f"grid2 must have shape (k, 2), got {g2.shape}")
    cases = [(UniformInterval(), xs), (TwoAtoms(), xs), (UniformCircle(), g2)]
    return np.array([[tgt.hessian_norm(float(s), pts).max() / crude_bound(float(s), tgt.radius)
                      for tgt, pts in cases] for s in ts])


@dataclass(frozen=True)
class HessianMoments:
    """Per book time: ``mean_square`` :math:`\\mathbb E_{p_t}|\\partial_x^2 \\log p_t|^2`,
    ``sup_square`` its squared supremum over the grid, ``crude_square`` the squared crude bound;
    ``slopes`` their log-log slopes in ``t``."""
    t: np.ndarray
    mean_square: np.ndarray
    sup_square: np.ndarray
    crude_square: np.ndarray
    slopes: np.ndarray


def hessian_moment_scan(t, x, a: float = 1.0) -> HessianMoments:
    r"""Uniform data on :math:`[-a, a]`, OU marginal at book time ``t``: the averaged squared Lipschitz
    constant of the score (:func:`~sgmbook.experiments.manifold_heat.mean_square_hessian_1d`, trapezoid
    rule on the uniform grid ``x``), the squared supremum and the squared crude bound
    (:func:`~sgmbook.bounds.mooney.crude_bound_ou`)."""
    ts = _times("t", t)
    target = UniformInterval(a)
    ms = np.array([mean_square_hessian_1d(target, float(s), x) for s in ts])
    xs = np.asarray(x, dtype=float)
    sup2 = np.array([np.abs(target.hessian_logp(float(s), xs)).max() ** 2 for s in ts])
    crude2 = crude_bound_ou(ts, target.a) ** 2
    slopes = np.array([loglog_slope(ts, u) for u in (ms, sup2, crude2)])
    return HessianMoments(ts, ms, sup2, crude2, slopes)


@dataclass(frozen=True)
class EarlyStopping:
    """``errors[i, j]``: rows :math:`(W_2(p_0, p_\\delta), W_2(p_0, \\hat q), \\mathrm{KL}(p_\\delta
    \\| \\hat q))` per stopping time, for ``n_steps[i]`` steps, uniform (``j = 0``) or split (``j = 1``);
    ``lost``: the largest mass lost at the grid's ends; ``bias``: :math:`W_2(p_0, p_\\delta)`;
    ``coupling``: the synchronous-coupling bound on it; slopes in :math:`\\delta` of the bias and of the
    KL with uniform steps (one per ``n_steps``)."""
    deltas: np.ndarray
    n_steps: np.ndarray
    errors: np.ndarray
    lost: float
    bias: np.ndarray
    coupling: np.ndarray
    bias_slope: float
    kl_slopes: np.ndarray

    @property
    def cases(self) -> list[tuple[int, str]]:
        """``(n_steps, "uniform" or "split")`` in the order of ``errors.reshape(-1, ...)``."""
        return [(int(n), s) for n in self.n_steps for s in ("uniform", "split")]

    @property
    def curves(self) -> np.ndarray:
        """``errors`` with one row per entry of ``cases``: shape ``(len(cases), len(deltas), 3)``."""
        return self.errors.reshape(-1, self.deltas.size, 3)

    @property
    def rows(self) -> np.ndarray:
        """The bias, then :math:`W_2(p_0, \\hat q)` per case, then the KL per case, one row each."""
        return np.vstack([self.bias, self.curves[..., 1], self.curves[..., 2]])


def early_stopping_study(x: ArrayLike, T: float, deltas: ArrayLike,
                         n_steps: ArrayLike = (20, 80), t_split: float = 0.5,
                         a: float = 1.0) -> EarlyStopping:
    r"""Uniform data on :math:`[-a, a]`: :func:`~sgmbook.experiments.manifold_heat.early_stopping_errors`
    for each step count, with uniform steps and with half of them on :math:`[\delta, t_{split}]`; the
    bias against :func:`sgmbook.bounds.bruno.early_stopping_term` with :math:`m_2 = a^2/3`, :math:`d = 1`
    (Bruno et al., Section 3; Mooney et al., Section 6.3 of the published version)."""
    ns = v.int_array("n_steps", n_steps, minimum=1)
    if ns.ndim != 1 or ns.size == 0:
        raise ValueError(f"n_steps must be a non-empty 1-D array of step counts, got {ns!r}")
    target = UniformInterval(a)
    T = v.positive("T", T)
    t_split = v.in_range("t_split", t_split, 0.0, T, closed=(False, False))
    ds = v.finite_array("deltas", deltas, ndim=1)
    errors, lost = [], 0.0
    for n in ns:
        pair = [early_stopping_errors(target, x, T, ds, int(n), t_split=split)
                for split in (None, t_split)]
        errors.append([p[0] for p in pair])
        lost = max(lost, *(p[1] for p in pair))
    errors = np.array(errors)
    bias = errors[0, 0, :, 0]
    coupling = np.array([bruno.early_stopping_term(float(d), 1, target.a ** 2 / 3.0) for d in ds])
    kl = np.array([loglog_slope(ds, e[0, :, 2]) for e in errors])
    return EarlyStopping(ds, ns, errors, float(lost), bias, coupling, float(loglog_slope(ds, bias)), kl)
