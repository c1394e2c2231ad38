"""Input registry entries for sgmbook.experiments.manifold_checks (read by tests/input_registry.py)."""
import numpy as np

from input_registry import E
from sgmbook.experiments import manifold_checks as mc

_T = np.array([0.1, 0.01])
_X = np.linspace(-2.0, 2.0, 41)

ENTRIES = [
    E("sgmbook.experiments.manifold_checks.interval_hessian_scan", mc.interval_hessian_scan,
      dict(t=_T, x=_X, a=1.0)),
    E("sgmbook.experiments.manifold_checks.concentrated_hessian_at_zero",
      mc.concentrated_hessian_at_zero, dict(t=_T, c=50.0, n_points=101)),
    E("sgmbook.experiments.manifold_checks.two_atom_scan", mc.two_atom_scan,
      dict(t=_T, x_off=np.array([0.05, 0.5]), a=1.0)),
    E("sgmbook.experiments.manifold_checks.circle_scan", mc.circle_scan,
      dict(t_quad=np.array([0.5]), probe=np.array([[0.1, 0.05], [0.6, -0.2]]), t=_T,
           radii=np.array([0.2, 1.5]), n_angles=200, a=1.0), valid={"probe": ("none",)}),
    E("sgmbook.experiments.manifold_checks.three_arc_scan", mc.three_arc_scan,
      dict(probes_polar=np.array([[0.0, 0.0], [0.5, 30.0]]), t=np.array([1e-4, 1e-3, 0.1]),
           centres_deg=np.array([90.0, 210.0, 330.0]), width_deg=100.0, n_per_arc=50,
           t_fit=1e-3)),
    E("sgmbook.experiments.manifold_checks.crude_bound_ratios", mc.crude_bound_ratios,
      dict(t=_T, x=_X, grid2=np.array([[0.0, 0.0], [0.5, 0.5]])),
      valid={"x": ("none",), "grid2": ("none",)}),
    E("sgmbook.experiments.manifold_checks.hessian_moment_scan", mc.hessian_moment_scan,
      dict(t=_T, x=np.linspace(-3.0, 3.0, 61), a=1.0)),
    E("sgmbook.experiments.manifold_checks.early_stopping_study", mc.early_stopping_study,
      dict(x=np.linspace(-3.0, 3.0, 61), T=1.0, deltas=np.array([0.05, 0.1]),
           n_steps=np.array([4, 8]), t_split=0.5, a=1.0)),
]

CONTAINERS = {f"sgmbook.experiments.manifold_checks.{c}" for c in
              ("IntervalScan", "TwoAtomScan", "CircleScan", "ArcScan", "HessianMoments",
               "EarlyStopping")}
