"""What the chapters run, one small module per subject, on top of targets, samplers, laws and bounds.

* :mod:`~sgmbook.experiments.gaussian_mean` -- the Gaussian with unknown mean (chapter 2);
* :mod:`~sgmbook.experiments.log_concave` -- log-concavity along the flow, biased score models (chapter 3);
* :mod:`~sgmbook.experiments.log_concave_terms` -- each term of the four-term bound against its exact
  counterpart (chapter 3);
* :mod:`~sgmbook.experiments.log_concave_checks` -- the chapter-3 checks up to the early-stopping lemma;
* :mod:`~sgmbook.experiments.log_concave_lemmas` -- the chapter-3 checks from the moment lemma on;
* :mod:`~sgmbook.experiments.blowup` -- the bump flows' sup-Hessian curves and checks (chapters 4-5);
* :mod:`~sgmbook.experiments.local_lipschitz` -- errors of the 1-D schemes, Girsanov bound (chapter 6);
* :mod:`~sgmbook.experiments.authors_run` -- Bruno et al.'s logged training runs, recomputed;
* :mod:`~sgmbook.experiments.dimension` -- Mooney et al.'s bounds against the dimension;
* :mod:`~sgmbook.experiments.manifold_heat` -- data on low-dimensional sets (chapter 7).
"""
from . import (authors_run, blowup, dimension, gaussian_mean, local_lipschitz, log_concave,
               log_concave_terms, manifold_heat)
from . import log_concave_checks
from . import log_concave_lemmas

__all__ = ["authors_run", "blowup", "dimension", "gaussian_mean", "local_lipschitz",
           "log_concave", "log_concave_terms", "manifold_heat"]
__all__ += ["log_concave_checks"]
__all__ += ["log_concave_lemmas"]
