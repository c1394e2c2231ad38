"""What the chapters run, one small module per subject, on top of targets, samplers, laws and bounds.

* :mod:`~sgmbook.experiments.gaussian_mean` -- the Gaussian with unknown mean (chapter 2);
* :mod:`~sgmbook.experiments.gaussian_mean_sgld`, :mod:`~sgmbook.experiments.gaussian_mean_checks`,
  :mod:`~sgmbook.experiments.gaussian_mean_split` -- chapter 2's training, sampler and error-split checks;
* :mod:`~sgmbook.experiments.log_concave` -- log-concavity along the flow, biased score models (chapter 3);
* :mod:`~sgmbook.experiments.log_concave_terms` -- each term of the four-term bound against its exact
  counterpart (chapter 3);
* :mod:`~sgmbook.experiments.log_concave_checks` -- the chapter-3 checks up to the early-stopping lemma;
* :mod:`~sgmbook.experiments.log_concave_lemmas` -- the chapter-3 checks from the moment lemma on;
* :mod:`~sgmbook.experiments.blowup` -- the bump flows' sup-Hessian curves and checks (chapters 4-5);
* :mod:`~sgmbook.experiments.hessian_checks` -- the two-sided Hessian bounds on Gaussians, a mixture and
  the bump family (chapter 4);
* :mod:`~sgmbook.experiments.blowup_checks` -- the blow-up construction's checks (chapter 5);
* :mod:`~sgmbook.experiments.bump_size_sweeps` -- chapter 5's sweeps over the bump size M (shapes,
  bounds at the horizon, window weights);
* :mod:`~sgmbook.experiments.local_lipschitz` -- errors of the 1-D schemes, Girsanov bound (chapter 6);
* :mod:`~sgmbook.experiments.local_lipschitz_checks` -- chapter 6's curvature and well-posedness checks;
* :mod:`~sgmbook.experiments.local_lipschitz_rates` -- chapter 6's convergence checks;
* :mod:`~sgmbook.experiments.comparison` -- chapter 8's recomputed measurements and bound ratios;
* :mod:`~sgmbook.experiments.authors_run` -- Bruno et al.'s logged training runs, recomputed;
* :mod:`~sgmbook.experiments.dimension` -- Mooney et al.'s bounds against the dimension;
* :mod:`~sgmbook.experiments.manifold_heat` -- data on low-dimensional sets (chapter 7);
* :mod:`~sgmbook.experiments.manifold_checks` -- the checks of chapter 7, one function per check;
* :mod:`~sgmbook.experiments.setting` -- the checks of chapter 1 (forward marginals, scheme laws).
"""
from . import (authors_run, blowup, blowup_checks, bump_size_sweeps, comparison, dimension,
               gaussian_mean, gaussian_mean_checks, gaussian_mean_sgld, gaussian_mean_split,
               hessian_checks, local_lipschitz, local_lipschitz_checks, local_lipschitz_rates,
               log_concave, log_concave_checks, log_concave_lemmas, log_concave_terms,
               manifold_checks, manifold_heat, setting)

__all__ = ["authors_run", "blowup", "blowup_checks", "bump_size_sweeps", "comparison", "dimension",
           "gaussian_mean", "gaussian_mean_checks", "gaussian_mean_sgld", "gaussian_mean_split",
           "hessian_checks", "local_lipschitz", "local_lipschitz_checks", "local_lipschitz_rates",
           "log_concave", "log_concave_checks", "log_concave_lemmas", "log_concave_terms",
           "manifold_checks", "manifold_heat", "setting"]
