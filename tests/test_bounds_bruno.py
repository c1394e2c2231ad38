"""Tests of the Bruno et al. bound functions (sgmbook.bounds.bruno): closed forms, limits, and the
four-term bound against exact errors of Gaussian cases."""
import numpy as np
import pytest

import sgmbook as sg
from sgmbook.experiments import log_concave as lc
from sgmbook.bounds import bruno as br


def test_log_concavity_along_ou_is_exact_for_gaussians_and_between_L_and_1():
    t = np.linspace(0.0, 3.0, 31)
    for c in (0.3, 1.0, 2.5):
        g = sg.Gaussian(np.zeros(1), np.array([c]))
        exact = np.array([g.log_concavity(float(s)) for s in t])
        np.testing.assert_allclose(br.log_concavity_along_ou(t, 1.0 / c), exact, rtol=1e-12)
        lt = br.log_concavity_along_ou(t, 1.0 / c)
        assert np.all(lt >= min(1.0, 1.0 / c) - 1e-15) and np.all(lt <= max(1.0, 1.0 / c) + 1e-15)
    assert br.log_concavity_floor(3.0) == 1.0 and br.log_concavity_floor(0.4) == 0.4


def test_backward_contraction_sharp_matches_gaussian_flow_and_is_below_crude():
    T = 3.0
    eps = np.linspace(0.05, T, 7)  # the lemma needs eps > 0
    for L in (0.3, 0.8, 1.0, 2.0):
        sharp = br.backward_contraction(T, eps, L, sharp=True)
        crude = br.backward_contraction(T, eps, L)
        # exp(int_eps^T (1 - 2 L_t) dt) by quadrature
        for e, s in zip(eps, sharp):
            tt = np.linspace(e, T, 20001)
            f = 1.0 - 2.0 * br.log_concavity_along_ou(tt, L)
            quad = np.exp(np.sum(0.5 * (f[1:] + f[:-1]) * np.diff(tt)))
            assert s == pytest.approx(quad, rel=1e-7)
        assert np.all(sharp <= crude * (1 + 1e-12))
    np.testing.assert_allclose(br.backward_contraction(T, eps, 1.0, sharp=True), np.exp(-(T - eps)), rtol=1e-12)


def test_early_stopping_term_bounds_exact_gaussian_w2():
    rng = np.random.default_rng(0)
    for d in (1, 5, 50):
        mu = rng.standard_normal(d)
        c = rng.uniform(0.3, 2.0, d)
        g = sg.Gaussian(mu, c)
        m2 = float(mu @ mu + c.sum())
        for eps in (1e-3, 0.1, 1.0):
            pe = g.marginal(eps)
            exact = sg.w2_gaussian(pe.mean, pe.cov, mu, c)
            term = br.early_stopping_term(eps, d, m2)
            assert exact <= term
            assert term <= br.early_stopping_constant(d, m2) * np.sqrt(eps) * (1 + 1e-12)


def test_initialisation_term_is_attained_by_unit_variance_gaussian():
    mu = np.array([1.5, -0.5, 2.0])
    c = np.ones(3)
    for T, eps in ((1.0, 1e-3), (2.5, 0.1)):
        m, s = lc.gaussian_backward_law(mu, c, T=T, eps=eps, start_mean=np.zeros(3), start_var=np.ones(3))
        pe = sg.Gaussian(mu, c).marginal(eps)
        exact = sg.w2_gaussian(m, s, pe.mean, pe.cov)
        bound = br.initialisation_term(T, eps, 1.0, float(np.linalg.norm(mu)))
        assert exact == pytest.approx(bound, rel=1e-10)


def test_score_error_constant_limits():
    assert br.score_error_constant(50.0, 0.0, 1.0) == pytest.approx(np.sqrt(2.0), rel=1e-12)
    assert br.score_error_constant(3.0, 1.0, 0.5) == pytest.approx(2.0 * np.sqrt(2.0), rel=1e-12)
    assert br.score_error_constant(50.0, 0.0, 0.75) == pytest.approx(2.0, rel=1e-12)
    # increasing in T
    vals = [br.score_error_constant(T, 0.0, 0.7) for T in (0.5, 1.0, 2.0, 4.0)]
    assert np.all(np.diff(vals) > 0)


