import numpy as np
import pytest
from scipy.special import logsumexp

from sgmbook import Grid1D
from sgmbook.experiments import manifold_heat as mf


@pytest.mark.parametrize("s", [0.5, 0.05, 0.005])
def test_interval_derivatives_match_finite_differences(s):
    I = mf.UniformInterval(1.3)
    x = np.linspace(-3, 3, 6001)
    lp, g, h = I.logpdf_heat(s, x), I.grad_heat(s, x), I.hess_heat(s, x)
    dx = x[1] - x[0]
    assert np.max(np.abs(np.gradient(lp, dx) - g)[2:-2]) < 1e-3 * max(1.0, np.abs(g).max())
    assert np.max(np.abs(np.gradient(g, dx) - h)[2:-2]) < 1e-3 * max(1.0, np.abs(h).max())
    # density integrates to one
    xw = np.linspace(-10, 10, 20001)
    assert abs(np.exp(I.logpdf_heat(s, xw)).sum() * (xw[1] - xw[0]) - 1.0) < 1e-6


def test_interval_hessian_between_minus_one_over_s_and_zero():
    # convex support: Brascamp-Lieb gives -1/s <= d^2 log p <= 0, and t sup|.| -> 1 on [-2, 2]
    I = mf.UniformInterval()
    x = np.linspace(-2, 2, 40001)
    vals = []
    for s in [0.1, 0.01, 1e-3, 1e-4]:
        h = I.hess_heat(s, x)
        assert np.all(np.isfinite(h))
        assert h.min() >= -(1 + 1e-9) / s and h.max() <= 1e-12
        vals.append(s * np.abs(h).max())
    assert np.all(np.diff(vals) > 0) and abs(vals[-1] - 1) < 1e-3


def test_interval_far_outside_is_stable():
    I = mf.UniformInterval()
    s = 1e-6
    x = np.array([1.5, 5.0, -40.0])
    h = I.hess_heat(s, x)
    expected = -1 / s + 1 / (np.abs(x) - 1) ** 2  # truncated Gaussian at an endpoint, leading order
    assert np.allclose(h, expected, rtol=1e-6)


def test_two_atoms_closed_form_and_ridge():
    A = mf.TwoAtoms()
    for s in [0.1, 0.01]:
        assert np.isclose(A.hess_heat(s, [0.0])[0], (1 - s) / s ** 2)
    # off the ridge t|D^2| at x = 0.05 (values from the closed form)
    got = [s * A.hessian_norm(s, [0.05])[0] for s in [0.1, 0.05, 0.02, 0.01]]
    assert np.allclose(got, [6.864, 7.399, 0.3296, 0.9818], rtol=1e-3)
    # compare with discrete quadrature
    x = np.array([[0.0], [0.3], [-1.7]])
    H = mf.discrete_hessian(0.2, x, np.array([[-1.0], [1.0]]))
    assert np.allclose(H[:, 0, 0], A.hess_heat(0.2, x[:, 0]))


def test_onset_constant():
    c = mf.two_atom_onset_constant()
    assert abs(c - 0.4477) < 1e-4
    A = mf.TwoAtoms()
    s = np.geomspace(1e-4, 10, 20001)
    for x in [0.05, 0.2]:
        peak = max(s_ * (A.hess_heat(s_, [x])[0] + 1 / s_) for s_ in s)
        assert np.isclose(peak, c / x, rtol=1e-3)


@pytest.mark.parametrize("s", [1.0, 0.1, 0.01])
def test_circle_matches_angle_quadrature(s):
    C = mf.UniformCircle(1.5)
    th = np.linspace(0, 2 * np.pi, 4000, endpoint=False)
    pts = 1.5 * np.stack([np.cos(th), np.sin(th)], 1)
    x = np.array([[0.0, 0.0], [0.3, 0.1], [1.2, -0.4], [0.0, 1.45], [3.0, 2.0]])
    assert np.allclose(C.hess_heat(s, x), mf.discrete_hessian(s, x, pts), rtol=1e-8, atol=1e-8 / s)
    d2 = ((x[:, None, :] - pts[None]) ** 2).sum(-1)
    ref = logsumexp(-d2 / (2 * s), axis=1) - np.log(4000) - np.log(2 * np.pi * s)
    assert np.allclose(C.logpdf_heat(s, x), ref)
    # centre: both eigenvalues -1/s + a^2/(2 s^2)
    rad, tang = C.eigenvalues_heat(s, x[:1])
    assert np.isclose(rad[0], -1 / s + 1.5 ** 2 / (2 * s * s)) and np.isclose(tang[0], rad[0])


def test_crude_bound_holds_everywhere():
    x1 = np.linspace(-4, 4, 2001)
    x2 = np.stack(np.meshgrid(np.linspace(-2, 2, 41), np.linspace(-2, 2, 41)), -1).reshape(-1, 2)
    for s in [1.0, 0.1, 0.01, 1e-3]:
        for tgt, x in [(mf.UniformInterval(), x1), (mf.TwoAtoms(), x1), (mf.UniformCircle(), x2)]:
            assert np.all(tgt.hessian_norm(s, x) <= mf.crude_bound(s, tgt.radius) * (1 + 1e-12))


