"""The chapter-3 check functions (experiments.log_concave_checks, log_concave_lemmas) against closed
forms, independent computations and known limits, on small cases."""
import numpy as np
import pytest

from sgmbook.bounds import bruno as br
from sgmbook.bounds import exact_terms as et
from sgmbook.experiments import log_concave_checks as ck
from sgmbook.experiments import log_concave_lemmas as lm


def test_chapter_targets_constants():
    targets = ck.chapter_targets()
    assert list(targets) == ["quartic", "symmetric mixture", "skewed mixture"]
    # the mixtures' L = min(1, 1/v) - a^2 / v^2 for w N(a, v) + (1 - w) N(-a, v), v <= 1
    assert targets["symmetric mixture"][1] == pytest.approx(1.0 - 0.25, rel=1e-12)
    assert targets["skewed mixture"][1] == pytest.approx(1 / 0.6 - 0.16 / 0.36, rel=1e-12)


def test_propagation_bound_is_the_formula_and_holds():
    t = np.array([0.0, 0.05, 0.5, 2.0])
    prop = ck.propagation_check(t, np.linspace(-4.0, 4.0, 401))
    L = prop.L[:, None]
    assert np.allclose(prop.bound, L / (L + (1 - L) * np.exp(-2 * t)), rtol=1e-12)
    assert np.all(prop.margin >= -1e-8) and np.all(prop.upper_ratio <= 1.0)
    assert np.allclose(prop.L0[1:], prop.L[1:], atol=1e-5)  # the mixtures' minimum is on the grid
    t_peak, est_peak, _ = prop.peak
    assert est_peak == pytest.approx(prop.est[0].max()) and t_peak in t
    with pytest.raises(ValueError, match="t must start at 0"):
        ck.propagation_check(np.array([0.1, 1.0]))


def test_initialisation_equality_for_identity_covariance():
    ini = ck.initialisation_check(np.random.default_rng(0), d=3, cov_scales=(1.0, 2.0))
    unit = ini.cov_scale == 1.0
    assert np.allclose(ini.exact[unit], ini.bound[unit], rtol=1e-10)
    assert np.all(ini.exact <= ini.sharp * (1 + 1e-10)) and np.all(ini.sharp <= ini.bound * (1 + 1e-10))
    assert np.all(ini.exact[~unit] < ini.bound[~unit] * (1 - 1e-3))  # strict for c != 1


def test_coupling_ratios_start_at_one_and_contract():
    cp = ck.coupling_check(np.random.default_rng(1), np.array([[-1.0], [0.0], [1.0]]), T=2.0, eps=0.05,
                           n_steps=100)
    assert np.allclose(cp.ratios[:, 0], 1.0) and np.allclose(cp.sharp[:, 0], 1.0)
    assert np.all(cp.worst <= 1 + 1e-9)
    assert cp.s[0] == 0.0 and cp.s[-1] == pytest.approx(2.0 - 0.05)


def test_score_error_grid_scales_with_eta():
    se = ck.score_error_grid_check(np.array([0.05, 0.1]), np.linspace(-6.0, 6.0, 200), T=2.0, eps=0.05,
                                   n_steps=40)
    assert np.all(se.eps_sn <= se.sup_bound)
    # eps_SN is nearly quadratic in eta (measured along the biased law, which moves with eta)
    assert se.eps_sn[1] / se.eps_sn[0] == pytest.approx(4.0, rel=0.01)
    assert se.effect[1] / se.effect[0] == pytest.approx(2.0, rel=0.05)  # the effect nearly linear
    assert se.C3 == pytest.approx(br.score_error_constant(2.0, 0.05, se.L))


def test_score_error_gaussian_closed_form():
    sgc = ck.score_error_gaussian_check(np.random.default_rng(2), d=3, cov_scales=(1.0, 0.5), n_fine=20_000)
    unit = sgc.unit
    assert np.array_equal(unit, sgc.cov_scale == 1.0) and unit.any() and not unit.all()
    assert np.allclose(sgc.effect[unit], sgc.closed[unit], rtol=1e-10)
    assert np.array_equal(sgc.closed_gap, np.abs(sgc.effect / sgc.closed - 1.0))
    assert np.all(sgc.closed_gap[unit] < 1e-10)
    assert np.all(np.abs(sgc.gap[unit]) < 1e-10) and np.all(sgc.gap[~unit] > 1e-3)
    assert sgc.fine_gap < 1e-3  # EI with 2e4 steps against the closed-form law


def test_early_stopping_two_exact_routes_agree():
    es = ck.early_stopping_check(np.random.default_rng(3), eps=(1e-3, 0.1))
    assert np.allclose(es.exact, es.exact_terms, rtol=1e-3)  # quadrature on y vs exact_terms
    assert np.all(es.exact <= es.lemma) and np.all(es.lemma <= es.c1)
    assert es.names[0] == "Gaussian $d=1$" and len(es.names) == 8


def test_early_stopping_tight_near_point_mass():
    tight = ck.early_stopping_tight(np.random.default_rng(4), eps=(0.01, 1.0), d=50)
    assert np.all(tight.exact <= tight.lemma) and np.allclose(tight.lemma / tight.exact, 1.0, atol=1e-3)
    loose = ck.early_stopping_tight(np.random.default_rng(4), eps=(0.01,), d=50, var=1.0)
    assert loose.lemma[0] / loose.exact[0] > 2.0  # a spread law: the coupling is far from optimal


