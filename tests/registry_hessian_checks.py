"""Input-registry entries of :mod:`sgmbook.experiments.hessian_checks` (read by tests/input_registry.py)."""
import numpy as np
from input_registry import E

from sgmbook.experiments import hessian_checks as hc
from sgmbook.targets import GaussianMixture, HeatFlow1D

_MIX = GaussianMixture([0.5, 0.5], [[-1.0], [1.0]], [[0.3], [0.3]])
_Z = np.linspace(-6.0, 6.0, 601)
_FLOW = HeatFlow1D(_Z, _MIX.logpdf(0.0, _Z))

ENTRIES = [
    E("sgmbook.experiments.hessian_checks.clock_conversions", hc.clock_conversions,
      dict(t_book=np.array([0.05, 1.0]), M0=2.0)),
    E("sgmbook.experiments.hessian_checks.bound_envelope", hc.bound_envelope,
      dict(target=_MIX, taus=np.array([0.1, 0.5]), x=np.linspace(-3.0, 3.0, 31))),
    E("sgmbook.experiments.hessian_checks.heat_equation_check", hc.heat_equation_check,
      dict(flow=_FLOW, s_values=np.array([0.2, 0.5]), y=np.linspace(-1.0, 1.0, 21), ds=1e-3)),
    E("sgmbook.experiments.hessian_checks.gaussian_attainment", hc.gaussian_attainment,
      dict(sigmas=np.array([0.5, 2.0]), taus=np.linspace(0.0, 2.0, 5))),
    E("sgmbook.experiments.hessian_checks.hessian_envelope", hc.hessian_envelope,
      dict(target=_MIX, taus=np.array([0.1, 0.5]), x=np.linspace(-3.0, 3.0, 31))),
    E("sgmbook.experiments.hessian_checks.mixture_bound_check", hc.mixture_bound_check,
      dict(target=_MIX, x=np.linspace(-4.0, 4.0, 81), taus=np.array([0.1, 1.0]),
           pre_fractions=np.array([0.2, 0.8]))),
    E("sgmbook.experiments.hessian_checks.bump_bound_check", hc.bump_bound_check,
      dict(Ms=np.array([4.0]), taus=np.array([0.05, 0.2]), n_y=101, y_extra=3.0, n_sd=6.0)),
]

CONTAINERS = {"sgmbook.experiments.hessian_checks.Clocks",
              "sgmbook.experiments.hessian_checks.BoundEnvelope",
              "sgmbook.experiments.hessian_checks.HeatResidual",
              "sgmbook.experiments.hessian_checks.GaussianAttainment",
              "sgmbook.experiments.hessian_checks.MixtureBoundCheck",
              "sgmbook.experiments.hessian_checks.BumpBoundCheck"}
