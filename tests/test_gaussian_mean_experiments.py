"""Chapter 2's check functions (experiments.gaussian_mean_sgld, _checks, _split) against independent
computations on small cases."""
import numpy as np
import pytest

from sgmbook import training as tr
from sgmbook.bounds import bruno_gaussian as bg
from sgmbook.experiments import gaussian_mean as gm
from sgmbook.experiments import gaussian_mean_checks as gc
from sgmbook.experiments import gaussian_mean_sgld as gs
from sgmbook.experiments import gaussian_mean_split as gsp

MU = gm.MU_CODE
FAST = dict(step=0.05, beta=1e4, batch=16)


def test_dsm_loss_and_gradient_mc_agree_with_closed_forms():
    thetas = np.array([[0.0, 0.0], [0.5, -2.0]])
    loss = gs.dsm_loss_mc(thetas, MU, T=2.0, n_mc=50_000, rng=np.random.default_rng(0))
    assert np.allclose(loss.exact, [tr.dsm_loss(t, MU, 2.0) for t in thetas])
    assert np.all(loss.z < 4.5) and np.all(loss.se > 0)
    grad = gs.loss_gradient_mc(thetas[1], MU, T=2.0, n_mc=50_000, rng=np.random.default_rng(1))
    assert np.allclose(grad.exact, 2 * tr.loss_moments(2.0).c * (thetas[1] - MU))
    assert np.all(grad.z < 4.5)
    # a wrong closed form is detected: the z-score against a shifted value is large
    assert np.all(np.abs(loss.mc - 1.05 * loss.exact) / loss.se > 5)


def test_gibbs_limit_decreases_to_the_gibbs_floor():
    gib = gs.gibbs_limit(np.array([0.05, 1e-3, 1e-5]), MU, beta=1e4, batch=128, T=2.0)
    assert gib.gibbs2 == pytest.approx(2 / (2 * 1e4 * tr.loss_moments(2.0).c))
    assert np.allclose(gib.far, gib.stationary, rtol=1e-9)
    assert np.all(np.diff(gib.gap) < 0) and gib.gap[-1] < 1e-3


def test_sgld_chain_check_moments_and_z_scores():
    rec = np.array([1, 10, 40])
    chk = gs.sgld_chain_check(np.zeros(2), MU, rec, **FAST, T=2.0, chains=400,
                              rng=np.random.default_rng(2))
    ex = tr.sgld_moments(np.zeros(2), MU, rec, **FAST, T=2.0)
    assert np.allclose(chk.exact_mean, ex["mean"]) and np.allclose(chk.exact_mse, ex["mse"])
    assert chk.runs.shape == (3, 400, 2)
    assert np.allclose(chk.chain_mse, np.mean(np.sum((chk.runs - MU) ** 2, 2), 1))
    assert np.all(chk.z_mean < 4.5) and np.all(chk.z_var < 4.5)
    with pytest.raises(ValueError, match="chains"):
        gs.sgld_chain_check(np.zeros(2), MU, rec, **FAST, T=2.0, chains=1, rng=np.random.default_rng(0))


def test_sgld_bound_ratio_at_least_one():
    n = np.arange(0, 500, 7)
    r = gs.sgld_mse_curves(np.zeros(2), MU, n, **FAST, T=2.0).ratio
    assert np.all(r >= 1.0)
    exact = tr.sgld_moments(np.zeros(2), MU, n, **FAST, T=2.0)["mse"]
    assert np.allclose(r * exact, bg.sgld_mse_bound(np.zeros(2), MU, n, **FAST, T=2.0))


def test_law_recursion_gap_and_slopes():
    gap = gc.law_recursion_gap(np.array([0.7, -1.9]), np.array([2.0, 5.0]), np.array([5, 100]),
                               np.array([0.0, 0.1]))
    assert gap < 1e-12
    sl = gc.step_slopes(MU, 0.2 / 2.0 ** np.arange(4), T=8.0)
    assert sl.w2.shape == (2, 4) and np.all(np.abs(sl.slope - 1) < 0.15)
    assert sl.w2[0, 0] == pytest.approx(gm.w2_output(MU, MU, T=8.0, n_steps=40, scheme="em"))


