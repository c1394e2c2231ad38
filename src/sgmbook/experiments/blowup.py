r"""The chapter-5 experiments on the bump flows: sup-Hessian curves, a closed-form check, a heat-equation check.

The flows themselves (:class:`~sgmbook.targets.heat.HeatFlow1D`, :func:`~sgmbook.targets.heat.bump_flow`,
:func:`~sgmbook.targets.heat.multi_bump_flow`) live in :mod:`sgmbook.targets.heat` and take book time;
the functions here speak Mooney et al.'s OU time :math:`\tau = 2t` and convert with :mod:`sgmbook.ou`.
"""
from __future__ import annotations

import numpy as np
from scipy.special import erf, erfc

from .. import _validate as v
from .. import ou
from ..targets.heat import Evolution, HeatFlow1D, bump_flow, multi_bump_flow

__all__ = ["Evolution", "HeatFlow1D", "bump_flow", "multi_bump_flow", "sup_hessian_curve",
           "heat_equation_residual", "bump_curvature_half"]


def sup_hessian_curve(taus: np.ndarray, Ms: np.ndarray, *, n_x: int = 4001, h: float = 0.05,
                      y_extra: float = 3.0) -> np.ndarray:
    r""":math:`\sup_x \partial_x^2 \log p_\tau(x)` for the bump targets :math:`g_M`, shape ``(len(Ms), len(taus))``.

    The sup is taken over ``n_x`` points of the heat variable :math:`y = e^{-\tau/2} x` uniform on
    :math:`[-5M - \text{y\_extra}, 5M + \text{y\_extra}]` (odd ``n_x`` puts :math:`y = 0` on the grid), on a
    data grid extended to :math:`|z| \le 5M + \text{y\_extra} + 9` so that every posterior stays inside it.

    Why this window (derived in the book): :math:`\partial_x^2 \log p_\tau` has, besides the peak at
    :math:`y = 0`, a second peak outside the bump, at :math:`|y| \approx 2M + M\sqrt{2(1 + 2s)}` with
    :math:`s = 1 - e^{-\tau}`, where the heat posterior splits between the Gaussian tail and the lobe
    :math:`-g_M \approx 2M^2` at :math:`|z| = 2M`; for :math:`\tau \ge 1` it is of order :math:`M^2` and lies in
    :math:`(4M, 2M + \sqrt6 M) \subset (4M, 4.45M)`.  For :math:`|y| \ge 5M + 3` every point of the bump has
    heat log-weight at most :math:`2M^2 - (2M + 3)^2/2 = -6M - 4.5` (and :math:`\le -(M + 3)^2/2` on
    :math:`3M \le |z| \le 4M`), while the Gaussian part beyond the bump has weight of order one, so the
    curvature there is within :math:`O(M^3 e^{-6M})` of :math:`-1`.  The outer peak is narrow (width
    :math:`O(1)` in :math:`y`), so a coarse ``n_x`` may under-resolve it; in every case computed in the book
    (and in the tests) it is lower than the value at :math:`y = 0`, which is a grid point and is the supremum.
    """
    taus = v.finite_array("taus", taus, ndim=1)
    Ms = v.finite_array("Ms", Ms, ndim=1)
    n_x = v.positive_int("n_x", n_x)
    y_extra = v.positive("y_extra", y_extra, allow_zero=True)
    h = v.positive("h", h)
    if np.any(taus <= 0) or np.any(taus > 1200):
        raise ValueError(f"taus must lie in (0, 1200] (OU times; e^(tau/2) overflows beyond), got "
                         f"[{float(taus.min())!r}, {float(taus.max())!r}]")
    if np.any(Ms <= 0):
        raise ValueError(f"Ms must be > 0, got min {float(Ms.min())!r}")
    if float(taus.min()) < np.log1p(h * h) * (1 + 1e-12):
        raise ValueError(f"h = {h:g} is too coarse for the smallest tau = {float(taus.min()):g}: need "
                         f"tau >= log(1 + h^2) = {np.log1p(h * h):.3g} (the flow's grid resolution)")
    out = np.empty((Ms.size, taus.size))
    for i, M in enumerate(Ms):
        y_max = 5 * M + y_extra
        flow = bump_flow(float(M), h=h, margin=max(12.0, y_max - 4 * M + 9.0))
        ys = np.linspace(-y_max, y_max, n_x)
        for k, tau in enumerate(taus):
            xs = ys * np.exp(0.5 * tau)
            out[i, k] = flow.hessian_logp(ou.from_mooney_time(float(tau)), xs).max()
    return out


