"""Tests of sgmbook.experiments.log_concave: log-concavity estimators, targets with known constants, biased score
models and their regularity constants, synchronous coupling, exact Gaussian laws."""
import numpy as np
import pytest

import sgmbook as sg
from sgmbook.experiments import log_concave as lc
from sgmbook.bounds import bruno as br

X = np.linspace(-6.0, 6.0, 2401)


@pytest.mark.parametrize("a,var,w", [(0.5, 1.0, 0.5), (0.4, 0.6, 0.75), (0.0, 2.0, 0.5)])
def test_mixture_log_concavity_exact_at_zero_and_above_bound_later(a, var, w):
    m = lc.two_point_mixture(a, var, w)
    L = lc.mixture_log_concavity(a, var)
    assert lc.log_concavity_1d(m, np.array([0.0]), X)[0] == pytest.approx(L, abs=1e-5)
    t = np.array([0.05, 0.3, 1.0, 3.0])
    assert np.all(lc.log_concavity_1d(m, t, X) >= br.log_concavity_along_ou(t, L) - 1e-10)


def test_quartic_log_concavity_above_bound():
    q = lc.quartic_target(0.6, np.linspace(-5, 5, 1201))
    t = np.array([0.02, 0.2, 1.0, 2.5])
    est = lc.log_concavity_1d(q, t, np.linspace(-4, 4, 801))
    assert np.all(est >= br.log_concavity_along_ou(t, 0.6))
    assert lc.log_concavity_1d(q, np.array([0.0]), np.linspace(-1, 1, 201))[0] == pytest.approx(0.6, abs=1e-3)


def test_gaussian_log_concavity_is_exact():
    g = sg.Gaussian(np.zeros(1), np.array([2.0]))
    assert lc.log_concavity_1d(g, 0.7, X) == pytest.approx(br.log_concavity_along_ou(0.7, 0.5), rel=1e-12)


def _check_constants(score, consts, xs, d):
    ts = np.linspace(0.002, 6.0, 300)
    h = 1e-5
    for t in ts:
        s = score(t, xs)
        ds = (score(t + h, xs) - score(t - h, xs)) / (2 * h)
        r = np.linalg.norm(xs, axis=1)
        assert np.all(np.linalg.norm(ds, axis=1) <= (consts.time_m0 + consts.time_m1 * r) * (1 + 1e-4))
        assert np.linalg.norm(score(t, np.zeros((1, d)))) <= consts.s0 * (1 + 1e-9)
        # Lipschitz and monotonicity on random pairs
        ys = xs[::-1] + 0.0137  # never equal to xs
        diff = xs - ys
        ds2 = score(t, xs) - score(t, ys)
        n2 = np.sum(diff * diff, axis=1)
        assert np.all(np.sum(ds2 * ds2, axis=1) <= consts.lipschitz ** 2 * n2 * (1 + 1e-9))
        assert np.all(np.sum(ds2 * diff, axis=1) <= -consts.monotonicity * n2 + 1e-12)


@pytest.mark.parametrize("a,var,w,eta", [(0.5, 1.0, 0.5, 0.1), (0.4, 0.6, 0.75, 0.05), (0.3, 1.5, 0.3, 0.0)])
def test_mixture_model_constants_hold(a, var, w, eta):
    m = lc.two_point_mixture(a, var, w)
    model = lc.BiasedScore(m, eta, kind="cos")
    consts = lc.mixture_model_constants(a, var, eta)
    _check_constants(model, consts, np.linspace(-8, 8, 321)[:, None], 1)


def test_gaussian_model_constants_hold(rng):
    d = 4
    mu = rng.standard_normal(d)
    c = rng.uniform(0.4, 1.8, d)
    model = lc.BiasedScore(sg.Gaussian(mu, c), 0.2, kind="const")
    consts = lc.gaussian_model_constants(mu, c, 0.2)
    _check_constants(model, consts, 3 * rng.standard_normal((200, d)), d)


def test_biased_score_bias_size_and_affine_form():
    g = sg.Gaussian(np.array([1.0, -1.0]), np.array([0.5, 2.0]))
    model = lc.BiasedScore(g, 0.3, kind="const", direction=np.array([3.0, 4.0]))
    pts = np.array([[0.1, 0.2], [1.0, -3.0]])
    A, b = model.affine(0.7)
    np.testing.assert_allclose(model(0.7, pts), pts * A + b, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(model.bias(0.7, pts), axis=1), 0.3 * np.exp(-0.7), rtol=1e-12)
    m1 = lc.BiasedScore(lc.two_point_mixture(0.5, 1.0), 0.2)
    assert np.max(np.abs(m1.bias(0.0, X))) <= 0.2
    assert m1.eps_sn_bound(3.0, 0.0) == pytest.approx(0.04 * (1 - np.exp(-6)) / 2)


