"""Chapter 1's checks (sgmbook.experiments.setting) against closed forms."""
import numpy as np
import pytest

from sgmbook import laws, schedules
from sgmbook.experiments import setting
from sgmbook.targets import Gaussian


def test_forward_marginal_check_closed_form_and_sampling():
    g = Gaussian(np.array([2.0, -1.0]), np.array([[2.0, 0.6], [0.6, 0.5]]))
    c = setting.forward_marginal_check(g, 0.4, 20_000, np.random.default_rng(3))
    m = np.exp(-0.4)
    assert np.allclose(c.mean, m * g.mean)
    assert np.allclose(c.cov, m * m * g.cov + (1 - m * m) * np.eye(2))
    assert c.z_mean < 5 and c.z_cov < 5
    again = setting.forward_marginal_check(g, 0.4, 20_000, np.random.default_rng(3))
    assert again.z_mean == c.z_mean and again.z_cov == c.z_cov  # seeded: reproducible


def test_scheme_moment_check_exact_law_and_sampling():
    g = Gaussian(np.array([2.0, -1.0]), np.array([1.0, 0.5]))
    sched = schedules.uniform(1.5, 0.05, 6)
    c = setting.scheme_moment_check(g, sched, "em", 20_000, np.random.default_rng(4))
    m, S = laws.gaussian(g.affine_score, np.zeros(2), np.eye(2), sched, scheme="em")
    assert np.allclose(c.mean, m) and np.allclose(c.cov, S)
    assert c.z_mean < 5 and c.z_cov < 5


def test_init_error_convergence_unit_variance_closed_form():
    mu = np.array([1.0, -2.0])
    conv = setting.init_error_convergence(Gaussian(mu, np.ones(2)), 1.0, np.array([40, 80, 160, 320]))
    assert conv.limit == pytest.approx(np.linalg.norm(mu) * np.exp(-2.0), rel=1e-9)
    assert np.all(np.diff(conv.gaps, axis=1) < 0) and np.all(np.abs(conv.gap_slopes + 1) < 0.15)
    with pytest.raises(ValueError, match="diagonal"):
        setting.init_error_convergence(Gaussian(mu, np.eye(2)), 1.0, np.array([4, 8]))


def test_clock_check_closed_forms():
    c = setting.clock_check([0.0, 0.1, np.log(2), 3.0])
    assert np.allclose(c.t_book, [0.0, 0.05, np.log(2) / 2, 1.5]) and c.heat[2] == pytest.approx(0.5)
    assert np.all(c.gaps < 1e-12) and c.gaps.shape == (3,)
    with pytest.raises(ValueError, match="tau"):
        setting.clock_check([-1.0, 1.0])
