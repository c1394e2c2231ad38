r"""Data on low-dimensional compact sets: exact heat-evolved densities, scores and Hessians.

For a probability measure :math:`\pi_0` supported on a compact set :math:`D_0 \subset \mathbb R^n`,
the heat flow :math:`\bar p(s, x) = \int (2\pi s)^{-n/2} e^{-|x - y|^2/(2s)}\,d\pi_0(y)` is smooth for
:math:`s > 0`, and (second-order Tweedie formula)

.. math:: \nabla^2 \log \bar p(s, x) = -\frac{I}{s} + \frac{\mathrm{Cov}(Y \mid x)}{s^2}, \qquad
          \pi(dy \mid x) \propto e^{-|x - y|^2/(2s)}\,\pi_0(dy).

Mooney et al. (arXiv 2405.16104, Section 3 of the submission) bound :math:`D^2 \bar q = -\nabla^2\log\bar p`
in this setting (their transform applies the heat flow to :math:`\pi_0 e^{|y|^2/2}`, which has the
same support; the book uses :math:`\pi_0` itself).  Since the posterior lives on :math:`D_0`,
:math:`0 \preceq \mathrm{Cov} \preceq M^2 I` with :math:`M` the radius of :math:`D_0`, which gives the
crude bound :func:`sgmbook.bounds.mooney.crude_bound` (derived in the book).

The book's forward OU process :math:`X_t = e^{-t} X_0 + \sigma_t Z` (:mod:`sgmbook.ou`) has law
:math:`p_t = ` heat flow at heat time :math:`\sigma_t^2 = 1 - e^{-2t}` of the *scaled* set
:math:`e^{-t} D_0`.  Each target therefore offers heat-flow methods ``logpdf_heat(s, x)``,
``grad_heat(s, x)``, ``hess_heat(s, x)`` and, through that identity, the OU quantities
``logpdf(t, x)``, ``score(t, x)``, ``hessian_logp(t, x)`` of the target contract.

Closed forms, all evaluated in log space so that they stay finite for small ``s``:

* :class:`UniformInterval` -- uniform on :math:`[-a, a]`:
  :math:`\bar p = \frac{1}{2a}[\Phi(u) - \Phi(v)]`, :math:`u = (a - x)/\sqrt s`, :math:`v = (-a - x)/\sqrt s`;
* :class:`TwoAtoms` -- :math:`\tfrac12(\delta_{-a} + \delta_a)`:
  :math:`\partial_x^2 \log \bar p = -1/s + (a/s)^2\,\mathrm{sech}^2(a x / s)`;
* :class:`UniformCircle` -- uniform on the circle of radius :math:`a` in :math:`\mathbb R^2`:
  :math:`\bar p = (2\pi s)^{-1} e^{-(r - a)^2/(2s)}\,\mathrm{ive}_0(a r / s)` (Bessel functions);
* :func:`discrete_hessian` -- any weighted point cloud in :math:`\mathbb R^n` (quadrature check);
* :func:`arc_points` -- quadrature nodes of the uniform law on a union of circular arcs (for instance three
  symmetric arcs, whose ridge is Y-shaped).
"""
from __future__ import annotations

import numpy as np
from scipy.special import erfcx, ive, log_ndtr, logsumexp

from .. import _validate as v
from .. import ou
from .._numerics import LOG_2PI

__all__ = ["UniformInterval", "TwoAtoms", "UniformCircle", "discrete_hessian", "arc_points"]



# The heat time s may go down to 1e-12 and |x| up to 1e4 (the package's documented extremes); the closed
# forms below stay accurate there (log space, one-sided expansions, asymptotic Bessel ratios).
S_MIN = 1e-300
T_MAX = 700.0


def _heat_time(s) -> float:
    return v.positive("s", s)


def _ou(t) -> tuple[float, float]:
    t = v.positive("t", t)
    if t > T_MAX:
        raise ValueError(f"t must be in (0, {T_MAX:g}] (beyond it e^-t underflows), got {t!r}")
    return ou.coefficients(t)


# Large-z forms of the scaled Bessel functions (Abramowitz-Stegun 9.7.1): scipy's ive overflows to NaN
# beyond z ~ 2e9.  Used for z > Z_ASYMPTOTIC, where the next terms are below 1e-30 relative.
Z_ASYMPTOTIC = 1e7


