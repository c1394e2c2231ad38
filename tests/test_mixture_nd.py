"""n-dimensional targets: finite differences, agreement with targets.Gaussian / GaussianMixture,
structured eigenvalues against dense ones, normalisation, sampling, bad input."""
import numpy as np
import pytest

from sgmbook.targets import CosineRidge, IsotropicMixture
from sgmbook.targets import Gaussian, GaussianMixture


def _mix(n, rng, var=(0.5, 1.0, 1.5, 0.7)):
    return IsotropicMixture([0.1, 0.2, 0.3, 0.4], rng.standard_normal((4, n)), list(var))


def _fd_grad(f, x, h=1e-5):
    n = x.shape[-1]
    return np.stack([(f(x + h * np.eye(n)[i]) - f(x - h * np.eye(n)[i])) / (2 * h) for i in range(n)], -1)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
@pytest.mark.parametrize("kind", ["mix", "ridge"])
def test_score_and_hessian_match_finite_differences(n, kind):
    rng = np.random.default_rng(n)
    tgt = _mix(n, rng) if kind == "mix" else CosineRidge(n, 1.2, rng.standard_normal(n))
    x = 2 * rng.standard_normal((9, n))
    for t in [0.0, 0.1, 0.7]:
        assert np.allclose(tgt.score(t, x), _fd_grad(lambda y: tgt.logpdf(t, y), x), atol=1e-7)
        fd = _fd_grad(lambda y: tgt.score(t, y), x)
        assert np.allclose(tgt.hessian_logp(t, x), fd, atol=1e-7)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 9])
@pytest.mark.parametrize("kind", ["mix", "equal", "ridge"])
def test_structured_extreme_eigs_equal_dense(n, kind):
    rng = np.random.default_rng(10 + n)
    if kind == "ridge":
        tgt = CosineRidge(n, 1.0, rng.standard_normal(n))
    else:
        tgt = _mix(n, rng, (1.0,) * 4 if kind == "equal" else (0.5, 1.0, 1.5, 0.7))
    x = 2 * rng.standard_normal((20, n))
    for t in [0.0, 0.3, 2.0]:
        e = np.linalg.eigvalsh(tgt.hessian_logp(t, x))
        lo, hi = tgt.hessian_extreme_eigs(t, x)
        assert np.allclose(lo, e[:, 0], atol=1e-12) and np.allclose(hi, e[:, -1], atol=1e-12)


def test_mixture_matches_package_targets():
    rng = np.random.default_rng(3)
    n = 5
    mix = _mix(n, rng)
    ref = GaussianMixture(mix.weights, mix.means, np.repeat(mix.variances[:, None], n, 1))
    x = rng.standard_normal((11, n))
    for t in [0.0, 0.4]:
        assert np.allclose(mix.logpdf(t, x), ref.logpdf(t, x), atol=1e-12)
        assert np.allclose(mix.score(t, x), ref.score(t, x), atol=1e-12)
        assert np.allclose(mix.hessian_logp(t, x), ref.hessian_logp(t, x), atol=1e-12)
    g = IsotropicMixture([1.0], [np.full(n, 0.3)], 2.5)
    G = Gaussian(np.full(n, 0.3), np.full(n, 2.5))
    for t in [0.0, 1.0]:
        assert np.allclose(g.logpdf(t, x), G.logpdf(t, x), atol=1e-12)
        assert np.allclose(g.score(t, x), G.score(t, x), atol=1e-12)
        lo, hi = g.hessian_extreme_eigs(t, x)
        h = G.hessian_logp(t, x)[:, 0, 0]
        assert np.allclose(lo, h) and np.allclose(hi, h)


def test_batch_shapes_and_large_n_stability():
    rng = np.random.default_rng(4)
    mix = _mix(512, rng)
    x = 30 * rng.standard_normal((2, 3, 512))
    assert mix.logpdf(0.2, x).shape == (2, 3)
    assert mix.score(0.2, x).shape == (2, 3, 512)
    lo, hi = mix.hessian_extreme_eigs(0.2, x)
    assert lo.shape == (2, 3) and np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))
    assert np.all(np.isfinite(mix.logpdf(0.2, x)))


def test_ridge_is_normalised_and_sampled_correctly():
    r1 = CosineRidge(1, 1.0, [1.3])
    z = np.linspace(-12, 12, 40001)
    for t in [0.0, 0.2, 1.0]:
        assert abs(np.trapezoid(np.exp(r1.logpdf(t, z[:, None])), z) - 1) < 1e-9
    r3 = CosineRidge(3, 1.0, [1.0, 0.5, 0.2])
    rng = np.random.default_rng(5)
    x = r3.sample(100_000, rng, t=0.3)
    p = np.exp(CosineRidge(1, 1.0, [r3.omega]).logpdf(0.3, z[:, None]))
    m2 = np.trapezoid(z * z * p, z)
    proj = x @ r3.u
    se = np.std(proj ** 2) / np.sqrt(proj.size)
    assert abs(np.mean(proj ** 2) - m2) < 4 * se
    perp = x - np.outer(proj, r3.u)
    assert abs(np.mean(np.sum(perp ** 2, 1)) / 2 - 1) < 0.02


def test_mixture_sample_moments():
    rng = np.random.default_rng(6)
    mix = _mix(3, rng)
    x = mix.sample(200_000, rng, t=0.5)
    m = np.exp(-0.5)
    mean = m * mix.weights @ mix.means
    assert np.allclose(x.mean(0), mean, atol=4 * x.std(0).max() / np.sqrt(x.shape[0]))


def test_bad_inputs_raise():
    rng = np.random.default_rng(7)
    with pytest.raises(ValueError, match="variances"):
        IsotropicMixture([1.0], [[0.0]], -1.0)
    with pytest.raises(ValueError, match="means"):
        IsotropicMixture([0.5, 0.5], [[0.0]], 1.0)
    mix = _mix(2, rng)
    with pytest.raises(ValueError, match="x must have shape"):
        mix.score(0.1, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="t must be"):
        mix.logpdf(-1.0, np.zeros((1, 2)))
    with pytest.raises(ValueError, match="w must be nonzero"):
        CosineRidge(2, 1.0, [0.0, 0.0])
    with pytest.raises(ValueError, match="w must have shape"):
        CosineRidge(2, 1.0, [1.0])
    with pytest.raises(ValueError, match="s \\(heat time\\)"):
        CosineRidge(2, 1.0, [1.0, 0.0]).heat_profile(1.5, [0.0])
    with pytest.raises(TypeError, match="rng"):
        mix.sample(3, 0)
