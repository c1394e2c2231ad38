import numpy as np
import ot
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from conftest import random_spd
from sgmbook import (Gaussian, kl_gaussian, sliced_w2, w2_1d, w2_1d_density, w2_empirical, w2_gaussian)
from sgmbook.metrics import kl_1d_density


@pytest.mark.parametrize("d", [1, 2, 5, 20])
def test_w2_gaussian_vs_pot(rng, d):
    for _ in range(5):
        m1, m2 = rng.standard_normal(d), rng.standard_normal(d)
        S1, S2 = random_spd(rng, d, 0.05), random_spd(rng, d, 0.05)
        ref = ot.gaussian.bures_wasserstein_distance(m1, m2, S1, S2)
        assert w2_gaussian(m1, S1, m2, S2) == pytest.approx(float(ref), rel=1e-8, abs=1e-10)


def test_w2_gaussian_diagonal_forms_agree(rng):
    s1, s2 = rng.uniform(0.1, 3, 6), rng.uniform(0.1, 3, 6)
    m1, m2 = rng.standard_normal(6), rng.standard_normal(6)
    a = w2_gaussian(m1, s1, m2, s2)
    assert a == pytest.approx(w2_gaussian(m1, np.diag(s1), m2, np.diag(s2)), rel=1e-10)
    assert a == pytest.approx(w2_gaussian(m1, s1, m2, np.diag(s2)), rel=1e-10)


def test_w2_gaussian_large_d_diagonal_is_exact():
    d = 10_000
    w = w2_gaussian(np.zeros(d), np.full(d, 1.0 + 1e-6), np.zeros(d), np.ones(d))
    assert w == pytest.approx(np.sqrt(d) * (np.sqrt(1 + 1e-6) - 1), rel=1e-9)


@pytest.mark.parametrize("n, m", [(50, 50), (37, 91), (1, 10)])
def test_w2_1d_vs_pot(rng, n, m):
    a, b = rng.standard_normal(n), 2 * rng.standard_normal(m) + 1
    assert w2_1d(a, b) ** 2 == pytest.approx(float(ot.wasserstein_1d(a, b, p=2)), rel=1e-9)


def test_w2_1d_weighted_vs_pot(rng):
    a, b = rng.standard_normal(20), rng.standard_normal(30)
    wa, wb = rng.uniform(size=20), rng.uniform(size=30)
    ref = ot.wasserstein_1d(a, b, wa / wa.sum(), wb / wb.sum(), p=2)
    assert w2_1d(a, b, wa, wb) ** 2 == pytest.approx(float(ref), rel=1e-9)


def test_w2_1d_density_gaussians_closed_form():
    x = np.linspace(-12, 12, 24001)
    p = np.exp(-(x - 0.5) ** 2 / 2)
    q = np.exp(-(x + 1.0) ** 2 / (2 * 2.25))
    assert w2_1d_density(x, p, x, q) == pytest.approx(np.sqrt(1.5 ** 2 + 0.5 ** 2), rel=1e-5)


def test_w2_1d_density_on_different_grids():
    x = np.linspace(-10, 10, 8001)
    y = np.linspace(-9, 11, 5001)
    w = w2_1d_density(x, np.exp(-x ** 2 / 2), y, np.exp(-(y - 1) ** 2 / 2))
    assert w == pytest.approx(1.0, rel=1e-4)


def test_w2_empirical_vs_1d_and_gaussian(rng):
    a, b = rng.standard_normal((300, 1)), rng.standard_normal((300, 1)) + 1
    assert w2_empirical(a, b) == pytest.approx(w2_1d(a, b), rel=1e-8)


def test_sliced_w2_is_seeded_and_close_in_1d(rng):
    x, y = rng.standard_normal((500, 2)), rng.standard_normal((500, 2)) + np.array([1.0, 0.0])
    assert sliced_w2(x, y, 100, rng=np.random.default_rng(3)) == sliced_w2(x, y, 100, rng=np.random.default_rng(3))
    # mean shift (1, 0) projects to cos(theta); E cos^2 = 1/2
    assert 0.5 < sliced_w2(x, y, 500, rng=np.random.default_rng(0)) < 0.9


