"""Input registry entries for sgmbook.experiments.setting (read by tests/input_registry.py)."""
import numpy as np

from input_registry import E, RNG
from sgmbook import schedules
from sgmbook.experiments import setting
from sgmbook.targets import Gaussian

_G = Gaussian(np.array([0.5, -0.2]), np.array([[1.0, 0.3], [0.3, 0.5]]))
_D = Gaussian(np.array([1.5, -0.5]), np.array([0.3, 2.5]))

ENTRIES = [
    E("sgmbook.experiments.setting.forward_marginal_check", setting.forward_marginal_check,
      dict(target=_G, t=0.4, n=50, rng=RNG)),
    E("sgmbook.experiments.setting.scheme_moment_check", setting.scheme_moment_check,
      dict(target=_G, schedule=schedules.uniform(1.0, 0.05, 4), scheme="ei", n=50, rng=RNG)),
    E("sgmbook.experiments.setting.init_error_convergence", setting.init_error_convergence,
      dict(target=_D, T=1.0, steps=np.array([5, 10, 20]), n_fit=2), valid={"steps": ("none",)}),
    E("sgmbook.experiments.setting.clock_check", setting.clock_check,
      dict(tau=np.array([0.1, 0.7, 3.0]))),
]

CONTAINERS = {f"sgmbook.experiments.setting.{c}" for c in ("MomentCheck", "InitConvergence", "ClockCheck")}
