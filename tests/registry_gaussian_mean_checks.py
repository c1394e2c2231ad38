"""Input-registry entries of sgmbook.experiments.gaussian_mean_checks (read by tests/input_registry.py)."""
import numpy as np

from input_registry import E, RNG
from sgmbook.experiments import gaussian_mean_checks as gc

_M = "sgmbook.experiments.gaussian_mean_checks."
MU = np.array([0.5, -0.2])


ENTRIES = [
    E(_M + "law_recursion_gap", gc.law_recursion_gap,
      dict(theta=MU, horizons=np.array([1.0, 2.0]), n_steps=np.array([3, 5]),
           eps=np.array([0.0, 0.1]), schemes=("em", "ei"))),
    E(_M + "stationary_variance_undefined", gc.stationary_variance_undefined,
      dict(gammas=np.array([2.0, 0.5]), schemes=("em", "ei"))),
    E(_M + "step_slopes", gc.step_slopes,
      dict(mu=MU, gammas=np.array([0.2, 0.1]), T=2.0, schemes=("em",))),
    E(_M + "w2_per_sqrt_dim", gc.w2_per_sqrt_dim,
      dict(dims=np.array([1, 3]), T=2.0, n_steps=10, scheme="em")),
    E(_M + "initialisation_check", gc.initialisation_check,
      dict(mu=MU, horizons=np.array([0.5, 1.0]), gamma=0.01, far_steps=10 ** 6)),
    E(_M + "early_stopping_check", gc.early_stopping_check,
      dict(mu=MU, eps_values=np.array([0.01, 0.1]), T=5.0, far_steps=10 ** 6)),
    E(_M + "discretisation_constant_ratio", gc.discretisation_constant_ratio,
      dict(horizons=np.array([1.0, 2.0]), eps=np.array([0.0, 0.1]), max_steps=30,
           schemes=("em", "ei"))),
    E(_M + "step_counts", gc.step_counts,
      dict(mu_norm=1.5, dims=np.array([2, 4]), deltas=np.array([0.3]))),
    E(_M + "sliced_fixed_directions_gap", gc.sliced_fixed_directions_gap,
      dict(theta=MU, mu=np.array([0.4, 0.0]), T=2.0, n_steps=10, max_directions=4)),
    E(_M + "sliced_w2_check", gc.sliced_w2_check,
      dict(theta=MU, mu=np.array([0.4, 0.0]), T=2.0, n_steps=5, n_samples=50, reps=2,
           n_dirs=5, rng=RNG)),
]
CONTAINERS = {_M + "StepSlopes", _M + "DimRatios", _M + "InitialisationCheck", _M + "EarlyStoppingCheck", _M + "StepCounts", _M + "SlicedCheck"}
