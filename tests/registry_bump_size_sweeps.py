"""Input-registry entries of :mod:`sgmbook.experiments.bump_size_sweeps` (read by tests/input_registry.py)."""
import numpy as np
from input_registry import E

from sgmbook.experiments import bump_size_sweeps as bs

ENTRIES = [
    E("sgmbook.experiments.bump_size_sweeps.bump_shapes", bs.bump_shapes,
      dict(M_potential=2.0, Ms=np.array([1.0, 2.0]), y=np.linspace(-3.0, 3.0, 31))),
    E("sgmbook.experiments.bump_size_sweeps.horizon_bounds", bs.horizon_bounds,
      dict(Ms=np.array([1.0, 2.0]), n=2001)),
    E("sgmbook.experiments.bump_size_sweeps.window_weights", bs.window_weights,
      dict(Ms=np.array([1.0, 2.0]), y_extra=3.0, n=2001)),
    E("sgmbook.experiments.bump_size_sweeps.single_bump_bounds", bs.single_bump_bounds,
      dict(taus=np.array([0.7, 1.0]), Ms=np.array([2.0]))),
    E("sgmbook.experiments.bump_size_sweeps.mass_weighted_curvatures", bs.mass_weighted_curvatures,
      dict(Ms=np.array([2.0]), tau=0.7, n_x=201)),
]

CONTAINERS = {"sgmbook.experiments.bump_size_sweeps.BumpShapes",
              "sgmbook.experiments.bump_size_sweeps.HorizonBounds",
              "sgmbook.experiments.bump_size_sweeps.WindowWeights",
              "sgmbook.experiments.bump_size_sweeps.SingleBumpBounds",
              "sgmbook.experiments.bump_size_sweeps.MassWeighted"}