def test_w2_per_sqrt_dim_is_the_variance_term():
    r = gc.w2_per_sqrt_dim(np.array([1, 7, 50]), T=4.0, n_steps=40, scheme="ei")
    _, vK = gm.scheme_coefficients(4.0, 40, "ei")
    assert np.array_equal(r.dims, [1, 7, 50])
    assert np.allclose(r.ratio, abs(np.sqrt(float(vK)) - 1.0), rtol=1e-12) and r.spread < 1e-12
    # the spread detects unequal ratios: (1.1 - 0.9) / 1.0
    assert gc.DimRatios(np.array([1, 2, 3]), np.array([1.0, 1.1, 0.9])).spread == pytest.approx(0.2)


def test_initialisation_and_early_stopping_terms():
    nmu = float(np.linalg.norm(MU))
    ini = gc.initialisation_check(MU, np.array([0.5, 2.0]), gamma=1e-2)
    assert np.allclose(ini.term, nmu * np.exp(-2 * np.array([0.5, 2.0])))
    assert np.allclose(ini.far, ini.term, atol=1e-6)
    assert np.all(np.abs(ini.w2_step - ini.term) <= ini.disc_bound)
    early = gc.early_stopping_check(MU, np.array([0.05, 0.3]), T=10.0)
    assert np.allclose(early.term, (1 - np.exp(-np.array([0.05, 0.3]))) * nmu)
    assert np.allclose(early.far, early.term, atol=1e-6)
    assert np.all(early.term <= early.linear)


def test_discretisation_constant_ratio_within_one():
    worst, excess = gc.discretisation_constant_ratio(np.array([0.6, 2.0]), np.array([0.0, 0.05]),
                                                     max_steps=400)
    assert 0 < worst <= 1.0 and excess >= -1e-15


def test_step_counts_are_the_first_accurate_step():
    cnt = gc.step_counts(1.5, np.array([2, 8]), np.array([0.1, 0.03]))
    assert np.all((cnt.k_exact >= 1) & (cnt.k_exact <= cnt.k_bound))
    for d, delta, T, ke in zip(cnt.d, cnt.delta, cnt.T, cnt.k_exact):
        mu = np.full(d, 1.5 / np.sqrt(d))
        w2 = gm.w2_closed(mu, mu, T=T, n_steps=np.array([ke - 1, ke]) if ke > 1 else np.array([ke]),
                          scheme="em")
        assert w2[-1] < delta and (ke == 1 or w2[0] >= delta)


def test_sliced_checks():
    theta = np.array([-1.0, -0.7])
    assert gc.sliced_fixed_directions_gap(theta, MU, T=2.0, n_steps=20) < 1e-14
    sl = gc.sliced_w2_check(theta, MU, T=2.0, n_steps=20, n_samples=4000, reps=6, n_dirs=20,
                            rng=np.random.default_rng(3))
    assert sl.target == pytest.approx(sl.exact_w2 ** 2 / 2)
    corr = sl.est.mean() - sl.null.mean()
    se = np.sqrt(sl.est.var(ddof=1) / 6 + sl.null.var(ddof=1) / 6)
    assert sl.corrected == pytest.approx(corr) and sl.se_corrected == pytest.approx(se)
    assert sl.se == pytest.approx(sl.est.std(ddof=1) / np.sqrt(6))
    assert abs(corr - sl.target) < 4 * se + 2 * sl.null.mean()
    assert sl.generated.shape == sl.data.shape == (4000, 2)


def test_mixture_bracket_gaussian_is_exact_and_two_point_bracketed():
    mix = gsp.mixture_bracket_1d(np.linspace(-10.0, 10.0, 8001), 0.8, gauss_mean=0.5, gauss_var=0.3,
                                 atoms=np.array([-0.2, 1.2]), T=2.0, n_steps=20)
    assert np.allclose(mix.gauss_w2, mix.gauss_lower, rtol=1e-5)
    assert np.all(mix.gauss_lower < mix.gauss_upper)
    assert np.all((mix.two_lower <= mix.two_w2) & (mix.two_w2 <= mix.two_upper))


