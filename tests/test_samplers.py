import numpy as np
import pytest

from conftest import random_spd
from sgmbook import Gaussian, GaussianMixture, laws, schedules, schemes, w2_1d_density, w2_gaussian
from sgmbook.samplers import BLOCK_COORDS, sample


def _run(scheme, score, y0, *, T, n_steps, rng, eps=0.0, workers=None, path=False):
    """``sample`` on uniform steps; with ``path`` the states after 0..K steps, stacked."""
    sched = schedules.uniform(T, eps, n_steps)
    if not path:
        return sample(score, y0, sched, scheme=scheme, rng=rng, workers=workers)
    out = []
    sample(score, y0, sched, scheme=scheme, rng=rng, workers=workers,
           callback=lambda k, y: out.append(y.copy()))
    return np.stack(out)


def _law(affine_score, mean0, cov0, *, T, n_steps, scheme, eps=0.0):
    return laws.gaussian(affine_score, mean0, cov0, schedules.uniform(T, eps, n_steps), scheme=scheme)


def _grid(score, x, density0, *, T, n_steps, scheme, eps=0.0):
    return laws.grid_1d(score, x, density0, schedules.uniform(T, eps, n_steps), scheme=scheme)


def test_uniform_schedule_and_user_grid():
    s = schedules.uniform(2.0, 0.4, 4)
    assert np.allclose(s.t, [2.0, 1.6, 1.2, 0.8]) and np.allclose(s.h, 0.4)
    custom = np.array([2.0, 1.0, 0.5, 0.4])
    u = schedules.from_times(custom)
    assert np.array_equal(u.t, custom[:-1]) and np.allclose(u.h, [1.0, 0.5, 0.1])


@pytest.mark.parametrize("args, match", [
    ((1.0, 0.0, 0), "n_steps"),
    ((1.0, 0.0, -3), "n_steps"),
    ((1.0, 1.0, 10), "eps"),
    ((1.0, 2.0, 10), "eps"),
    ((-1.0, 0.0, 10), "T"),
    ((np.nan, 0.0, 10), "T"),
])
def test_uniform_schedule_bad_inputs(args, match):
    with pytest.raises(ValueError, match=match):
        schedules.uniform(*args)
    with pytest.raises(ValueError, match="decreasing"):
        schedules.from_times(np.array([1.0, 0.5, 0.6, 0.0]))


def test_n_steps_type_checked():
    with pytest.raises(TypeError, match="n_steps"):
        schedules.uniform(1.0, 0.0, 2.5)


def test_ei_is_exact_for_a_constant_score():
    # with s = b constant the reverse SDE dY = (Y + 2b) ds + sqrt(2) dB is solved exactly by the EI step:
    # mean e^h y + 2 b (e^h - 1), variance e^{2h} - 1 (Euler-Maruyama only to first order in h)
    h, y, b = 0.3, 0.7, -1.2
    a, c, v = schemes.coefficients("ei", np.array([h]))
    assert np.allclose(a * y + c * b, np.exp(h) * y + 2 * b * np.expm1(h))
    assert np.allclose(v, np.expm1(2 * h))
    a, c, v = schemes.coefficients("em", np.array([h]))
    assert abs(a * y + c * b - (np.exp(h) * y + 2 * b * np.expm1(h))) > 1e-2


def _affine(A, b):
    return lambda t: (A, b)


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_gaussian_law_matches_sampled_paths(rng, scheme):
    d = 2
    target = Gaussian(np.array([1.0, -0.5]), random_spd(rng, d, floor=0.3))
    n = 100_000
    out = _run(scheme, target.score, rng.standard_normal((n, d)), T=1.5, n_steps=12, eps=0.05, rng=rng)
    m, S = _law(target.affine_score, np.zeros(d), np.eye(d), T=1.5, n_steps=12, eps=0.05, scheme=scheme)
    se_mean = np.sqrt(np.diag(S) / n)
    assert np.all(np.abs(out.mean(0) - m) < 5 * se_mean)
    emp = np.cov(out.T)
    se_cov = np.sqrt((S ** 2 + np.outer(np.diag(S), np.diag(S))) / n)
    assert np.all(np.abs(emp - S) < 5 * se_cov)


def test_runs_are_reproducible_and_paths_start_at_y0(rng):
    target = Gaussian(np.zeros(1), np.ones(1))
    y0 = np.random.default_rng(1).standard_normal((10, 1))
    a = _run("em", target.score, y0, T=1.0, n_steps=5, rng=np.random.default_rng(2))
    b = _run("em", target.score, y0, T=1.0, n_steps=5, rng=np.random.default_rng(2))
    assert np.array_equal(a, b)
    path = _run("ei", target.score, y0, T=1.0, n_steps=5, rng=np.random.default_rng(2), path=True)
    assert path.shape == (6, 10, 1)
    assert np.array_equal(path[0], y0)


