import numpy as np
import pytest
from scipy.integrate import quad

from sgmbook import training as tr

MU = np.array([-1.23486883, -0.89244735])


def _draw(rng, n, mu, T, eps=0.0):
    tau = rng.uniform(eps, T, size=n)
    x0 = mu + rng.standard_normal((n, mu.size))
    z = rng.standard_normal((n, mu.size))
    return tau, x0, z


@pytest.mark.parametrize("T, eps", [(2.0, 0.0), (1.0, 1e-5), (5.0, 0.3)])
def test_loss_moments_match_quadrature(T, eps):
    mom = tr.loss_moments(T, eps)

    def avg(f):
        return quad(f, eps, T)[0] / (T - eps)

    m2 = lambda t: np.exp(-2 * t)  # noqa: E731
    s2 = lambda t: 1 - np.exp(-2 * t)  # noqa: E731
    assert mom.m2 == pytest.approx(avg(m2), rel=1e-10)
    assert mom.c == pytest.approx(avg(lambda t: m2(t) * s2(t)), rel=1e-10)
    assert mom.m4s2 == pytest.approx(avg(lambda t: m2(t) ** 2 * s2(t)), rel=1e-10)
    assert mom.m4s4 == pytest.approx(avg(lambda t: (m2(t) * s2(t)) ** 2), rel=1e-10)


def test_paper_code_values():
    # curvature c = 0.1205 and minimum U(mu) = 0.4908 for T = 2, eps = 0, d = 2
    assert tr.loss_moments(2.0).c == pytest.approx(0.12046, abs=1e-5)
    assert tr.dsm_loss(MU, MU, 2.0) == pytest.approx(0.49084, abs=1e-5)


def test_closed_form_loss_vs_monte_carlo(rng):
    theta = np.array([0.4, -2.0])
    tau, x0, z = _draw(rng, 400_000, MU, 2.0)
    vals = tr.dsm_loss_samples(theta, tau, x0, z)
    mc, se = vals.mean(), vals.std(ddof=1) / np.sqrt(vals.size)
    exact = tr.dsm_loss(theta, MU, 2.0)
    assert abs(mc - exact) < 5 * se


def test_stochastic_gradient_unbiased(rng):
    theta = np.array([1.0, 0.5])
    tau, x0, z = _draw(rng, 400_000, MU, 2.0, eps=0.01)
    H = tr.stochastic_gradient(theta, tau, x0, z)
    mc, se = H.mean(0), H.std(0, ddof=1) / np.sqrt(H.shape[0])
    exact = tr.loss_gradient(theta, MU, 2.0, 0.01)
    assert np.all(np.abs(mc - exact) < 5 * se)


def test_stochastic_gradient_is_derivative_of_sample_loss(rng):
    theta = np.array([0.3, -0.7])
    tau, x0, z = _draw(rng, 50, MU, 2.0)
    H = tr.stochastic_gradient(theta, tau, x0, z)
    h = 1e-6
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        fd = (tr.dsm_loss_samples(theta + e, tau, x0, z) - tr.dsm_loss_samples(theta - e, tau, x0, z)) / (2 * h)
        assert np.allclose(fd, H[:, i], atol=1e-6)


def test_loss_gradient_is_derivative_of_closed_form():
    theta = np.array([0.3, -0.7])
    h = 1e-6
    g = tr.loss_gradient(theta, MU, 3.0, 0.1)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        fd = (tr.dsm_loss(theta + e, MU, 3.0, 0.1) - tr.dsm_loss(theta - e, MU, 3.0, 0.1)) / (2 * h)
        assert fd == pytest.approx(g[i], abs=1e-7)


def test_sgld_mean_and_variance_match_exact_recursion(rng):
    rec = np.array([0, 40, 150])
    kw = dict(step=0.05, beta=1e4, batch=32, T=2.0)
    runs = tr.sgld(np.zeros(2), MU, n_steps=150, rng=rng, chains=600, record=rec, **kw)
    mom = tr.sgld_moments(np.zeros(2), MU, rec, **kw)
    for i in range(1, rec.size):
        x = runs[i]
        n = x.shape[0]
        se_mean = np.sqrt(mom["var"][i] / n)
        assert np.all(np.abs(x.mean(0) - mom["mean"][i]) < 5 * se_mean)
        # variance: CLT band with the sample fourth central moment
        xc = x - x.mean(0)
        se_var = np.sqrt(np.maximum((xc ** 4).mean(0) - xc.var(0) ** 2, 0) / n)
        assert np.all(np.abs(x.var(0, ddof=1) - mom["var"][i]) < 5 * se_var)


