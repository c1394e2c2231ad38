r"""1-D densities evolved by the OU flow with windowed quadrature: :class:`HeatFlow1D` and the bump flows.

Book time :math:`t` (:mod:`sgmbook.ou`): :math:`X_t = a X_0 + \sigma Z`, :math:`a = e^{-t}`,
:math:`\sigma^2 = 1 - e^{-2t}`.  Mooney et al.'s OU time is :math:`\tau = 2t` and their heat time
:math:`s = \sigma^2`; convert with :func:`sgmbook.ou.from_mooney_time` / :func:`sgmbook.ou.from_heat_time`.

For a density :math:`p_0 \propto e^{\ell}` tabulated on a uniform grid ``z`` (zero outside it) the
posterior of :math:`X_0` given :math:`X_t = x` has log-weights :math:`\ell(z) - (x - a z)^2 / (2 \sigma^2)`,
and (Tweedie; derived in the book)

.. math:: \partial_x \log p_t(x) = \frac{a\,E[X_0 \mid x] - x}{\sigma^2}, \qquad
          \partial_x^2 \log p_t(x) = -\frac{1}{\sigma^2} + \frac{a^2}{\sigma^4}\,\mathrm{Var}(X_0 \mid x).

Heat picture (after Mooney et al.; the change of variables is derived in the book): with
:math:`g = -\ell - z^2/2`, heat time :math:`s = 1 - e^{-2t}` and :math:`y = a x`,

.. math:: p_t(x) = e^{-x^2/2}\, \bar p(s, y), \qquad \bar p(s, \cdot) = e^{-g} * N(0, s),
          \qquad \partial_s \bar p = \tfrac12 \partial_y^2 \bar p,

so :math:`\partial_x^2 \log p_t(x) = -1 + e^{-2t} (\log \bar p)_{yy}(s, a x)`.

Speed: the sums are the trapezoid rule on the grid (the posterior-moment code of
:class:`~sgmbook.targets.Grid1D`, in ``sgmbook.targets._posterior``),
but each block of evaluation points only visits the grid nodes whose log-weight can come within
``cutoff`` of the row maximum.  The window is found rigorously: the grid is cut into cells, the row
maximum is bounded below by the values at the cell corners and each cell's log-weights are bounded
above by (max of :math:`\ell` on the cell) minus (smallest Gaussian penalty on the cell).  Dropped
nodes carry relative weight below :math:`n e^{-\text{cutoff}}`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import logsumexp

from .. import _validate as v
from .. import ou
from .._numerics import log_trapezoid_weights
from ._posterior import gaussian_kernel_moments, tabulated_log_density
from ..bump import bump_log_density, multi_bump_potential

__all__ = ["Evolution", "HeatFlow1D", "bump_flow", "multi_bump_flow"]


class Evolution(NamedTuple):
    """Arrays of shape ``(n_t, n_x)``: :math:`\\log p_t(x)`, the score and its x-derivative
    :math:`\\partial_x^2 \\log p_t(x)`."""

    logp: np.ndarray
    score: np.ndarray
    hessian_logp: np.ndarray


def _coefficients(t: float) -> tuple[float, float]:
    t = v.positive("t", t)
    return ou.coefficients(t)


class HeatFlow1D:
    r"""OU evolution of a 1-D density :math:`p_0 \propto e^{\ell}` tabulated on a uniform grid.

    Parameters
    ----------
    z
        Uniform increasing grid (at least 3 nodes).
    log_density
        :math:`\ell` on ``z`` (unnormalised; ``-inf`` marks zero density).
    cutoff
        Log-weight gap below the row maximum beyond which nodes are skipped (at least 20).
    block
        Number of evaluation points sharing one window.

    Notes
    -----
    Place the kinks of a piecewise-smooth :math:`\ell` on grid nodes: the trapezoid rule then keeps
    fourth-order accuracy for :math:`C^{1,1}` data (Euler-Maclaurin on each smooth piece).  As in
    :class:`sgmbook.targets.grid.Grid1D`, :math:`p_0` is zero off the grid: evaluate only at points
    whose posterior stays well inside it.
    """

    def __init__(self, z: np.ndarray, log_density: np.ndarray, *, cutoff: float = 46.0, block: int = 32):
        z, step, ell = tabulated_log_density("z", z, log_density)
        cutoff = v.positive("cutoff", cutoff)
        if cutoff < 20:
            raise ValueError(f"cutoff must be >= 20 (log-weight gap), got {cutoff}")
        self.block = v.positive_int("block", block)
        self.cutoff = cutoff
        self.z = z
        self.h = step
        self.dim = 1
        lw = log_trapezoid_weights(z.size, step)
        self.log_z = float(logsumexp(ell + lw))
        if not np.isfinite(self.log_z):
            raise ValueError("log_density must be finite somewhere")
        self.log_density = ell - self.log_z
        self._base = self.log_density + lw

    def __repr__(self) -> str:
        return f"HeatFlow1D(n={self.z.size}, z in [{self.z[0]:g}, {self.z[-1]:g}], h={self.h:g})"

    def min_time(self) -> float:
        r"""Smallest book time accepted: posterior width :math:`\sigma_t/m_t = \sqrt{e^{2t} - 1}` equal to the
        grid step."""
        return 0.5 * float(np.log1p(self.h ** 2))

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
    def posterior_moments(self, t: float, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""``(log p_t(x), E[X_0 | X_t = x], Var(X_0 | X_t = x))`` at flat ``x``, book time ``t``."""
        xs = v.finite_array("x", x, ndim=1)
        a, sig2 = _coefficients(t)
        if np.sqrt(sig2) / a < self.h * (1 - 1e-12):
            raise ValueError(f"t={t:g} is below the grid's resolution: t must be >= {self.min_time():.3g} "
                             "(refine z or stop earlier)")
        order = np.argsort(xs, kind="stable")
        xo = xs[order]
        lo, hi = self._windows(a, sig2, xo)
        logp, mean, var = gaussian_kernel_moments(self._base, self.z, a, sig2, xo, self.block, lo, hi)
        out = np.empty((3, xs.size))
        out[0, order], out[1, order], out[2, order] = logp, mean, var
        return out[0], out[1], out[2]

    def posterior_density(self, t: float, x: float) -> np.ndarray:
        r"""Density on the nodes ``z`` of :math:`X_0` given :math:`X_t = x` (book time ``t``):
        :math:`\propto e^{\ell(z) - (x - m_t z)^2 / (2 \sigma_t^2)}`, normalised by the trapezoid rule."""
        a, sig2 = _coefficients(t)
        x = float(v.finite_array("x", x, ndim=0))
        e = self.log_density - (x - a * self.z) ** 2 / (2 * sig2)
        e -= logsumexp(e + self._base - self.log_density)
        return np.exp(e)

    def evolve(self, times: np.ndarray | float, x: np.ndarray) -> Evolution:
        r""":math:`\log p_t(x)`, :math:`\partial_x \log p_t` and :math:`\partial_x^2 \log p_t` for every book
        time in ``times`` (rows) and point in ``x`` (columns), by the Tweedie formulas above."""
        ts = np.atleast_1d(v.finite_array("times", times))
        if ts.ndim != 1 or np.any(ts <= 0):
            raise ValueError("times must be a 1-D array of book times > 0")
        xs = v.finite_array("x", x, ndim=1)
        out = np.empty((3, ts.size, xs.size))
        for k, t in enumerate(ts):
            a, sig2 = _coefficients(float(t))
            lp, mu, var = self.posterior_moments(float(t), xs)
            out[0, k] = lp
            out[1, k] = (a * mu - xs) / sig2
            out[2, k] = -1.0 / sig2 + a * a * var / (sig2 * sig2)
        return Evolution(out[0], out[1], out[2])

    def logpdf(self, t: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\log p_t(x)` at book time ``t > 0``, with the shape of ``x`` (``(n,)`` or ``(n, 1)``)."""
        t = v.positive("t", t)
        arr = v.finite_array("x", x, ndim=(1, 2))
        return self.evolve(t, arr.reshape(-1)).logp[0].reshape(arr.shape[:1])

    def score(self, t: float, x: np.ndarray) -> np.ndarray:
        r"""Score :math:`\partial_x \log p_t(x)` at book time ``t > 0``, with the shape of ``x``."""
        t = v.positive("t", t)
        arr = v.finite_array("x", x, ndim=(1, 2))
        return self.evolve(t, arr.reshape(-1)).score[0].reshape(arr.shape)

    def hessian_logp(self, t: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial_x^2 \log p_t(x)` at book time ``t > 0``, with the shape of ``x``."""
        t = v.positive("t", t)
        arr = v.finite_array("x", x, ndim=(1, 2))
        return self.evolve(t, arr.reshape(-1)).hessian_logp[0].reshape(arr.shape)

    def heat(self, s: float, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""Heat picture: :math:`(\log\bar p, \partial_y \log\bar p, \partial_y^2 \log\bar p)` at heat time
        :math:`s \in (0, 1)` and points ``y``, where :math:`\bar p = e^{-g} * N(0, s)` and
        :math:`g = -\ell - z^2/2` with :math:`\ell` the normalised log-density.

        Uses :math:`\log\bar p(s, y) = \log p_t(x) + x^2/2`, :math:`y = a x`, :math:`t = -\tfrac12\log(1 - s)`,
        :math:`a = \sqrt{1 - s}`.
        """
        s = v.positive("s", s)
        if s >= 1:
            raise ValueError(f"s (heat time) must lie in (0, 1), got {s}")
        ys = v.finite_array("y", y, ndim=1)
        t = ou.from_heat_time(s)
        a = float(np.sqrt(1.0 - s))
        xs = ys / a
        ev = self.evolve(t, xs)
        return ev.logp[0] + 0.5 * xs * xs, (ev.score[0] + xs) / a, (ev.hessian_logp[0] + 1.0) / (a * a)


# ---------------------------------------------------------------------- constructors
def bump_flow(M: float, *, h: float = 0.05, margin: float = 12.0, **kw) -> HeatFlow1D:
    r"""OU flow of :math:`p_0 \propto \exp(-g_M(x) - x^2/2)` (``sgmbook.bump``) on
    :math:`[-4M - \text{margin}, 4M + \text{margin}]`, the kinks :math:`\pm M, \pm 3M, \pm 4M` on grid nodes.

    The grid step is the largest :math:`\le h` of the form :math:`M / k`; the margin is in units of
    :math:`x` beyond the bump (:math:`p_0` is Gaussian there, mass beyond the margin is
    :math:`\lesssim e^{-(4M + \text{margin})^2/2}` relative).  Evaluate only where the posterior stays
    inside the grid: heat variable :math:`|y| = e^{-t}|x| \le 4M + \text{margin} - 9` keeps the
    posterior (width :math:`\le 1` in :math:`y` beyond the bump) nine widths from the edge.
    """
    M = v.positive("M", M)
    h = v.positive("h", h)
    margin = v.positive("margin", margin, allow_zero=True)
    v.allocation(2 * (4 * M + margin) / min(h, M), f"bump_flow(M={M:g}, h={h:g}, margin={margin:g}) (its grid z)")
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
    margin = v.positive("margin", margin)
    if np.any(Ms <= 0):
        raise ValueError(f"Ms must be > 0, got min {float(Ms.min())!r}")
    lo = float(np.min(centres - 4 * Ms) - margin)
    hi = float(np.max(centres + 4 * Ms) + margin)
    lo = min(lo, -margin)
    hi = max(hi, margin)
    v.allocation((hi - lo) / h, f"multi_bump_flow(h={h:g}) (its grid z)")
    n = int(np.ceil((hi - lo) / h))
    if n < 2:
        raise ValueError(f"h = {h:g} must be below (hi - lo)/2 = {(hi - lo) / 2:g} (a grid of at least 3 nodes)")
    z = lo + h * np.arange(n + 1)
    ell = -multi_bump_potential(z, Ms, centres) - 0.5 * z * z
    return HeatFlow1D(z, ell, **kw)