def test_point_split_and_grid():
    thetas = np.array([[-1.0, -0.8], [-1.2, -0.9]])
    pts = gsp.point_split(thetas, np.array([5, 50]), MU, np.array([0.1, 0.02]), T=2.0, eps=0.01)
    assert pts.extra.shape == (1, 4) and np.allclose(pts.extra, pts.upper, atol=1e-12)
    assert np.all(pts.total_sum >= pts.extra)
    assert np.allclose(pts.early + pts.init + pts.opt + pts.disc, pts.total_sum)
    grid = gsp.split_grid(MU, np.array([0.1]), np.array([2.0]), np.array([10, 200]), **FAST, eps=0.01)
    assert grid.upper.shape == (2, 2) and list(grid.n) == [10, 200]
    assert np.all(grid.lower <= grid.upper * (1 + 1e-12)) and np.all(grid.upper <= grid.total_sum)
    assert np.all(grid.extra >= grid.upper)
    law = tr.sgld_law(np.zeros(2), MU, 10, **FAST, T=2.0)
    es = gm.error_split(law, MU, T=2.0, n_steps=20, scheme="ei", eps=0.01)
    assert grid.upper[1, 0] == pytest.approx(es.upper)
    assert grid.extra[1, 0] == pytest.approx(bg.w2_bound(
        float(np.linalg.norm(MU)), 2, bg.sgld_mse_bound(np.zeros(2), MU, 10, **FAST, T=2.0),
        gamma=(2.0 - 0.01) / 20, T=2.0, scheme="ei", eps=0.01))


def test_concat_joins_cases():
    a = gsp.point_split(np.array([[-1.0, -0.8]]), np.array([5]), MU, np.array([0.1]), T=2.0, eps=0.0)
    b = gsp.point_split(np.zeros((1, 3)), np.array([7]), np.ones(3), np.array([0.1, 0.2]), T=2.0,
                        eps=0.0)
    ab = gsp.concat([a, b])
    assert list(ab.d) == [2, 3, 3] and list(ab.n) == [5, 7, 7]
    assert ab.upper.shape == (1, 3) and ab.upper[0, 0] == a.upper[0, 0]
    assert np.array_equal(ab.extra[:, 1:], b.extra)
    with pytest.raises(TypeError, match="tables"):
        gsp.concat([a, "b"])


def test_sgld_mse_curves_and_chain_z_max():
    n = np.arange(0, 300, 11)
    cur = gs.sgld_mse_curves(np.zeros(2), MU, n, **FAST, T=2.0)
    assert np.allclose(cur.exact, tr.sgld_moments(np.zeros(2), MU, n, **FAST, T=2.0)["mse"])
    assert cur.exact[0] == pytest.approx(float(MU @ MU))  # theta_0 = 0: E|e_0|^2 = |mu|^2
    assert np.all(cur.ratio >= 1.0) and np.allclose(cur.ratio * cur.exact, cur.bound)
    chk = gs.sgld_chain_check(np.zeros(2), MU, np.array([3, 9]), **FAST, T=2.0, chains=50,
                              rng=np.random.default_rng(4))
    assert chk.z_max == max(chk.z_mean.max(), chk.z_var.max())


def test_authors_sgld_run_contraction_of_the_mean():
    kw = dict(step=1e-3, beta=1e8, batch=16, T=2.0)
    run = gs.authors_sgld_run(MU, **kw, epochs=20, batches=50, epoch=9)
    assert run.n == 1000 and run.epoch_n == 500
    c = tr.loss_moments(2.0).c
    assert run.contraction == pytest.approx((1 - 2e-3 * c) ** 1000)
    # E theta_n = mu + p^n (theta_0 - mu) with theta_0 = 0
    assert np.allclose(run.mean, MU * (1 - run.contraction), rtol=1e-12)
    assert np.allclose(run.epoch_mean, MU * (1 - (1 - 2e-3 * c) ** 500), rtol=1e-12)
    assert run.distance == pytest.approx(float(np.linalg.norm(run.epoch_mean - gs.THETA_CODE_192)))
    assert run.rmse >= float(np.linalg.norm(run.mean - MU))  # E|e|^2 >= |E e|^2
    with pytest.raises(ValueError, match="epoch"):
        gs.authors_sgld_run(MU, **kw, epochs=20, batches=50, epoch=20)


def test_stationary_terms_against_gibbs_limit():
    st = gs.stationary_terms(**FAST, T=2.0)
    gib = gs.gibbs_limit(np.array([FAST["step"]]), MU, beta=FAST["beta"], batch=FAST["batch"],
                         T=2.0)
    assert 2 * st.exact.sum() == pytest.approx(gib.stationary[0], rel=1e-12)
    assert 2 * st.gibbs == pytest.approx(gib.gibbs2, rel=1e-12)
    assert np.all(st.exact <= st.bound)
    assert st.bound[0] == pytest.approx(4 * FAST["step"] / (3 * FAST["batch"]))


