import numpy as np
import pytest

from sgmbook import ou


def test_variance_small_t_keeps_relative_accuracy():
    t = 1e-12
    assert ou.variance(t) == pytest.approx(2 * t, rel=1e-9)


def test_mean_factor_and_variance_sum_to_one_in_stationary_limit():
    t = np.linspace(0, 10, 101)
    assert np.allclose(ou.mean_factor(t) ** 2 + ou.variance(t), 1.0)


def test_transition_matches_monte_carlo(rng):
    x0 = np.full((200_000, 1), 3.0)
    x = ou.sample_transition(x0, 0.7, rng)
    m, s2 = np.exp(-0.7) * 3.0, 1 - np.exp(-1.4)
    n = x.shape[0]
    assert abs(x.mean() - m) < 5 * np.sqrt(s2 / n)
    assert abs(x.var() - s2) < 5 * s2 * np.sqrt(2 / n)


def test_clock_conversions_round_trip():
    t = np.array([0.0, 0.1, 1.0, 5.0])
    assert np.allclose(ou.from_mooney_time(ou.to_mooney_time(t)), t)
    assert np.allclose(ou.from_heat_time(ou.heat_time(t)), t)
    # the Mooney OU law at tau equals the book's law at t = tau / 2
    tau = 0.8
    assert np.exp(-tau / 2) == pytest.approx(ou.mean_factor(ou.from_mooney_time(tau)))
    assert ou.heat_time(ou.from_mooney_time(np.log(2))) == pytest.approx(0.5)


@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf])
def test_bad_times_raise(bad):
    with pytest.raises(ValueError, match="t"):
        ou.variance(bad)


def test_bad_heat_time_raises():
    with pytest.raises(ValueError, match="heat time"):
        ou.from_heat_time(1.0)


def test_rng_type_checked():
    with pytest.raises(TypeError, match="rng"):
        ou.sample_transition(np.zeros((2, 1)), 0.5, 0)
