import numpy as np
import pytest

from sgmbook import metrics, samplers, schedules
from sgmbook import training as tr
from sgmbook.experiments import gaussian_mean as gm
from sgmbook.metrics import w2_gaussian

MU = gm.MU_CODE


@pytest.mark.parametrize("scheme", ["em", "ei"])
@pytest.mark.parametrize("T, K, eps", [(2.0, 1, 0.0), (2.0, 7, 0.0), (3.0, 40, 0.1), (8.0, 300, 0.0)])
def test_closed_form_coefficients_match_gaussian_law(scheme, T, K, eps):
    theta = np.array([0.7, -1.9, 0.2])
    m, S = gm.output_law(theta, T=T, n_steps=K, scheme=scheme, eps=eps)
    c, vK = gm.scheme_coefficients(T, K, scheme, eps)
    assert np.allclose(m, c * theta, rtol=1e-12, atol=1e-14)
    assert np.allclose(S, vK, rtol=1e-12)
    mu = np.array([1.0, 0.0, -2.0])
    assert gm.w2_closed(theta, mu, T=T, n_steps=K, scheme=scheme, eps=eps)[0] == pytest.approx(
        gm.w2_output(theta, mu, T=T, n_steps=K, scheme=scheme, eps=eps), rel=1e-10)


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_exact_law_vs_particles(rng, scheme):
    theta = MU + 0.3
    n = 40_000
    y = samplers.sample(lambda t, x: tr.score_model(t, x, theta), rng.standard_normal((n, 2)),
                        schedules.uniform(2.0, 0.0, 10), scheme=scheme, rng=rng)
    m, S = gm.output_law(theta, T=2.0, n_steps=10, scheme=scheme)
    assert np.all(np.abs(y.mean(0) - m) < 5 * np.sqrt(S / n))
    assert np.all(np.abs(y.var(0) - S) < 5 * S * np.sqrt(2.0 / n))


def test_continuous_limit():
    # c_K -> c_inf and v_K -> 1 as K -> infinity, for both schemes
    for scheme in ("em", "ei"):
        c, vK = gm.scheme_coefficients(3.0, np.array([10 ** 6]), scheme, 0.2)
        assert c[0] == pytest.approx(gm.continuous_coefficient(3.0, 0.2), abs=1e-6)
        assert vK[0] == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_order_one_in_step_size(scheme):
    Ks = 8.0 / np.array([0.1, 0.05, 0.025, 0.0125])
    errs = np.array([gm.w2_output(MU, MU, T=8.0, n_steps=int(K), scheme=scheme) for K in Ks])
    slope = np.polyfit(np.log(8.0 / Ks), np.log(errs), 1)[0]
    assert abs(slope - 1.0) < 0.05


def test_sqrt_d_scaling_with_zero_mean():
    vals = [gm.w2_output(np.zeros(d), np.zeros(d), T=4.0, n_steps=40, scheme="em") / np.sqrt(d)
            for d in (1, 10, 1000)]
    assert np.ptp(vals) < 1e-12 * vals[0]


def test_error_split_point_parameter():
    theta = np.array([-1.0, -0.5])
    T, K, eps = 2.5, 30, 0.05
    es = gm.error_split(theta, MU, T=T, n_steps=K, scheme="em", eps=eps)
    one = np.ones(2)
    cinf = gm.continuous_coefficient(T, eps)
    m, S = gm.output_law(theta, T=T, n_steps=K, scheme="em", eps=eps)
    assert es.early == pytest.approx(w2_gaussian(MU, one, np.exp(-eps) * MU, one))
    assert es.init == pytest.approx(w2_gaussian(np.exp(-eps) * MU, one, cinf * MU, one))
    assert es.opt == pytest.approx(w2_gaussian(cinf * MU, one, cinf * theta, one))
    assert es.disc == pytest.approx(w2_gaussian(cinf * theta, one, m, S))
    exact = w2_gaussian(m, S, MU, one)
    assert es.upper == pytest.approx(exact) and es.lower == pytest.approx(exact)
    assert es.total_sum >= exact


def test_error_split_mixture_bracket_by_sampling(rng):
    # theta-hat random with Cov = iso I + rank1 e e^T; upper^2 = E_theta[W2^2(cond)]
    law = tr.ThetaLaw(np.array([-1.1, -0.7]), 0.02, 0.5, np.array([0.3, -0.2]))
    C = law.iso * np.eye(2) + law.rank1 * np.outer(law.direction, law.direction)
    th = rng.multivariate_normal(law.mean, C, size=20_000)
    c, vK = gm.scheme_coefficients(2.0, 20, "ei")
    cond2 = np.sum((c * th - MU) ** 2, 1) + 2 * (np.sqrt(vK) - 1) ** 2
    es = gm.error_split(law, MU, T=2.0, n_steps=20, scheme="ei")
    assert es.upper ** 2 == pytest.approx(cond2.mean(), abs=5 * cond2.std() / np.sqrt(cond2.size))
    # the mixture is Gaussian here (theta-hat Gaussian), so the Gelbrich lower bound is its exact W2
    mix_cov = vK * np.eye(2) + c * c * C
    assert es.lower == pytest.approx(w2_gaussian(c * law.mean, mix_cov, MU, np.ones(2)), rel=1e-10)
    assert es.lower <= es.upper <= es.total_sum


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_discretisation_constants_hold(scheme):
    for T, eps in [(0.6, 0.0), (2.0, 0.0), (5.0, 0.3), (1.0, 0.9)]:
        K = np.arange(int(np.ceil(2 * (T - eps))), 3000)
        g = (T - eps) / K
        c, vK = gm.scheme_coefficients(T, K, scheme, eps)
        cinf = gm.continuous_coefficient(T, eps)
        consts = np.array([gm.discretisation_constants(gi, T, scheme, eps) for gi in g])
        assert np.all(np.abs(c - cinf) <= consts[:, 0] * g * (1 + 1e-12))
        assert np.all(np.sqrt(vK) - 1 >= -1e-15)
        assert np.all(np.sqrt(vK) - 1 <= consts[:, 1] * g * (1 + 1e-12))