def test_diagonal_and_full_gaussian_law_agree(rng):
    cov = rng.uniform(0.2, 2.0, 3)
    diag = Gaussian(rng.standard_normal(3), cov)
    full = Gaussian(diag.mean, np.diag(cov))
    for scheme in ("em", "ei"):
        m1, S1 = _law(diag.affine_score, np.zeros(3), np.ones(3), T=2.0, n_steps=20, scheme=scheme)
        m2, S2 = _law(full.affine_score, np.zeros(3), np.eye(3), T=2.0, n_steps=20, scheme=scheme)
        assert np.allclose(m1, m2) and np.allclose(S1, np.diag(S2))
        assert np.allclose(S2, np.diag(np.diag(S2)))


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_exact_score_error_tends_to_initialisation_error(scheme):
    # as the step shrinks the scheme's law tends to the reverse SDE's law from N(0, I): W2 -> e^{-2T}|mu|
    mu = np.array([2.0])
    target = Gaussian(mu, np.ones(1))
    T = 1.0
    errs = []
    for K in (50, 200, 800, 3200):
        m, S = _law(target.affine_score, np.zeros(1), np.ones(1), T=T, n_steps=K, scheme=scheme)
        errs.append(w2_gaussian(m, S, mu, np.ones(1)))
    limit = np.exp(-2 * T) * 2.0
    gaps = np.abs(np.array(errs) - limit)
    assert np.all(np.diff(gaps) < 0)
    assert gaps[-1] < 1e-3
    slope = np.polyfit(np.log([50, 200, 800, 3200]), np.log(gaps), 1)[0]
    assert -1.1 < slope < -0.9


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_grid_law_matches__law(scheme):
    target = Gaussian(np.array([1.0]), np.array([0.5]))
    x = np.linspace(-7, 7, 1401)
    rho, lost = _grid(target.score, x, np.exp(-x ** 2 / 2), T=2.0, n_steps=40, scheme=scheme)
    m, S = _law(target.affine_score, np.zeros(1), np.ones(1), T=2.0, n_steps=40, scheme=scheme)
    ref = np.exp(-(x - m[0]) ** 2 / (2 * S[0]))
    assert abs(lost) < 1e-8
    assert w2_1d_density(x, rho, x, ref) < 1e-4


def test_grid_law_mixture_vs_monte_carlo(rng):
    mix = GaussianMixture([0.5, 0.5], [[-2.0], [2.0]], [[0.3], [0.3]])
    x = np.linspace(-8, 8, 1601)
    rho, _ = _grid(mix.score, x, np.exp(-x ** 2 / 2), T=3.0, n_steps=60, eps=0.05, scheme="ei")
    samples = _run("ei", mix.score, rng.standard_normal((200_000, 1)), T=3.0, n_steps=60, eps=0.05, rng=rng)
    dx = x[1] - x[0]
    p_right = float(np.sum(rho[x > 0]) * dx)
    frac = float(np.mean(samples > 0))
    assert abs(frac - p_right) < 5 * np.sqrt(0.25 / samples.shape[0]) + 2 * dx


def test_sampler_rejects_bad_score_shape(rng):
    with pytest.raises(ValueError, match="score"):
        _run("em", lambda t, x: x[:, :1], np.zeros((4, 2)), T=1.0, n_steps=3, rng=rng)
    with pytest.raises(TypeError, match="score"):
        _run("em", 3.0, np.zeros((4, 2)), T=1.0, n_steps=3, rng=rng)


def test_sampler_rejects_nan_start(rng):
    with pytest.raises(ValueError, match="y0"):
        _run("ei", lambda t, x: -x, np.full((2, 1), np.nan), T=1.0, n_steps=3, rng=rng)


def test_sampler_reports_divergence(rng):
    with pytest.raises(FloatingPointError, match="step"):
        _run("em", lambda t, x: -1e200 * x, np.ones((2, 1)), T=1.0, n_steps=3, rng=rng)


def test_bad_scheme_and_shapes():
    with pytest.raises(ValueError, match="scheme"):
        _law(lambda t: (-1.0, 0.0), np.zeros(1), np.ones(1), T=1.0, n_steps=2, scheme="rk4")
    with pytest.raises(ValueError, match="A must"):
        _law(lambda t: (np.ones(3), 0.0), np.zeros(2), np.ones(2), T=1.0, n_steps=2, scheme="em")
    with pytest.raises(ValueError, match="cov0"):
        _law(lambda t: (-1.0, 0.0), np.zeros(2), np.array([[1.0, 2.0], [2.0, 1.0]]), T=1.0,
                     n_steps=2, scheme="em")
    with pytest.raises(ValueError, match="grid"):
        _grid(lambda t, x: -x, np.linspace(-1, 1, 5), np.ones(5), T=1.0, n_steps=400, scheme="ei")