def bump_curvature_half(M: float) -> float:
    r""":math:`(\log \bar p)_{yy}(\tfrac12, 0)` for the bump potential :math:`g_M` in closed form (derived in the book).

    At heat time :math:`s = 1/2` and :math:`y = 0` the posterior weight is :math:`w(z) = e^{-g_M(z) - z^2}`:
    :math:`1` on :math:`|z| \le M`, :math:`e^{-2(|z| - M)^2}` on :math:`M \le |z| \le 3M`,
    :math:`e^{-8M(|z| - 2M)}` on :math:`3M \le |z| \le 4M` and :math:`e^{-z^2}` beyond.  The posterior is even, so

    .. math:: (\log \bar p)_{yy}(\tfrac12, 0) = -2 + 4\,\frac{\int z^2 w}{\int w},

    with each piece of both integrals in closed form (error functions and exponentials).  This does not use
    any grid: it is an independent check of :class:`HeatFlow1D`.
    """
    M = v.positive("M", M)
    # |z| in [0, M]: w = 1
    i1, j1 = M, M ** 3 / 3.0
    # |z| in [M, 3M]: b = |z| - M in [0, 2M], w = exp(-2 b^2)
    L = 2.0 * M
    eL = np.exp(-2.0 * L * L)
    i2 = np.sqrt(np.pi / 8.0) * erf(np.sqrt(2.0) * L)
    k1 = (1.0 - eL) / 4.0                    # int_0^L b exp(-2 b^2) db
    k2 = i2 / 4.0 - L * eL / 4.0             # int_0^L b^2 exp(-2 b^2) db
    j2 = k2 + 2.0 * M * k1 + M * M * i2
    # |z| in [3M, 4M]: w = exp(-k (|z| - 2M)), k = 8M; antiderivative of a^2 e^{-k(a - 2M)}
    k = 8.0 * M

    def prim(a: float) -> float:
        return -np.exp(-k * (a - 2.0 * M)) * (a * a / k + 2.0 * a / k ** 2 + 2.0 / k ** 3)

    i3 = (np.exp(-8.0 * M * M) - np.exp(-16.0 * M * M)) / k
    j3 = prim(4.0 * M) - prim(3.0 * M)
    # |z| >= 4M: w = exp(-z^2)
    i4 = 0.5 * np.sqrt(np.pi) * erfc(4.0 * M)
    j4 = 2.0 * M * np.exp(-16.0 * M * M) + 0.5 * i4
    var = (j1 + j2 + j3 + j4) / (i1 + i2 + i3 + i4)
    return float(-2.0 + 4.0 * var)


def heat_equation_residual(flow: HeatFlow1D, s: float, y: np.ndarray, ds: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    r"""Finite-difference check that :math:`\bar p` solves :math:`\partial_s \bar p = \tfrac12 \partial_y^2 \bar p`.

    Returns ``(residual, scale)`` at the interior points ``y[1:-1]``, divided by :math:`\bar p(s, y)`:
    the residual :math:`(\partial_s \bar p - \tfrac12 \partial_y^2 \bar p)/\bar p` with centred differences
    (step ``ds`` in heat time :math:`s`, the grid step of the uniform ``y`` in space), and the size of the terms,
    :math:`|\partial_s \bar p / \bar p|`.  Both are formed from :math:`\log \bar p` differences, so they
    keep their relative accuracy where :math:`\bar p` is tiny.
    """
    v.instance("flow", flow, HeatFlow1D, "a HeatFlow1D")
    s = v.positive("s", s)
    ds = v.positive("ds", ds)
    if not (0 < s - ds and s + ds < 1):
        raise ValueError("s - ds and s + ds must lie in (0, 1)")
    ys = v.finite_array("y", y, ndim=1)
    dy = np.diff(ys)
    if ys.size < 3 or np.any(dy <= 0) or not np.allclose(dy, dy[0], rtol=1e-8):
        raise ValueError("y must be a uniform increasing grid of at least 3 points")
    hy = float(dy[0])
    l0 = flow.heat(s, ys)[0]
    lp = flow.heat(s + ds, ys[1:-1])[0]
    lm = flow.heat(s - ds, ys[1:-1])[0]
    c = l0[1:-1]
    ds_term = (np.expm1(lp - c) - np.expm1(lm - c)) / (2 * ds)
    dyy_term = (np.expm1(l0[2:] - c) + np.expm1(l0[:-2] - c)) / (hy * hy)
    return ds_term - 0.5 * dyy_term, np.abs(ds_term)
