"""sgmbook: samplers, targets, metrics and bounds for the theory of score-based generative models.

Modules: :mod:`~sgmbook.ou` (forward process and clocks), :mod:`~sgmbook.targets` (laws with exact
scores), :mod:`~sgmbook.samplers` (reverse-time schemes and their exact laws), :mod:`~sgmbook.metrics`
(Wasserstein and KL), :mod:`~sgmbook.bounds` (the papers' inequalities), :mod:`~sgmbook.bump` (the blow-up construction),
:mod:`~sgmbook.heat` (fast 1-D OU/heat evolution), :mod:`~sgmbook.logconcavity` (log-concavity estimators),
:mod:`~sgmbook.training` and :mod:`~sgmbook.gaussian_mean` (the Gaussian-with-unknown-mean example).
"""
from . import bounds, bump, gaussian_mean, heat, logconcavity, metrics, ou, samplers, targets, training
from .metrics import kl_gaussian, sliced_w2, w2_1d, w2_1d_density, w2_empirical, w2_gaussian
from .samplers import euler_maruyama, exponential_integrator, gaussian_law, grid_law_1d, sample_reverse, time_grid
from .targets import Gaussian, GaussianMixture, Grid1D

__version__ = "0.1.0"
__all__ = [
    "ou", "targets", "samplers", "metrics", "bounds", "bump", "heat", "logconcavity", "training", "gaussian_mean",
    "Gaussian", "GaussianMixture", "Grid1D",
    "euler_maruyama", "exponential_integrator", "sample_reverse", "gaussian_law", "grid_law_1d", "time_grid",
    "w2_gaussian", "w2_1d", "w2_1d_density", "w2_empirical", "sliced_w2", "kl_gaussian",
]