def _consts():
    return br.ScoreModelConstants(lipschitz=1.5, monotonicity=0.8, time_m0=0.3, time_m1=0.2, alpha=1.0, s0=0.4)


def test_discretisation_term_scales_like_sqrt_gamma_and_explicit_constant_holds():
    c = _consts()
    ks = np.array([10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6])
    d4 = np.array([br.discretisation_term(3.0, 0.01, int(k), 4, c, "em") for k in ks])
    slope = np.polyfit(np.log(2.99 / ks), np.log(d4), 1)[0]
    assert 0.45 < slope < 0.55
    lam = 2 * c.monotonicity - 1
    for scheme in ("em", "ei"):
        g0 = br.discretisation_step_limit(c, scheme)
        c4 = br.discretisation_constant(4, c, scheme)
        # every step up to gamma_0: D(gamma) <= C4 gamma^{1/2}, and rho <= 1 - lambda gamma / 2
        k_min = int(np.ceil(2.99 / g0))
        for k in np.unique(np.concatenate([[k_min, k_min + 1], np.geomspace(k_min, 10 ** 6, 25).astype(int)])):
            g = 2.99 / k
            assert g <= g0 * (1 + 1e-12)
            assert br.discretisation_term(3.0, 0.01, int(k), 4, c, scheme) <= c4 * np.sqrt(g)
            a, cc, _ = (float(z) for z in sg.schemes.coefficients(scheme, g))
            rho = np.sqrt(a * a - 2 * a * cc * c.monotonicity + cc * cc * c.lipschitz ** 2)
            assert rho <= 1 - lam * g / 2 + 1e-15
    # the limit is the one stated: g0 = min(1, lambda / (4 l^2 - 4 kappa + 1)), log(1 + g0) for EI
    g0 = min(1.0, lam / (4 * c.lipschitz ** 2 - 4 * c.monotonicity + 1))
    assert br.discretisation_step_limit(c, "em") == pytest.approx(g0, rel=1e-14)
    assert br.discretisation_step_limit(c, "ei") == pytest.approx(np.log1p(g0), rel=1e-14)


def test_discretisation_term_bounds_exact_distance_to_auxiliary_law():
    rng = np.random.default_rng(5)
    d = 6
    mu, c = 0.5 * rng.standard_normal(d), np.linspace(0.7, 1.3, d)
    model = lc.BiasedScore(sg.Gaussian(mu, c), 0.2, kind="const")
    consts = lc.gaussian_model_constants(mu, c, 0.2)
    m_aux, v_aux = lc.gaussian_auxiliary_law(model, T=3.0, eps=0.02)
    for scheme in ("em", "ei"):
        for K in (10, 40, 160):
            m, S = sg.laws.gaussian(model.affine, np.zeros(d), np.ones(d), sg.schedules.uniform(3.0, 0.02, K), scheme=scheme)
            exact = sg.w2_gaussian(m, S, m_aux, v_aux)
            assert 0 < exact <= br.discretisation_term(3.0, 0.02, K, d, consts, scheme)


def test_score_error_term_is_attained_for_unit_covariance_and_constant_bias():
    mu = np.array([0.4, -1.0, 0.3])
    for eta, T, eps in ((0.1, 2.0, 0.01), (0.5, 5.0, 0.2)):
        model = lc.BiasedScore(sg.Gaussian(mu, np.ones(3)), eta, kind="const")
        m_aux, v_aux = lc.gaussian_auxiliary_law(model, T=T, eps=eps)
        m_bar, v_bar = lc.gaussian_backward_law(mu, np.ones(3), T=T, eps=eps, start_mean=np.zeros(3),
                                                start_var=np.ones(3))
        effect = sg.w2_gaussian(m_aux, v_aux, m_bar, v_bar)
        bound = br.score_error_constant(T, eps, 1.0) * np.sqrt(model.eps_sn_bound(T, eps))
        assert effect == pytest.approx(bound, rel=1e-12)
        assert effect == pytest.approx(eta * (np.exp(-eps) - np.exp(eps - 2 * T)), rel=1e-12)
    # strict for other covariances
    for cs in (0.6, 1.5):
        c = np.full(3, cs)
        model = lc.BiasedScore(sg.Gaussian(mu, c), 0.3, kind="const")
        m_aux, v_aux = lc.gaussian_auxiliary_law(model, T=3.0, eps=0.05)
        m_bar, v_bar = lc.gaussian_backward_law(mu, c, T=3.0, eps=0.05, start_mean=np.zeros(3), start_var=np.ones(3))
        effect = sg.w2_gaussian(m_aux, v_aux, m_bar, v_bar)
        assert effect < br.score_error_constant(3.0, 0.05, 1 / cs) * np.sqrt(model.eps_sn_bound(3.0, 0.05))