def test_gaussian_backward_law_from_pT_gives_p_eps_and_matches_fine_scheme():
    mu, c = np.array([0.8, -1.2, 0.0]), np.array([0.5, 1.0, 1.7])
    g = sg.Gaussian(mu, c)
    T, eps = 2.5, 0.05
    pT, pe = g.marginal(T), g.marginal(eps)
    m, s = lc.gaussian_backward_law(mu, c, T=T, eps=eps, start_mean=pT.mean, start_var=pT.cov)
    np.testing.assert_allclose(m, pe.mean, atol=1e-12)
    np.testing.assert_allclose(s, pe.cov, atol=1e-12)
    m0, s0 = lc.gaussian_backward_law(mu, c, T=T, eps=eps, start_mean=np.zeros(3), start_var=np.ones(3))
    mk, sk = sg.laws.gaussian(g.affine_score, np.zeros(3), np.ones(3), sg.schedules.uniform(T, eps, 20000), scheme="ei")
    np.testing.assert_allclose(mk, m0, atol=5e-4)
    np.testing.assert_allclose(sk, s0, atol=5e-4)


def test_diagonal_gaussian_scheme_law_matches_gaussian_law(rng):
    mu, c = rng.standard_normal(5), rng.uniform(0.5, 1.5, 5)
    model = lc.BiasedScore(sg.Gaussian(mu, c), 0.4, kind="const")
    for scheme in ("em", "ei"):
        m1, s1 = lc.diagonal_gaussian_scheme_law(model, T=3.0, eps=0.01, n_steps=300, scheme=scheme)
        m2, s2 = sg.laws.gaussian(model.affine, np.zeros(5), np.ones(5), sg.schedules.uniform(3.0, 0.01, 300),
                                 scheme=scheme)
        np.testing.assert_allclose(m1, m2, atol=1e-12)
        np.testing.assert_allclose(s1, s2, atol=1e-12)


def test_coupling_ratios_below_sharp_contraction_and_exact_for_gaussian():
    m = lc.two_point_mixture(0.5, 1.0)
    L = lc.mixture_log_concavity(0.5, 1.0)
    y0 = np.linspace(-2, 2, 41)[:, None]
    T, eps, K = 2.0, 0.05, 400
    r = lc.coupling_ratios(m.score, y0, y0 + 0.3, T=T, eps=eps, n_steps=K, rng=np.random.default_rng(5))
    times = np.linspace(T, eps, K + 1)
    bound = br.backward_contraction(T, times, L, sharp=True)
    assert np.all(r <= bound[:, None] * (1 + 1e-9))
    g = sg.Gaussian(np.zeros(1), np.array([1.0]))
    rg = lc.coupling_ratios(g.score, y0, y0 + 0.3, T=T, eps=eps, n_steps=4000, rng=np.random.default_rng(5), scheme="ei")
    assert rg[-1] == pytest.approx(np.exp(-(T - eps)), rel=2e-3)


def test_grid_path_expectations_consistent_with_grid_law():
    m = lc.two_point_mixture(0.4, 0.6, 0.75)
    x = np.linspace(-5, 5, 300)
    rho0 = np.exp(-x ** 2 / 2)
    ts, ones, rho = lc.grid_path_expectations(m.score, lambda t, z: np.ones_like(z), x, rho0, T=1.0, eps=0.1,
                                              n_steps=10, scheme="ei")
    np.testing.assert_allclose(ones, 1.0, atol=1e-6)
    ref, _ = sg.laws.grid_1d(m.score, x, rho0, sg.schedules.uniform(1.0, 0.1, 10), scheme="ei")
    np.testing.assert_allclose(rho, ref, atol=1e-8)
    assert ts[0] == 1.0 and ts.size == 10


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="w"):
        lc.two_point_mixture(0.5, 1.0, 1.5)
    with pytest.raises(ValueError, match="kind"):
        lc.BiasedScore(lc.two_point_mixture(0.5, 1.0), 0.1, kind="sin")
    with pytest.raises(ValueError, match="eta"):
        lc.BiasedScore(lc.two_point_mixture(0.5, 1.0), -0.1)
    with pytest.raises(ValueError, match="strongly log-concave"):
        lc.mixture_model_constants(1.5, 1.0)
    with pytest.raises(ValueError, match="y1"):
        lc.coupling_ratios(lambda t, x: -x, np.zeros((2, 1)), np.zeros((3, 1)), T=1.0, eps=0.0, n_steps=3, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="scheme"):
        lc.coupling_ratios(lambda t, x: -x, np.zeros((2, 1)), np.ones((2, 1)), T=1.0, eps=0.0, n_steps=3, rng=np.random.default_rng(0),
                           scheme="rk")
    with pytest.raises(TypeError, match="target"):
        lc.log_concavity_1d(3.0, np.array([0.1]), X)
    with pytest.raises(TypeError, match="model"):
        lc.diagonal_gaussian_scheme_law(lc.BiasedScore(lc.two_point_mixture(0.5, 1.0), 0.1), T=1.0, eps=0.0,
                                        n_steps=3, scheme="em")
    with pytest.raises(ValueError, match="start_var"):
        lc.gaussian_backward_law(np.zeros(1), np.ones(1), T=1.0, eps=0.0, start_mean=np.zeros(1),
                                 start_var=-np.ones(1))