def test_ou_score_matches_grid_quadrature():
    I = mf.UniformInterval()
    y = np.linspace(-1, 1, 4001)
    g = Grid1D(y, np.zeros_like(y))
    x = np.linspace(-2, 2, 9)
    for t in [0.05, 0.5]:
        assert np.allclose(I.score(t, x), g.score(t, x), atol=2e-3)
        assert np.allclose(I.hessian_logp(t, x), g.hessian_logp(t, x), atol=2e-2 / t)
        assert np.allclose(I.logpdf(t, x), g.logpdf(t, x), atol=1e-3)
    assert I.score(0.1, x[:, None]).shape == (9, 1)
    A = mf.TwoAtoms(0.7)
    t = 0.3
    m, s2 = np.exp(-t), 1 - np.exp(-2 * t)
    # Tweedie: score = (m E[X0|x] - x)/s2, E[X0|x] = 0.7 tanh(0.7 m x / s2)
    assert np.allclose(A.score(t, x), (m * 0.7 * np.tanh(0.7 * m * x / s2) - x) / s2)


def test_ou_crude_bound_matches_heat_form():
    t = np.array([0.01, 0.1, 1.0])
    m, s2 = np.exp(-t), -np.expm1(-2 * t)
    assert np.allclose(mf.crude_bound_ou(t, 2.0), [mf.crude_bound(a, 2.0 * b) for a, b in zip(s2, m)])


def test_bad_inputs():
    with pytest.raises(ValueError, match="a"):
        mf.UniformInterval(-1.0)
    with pytest.raises(ValueError, match="s"):
        mf.TwoAtoms().hess_heat(0.0, [0.1])
    with pytest.raises(ValueError, match="t"):
        mf.UniformInterval().score(0.0, [0.1])
    with pytest.raises(ValueError, match="x"):
        mf.UniformCircle().hess_heat(0.1, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="M"):
        mf.crude_bound(0.1, -1.0)
    with pytest.raises(ValueError, match="points"):
        mf.discrete_hessian(0.1, np.zeros((2, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="u"):
        mf.UniformInterval().quantile([1.5])


def test_w2_to_interval_and_mean_square_hessian():
    I = mf.UniformInterval()
    x = np.linspace(-3, 3, 1201)
    # exact: p_t = law of e^{-t} U + sigma Z, coupling bound W2^2 <= (1 - e^{-t})^2/3 + sigma^2
    for t in [0.01, 0.1]:
        w = mf.w2_to_interval(x, np.exp(I.logpdf(t, x)))
        m, s2 = np.exp(-t), 1 - np.exp(-2 * t)
        assert 0 < w <= np.sqrt((1 - m) ** 2 / 3 + s2) * 1.01
    # the uniform law on a grid of cells inside [-1, 1] is at distance ~ cell size
    xc = -1 + (np.arange(2000) + 0.5) / 1000
    assert mf.w2_to_interval(xc, np.ones_like(xc)) < 1e-3
    # E[(d2 log p_t)^2] grows like t^{-3/2}: boundary layers of width sqrt(t) where |d2| ~ 1/t
    xx = np.linspace(-3, 3, 60001)
    ts = np.array([0.01, 0.003, 0.001])
    ms = np.array([mf.mean_square_hessian_1d(I, t, xx) for t in ts])
    slope = np.polyfit(np.log(ts), np.log(ms), 1)[0]
    assert -1.6 < slope < -1.3
    with pytest.raises(ValueError, match="q"):
        mf.w2_to_interval(x, -np.ones_like(x))


def test_arc_points_and_y_ridge():
    P = mf.arc_points(np.array([90.0, 210.0, 330.0]), 100.0, 2000)
    assert P.shape == (6000, 2) and np.allclose(np.hypot(P[:, 0], P[:, 1]), 1.0)
    # a full circle of arcs reproduces the Bessel closed form
    full = mf.arc_points(np.array([0.0]), 360.0, 4000, a=1.5)
    x = np.array([[0.0, 0.0], [0.3, 0.1], [2.0, 1.0]])
    assert np.allclose(mf.discrete_hessian(0.1, x, full), mf.UniformCircle(1.5).hess_heat(0.1, x), atol=1e-8)
    # ridge arm at 30 degrees: two nearest points, the arc ends at 20 and 40 degrees,
    # so t^2 ||D^2 log p|| -> sin^2(10 deg); off the ridge t ||D^2 log p|| -> 1 (r = 0.5, angle 90)
    t = 1e-4
    arm = np.array([[0.5 * np.cos(np.pi / 6), 0.5 * np.sin(np.pi / 6)]])
    H = np.linalg.norm(mf.discrete_hessian(t, arm, P)[0], 2)
    assert abs(t * t * H / np.sin(np.deg2rad(10.0)) ** 2 - 1) < 0.02
    off = np.array([[0.0, 0.5]])
    assert abs(t * np.linalg.norm(mf.discrete_hessian(t, off, P)[0], 2) - 1) < 1e-2
    # centre: isotropic posterior over the three arcs, t^2 ||D^2|| -> 1/2
    Hc = mf.discrete_hessian(t, np.zeros((1, 2)), P)[0]
    assert np.allclose(t * t * Hc, 0.5 * np.eye(2) - t * np.eye(2), atol=1e-6)
    with pytest.raises(ValueError, match="width_deg"):
        mf.arc_points(np.array([0.0, 180.0]), 200.0, 10)
    with pytest.raises(ValueError, match="n_per_arc"):
        mf.arc_points(np.array([0.0]), 10.0, 0)
