"""Schedules as inputs of the chapter-6 experiments, the shared log-log input checks, and the
random means of fixed spread of the dimension chapter."""
import numpy as np
import pytest

from sgmbook import schedules
from sgmbook._loglog import log_pairs
from sgmbook.bounds.mooney_nd import half_diameter
from sgmbook.experiments import dimension as dm
from sgmbook.experiments import local_lipschitz as ll
from sgmbook.targets import GaussianMixture


def test_old_schedule_names_are_the_times_of_schedules():
    s = schedules.uniform(3.0, 0.1, 7)
    times = ll.uniform_times(3.0, 7, eps=0.1)
    assert times.size == 8 and np.allclose(times[:-1], s.t) and np.isclose(times[-1], 0.1)
    assert np.array_equal(ll.split_times(4.0, 10, 0.5), schedules.split_grid(4.0, 10, 0.5))
    assert np.allclose(ll._as_times(schedules.split(4.0, 10, 0.5)), ll.split_times(4.0, 10, 0.5))


def test_scheme_law_and_girsanov_bound_accept_a_schedule():
    mix = GaussianMixture([0.35, 0.65], [[-2.0], [2.0]], [[0.25], [0.25]])
    x = np.linspace(-6, 6, 241)
    sched = schedules.split(2.0, 8, 0.5)
    times = ll.split_times(2.0, 8, 0.5)
    q_s, lost_s = ll.scheme_law_1d(mix.score, x, T=2.0, times=sched)
    q_a, lost_a = ll.scheme_law_1d(mix.score, x, T=2.0, times=times)
    assert np.allclose(q_s, q_a, atol=1e-14) and abs(lost_s - lost_a) < 1e-14
    b_s = ll.girsanov_discretisation_bound(mix.score, mix.logpdf, sched, x, n_hermite=8)
    b_a = ll.girsanov_discretisation_bound(mix.score, mix.logpdf, times, x, n_hermite=8)
    assert b_s > 0 and np.isclose(b_s, b_a, rtol=1e-13)


def test_loglog_inputs_are_checked_once_for_both_fits():
    lx, ly = log_pairs([1.0, 2.0, 4.0], [3.0, 6.0, 12.0], 2)
    assert np.allclose(np.diff(ly) / np.diff(lx), 1.0)
    for fit, k in ((ll.loglog_slope, 2), (dm.loglog_fit, 3)):
        with pytest.raises(ValueError, match=f"at least {k} points"):
            fit(np.ones(k - 1), np.ones(k - 1))
        with pytest.raises(ValueError, match="y must be > 0"):
            fit(np.arange(1.0, 5.0), np.array([1.0, -1.0, 2.0, 3.0]))
        with pytest.raises(ValueError, match="x must be > 0"):
            fit(np.array([0.0, 1.0, 2.0, 3.0]), np.ones(4))
        with pytest.raises(ValueError, match="same shape"):
            fit(np.arange(1.0, 5.0), np.arange(1.0, 4.0))


def test_rescaled_means_have_the_asked_spread():
    rng = np.random.default_rng(3)
    for n in (1, 5, 64):
        mu = dm.rescaled_means(n, 4, 1.5, rng)
        assert mu.shape == (4, n) and np.isclose(half_diameter(mu), 1.5)
    with pytest.raises(ValueError, match="K must be >= 2"):
        dm.rescaled_means(3, 1, 1.0, rng)
    with pytest.raises(ValueError, match="rho"):
        dm.rescaled_means(3, 2, -1.0, rng)


def test_bump_window_curvature_on_a_gaussian_is_its_constant_curvature():
    from sgmbook.targets import Gaussian

    g = Gaussian(np.zeros(1), np.array([0.25]))  # d2 log p_t = -1 / (e^{-2t}/4 + 1 - e^{-2t})
    Ms, cs = np.array([1.0, 2.0]), np.array([10.0, 30.0])
    tau = 0.6
    xs, h, sup, ratio, centre = ll.bump_window_curvature(g, Ms, cs, tau, n_wide=11, n_core=5)
    c = -1.0 / float(np.ravel(g.marginal(tau / 2).cov)[0])
    assert np.allclose(h, c) and np.allclose(centre, c) and np.allclose(sup, abs(c))
    e = np.exp(tau / 2)
    assert np.isclose(xs.min(), e * (10.0 - 4.5)) and np.isclose(xs.max(), e * (30.0 + 9.0))
    assert np.allclose(ratio, abs(c) / (1 + (e * (cs - 4.5 * Ms)) ** 2))
    with pytest.raises(ValueError, match="Ms"):
        ll.bump_window_curvature(g, np.array([1.0]), cs, tau)


def test_derivative_errors_small_for_exact_targets_and_large_for_a_wrong_score():
    from sgmbook.targets import IsotropicMixture

    rng = np.random.default_rng(5)
    mix = IsotropicMixture([0.3, 0.7], rng.standard_normal((2, 4)), [0.5, 1.0])
    x = rng.standard_normal((10, 4))
    e_s, e_h, e_e = dm.derivative_errors(mix, 0.2, x)
    assert e_s < 1e-7 and e_h < 1e-7 and e_e < 1e-11

    class Wrong(IsotropicMixture):
        def score(self, t, x):
            return 1.01 * super().score(t, x)

    bad = Wrong([0.3, 0.7], mix.means, [0.5, 1.0])
    assert dm.derivative_errors(bad, 0.2, x)[0] > 1e-3
    with pytest.raises(ValueError, match="h"):
        dm.derivative_errors(mix, 0.2, x, h=0.0)