def test_result_properties():
    ini = gc.initialisation_check(MU, [0.5, 2.0], gamma=1e-2)
    assert np.array_equal(ini.horizons, [0.5, 2.0])
    assert ini.worst == float(np.max(np.abs(ini.far - ini.term)))
    cnt = gc.StepCounts(np.array([4, 4, 16, 16]), np.array([0.1, 0.01] * 2), np.ones(4),
                        np.array([10, 100, 20, 400]), np.array([20, 150, 30, 500]))
    assert np.allclose(cnt.d_exponent, [0.5, 1.0])  # 20 = 10 (16/4)^0.5, 400 = 100 (16/4)
    assert cnt.grids[1].shape == (2, 2) and np.allclose(cnt.ratio, [2.0, 1.5, 1.5, 1.25])
    assert np.array_equal(cnt.deltas, [0.1, 0.01])
    grid = gsp.split_grid(MU, np.array([0.1]), np.array([2.0]), np.array([10, 200]), **FAST,
                          eps=0.01)
    assert np.allclose(grid.shares(1).sum(0), 1.0) and grid.shares(0).shape == (4, 2)
    assert grid.bracket_width(200) == pytest.approx(float(np.max(grid.upper[:, 1] /
                                                              grid.lower[:, 1] - 1)))
    with pytest.raises(ValueError, match="n must be one of"):
        grid.bracket_width(11)
    with pytest.raises(ValueError, match="scheme"):
        grid.shares(2)
    sl = gc.sliced_w2_check(np.array([-1.0, -0.7]), MU, T=2.0, n_steps=10, n_samples=500, reps=3,
                            n_dirs=5, rng=np.random.default_rng(5))
    assert sl.bias == pytest.approx(sl.null.mean())
    assert sl.implied_w2 ** 2 == pytest.approx(2 * sl.corrected)


def test_stationary_variance_undefined_only_where_a_squared_is_one():
    und = gc.stationary_variance_undefined(np.array([2.0, np.log(3.0), 1.9, 1.0]),
                                           ("em", "ei", "em", "ei"))
    assert und.tolist() == [True, True, False, False]
    with pytest.raises(ValueError, match="gammas"):
        gc.stationary_variance_undefined(np.array([-1.0]), ("em",))


def test_chain_check_moments_of_one_coordinate():
    chk = gs.sgld_chain_check(np.zeros(2), MU, np.array([2, 6]), **FAST, T=2.0, chains=20,
                              rng=np.random.default_rng(6))
    cols = chk.moments(1)
    assert len(cols) == 6 and np.array_equal(cols[0], chk.exact_mean[:, 1])
    assert np.array_equal(cols[3], chk.chain_var[:, 1]) and np.array_equal(cols[5], chk.chain_mse)
    with pytest.raises(ValueError, match="coordinate"):
        chk.moments(2)


def test_reference_line_labels_gibbs_floor_and_smallest_bound_ratio():
    sl = gc.step_slopes(MU, 0.2 / 2.0 ** np.arange(3), T=4.0)
    assert sl.reference[-1] == sl.w2[0, -1]
    assert np.allclose(np.diff(np.log(sl.reference)) / np.diff(np.log(sl.gammas)), 1.0)
    grid = gsp.split_grid(MU, np.array([0.1]), np.array([2.0]), np.array([10, 200]), **FAST,
                          eps=0.01)
    assert grid.case_labels == ["0.1\n2\n10", "0.1\n2\n200"]
    chk = gs.sgld_chain_check(np.zeros(2), MU, np.array([2]), **FAST, T=2.0, chains=4,
                              rng=np.random.default_rng(7))
    assert chk.gibbs == pytest.approx(np.sqrt(2 / (2 * FAST["beta"] * tr.loss_moments(2.0).c)))
    n = np.unique(np.r_[np.arange(0, 2001, 5), np.geomspace(1, 5000, 300).astype(int)])
    direct = gs.sgld_mse_curves(np.zeros(2), MU, n, **FAST, T=2.0).ratio.min()
    small = gs.smallest_bound_ratio(np.zeros(2), MU, **FAST, T=2.0, n_max=5000)
    assert small == pytest.approx(direct) and small >= 1.0
    with pytest.raises(ValueError, match="n_max"):
        gs.smallest_bound_ratio(np.zeros(2), MU, **FAST, T=2.0, n_max=0)
