"""Input-registry entries of :mod:`sgmbook.experiments.local_lipschitz_checks` (small, fast calls)."""
import numpy as np
from input_registry import E

from sgmbook.experiments import local_lipschitz_checks as llc

_M = "sgmbook.experiments.local_lipschitz_checks."

ENTRIES = [
    E(_M + "bump_curvature", llc.bump_curvature,
      dict(Ms=np.array([1.0, 2.0]), centres=np.array([12.0, 24.0]), taus=np.array([0.5]),
           y_range=(-5.0, 40.0), dy=0.05, fit_from=0, M0=2.0, M1=2.0), documented_inf=True),
    E(_M + "quadratic_envelope", llc.quadratic_envelope,
      dict(Ms=np.array([1.0]), centres=np.array([12.0]), taus=np.array([0.5]), x_max=20.0, dx=0.05,
           A=1.0, B=0.005, B_heat=0.05, M0=2.0, M1=2.0), documented_inf=True),
    E(_M + "wellposedness_constants", llc.wellposedness_constants,
      dict(Ms=np.array([1.0]), centres=np.array([12.0]), t=np.array([0.0, 0.5]),
           radii=np.array([5.0, 20.0]), half_width=30.0, dx=0.1)),
    E(_M + "uniform_interval_lipschitz", llc.uniform_interval_lipschitz,
      dict(t=np.array([0.1, 0.01]), radius=2.0, n_points=201)),
]

CONTAINERS = {_M + name for name in ("BumpCurvature", "QuadraticEnvelope", "WellPosedness",
                                     "IntervalLipschitz")}
