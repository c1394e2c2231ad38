"""sgmbook.experiments.blowup_checks against closed forms and independent computations."""
import numpy as np
import pytest

from sgmbook.experiments import blowup_checks as bc
from sgmbook.experiments.blowup import bump_curvature_half, sup_hessian_curve


def test_bump_smoothness_second_differences_and_joints():
    sm = bc.bump_smoothness([1.0, 3.0], n_per_M=100)
    assert np.allclose(sm.h, [0.01, 0.03])
    assert np.allclose(sm.d2_min, -2.0, atol=1e-6) and np.allclose(sm.d2_max, 2.0, atol=1e-6)
    assert np.all(sm.mismatch <= 2 * sm.h * (1 + 1e-6))
    assert np.all(sm.mismatch >= 0.5 * sm.h)  # the kinks of g'' are seen, not smoothed away


def test_horizon_values_agree_with_the_closed_form_and_dense_quadrature():
    hv = bc.horizon_values([2.0, 4.0], dense_Ms=[4.0])
    assert np.allclose(hv.heat, [bump_curvature_half(2.0), bump_curvature_half(4.0)], rtol=1e-6)
    assert np.allclose(hv.ou, -1 + 0.5 * hv.heat, rtol=1e-8)
    assert abs(hv.dense[0] - hv.windowed[0]) < 1e-8 * hv.dense[0]
    with pytest.raises(ValueError, match="dense_Ms"):
        bc.horizon_values([2.0], dense_Ms=[4.0])


def test_sup_curve_study_summaries():
    taus = np.array([0.05, 0.2, 0.4, np.log(2.0), 1.0])
    Ms = np.array([4.0, 8.0])
    sc = bc.sup_curve_study(taus, Ms, n_x=401, late_taus=[1.0])
    assert np.array_equal(sc.sup, sup_hessian_curve(taus, Ms, n_x=401))
    assert sc.k_star == 3 and list(sc.late_k) == [4]
    slope = np.log(sc.sup[1, 3] / sc.sup[0, 3]) / np.log(2.0)
    assert sc.slope == pytest.approx(slope) and sc.local[0] == pytest.approx(slope)
    assert sc.excess <= 1e-8 and 1 <= sc.n_touch <= 3


def test_mechanism_flat_posterior_mode_and_inviscid_slope():
    me = bc.mechanism(8.0)
    assert me.flat < 1e-10
    assert abs(me.mode - me.mode_pred) <= me.h
    s = me.s_values
    assert np.allclose(me.uy[s < 0.5], -2 / (1 - 2 * s[s < 0.5]), rtol=1e-5)
    assert np.all(me.uy[s >= 0.5] <= -(4 * 64 / 3 - 2))


def test_mechanism_curves_normalised_and_odd():
    mc = bc.mechanism_curves(4.0, [0.5, np.log(2.0)], [0.3], np.linspace(-3, 3, 61))
    mass = np.trapezoid(mc.posterior, mc.z, axis=1)
    assert np.allclose(mass, 1.0, atol=1e-10)
    assert np.allclose(mc.u[0], -mc.u[0][::-1], atol=1e-8)  # u is odd (g_M is even)
    assert np.allclose(mc.u[0][25:36], -2 * mc.y[25:36] / (1 - 0.6), rtol=1e-3)  # -2y/(1-2s)


def test_multi_bump_locality_and_centres():
    centres, worst = bc.multi_bump_locality([2.0, 4.0], [0.4], n_y=41)
    assert np.allclose(centres, [0.0, 8 + 16 + 16])
    assert worst < 1e-6
    # a gap too small lets the bumps interact
    _, worst_close = bc.multi_bump_locality([2.0, 4.0], [1.5], gap=0.5, n_y=41)
    assert worst_close > worst


def test_sampling_orders_first_order():
    so = bc.sampling_orders([2.0], 3.0, [8, 16, 32])
    assert so.errors.shape == (1, 3) and np.all(np.diff(so.errors[0]) < 0)
    assert 0.8 < so.orders[0] < 1.3 and so.lost[0] < 1e-8


def test_coarse_window_errors_match_the_schedules_run_directly():
    from sgmbook import schedules
    from sgmbook.experiments.blowup import exact_score_errors

    base, errs = bc.coarse_window_errors(1.0, 1.0, [0.0, 0.5], n_fine=16)
    scheds = [schedules.uniform(1.0, 0.0, 16)] + [schedules.windows(1.0, lo, n_fine=16)
                                                  for lo in (0.0, 0.5)]
    direct, _ = exact_score_errors(1.0, scheds)
    assert base == direct[0] and np.array_equal(errs, direct[1:])
    assert errs[0] > base  # a coarse window at the data end costs accuracy


def test_derived_fields_of_the_records():
    sm = bc.bump_smoothness([1.0, 2.0], n_per_M=50)
    assert np.array_equal(sm.d2_abs, np.maximum(np.abs(sm.d2_min), np.abs(sm.d2_max)))
    hv = bc.horizon_values([2.0, 4.0], dense_Ms=[4.0])
    assert np.allclose(hv.lower, [10 / 3, 58 / 3])
    assert np.allclose(hv.ratio * 4 * hv.Ms ** 2 / 3, hv.heat)
    assert np.all(hv.rel_cf < 1e-6)
    assert hv.paper_ratio == pytest.approx(np.min(hv.closed * 3 / hv.Ms ** 2))
    me = bc.mechanism(4.0, s_values=[0.3, 0.5])
    assert list(me.inviscid) == [True, False]


def test_sup_curve_nearest_and_fit_time():
    taus = np.array([0.05, 0.3, np.log(2.0), 1.0])
    sc = bc.sup_curve_study(taus, [2.0, 4.0], n_x=201, touch_tol=1e-3, late_taus=[1.0])
    assert sc.nearest([0.31, 0.7, 5.0]) == [1, 2, 3]
    # M = 4, 6 sd: M^2 (1 - 2s)/s = 36 at s = 16/68
    assert sc.s_fit(6.0) == pytest.approx(16 / 68)
    with pytest.raises(ValueError, match="n_sd"):
        sc.s_fit(0.0)


def test_running_sup_is_the_largest_over_the_first_sizes():
    taus = np.array([0.05, 0.3, np.log(2.0), 1.0])
    sc = bc.sup_curve_study(taus, [2.0, 4.0], n_x=201, touch_tol=1e-3, late_taus=[1.0])
    assert np.array_equal(sc.running_sup[0], sc.sup[0])
    assert np.array_equal(sc.running_sup[1], np.maximum(sc.sup[0], sc.sup[1]))


def test_sampling_orders_slope_line_has_slope_minus_one_through_the_first_error():
    so = bc.SamplingOrders(np.array([2.0, 3.0]), np.array([8, 16, 32]),
                           np.array([[0.4, 0.2, 0.1], [0.8, 0.5, 0.2]]), np.ones(2), np.zeros(2))
    line = so.slope_line(1)
    assert line[0] == 0.8 and np.allclose(line, [0.8, 0.4, 0.2], rtol=1e-15)
    assert np.allclose(np.diff(np.log(line)) / np.diff(np.log(so.Ns)), -1.0)
    with pytest.raises(ValueError, match="i must be"):
        so.slope_line(2)
    with pytest.raises(TypeError, match="i must be"):
        so.slope_line(1.0)