def test_gaussian_auxiliary_law_matches_fine_scheme_and_unit_covariance_formula():
    rng = np.random.default_rng(3)
    mu = rng.standard_normal(4)
    c = np.array([0.7, 1.0, 1.0 + 1e-8, 1.6])
    model = lc.BiasedScore(sg.Gaussian(mu, c), 0.3, kind="const")
    m, s = lc.gaussian_auxiliary_law(model, T=3.0, eps=0.05)
    errs = []
    for K in (10 ** 4, 10 ** 5):
        mk, sk = lc.diagonal_gaussian_scheme_law(model, T=3.0, eps=0.05, n_steps=K, scheme="ei")
        errs.append(max(np.abs(mk - m).max(), np.abs(sk - s).max()))
    assert errs[1] < 1e-4 and errs[0] / errs[1] > 8  # first-order convergence to the closed form
    # c = 1: the bias shifts the mean by eta u (e^{-eps} - e^{eps - 2T})
    g = sg.Gaussian(mu, np.ones(4))
    m1, s1 = lc.gaussian_auxiliary_law(lc.BiasedScore(g, 0.3, kind="const"), T=3.0, eps=0.05)
    m0, s0 = lc.gaussian_backward_law(mu, np.ones(4), T=3.0, eps=0.05, start_mean=np.zeros(4), start_var=np.ones(4))
    np.testing.assert_allclose(m1 - m0, 0.3 * np.ones(4) / 2 * (np.exp(-0.05) - np.exp(0.05 - 6.0)), rtol=1e-12)
    np.testing.assert_allclose(s1, s0, rtol=1e-14)
    with pytest.raises(TypeError, match="model"):
        lc.gaussian_auxiliary_law(lc.BiasedScore(g, 0.3, kind="cos"), T=1.0, eps=0.0)


def test_neg_log_hessian_is_below_inverse_noise_variance():
    t = np.array([0.05, 0.3, 1.0, 3.0])
    sig2 = -np.expm1(-2 * t)
    for tgt in (lc.two_point_mixture(0.5, 1.0), lc.two_point_mixture(0.4, 0.6, 0.75),
                lc.quartic_target(0.6, np.linspace(-5, 5, 1201))):
        hi = lc.max_neg_log_hessian_1d(tgt, t, np.linspace(-4, 4, 801))
        lo = lc.log_concavity_1d(tgt, t, np.linspace(-4, 4, 801))
        assert np.all(hi <= 1 / sig2) and np.all(lo <= hi)
    g = sg.Gaussian(np.zeros(1), np.array([2.0]))
    assert lc.max_neg_log_hessian_1d(g, 0.7, X) == pytest.approx(br.log_concavity_along_ou(0.7, 0.5), rel=1e-12)


def test_bias_size_for_eps_sn_inverts_eps_sn_bound():
    target = lc.two_point_mixture(0.5, 1.0, 0.5)
    for eta, T, eps in ((0.3, 2.0, 0.01), (1.7, 5.0, 0.2), (0.0, 1.0, 0.0)):
        esn = lc.BiasedScore(target, eta, kind="const").eps_sn_bound(T, eps)
        assert lc.bias_size_for_eps_sn(T, eps, esn) == pytest.approx(eta, rel=1e-12, abs=1e-15)
    with pytest.raises(ValueError, match="eps"):
        lc.bias_size_for_eps_sn(1.0, 1.0, 0.1)
    with pytest.raises(ValueError, match="eps_sn"):
        lc.bias_size_for_eps_sn(1.0, 0.1, -0.1)
