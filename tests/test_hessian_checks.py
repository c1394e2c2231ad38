"""sgmbook.experiments.hessian_checks against closed forms and independent computations."""
import numpy as np
import pytest

from sgmbook import ou
from sgmbook.bounds import mooney
from sgmbook.experiments import hessian_checks as hc
from sgmbook.targets import Gaussian, GaussianMixture, HeatFlow1D, bump_flow


def test_gaussian_attainment_is_exact_and_matches_the_closed_form():
    taus = np.linspace(0.0, 4.0, 9)
    ga = hc.gaussian_attainment([0.5, 1.0, 3.0], taus)
    e = np.exp(-taus)
    closed = -1.0 / (np.array([0.25, 1.0, 9.0])[:, None] * e + 1.0 - e)
    assert np.allclose(ga.exact, closed, rtol=1e-13)
    assert np.all(ga.gap < 1e-12)
    assert ga.exact.shape == (3, taus.size)


def test_heat_equation_check_small_for_a_mixture_and_large_for_a_wrong_clock():
    mix = GaussianMixture([0.5, 0.5], [[-1.0], [1.0]], [[0.3], [0.3]])
    z = np.linspace(-7, 7, 1401)
    flow = HeatFlow1D(z, mix.logpdf(0.0, z))
    y = np.linspace(-2, 2, 201)
    res = hc.heat_equation_check(flow, [0.2, 0.5], y)
    assert res.worst < 1e-2 * res.size
    # the centred difference in s needs s +- ds inside (0, 1)
    with pytest.raises(ValueError, match="s_values"):
        hc.heat_equation_check(flow, [0.9995], y)


def test_hessian_envelope_of_a_gaussian_is_constant_in_x():
    g = Gaussian(np.zeros(1), np.array([2.0]))
    taus = np.array([0.1, 1.0])
    sup, inf = hc.hessian_envelope(g, taus, np.linspace(-3, 3, 7))
    expected = -1.0 / (2.0 * np.exp(-taus) + 1 - np.exp(-taus))
    assert np.allclose(sup, expected) and np.allclose(inf, expected)


def test_mixture_bound_check_margins_are_nonnegative_and_fail_with_a_smaller_M0():
    mix = GaussianMixture([0.4, 0.6], [[-1.5], [1.0]], [[0.25], [0.5]])
    x = np.linspace(-7, 7, 1001)
    mc = hc.mixture_bound_check(mix, x, np.linspace(0.01, 4.0, 20), np.linspace(0.01, 0.999, 15))
    assert mc.slack_lo >= -1e-9 and mc.slack_up >= -1e-9
    assert mc.tstar == pytest.approx(mooney.blowup_time(mc.M0))
    assert mc.n_up >= 15
    # with M0 halved the upper bound fails at some time before the true horizon
    taus = mc.tstar * np.linspace(0.01, 0.999, 15)
    sup, _ = hc.hessian_envelope(mix, taus, x)
    up = mooney.hessian_logp_bounds(taus, mc.M0 / 2, mc.M1)[1]
    assert np.any(sup > up)


def test_bump_bound_check_attains_the_upper_bound_where_the_posterior_fits():
    bb = hc.bump_bound_check([8.0], np.linspace(0.05, 0.6, 8), n_y=801)
    assert np.all(bb.sup <= bb.upper + 1e-8) and np.all(bb.inf >= bb.lower - 1e-8)
    assert bb.gap[0] < 1e-6
    s = -np.expm1(-bb.tau_fit[0])
    assert 64 * (1 - 2 * s) / s >= 36
    # independent value at y = 0, first time: the flow itself
    flow = bump_flow(8.0)
    d0 = flow.hessian_logp(ou.from_mooney_time(0.05), np.array([0.0]))[0]
    assert d0 <= bb.sup[0, 0] + 1e-12


def test_bump_bound_check_refuses_times_past_the_horizon():
    with pytest.raises(ValueError, match="taus"):
        hc.bump_bound_check([4.0], [0.1, 0.7])


def test_mixture_bound_check_without_a_horizon():
    # a Gaussian N(0, 0.8): M0 = 1 - 1/0.8 < 1, tau* = inf, every time checks the upper bound
    g = Gaussian(np.zeros(1), np.array([0.8]))
    mc = hc.mixture_bound_check(g, np.linspace(-3, 3, 31), np.array([0.5, 2.0]), np.array([0.5]))
    assert mc.tstar == np.inf and mc.n_up == 2
    assert abs(mc.slack_lo) < 1e-12 and abs(mc.slack_up) < 1e-12  # attained by the Gaussian


def test_clock_conversions_against_the_closed_forms():
    clk = hc.clock_conversions([0.0, 0.5, 2.0], M0=4.0)
    assert np.allclose(clk.tau, [0.0, 1.0, 4.0])
    assert np.allclose(clk.heat, 1 - np.exp(-clk.tau), rtol=1e-14, atol=0)
    assert clk.tau_star == pytest.approx(np.log(4.0 / 3.0), rel=1e-14)
    assert hc.clock_conversions([1.0], M0=0.5).tau_star == np.inf  # no horizon for M0 <= 1
    with pytest.raises(ValueError, match="t_book"):
        hc.clock_conversions([-1.0], M0=2.0)


def test_bound_envelope_matches_the_mixture_check_and_the_gaussian_closed_form():
    mix = GaussianMixture([0.4, 0.6], [[-1.5], [1.0]], [[0.25], [0.5]])
    x = np.linspace(-7, 7, 1001)
    env = hc.bound_envelope(mix, np.linspace(0.01, 3.0, 12), x)
    mc = hc.mixture_bound_check(mix, x, np.array([1.0]), np.array([0.5]))
    assert (env.M0, env.M1, env.tstar) == (mc.M0, mc.M1, mc.tstar)
    assert np.all(env.inf >= env.lower - 1e-9)
    early = env.taus < env.tstar
    assert np.all(env.sup[early] <= env.upper[early] + 1e-9)
    # a Gaussian N(0, 2) attains both bounds: sup = inf = lower = upper
    g = Gaussian(np.zeros(1), np.array([2.0]))
    ge = hc.bound_envelope(g, np.array([0.1, 1.0]), np.linspace(-3, 3, 7))
    expected = -1.0 / (2.0 * np.exp(-ge.taus) + 1 - np.exp(-ge.taus))
    assert np.allclose([ge.sup, ge.inf, ge.lower, ge.upper], expected, rtol=1e-12)


def test_bump_bound_check_summaries_and_envelope():
    bb = hc.bump_bound_check([4.0, 8.0], np.linspace(0.05, 0.4, 5), n_y=401)
    assert np.allclose(bb.over, [np.max(bb.sup[i] - bb.upper) for i in range(2)])
    assert np.allclose(bb.under, [np.min(bb.inf[i] - bb.lower) for i in range(2)])
    assert np.all(bb.over <= 1e-8) and np.all(bb.under >= -1e-8)
    env = bb.envelope(1)
    assert np.array_equal(env.sup, bb.sup[1]) and env.tstar == pytest.approx(np.log(2.0))
    with pytest.raises(ValueError, match="i must"):
        bb.envelope(2)
    with pytest.raises(TypeError, match="i must"):
        bb.envelope(1.0)
