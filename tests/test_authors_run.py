import numpy as np
import pytest

from sgmbook import laws, schedules
from sgmbook.experiments import authors_run as ar
from sgmbook.experiments import gaussian_mean as gm
from sgmbook import training as tr

MU = gm.MU_CODE


def test_schedule_is_the_authors():
    s = schedules.authors(2.0, 0.0, 1000)
    assert s.t.shape == s.h.shape == s.noise.shape == (1000,)
    assert s.t[0] == 2.0 and s.t[-1] == 0.0
    assert np.all(s.h == 2.0 / 999)
    assert s.noise[:-1].all() and not s.noise[-1]
    # the code divides T, not T - eps
    assert np.all(schedules.authors(2.0, 0.1, 10).h == 2.0 / 9)


def test_uniform_schedule_reproduces_book_law():
    theta = np.array([0.4, -1.1])
    for scheme in ("em", "ei"):
        for T, K, eps in [(2.0, 1000, 0.0), (3.0, 17, 0.2)]:
            m, S = laws.gaussian(gm.affine_score(theta), np.zeros(2), np.ones(2), schedules.uniform(T, eps, K), scheme=scheme)
            m0, S0 = gm.output_law(theta, T=T, n_steps=K, scheme=scheme, eps=eps)
            assert np.allclose(m, m0, rtol=1e-13) and np.allclose(S, S0, rtol=1e-13)
    assert ar.w2_output(theta, MU, schedules.uniform(2.0, 0.0, 1000)) == pytest.approx(
        gm.w2_output(theta, MU, T=2.0, n_steps=1000, scheme="em"), rel=1e-12)


def test_authors_law_differs_from_book_by_the_issue_numbers():
    s = schedules.authors(2.0, 0.0)
    th192 = np.array([-1.0356116, -0.7453501])
    th72 = np.array([-1.1690706, -0.88838005])
    assert round(ar.w2_output(th192, MU, s), 4) == 0.2690
    assert round(gm.w2_output(th192, MU, T=2.0, n_steps=1000, scheme="em"), 4) == 0.2716
    assert round(ar.w2_output(th72, MU, s), 4) == 0.0875
    assert round(gm.w2_output(th72, MU, T=2.0, n_steps=1000, scheme="em"), 4) == 0.0902


def test_full_matrix_path_matches_diagonal():
    s = schedules.authors(1.5, 0.01, 50)
    theta = np.array([0.3, -0.2])
    m1, S1 = laws.gaussian(gm.affine_score(theta), np.zeros(2), np.ones(2), s, scheme="em")
    m2, S2 = laws.gaussian(lambda t: (-np.eye(2), np.exp(-t) * theta), np.zeros(2), np.eye(2), s, scheme="em")
    assert np.allclose(m1, m2, rtol=1e-13) and np.allclose(np.diag(S1), S2, rtol=1e-13)


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_literal_recursion_against_exact_law(rng, scheme):
    s = schedules.authors(2.0, 0.0, 200)
    theta = MU + 0.3
    n = 40_000
    y = ar.sample(lambda t, x: tr.score_model(t, x, theta), rng.standard_normal((n, 2)), s, rng, scheme)
    m, S = laws.gaussian(gm.affine_score(theta), np.zeros(2), np.ones(2), s, scheme=scheme)
    assert np.all(np.abs(y.mean(0) - m) < 5 * np.sqrt(S / n))
    assert np.all(np.abs(y.var(0) - S) < 5 * S * np.sqrt(2.0 / n))


def test_last_update_has_no_noise(rng):
    # with one update and no noise the output is deterministic given y0
    s = schedules.Schedule(np.array([1.0]), np.array([0.1]), np.array([False]))
    y0 = rng.standard_normal((5, 2))
    y = ar.sample(lambda t, x: -x, y0, s, rng)
    assert np.allclose(y, 0.9 * y0)
    c, var = ar.output_coefficients(s)
    assert var == pytest.approx(0.81) and c == pytest.approx(0.2 * np.exp(-1.0))


def test_data_and_closed_forms():
    for name in ("sgld", "adam"):
        run = ar.load_run(name)
        assert run.epoch[0] == 0 and np.all(np.diff(run.epoch) == 1)
        # the 4-digit epoch lines are the roundings of the full-digit improvement lines
        idx = np.searchsorted(run.epoch, run.best_epoch)
        assert np.all(np.abs(run.theta_printed[idx] - run.theta_best) <= 5.01e-5)
        a4 = ar.assumption4_error(run.theta_best, MU, schedules.authors(2.0, 0.0))
        assert np.max(np.abs(a4 / run.assumption4 - 1)) < 1e-5
        sq = np.sum((run.theta_best - MU) ** 2, 1)
        assert np.max(np.abs(sq / run.sq_param_error - 1)) < 1e-5
    assert ar.steps_after_epoch(192) == 75_463 and ar.steps_after_epoch(199) == 78_200