def test_kl_gaussian_closed_forms(rng):
    d = 3
    S1, S2 = random_spd(rng, d), random_spd(rng, d)
    m1, m2 = rng.standard_normal(d), rng.standard_normal(d)
    inv = np.linalg.inv(S2)
    ref = 0.5 * (np.trace(inv @ S1) + (m2 - m1) @ inv @ (m2 - m1) - d
                 + np.log(np.linalg.det(S2) / np.linalg.det(S1)))
    assert kl_gaussian(m1, S1, m2, S2) == pytest.approx(ref, rel=1e-9)
    s1, s2 = np.diag(S1), np.diag(S2)
    assert kl_gaussian(m1, s1, m2, s2) == pytest.approx(kl_gaussian(m1, np.diag(s1), m2, np.diag(s2)), rel=1e-9)
    assert kl_gaussian(m1, S1, m1, S1) == pytest.approx(0.0, abs=1e-12)


def test_kl_1d_density_vs_gaussian():
    x = np.linspace(-15, 15, 30001)
    p = np.exp(-(x - 1) ** 2 / 2)
    q = np.exp(-x ** 2 / (2 * 4.0))
    ref = kl_gaussian(np.array([1.0]), np.array([1.0]), np.array([0.0]), np.array([4.0]))
    assert kl_1d_density(x, p, q) == pytest.approx(ref, rel=1e-6)
    with pytest.raises(ValueError, match="q"):
        kl_1d_density(x, p, np.where(x > 0, q, 0.0))


finite = st.floats(-5, 5, allow_nan=False)
samples = arrays(np.float64, st.integers(1, 30), elements=finite)


@settings(max_examples=60, deadline=None)
@given(samples, samples, samples)
def test_w2_1d_is_a_metric(a, b, c):
    ab, ba = w2_1d(a, b), w2_1d(b, a)
    assert ab == pytest.approx(ba, abs=1e-12)
    assert w2_1d(a, a) == pytest.approx(0.0, abs=1e-12)
    assert ab <= w2_1d(a, c) + w2_1d(c, b) + 1e-9


spd_diag = arrays(np.float64, 3, elements=st.floats(0.05, 5))
means = arrays(np.float64, 3, elements=finite)


@settings(max_examples=60, deadline=None)
@given(means, spd_diag, means, spd_diag, means, spd_diag)
def test_w2_gaussian_is_a_metric(m1, s1, m2, s2, m3, s3):
    assert w2_gaussian(m1, s1, m2, s2) == pytest.approx(w2_gaussian(m2, s2, m1, s1), abs=1e-12)
    assert w2_gaussian(m1, s1, m1, s1) == pytest.approx(0.0, abs=1e-12)
    assert w2_gaussian(m1, s1, m2, s2) <= w2_gaussian(m1, s1, m3, s3) + w2_gaussian(m3, s3, m2, s2) + 1e-9
    full = [np.diag(s) for s in (s1, s2)]
    assert w2_gaussian(m1, full[0], m2, full[1]) == pytest.approx(w2_gaussian(m1, s1, m2, s2), rel=1e-7, abs=1e-7)


def test_metrics_bad_inputs():
    with pytest.raises(ValueError, match="m1 and m2"):
        w2_gaussian(np.zeros(2), np.ones(2), np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="S1"):
        w2_gaussian(np.zeros(2), np.array([[1.0, 3.0], [3.0, 1.0]]), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="a"):
        w2_1d(np.array([0.0, np.nan]), np.zeros(2))
    with pytest.raises(ValueError, match="b"):
        w2_1d(np.zeros(3), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="dimension"):
        w2_empirical(np.zeros((3, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="p"):
        w2_1d_density(np.linspace(0, 1, 5), -np.ones(5), np.linspace(0, 1, 5), np.ones(5))
    with pytest.raises(TypeError, match="n_projections"):
        sliced_w2(np.zeros((3, 2)), np.zeros((3, 2)), n_projections=2.5, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng"):
        sliced_w2(np.zeros((3, 2)), np.zeros((3, 2)), 5, rng=0)


def test_gaussian_target_w2_matches_samples(rng):
    g = Gaussian(np.array([0.3]), np.array([2.0]))
    x = g.sample(4000, rng)
    y = rng.standard_normal((4000, 1))
    exact = w2_gaussian(g.mean, g.cov, np.zeros(1), np.ones(1))
    assert abs(w2_1d(x, y) - exact) < 0.1


def test_w2_1d_density_with_underflowed_tails():
    x = np.linspace(-4, 4, 801)
    p = np.exp(-np.maximum(np.abs(x) - 1, 0) ** 2 / 0.012)  # exact zeros and denormals at the ends
    w = w2_1d_density(x, p, x, p)
    assert w == pytest.approx(0.0, abs=1e-12)
    w = w2_1d_density(x, p, x, np.exp(-x ** 2 / 2))
    assert np.isfinite(w) and 0.1 < w < 1.0