def _log_ive0(z: np.ndarray) -> np.ndarray:
    r""":math:`\log(e^{-z} I_0(z))`, accurate for all z >= 0."""
    big = z > Z_ASYMPTOTIC
    zb = np.where(big, z, 1.0)
    series = -0.5 * np.log(2.0 * np.pi * zb) + np.log1p(1.0 / (8.0 * zb) + 9.0 / (128.0 * zb ** 2))
    with np.errstate(divide="ignore"):
        direct = np.log(ive(0, np.where(big, 0.0, z)))
    return np.where(big, series, direct)


def _bessel_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""``(R, R/z, 1 - R/z - R^2)`` with :math:`R = I_1(z)/I_0(z)`: series at small z, the ratio of
    scaled Bessel functions in between, asymptotic series
    :math:`1 - R/z - R^2 = 1/(2z^2) + 1/(4z^3) + 3/(8z^4) + O(z^{-5})` at large z (no cancellation)."""
    big = z > 1e4
    mid = np.where(big | (z < 1e-8), 1.0, z)
    R_mid = ive(1, mid) / ive(0, mid)
    zb = np.where(big, z, 1e4)
    R_big = 1.0 - 1.0 / (2.0 * zb) - 1.0 / (8.0 * zb ** 2) - 1.0 / (8.0 * zb ** 3)
    small = z < 1e-8
    R = np.where(big, R_big, np.where(small, 0.5 * z, R_mid))
    R_over_z = np.where(small, 0.5 - z * z / 16.0, R / np.where(small, 1.0, z))
    V_big = 1.0 / (2.0 * zb ** 2) + 1.0 / (4.0 * zb ** 3) + 3.0 / (8.0 * zb ** 4)
    V = np.where(big, V_big, 1.0 - R_over_z - R * R)
    return R, R_over_z, V


def _flat(x) -> tuple[np.ndarray, bool]:
    arr = v.finite_array("x", x, ndim=(1, 2))
    if arr.ndim == 2:
        if arr.shape[1] != 1:
            raise ValueError(f"x must have shape (n,) or (n, 1), got {arr.shape}")
        return arr[:, 0], True
    return arr, False


class _HeatTarget:
    """A set of size ``a`` (half-width or radius) and the OU wrappers shared by all such sets: OU quantities
    are heat quantities of the set scaled by e^{-t}, at heat time s = sigma_t^2."""

    radius: float

    def __init__(self, a: float = 1.0):
        self.a = v.positive("a", a)
        self.radius = self.a

    def __repr__(self) -> str:
        return f"{type(self).__name__}(a={self.a:g})"

    def scaled(self, m: float):
        """The set scaled by ``m > 0`` (size ``m a``)."""
        m = v.positive("m", m)
        if m * self.a == 0 or not np.isfinite(m * self.a):
            raise ValueError(f"m * a must be a positive finite number, got m = {m!r} with a = {self.a!r}")
        return type(self)(m * self.a)

    def logpdf(self, t: float, x: np.ndarray) -> np.ndarray:
        r"""Log-density of the OU marginal :math:`p_t` (book clock, ``t > 0``)."""
        m, s2 = _ou(t)
        return self.scaled(m).logpdf_heat(s2, x)

    def score(self, t: float, x: np.ndarray) -> np.ndarray:
        r"""Exact score :math:`\nabla \log p_t` of the OU marginal (book clock, ``t > 0``)."""
        m, s2 = _ou(t)
        return self.scaled(m).grad_heat(s2, x)


class _SymmetricSet1D(_HeatTarget):
    """A 1-D set symmetric about 0 with half-width ``a``; scaling by ``m`` gives half-width ``m a``."""

    dim = 1

    def hess_heat(self, s: float, x: np.ndarray) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def hessian_norm(self, s: float, x: np.ndarray) -> np.ndarray:
        """:math:`|\\partial_x^2 \\log \\bar p(s, x)|` at flat ``x``."""
        return np.abs(self.hess_heat(s, _flat(x)[0]))

    def hessian_logp(self, t: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial_x^2 \log p_t` of the OU marginal (book clock), with the shape of ``x``."""
        m, s2 = _ou(t)
        return self.scaled(m).hess_heat(s2, x)


