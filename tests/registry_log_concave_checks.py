"""Input-registry entries of sgmbook.experiments.log_concave_checks (read by tests/input_registry.py)."""
import numpy as np

from input_registry import E, RNG
from sgmbook.experiments import log_concave_checks as ck

M = "sgmbook.experiments.log_concave_checks"
ENTRIES = [
    E(f"{M}.chapter_targets", ck.chapter_targets, dict()),
    E(f"{M}.propagation_check", ck.propagation_check,
      dict(t=np.array([0.0, 0.1, 1.0]), x=np.linspace(-3.0, 3.0, 41))),
    E(f"{M}.initialisation_check", ck.initialisation_check,
      dict(rng=RNG, d=3, cov_scales=np.array([1.0, 0.5]))),
    E(f"{M}.coupling_check", ck.coupling_check,
      dict(rng=RNG, y_start=np.array([[-1.0], [0.5]]), T=1.0, eps=0.05, n_steps=10, shift=0.3)),
    E(f"{M}.score_error_grid_check", ck.score_error_grid_check,
      dict(etas=np.array([0.1, 0.2]), x=np.linspace(-6.0, 6.0, 81), T=1.0, eps=0.05, n_steps=10)),
    E(f"{M}.score_error_gaussian_check", ck.score_error_gaussian_check,
      dict(rng=RNG, d=2, cov_scales=np.array([1.0, 0.5]), n_fine=200)),
    E(f"{M}.early_stopping_check", ck.early_stopping_check,
      dict(rng=RNG, y=np.linspace(-7.0, 7.0, 401), eps=np.array([0.1]))),
    E(f"{M}.early_stopping_tight", ck.early_stopping_tight,
      dict(rng=RNG, eps=np.array([0.1, 1.0]), d=10, var=1e-8)),
]
CONTAINERS = {f"{M}.{name}" for name in ("Propagation", "Initialisation", "Coupling", "ScoreErrorGrid",
                                         "ScoreErrorGaussian", "EarlyStopping")}
