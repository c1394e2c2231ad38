"""Input-registry entries of :mod:`sgmbook.experiments.comparison` (small, fast calls)."""
import numpy as np
from input_registry import E, RNG

from sgmbook.experiments import comparison

_M = "sgmbook.experiments.comparison."

ENTRIES = [
    E(_M + "measurements", comparison.measurements,
      dict(em_steps=np.array([4, 8]), dims=np.array([1, 2]), taus=np.array([0.5]),
           bump_sizes=np.array([2.0, 4.0]), ei_steps=np.array([4, 8]), t_small=1e-2)),
    E(_M + "bound_ratios", comparison.bound_ratios,
      dict(rng=RNG, theta_error=np.array([0.05, -0.03]), T=2.0, n_steps=20, d=2, eta=0.1, T_four=4.0,
           eps_four=0.01)),
]

CONTAINERS = {_M + "Measurements", _M + "BoundRatios"}