class UniformInterval(_SymmetricSet1D):
    r"""Uniform distribution on :math:`[-a, a] \subset \mathbb R` (a 1-D manifold with boundary)."""

    def _parts(self, s: float, x: np.ndarray):
        # by symmetry work with |x|: then u = (a - |x|)/sqrt(s) > w = (-a - |x|)/sqrt(s), w < 0, and
        # Z = Phi(u) - Phi(w) = Phi(u) (1 - rho), rho = Phi(w)/Phi(u) < 1.  The ratios
        # phi(.)/Phi(.) are sqrt(2/pi)/erfcx(-./sqrt 2), accurate far outside the interval as well.
        rs = np.sqrt(s)
        ax = np.abs(x)
        u = (self.a - ax) / rs
        w = (-self.a - ax) / rs
        lu, lw = log_ndtr(u), log_ndtr(w)
        log_rho = np.minimum(lw - lu, -1e-300)
        one_minus_rho = -np.expm1(log_rho)
        logz = lu + np.log(one_minus_rho)
        with np.errstate(over="ignore"):
            mills_u = np.sqrt(2.0 / np.pi) / erfcx(-u / np.sqrt(2.0))
            mills_w = np.sqrt(2.0 / np.pi) / erfcx(-w / np.sqrt(2.0))
        ru = mills_u / one_minus_rho               # phi(u) / Z
        rw = mills_w * np.exp(log_rho) / one_minus_rho  # phi(w) / Z
        return rs, u, w, logz, ru, rw, np.sign(x)

    def logpdf_heat(self, s: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\log \bar p(s, x) = \log[\Phi(u) - \Phi(v)] - \log(2a)`."""
        s = _heat_time(s)
        xs, _ = _flat(x)
        return self._parts(s, xs)[3] - np.log(2.0 * self.a)

    def grad_heat(self, s: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial_x \log \bar p = -(\varphi(u) - \varphi(v)) / (\sqrt s\,[\Phi(u) - \Phi(v)])`."""
        s = _heat_time(s)
        xs, col = _flat(x)
        rs, _, _, _, ru, rw, sign = self._parts(s, xs)
        out = -sign * (ru - rw) / rs
        return out[:, None] if col else out

    def hess_heat(self, s: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial_x^2 \log \bar p = -[u\,r_u - v\,r_v + (r_u - r_v)^2]/s`,
        :math:`r_u = \varphi(u)/[\Phi(u) - \Phi(v)]` (a truncated-normal variance in disguise)."""
        s = _heat_time(s)
        xs, col = _flat(x)
        _, u, w, _, ru, rw, _ = self._parts(s, xs)
        out = -(u * ru - w * rw + (ru - rw) ** 2) / s
        # far outside (u -> -inf, the far end negligible) the truncated-normal variance
        # 1 - (u r_u + r_u^2) cancels: use its expansion 1/u^2 - 6/u^4 + 50/u^6 - 518/u^8 there
        far = (u < -1e3) & (rw < 1e-17 * ru)
        if np.any(far):
            iu2 = 1.0 / np.where(far, u, -1e3) ** 2
            var = iu2 * (1.0 - iu2 * (6.0 - iu2 * (50.0 - 518.0 * iu2)))
            out = np.where(far, -(1.0 - var) / s, out)
        return out[:, None] if col else out


    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws, shape ``(n, 1)``."""
        n = v.positive_int("n", n)
        rng = v.rng(rng)
        return rng.uniform(-self.a, self.a, size=(n, 1))

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """Quantile function :math:`F^{-1}(u) = a(2u - 1)`."""
        u = v.finite_array("u", u)
        if np.any((u < 0) | (u > 1)):
            raise ValueError("u must lie in [0, 1]")
        return self.a * (2.0 * u - 1.0)


class TwoAtoms(_SymmetricSet1D):
    r""":math:`\tfrac12(\delta_{-a} + \delta_{a})` on :math:`\mathbb R` (a 0-dimensional manifold);
    the ridge (points with two nearest points of the support) is :math:`\{0\}`."""

    def logpdf_heat(self, s: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\log \bar p = -\frac{x^2 + a^2}{2s} + \log\cosh\frac{a x}{s} - \tfrac12 \log(2\pi s)`,
        with :math:`\log\cosh z = |z| + \log(1 + e^{-2|z|}) - \log 2`."""
        s = _heat_time(s)
        xs, _ = _flat(x)
        z = np.abs(self.a * xs / s)
        logcosh = z + np.log1p(np.exp(-2.0 * z)) - np.log(2.0)
        return -(xs * xs + self.a ** 2) / (2.0 * s) + logcosh - 0.5 * (np.log(s) + LOG_2PI)

    def grad_heat(self, s: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial_x \log \bar p = -x/s + (a/s)\tanh(a x/s)`."""
        s = _heat_time(s)
        xs, col = _flat(x)
        out = -xs / s + (self.a / s) * np.tanh(self.a * xs / s)
        return out[:, None] if col else out

    def hess_heat(self, s: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial_x^2 \log \bar p = -1/s + (a/s)^2 \mathrm{sech}^2(a x/s)`, with
        :math:`\mathrm{sech}^2 z = 4 e^{-2|z|}/(1 + e^{-2|z|})^2`."""
        s = _heat_time(s)
        xs, col = _flat(x)
        e = np.exp(-2.0 * np.abs(self.a * xs / s))
        out = -1.0 / s + (self.a / s) ** 2 * 4.0 * e / (1.0 + e) ** 2
        return out[:, None] if col else out


class UniformCircle(_HeatTarget):
    r"""Uniform distribution on the circle :math:`\{|y| = a\} \subset \mathbb R^2`; the ridge is the centre.

    With :math:`r = |x|`, :math:`z = a r / s` and :math:`R(z) = I_1(z)/I_0(z)` (computed as
    ``ive(1, z) / ive(0, z)``), :math:`\log\bar p` is radial with

    .. math:: f'(r) = -\frac{r}{s} + \frac{a}{s} R(z), \qquad
              f''(r) = -\frac1s + \frac{a^2}{s^2}\Bigl(1 - \frac{R(z)}{z} - R(z)^2\Bigr),

    and the Hessian has eigenvalue :math:`f''(r)` along :math:`x/r` and :math:`f'(r)/r` across it
    (both equal :math:`-1/s + a^2/(2 s^2)` at the centre, where :math:`R(z)/z \to 1/2`).
    """

    dim = 2


    @staticmethod
    def _points(x) -> np.ndarray:
        arr = v.finite_array("x", x, ndim=2)
        if arr.shape[1] != 2:
            raise ValueError(f"x must have shape (n, 2), got {arr.shape}")
        return arr

    def _radial(self, s: float, r: np.ndarray):
        z = self.a * r / s
        R, R_over_z, V = _bessel_parts(z)
        fp_over_r = -1.0 / s + (self.a / s) ** 2 * R_over_z
        # (a/s)^2 V = V z^2 / r^2, finite where (a/s)^2 alone would overflow
        fpp = -1.0 / s + np.where(z > 1e4, V * z * z / np.where(r > 0, r, 1.0) ** 2, (self.a / s) ** 2 * V)
        return z, None, fp_over_r, fpp

    def logpdf_heat(self, s: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\log \bar p = -\log(2\pi s) - (r - a)^2/(2s) + \log \mathrm{ive}_0(a r/s)`."""
        s = _heat_time(s)
        pts = self._points(x)
        r = np.hypot(pts[:, 0], pts[:, 1])
        z = self.a * r / s
        return -np.log(2.0 * np.pi * s) - (r - self.a) ** 2 / (2.0 * s) + _log_ive0(z)

    def grad_heat(self, s: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\nabla \log \bar p = (f'(r)/r)\,x`, shape ``(n, 2)``."""
        s = _heat_time(s)
        pts = self._points(x)
        r = np.hypot(pts[:, 0], pts[:, 1])
        return self._radial(s, r)[2][:, None] * pts

    def eigenvalues_heat(self, s: float, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(radial, tangential)`` eigenvalues :math:`(f''(r), f'(r)/r)` of :math:`\\nabla^2 \\log \\bar p`."""
        s = _heat_time(s)
        pts = self._points(x)
        r = np.hypot(pts[:, 0], pts[:, 1])
        _, _, tang, rad = self._radial(s, r)
        return rad, tang

    def hess_heat(self, s: float, x: np.ndarray) -> np.ndarray:
        r"""Full Hessian :math:`f'' \hat x \hat x^\top + (f'/r)(I - \hat x \hat x^\top)`, shape ``(n, 2, 2)``."""
        s = _heat_time(s)
        pts = self._points(x)
        r = np.hypot(pts[:, 0], pts[:, 1])
        _, _, tang, rad = self._radial(s, r)
        safe = np.where(r > 0, r, 1.0)
        e = np.where(r[:, None] > 0, pts / safe[:, None], np.array([1.0, 0.0]))
        outer = e[:, :, None] * e[:, None, :]
        return rad[:, None, None] * outer + tang[:, None, None] * (np.eye(2) - outer)

    def hessian_logp(self, t: float, x: np.ndarray) -> np.ndarray:
        r""":math:`\nabla^2 \log p_t` of the OU marginal (book clock), shape ``(n, 2, 2)``."""
        m, s2 = _ou(t)
        return self.scaled(m).hess_heat(s2, x)

    def hessian_norm(self, s: float, x: np.ndarray) -> np.ndarray:
        """Spectral norm :math:`\\max(|f''|, |f'/r|)`."""
        rad, tang = self.eigenvalues_heat(s, x)
        return np.maximum(np.abs(rad), np.abs(tang))

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws, shape ``(n, 2)``."""
        n = v.positive_int("n", n)
        rng = v.rng(rng)
        th = rng.uniform(0.0, 2.0 * np.pi, size=n)
        return self.a * np.stack([np.cos(th), np.sin(th)], axis=1)


def discrete_hessian(s: float, x: np.ndarray, points: np.ndarray,
                     weights: np.ndarray | None = None) -> np.ndarray:
    r""":math:`\nabla^2 \log \bar p(s, x) = -I/s + \mathrm{Cov}(Y \mid x)/s^2` for
    :math:`\pi_0 = \sum_j w_j \delta_{y_j}` (points ``(m, n)``), posterior weights by log-sum-exp.
    Returns ``(k, n, n)`` for ``x`` of shape ``(k, n)``.  With many points on a curve this is a
    quadrature of the curve's uniform measure."""
    s = _heat_time(s)
    xs = v.finite_array("x", x, ndim=2)
    ys = v.finite_array("points", points, ndim=2)
    if xs.shape[1] != ys.shape[1]:
        raise ValueError(f"x and points must have the same dimension, got {xs.shape[1]} and {ys.shape[1]}")
    if weights is None:
        lw = np.full(ys.shape[0], -np.log(ys.shape[0]))
    else:
        w = v.finite_array("weights", weights, ndim=1)
        if w.shape[0] != ys.shape[0] or np.any(w < 0) or w.sum() <= 0:
            raise ValueError("weights must be non-negative, one per point, with a positive sum")
        with np.errstate(divide="ignore"):
            lw = np.log(w / w.sum())
    d2 = ((xs[:, None, :] - ys[None, :, :]) ** 2).sum(-1)
    e = lw[None, :] - d2 / (2.0 * s)
    post = np.exp(e - logsumexp(e, axis=1, keepdims=True))
    mean = post @ ys
    dev = ys[None, :, :] - mean[:, None, :]
    cov = np.einsum("km,kmi,kmj->kij", post, dev, dev)
    n = xs.shape[1]
    return -np.eye(n) / s + cov / (s * s)


def arc_points(centres_deg: np.ndarray, width_deg: float, n_per_arc: int, a: float = 1.0) -> np.ndarray:
    r"""Nodes of the uniform law on a union of equal arcs of the circle of radius ``a`` in :math:`\mathbb R^2`.

    Arc :math:`j` covers the angles :math:`c_j \pm w/2` (degrees); each arc gets ``n_per_arc`` nodes at the
    midpoints of equal sub-arcs, so equal weights give the midpoint rule for the arc-length measure.
    Three arcs of equal width centred at :math:`90^\circ, 210^\circ, 330^\circ` have a Y-shaped ridge: the
    three rays from the centre through the midpoints of the gaps (derived in the book).  Pass the result
    to :func:`discrete_hessian`.  Returns an array of shape ``(len(centres_deg) * n_per_arc, 2)``.
    """
    c = v.finite_array("centres_deg", centres_deg, ndim=1)
    w = v.positive("width_deg", width_deg)
    if c.size == 0:
        raise ValueError("centres_deg must hold at least one arc centre")
    if w * c.size > 360.0:
        raise ValueError(f"width_deg times the number of arcs must be <= 360, got {w * c.size:g}")
    n = v.positive_int("n_per_arc", n_per_arc)
    a = v.positive("a", a)
    offsets = (np.arange(n) + 0.5) / n * w - 0.5 * w
    th = np.deg2rad((c[:, None] + offsets[None, :]).reshape(-1))
    return a * np.stack([np.cos(th), np.sin(th)], axis=1)
