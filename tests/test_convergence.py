import numpy as np
import pytest

from sgmbook import Gaussian, GaussianMixture
from sgmbook.experiments import local_lipschitz as cv
from sgmbook.bounds.mooney import hessian_logp_bounds


def test_split_times_structure():
    g = cv.split_times(4.0, 10, 0.5, frac_late=0.6)
    assert g[0] == 4.0 and g[-1] == 0.0 and g.size == 11
    assert np.sum(g[1:] < 0.5 - 1e-12) == 6 and np.isclose(g[4], 0.5)
    assert np.all(np.diff(g) < 0)
    with pytest.raises(ValueError, match="t_split"):
        cv.split_times(1.0, 10, 2.0)
    with pytest.raises(ValueError, match="frac_late"):
        cv.split_times(1.0, 10, 0.5, frac_late=1.5)


def test_scheme_law_exact_for_gaussian_matches_gaussian_law():
    # for a Gaussian target the EI law is Gaussian; compare grid law with gaussian_law recursion
    from sgmbook import laws, schedules
    tgt = Gaussian(np.array([0.5]), np.array([0.3]))
    x = np.linspace(-6, 6, 801)
    q, lost = cv.scheme_law_1d(tgt.score, x, T=3.0, n_steps=12)
    m, S = laws.gaussian(tgt.affine_score, np.zeros(1), np.ones(1), schedules.uniform(3.0, 0.0, 12),
                         scheme="ei")
    ref = np.exp(-(x - m[0]) ** 2 / (2 * S[0])) / np.sqrt(2 * np.pi * S[0])
    assert lost < 1e-5
    assert np.max(np.abs(q - ref)) < 1e-6
    e = cv.scheme_errors(x, np.exp(tgt.logpdf(0.0, x[:, None])), q)
    from sgmbook import kl_gaussian, w2_gaussian
    assert np.isclose(e["kl"], kl_gaussian(tgt.mean, tgt.cov, m, S), rtol=1e-5)
    assert np.isclose(e["w2"], w2_gaussian(tgt.mean, tgt.cov, m, S), rtol=1e-3)


def test_init_kl_closed_form():
    tgt = Gaussian(np.array([1.0]), np.array([0.5]))
    x = np.linspace(-8, 8, 1601)
    T = 1.0
    mt = tgt.marginal(T)
    from sgmbook import kl_gaussian
    assert np.isclose(cv.init_kl_1d(tgt.logpdf(T, x[:, None]), x),
                      kl_gaussian(mt.mean, mt.cov, np.zeros(1), np.ones(1)), rtol=1e-6)


def test_girsanov_bound_dominates_and_decays():
    mix = GaussianMixture([0.35, 0.65], [[-2.0], [2.0]], [[0.25], [0.25]])
    x = np.linspace(-6, 6, 301)
    p0 = np.exp(mix.logpdf(0.0, x))
    T = 2.0
    kls, bs = [], []
    for N in [8, 16, 32]:
        times = cv.uniform_times(T, N)
        q, _ = cv.scheme_law_1d(mix.score, x, T=T, times=times, start=np.exp(mix.logpdf(T, x)))
        kls.append(cv.scheme_errors(x, p0, q)["kl"])
        bs.append(cv.girsanov_discretisation_bound(mix.score, mix.logpdf, times, x, n_hermite=16))
    assert np.all(np.array(kls) <= np.array(bs))
    slope_b = cv.loglog_slope(np.array([8.0, 16, 32]), np.array(bs))
    assert -1.3 < slope_b < -0.7  # Girsanov term ~ h
    # for a Gaussian target with an exact frozen score the bound is also finite and positive
    g = Gaussian(np.array([0.0]), np.array([2.0]))
    b = cv.girsanov_discretisation_bound(g.score, lambda t, z: g.logpdf(t, z[:, None]),
                                         cv.uniform_times(1.0, 4), x)
    assert b > 0


def test_girsanov_bound_zero_for_stationary_gaussian():
    g = Gaussian(np.array([0.0]), np.array([1.0]))  # N(0,1) is invariant: score -x at all times
    x = np.linspace(-6, 6, 201)
    times = cv.uniform_times(2.0, 5)
    b = cv.girsanov_discretisation_bound(g.score, lambda t, z: g.logpdf(t, z[:, None]), times, x)
    # E|X_t - X_tk|^2 integrated: positive even here (the score moves with the path)
    r = np.diff(-times)
    # exact: E|X_t - X_{t_k}|^2 = 2(1 - e^{-(t_k - t)}), integrated over each step
    exact = np.sum(2 * (r - (1 - np.exp(-r))))
    assert np.isclose(b, exact, rtol=1e-4)


def test_reverse_drift_growth_and_local_lipschitz():
    g = Gaussian(np.array([0.0]), np.array([0.25]))
    x = np.linspace(-10, 10, 2001)
    K = cv.reverse_drift_growth(g.score, np.array([0.0, 0.5, 2.0]), x)
    # b = y - 2 y / var_t, y b / (1 + y^2) <= 1 - 2/var_t < 1
    assert np.all(K < 1.0)
    h = -4.0 * np.ones_like(x)
    assert np.allclose(cv.local_lipschitz(h, x, np.array([1.0, 5.0])), 4.0)
    with pytest.raises(ValueError, match="radii"):
        cv.local_lipschitz(h, x, np.array([-1.0]))


def test_bound_shapes():
    assert cv.case_one_horizon(-1.0) == np.inf
    assert np.isclose(cv.case_one_horizon(1.0), np.log(2.0))
    H = cv.case_one_lipschitz(0.3, 2.0, 2.0)
    lo, hi = hessian_logp_bounds(0.3, 2.0, 2.0)
    assert np.isclose(H, max(3.0, abs(hi)))
    assert cv.case_one_lipschitz(1.0, 2.0, 2.0) == np.inf
    b1 = cv.case_one_bound(0.5, 100, dim=2, m2=1.0, eps0=0.0, H=2.0)
    assert np.isclose(b1, 3 * np.exp(-0.5) + 2 * 0.25 * 4 / 100)
    b_small = cv.case_two_bound(1.0, 10, dim=2, m2=0.0, eps0=0.0, L=1.0)
    b_big = cv.case_two_bound(1.0, 20, dim=2, m2=0.0, eps0=0.0, L=1.0)
    assert b_big < b_small
    steps = cv.case_two_steps(np.array([10, 20, 40]), L=1.0, tau=1.0, accuracy=1.0)
    ratio = steps[1:] / steps[:-1]
    assert np.all(ratio > 8)  # n^3 log^2 n grows faster than n^3
    assert np.isclose(cv.early_stopping_lipschitz(0.1, 1.0), 1 + 10 + 100)
    assert np.isclose(cv.loglog_slope(np.array([1.0, 2, 4]), np.array([1.0, 0.25, 0.0625])), -2.0)


def test_bad_inputs():
    with pytest.raises(ValueError, match="dim"):
        cv.case_two_bound(1.0, 10, dim=1, m2=0.0, eps0=0.0, L=1.0)
    with pytest.raises(ValueError, match="delta"):
        cv.early_stopping_lipschitz(0.0, 1.0)
    with pytest.raises(TypeError, match="L0"):
        cv.case_one_horizon("a")
    with pytest.raises(ValueError, match="times"):
        cv.girsanov_discretisation_bound(lambda t, x: x, lambda x, t: x, np.array([0.0, 1.0]), np.ones(3))
    with pytest.raises(ValueError, match="logpdf_T"):
        cv.init_kl_1d(np.zeros(3), np.linspace(0, 1, 4))
