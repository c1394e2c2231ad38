"""Exact counterparts of the four terms (sgmbook.bounds.exact_terms) against the package's own laws."""
from __future__ import annotations

import numpy as np
import pytest

import sgmbook as sg
from sgmbook.experiments import log_concave as lc
from sgmbook.bounds import bruno as br
from sgmbook.bounds import exact_terms as et


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_counterparts_match_independent_laws(scheme):
    rng = np.random.default_rng(5)
    mu, c = rng.standard_normal(4), np.array([0.6, 1.0, 1.0 + 1e-8, 1.7])
    T, eps, K, eta = 3.0, 0.02, 60, 0.3
    g = sg.Gaussian(mu, c)
    model = lc.BiasedScore(g, eta, kind="const")
    ex = et.gaussian_term_counterparts(mu, c, eta=eta, T=T, eps=eps, n_steps=K, scheme=scheme)
    m, S = sg.laws.gaussian(model.affine, np.zeros(4), np.ones(4), sg.schedules.uniform(T, eps, K), scheme=scheme)
    ma, va = lc.gaussian_auxiliary_law(model, T=T, eps=eps)
    mb, vb = lc.gaussian_backward_law(mu, c, T=T, eps=eps, start_mean=np.zeros(4), start_var=np.ones(4))
    pe = g.marginal(eps)
    assert ex.total == pytest.approx(sg.w2_gaussian(m, S, mu, c), rel=1e-10)
    assert ex.discretisation == pytest.approx(sg.w2_gaussian(ma, va, m, S), rel=1e-9)
    assert ex.score_error == pytest.approx(sg.w2_gaussian(ma, va, mb, vb), rel=1e-9)
    assert ex.initialisation == pytest.approx(sg.w2_gaussian(mb, vb, pe.mean, pe.cov), rel=1e-9)
    assert ex.early_stopping == pytest.approx(sg.w2_gaussian(pe.mean, pe.cov, mu, c), rel=1e-10)
    # the triangle inequality behind the four-term bound
    assert ex.total <= ex.early_stopping + ex.initialisation + ex.score_error + ex.discretisation


def test_early_stopping_tends_to_the_lemma_for_a_point_mass():
    mu = np.array([0.4, -1.0])
    for eps in (0.01, 0.3):
        lem = br.early_stopping_term(eps, 2, float(mu @ mu))
        assert et.gaussian_early_stopping(mu, np.full(2, 1e-12), eps) == pytest.approx(lem, rel=1e-5)


def test_mixture_early_stopping_against_grid_quadrature():
    mix = lc.two_point_mixture(0.4, 0.6, 0.75)
    y = np.linspace(-7.0, 7.0, 4001)
    p0, pe = np.exp(mix.logpdf(0.0, y[:, None])), np.exp(mix.logpdf(0.1, y[:, None]))
    assert et.mixture_early_stopping(0.4, 0.6, 0.75, 0.1) == pytest.approx(sg.w2_1d_density(y, p0, y, pe), rel=1e-4)
    assert et.mixture_early_stopping(0.4, 0.6, 0.75, 0.0) < 1e-6


def test_constant_drift_moment_solves_its_ode_and_approaches_the_lemma():
    b, a = np.array([3.0, -4.0]), 0.9
    s = np.linspace(0.0, 5.0, 50001)
    u = et.constant_drift_moment(b, a, s)
    # u' = 2(1 - 2a) u + 4 b.E[Y] + 2d with E[Y] = 2b(1 - e^{-lam s})/lam
    lam = 2 * a - 1
    rhs = -2 * lam * u + 8 * float(b @ b) * (1 - np.exp(-lam * s)) / lam + 4
    assert np.allclose(np.gradient(u, s)[1:-1], rhs[1:-1], rtol=1e-4, atol=1e-4)
    assert u[0] == pytest.approx(2.0)
    big = np.array([1e3])
    ratio = br.auxiliary_moment_bound(1, et.constant_drift_constants(big, 1.0)) / et.constant_drift_moment(big, 1.0, 50.0)
    assert 1.0 <= ratio < 1.0 + 1e-5


def test_bias_constants_equal_the_chapter_constants():
    rng = np.random.default_rng(1)
    for d in (1, 6):
        mu, c = rng.standard_normal(d), rng.uniform(0.3, 1.8, d)
        assert et.gaussian_bias_constants(mu, c, 0.2) == lc.gaussian_model_constants(mu, c, 0.2)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="cov"):
        et.gaussian_early_stopping(np.zeros(2), np.array([1.0, -1.0]), 0.1)
    with pytest.raises(ValueError, match="cov"):
        et.gaussian_early_stopping(np.zeros(2), np.ones(3), 0.1)
    with pytest.raises(ValueError, match="scheme"):
        et.gaussian_term_counterparts(np.zeros(1), np.ones(1), eta=0.1, T=1.0, eps=0.1, n_steps=3, scheme="rk")
    with pytest.raises(ValueError, match="direction"):
        et.gaussian_term_counterparts(np.zeros(2), np.ones(2), eta=0.1, T=1.0, eps=0.1, n_steps=3,
                                      scheme="em", direction=np.zeros(2))
    with pytest.raises(ValueError, match="a must be > 1/2"):
        et.constant_drift_moment(np.ones(1), 0.5, 1.0)
    with pytest.raises(ValueError, match="w must be in"):
        et.mixture_early_stopping(0.4, 0.6, 1.5, 0.1)
