"""Chapter 5's bounds at the horizon and on the quadrature window, and the shared posterior core."""
import numpy as np
import pytest

from sgmbook import schedules
from sgmbook.experiments.blowup import (bump_curvature_half, exact_score_errors, horizon_curvature,
                                        mass_weighted_curvature, single_bump_lower_bound,
                                        window_log_weights)
from sgmbook.targets import Grid1D
from sgmbook.targets._posterior import gaussian_kernel_moments
from sgmbook.targets.heat import HeatFlow1D, bump_flow


@pytest.mark.parametrize("M", [0.5, 2.0, 8.0, 64.0])
def test_horizon_curvature_brackets_the_closed_form(M):
    hc = horizon_curvature(M)
    assert abs(hc.value / bump_curvature_half(M) - 1) < 1e-7
    assert hc.lower <= hc.value <= hc.upper


def test_horizon_upper_bound_is_tight_at_large_M():
    hc = horizon_curvature(64.0)
    assert hc.upper / hc.value < 1.02  # a leading constant 2% smaller would fail here
    assert hc.value / hc.lower < 1.03


def test_window_log_weights_bound_and_the_paired_value():
    for M in [4.0, 8.0, 32.0]:
        excess, full, bound = window_log_weights(M, n=80_001)
        assert excess <= bound and full <= bound + 1e-9
        assert abs(full - bound) < 1e-9  # attained at |z| = 4M
    # pairing the top of -g (at 2M) with the distance of 3M does not bound every point at M = 4
    assert window_log_weights(4.0)[1] > -6 * 4.0 - 4.5


def test_gaussian_kernel_moments_against_a_gaussian_prior():
    # prior N(0, 1) on a wide grid: posterior of X_0 given a X_0 + sigma Z = x is Gaussian
    z = np.linspace(-12, 12, 4801)
    h = z[1] - z[0]
    base = -0.5 * z * z - 0.5 * np.log(2 * np.pi) + np.log(h)
    a, sig2 = 0.6, 0.64
    xs = np.array([-1.0, 0.0, 0.7, 2.0])
    logp, mean, var = gaussian_kernel_moments(base, z, a, sig2, xs, rows=3)
    tot = a * a + sig2
    assert np.allclose(logp, -0.5 * xs ** 2 / tot - 0.5 * np.log(2 * np.pi * tot), atol=1e-10)
    assert np.allclose(mean, a * xs / tot, atol=1e-10)
    assert np.allclose(var, sig2 / tot, atol=1e-10)


def test_windowed_and_dense_quadrature_share_the_core():
    f = bump_flow(4.0)
    xs = np.linspace(-20, 20, 301)
    t = 0.4
    fast = f.posterior_moments(t, xs)
    dense = Grid1D(f.z, f.log_density).posterior_moments(t, xs)
    for u, w in zip(fast, dense):
        assert np.allclose(u, w, rtol=1e-10, atol=1e-10)
    # windowing with a larger cutoff changes nothing
    wide = HeatFlow1D(f.z, f.log_density, cutoff=80.0).posterior_moments(t, xs)
    for u, w in zip(fast, wide):
        assert np.allclose(u, w, rtol=1e-12, atol=1e-12)


def test_bad_inputs():
    with pytest.raises(ValueError, match="M"):
        horizon_curvature(-1.0)
    with pytest.raises(ValueError, match="n"):
        window_log_weights(2.0, n=0)


def test_single_bump_lower_bound_holds_and_is_tight_at_log2():
    lhs, rhs, P = single_bump_lower_bound(float(np.log(2.0)), 16.0)
    assert lhs >= rhs and abs(P - 1) < 1e-9
    assert lhs / rhs < 1.1  # at tau = log 2 the bound is within 10% for M = 16
    lhs5, rhs5, _ = single_bump_lower_bound(5.0, 4.0)
    assert lhs5 >= rhs5


def test_mass_weighted_curvature_stays_small_while_the_sup_grows():
    s4, m4 = mass_weighted_curvature(4.0, float(np.log(2.0)))
    s16, m16 = mass_weighted_curvature(16.0, float(np.log(2.0)))
    assert s16 > 10 * s4 and m16 < 2.0 and m4 < 2.0


def test_exact_score_errors_first_order_and_checks_T():
    errs, lost = exact_score_errors(2.0, [schedules.uniform(3.0, 0.0, N) for N in (8, 32)])
    assert lost < 1e-8
    order = np.log(errs[0] / errs[1]) / np.log(4.0)
    assert 0.8 < order < 1.2
    with pytest.raises(ValueError, match="same time T"):
        exact_score_errors(2.0, [schedules.uniform(3.0, 0.0, 8), schedules.uniform(2.0, 0.0, 8)])
    with pytest.raises(ValueError, match="scheds"):
        exact_score_errors(2.0, [])