def test_eps_sn_monte_carlo(rng):
    thetas = MU + 0.2 * rng.standard_normal((500, 2))
    mse = float(np.mean(np.sum((thetas - MU) ** 2, 1)))
    est, se = ar.eps_sn_monte_carlo(thetas, MU, 2.0, 0.05, rng, 200_000)
    assert abs(est - ar.eps_sn(mse, 2.0, 0.05)) < 4 * se
    # a wrong weighting (the code's time reversal) is detected at eps > 0
    code = ar.eps_sn_code(mse, schedules.uniform(2.0, 0.5, 10 ** 5), 1)
    assert abs(code - ar.eps_sn(mse, 2.0, 0.5)) > 10 * se


def test_adam_converges_and_is_seeded():
    kw = dict(lr=5e-3, batch=16, n_steps=2000, T=2.0, chains=8)
    a = ar.adam(np.zeros(2), MU, rng=np.random.default_rng(1), **kw)
    b = ar.adam(np.zeros(2), MU, rng=np.random.default_rng(1), **kw)
    assert np.array_equal(a, b)
    assert np.mean(np.sum((a[-1] - MU) ** 2, 1)) < 1e-2
    rec = ar.adam(np.zeros(2), MU, rng=np.random.default_rng(1), record=np.array([0, 1]), **kw)
    assert np.all(rec[0] == 0) and np.allclose(np.abs(rec[1]), 5e-3, rtol=1e-4)  # first Adam step: lr


def test_error_split_sums_above_total(rng):
    thetas = MU + 0.3 * rng.standard_normal((50, 2))
    for sched in (schedules.authors(2.0, 0.0), schedules.uniform(2.0, 0.01, 100)):
        eps = float(sched.t[-1]) if sched.noise[-1] else 0.0
        sp = ar.error_split_samples(thetas, MU, sched, T=2.0, eps=eps)
        assert np.all(sp["early"] + sp["init"] + sp["opt"] + sp["disc"] >= sp["total"])
        assert np.allclose(sp["c3_term"], sp["opt"], rtol=1e-12)
    es = gm.error_split(thetas[0], MU, T=2.0, n_steps=100, scheme="em", eps=0.01)
    sp = ar.error_split_samples(thetas[:1], MU, schedules.uniform(2.0, 0.01, 100), T=2.0, eps=0.01)
    assert sp["disc"][0] == pytest.approx(es.disc, rel=1e-10) and sp["total"][0] == pytest.approx(es.upper)


def test_bad_inputs():
    with pytest.raises(ValueError, match="n_points"):
        schedules.authors(2.0, 0.0, 1)
    with pytest.raises(ValueError, match="eps"):
        schedules.authors(2.0, 3.0)
    with pytest.raises(ValueError, match="name"):
        ar.load_run("sgd")
    with pytest.raises(TypeError, match="schedule"):
        laws.gaussian(gm.affine_score(MU), np.zeros(2), np.ones(2), (1, 2, 3), scheme="em")
    bad = schedules.Schedule(np.ones(3), np.array([0.1, -0.1, 0.1]), np.ones(3, bool))
    with pytest.raises(ValueError, match="schedule"):
        ar.output_coefficients(bad)
    with pytest.raises(ValueError, match="scheme"):
        ar.output_coefficients(schedules.authors(2.0, 0.0), "rk4")
    with pytest.raises(ValueError, match="epoch"):
        ar.steps_after_epoch(-1)
    with pytest.raises(ValueError, match="betas"):
        ar.adam(np.zeros(2), MU, lr=1e-3, batch=4, n_steps=3, T=2.0, rng=np.random.default_rng(0),
                betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="theta"):
        ar.w2_output(np.zeros(3), MU, schedules.authors(2.0, 0.0))


@pytest.mark.parametrize("T, eps, n", [(2.0, 0.0, 1000), (2.0, 0.0, 10), (1.0, 1e-5, 50)])
def test_authors_coefficients_closed_form_matches_recursion(T, eps, n):
    c, var = ar.authors_coefficients(T, eps, n)
    c_r, var_r = ar.output_coefficients(schedules.authors(T, eps, n))
    assert c == pytest.approx(c_r, rel=1e-12) and var == pytest.approx(var_r, rel=1e-12)
    with pytest.raises(ValueError, match="n_points"):
        ar.authors_coefficients(T, eps, 1)


def test_error_split_l2_point_mass_is_exact_and_vectorised(rng):
    sched = schedules.authors(2.0, 0.0, 1000)
    mu = gm.MU_CODE
    theta = mu + 0.05
    sp = ar.error_split_l2(theta[None, :], mu, sched, T=2.0)
    assert float(sp["upper"]) == pytest.approx(float(ar.w2_output(theta, mu, sched)), rel=1e-12)
    one = ar.error_split_samples(theta[None, :], mu, sched, T=2.0)
    for key in ("opt", "disc"):
        assert float(sp[key]) == pytest.approx(float(one[key][0]), rel=1e-12)
    th = mu + 0.1 * rng.standard_normal((5, 32, 2))
    sp5 = ar.error_split_l2(th, mu, sched, T=2.0)
    assert sp5["upper"].shape == (5,) and np.all(sp5["sum"] >= sp5["upper"])
    assert sp5["opt"][2] == pytest.approx(float(ar.error_split_l2(th[2], mu, sched, T=2.0)["opt"]))
    with pytest.raises(ValueError, match="thetas"):
        ar.error_split_l2(np.zeros(2), mu, sched, T=2.0)
