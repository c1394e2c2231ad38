"""Tests of sgmbook.experiments.comparison: known limits and independent recomputation."""
import numpy as np
import pytest

from sgmbook.experiments import comparison, gaussian_mean


def test_measurements_limits_on_small_settings():
    m = comparison.measurements(em_steps=np.array([20, 40, 80]), dims=np.array([1, 3]),
                                taus=np.array([0.1, 1.0]), bump_sizes=np.array([4.0, 8.0]),
                                ei_steps=np.array([16, 32]), t_small=1e-2)
    assert m.gap < 1e-12  # N(0, 1/4) attains the lower end of Theorem 3.1
    assert m.spread_d < 1e-10  # isotropy
    assert m.ridge == pytest.approx(1 - 1e-2, abs=1e-12)  # two atoms: t^2 d2 log p(t, 0) = 1 - t
    assert abs(m.t_int - 1) < 0.02
    assert 0.8 < m.s_w2_em < 1.2 and 1.6 < m.s_kl_em < 2.4  # order one in W2, two in KL
    assert m.s_kl_ei < -1.3


def test_bound_ratios_bounds_exceed_exact_errors():
    r = comparison.bound_ratios(np.random.default_rng(0), n_steps=50, d=3)
    assert r.exact_mean <= r.bound_mean and r.exact_four <= r.bound_four
    assert r.discretisation <= r.bound_four
    theta = gaussian_mean.MU_CODE + np.array([0.05, -0.03])
    direct = gaussian_mean.w2_output(theta, gaussian_mean.MU_CODE, T=2.0, n_steps=50, scheme="em")
    assert r.exact_mean == pytest.approx(direct, rel=1e-12)


def test_bad_inputs_raise():
    with pytest.raises(TypeError, match="rng"):
        comparison.bound_ratios(3)
    with pytest.raises(ValueError, match="theta_error"):
        comparison.bound_ratios(np.random.default_rng(0), theta_error=np.zeros(3))
    with pytest.raises(ValueError, match="bump_sizes"):
        comparison.measurements(bump_sizes=np.array([4.0]))
