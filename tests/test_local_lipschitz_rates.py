"""Tests of sgmbook.experiments.local_lipschitz_rates: closed forms on a Gaussian, the derived bound."""
import numpy as np
import pytest

from sgmbook.bounds import mooney
from sgmbook.experiments import local_lipschitz_rates as llr
from sgmbook.targets import GaussianMixture

MIX = GaussianMixture([0.35, 0.65], [[-2.0], [2.0]], [[0.25], [0.25]])
STD = GaussianMixture([1.0], [[0.0]], [[1.0]])  # N(0, 1): the stationary law
X = np.linspace(-7.0, 7.0, 281)


def test_case_one_floor_closed_forms():
    c1 = llr.case_one_floor(MIX)
    assert c1.m2 == pytest.approx(0.35 * 4.25 + 0.65 * 4.25)
    assert c1.tau_star == pytest.approx(np.log(1 + 1 / c1.L0))
    assert c1.floor == pytest.approx((c1.m2 + 1) * np.exp(-c1.tau_star))
    assert c1.L0 > 0  # the mixture is not log-concave


def test_case_one_gaussian_shape_is_the_formula():
    shape = llr.case_one_gaussian(np.array([8, 32]), variance=0.25, T=2.0, M0=-3.0, M1=3.0)
    tau = 4.0
    expected = (0.25 + 1) * np.exp(-tau) + tau ** 2 * shape.H ** 2 / shape.N
    np.testing.assert_allclose(shape.bound, expected, rtol=1e-12)
    assert shape.H == pytest.approx(mooney.case_one_lipschitz(tau, -3.0, 3.0))
    assert shape.kl[1] < shape.kl[0]
    np.testing.assert_allclose(shape.ratio, shape.bound / shape.kl)


def test_girsanov_term_for_stationary_data_is_the_ou_increment():
    # for p0 = N(0, 1), p_t = N(0, 1): the score is -x, the initialisation term vanishes, and the
    # Girsanov term is sum_k int_0^h E|X_t - X_{t+r}|^2 dr = N * 2 (h - 1 + e^{-h})
    N, T = np.array([2, 4]), 1.0
    gc = llr.girsanov_check(STD, X, T=T, N=N, n_time_nodes=4, n_hermite=8, fit_from=0)
    h = T / N
    np.testing.assert_allclose(gc.girsanov, N * 2 * (h - 1 + np.exp(-h)), rtol=1e-4)
    assert gc.init < 1e-10 and np.all(gc.kl_standard <= gc.bound)
    np.testing.assert_allclose(gc.slack, gc.bound / gc.kl_standard)
    assert np.all(gc.slack >= 1)


def test_girsanov_bound_holds_on_the_mixture():
    gc = llr.girsanov_check(MIX, X, T=2.0, N=np.array([4, 8, 16]), n_time_nodes=3, n_hermite=12,
                            fit_from=0)
    assert np.all(gc.kl_standard <= gc.bound)
    np.testing.assert_allclose(gc.bound, gc.init + gc.girsanov)


def test_horizon_sweep_initialisation_rate_is_two():
    # KL(p_T || N(0, 1)) ~ e^{-2T} (the mean e^{-T} m of p_T): the fitted rate is near 2
    hs = llr.horizon_sweep(MIX, X, T=np.array([2.0, 3.0, 4.0]), steps_per_unit=4, rate_from=2.0,
                           spread_from=2.0)
    assert 1.8 < hs.init_rate < 2.2
    assert np.all(np.diff(hs.init) < 0)
    np.testing.assert_array_equal(hs.N, [8, 12, 16])


def test_uniform_vs_split_agrees_with_girsanov_check_on_uniform_steps():
    sc = llr.uniform_vs_split(MIX, X, T=2.0, N=np.array([8, 16]), t_split=0.5)
    gc = llr.girsanov_check(MIX, X, T=2.0, N=np.array([8, 16]), n_time_nodes=1, n_hermite=2,
                            fit_from=0)
    np.testing.assert_allclose(sc.kl_uniform, gc.kl_standard, rtol=1e-12)
    assert np.all(sc.kl_split < sc.kl_uniform)
    assert sc.gain == pytest.approx(np.mean(sc.kl_uniform / sc.kl_split))
    np.testing.assert_array_equal(sc.kl, [sc.kl_uniform, sc.kl_split])
    np.testing.assert_array_equal(sc.slopes, [sc.slope_uniform, sc.slope_split])


def test_bump_target_is_the_tabulated_bump_density():
    # far from the bump (|y| > 4M) the density is the standard Gaussian: the score at t = 0 is -y
    from sgmbook.bump import bump_log_density

    target = llr.bump_target(1.0, half_width=8.0, n_points=801)
    y = np.linspace(-8.0, 8.0, 801)
    np.testing.assert_allclose(target.logpdf(0.0, y) - target.logpdf(0.0, y)[0],
                               bump_log_density(y, 1.0) - bump_log_density(y, 1.0)[0], atol=1e-9)
    far = np.array([-6.0, 6.0])
    np.testing.assert_allclose(target.score(0.0, far), -far, rtol=1e-3)
    assert abs(float(target.score(0.0, np.array([0.0]))[0])) < 1e-6  # symmetric density


def test_bad_inputs_raise():
    with pytest.raises(TypeError, match="target"):
        llr.girsanov_check(object(), X)
    with pytest.raises(ValueError, match="t_split"):
        llr.uniform_vs_split(MIX, X, T=1.0, t_split=2.0)
    with pytest.raises(ValueError, match="n_points"):
        llr.bump_target(2.0, n_points=2)
    with pytest.raises(ValueError, match="rate_from"):
        llr.horizon_sweep(MIX, X, T=np.array([0.5, 1.0]), rate_from=5.0)


def test_default_grid_is_481_points_on_minus_8_8():
    grid = np.linspace(-8.0, 8.0, 481)
    default = llr.uniform_vs_split(MIX, T=1.0, N=(4, 8))
    assert np.array_equal(default.kl, llr.uniform_vs_split(MIX, grid, T=1.0, N=(4, 8)).kl)
    assert not np.array_equal(default.kl, llr.uniform_vs_split(MIX, X, T=1.0, N=(4, 8)).kl)
    gc = llr.girsanov_check(MIX, T=1.0, N=(2, 4), n_time_nodes=2, n_hermite=4, fit_from=0)
    assert np.array_equal(gc.kl_standard, llr.girsanov_check(MIX, grid, T=1.0, N=(2, 4), n_time_nodes=2,
                                                             n_hermite=4, fit_from=0).kl_standard)
    hs = llr.horizon_sweep(MIX, T=(0.5, 1.0), steps_per_unit=4, rate_from=0.5, spread_from=0.5)
    assert np.array_equal(hs.init, llr.horizon_sweep(MIX, grid, T=(0.5, 1.0), steps_per_unit=4,
                                                     rate_from=0.5, spread_from=0.5).init)
