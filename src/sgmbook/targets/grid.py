r"""1-D targets tabulated on a grid: :class:`Grid1D` and the quartic family.

For any density :math:`p_0` the OU marginal is :math:`p_t(x) = \int p_0(y)\, \varphi_{\sigma_t}(x - m_t y)\,dy`
and, by Tweedie's formulas,

.. math:: \nabla \log p_t(x) = \frac{m_t\, E[X_0 \mid X_t = x] - x}{\sigma_t^2}, \qquad
          \partial_x^2 \log p_t(x) = -\frac{1}{\sigma_t^2} + \frac{m_t^2}{\sigma_t^4}\,
          \mathrm{Var}(X_0 \mid X_t = x).
"""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from .. import _validate as v
from .. import ou
from .._numerics import log_trapezoid_weights
from ._posterior import gaussian_kernel_moments, tabulated_log_density
from ._points import points as _points

__all__ = ["Grid1D", "quartic_target"]


class Grid1D:
    r"""A 1-D target given by its (unnormalised) log-density on a uniform grid.

    The target is the density :math:`p_0 \propto e^{\ell}` on ``[y[0], y[-1]]``, with ``ell`` tabulated
    on the grid ``y`` and treated as zero outside it.  For ``t > 0`` the law of :math:`X_t` and its score
    come from the posterior of :math:`X_0` given :math:`X_t = x`, integrated over the grid by the
    trapezoid rule with log-sum-exp weights:

    .. math:: \log p_t(x) = \log \sum_j w_j\, e^{\ell(y_j) - (x - m_t y_j)^2 / (2\sigma_t^2)}
              - \tfrac12 \log(2\pi\sigma_t^2) - \log Z_0,

    and the Tweedie formulas of the module docstring.  The trapezoid rule is spectrally accurate
    while the posterior width in ``y``, :math:`\sigma_t / m_t`, is at least the grid step; smaller
    positive times raise ``ValueError``.  At ``t = 0`` the tabulated values are interpolated and
    differentiated by second-order finite differences.
    """

    def __init__(self, y: np.ndarray, log_density: np.ndarray, *, chunk: int = 2_000_000):
        y, step, ell = tabulated_log_density("y", y, log_density)
        self.y = y
        self.dy = step
        self.dim = 1
        lw = log_trapezoid_weights(y.size, step)
        self._log_w = lw
        self.log_z = float(logsumexp(ell + lw))
        if not np.isfinite(self.log_z):
            raise ValueError("log_density must be finite somewhere")
        self.log_density = ell - self.log_z  # normalised on the grid
        self._chunk = int(chunk)

    def __repr__(self) -> str:
        return f"Grid1D(n={self.y.size}, y in [{self.y[0]:g}, {self.y[-1]:g}])"

    def min_time(self) -> float:
        r"""Smallest positive forward time the quadrature accepts: :math:`\sigma_t / m_t = \Delta y`."""
        # sigma_t / m_t = sqrt(e^{2t} - 1) = dy  <=>  t = log(1 + dy^2) / 2
        return 0.5 * float(np.log1p(self.dy ** 2))

    def posterior_moments(self, t: float, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""``(log p_t(x), E[X_0 | X_t = x], Var(X_0 | X_t = x))`` for flat ``x``, by quadrature."""
        xs = v.finite_array("x", x, ndim=1)
        m, s2 = ou.coefficients(t)
        if s2 == 0.0:
            raise ValueError("t must be > 0 for posterior moments")
        if t < self.min_time() * (1 - 1e-12):
            raise ValueError(f"t={t:g} is below the grid's resolution: t must be >= {self.min_time():.3g} "
                             f"(refine y or stop earlier)")
        base = self.log_density + self._log_w
        rows = max(1, self._chunk // self.y.size)
        return gaussian_kernel_moments(base, self.y, m, s2, xs, rows)

    def logpdf(self, t: float, x: np.ndarray) -> np.ndarray:
        """Log-density of :math:`p_t` at flat ``x`` (or ``(n, 1)``)."""
        t = v.positive("t", t, allow_zero=True)
        pts, _ = _points(x, 1)
        if float(t) == 0.0:
            return np.interp(pts[:, 0], self.y, self.log_density, left=-np.inf, right=-np.inf)
        return self.posterior_moments(t, pts[:, 0])[0]

    def score(self, t: float, x: np.ndarray) -> np.ndarray:
        r"""Score :math:`(m_t E[X_0|x] - x)/\sigma_t^2`; at ``t = 0`` the finite-difference derivative."""
        pts, flat = _points(x, 1)
        xs = pts[:, 0]
        m, s2 = ou.coefficients(t)
        if s2 == 0.0:
            out = np.interp(xs, self.y, np.gradient(self.log_density, self.dy))
        else:
            _, mean, _ = self.posterior_moments(t, xs)
            out = (m * mean - xs) / s2
        return out if flat else out[:, None]

    def hessian_logp(self, t: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial_x^2 \log p_t(x) = -1/\sigma_t^2 + m_t^2 \mathrm{Var}(X_0|x)/\sigma_t^4`."""
        pts, flat = _points(x, 1)
        xs = pts[:, 0]
        m, s2 = ou.coefficients(t)
        if s2 == 0.0:
            d1 = np.gradient(self.log_density, self.dy)
            out = np.interp(xs, self.y, np.gradient(d1, self.dy))
        else:
            _, _, var = self.posterior_moments(t, xs)
            out = -1.0 / s2 + m * m * var / (s2 * s2)
        return out if flat else out[:, None]

    def moments(self) -> tuple[float, float]:
        """Mean and variance of :math:`p_0` (trapezoid rule)."""
        w = np.exp(self.log_density + self._log_w)
        mean = float(w @ self.y)
        return mean, float(w @ (self.y - mean) ** 2)

    def cdf(self) -> np.ndarray:
        """CDF of :math:`p_0` at the grid points (trapezoid rule, ends at exactly 1)."""
        p = np.exp(self.log_density)
        c = np.concatenate([[0.0], np.cumsum(0.5 * (p[1:] + p[:-1]) * self.dy)])
        return c / c[-1]

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws of :math:`X_0` by inverting the piecewise-linear CDF, shape ``(n, 1)``."""
        n = v.positive_int("n", n)
        rng = v.rng(rng)
        c = self.cdf()
        keep = np.concatenate([[True], np.diff(c) > 0])
        return np.interp(rng.random(n), c[keep], self.y[keep])[:, None]


def quartic_target(a: float, y: np.ndarray) -> Grid1D:
    r"""The target :math:`p_0 \propto \exp(-a x^2/2 - x^4/4)` tabulated on ``y``.

    :math:`-\partial_x^2 \log p_0 = a + 3x^2`, so its strong log-concavity constant is exactly ``a``
    (attained at 0).
    """
    a = v.positive("a", a)
    y = v.finite_array("y", y, ndim=1)
    return Grid1D(y, -0.5 * a * y * y - 0.25 * y ** 4)
