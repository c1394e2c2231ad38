"""Experiments of the n-dimensional chapter and the n-dimensional bounds."""
import numpy as np
import pytest

from sgmbook.experiments import dimension as dm
from sgmbook.bounds import mooney, mooney_nd as bn
from sgmbook.targets import CosineRidge, IsotropicMixture


def test_mixture_logp0_matrix_bounds_hold_and_are_attained_for_two_components():
    rng = np.random.default_rng(0)
    for n in [1, 3, 20]:
        mu = rng.standard_normal((5, n))
        mix = IsotropicMixture(rng.random(5) + 0.1, mu, 0.7)
        lo, up = bn.isotropic_mixture_logp0_bounds(mu, 0.7)
        x = 3 * rng.standard_normal((4000, n))
        l, h = mix.hessian_extreme_eigs(0.0, x)
        assert l.min() >= lo - 1e-12 and h.max() <= up + 1e-12
    mu = np.array([[-1.0, 0.0], [1.0, 0.0]])
    two = IsotropicMixture([0.5, 0.5], mu, 1.0)
    h = two.hessian_extreme_eigs(0.0, np.zeros((1, 2)))[1][0]
    assert abs(h - bn.isotropic_mixture_logp0_bounds(mu, 1.0)[1]) < 1e-14  # -1 + rho^2 with rho = 1


def test_matrix_bounds_are_the_1d_ones_and_gaussians_attain_them():
    taus = np.linspace(0, 3, 7)
    assert np.array_equal(bn.hessian_logp_matrix_bounds(taus, 2.0, 1.0)[0],
                          mooney.hessian_logp_bounds(taus, 2.0, 1.0)[0])
    for sig2 in [0.3, 3.0]:
        c = 1 / sig2 - 1
        g = IsotropicMixture([1.0], np.zeros((1, 6)), sig2)
        lo, up = bn.hessian_logp_matrix_bounds(taus, -c, c)
        for tau, a, b in zip(taus, lo, up):
            l, h = g.hessian_extreme_eigs(tau / 2, np.ones((1, 6)))
            assert abs(l[0] - a) < 1e-12 and abs(h[0] - b) < 1e-12


def test_identity_mixture_upper_is_tighter_than_theorem():
    mu = np.array([[0.0, 0.0], [3.0, 0.0]])
    M0, M1 = bn.isotropic_mixture_constants(mu, 1.0)
    assert (M0, M1) == (2.25, 0.0)
    taus = np.linspace(0.0, 0.5, 6)
    assert np.all(bn.identity_mixture_upper(taus, mu) <= bn.hessian_logp_matrix_bounds(taus, M0, M1)[1] + 1e-15)


def test_heat_hessian_norm_of_ridge_is_the_1d_curvature():
    rng = np.random.default_rng(1)
    r = CosineRidge(7, 1.0, rng.standard_normal(7))
    y = rng.standard_normal((50, 7))
    t = 0.4
    s = -np.expm1(-2 * t)
    assert np.allclose(dm.heat_hessian_norm(r, t, y), np.abs(r.heat_curvature(s, y @ r.u)), atol=1e-12)


def test_local_sup_lower_is_below_and_close_to_the_exact_sup():
    r = CosineRidge(64, 1.0, np.r_[1.5, np.zeros(63)])
    x0 = np.pi / 1.5 * r.u
    s = 0.5
    t = float(-0.5 * np.log1p(-s))
    for rad in [0.5, 2.0]:
        exact = np.abs(r.heat_curvature(s, np.linspace(x0[0] - rad, x0[0] + rad, 20001))).max()
        val, pt = dm.local_sup_lower(lambda y: dm.heat_hessian_norm(r, t, y), x0, rad,
                                     np.random.default_rng(2), basis=r.u[:, None])
        assert val <= exact + 1e-9 and val >= exact * (1 - 1e-3)
        assert np.linalg.norm(pt - x0) <= rad * (1 + 1e-12)


def test_ball_sample_is_in_the_ball_and_uniform_in_radius():
    y = dm.ball_sample(np.ones(3), 2.0, 20000, np.random.default_rng(3))
    d = np.linalg.norm(y - 1, axis=1)
    assert d.max() <= 2.0
    assert abs(np.mean((d / 2) ** 3) - 0.5) < 0.01  # (|y|/r)^n is uniform on [0, 1]


@pytest.mark.parametrize("n", [1, 4])
def test_girsanov_mc_band_contains_closed_form_on_gaussians(n):
    times = np.linspace(2.0, 0.0, 9)
    g = IsotropicMixture([1.0], np.zeros((1, n)), 0.3)
    est, half = dm.girsanov_term_mc(g, times, 4000, np.random.default_rng(4))
    exact = dm.girsanov_term_gaussian(np.full(n, 0.3), times)
    assert abs(est - exact) < 1.5 * half  # a 1.5 x 95% band: fails with probability ~ 1e-3


def test_girsanov_gaussian_is_additive_first_order_and_bounds_the_exact_kl():
    v = np.array([0.3, 2.0])
    t8, t16 = np.linspace(2, 0, 9), np.linspace(2, 0, 17)
    a = dm.girsanov_term_gaussian(v, t8)
    assert abs(a - dm.girsanov_term_gaussian(v[:1], t8) - dm.girsanov_term_gaussian(v[1:], t8)) < 1e-12
    assert 1.7 < a / dm.girsanov_term_gaussian(v, t16) < 2.3
    for N, tt in [(8, t8), (16, t16)]:
        kl = dm.ei_gaussian_kl(v, 2.0, N)
        assert 0 < kl <= dm.girsanov_term_gaussian(v, tt, n_nodes=12)
    assert dm.ei_gaussian_kl(v, 2.0, 8, start="standard") != dm.ei_gaussian_kl(v, 2.0, 8)


def test_loglog_fit_recovers_a_power_and_has_a_band():
    x = np.array([1.0, 2, 4, 8, 16])
    s, lo, hi = dm.loglog_fit(x, 3 * x ** -1.5)
    assert abs(s + 1.5) < 1e-12 and lo <= s <= hi
    y = 3 * x ** -1.5 * np.exp(np.array([0.1, -0.1, 0.05, 0.0, -0.05]))
    s, lo, hi = dm.loglog_fit(x, y)
    assert lo < -1.5 < hi and hi - lo > 0.01


def test_quoted_shapes_and_bad_inputs():
    assert bn.case_two_dim_factor(np.array([2]))[0] == pytest.approx(2 * (2 * np.log(2)) ** 2)
    assert bn.local_hessian_shape(8, 2.0, 1.0) == pytest.approx(4 * (8 * np.log(8) + 2))
    with pytest.raises(ValueError, match="n must be"):
        bn.case_two_dim_factor(1)
    with pytest.raises(ValueError, match="start"):
        dm.ei_gaussian_kl([1.0], 1.0, 4, start="x")
    with pytest.raises(ValueError, match="times"):
        dm.girsanov_term_gaussian([1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="at least 3"):
        dm.loglog_fit([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(TypeError, match="callable"):
        dm.local_sup_lower(None, np.zeros(2), 1.0, np.random.default_rng(0))


def test_loglog_fit_of_a_constant_is_flat_with_a_zero_width_band():
    s, lo, hi = dm.loglog_fit(np.array([1.0, 2.0, 4.0]), np.full(3, 2.5))
    assert s == 0.0 and lo == 0.0 and hi == 0.0
