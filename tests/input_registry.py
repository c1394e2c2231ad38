"""One valid call for every public function, constructor and method of sgmbook.

``ENTRIES`` maps a qualified name (``module.function`` or ``module.Class.method``) to an :class:`Entry`:
the callable and the keyword arguments of one valid call.  ``tests/test_inputs.py`` and
``tools/input_harness.py`` mutate one argument at a time from these calls.  ``CONTAINERS`` are result
records (named tuples, frozen dataclasses) that hold values and check nothing; ``public_names()`` walks
every module's ``__all__``.  The book tooling (``sgmbook.book``, ``sgmbook.ledger``, ``sgmbook.style``)
is left out.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

import sgmbook
from sgmbook import laws, metrics, ou, samplers, schedules, schemes, training
from sgmbook.bounds import bruno, bruno_gaussian, bruno_models, exact_terms, mooney, mooney_nd
from sgmbook import bump
from sgmbook.experiments import (authors_run, blowup, dimension, gaussian_mean, local_lipschitz,
                                 log_concave, log_concave_terms, manifold_heat)
from sgmbook.targets import (CosineRidge, Gaussian, GaussianMixture, Grid1D, HeatFlow1D,
                             IsotropicMixture, TwoAtoms, UniformCircle, UniformInterval, arc_points,
                             bump_flow, discrete_hessian, mixture_log_concavity, multi_bump_flow,
                             quartic_target, two_point_mixture)

EXCLUDED_MODULES = ("sgmbook.book", "sgmbook.ledger", "sgmbook.style")


@dataclass
class Entry:
    name: str
    func: Callable[..., Any]
    kwargs: dict[str, Any]
    # parameters whose value is a callable: mutated with misbehaving callables
    callables: tuple[str, ...] = ()
    # callables returning an object (not an array): mutated to return None, a string or a scalar only
    object_callables: tuple[str, ...] = ()
    # parameters not mutated (e.g. a flag whose every value is valid), with the reason
    skip: dict[str, str] = field(default_factory=dict)
    # mutation labels that are valid for a parameter (documented), per parameter
    valid: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the result may hold +-inf by documentation (a bound that is infinite past a blow-up time)
    documented_inf: bool = False

    def call(self, **override):
        kw = dict(self.kwargs)
        kw.update(override)
        return self.func(**kw)


def _rng() -> np.random.Generator:
    return np.random.default_rng(0)


class _Fresh:
    """A value rebuilt on every call (a generator, a mutable array)."""

    def __init__(self, make):
        self.make = make


def materialise(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.make() if isinstance(v, _Fresh) else v) for k, v in kwargs.items()}


RNG = _Fresh(_rng)

# ---- shared valid values -------------------------------------------------------------------------
X1 = np.linspace(-3.0, 3.0, 61)
P1 = np.exp(-0.5 * X1 ** 2)
Q1 = np.exp(-0.5 * (X1 - 0.3) ** 2 / 1.2)
MU2 = np.array([0.5, -0.2])
G2 = Gaussian(np.array([0.5, -0.2]), np.array([1.0, 2.0]))
G1 = Gaussian(np.zeros(1), np.array([2.0]))
MIX1 = two_point_mixture(1.0, 0.3)
MIX2 = GaussianMixture(np.array([0.5, 0.5]), np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([[0.5, 0.5], [0.5, 0.5]]))
GRID = quartic_target(1.0, np.linspace(-4.0, 4.0, 801))
UI, TA, UC = UniformInterval(1.0), TwoAtoms(1.0), UniformCircle(1.0)
IMIX = IsotropicMixture(np.array([0.5, 0.5]), np.array([[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0]]), np.array([0.3, 0.3]))
RIDGE = CosineRidge(3, 1.0, np.array([0.5, 0.0, 0.0]))
FLOW = bump_flow(1.0)
SCHED = schedules.uniform(1.0, 0.01, 10)
THETAS = np.array([[0.4, -0.1], [0.6, -0.3]])
CONSTS = bruno_models.gaussian_model_constants(np.array([0.5]), np.array([1.0]))
BIASED = log_concave.BiasedScore(G1, 0.1)
BIASED2 = log_concave.BiasedScore(Gaussian(np.zeros(2), np.ones(2)), 0.1, kind="const")
PTS = arc_points(np.array([90.0, 210.0, 330.0]), 60.0, 40)
TIMES = np.linspace(1.0, 0.05, 11)
LOCAL_TIMES = np.array([1.0, 0.6, 0.3, 0.1])


def _score1(t, x):
    return -np.asarray(x) / 2.0


def _logpdf1(t, x):
    return G1.logpdf(t, np.asarray(x)[:, None])


def _affine(t):
    return np.array([-0.5, -0.5]), np.zeros(2)


def _sup_f(y):
    return -np.sum(np.asarray(y) ** 2, axis=-1)


E = Entry
_entries = [
    # ---- ou
    E("sgmbook.ou.mean_factor", ou.mean_factor, dict(t=0.5)),
    E("sgmbook.ou.variance", ou.variance, dict(t=0.5)),
    E("sgmbook.ou.sample_transition", ou.sample_transition, dict(x0=np.zeros((5, 2)), t=0.5, rng=RNG)),
    E("sgmbook.ou.to_mooney_time", ou.to_mooney_time, dict(t=0.5)),
    E("sgmbook.ou.from_mooney_time", ou.from_mooney_time, dict(tau=0.5)),
    E("sgmbook.ou.heat_time", ou.heat_time, dict(t=0.5)),
    E("sgmbook.ou.from_heat_time", ou.from_heat_time, dict(s=0.5)),
    E("sgmbook.ou.coefficients", ou.coefficients, dict(t=0.5)),
    # ---- schedules, schemes
    E("sgmbook.schedules.uniform", schedules.uniform, dict(T=1.0, eps=0.01, n_steps=10)),
    E("sgmbook.schedules.from_times", schedules.from_times, dict(times=TIMES)),
    E("sgmbook.schedules.split", schedules.split, dict(T=1.0, n_steps=10, t_split=0.3, frac_late=0.5, eps=0.01)),
    E("sgmbook.schedules.split_grid", schedules.split_grid,
      dict(T=1.0, n_steps=10, t_split=0.3, frac_late=0.5, eps=0.01)),
    E("sgmbook.schedules.windows", schedules.windows, dict(T=2.0, lo=0.5, width=0.3, n_fine=96, n_coarse=2)),
    E("sgmbook.schedules.authors", schedules.authors, dict(T=1.0, eps=0.01, n_points=100)),
    E("sgmbook.schemes.get", schemes.get, dict(scheme="em")),
    E("sgmbook.schemes.coefficients", schemes.coefficients, dict(scheme="ei", h=np.array([0.1, 0.2]), noise=True)),
    # ---- samplers, laws
    E("sgmbook.samplers.sample", samplers.sample,
      dict(score=_score1, y0=np.zeros((20, 2)), schedule=SCHED, scheme="em", rng=RNG), callables=("score",)),
    E("sgmbook.laws.gaussian", laws.gaussian,
      dict(affine_score=_affine, mean0=np.zeros(2), cov0=np.ones(2), schedule=SCHED, scheme="ei"),
      callables=("affine_score",)),
    E("sgmbook.laws.grid_1d", laws.grid_1d,
      dict(score=_score1, x=X1, density0=P1, schedule=SCHED, scheme="em"), callables=("score",)),
    # ---- metrics
    E("sgmbook.metrics.w2_gaussian", metrics.w2_gaussian, dict(m1=np.zeros(2), S1=np.ones(2), m2=MU2, S2=np.eye(2) * 2)),
    E("sgmbook.metrics.kl_gaussian", metrics.kl_gaussian, dict(m1=np.zeros(2), S1=np.ones(2), m2=MU2, S2=np.eye(2) * 2)),
    E("sgmbook.metrics.w2_1d", metrics.w2_1d, dict(a=X1, b=X1 + 0.5, wa=P1, wb=Q1)),
    E("sgmbook.metrics.w2_1d_density", metrics.w2_1d_density, dict(x=X1, p=P1, y=X1, q=Q1)),
    E("sgmbook.metrics.w2_empirical", metrics.w2_empirical, dict(x=np.arange(10.0).reshape(5, 2), y=np.ones((4, 2)))),
    E("sgmbook.metrics.sliced_w2", metrics.sliced_w2,
      dict(x=np.arange(10.0).reshape(5, 2), y=np.ones((4, 2)), n_projections=20, rng=RNG)),
    E("sgmbook.metrics.kl_1d_density", metrics.kl_1d_density, dict(x=X1, p=P1, q=Q1)),
    # ---- targets
    E("sgmbook.targets.gaussian.Gaussian", Gaussian, dict(mean=MU2, cov=np.array([1.0, 2.0]))),
    E("sgmbook.targets.gaussian.Gaussian.affine_score", G2.affine_score, dict(t=0.5)),
    E("sgmbook.targets.gaussian.Gaussian.hessian_logp", G2.hessian_logp, dict(t=0.5, x=np.zeros((3, 2)))),
    E("sgmbook.targets.gaussian.Gaussian.log_concavity", G2.log_concavity, dict(t=0.5)),
    E("sgmbook.targets.gaussian.Gaussian.logpdf", G2.logpdf, dict(t=0.5, x=np.zeros((3, 2)))),
    E("sgmbook.targets.gaussian.Gaussian.marginal", G2.marginal, dict(t=0.5)),
    E("sgmbook.targets.gaussian.Gaussian.precision", G2.precision, dict()),
    E("sgmbook.targets.gaussian.Gaussian.reverse_sde_law", G2.reverse_sde_law, dict(T=1.0)),
    E("sgmbook.targets.gaussian.Gaussian.sample", G2.sample, dict(n=5, rng=RNG, t=0.5)),
    E("sgmbook.targets.gaussian.Gaussian.score", G2.score, dict(t=0.5, x=np.zeros((3, 2)))),
    E("sgmbook.targets.gaussian.GaussianMixture", GaussianMixture,
      dict(weights=np.array([0.5, 0.5]), means=np.array([[1.0], [-1.0]]), covs=np.array([[0.3], [0.3]]))),
    E("sgmbook.targets.gaussian.GaussianMixture.hessian_logp", MIX2.hessian_logp, dict(t=0.5, x=np.zeros((3, 2)))),
    E("sgmbook.targets.gaussian.GaussianMixture.logpdf", MIX2.logpdf, dict(t=0.5, x=np.zeros((3, 2)))),
    E("sgmbook.targets.gaussian.GaussianMixture.marginal", MIX2.marginal, dict(t=0.5)),
    E("sgmbook.targets.gaussian.GaussianMixture.responsibilities", MIX2.responsibilities,
      dict(t=0.5, x=np.zeros((3, 2)))),
    E("sgmbook.targets.gaussian.GaussianMixture.sample", MIX2.sample, dict(n=5, rng=RNG, t=0.5)),
    E("sgmbook.targets.gaussian.GaussianMixture.score", MIX2.score, dict(t=0.5, x=np.zeros((3, 2)))),
    E("sgmbook.targets.gaussian.two_point_mixture", two_point_mixture, dict(a=1.0, variance=0.3, w=0.4)),
    E("sgmbook.targets.gaussian.mixture_log_concavity", mixture_log_concavity, dict(a=1.0, variance=0.3)),
    E("sgmbook.targets.grid.Grid1D", Grid1D, dict(y=X1, log_density=-0.5 * X1 ** 2)),
    E("sgmbook.targets.grid.Grid1D.cdf", GRID.cdf, dict()),
    E("sgmbook.targets.grid.Grid1D.hessian_logp", GRID.hessian_logp, dict(t=0.5, x=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.grid.Grid1D.logpdf", GRID.logpdf, dict(t=0.5, x=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.grid.Grid1D.min_time", GRID.min_time, dict()),
    E("sgmbook.targets.grid.Grid1D.moments", GRID.moments, dict()),
    E("sgmbook.targets.grid.Grid1D.posterior_moments", GRID.posterior_moments, dict(t=0.5, x=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.grid.Grid1D.sample", GRID.sample, dict(n=5, rng=RNG)),
    E("sgmbook.targets.grid.Grid1D.score", GRID.score, dict(t=0.5, x=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.grid.quartic_target", quartic_target, dict(a=1.0, y=np.linspace(-4.0, 4.0, 201))),
    E("sgmbook.targets.heat.HeatFlow1D", HeatFlow1D, dict(z=X1, log_density=-0.5 * X1 ** 2, cutoff=46.0, block=32)),
    E("sgmbook.targets.heat.HeatFlow1D.evolve", FLOW.evolve, dict(times=np.array([0.2, 0.5]), x=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.heat.HeatFlow1D.heat", FLOW.heat, dict(s=0.5, y=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.heat.HeatFlow1D.hessian_logp", FLOW.hessian_logp, dict(t=0.5, x=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.heat.HeatFlow1D.logpdf", FLOW.logpdf, dict(t=0.5, x=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.heat.HeatFlow1D.min_time", FLOW.min_time, dict()),
    E("sgmbook.targets.heat.HeatFlow1D.posterior_density", FLOW.posterior_density, dict(t=0.5, x=0.2)),
    E("sgmbook.targets.heat.HeatFlow1D.posterior_moments", FLOW.posterior_moments,
      dict(t=0.5, x=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.heat.HeatFlow1D.score", FLOW.score, dict(t=0.5, x=np.linspace(-1, 1, 5))),
    E("sgmbook.targets.heat.bump_flow", bump_flow, dict(M=1.0, h=0.05, margin=12.0)),
    E("sgmbook.targets.heat.multi_bump_flow", multi_bump_flow,
      dict(Ms=np.array([1.0, 1.5]), centres=np.array([-6.0, 6.0]), h=0.05, margin=12.0)),
    E("sgmbook.targets.manifold.UniformInterval", UniformInterval, dict(a=1.0)),
    E("sgmbook.targets.manifold.TwoAtoms", TwoAtoms, dict(a=1.0)),
    E("sgmbook.targets.manifold.UniformCircle", UniformCircle, dict(a=1.0)),
    E("sgmbook.targets.manifold.UniformInterval.quantile", UI.quantile, dict(u=np.array([0.1, 0.5]))),
    E("sgmbook.targets.manifold.UniformInterval.sample", UI.sample, dict(n=5, rng=RNG)),
    E("sgmbook.targets.manifold.UniformInterval.scaled", UI.scaled, dict(m=0.5)),
    E("sgmbook.targets.manifold.UniformCircle.sample", UC.sample, dict(n=5, rng=RNG)),
    E("sgmbook.targets.manifold.UniformCircle.eigenvalues_heat", UC.eigenvalues_heat,
      dict(s=0.5, x=np.array([[0.5, 0.1], [1.0, 1.0]]))),
    E("sgmbook.targets.manifold.discrete_hessian", discrete_hessian,
      dict(s=0.5, x=np.array([[0.1, 0.2]]), points=PTS, weights=np.ones(len(PTS)))),
    E("sgmbook.targets.manifold.arc_points", arc_points,
      dict(centres_deg=np.array([90.0, 210.0]), width_deg=60.0, n_per_arc=10, a=1.0)),
    E("sgmbook.targets.mixture_nd.IsotropicMixture", IsotropicMixture,
      dict(weights=np.array([0.5, 0.5]), means=np.array([[1.0, 0.0], [-1.0, 0.0]]), variances=np.array([0.3, 0.3]))),
    E("sgmbook.targets.mixture_nd.IsotropicMixture.hessian_extreme_eigs", IMIX.hessian_extreme_eigs,
      dict(t=0.5, x=np.zeros((2, 3)))),
    E("sgmbook.targets.mixture_nd.IsotropicMixture.hessian_gram", IMIX.hessian_gram, dict(t=0.5, x=np.zeros((2, 3)))),
    E("sgmbook.targets.mixture_nd.IsotropicMixture.hessian_logp", IMIX.hessian_logp, dict(t=0.5, x=np.zeros((2, 3)))),
    E("sgmbook.targets.mixture_nd.IsotropicMixture.logpdf", IMIX.logpdf, dict(t=0.5, x=np.zeros((2, 3)))),
    E("sgmbook.targets.mixture_nd.IsotropicMixture.responsibilities", IMIX.responsibilities,
      dict(t=0.5, x=np.zeros((2, 3)))),
    E("sgmbook.targets.mixture_nd.IsotropicMixture.sample", IMIX.sample, dict(n=5, rng=RNG, t=0.5)),
    E("sgmbook.targets.mixture_nd.IsotropicMixture.score", IMIX.score, dict(t=0.5, x=np.zeros((2, 3)))),
    E("sgmbook.targets.mixture_nd.CosineRidge", CosineRidge, dict(dim=3, a=1.0, w=np.array([0.5, 0.0, 0.0]))),
    E("sgmbook.targets.mixture_nd.CosineRidge.heat_curvature", RIDGE.heat_curvature,
      dict(s=0.5, zeta=np.array([0.0, 0.3]))),
    E("sgmbook.targets.mixture_nd.CosineRidge.heat_profile", RIDGE.heat_profile, dict(s=0.5, zeta=np.array([0.0, 0.3]))),
    E("sgmbook.targets.mixture_nd.CosineRidge.hessian_extreme_eigs", RIDGE.hessian_extreme_eigs,
      dict(t=0.5, x=np.zeros((2, 3)))),
    E("sgmbook.targets.mixture_nd.CosineRidge.hessian_logp", RIDGE.hessian_logp, dict(t=0.5, x=np.zeros((2, 3)))),
    E("sgmbook.targets.mixture_nd.CosineRidge.logpdf", RIDGE.logpdf, dict(t=0.5, x=np.zeros((2, 3)))),
    E("sgmbook.targets.mixture_nd.CosineRidge.sample", RIDGE.sample, dict(n=5, rng=RNG, t=0.5)),
    E("sgmbook.targets.mixture_nd.CosineRidge.score", RIDGE.score, dict(t=0.5, x=np.zeros((2, 3)))),
    # ---- bump
    E("sgmbook.bump.bump_potential", bump.bump_potential, dict(y=X1, M=1.0)),
    E("sgmbook.bump.bump_potential_dd", bump.bump_potential_dd, dict(y=X1, M=1.0)),
    E("sgmbook.bump.multi_bump_potential", bump.multi_bump_potential,
      dict(y=X1, Ms=np.array([1.0, 0.5]), centres=np.array([-5.0, 5.0]))),
    E("sgmbook.bump.bump_log_density", bump.bump_log_density, dict(y=X1, M=1.0)),
    # ---- bounds.bruno
    E("sgmbook.bounds.bruno.log_concavity_along_ou", bruno.log_concavity_along_ou, dict(t=0.5, L=0.5)),
    E("sgmbook.bounds.bruno.log_concavity_floor", bruno.log_concavity_floor, dict(L=0.5)),
    E("sgmbook.bounds.bruno.backward_contraction", bruno.backward_contraction, dict(T=2.0, eps=0.1, L=0.5)),
    E("sgmbook.bounds.bruno.early_stopping_term", bruno.early_stopping_term, dict(eps=0.1, d=2, m2=1.0)),
    E("sgmbook.bounds.bruno.early_stopping_constant", bruno.early_stopping_constant, dict(d=2, m2=1.0)),
    E("sgmbook.bounds.bruno.initialisation_term", bruno.initialisation_term,
      dict(T=2.0, eps=0.1, L=0.5, w2_data_to_gaussian=1.0)),
    E("sgmbook.bounds.bruno.score_error_constant", bruno.score_error_constant, dict(T=2.0, eps=0.1, L=0.5)),
    E("sgmbook.bounds.bruno.auxiliary_moment_bound", bruno.auxiliary_moment_bound, dict(d=2, consts=CONSTS)),
    E("sgmbook.bounds.bruno.discretisation_term", bruno.discretisation_term,
      dict(T=2.0, eps=0.1, n_steps=100, d=2, consts=CONSTS, scheme="em")),
    E("sgmbook.bounds.bruno.discretisation_constant", bruno.discretisation_constant,
      dict(d=2, consts=CONSTS, scheme="em")),
    E("sgmbook.bounds.bruno.discretisation_step_limit", bruno.discretisation_step_limit,
      dict(consts=CONSTS, scheme="ei")),
    E("sgmbook.bounds.bruno.four_term_bound", bruno.four_term_bound,
      dict(T=2.0, eps=0.1, n_steps=100, d=2, m2=1.0, L=0.5, w2_data_to_gaussian=1.0, eps_sn=0.01,
           consts=CONSTS, scheme="em")),
    E("sgmbook.bounds.bruno.prescribe", bruno.prescribe,
      dict(delta=0.5, d=1, m2=1.25, L=1.0, w2_data_to_gaussian=1.0,
           consts_for=lambda T, eps, g: CONSTS, scheme="ei"), callables=("consts_for",),
      object_callables=("consts_for",)),
    E("sgmbook.bounds.bruno_models.mixture_model_constants", bruno_models.mixture_model_constants,
      dict(a=0.5, variance=1.0, eta=0.1, kind="cos")),
    E("sgmbook.bounds.bruno_models.gaussian_model_constants", bruno_models.gaussian_model_constants,
      dict(mean=np.array([0.5, 0.1]), cov=np.array([1.0, 0.8]), eta=0.1, kind="const")),
    # ---- bounds.exact_terms
    E("sgmbook.bounds.exact_terms.gaussian_early_stopping", exact_terms.gaussian_early_stopping,
      dict(mean=np.array([0.5, 0.1]), cov=np.array([1.0, 0.8]), eps=0.1)),
    E("sgmbook.bounds.exact_terms.gaussian_term_counterparts", exact_terms.gaussian_term_counterparts,
      dict(mean=np.array([0.5, 0.1]), cov=np.array([1.0, 0.8]), eta=0.1, T=2.0, eps=0.1, n_steps=50, scheme="em")),
    E("sgmbook.bounds.exact_terms.gaussian_bias_constants", exact_terms.gaussian_bias_constants,
      dict(mean=np.array([0.5, 0.1]), cov=np.array([1.0, 0.8]), eta=0.1)),
    E("sgmbook.bounds.exact_terms.mixture_early_stopping", exact_terms.mixture_early_stopping,
      dict(a=1.0, variance=0.3, w=0.5, eps=0.1, n=2001)),
    E("sgmbook.bounds.exact_terms.constant_drift_moment", exact_terms.constant_drift_moment,
      dict(b=np.array([0.5, 0.1]), a=1.0, s=0.5)),
    E("sgmbook.bounds.exact_terms.constant_drift_constants", exact_terms.constant_drift_constants,
      dict(b=np.array([0.5, 0.1]), a=1.0)),
    # ---- bounds.mooney
    E("sgmbook.bounds.mooney.blowup_time", mooney.blowup_time, dict(M0=2.0), documented_inf=True),
    E("sgmbook.bounds.mooney.hessian_logp_bounds", mooney.hessian_logp_bounds, dict(tau=0.5, M0=2.0, M1=1.0), documented_inf=True),
    E("sgmbook.bounds.mooney.hessian_q_bounds", mooney.hessian_q_bounds, dict(tau=0.5, M0=2.0, M1=1.0), documented_inf=True),
    E("sgmbook.bounds.mooney.heat_hessian_bounds", mooney.heat_hessian_bounds, dict(s=0.3, M0=2.0, M1=1.0), documented_inf=True),
    E("sgmbook.bounds.mooney.constants_from_logp_hessian", mooney.constants_from_logp_hessian,
      dict(hess_logp0=np.array([-1.0, 0.5, -2.0]))),
    E("sgmbook.bounds.mooney.crude_bound", mooney.crude_bound, dict(s=0.3, M=1.0)),
    E("sgmbook.bounds.mooney.crude_bound_ou", mooney.crude_bound_ou, dict(t=0.3, M=1.0)),
    E("sgmbook.bounds.mooney.two_atom_onset_constant", mooney.two_atom_onset_constant, dict()),
    E("sgmbook.bounds.mooney.case_one_horizon", mooney.case_one_horizon, dict(L0=2.0), documented_inf=True),
    E("sgmbook.bounds.mooney.case_one_lipschitz", mooney.case_one_lipschitz, dict(tau=0.5, M0=2.0, M1=1.0, n_grid=201), documented_inf=True),
    E("sgmbook.bounds.mooney.case_one_bound", mooney.case_one_bound,
      dict(tau=1.0, n_steps=100, dim=2, m2=1.0, eps0=0.1, H=2.0)),
    E("sgmbook.bounds.mooney.case_two_bound", mooney.case_two_bound,
      dict(tau=1.0, n_steps=100, dim=2, m2=1.0, eps0=0.1, L=2.0, C=1.0)),
    E("sgmbook.bounds.mooney.case_two_steps", mooney.case_two_steps, dict(dim=2, L=2.0, tau=1.0, accuracy=0.1, C=1.0)),
    E("sgmbook.bounds.mooney.early_stopping_lipschitz", mooney.early_stopping_lipschitz, dict(delta=0.1, M=1.0)),
    # ---- bounds.mooney_nd
    E("sgmbook.bounds.mooney_nd.hessian_logp_matrix_bounds", mooney_nd.hessian_logp_matrix_bounds,
      dict(tau=0.5, M0=2.0, M1=1.0), documented_inf=True),
    E("sgmbook.bounds.mooney_nd.half_diameter", mooney_nd.half_diameter, dict(means=np.array([[1.0, 0.0], [-1.0, 0.0]]))),
    E("sgmbook.bounds.mooney_nd.isotropic_mixture_logp0_bounds", mooney_nd.isotropic_mixture_logp0_bounds,
      dict(means=np.array([[1.0, 0.0], [-1.0, 0.0]]), variance=0.3)),
    E("sgmbook.bounds.mooney_nd.isotropic_mixture_constants", mooney_nd.isotropic_mixture_constants,
      dict(means=np.array([[1.0, 0.0], [-1.0, 0.0]]), variance=0.3)),
    E("sgmbook.bounds.mooney_nd.identity_mixture_upper", mooney_nd.identity_mixture_upper,
      dict(tau=np.array([0.5, 1.0]), means=np.array([[1.0, 0.0], [-1.0, 0.0]]))),
    E("sgmbook.bounds.mooney_nd.local_hessian_shape", mooney_nd.local_hessian_shape, dict(n=8, L=2.0, r=1.0)),
    E("sgmbook.bounds.mooney_nd.case_two_dim_factor", mooney_nd.case_two_dim_factor, dict(n=8)),
    # ---- training
    E("sgmbook.training.tau_moment", training.tau_moment, dict(k=2, T=2.0, eps=0.1)),
    E("sgmbook.training.loss_moments", training.loss_moments, dict(T=2.0, eps=0.1)),
    E("sgmbook.training.score_model", training.score_model, dict(t=0.5, x=np.zeros((3, 2)), theta=MU2)),
    E("sgmbook.training.dsm_loss", training.dsm_loss, dict(theta=MU2, mu=np.zeros(2), T=2.0, eps=0.1)),
    E("sgmbook.training.dsm_loss_samples", training.dsm_loss_samples,
      dict(theta=MU2, tau=np.array([0.5, 1.0, 1.5]), x0=np.zeros((3, 2)), z=np.ones((3, 2)))),
    E("sgmbook.training.loss_gradient", training.loss_gradient, dict(theta=MU2, mu=np.zeros(2), T=2.0, eps=0.1)),
    E("sgmbook.training.stochastic_gradient", training.stochastic_gradient,
      dict(theta=MU2, tau=np.array([0.5, 1.0, 1.5]), x0=np.zeros((3, 2)), z=np.ones((3, 2)))),
    E("sgmbook.training.sgld", training.sgld,
      dict(theta0=np.zeros(2), mu=MU2, step=0.01, beta=100.0, batch=4, n_steps=20, T=2.0, rng=RNG, eps=0.1)),
    E("sgmbook.training.sgld_moments", training.sgld_moments,
      dict(theta0=np.zeros(2), mu=MU2, n=np.array([0, 10, 20]), step=0.01, beta=100.0, batch=4, T=2.0, eps=0.1)),
    E("sgmbook.training.sgld_law", training.sgld_law,
      dict(theta0=np.zeros(2), mu=MU2, n=20, step=0.01, beta=100.0, batch=4, T=2.0, eps=0.1)),
    E("sgmbook.training.gibbs_floor", training.gibbs_floor, dict(d=2, beta=100.0, T=2.0, eps=0.1)),
    E("sgmbook.training.sgld_stationary_variance", training.sgld_stationary_variance,
      dict(step=0.01, beta=100.0, batch=4, T=2.0, eps=0.1)),
    E("sgmbook.training.ThetaLaw.point", training.ThetaLaw.point, dict(theta=MU2)),
    E("sgmbook.training.ThetaLaw.second_moment", training.ThetaLaw.point(MU2).second_moment, dict(centre=0.0)),
    # ---- experiments.local_lipschitz
    E("sgmbook.experiments.local_lipschitz.uniform_times", local_lipschitz.uniform_times,
      dict(T=1.0, n_steps=10, eps=0.01)),
    E("sgmbook.experiments.local_lipschitz.split_times", local_lipschitz.split_times,
      dict(T=1.0, n_steps=10, t_split=0.3, frac_late=0.5, eps=0.01)),
    E("sgmbook.experiments.local_lipschitz.scheme_law_1d", local_lipschitz.scheme_law_1d,
      dict(score=_score1, x=X1, T=1.0, n_steps=10, eps=0.01), callables=("score",)),
    E("sgmbook.experiments.local_lipschitz.scheme_errors", local_lipschitz.scheme_errors, dict(x=X1, target=P1, q=Q1)),
    E("sgmbook.experiments.local_lipschitz.init_kl_1d", local_lipschitz.init_kl_1d,
      dict(logpdf_T=-0.5 * X1 ** 2 / 1.1, x=X1)),
    E("sgmbook.experiments.local_lipschitz.girsanov_discretisation_bound",
      local_lipschitz.girsanov_discretisation_bound,
      dict(score=G1.score, logpdf=_logpdf1, times=LOCAL_TIMES, x=X1, n_time_nodes=3, n_hermite=8),
      callables=("score", "logpdf")),
    E("sgmbook.experiments.local_lipschitz.reverse_drift_growth", local_lipschitz.reverse_drift_growth,
      dict(score=G1.score, times=np.array([0.0, 0.5, 2.0]), x=X1), callables=("score",)),
    E("sgmbook.experiments.local_lipschitz.local_lipschitz", local_lipschitz.local_lipschitz,
      dict(hessian=-np.ones_like(X1), x=X1, radii=np.array([1.0, 2.0]))),
    E("sgmbook.experiments.local_lipschitz.loglog_slope", local_lipschitz.loglog_slope,
      dict(x=np.array([1.0, 2.0, 4.0]), y=np.array([1.0, 0.5, 0.25]))),
    # ---- experiments.authors_run
    E("sgmbook.experiments.authors_run.load_run", authors_run.load_run, dict(name="adam")),
    E("sgmbook.experiments.authors_run.steps_after_epoch", authors_run.steps_after_epoch, dict(epoch=np.array([1, 2]))),
    E("sgmbook.experiments.authors_run.sample", authors_run.sample,
      dict(score=_score1, y0=np.zeros((20, 2)), schedule=SCHED, rng=RNG, scheme="em"), callables=("score",)),
    E("sgmbook.experiments.authors_run.output_coefficients", authors_run.output_coefficients,
      dict(schedule=SCHED, scheme="em")),
    E("sgmbook.experiments.authors_run.w2_output", authors_run.w2_output,
      dict(theta=MU2, mu=np.zeros(2), schedule=SCHED, scheme="em")),
    E("sgmbook.experiments.authors_run.assumption4_error", authors_run.assumption4_error,
      dict(theta=MU2, mu=np.zeros(2), schedule=SCHED)),
    E("sgmbook.experiments.authors_run.eps_sn", authors_run.eps_sn, dict(mse=0.1, T=2.0, eps=0.1)),
    E("sgmbook.experiments.authors_run.eps_sn_code", authors_run.eps_sn_code, dict(mse=0.1, schedule=SCHED, d=2)),
    E("sgmbook.experiments.authors_run.eps_sn_monte_carlo", authors_run.eps_sn_monte_carlo,
      dict(thetas=THETAS, mu=np.zeros(2), T=2.0, eps=0.1, rng=RNG, n=200)),
    E("sgmbook.experiments.authors_run.adam", authors_run.adam,
      dict(theta0=np.zeros(2), mu=MU2, lr=0.01, batch=4, n_steps=20, T=2.0, rng=RNG, eps=0.1)),
    E("sgmbook.experiments.authors_run.error_split_samples", authors_run.error_split_samples,
      dict(thetas=THETAS, mu=np.zeros(2), schedule=SCHED, T=1.0, eps=0.01, scheme="em")),
    # ---- experiments.blowup
    E("sgmbook.experiments.blowup.sup_hessian_curve", blowup.sup_hessian_curve,
      dict(taus=np.array([0.5, 1.0]), Ms=np.array([1.0]), n_x=101, h=0.1, y_extra=3.0)),
    E("sgmbook.experiments.blowup.heat_equation_residual", blowup.heat_equation_residual,
      dict(flow=FLOW, s=0.4, y=np.linspace(-1, 1, 11), ds=1e-3)),
    E("sgmbook.experiments.blowup.bump_curvature_half", blowup.bump_curvature_half, dict(M=1.0)),
    # ---- experiments.dimension
    E("sgmbook.experiments.dimension.heat_hessian_norm", dimension.heat_hessian_norm,
      dict(target=RIDGE, t=0.5, y=np.zeros((2, 3)))),
    E("sgmbook.experiments.dimension.ball_sample", dimension.ball_sample,
      dict(x0=np.zeros(3), r=1.0, n_points=10, rng=RNG)),
    E("sgmbook.experiments.dimension.local_sup_lower", dimension.local_sup_lower,
      dict(f=_sup_f, x0=np.zeros(2), r=1.0, rng=RNG, n_samples=50, n_starts=2, n_iter=5), callables=("f",)),
    E("sgmbook.experiments.dimension.girsanov_term_mc", dimension.girsanov_term_mc,
      dict(target=Gaussian(np.zeros(2), np.array([0.5, 2.0])), times=np.array([1.0, 0.5, 0.1]), n_paths=50,
           rng=RNG, n_nodes=3)),
    E("sgmbook.experiments.dimension.girsanov_term_gaussian", dimension.girsanov_term_gaussian,
      dict(variances=np.full(3, 0.3), times=np.array([1.0, 0.5, 0.1]), n_nodes=3)),
    E("sgmbook.experiments.dimension.ei_gaussian_kl", dimension.ei_gaussian_kl,
      dict(variances=np.full(3, 0.3), T=2.0, n_steps=8, start="exact")),
    E("sgmbook.experiments.dimension.loglog_fit", dimension.loglog_fit,
      dict(x=np.array([1.0, 2.0, 4.0, 8.0]), y=np.array([1.0, 0.52, 0.24, 0.13]), level=0.95)),
    # ---- experiments.gaussian_mean
    E("sgmbook.experiments.gaussian_mean.affine_score", gaussian_mean.affine_score, dict(theta=MU2)),
    E("sgmbook.experiments.gaussian_mean.output_law", gaussian_mean.output_law,
      dict(theta=MU2, T=2.0, n_steps=20, scheme="em", eps=0.01)),
    E("sgmbook.experiments.gaussian_mean.scheme_coefficients", gaussian_mean.scheme_coefficients,
      dict(T=2.0, n_steps=20, scheme="ei", eps=0.01)),
    E("sgmbook.bounds.bruno_gaussian.continuous_coefficient", bruno_gaussian.continuous_coefficient,
      dict(T=2.0, eps=0.01)),
    E("sgmbook.experiments.gaussian_mean.w2_output", gaussian_mean.w2_output,
      dict(theta=MU2, mu=np.zeros(2), T=2.0, n_steps=20, scheme="em", eps=0.01)),
    E("sgmbook.experiments.gaussian_mean.w2_closed", gaussian_mean.w2_closed,
      dict(theta=MU2, mu=np.zeros(2), T=2.0, n_steps=20, scheme="em", eps=0.01)),
    E("sgmbook.experiments.gaussian_mean.error_split", gaussian_mean.error_split,
      dict(theta=MU2, mu=np.zeros(2), T=2.0, n_steps=20, scheme="em", eps=0.01)),
    E("sgmbook.experiments.gaussian_mean.output_density_1d", gaussian_mean.output_density_1d,
      dict(x=X1, atoms=np.array([0.5]), weights=np.array([1.0]), T=2.0, n_steps=20, scheme="ei", eps=0.01)),
    E("sgmbook.bounds.bruno_gaussian.discretisation_constants", bruno_gaussian.discretisation_constants,
      dict(gamma=0.01, T=2.0, scheme="em", eps=0.01)),
    E("sgmbook.bounds.bruno_gaussian.sgld_mse_bound", bruno_gaussian.sgld_mse_bound,
      dict(theta0=np.zeros(2), mu=MU2, n=20, step=0.01, beta=100.0, batch=4, T=2.0, eps=0.1)),
    E("sgmbook.bounds.bruno_gaussian.w2_bound", bruno_gaussian.w2_bound,
      dict(mu_norm=1.0, d=2, mse=0.01, gamma=0.01, T=2.0, scheme="em", eps=0.01)),
    E("sgmbook.experiments.gaussian_mean.steps_to_accuracy", gaussian_mean.steps_to_accuracy,
      dict(delta=0.5, values=np.array([1.0, 0.6, 0.4, 0.3])), valid={"values": ("inf",)}),
    E("sgmbook.bounds.bruno_gaussian.bound_steps", bruno_gaussian.bound_steps,
      dict(delta=2.0, mu_norm=1.0, d=2, mse=0.01, T=5.0, scheme="em", eps=0.01)),
    # ---- experiments.log_concave
    E("sgmbook.experiments.log_concave.log_concavity_1d", log_concave.log_concavity_1d,
      dict(target=MIX1, times=np.array([0.0, 0.5]), x=X1)),
    E("sgmbook.experiments.log_concave.BiasedScore", log_concave.BiasedScore,
      dict(target=G1, eta=0.1, kind="cos")),
    E("sgmbook.experiments.log_concave.BiasedScore.affine", BIASED2.affine, dict(t=0.5)),
    E("sgmbook.experiments.log_concave.BiasedScore.bias", BIASED.bias, dict(t=0.5, x=np.zeros((3, 1)))),
    E("sgmbook.experiments.log_concave.BiasedScore.eps_sn_bound", BIASED.eps_sn_bound, dict(T=2.0, eps=0.1)),
    E("sgmbook.experiments.log_concave.coupling_ratios", log_concave.coupling_ratios,
      dict(score=G1.score, y0=np.zeros((20, 1)), y1=np.full((20, 1), 0.3), T=1.0, eps=0.1, n_steps=10, rng=RNG,
           scheme="em"), callables=("score",)),
    E("sgmbook.experiments.log_concave.gaussian_backward_law", log_concave.gaussian_backward_law,
      dict(mean=np.array([0.5, 0.1]), cov=np.array([1.0, 0.8]), T=2.0, eps=0.1, start_mean=np.zeros(2),
           start_var=np.ones(2))),
    E("sgmbook.experiments.log_concave.diagonal_gaussian_scheme_law", log_concave.diagonal_gaussian_scheme_law,
      dict(model=BIASED2, T=2.0, eps=0.1, n_steps=20, scheme="em")),
    E("sgmbook.experiments.log_concave.grid_path_expectations", log_concave.grid_path_expectations,
      dict(score=_score1, f=lambda t, z: np.ones_like(z), x=X1, density0=P1, T=1.0, eps=0.1, n_steps=10,
           scheme="em"), callables=("score", "f"), valid={"f": ("callable scalar",)}),
    E("sgmbook.experiments.log_concave.gaussian_auxiliary_law", log_concave.gaussian_auxiliary_law,
      dict(model=BIASED2, T=2.0, eps=0.1)),
    E("sgmbook.experiments.log_concave.max_neg_log_hessian_1d", log_concave.max_neg_log_hessian_1d,
      dict(target=MIX1, times=0.5, x=X1)),
    # ---- experiments.manifold_heat (sgmbook.manifold)
    E("sgmbook.experiments.manifold_heat.w2_to_interval", manifold_heat.w2_to_interval,
      dict(x=X1, q=P1, a=1.0, n_cells=400)),
    E("sgmbook.experiments.manifold_heat.mean_square_hessian_1d", manifold_heat.mean_square_hessian_1d,
      dict(target=UI, t=0.5, x=X1)),
]

# heat-flow methods of the manifold targets, the same call for each
for _cls, _obj, _x in ((UniformInterval, UI, np.linspace(-2, 2, 5)), (TwoAtoms, TA, np.linspace(-2, 2, 5)),
                       (UniformCircle, UC, np.array([[0.5, 0.1], [1.0, 1.0]]))):
    for _m in ("logpdf_heat", "grad_heat", "hess_heat", "hessian_norm"):
        _entries.append(E(f"sgmbook.targets.manifold.{_cls.__name__}.{_m}", getattr(_obj, _m), dict(s=0.5, x=_x)))
    for _m in ("logpdf", "score", "hessian_logp"):
        _entries.append(E(f"sgmbook.targets.manifold.{_cls.__name__}.{_m}", getattr(_obj, _m), dict(t=0.5, x=_x)))
_entries.append(E("sgmbook.targets.manifold.TwoAtoms.scaled", TA.scaled, dict(m=0.5)))
_entries.append(E("sgmbook.targets.manifold.UniformCircle.scaled", UC.scaled, dict(m=0.5)))

# ---- functions added with the chapters' numerics moved into the package
_entries += [
    E("sgmbook.bounds.bruno.discretisation_exponent", bruno.discretisation_exponent,
      dict(consts=CONSTS), skip={"consts": "a ScoreModelConstants record, checked by its type"}),
    E("sgmbook.bounds.bruno_gaussian.discretisation_term", bruno_gaussian.discretisation_term,
      dict(gamma=0.01, T=2.0, scheme="em", d=2, second_moment=3.0, eps=0.01)),
    E("sgmbook.bounds.bruno_gaussian.early_stopping_term", bruno_gaussian.early_stopping_term,
      dict(mu_norm=1.0, eps=0.01)),
    E("sgmbook.bounds.bruno_gaussian.initialisation_term", bruno_gaussian.initialisation_term,
      dict(mu_norm=1.0, T=2.0, eps=0.01)),
    E("sgmbook.bounds.bruno_gaussian.sgld_stationary_terms", bruno_gaussian.sgld_stationary_terms,
      dict(step=0.01, beta=100.0, batch=4, T=2.0, eps=0.1)),
    E("sgmbook.experiments.authors_run.authors_coefficients", authors_run.authors_coefficients,
      dict(T=2.0, eps=0.01, n_points=50)),
    E("sgmbook.experiments.authors_run.error_split_l2", authors_run.error_split_l2,
      dict(thetas=THETAS, mu=MU2, schedule=SCHED, T=1.0, eps=0.01, scheme="em")),
    E("sgmbook.experiments.blowup.exact_score_errors", blowup.exact_score_errors,
      dict(M=1.0, scheds=[schedules.uniform(1.0, 0.0, 8)], dx=0.2, scheme="ei"),
      skip={"scheds": "a sequence of Schedule records, checked by type"}),
    E("sgmbook.experiments.blowup.horizon_curvature", blowup.horizon_curvature,
      dict(M=2.0, n=2001, z_extra=6.0)),
    E("sgmbook.experiments.blowup.mass_weighted_curvature", blowup.mass_weighted_curvature,
      dict(M=2.0, tau=0.5, n_x=201)),
    E("sgmbook.experiments.blowup.single_bump_lower_bound", blowup.single_bump_lower_bound,
      dict(tau=0.5, M=2.0)),
    E("sgmbook.experiments.blowup.window_log_weights", blowup.window_log_weights,
      dict(M=2.0, y_extra=3.0, n=2001)),
    E("sgmbook.experiments.dimension.derivative_errors", dimension.derivative_errors,
      dict(target=IMIX, t=0.5, x=np.array([[0.1, 0.2, -0.3]]), h=1e-5),
      skip={"target": "a target object (duck-typed)"}),
    E("sgmbook.experiments.dimension.rescaled_means", dimension.rescaled_means,
      dict(n=3, K=2, rho=1.0, rng=RNG)),
    E("sgmbook.experiments.gaussian_mean.stationary_variance", gaussian_mean.stationary_variance,
      dict(gamma=0.1, scheme="em")),
    E("sgmbook.experiments.local_lipschitz.bump_window_curvature",
      local_lipschitz.bump_window_curvature,
      dict(target=FLOW, Ms=np.array([1.0]), centres=np.array([0.0]), tau=0.5, n_wide=21, n_core=31),
      skip={"target": "a flow object (duck-typed)"}),
    E("sgmbook.experiments.log_concave.bias_size_for_eps_sn", log_concave.bias_size_for_eps_sn,
      dict(T=2.0, eps=0.01, eps_sn=0.1)),
    E("sgmbook.experiments.log_concave_terms.gaussian_row", log_concave_terms.gaussian_row,
      dict(case="c", mean=np.array([0.5, 0.0]), cov=np.array([1.0, 0.8]), eta=0.1, T=2.0, eps=0.01,
           n_steps=20, scheme="ei"), valid={"case": ("unknown name",)}),
    E("sgmbook.experiments.log_concave_terms.mixture_rows", log_concave_terms.mixture_rows,
      dict(case="m", a=0.5, variance=0.5, w=0.5, eta=0.1, T=2.0, eps=0.05, n_steps=10,
           x=np.linspace(-6.0, 6.0, 121), y=np.linspace(-6.0, 6.0, 121), n_fine=20,
           scheme_names=("ei",)),
      skip={"scheme_names": "a tuple of scheme names, each checked by the scheme table"},
      valid={"case": ("unknown name",)}),
    E("sgmbook.experiments.manifold_heat.early_stopping_errors", manifold_heat.early_stopping_errors,
      dict(target=UI, x=np.linspace(-3.0, 3.0, 121), T=1.0, deltas=np.array([0.05, 0.1]), n_steps=10),
      skip={"target": "a heat target object (duck-typed)"}),
]


def _module_registries() -> tuple[list[Entry], set[str]]:
    """Entries and containers kept in ``tests/registry_<module>.py`` files, one per experiments module
    (lists ``ENTRIES`` and, optionally, a set ``CONTAINERS``), beside the tests of that module."""
    import pathlib

    entries, containers = [], set()
    for path in sorted(pathlib.Path(__file__).parent.glob("registry_*.py")):
        mod = importlib.import_module(path.stem)
        entries += mod.ENTRIES
        containers |= set(getattr(mod, "CONTAINERS", ()))
    return entries, containers


_more_entries, _more_containers = _module_registries()
_entries += _more_entries
ENTRIES: dict[str, Entry] = {e.name: e for e in _entries}
assert len(ENTRIES) == len(_entries), "duplicate registry names"

# Result records: they hold values and check nothing (constructing one is not an entry point).
CONTAINERS = {
    "sgmbook.bounds.bruno.ScoreModelConstants", "sgmbook.bounds.bruno.FourTermBound",
    "sgmbook.bounds.bruno.Prescription", "sgmbook.bounds.exact_terms.GaussianTermCounterparts",
    "sgmbook.experiments.authors_run.Run", "sgmbook.targets.heat.Evolution", "sgmbook.schedules.Schedule",
    "sgmbook.schemes.Scheme", "sgmbook.training.LossMoments", "sgmbook.training.ThetaLaw",
    "sgmbook.experiments.gaussian_mean.ErrorSplit", "sgmbook.targets.Target",
    "sgmbook.experiments.blowup.HorizonCurvature", "sgmbook.experiments.log_concave_terms.FourTermRow",
    "sgmbook.experiments.log_concave_terms.TermCounterparts",
}
CONTAINERS |= _more_containers


def public_names() -> set[str]:
    """``module.name`` of every callable in the ``__all__`` of every sgmbook module (book tooling left
    out), named by the module that defines it."""
    names = set()
    mods = ["sgmbook"] + [m.name for m in pkgutil.walk_packages(sgmbook.__path__, "sgmbook.")
                          if not m.name.rsplit(".", 1)[-1].startswith("_")]
    for mn in mods:
        if mn.startswith(EXCLUDED_MODULES):
            continue
        mod = importlib.import_module(mn)
        for n in getattr(mod, "__all__", []):
            obj = getattr(mod, n)
            if inspect.ismodule(obj) or not callable(obj):
                continue
            names.add(f"{obj.__module__}.{obj.__qualname__}")
    return names


# ---- mutation families -------------------------------------------------------------------------------
# Each family maps a valid value to a list of (label, bad value).  INVALID families are wrong for every
# parameter they apply to (the call must raise); DOMAIN families may be valid for some parameters (a
# negative evaluation point, a zero mean) and are only counted by the harness.  The extreme values are the
# documented limits of the package: times down to 1e-12, |x| up to 1e4, sizes up to 1e12 (refused by the
# allocation limit before allocating).

class _Odd:
    """An object of no numeric type."""

    def __repr__(self) -> str:
        return "<odd object>"


def _is_real_scalar(v) -> bool:
    return isinstance(v, (float, int, np.floating, np.integer)) and not isinstance(v, (bool, np.bool_))


def _float_array(v) -> bool:
    return isinstance(v, np.ndarray) and v.dtype.kind in "fi"


def _nan_in(a: np.ndarray) -> np.ndarray:
    b = np.array(a, dtype=float)
    b.flat[b.size // 2] = np.nan
    return b


def _inf_in(a: np.ndarray) -> np.ndarray:
    b = np.array(a, dtype=float)
    b.flat[0] = np.inf
    return b


def invalid_mutations(value) -> list[tuple[str, Any]]:
    """Mutations that no parameter of this kind accepts."""
    if isinstance(value, (bool, np.bool_)):
        return [("string", "yes"), ("array", np.array([1.0, 0.0]))]
    if isinstance(value, str):
        return [("unknown name", "no-such-name"), ("int", 3), ("none", None)]
    if _is_real_scalar(value):
        out = [("nan", float("nan")), ("inf", float("inf")), ("string", str(value)), ("complex", complex(value, 1.0)),
               ("bool", True), ("none", None), ("object", _Odd())]
        if isinstance(value, (int, np.integer)):
            out.append(("non-integer", float(value) + 0.5))
        return out
    if _float_array(value):
        empty = np.empty((0,) + value.shape[1:]) if value.ndim else np.empty(0)
        out = [("nan", _nan_in(value)), ("inf", _inf_in(value)), ("string", value.astype(str)),
               ("complex", value + 1j), ("bool", np.asarray(value) > 0), ("none", None), ("object", _Odd()),
               ("empty", empty)]
        if value.ndim:
            out.append(("ragged", [list(np.ravel(value)[:2]), [1.0]]))
        return out
    if isinstance(value, np.random.Generator):
        return [("seed", 0), ("none", None), ("legacy", np.random.RandomState(0))]
    if callable(value) or isinstance(value, _Fresh):
        return []
    return [("none", None), ("object", _Odd()), ("string", "x")]


def domain_mutations(value) -> list[tuple[str, Any]]:
    """Mutations that are valid for some parameters and not others."""
    if isinstance(value, (bool, np.bool_, str)):
        return []
    if _is_real_scalar(value):
        out = [("negative", -abs(float(value)) - 1.0 if float(value) == 0 else -float(value)), ("zero", 0 * value),
               ("huge", 10 ** 12 if isinstance(value, (int, np.integer)) else 1e4)]
        if isinstance(value, (float, np.floating)):
            out.append(("tiny", 1e-12))
        return out
    if _float_array(value):
        out = [("negative", -np.abs(value) - 1.0), ("zeros", np.zeros_like(value, dtype=float)),
               ("huge", np.full(value.shape, 1e4))]
        if value.ndim == 1 and value.size > 1:
            out.append(("reversed", value[::-1].copy()))
            out.append(("constant", np.full(value.shape, float(value[0]))))
        out.append(("extra axes", np.asarray(value, dtype=float)[None, None]))
        if value.ndim >= 1:
            out.append(("scalar", float(np.ravel(value)[0])))
        return out
    return []


def misbehaving_callables(value, numeric: bool = True) -> list[tuple[str, Callable]]:
    """A callable returning NaN, inf, the wrong shape, a scalar, None or a string, with the valid
    callable's output otherwise (named so that a message can name it)."""

    def make(label, transform):
        def bad(*args, **kw):
            return transform(value(*args, **kw))
        bad.__name__ = f"bad_{label.replace(' ', '_')}"
        return label, bad

    def nanify(out):
        if isinstance(out, tuple):
            return tuple(nanify(o) for o in out)
        a = np.array(out, dtype=float)
        a.flat[0] = np.nan
        return a

    def infify(out):
        if isinstance(out, tuple):
            return tuple(infify(o) for o in out)
        a = np.array(out, dtype=float)
        a.flat[-1] = np.inf
        return a

    def wrong_shape(out):
        if isinstance(out, tuple):
            return tuple(wrong_shape(o) for o in out)
        a = np.asarray(out, dtype=float)
        return np.concatenate([a.ravel(), a.ravel()[:1]])

    plain = [make("none", lambda out: None), make("string", lambda out: "score"), make("scalar", lambda out: 0.5)]
    if not numeric:
        return plain
    return [make("nan", nanify), make("inf", infify), make("wrong shape", wrong_shape)] + plain


def default_is_none(entry: Entry, param: str) -> bool:
    """Is ``None`` the documented default of the parameter (then None is a valid value)?"""
    try:
        par = inspect.signature(entry.func).parameters.get(param)
    except (TypeError, ValueError):
        return False
    return par is not None and par.default is None


def invalid_for(entry: Entry, param: str) -> list[tuple[str, Any]]:
    """The invalid mutations of one parameter of an entry (None left out where it is the default)."""
    muts = invalid_mutations(entry.kwargs[param])
    muts = [(label, bad) for label, bad in muts if label not in entry.valid.get(param, ())]
    if default_is_none(entry, param):
        muts = [(label, bad) for label, bad in muts if label != "none"]
    return muts


def names_parameter(message: str, param: str, extra: tuple[str, ...] = ()) -> bool:
    """Does an error message name the parameter (as a word) or one of ``extra``?"""
    import re

    for word in (param,) + tuple(extra):
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", message):
            return True
    return False
