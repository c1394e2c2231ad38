"""Input-registry entries of :mod:`sgmbook.experiments.local_lipschitz_rates` (small, fast calls)."""
import numpy as np
from input_registry import E

from sgmbook.experiments import local_lipschitz_rates as llr
from sgmbook.targets import GaussianMixture

_M = "sgmbook.experiments.local_lipschitz_rates."
_MIX = GaussianMixture([0.35, 0.65], [[-2.0], [2.0]], [[0.25], [0.25]])
_X = np.linspace(-6.0, 6.0, 121)
_DUCK = {"target": "a target object (duck-typed)"}

ENTRIES = [
    E(_M + "case_one_floor", llr.case_one_floor, dict(target=_MIX, x_max=4.0, n_x=401), skip=_DUCK),
    E(_M + "case_one_gaussian", llr.case_one_gaussian,
      dict(N=np.array([8, 32]), variance=0.25, T=2.0, M0=-3.0, M1=3.0)),
    E(_M + "girsanov_check", llr.girsanov_check,
      dict(target=_MIX, x=_X, T=1.0, N=np.array([2, 4]), n_time_nodes=2, n_hermite=4, fit_from=0),
      skip=_DUCK, valid={"x": ("none",)}),
    E(_M + "horizon_sweep", llr.horizon_sweep,
      dict(target=_MIX, x=_X, T=np.array([0.5, 1.0]), steps_per_unit=4, rate_from=0.5, spread_from=0.5),
      skip=_DUCK, valid={"x": ("none",)}),
    E(_M + "uniform_vs_split", llr.uniform_vs_split,
      dict(target=_MIX, x=_X, T=1.0, N=np.array([4, 8]), t_split=0.5), skip=_DUCK,
      valid={"x": ("none",)}),
    E(_M + "bump_target", llr.bump_target, dict(M=2.0, half_width=9.0, n_points=181)),
]

CONTAINERS = {_M + name for name in ("CaseOneFloor", "CaseOneShape", "GirsanovCheck", "HorizonSweep",
                                     "SplitComparison")}
