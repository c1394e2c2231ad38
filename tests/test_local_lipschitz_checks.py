"""Tests of sgmbook.experiments.local_lipschitz_checks: closed forms, limits, independent recomputation."""
import numpy as np
import pytest

from sgmbook.bounds import mooney
from sgmbook.bump import multi_bump_potential
from sgmbook.experiments import local_lipschitz_checks as llc
from sgmbook.targets import Grid1D


def test_bump_curvature_matches_direct_evaluation_at_the_focus_points():
    Ms, cs, taus = np.array([1.0, 2.0]), np.array([12.0, 24.0]), np.array([0.5, 1.0])
    bc = llc.bump_curvature(Ms, cs, taus, y_range=(-5.0, 40.0), dy=0.05, fit_from=0)
    y = np.arange(-5.0, 40.0, 0.05)
    target = Grid1D(y, -multi_bump_potential(y, Ms, cs) - 0.5 * y * y)
    for i, tau in enumerate(taus):
        direct = target.hessian_logp(tau / 2, np.exp(tau / 2) * cs)
        np.testing.assert_allclose(bc.centre[i], direct, rtol=1e-12)
    assert np.all(bc.sup >= np.abs(bc.centre) - 1e-12)
    assert np.all(bc.window_min <= bc.window_max)
    np.testing.assert_allclose(bc.growth, np.abs(bc.centre[:, -1] / bc.centre[:, 0]))
    slope = np.polyfit(np.log(Ms), np.log(np.abs(bc.centre[1])), 1)[0]
    assert bc.slope[1] == pytest.approx(slope, rel=1e-10)
    lo, hi = mooney.hessian_logp_bounds(taus, 2.0, 2.0)
    np.testing.assert_array_equal(bc.bound_lo, lo)
    np.testing.assert_array_equal(bc.bound_hi, hi)
    assert np.isfinite(bc.bound_hi[0]) and np.isinf(bc.bound_hi[1])  # tau = 1 > log 2: infinite
    np.testing.assert_array_equal(bc.window_excess,
                                  np.maximum(lo - bc.window_min, bc.window_max - hi))


def test_bump_curvature_lies_in_theorem_31_window_before_the_critical_time():
    # tau = 0.3 < log 2: every sampled curvature lies in Theorem 3.1's window (M0 = M1 = 2); with a
    # wrong constant (M1 = 0.5, window too narrow below) the excess is positive
    args = (np.array([1.0, 2.0]), np.array([12.0, 24.0]), np.array([0.3]))
    bc = llc.bump_curvature(*args, y_range=(-5.0, 40.0), fit_from=0)
    assert bc.window_excess[0] <= 1e-6
    narrow = llc.bump_curvature(*args, y_range=(-5.0, 40.0), fit_from=0, M1=0.5)
    assert narrow.window_excess[0] > 0.1


def test_quadratic_envelope_obeys_theorem_31_before_the_critical_time():
    # one bump of size 2 (|g''| <= 2): at tau = 0.3 < log 2, D2 qbar lies in Theorem 3.1's window
    env = llc.quadratic_envelope(np.array([2.0]), np.array([24.0]), np.array([0.3]), x_max=60.0,
                                 dx=0.01)
    lo, hi = mooney.heat_hessian_bounds(env.s[0], 2.0, 2.0)
    assert lo - 1e-6 <= env.dq_min[0] and env.dq_max[0] <= hi + 1e-6
    assert env.dq_bound_lo[0] == lo and env.dq_bound_hi[0] == hi
    assert env.dq_excess[0] == pytest.approx(max(lo - env.dq_min[0], env.dq_max[0] - hi))
    assert env.dq_excess[0] <= 1e-6
    assert env.s[0] == pytest.approx(1 - np.exp(-0.3), rel=1e-12)
    assert env.n_points[0] == np.arange(0.0, 60.0 * np.exp(0.15) + 1e-9, 0.01).size
    # the excess over A + B x^2 is attained at x = 0 (Gaussian part: |h| = 1 = A)
    assert env.excess_ou[0] == pytest.approx(0.0, abs=1e-9)
    assert 0 < env.tail < 0.05


def test_wellposedness_constants_of_nearly_gaussian_data():
    # a small bump far away: inside |x| <= 5 the data are N(0, 1), so L_R = 1 and
    # max_{|y| >= 1} y b / (1 + y^2) = -y^2 / (1 + y^2) at |y| = 1, i.e. -1/2
    wp = llc.wellposedness_constants(np.array([0.5]), np.array([25.0]), np.array([0.0, 0.2]),
                                     np.array([5.0]), half_width=30.0, dx=0.05)
    np.testing.assert_allclose(wp.L[:, 0], 1.0, atol=1e-3)
    np.testing.assert_allclose(wp.K, -0.5, atol=1e-3)


def test_uniform_interval_lipschitz_blows_up_like_one_over_2t():
    ui = llc.uniform_interval_lipschitz(np.array([1e-2, 1e-3]), radius=2.0, n_points=4001)
    np.testing.assert_allclose(ui.t * ui.L, 0.5, atol=0.01)
    delta = 2 * ui.t
    np.testing.assert_allclose(ui.L_es, 1 + 1 / delta + 1 / delta ** 2, rtol=1e-12)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="centres"):
        llc.bump_curvature(np.array([1.0, 2.0]), np.array([1.0]), np.array([0.5]))
    with pytest.raises(ValueError, match="fit_from"):
        llc.bump_curvature(np.array([1.0, 2.0]), np.array([12.0, 24.0]), np.array([0.5]), fit_from=1)
    with pytest.raises(ValueError, match="radii"):
        llc.wellposedness_constants(np.array([1.0]), np.array([12.0]), np.array([0.0]),
                                    np.array([50.0]), half_width=30.0)


def test_envelope_curve_and_default_radii():
    env = llc.quadratic_envelope(np.array([1.0]), np.array([12.0]), np.array([0.5]), x_max=20.0,
                                 dx=0.05, A=1.5, B=0.01)
    x, y = env.envelope_curve(30.0, n=7)
    assert x[0] == 1.0 and x[-1] == 30.0 and x.size == 7 and np.allclose(y, 1.5 + 0.01 * x ** 2)
    with pytest.raises(ValueError, match="x_end"):
        env.envelope_curve(0.5)
    wp = llc.wellposedness_constants(np.array([1.0]), np.array([12.0]), np.array([0.5]), dx=0.1)
    assert np.array_equal(wp.radii, [10.0, 40.0, 160.0, 640.0]) and np.all(np.diff(wp.L[0]) >= 0)