def test_four_term_bound_holds_for_gaussians():
    rng = np.random.default_rng(1)
    for d in (1, 3, 30):
        mu = 0.7 * rng.standard_normal(d)
        c = rng.uniform(0.6, 1.4, d)
        g = sg.Gaussian(mu, c)
        for eta in (0.0, 0.3):
            model = lc.BiasedScore(g, eta, kind="const")
            consts = lc.gaussian_model_constants(mu, c, eta)
            for scheme in ("em", "ei"):
                for T, eps, K in ((2.0, 0.05, 20), (4.0, 0.01, 150)):
                    m, S = sg.laws.gaussian(model.affine, np.zeros(d), np.ones(d), sg.schedules.uniform(T, eps, K),
                                           scheme=scheme)
                    err = sg.w2_gaussian(m, S, mu, c)
                    b = br.four_term_bound(T=T, eps=eps, n_steps=K, d=d, m2=float(mu @ mu + c.sum()),
                                           L=float(1 / c.max()),
                                           w2_data_to_gaussian=sg.w2_gaussian(mu, c, np.zeros(d), np.ones(d)),
                                           eps_sn=model.eps_sn_bound(T, eps), consts=consts, scheme=scheme)
                    assert err < b.total


def test_prescribe_meets_each_term_and_is_minimal():
    mu, c = np.array([0.5, -0.3]), np.array([0.8, 1.2])
    d = 2
    m2 = float(mu @ mu + c.sum())
    c2 = sg.w2_gaussian(mu, c, np.zeros(d), np.ones(d))
    L = float(1 / c.max())

    def consts_for(eps, T, eps_sn):
        eta = np.sqrt(2 * eps_sn / (np.exp(-2 * eps) - np.exp(-2 * T)))
        return lc.gaussian_model_constants(mu, c, float(eta))

    delta = 0.5
    p, consts = br.prescribe(delta, d=d, m2=m2, L=L, w2_data_to_gaussian=c2, consts_for=consts_for, scheme="ei")
    b = br.four_term_bound(T=p.T, eps=p.eps, n_steps=p.n_steps, d=d, m2=m2, L=L, w2_data_to_gaussian=c2,
                           eps_sn=p.eps_sn, consts=consts, scheme="ei")
    assert max(b) <= delta / 4 * (1 + 1e-9) and b.total <= delta * (1 + 1e-9)
    assert br.discretisation_term(p.T, p.eps, p.n_steps - 1, d, consts, "ei") > delta / 4
    assert p.gamma == pytest.approx((p.T - p.eps) / p.n_steps)


def test_bad_inputs_raise():
    c = _consts()
    with pytest.raises(ValueError, match="monotonicity"):
        br.ScoreModelConstants(lipschitz=1.0, monotonicity=2.0, time_m0=0, time_m1=0, alpha=1, s0=0)
    with pytest.raises(ValueError, match="alpha"):
        br.ScoreModelConstants(lipschitz=1.0, monotonicity=0.5, time_m0=0, time_m1=0, alpha=1.5, s0=0)
    with pytest.raises(ValueError, match="eps"):
        br.score_error_constant(1.0, 2.0, 1.0)
    with pytest.raises(ValueError, match="scheme"):
        br.discretisation_term(1.0, 0.0, 10, 1, c, "rk4")
    with pytest.raises(ValueError, match="monotonicity"):
        br.auxiliary_moment_bound(1, br.ScoreModelConstants(1.0, 0.4, 0.0, 0.0, 1.0, 0.0))
    with pytest.raises(TypeError, match="consts"):
        br.auxiliary_moment_bound(1, None)
    with pytest.raises(ValueError, match="monotonicity"):
        br.discretisation_constant(1, br.ScoreModelConstants(1.0, 0.5, 0.0, 0.0, 1.0, 0.0), "em")
    with pytest.raises(ValueError, match="scheme"):
        br.discretisation_step_limit(c, "rk4")
    with pytest.raises(ValueError, match="L"):
        br.backward_contraction(1.0, 0.5, -1.0)
    with pytest.raises(ValueError, match="delta"):
        br.prescribe(-1.0, d=1, m2=1.0, L=1.0, w2_data_to_gaussian=1.0, consts_for=lambda *a: c, scheme="em")