def test_sgld_mse_bound_above_exact():
    mu = np.linspace(-2, 2, 5)
    n = np.array([0, 10, 100, 1000, 10 ** 5])
    for step, beta, batch in [(1e-4, 1e14, 128), (0.05, 1e4, 128), (1.0, 10.0, 1), (0.5, 1e3, 4)]:
        exact = tr.sgld_moments(np.zeros(5), mu, n, step=step, beta=beta, batch=batch, T=2.0)["mse"]
        bound = gm.sgld_mse_bound(np.zeros(5), mu, n, step=step, beta=beta, batch=batch, T=2.0)
        assert np.all(bound >= exact)


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_w2_bound_above_exact_on_grid(scheme):
    for d in (1, 5, 200):
        mu = np.full(d, 1.5 / np.sqrt(d))
        for T, K, n in [(1.0, 2, 0), (2.0, 20, 50), (4.0, 400, 2000)]:
            law = tr.sgld_law(np.zeros(d), mu, n, step=0.05, beta=1e4, batch=16, T=T)
            es = gm.error_split(law, mu, T=T, n_steps=K, scheme=scheme, eps=0.01)
            mse = gm.sgld_mse_bound(np.zeros(d), mu, n, step=0.05, beta=1e4, batch=16, T=T)
            b = gm.w2_bound(1.5, d, mse, gamma=(T - 0.01) / K, T=T, scheme=scheme, eps=0.01)
            assert b >= es.upper >= es.lower


def test_steps_to_accuracy():
    assert gm.steps_to_accuracy(1.0, np.array([3.0, 0.5, 2.0, 0.9, 0.1])) == 4
    assert gm.steps_to_accuracy(1.0, np.array([0.5, 0.4])) == 1
    assert gm.steps_to_accuracy(1.0, np.array([0.5, 1.4])) is None


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_bound_steps_is_a_threshold_and_above_exact(scheme):
    mu = np.full(50, 0.2)
    T = 2.0
    K = gm.bound_steps(0.2, float(np.linalg.norm(mu)), 50, 0.0, T=T, scheme=scheme)
    b = lambda k: gm.w2_bound(float(np.linalg.norm(mu)), 50, 0.0, gamma=T / k, T=T, scheme=scheme)  # noqa: E731
    assert b(K) < 0.2 <= b(K - 1)
    exact = gm.w2_closed(mu, mu, T=T, n_steps=np.arange(1, K + 1), scheme=scheme)
    k_exact = gm.steps_to_accuracy(0.2, exact)
    assert k_exact is not None and k_exact <= K
    assert gm.bound_steps(1e-9, 1.0, 2, 0.0, T=T, scheme=scheme, k_max=1000) is None


def test_bad_inputs():
    with pytest.raises(ValueError, match="scheme"):
        gm.scheme_coefficients(2.0, 10, "rk4")
    with pytest.raises(ValueError, match="gamma"):
        gm.discretisation_constants(0.7, 2.0, "em")
    with pytest.raises(ValueError, match="eps"):
        gm.continuous_coefficient(1.0, 1.0)
    with pytest.raises(ValueError, match="n_steps"):
        gm.scheme_coefficients(2.0, np.array([0, 3]), "em")
    with pytest.raises(ValueError, match="step"):
        gm.sgld_mse_bound(np.zeros(2), MU, 3, step=2.0, beta=1.0, batch=1, T=2.0)
    with pytest.raises(ValueError, match="mu"):
        gm.error_split(np.zeros(3), MU, T=2.0, n_steps=3, scheme="em")
    with pytest.raises(ValueError, match="delta"):
        gm.steps_to_accuracy(-1.0, np.ones(3))


def test_mixture_lower_end_against_exact_one_dimensional_w2():
    x = np.linspace(-12.0, 12.0, 20001)
    mu = np.array([0.8])
    q = np.exp(-0.5 * (x - mu[0]) ** 2)
    for scheme in ("em", "ei"):
        # Gaussian parameter: L(Y_K) is Gaussian and the lower end is the exact W2
        p = gm.output_density_1d(x, np.array([0.5]), np.array([1.0]), T=2.0, n_steps=20, scheme=scheme,
                                 atom_vars=np.array([0.3]))
        es = gm.error_split(tr.ThetaLaw(np.array([0.5]), 0.3, 0.0, np.zeros(1)), mu, T=2.0, n_steps=20,
                            scheme=scheme)
        assert metrics.w2_1d_density(x, p, x, q) == pytest.approx(es.lower, rel=1e-6)
        # two-point parameter: the exact W2 lies in the bracket
        p2 = gm.output_density_1d(x, np.array([-0.2, 1.2]), np.array([0.5, 0.5]), T=2.0, n_steps=20, scheme=scheme)
        es2 = gm.error_split(tr.ThetaLaw(np.array([0.5]), 0.49, 0.0, np.zeros(1)), mu, T=2.0, n_steps=20,
                             scheme=scheme)
        w = metrics.w2_1d_density(x, p2, x, q)
        assert es2.lower <= w <= es2.upper
    with pytest.raises(ValueError, match="weights"):
        gm.output_density_1d(x, np.array([0.0, 1.0]), np.array([0.5, 0.6]), T=2.0, n_steps=5, scheme="em")
