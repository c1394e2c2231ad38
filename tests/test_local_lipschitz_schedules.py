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