def test_sgld_covariance_structure():
    # Cov = iso I + rank1 e0 e0^T with rank1 >= 0 (Jensen: q >= p^2) and diagonal = var
    mu = np.array([1.0, -2.0, 0.5])
    mom = tr.sgld_moments(np.zeros(3), mu, np.array([0, 10, 1000]), step=0.1, beta=1e3, batch=8, T=2.0)
    assert np.all(mom["rank1"] >= 0)
    assert np.allclose(mom["var"], mom["iso"][:, None] + mom["rank1"][:, None] * mu ** 2)
    assert mom["mse"][0] == pytest.approx(float(mu @ mu))
    law = tr.sgld_law(np.zeros(3), mu, 10, step=0.1, beta=1e3, batch=8, T=2.0)
    assert law.second_moment(mu) == pytest.approx(mom["mse"][1])


def test_sgld_stationary_second_moment_tends_to_gibbs():
    # small step: E|theta_inf - mu|^2 -> d / (2 beta c), the Gibbs floor squared
    d, beta = 4, 50.0
    mom = tr.sgld_moments(np.zeros(d), np.ones(d), np.array([10 ** 8]), step=1e-5, beta=beta, batch=128, T=2.0)
    assert mom["mse"][0] == pytest.approx(tr.gibbs_floor(d, beta, 2.0) ** 2, rel=1e-3)


def test_sgld_finite_dataset_targets_its_mean(rng):
    data = MU + rng.standard_normal((20, 2))
    out = tr.sgld(np.zeros(2), MU, step=0.2, beta=1e12, batch=64, n_steps=800, T=2.0, rng=rng, chains=20,
                  data=data)
    assert np.allclose(out[0].mean(0), data.mean(0), atol=0.02)
    assert np.linalg.norm(data.mean(0) - MU) > 0.05


@pytest.mark.parametrize("kwargs, match", [
    (dict(step=-1.0), "step"),
    (dict(beta=0.0), "beta"),
    (dict(batch=0), "batch"),
    (dict(T=1.0, eps=1.0), "eps"),
    (dict(n_steps=0), "n_steps"),
    (dict(record=np.array([5, 11])), "record"),
    (dict(chains=0), "chains"),
])
def test_sgld_bad_inputs(rng, kwargs, match):
    base = dict(step=0.01, beta=1e4, batch=8, n_steps=10, T=2.0, rng=rng)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        tr.sgld(np.zeros(2), MU, **base)


def test_other_bad_inputs():
    with pytest.raises(ValueError, match="step"):
        tr.sgld_moments(np.zeros(2), MU, 5, step=50.0, beta=1.0, batch=1, T=2.0)
    with pytest.raises(ValueError, match="theta"):
        tr.dsm_loss(np.zeros(3), MU, 2.0)
    with pytest.raises(ValueError, match="eps"):
        tr.loss_moments(1.0, 2.0)
    with pytest.raises(ValueError, match="x0"):
        tr.stochastic_gradient(np.zeros(2), np.ones(3), np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="n"):
        tr.sgld_law(np.zeros(2), MU, -1, step=0.1, beta=1.0, batch=1, T=2.0)
    with pytest.raises(TypeError, match="rng"):
        tr.sgld(np.zeros(2), MU, step=0.01, beta=1.0, batch=1, n_steps=1, T=2.0, rng=0)


def test_sgld_stationary_variance_limits():
    import numpy as _np
    d, beta, B, T = 2, 1e4, 128, 2.0
    mom = tr.loss_moments(T)
    for lam in (0.05, 1e-3):
        mb, lg = tr.sgld_stationary_variance(step=lam, beta=beta, batch=B, T=T)
        far = tr.sgld_moments(_np.zeros(d), _np.ones(d), _np.array([10 ** 9]), step=lam, beta=beta, batch=B, T=T)
        assert d * (mb + lg) == pytest.approx(float(far["mse"][0]), rel=1e-10)
        assert mb <= 4 * lam / (3 * B) and lg <= 2 / (3 * beta * mom.c)
    gaps = []
    for lam in (1e-2, 1e-4, 1e-6):
        mb, lg = tr.sgld_stationary_variance(step=lam, beta=beta, batch=B, T=T)
        gaps.append(abs(d * (mb + lg) / tr.gibbs_floor(d, beta, T) ** 2 - 1))
        assert mb == pytest.approx(lam * mom.m4s2 / (B * mom.c), rel=5 * lam)
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-4
    with pytest.raises(ValueError, match="step"):
        tr.sgld_stationary_variance(step=100.0, beta=beta, batch=B, T=T)
