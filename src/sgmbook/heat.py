r"""Fast 1-D density evolution under the OU flow, with the heat-equation picture of Mooney et al.

Clock: we use :math:`dX = -\tfrac12 X\,d\tau + dW`, the normalisation consistent with the horizon
:math:`-\log(1 - 1/M_0)` and the heat time :math:`1/2` quoted from Mooney et al. (arXiv 2405.16104); the
paper's own displayed SDE was not available, so this normalisation is the book's inference.  Then
:math:`X_\tau = a X_0 + \sigma Z` with :math:`a = e^{-\tau/2}` and :math:`\sigma^2 = 1 - e^{-\tau}`.  The
book's clock :math:`dX = -X\,dt + \sqrt2\,dB` has the same law at :math:`t = \tau/2`
(:func:`sgmbook.ou.from_mooney_time`).  Every OU function here takes the OU time :math:`\tau`; the heat-picture
functions take the heat time :math:`s = 1 - e^{-\tau}` (numerically equal to :math:`\sigma^2`), the notation
of the book's chapters.

For a density :math:`p_0 \propto e^{\ell}` tabulated on a uniform grid ``z`` (zero outside it) the
posterior of :math:`X_0` given :math:`X_\tau = x` has log-weights :math:`\ell(z) - (x - a z)^2 / (2 \sigma^2)`,
and (Tweedie; derived in the book)

.. math:: \partial_x \log p_\tau(x) = \frac{a\,E[X_0 \mid x] - x}{\sigma^2}, \qquad
          \partial_x^2 \log p_\tau(x) = -\frac{1}{\sigma^2} + \frac{a^2}{\sigma^4}\,\mathrm{Var}(X_0 \mid x).

Heat picture (after Mooney et al.; the change of variables is derived in the book): with
:math:`g = -\ell - z^2/2`, heat time :math:`s = 1 - e^{-\tau}` and :math:`y = a x`,

.. math:: p_\tau(x) = e^{-x^2/2}\, \bar p(s, y), \qquad \bar p(s, \cdot) = e^{-g} * N(0, s),
          \qquad \partial_s \bar p = \tfrac12 \partial_y^2 \bar p,

so :math:`\partial_x^2 \log p_\tau(x) = -1 + e^{-\tau} (\log \bar p)_{yy}(s, a x)`.

Speed: the sums are the trapezoid rule on the grid (the same numbers as :class:`sgmbook.Grid1D`), but
each block of evaluation points only visits the grid nodes whose log-weight can come within
``cutoff`` of the row maximum.  The window is found rigorously: the grid is cut into cells, the row
maximum is bounded below by the values at the cell corners and each cell's log-weights are bounded
above by (max of :math:`\ell` on the cell) minus (smallest Gaussian penalty on the cell).  Dropped
nodes carry relative weight below :math:`n e^{-\text{cutoff}}`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import erf, erfc, logsumexp

from . import _validate as v
from .bump import bump_log_density, multi_bump_potential

__all__ = ["Evolution", "HeatFlow1D", "bump_flow", "multi_bump_flow", "sup_hessian_curve",
           "heat_equation_residual", "bump_curvature_half"]

_LOG_2PI = float(np.log(2.0 * np.pi))


class Evolution(NamedTuple):
    """Arrays of shape ``(n_tau, n_x)``: :math:`\\log p_\\tau(x)`, the score and its x-derivative."""

    logp: np.ndarray
    score: np.ndarray
    dscore: np.ndarray


def _ou_tau(tau: float) -> tuple[float, float]:
    tau = v.positive("tau", tau)
    return float(np.exp(-0.5 * tau)), float(-np.expm1(-tau))


class HeatFlow1D:
    r"""OU evolution of a 1-D density :math:`p_0 \propto e^{\ell}` tabulated on a uniform grid.

    Parameters
    ----------
    z : uniform increasing grid (at least 3 nodes).
    log_density : :math:`\ell` on ``z`` (unnormalised; ``-inf`` marks zero density).
    cutoff : log-weight gap below the row maximum beyond which nodes are skipped (>= 20).
    block : number of evaluation points sharing one window.

    Place the kinks of a piecewise-smooth :math:`\ell` on grid nodes: the trapezoid rule then keeps
    fourth-order accuracy for :math:`C^{1,1}` data (Euler-Maclaurin on each smooth piece).  As in
    :class:`sgmbook.Grid1D`, :math:`p_0` is zero off the grid: evaluate only at points whose posterior
    stays well inside it.
    """

    def __init__(self, z: np.ndarray, log_density: np.ndarray, *, cutoff: float = 46.0, block: int = 32):
        z = v.finite_array("z", z, ndim=1)
        if z.size < 3:
            raise ValueError("z must hold at least 3 grid points")
        dz = np.diff(z)
        if np.any(dz <= 0) or not np.allclose(dz, dz[0], rtol=1e-8, atol=0):
            raise ValueError("z must be a uniform increasing grid")
        ell = np.asarray(log_density, dtype=float)
        if ell.shape != z.shape:
            raise ValueError(f"log_density must have the shape of z {z.shape}, got {ell.shape}")
        if np.any(np.isnan(ell)) or np.any(ell == np.inf):
            raise ValueError("log_density must not contain NaN or +inf (-inf marks zero density)")
        cutoff = v.positive("cutoff", cutoff)
        if cutoff < 20:
            raise ValueError(f"cutoff must be >= 20 (log-weight gap), got {cutoff}")
        self.block = v.positive_int("block", block)
        self.cutoff = cutoff
        self.z = z
        self.h = float(dz[0])
        lw = np.full(z.shape, np.log(self.h))
        lw[[0, -1]] += np.log(0.5)
        self.log_z = float(logsumexp(ell + lw))
        if not np.isfinite(self.log_z):
            raise ValueError("log_density must be finite somewhere")
        self.log_density = ell - self.log_z
        self._base = self.log_density + lw

    def __repr__(self) -> str:
        return f"HeatFlow1D(n={self.z.size}, z in [{self.z[0]:g}, {self.z[-1]:g}], h={self.h:g})"

    def min_tau(self) -> float:
        r"""Smallest OU time accepted: posterior width :math:`\sigma/a = \sqrt{e^\tau - 1}` equal to the grid step."""
        return float(np.log1p(self.h ** 2))

    # ------------------------------------------------------------------ windows
    def _windows(self, a: float, sig2: float, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per point, the node range [lo, hi) outside which every log-weight is < row max - cutoff."""
        n = self.z.size
        width = np.sqrt(sig2) / a / self.h  # posterior width in nodes (Gaussian factor alone)
        stride = int(max(2, min(n - 1, max(np.sqrt(n / 2.0), 0.5 * width))))
        starts = np.arange(0, n - 1, stride)
        ends = np.minimum(starts + stride, n - 1)  # cell c covers nodes starts[c]..ends[c]
        base = self._base
        cmax = np.maximum.reduceat(base, starts)
        cmax = np.maximum(cmax, base[ends])
        corners = np.unique(np.concatenate([starts, ends]))
        lower = np.max(base[corners][None, :] - (xs[:, None] - a * self.z[corners][None, :]) ** 2 / (2 * sig2), axis=1)
        zl, zr = a * self.z[starts], a * self.z[ends]
        d = np.maximum(0.0, np.maximum(zl[None, :] - xs[:, None], xs[:, None] - zr[None, :]))
        upper = cmax[None, :] - d * d / (2 * sig2)
        keep = upper >= (lower - self.cutoff)[:, None]
        first = np.argmax(keep, axis=1)
        last = keep.shape[1] - 1 - np.argmax(keep[:, ::-1], axis=1)
        return starts[first], ends[last] + 1

    # ------------------------------------------------------------------ core
    def posterior_moments(self, tau: float, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""``(log p_tau(x), E[X_0 | X_tau = x], Var(X_0 | X_tau = x))`` at flat ``x``, OU time ``tau``."""
        xs = v.finite_array("x", x, ndim=1)
        a, sig2 = _ou_tau(tau)
        if np.sqrt(sig2) / a < self.h * (1 - 1e-12):
            raise ValueError(f"tau={tau:g} is below the grid's resolution: tau must be >= {self.min_tau():.3g} "
                             "(refine z or stop earlier)")
        order = np.argsort(xs, kind="stable")
        xo = xs[order]
        lo, hi = self._windows(a, sig2, xo)
        logp = np.empty(xs.size)
        mean = np.empty(xs.size)
        var = np.empty(xs.size)
        base, z = self._base, self.z
        B = self.block
        for i0 in range(0, xo.size, B):
            j0, j1 = int(lo[i0:i0 + B].min()), int(hi[i0:i0 + B].max())
            xb = xo[i0:i0 + B, None]
            zb = z[j0:j1]
            e = base[j0:j1][None, :] - (xb - a * zb[None, :]) ** 2 / (2 * sig2)
            emax = e.max(axis=1, keepdims=True)
            w = np.exp(e - emax)
            tot = w.sum(axis=1)
            w /= tot[:, None]
            c = zb[np.argmax(e, axis=1)][:, None]  # centre each row at its mode: stable variance
            dev = zb[None, :] - c
            m1 = np.sum(w * dev, axis=1)
            m2 = np.sum(w * dev * dev, axis=1)
            logp[i0:i0 + B] = emax[:, 0] + np.log(tot)
            mean[i0:i0 + B] = c[:, 0] + m1
            var[i0:i0 + B] = np.maximum(m2 - m1 * m1, 0.0)
        logp -= 0.5 * (np.log(sig2) + _LOG_2PI)
        out = np.empty((3, xs.size))
        out[0, order], out[1, order], out[2, order] = logp, mean, var
        return out[0], out[1], out[2]

    def posterior_density(self, tau: float, x: float) -> np.ndarray:
        r"""Density on the nodes ``z`` of :math:`X_0` given :math:`X_\tau = x` (OU time ``tau``):
        :math:`\propto e^{\ell(z) - (x - a z)^2 / (2 \sigma^2)}`, normalised by the trapezoid rule."""
        a, sig2 = _ou_tau(tau)
        x = float(v.finite_array("x", x, ndim=0))
        e = self.log_density - (x - a * self.z) ** 2 / (2 * sig2)
        e -= logsumexp(e + self._base - self.log_density)
        return np.exp(e)

    def evolve(self, taus: np.ndarray | float, x: np.ndarray) -> Evolution:
        r""":math:`\log p_\tau(x)`, :math:`\partial_x \log p_\tau` and :math:`\partial_x^2 \log p_\tau` for
        every OU time in ``taus`` (rows) and point in ``x`` (columns), by the Tweedie formulas above."""
        taus = np.atleast_1d(v.finite_array("taus", taus))
        if taus.ndim != 1 or np.any(taus <= 0):
            raise ValueError("taus must be a 1-D array of OU times > 0")
        xs = v.finite_array("x", x, ndim=1)
        out = np.empty((3, taus.size, xs.size))
        for k, tau in enumerate(taus):
            a, sig2 = _ou_tau(float(tau))
            lp, mu, var = self.posterior_moments(float(tau), xs)
            out[0, k] = lp
            out[1, k] = (a * mu - xs) / sig2
            out[2, k] = -1.0 / sig2 + a * a * var / (sig2 * sig2)
        return Evolution(out[0], out[1], out[2])

    def score(self, tau: float, x: np.ndarray) -> np.ndarray:
        r"""Score :math:`\partial_x \log p_\tau(x)` at flat ``x`` (OU time ``tau``)."""
        return self.evolve(tau, x).score[0]

    def dscore(self, tau: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial_x^2 \log p_\tau(x)` at flat ``x`` (OU time ``tau``)."""
        return self.evolve(tau, x).dscore[0]

    def book_score(self, t: float, x: np.ndarray) -> np.ndarray:
        r"""Score in the library's convention: book time :math:`t = \tau/2`, ``x`` of shape ``(n, 1)`` or
        ``(n,)`` (the shape is kept), for :mod:`sgmbook.samplers`."""
        arr = np.asarray(x, dtype=float)
        s = self.score(2.0 * float(t), arr.reshape(-1))
        return s.reshape(arr.shape)

    def heat(self, s: float, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""Heat picture: :math:`(\log\bar p, \partial_y \log\bar p, \partial_y^2 \log\bar p)` at heat time
        :math:`s \in (0, 1)` and points ``y``, where :math:`\bar p = e^{-g} * N(0, s)` and
        :math:`g = -\ell - z^2/2` with :math:`\ell` the normalised log-density.

        Uses :math:`\log\bar p(s, y) = \log p_\tau(x) + x^2/2`, :math:`y = a x`, :math:`\tau = -\log(1 - s)`,
        :math:`a = \sqrt{1 - s}`.
        """
        s = v.positive("s", s)
        if s >= 1:
            raise ValueError(f"s (heat time) must lie in (0, 1), got {s}")
        ys = v.finite_array("y", y, ndim=1)
        tau = float(-np.log1p(-s))
        a = float(np.sqrt(1.0 - s))
        xs = ys / a
        ev = self.evolve(tau, xs)
        return ev.logp[0] + 0.5 * xs * xs, (ev.score[0] + xs) / a, (ev.dscore[0] + 1.0) / (a * a)


# ---------------------------------------------------------------------- constructors
def bump_flow(M: float, *, h: float = 0.05, margin: float = 12.0, **kw) -> HeatFlow1D:
    r"""OU flow of :math:`p_0 \propto \exp(-g_M(x) - x^2/2)` (:mod:`sgmbook.bump`) on
    :math:`[-4M - \text{margin}, 4M + \text{margin}]`, the kinks :math:`\pm M, \pm 3M, \pm 4M` on grid nodes.

    The grid step is the largest :math:`\le h` of the form :math:`M / k`; the margin is in units of
    :math:`x` beyond the bump (:math:`p_0` is Gaussian there, mass beyond the margin is
    :math:`\lesssim e^{-(4M + \text{margin})^2/2}` relative).  Evaluate only where the posterior stays
    inside the grid: heat variable :math:`|y| = e^{-\tau/2}|x| \le 4M + \text{margin} - 9` keeps the
    posterior (width :math:`\le 1` in :math:`y` beyond the bump) nine widths from the edge.
    """
    M = v.positive("M", M)
    h = v.positive("h", h)
    margin = v.positive("margin", margin, allow_zero=True)
    k = int(np.ceil(M / h))
    step = M / k
    n_half = 4 * k + int(np.ceil(margin / step))
    z = step * np.arange(-n_half, n_half + 1)
    return HeatFlow1D(z, bump_log_density(z, M), **kw)


def multi_bump_flow(Ms: np.ndarray, centres: np.ndarray, *, h: float = 0.05, margin: float = 12.0,
                    **kw) -> HeatFlow1D:
    r"""OU flow of :math:`p_0 \propto \exp(-\sum_k g_{M_k}(x - x_k) - x^2/2)` on a grid covering every bump
    plus ``margin``.  Kinks fall on nodes when all :math:`M_k` and :math:`x_k` are integer multiples of
    the step (e.g. integers with ``h = 1/n``)."""
    Ms = v.finite_array("Ms", Ms, ndim=1)
    centres = v.finite_array("centres", centres, ndim=1)
    h = v.positive("h", h)
    lo = float(np.min(centres - 4 * Ms) - margin)
    hi = float(np.max(centres + 4 * Ms) + margin)
    lo = min(lo, -margin)
    hi = max(hi, margin)
    n = int(np.ceil((hi - lo) / h))
    z = lo + h * np.arange(n + 1)
    ell = -multi_bump_potential(z, Ms, centres) - 0.5 * z * z
    return HeatFlow1D(z, ell, **kw)


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
    out = np.empty((Ms.size, taus.size))
    for i, M in enumerate(Ms):
        y_max = 5 * M + y_extra
        flow = bump_flow(float(M), h=h, margin=max(12.0, y_max - 4 * M + 9.0))
        ys = np.linspace(-y_max, y_max, n_x)
        for k, tau in enumerate(taus):
            xs = ys * np.exp(0.5 * tau)
            out[i, k] = flow.dscore(float(tau), xs).max()
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
