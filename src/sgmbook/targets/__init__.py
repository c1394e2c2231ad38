r"""Targets: laws whose density, score and Hessian are known at every forward time.

The contract, in book time :math:`t` (forward process :math:`dX = -X\,dt + \sqrt2\,dB`,
:mod:`sgmbook.ou`), with one argument order ``(t, x)`` everywhere:

* ``dim`` -- the dimension :math:`n`;
* ``logpdf(t, x)`` -- :math:`\log p_t` at the rows of ``x`` (``(k, n)``; ``(k,)`` for 1-D), shape ``(k,)``;
* ``score(t, x)`` -- :math:`\nabla \log p_t`, the shape of ``x``;
* ``hessian_logp(t, x)`` -- :math:`\nabla^2 \log p_t`, shape ``(k, n, n)``; a 1-D target returns the second
  derivative :math:`\partial_x^2 \log p_t` with the shape of ``x``;
* ``sample(n, rng, t=0.0)`` -- draws of :math:`X_t`, where the target can sample.

Other clocks (Mooney et al.'s :math:`\tau = 2t`, the heat time :math:`s = 1 - e^{-2t}`) are converted by
:mod:`sgmbook.ou` only.  A new target is one class in this package that implements the contract.

Example (a doctest):

>>> import numpy as np
>>> from sgmbook.targets import Gaussian
>>> g = Gaussian(np.zeros(1), np.array([4.0]))
>>> float(g.hessian_logp(0.0, np.zeros(3))[0])   # -1 / 4
-0.25
>>> float(g.score(1e3, np.array([2.0]))[0])      # p_t -> N(0, 1): score -x
-2.0
"""
from typing import Protocol, runtime_checkable

import numpy as np

from .gaussian import Gaussian, GaussianMixture, mixture_log_concavity, two_point_mixture
from .grid import Grid1D, quartic_target
from .heat import Evolution, HeatFlow1D, bump_flow, multi_bump_flow
from .manifold import TwoAtoms, UniformCircle, UniformInterval, arc_points, discrete_hessian
from .mixture_nd import CosineRidge, IsotropicMixture

__all__ = [
    "Target", "Gaussian", "GaussianMixture", "two_point_mixture", "mixture_log_concavity", "Grid1D",
    "quartic_target", "Evolution", "HeatFlow1D", "bump_flow", "multi_bump_flow", "UniformInterval",
    "TwoAtoms", "UniformCircle", "discrete_hessian", "arc_points", "IsotropicMixture", "CosineRidge",
]


@runtime_checkable
class Target(Protocol):
    """The target contract (book time ``t``, argument order ``(t, x)``)."""

    dim: int

    def logpdf(self, t: float, x: np.ndarray) -> np.ndarray: ...

    def score(self, t: float, x: np.ndarray) -> np.ndarray: ...

    def hessian_logp(self, t: float, x: np.ndarray) -> np.ndarray: ...
