"""sgmbook: samplers, targets, metrics and bounds for the theory of score-based generative models.

Modules:

* :mod:`~sgmbook.ou` -- the forward process and its clocks;
* :mod:`~sgmbook.targets` -- laws with exact scores at every forward time (one contract);
* :mod:`~sgmbook.schedules`, :mod:`~sgmbook.schemes` -- time grids as values, the table of schemes;
* :mod:`~sgmbook.samplers`, :mod:`~sgmbook.laws` -- particle samplers and exact laws;
* :mod:`~sgmbook.metrics` -- Wasserstein distances and KL divergences;
* :mod:`~sgmbook.bounds` -- the papers' inequalities;
* :mod:`~sgmbook.training`, :mod:`~sgmbook.gaussian_mean` -- the Gaussian-with-unknown-mean example;
* :mod:`~sgmbook.logconcavity` -- log-concavity along the flow, biased score models;
* :mod:`~sgmbook.bump`, :mod:`~sgmbook.heat` -- the blow-up construction and fast 1-D heat evolution;
* :mod:`~sgmbook.convergence` -- errors of the 1-D schemes, step schedules;
* :mod:`~sgmbook.manifold` -- data on low-dimensional sets.
"""
from . import (bounds, bump, convergence, gaussian_mean, heat, laws, logconcavity, manifold, metrics, ou, samplers,
               schedules, schemes, targets, training)
from .metrics import kl_1d_density, kl_gaussian, sliced_w2, w2_1d, w2_1d_density, w2_empirical, w2_gaussian
from .samplers import euler_maruyama, exponential_integrator, gaussian_law, grid_law_1d, sample_reverse, time_grid
from .targets import Gaussian, GaussianMixture, Grid1D

__version__ = "0.1.0"
__all__ = [
    "ou", "targets", "schedules", "schemes", "samplers", "laws", "metrics", "bounds", "bump", "heat", "logconcavity", "training", "gaussian_mean",
    "convergence", "manifold",
    "Gaussian", "GaussianMixture", "Grid1D",
    "euler_maruyama", "exponential_integrator", "sample_reverse", "gaussian_law", "grid_law_1d", "time_grid",
    "w2_gaussian", "w2_1d", "w2_1d_density", "w2_empirical", "sliced_w2", "kl_gaussian", "kl_1d_density",
]
