"""Schedules as values, the scheme table, the one sampler signature with callbacks, exact laws."""
import numpy as np
import pytest

from sgmbook import laws, samplers, schedules, schemes
from sgmbook.targets import Gaussian


def test_uniform_and_from_times():
    s = schedules.uniform(2.0, 0.5, 6)
    assert s.n_steps == 6 and np.allclose(s.h, 0.25) and np.allclose(s.t, 2.0 - 0.25 * np.arange(6))
    assert s.noise.all() and s.end == pytest.approx(0.5)
    u = schedules.from_times(np.array([3.0, 1.0, 0.5, 0.0]))
    assert np.allclose(u.t, [3.0, 1.0, 0.5]) and np.allclose(u.h, [2.0, 0.5, 0.5])
    with pytest.raises(ValueError, match="decreasing"):
        schedules.from_times(np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="n_steps"):
        schedules.uniform(1.0, 0.0, 0)


def test_authors_schedule():
    T, eps = 1.0, 1e-3
    s = schedules.authors(T, eps)
    assert s.n_steps == 1000
    assert np.allclose(s.h, T / 999) and np.allclose(s.t, np.linspace(T, eps, 1000))
    assert s.noise[:-1].all() and not s.noise[-1]
    assert s.end == pytest.approx(eps - T / 999)


def test_split_and_windows():
    s = schedules.split(4.0, 10, 1.0, 0.5)
    assert s.n_steps == 10 and s.end == pytest.approx(0.0)
    assert np.allclose(s.h[:5], 0.6) and np.allclose(s.h[5:], 0.2)
    w = schedules.windows(3.0, 1.0, width=0.3, n_fine=30, n_coarse=2)
    assert np.isclose(np.sum(w.h), 3.0) and np.isclose(w.h.max(), 0.15)


def test_scheme_table():
    a, c, v = schemes.coefficients("em", np.array([0.1]))
    assert np.allclose([a[0], c[0], v[0]], [1.1, 0.2, 0.2])
    a, c, v = schemes.coefficients("ei", np.array([0.1]), noise=np.array([False]))
    assert np.allclose([a[0], c[0], v[0]], [np.exp(0.1), 2 * np.expm1(0.1), 0.0])
    with pytest.raises(ValueError, match="one of .*'ei'.*'em'"):
        schemes.get("heun")
    with pytest.raises(ValueError, match="scheme"):
        samplers.sample(lambda t, x: -x, np.zeros((3, 1)), schedules.uniform(1.0, 0.0, 4), scheme="rk4",
                        rng=np.random.default_rng(0))


def test_callback_path_and_fast_path_agree():
    g = Gaussian(np.array([0.5, -1.0]), np.array([0.5, 2.0]))
    y0 = np.random.default_rng(1).standard_normal((5000, 2))
    path = []
    new = samplers.sample(g.score, y0, schedules.uniform(1.0, 0.0, 8), scheme="em",
                          rng=np.random.default_rng(2), callback=lambda k, y: path.append(y.copy()))
    fast = samplers.sample(g.score, y0, schedules.uniform(1.0, 0.0, 8), scheme="em",
                           rng=np.random.default_rng(2))
    assert len(path) == 9 and np.array_equal(path[0], y0)
    assert np.array_equal(path[-1], new) and np.array_equal(fast, new)
    # grid-law callback: the law after k steps equals the law of a k-step run on the first k steps
    x = np.linspace(-8, 8, 801)
    rho0 = np.exp(-x * x / 2)
    full = schedules.uniform(1.0, 0.0, 4)
    dens = []
    last, _ = laws.grid_1d(lambda t, z: -z, x, rho0, full, scheme="ei",
                           callback=lambda k, r: dens.append(r.copy()))
    assert len(dens) == 5 and np.array_equal(dens[-1], last)
    part = schedules.from_times(np.array([1.0, 0.75, 0.5]))
    two, _ = laws.grid_1d(lambda t, z: -z, x, rho0, part, scheme="ei")
    assert np.allclose(two, dens[2], rtol=1e-12, atol=1e-14)


def test_noise_free_step_adds_no_noise():
    sched = schedules.from_times(np.array([1.0, 0.5]))
    sched = schedules.Schedule(sched.t, sched.h, np.array([False]))
    y = samplers.sample(lambda t, x: -x, np.ones((4, 1)), sched, scheme="em", rng=np.random.default_rng(0))
    assert np.allclose(y, 1.0 + 0.5 * (1.0 - 2.0))
    m, S = laws.gaussian(lambda t: (np.array([-1.0]), np.array([0.0])), np.ones(1), np.array([1e-12]),
                         sched, scheme="em")
    assert np.allclose(m, 0.5) and np.allclose(S, 0.25e-12)
    with pytest.raises(ValueError, match="noise"):
        laws.grid_1d(lambda t, z: -z, np.linspace(-5, 5, 101), np.ones(101), sched, scheme="em")


def test_gaussian_law_matches_monte_carlo():
    g = Gaussian(np.array([1.0, -0.5]), np.array([0.3, 1.5]))
    sched = schedules.authors(2.0, 1e-2, n_points=50)
    for scheme in ("em", "ei"):
        m, S = laws.gaussian(g.affine_score, np.zeros(2), np.ones(2), sched, scheme=scheme)
        n = 200_000
        y = samplers.sample(g.score, np.random.default_rng(3).standard_normal((n, 2)), sched,
                            scheme=scheme, rng=np.random.default_rng(4))
        z_mean = np.abs(y.mean(0) - m) / np.sqrt(S / n)
        z_var = np.abs(y.var(0, ddof=1) - S) / (S * np.sqrt(2.0 / (n - 1)))
        assert z_mean.max() < 4.5 and z_var.max() < 4.5, (scheme, z_mean, z_var)


def test_bad_schedule_type():
    with pytest.raises(TypeError, match="Schedule"):
        laws.gaussian(lambda t: (-1.0, 0.0), np.zeros(1), np.ones(1), np.linspace(1, 0, 5), scheme="em")


def test_book_helpers():
    from sgmbook import book

    assert book.markdown_table(["a", "b"], [("1", "x|y")]) == "| a | b |\n|---|---|\n| 1 | x\\|y |"
    assert book.small(1e-12) == "< 1e-08" and book.small(3e-3) == "3.0e-03"
    assert book.zscore(1.2, 1.0, 0.1) == pytest.approx(2.0)
    x = np.random.default_rng(0).standard_normal((40_000, 2)) * np.array([1.0, 2.0])
    zm, zv = book.mean_var_zscores(x, np.zeros(2), np.array([1.0, 4.0]))
    assert zm.max() < 4 and zv.max() < 4
    zm, _ = book.mean_var_zscores(x + 0.1, np.zeros(2), np.array([1.0, 4.0]))
    assert zm.min() > 4  # a shifted sample is detected
