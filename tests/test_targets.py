import numpy as np
import pytest
from scipy.stats import multivariate_normal

from conftest import random_spd
from sgmbook import Gaussian, GaussianMixture, Grid1D, ou


def _fd_score(logpdf, x, h=1e-5):
    out = np.zeros_like(x)
    for j in range(x.shape[1]):
        e = np.zeros(x.shape[1])
        e[j] = h
        out[:, j] = (logpdf(x + e) - logpdf(x - e)) / (2 * h)
    return out


def test_gaussian_logpdf_matches_scipy(rng):
    S = random_spd(rng, 3)
    g = Gaussian(rng.standard_normal(3), S)
    x = rng.standard_normal((5, 3))
    t = 0.4
    m, s2 = np.exp(-t), 1 - np.exp(-2 * t)
    ref = multivariate_normal(m * g.mean, m * m * S + s2 * np.eye(3)).logpdf(x)
    assert np.allclose(g.logpdf(t, x), ref)


@pytest.mark.parametrize("diag", [True, False])
def test_gaussian_score_is_gradient_of_logpdf(rng, diag):
    cov = rng.uniform(0.2, 3.0, 4) if diag else random_spd(rng, 4)
    g = Gaussian(rng.standard_normal(4), cov)
    x = 2 * rng.standard_normal((6, 4))
    for t in (0.0, 0.3, 2.0):
        assert np.allclose(g.score(t, x), _fd_score(lambda z: g.logpdf(t, z), x), atol=1e-6)


def test_gaussian_forward_marginal_vs_monte_carlo(rng):
    S = random_spd(rng, 2)
    g = Gaussian(np.array([1.0, -2.0]), S)
    n, t = 200_000, 0.5
    x = ou.sample_transition(g.sample(n, rng), t, rng)
    gt = g.marginal(t)
    se = np.sqrt(np.diag(gt.cov) / n)
    assert np.all(np.abs(x.mean(0) - gt.mean) < 5 * se)
    assert np.allclose(np.cov(x.T), gt.cov, atol=5 * np.sqrt(2.0 / n) * np.abs(gt.cov).max())


def test_gaussian_log_concavity_propagates():
    g = Gaussian(np.zeros(2), np.array([4.0, 0.25]))
    assert g.log_concavity(0.0) == pytest.approx(0.25)
    t = 0.7
    e = np.exp(-2 * t)
    assert g.log_concavity(t) == pytest.approx(1 / (e / 0.25 + 1 - e))


def test_mixture_score_and_hessian_vs_finite_differences(rng):
    covs = np.array([random_spd(rng, 2), random_spd(rng, 2), random_spd(rng, 2)])
    mix = GaussianMixture([0.2, 0.5, 0.3], rng.standard_normal((3, 2)) * 2, covs)
    x = 2 * rng.standard_normal((5, 2))
    for t in (0.0, 0.2, 1.5):
        assert np.allclose(mix.score(t, x), _fd_score(lambda z: mix.logpdf(t, z), x), atol=1e-6)
        hess = mix.hessian_logp(t, x)
        h = 1e-5
        for j in range(2):
            e = np.zeros(2)
            e[j] = h
            col = (mix.score(t, x + e) - mix.score(t, x - e)) / (2 * h)
            assert np.allclose(hess[:, :, j], col, atol=1e-5)


def test_mixture_stable_far_out():
    mix = GaussianMixture([0.5, 0.5], [[-1.0], [1.0]], [[0.1], [0.1]])
    x = np.array([[1e3], [-1e3]])
    s = mix.score(0.0, x)
    assert np.all(np.isfinite(s))
    assert s[0, 0] == pytest.approx(-(1e3 - 1) / 0.1)


def test_mixture_sample_moments(rng):
    mix = GaussianMixture([0.3, 0.7], [[-2.0], [1.0]], [[0.5], [1.5]])
    x = mix.sample(200_000, rng, t=0.3)
    mt = mix.marginal(0.3)
    mean = float(mt.weights @ mt.means[:, 0])
    assert abs(x.mean() - mean) < 5 * x.std() / np.sqrt(x.shape[0])


def test_grid_matches_mixture():
    mix = GaussianMixture([0.3, 0.7], [[-2.0], [1.0]], [[0.5], [1.5]])
    y = np.linspace(-14, 14, 4001)
    grid = Grid1D(y, mix.logpdf(0.0, y[:, None]))
    x = np.linspace(-5, 5, 41)
    for t in (0.05, 0.4, 2.0):
        assert np.allclose(grid.logpdf(t, x), mix.logpdf(t, x[:, None]), atol=1e-9)
        assert np.allclose(grid.score(t, x), mix.score(t, x[:, None])[:, 0], atol=1e-8)
        assert np.allclose(grid.hessian_logp(t, x), mix.hessian_logp(t, x[:, None])[:, 0], atol=1e-7)


def test_grid_score_is_gradient_of_logpdf():
    y = np.linspace(-10, 10, 2001)
    grid = Grid1D(y, -y ** 2 / 2 - y ** 4 / 4)
    x = np.linspace(-3, 3, 13)
    h = 1e-4
    fd = (grid.logpdf(0.3, x + h) - grid.logpdf(0.3, x - h)) / (2 * h)
    assert np.allclose(grid.score(0.3, x), fd, atol=1e-6)


def test_grid_at_time_zero_uses_finite_differences():
    y = np.linspace(-6, 6, 6001)
    grid = Grid1D(y, -y ** 2 / 2)
    x = np.array([-1.0, 0.5, 2.0])
    assert np.allclose(grid.score(0.0, x), -x, atol=1e-6)
    assert np.allclose(grid.hessian_logp(0.0, x), -1.0, atol=1e-4)


def test_grid_rejects_time_below_resolution():
    y = np.linspace(-5, 5, 101)
    grid = Grid1D(y, -y ** 2 / 2)
    with pytest.raises(ValueError, match="resolution"):
        grid.score(1e-5, np.zeros(3))
    grid.score(grid.min_time(), np.zeros(3))


def test_grid_large_x_is_finite():
    y = np.linspace(-8, 8, 801)
    grid = Grid1D(y, -y ** 2 / 2)
    s = grid.score(0.5, np.array([-1e4, 1e4]))
    assert np.all(np.isfinite(s))


@pytest.mark.parametrize("kwargs, match", [
    (dict(mean=[0.0, 0.0], cov=[[1.0, 2.0], [2.0, 1.0]]), "cov"),
    (dict(mean=[0.0, 0.0], cov=[1.0, -1.0]), "cov"),
    (dict(mean=[0.0, np.nan], cov=[1.0, 1.0]), "mean"),
    (dict(mean=[0.0, 0.0], cov=[1.0, 1.0, 1.0]), "cov"),
])
def test_gaussian_bad_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Gaussian(**kwargs)


def test_score_shape_mismatch_raises():
    g = Gaussian(np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="x"):
        g.score(0.1, np.zeros((3, 3)))


def test_grid_bad_inputs():
    with pytest.raises(ValueError, match="uniform"):
        Grid1D(np.array([0.0, 1.0, 3.0]), np.zeros(3))
    with pytest.raises(ValueError, match="log_density"):
        Grid1D(np.linspace(0, 1, 5), np.zeros(4))
    with pytest.raises(ValueError, match="weights"):
        GaussianMixture([-1.0, 2.0], [[0.0], [1.0]], [[1.0], [1.0]])
