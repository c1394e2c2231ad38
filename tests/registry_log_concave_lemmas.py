"""Input-registry entries of sgmbook.experiments.log_concave_lemmas (read by tests/input_registry.py)."""
import numpy as np

from input_registry import E, RNG
from sgmbook.experiments import log_concave_lemmas as lm

M = "sgmbook.experiments.log_concave_lemmas"
MU2, C2 = np.array([0.3, -0.2]), np.array([0.8, 1.2])
CASES = {2: (MU2, C2)}
ENTRIES = [
    E(f"{M}.gaussian_cases", lm.gaussian_cases, dict(rng=RNG, dims=np.array([1, 3]))),
    E(f"{M}.moment_check", lm.moment_check,
      dict(mean=MU2, cov=C2, x=np.linspace(-6.0, 6.0, 81), eta=0.1)),
    E(f"{M}.discretisation_check", lm.discretisation_check,
      dict(mean=MU2, cov=C2, eta=0.1, T=2.0, eps=0.01, n_steps=np.array([10, 20]))),
    E(f"{M}.discretisation_mixture_check", lm.discretisation_mixture_check,
      dict(x=np.linspace(-6.0, 6.0, 81), eta=0.1, T=1.0, eps=0.02, n_steps=np.array([5, 10]))),
    E(f"{M}.four_term_rows", lm.four_term_rows,
      dict(cases=CASES, tight_mean=np.array([0.2, 0.1]), y=np.linspace(-7.0, 7.0, 401), eta=0.1)),
    E(f"{M}.order_check", lm.order_check,
      dict(x=np.linspace(-5.0, 5.0, 81), n_steps=np.array([4, 8, 16]), T=1.0, eps=0.05)),
    E(f"{M}.prescription_check", lm.prescription_check,
      dict(cases=CASES, deltas={2: np.array([1.0])})),
]
CONTAINERS = {f"{M}.{name}" for name in ("Moment", "Discretisation", "DiscretisationMixture",
                                         "FourTermSet", "Order", "PrescriptionCheck")}
