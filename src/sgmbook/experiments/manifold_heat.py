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
crude bound :func:`crude_bound` (derived in the book).

The book's forward OU process :math:`X_t = e^{-t} X_0 + \sigma_t Z` (:mod:`sgmbook.ou`) has law
:math:`p_t = ` heat flow at heat time :math:`\sigma_t^2 = 1 - e^{-2t}` of the *scaled* set
:math:`e^{-t} D_0`.  Each target (now in :mod:`sgmbook.targets.manifold`) offers heat-flow methods ``logpdf_heat(s, x)``,
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

from .. import _validate as v
from ..bounds.mooney import crude_bound, crude_bound_ou, two_atom_onset_constant  # noqa: F401
from ..targets.manifold import TwoAtoms, UniformCircle, UniformInterval, arc_points, discrete_hessian

__all__ = ["UniformInterval", "TwoAtoms", "UniformCircle", "discrete_hessian", "crude_bound",
           "crude_bound_ou", "two_atom_onset_constant", "w2_to_interval", "mean_square_hessian_1d",
           "arc_points"]

def w2_to_interval(x: np.ndarray, q: np.ndarray, a: float = 1.0, n_cells: int = 4000) -> float:
    r"""Exact W2 between a density tabulated on the grid ``x`` and the uniform law on :math:`[-a, a]`.

    The uniform law is represented by ``n_cells`` cells that tile :math:`[-a, a]` exactly, so both
    quantile functions are piecewise linear and :func:`sgmbook.metrics.w2_1d_density` integrates
    :math:`\int_0^1 |F^{-1} - G^{-1}|^2 du` exactly.
    """
    from ..metrics import w2_1d_density

    xs = v.finite_array("x", x, ndim=1)
    qs = v.finite_array("q", q, ndim=1)
    if qs.shape != xs.shape or np.any(qs < 0):
        raise ValueError("q must be >= 0 with the shape of x")
    a = v.positive("a", a)
    n = v.positive_int("n_cells", n_cells)
    centres = -a + (np.arange(n) + 0.5) * (2.0 * a / n)
    return w2_1d_density(xs, qs, centres, np.ones(n))


def mean_square_hessian_1d(target, t: float, x: np.ndarray) -> float:
    r""":math:`\mathbb E_{p_t}[(\partial_x^2 \log p_t)^2]` by the trapezoid rule on the uniform grid ``x``
    (book clock), for a 1-D target with ``logpdf(t, x)`` and ``hessian_logp(t, x)``: the averaged
    squared Lipschitz constant that enters Girsanov-type error bounds."""
    xs = v.finite_array("x", x, ndim=1)
    if xs.size < 3 or np.any(np.diff(xs) <= 0):
        raise ValueError("x must be an increasing grid of at least 3 points")
    w = np.gradient(xs)
    w[[0, -1]] = 0.5 * np.diff(xs)[[0, -1]]
    p = np.exp(target.logpdf(t, xs))
    h = target.hessian_logp(t, xs)
    return float(np.sum(w * p * h * h) / np.sum(w * p))
