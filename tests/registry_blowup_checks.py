"""Input-registry entries of :mod:`sgmbook.experiments.blowup_checks` (read by tests/input_registry.py)."""
import numpy as np
from input_registry import E

from sgmbook.experiments import blowup_checks as bc

ENTRIES = [
    E("sgmbook.experiments.blowup_checks.bump_smoothness", bc.bump_smoothness,
      dict(Ms=np.array([1.0, 2.0]), n_per_M=40)),
    E("sgmbook.experiments.blowup_checks.horizon_values", bc.horizon_values,
      dict(Ms=np.array([1.0, 2.0]), dense_Ms=np.array([2.0]))),
    E("sgmbook.experiments.blowup_checks.sup_curve_study", bc.sup_curve_study,
      dict(taus=np.array([0.05, 0.3, np.log(2.0), 1.0]), Ms=np.array([2.0, 4.0]), n_x=201,
           touch_tol=1e-3, late_taus=np.array([1.0]))),
    E("sgmbook.experiments.blowup_checks.mechanism", bc.mechanism,
      dict(M=4.0, tau_mode=0.9, s_values=np.array([0.3, 0.5]))),
    E("sgmbook.experiments.blowup_checks.mechanism_curves", bc.mechanism_curves,
      dict(M=2.0, taus=np.array([0.5, 1.0]), s_values=np.array([0.3, 0.6]),
           y=np.linspace(-3.0, 3.0, 31))),
    E("sgmbook.experiments.blowup_checks.multi_bump_locality", bc.multi_bump_locality,
      dict(Ms=np.array([1.0, 2.0]), taus=np.array([0.5]), gap=16.0, h=0.05, n_y=21, y_extra=3.0)),
    E("sgmbook.experiments.blowup_checks.sampling_orders", bc.sampling_orders,
      dict(Ms=np.array([1.0]), T=1.0, Ns=[4, 8], scheme="ei")),
    E("sgmbook.experiments.blowup_checks.coarse_window_errors", bc.coarse_window_errors,
      dict(M=1.0, T=1.0, los=np.array([0.0, 0.5]), width=0.3, n_fine=16, n_coarse=2, scheme="ei")),
]

CONTAINERS = {"sgmbook.experiments.blowup_checks.BumpSmoothness",
              "sgmbook.experiments.blowup_checks.HorizonValues",
              "sgmbook.experiments.blowup_checks.SupCurve",
              "sgmbook.experiments.blowup_checks.Mechanism",
              "sgmbook.experiments.blowup_checks.MechanismCurves",
              "sgmbook.experiments.blowup_checks.SamplingOrders"}