def test_reverse_sde_law_is_the_small_step_limit():
    target = Gaussian(np.array([1.5, -0.5, 0.3]), np.array([0.3, 1.0, 2.5]))
    limit = target.reverse_sde_law(1.0)
    gaps = []
    for K in (400, 1600):
        m, S = _law(target.affine_score, np.zeros(3), np.ones(3), T=1.0, n_steps=K, scheme="ei")
        gaps.append(w2_gaussian(m, S, limit.mean, limit.cov))
    assert gaps[1] < gaps[0] / 3.5 and gaps[1] < 1e-3  # first order in the step
    # unit variance: the error is exactly |mu| e^{-2T}
    iso = Gaussian(np.array([2.0]), np.array([1.0])).reverse_sde_law(0.7)
    assert np.allclose(iso.cov, 1.0) and np.allclose(2.0 - iso.mean, 2.0 * np.exp(-1.4))
    with pytest.raises(ValueError, match="diagonal"):
        Gaussian(np.zeros(2), np.eye(2)).reverse_sde_law(1.0)


def test_sampler_leaves_the_score_output_alone(rng):
    shift = np.ones((5, 2))  # a score that returns the caller's own array
    kept = shift.copy()
    _run("em", lambda t, x: shift, np.zeros((5, 2)), T=1.0, n_steps=4, rng=rng)
    assert np.array_equal(shift, kept)


def test_one_block_follows_its_spawned_stream():
    # a single block (n d <= BLOCK_COORDS) draws from rng.spawn(1)[0], one (n, d) array per step; the
    # score returns the particles' own array, so the drift must be formed before they are updated
    y0 = np.random.default_rng(4).standard_normal((4, 2))
    out = _run("em", lambda t, x: x, y0, T=1.0, n_steps=3, rng=np.random.default_rng(5))
    child = np.random.default_rng(5).spawn(1)[0]
    y, h = y0.copy(), 1.0 / 3
    for _ in range(3):
        y = y + h * (y + 2.0 * y) + np.sqrt(2.0 * h) * child.standard_normal((4, 2))
    assert np.allclose(out, y, rtol=1e-14, atol=1e-14)


def test_blocks_and_threads_leave_the_output_unchanged():
    d = 3
    rows = BLOCK_COORDS // d
    n = 2 * rows + 17  # three blocks, the last one short
    y0 = np.random.default_rng(6).standard_normal((n, d))
    target = Gaussian(np.array([0.5, -1.0, 2.0]), np.array([0.5, 1.0, 2.0]))
    runs = [_run("ei", target.score, y0, T=1.0, n_steps=6, rng=np.random.default_rng(7), workers=w)
            for w in (1, 2, 3)]
    assert all(np.array_equal(runs[0], r) for r in runs[1:])
    path = _run("ei", target.score, y0, T=1.0, n_steps=6, rng=np.random.default_rng(7),
                                  path=True, workers=2)
    assert path.shape == (7, n, d) and np.array_equal(path[-1], runs[0]) and np.array_equal(path[0], y0)


def test_blocks_draw_independent_noise():
    # zero score from zero: the output is sum_k a-weighted noise, block by block; equal streams in two
    # blocks would repeat rows, correlated ones would show in the sample correlation
    d = 2
    rows = BLOCK_COORDS // d
    out = _run("em", lambda t, x: 0.0 * x, np.zeros((2 * rows, d)), T=1.0, n_steps=2,
                         rng=np.random.default_rng(8))
    first, second = out[:rows].ravel(), out[rows:].ravel()
    r = np.corrcoef(first, second)[0, 1]
    assert abs(r) < 5 / np.sqrt(first.size)
    assert not np.any(np.isclose(first[:100], second[:100]))


def test_more_coordinates_than_a_block():
    d = BLOCK_COORDS + 5  # one row per block
    y0 = np.random.default_rng(9).standard_normal((3, d))
    a = _run("em", lambda t, x: -x, y0, T=0.5, n_steps=2, rng=np.random.default_rng(1), workers=1)
    b = _run("em", lambda t, x: -x, y0, T=0.5, n_steps=2, rng=np.random.default_rng(1), workers=2)
    assert np.array_equal(a, b) and np.all(np.isfinite(a))
    # the stationary score keeps N(0, I) for the exact dynamics; one EM step of h = 0.25 from it has
    # variance (1 - h)^2 + 2h per coordinate, twice: ((1-h)^2)^2 + 2h (1-h)^2 + 2h
    h = 0.25
    var = (1 - h) ** 4 + 2 * h * (1 - h) ** 2 + 2 * h
    assert abs(a.var() - var) < 5 * var * np.sqrt(2 / a.size)


def test_workers_checked(rng):
    with pytest.raises(ValueError, match="workers"):
        _run("em", lambda t, x: -x, np.zeros((4, 2)), T=1.0, n_steps=3, rng=rng, workers=0)
    with pytest.raises(TypeError, match="workers"):
        _run("em", lambda t, x: -x, np.zeros((4, 2)), T=1.0, n_steps=3, rng=rng, workers=1.5)


def test_bad_score_shape_raised_from_a_thread(rng):
    with pytest.raises(ValueError, match="score returned shape"):
        _run("em", lambda t, x: x[:, :1], np.zeros((BLOCK_COORDS, 2)), T=1.0, n_steps=3, rng=rng, workers=2)