def test_gaussian_cases_reproducible():
    a = lm.gaussian_cases(np.random.default_rng(5), dims=(1, 4))
    b = lm.gaussian_cases(np.random.default_rng(5), dims=(1, 4))
    assert list(a) == [1, 4] and np.array_equal(a[4][0], b[4][0])
    assert np.array_equal(a[1][1], [1.3]) and np.allclose(a[4][1], [0.7, 0.9, 1.1, 1.3])


def test_moment_check_tight_constant_drift():
    mo = lm.moment_check(np.array([0.2, -0.1]), np.array([0.8, 1.1]), np.linspace(-6.0, 6.0, 150))
    assert mo.gauss_sup <= mo.gauss_bound and mo.mix_sup <= mo.mix_bound
    assert np.all(mo.tight_exact <= mo.tight_bound) and np.all(mo.tight_bound / mo.tight_exact < 1.01)
    assert mo.gauss_sup >= 2.0  # E|Y_0|^2 = d


def test_discretisation_two_exact_routes_agree():
    mu, c = np.array([0.3, -0.2, 0.1]), np.array([0.8, 1.0, 1.2])
    dc = lm.discretisation_check(mu, c, T=2.0, eps=0.01, n_steps=(20, 40, 80))
    assert np.allclose(dc.exact, dc.exact_et, rtol=1e-8)  # laws.gaussian vs exact_terms
    assert np.all(dc.exact <= dc.D) and np.all(dc.D <= dc.c4_power)
    assert dc.slope_em == pytest.approx(1.0, abs=0.15) and dc.p == 0.5
    assert dc.fooled.dtype == bool and dc.fooled.shape == (6,)


def test_discretisation_mixture_triangle():
    dm = lm.discretisation_mixture_check(np.linspace(-6.0, 6.0, 150), T=1.0, n_steps=(5, 10))
    assert np.all(dm.lhs <= dm.rhs) and np.all(dm.lhs > 0)
    assert dm.lhs[1] < dm.lhs[0]  # more steps: closer


def test_four_term_rows_gaussian_terms():
    mu = np.array([0.3, -0.2])
    ft = lm.four_term_rows({2: (mu, np.array([0.8, 1.2]))}, mu, eta=0.1)
    assert len(ft.rows) == 8 and ft.n_main == 6 and ft.ratios.shape == (8, 5)
    assert np.all(ft.ratios[:, :4] >= 1 - 1e-10) and np.all(ft.ratios[:, 4] > 1)
    assert np.allclose(ft.ratios[6:, 1:3], 1.0, atol=1e-9)  # attained on N(mu, I)
    assert np.allclose(ft.bounds / ft.errors, ft.ratios) and 0 <= ft.early_over <= 6
    assert len(ft.labels) == 8 and all(lab.endswith(r.scheme) for lab, r in zip(ft.labels, ft.rows))
    assert ft.cases == [r.case for r in ft.rows] and ft.schemes == [r.scheme for r in ft.rows]
    assert not any("Gaussian" in lab or "mixture" in lab for lab in ft.labels)


def test_order_check_slopes_near_one():
    od = lm.order_check(np.linspace(-5.0, 5.0, 200), (8, 16, 32), T=1.0)
    assert od.dist.shape == (4, 2) and np.allclose(od.gamma, 0.95 / np.array([8, 16]))
    assert np.all(np.abs(od.slope - 1.0) < 0.3) and od.p_proven == 0.5


def test_prescription_reaches_delta():
    mu, c = np.array([0.3]), np.array([1.2])
    pc = lm.prescription_check({1: (mu, c)}, {1: (1.0, 0.5)})
    assert np.all(pc.reached <= pc.delta) and np.all(pc.eps_sn_gap < 1e-9)
    assert pc.n_steps[1] >= pc.n_steps[0]
    with pytest.raises(ValueError, match="deltas has the dimension 3"):
        lm.prescription_check({1: (mu, c)}, {3: (1.0,)})


def test_derived_fields_of_the_results():
    ratios = np.array([[[1.0, 1.0], [0.5, 0.7]], [[1.0, 1.0], [0.2, 0.1]]])  # targets x steps x pairs
    sharp = np.array([[1.0, 0.8], [1.0, 0.3]])
    cp = ck.Coupling(("a", "b"), np.array([0.5, 0.6]), np.array([0.0, 1.0]), ratios, sharp, sharp,
                     np.ones(2))
    assert np.array_equal(cp.final, [0.7, 0.2]) and np.array_equal(cp.sharp_end, [0.8, 0.3])
    two, four = np.array([2.0, 4.0]), np.array([4.0, 16.0])
    se = ck.ScoreErrorGrid(1.0, 0.5, two, two, two, two, four)
    assert np.array_equal(se.ratio, [2.0, 4.0]) and np.array_equal(se.sup_frac, [1.0, 1.0])
    assert np.array_equal(se.sqrt_eps_sn, np.sqrt(two))
    es = ck.EarlyStopping(("a", "b"), two, two, four, four, four)
    assert np.array_equal(es.ratio, [2.0, 4.0]) and np.array_equal(es.ratio_terms, [1.0, 1.0])
    mo = lm.Moment(1.0, 3.0, 2.0, 5.0, two, two, two, four)
    assert np.array_equal(mo.bounds / mo.sups, [3.0, 2.5]) and np.array_equal(mo.tight_ratio, two)
    dc = lm.Discretisation(("em", "ei"), two, two, two, two, four, four, 0.5, 1.0, two, four, four)
    assert np.array_equal(dc.ratio, [2.0, 4.0])
    pc = lm.PrescriptionCheck(two, four, two, two, two, two, two, two, two)
    assert np.array_equal(pc.fraction, [0.5, 0.25])
