"""sgmbook: samplers, targets, metrics and bounds for the theory of score-based generative models.

Modules, lower layers first (no module imports a higher one):

* :mod:`~sgmbook.ou` -- the forward process and its clocks;
* :mod:`~sgmbook.targets` -- laws with exact scores at every forward time (one contract);
* :mod:`~sgmbook.schedules`, :mod:`~sgmbook.schemes` -- time grids as values, the table of schemes;
* :mod:`~sgmbook.samplers`, :mod:`~sgmbook.laws` -- the particle sampler and the exact laws;
* :mod:`~sgmbook.metrics` -- Wasserstein distances and KL divergences;
* :mod:`~sgmbook.training` -- the denoising loss, SGLD and its exact moments;
* :mod:`~sgmbook.bump` -- the bump potentials of the blow-up construction;
* :mod:`~sgmbook.bounds` -- the papers' inequalities, with their constants;
* :mod:`~sgmbook.experiments` -- what the chapters run, one module per subject.

The book's own tooling sits beside them: :mod:`~sgmbook.sources` (the vocabulary of source labels),
:mod:`~sgmbook.ledger` (the results ledger), :mod:`~sgmbook.book` and :mod:`~sgmbook.style` (the
chapters' helpers and figure style).
"""
from . import (bounds, bump, experiments, laws, metrics, ou, samplers, schedules, schemes, targets,
               training)
from .metrics import kl_1d_density, kl_gaussian, sliced_w2, w2_1d, w2_1d_density, w2_empirical, w2_gaussian
from .targets import Gaussian, GaussianMixture, Grid1D

__version__ = "0.1.0"
__all__ = [
    "ou", "targets", "schedules", "schemes", "samplers", "laws", "metrics", "training", "bump", "bounds",
    "experiments",
    "Gaussian", "GaussianMixture", "Grid1D",
    "w2_gaussian", "w2_1d", "w2_1d_density", "w2_empirical", "sliced_w2", "kl_gaussian", "kl_1d_density",
]