@pytest.mark.parametrize("eps", [0.0, -0.1])
def test_bounds_that_need_positive_eps_raise(eps):
    """The contraction lemma, the initialisation corollary and the four-term theorem need eps > 0."""
    with pytest.raises(ValueError, match="eps must be"):
        br.backward_contraction(2.0, eps, 0.8)
    with pytest.raises(ValueError, match="eps"):
        br.backward_contraction(2.0, np.array([0.5, eps]), 0.8)
    with pytest.raises(ValueError, match="eps must be > 0"):
        br.initialisation_term(2.0, 0.0, 0.8, 1.0)
    with pytest.raises(ValueError, match=r"eps must be in \(0, T\]"):
        br.backward_contraction(2.0, 0.0, 0.8)
    with pytest.raises(ValueError, match="eps"):
        br.four_term_bound(T=2.0, eps=eps, n_steps=10, d=1, m2=1.0, L=0.8, w2_data_to_gaussian=1.0,
                           eps_sn=0.0, consts=_consts(), scheme="em")
    assert br.backward_contraction(2.0, 2.0, 0.8) == 1.0  # eps = T: no time, factor 1


def test_unknown_scheme_names_scheme_and_the_allowed_names():
    c = _consts()
    for call in (lambda s: br.discretisation_term(2.0, 0.1, 10, 1, c, s),
                 lambda s: br.discretisation_step_limit(c, s),
                 lambda s: br.discretisation_constant(1, c, s)):
        with pytest.raises(ValueError, match=r"scheme must be one of \['ei', 'em'\], got 'heun'"):
            call("heun")


def test_discretisation_term_matches_the_lemma_for_both_schemes():
    """D(gamma) = r(gamma) sum_{j<K} rho^j with the lemma's weights, written out here."""
    c = _consts()
    d, T, eps = 3, 2.0, 0.1
    m = np.sqrt(br.auxiliary_moment_bound(d, c))
    B = (1 + 2 * c.lipschitz) * m + 2 * c.s0
    for scheme, K in (("em", 7), ("ei", 7), ("em", 300), ("ei", 300)):
        g = (T - eps) / K
        u = g if scheme == "em" else np.expm1(g)
        a, cc = 1 + u, 2 * u
        w1, w2 = (1 + 2 * c.lipschitz, 2.0) if scheme == "em" else (2 * c.lipschitz * np.exp(g), 2 * np.exp(g))
        r = (w1 * (B * g ** 2 / 2 + 2 * np.sqrt(2 * d) / 3 * g ** 1.5)
             + w2 * (c.time_m0 + c.time_m1 * m) * g ** 2 / 2)
        rho = np.sqrt(a * a - 2 * a * cc * c.monotonicity + cc * cc * c.lipschitz ** 2)
        expected = r * np.sum(rho ** np.arange(K))
        assert br.discretisation_term(T, eps, K, d, c, scheme) == pytest.approx(expected, rel=1e-12)


def test_discretisation_exponent():
    assert br.discretisation_exponent(_consts()) == 0.5
    c = br.ScoreModelConstants(lipschitz=1.5, monotonicity=0.8, time_m0=0.3, time_m1=0.2, alpha=0.3, s0=0.4)
    assert br.discretisation_exponent(c) == pytest.approx(0.3)
    with pytest.raises(TypeError, match="consts"):
        br.discretisation_exponent(None)
