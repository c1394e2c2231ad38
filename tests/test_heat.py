"""Tests of the heat flows (sgmbook.targets.heat, sgmbook.experiments.blowup): windowed quadrature against dense quadrature and closed forms."""
import numpy as np
import pytest

from sgmbook import Grid1D, GaussianMixture, ou
from scipy import integrate

from sgmbook.bump import bump_potential
from sgmbook.experiments.blowup import (HeatFlow1D, bump_curvature_half, bump_flow, heat_equation_residual, multi_bump_flow,
                          sup_hessian_curve)
from sgmbook.bounds.mooney import hessian_logp_bounds

LOG2 = float(np.log(2.0))


def _rel(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b))))


@pytest.mark.parametrize("tau", [0.05, 0.4, LOG2, 1.5, 4.0])
def test_matches_dense_grid1d_on_bump(tau):
    flow = bump_flow(6.0, h=0.05)
    dense = Grid1D(flow.z, flow.log_density)
    x = np.linspace(-30, 30, 301) * np.exp(0.5 * tau)
    ev = flow.evolve(ou.from_mooney_time(tau), x)
    t = tau / 2  # book time
    assert _rel(ev.logp[0], dense.logpdf(t, x)) < 1e-12
    assert _rel(ev.score[0], dense.score(t, x)) < 1e-9
    assert _rel(ev.hessian_logp[0], dense.hessian_logp(t, x)) < 1e-6


def test_matches_dense_on_mixture_and_book_score():
    mix = GaussianMixture([0.3, 0.7], [[-2.0], [1.5]], [[0.3], [0.8]])
    z = np.linspace(-9, 9, 3601)
    flow = HeatFlow1D(z, mix.logpdf(0.0, z))
    x = np.linspace(-4, 4, 97)
    for t in [0.05, 0.3, 1.0]:
        ev = flow.evolve(ou.from_mooney_time(2 * t), x)
        assert _rel(ev.score[0], mix.score(t, x)) < 1e-8
        assert _rel(ev.hessian_logp[0], mix.hessian_logp(t, x)) < 1e-7
        assert _rel(flow.score(t, x[:, None])[:, 0], mix.score(t, x)) < 1e-8


def test_gaussian_closed_form():
    mu, sig = 0.7, 1.8
    z = np.linspace(mu - 14 * sig, mu + 14 * sig, 4001)
    flow = HeatFlow1D(z, -0.5 * ((z - mu) / sig) ** 2)
    x = np.linspace(-5, 5, 51)
    for tau in [0.1, 1.0, 3.0]:
        a2, s2 = np.exp(-tau), -np.expm1(-tau)
        var = a2 * sig ** 2 + s2
        ev = flow.evolve(ou.from_mooney_time(tau), x)
        m = np.sqrt(a2) * mu
        assert np.allclose(ev.hessian_logp[0], -1 / var, rtol=1e-10)
        assert np.allclose(ev.score[0], -(x - m) / var, rtol=1e-10, atol=1e-12)
        assert np.allclose(ev.logp[0], -0.5 * (x - m) ** 2 / var - 0.5 * np.log(2 * np.pi * var), atol=1e-10)


def test_window_drops_nothing_that_matters():
    flow = bump_flow(8.0, h=0.1)
    full = HeatFlow1D(flow.z, flow.log_density, cutoff=1e4)  # window = whole grid
    x = np.linspace(-60, 60, 401)
    for tau in [0.1, LOG2, 2.0]:
        a, b = flow.evolve(ou.from_mooney_time(tau), x), full.evolve(ou.from_mooney_time(tau), x)
        assert _rel(a.hessian_logp, b.hessian_logp) < 1e-12 and _rel(a.logp, b.logp) < 1e-13


def test_reference_values_and_grid_convergence():
    # sup_x d^2 log p at tau = log 2 sits at x = 0; independent-quadrature values 12.5, 47.8, 182.5
    ref = {4: 12.5, 8: 47.8, 16: 182.5}
    for M, r in ref.items():
        coarse = bump_flow(M, h=0.05).hessian_logp(ou.from_mooney_time(LOG2), np.array([0.0]))[0]
        fine = bump_flow(M, h=0.025).hessian_logp(ou.from_mooney_time(LOG2), np.array([0.0]))[0]
        assert abs(coarse - fine) / fine < 1e-6
        assert abs(fine - r) < 0.05


def test_heat_picture_attains_bound_before_half():
    # on [-M, M] the posterior at y = 0 is Gaussian for s < 1/2: (log h)_yy(s, 0) = 2 / (1 - 2s),
    # up to the Gaussian tail beyond |y| = M, of relative size exp(-M^2 (1 - 2s) / (2s)) < 1e-6 here
    flow = bump_flow(12.0, h=0.05)
    for s in [0.2, 0.4, 0.45]:
        _, d1, d2 = flow.heat(s, np.array([0.0]))
        assert abs(d2[0] - 2 / (1 - 2 * s)) < 1e-6 * (2 / (1 - 2 * s))
        assert abs(d1[0]) < 1e-10


def _quad_curvature_half(M):
    # (log pbar)_yy(1/2, 0) = -2 + 4 E[Z^2] with posterior weight exp(-g_M(z) - z^2), by adaptive quadrature
    def w(z):
        return np.exp(-bump_potential(np.array([z]), M)[0] - z * z)
    pieces = [(0.0, M), (M, 3 * M), (3 * M, 4 * M), (4 * M, np.inf)]
    z0 = sum(integrate.quad(w, a, b, epsabs=0, epsrel=1e-13, limit=200)[0] for a, b in pieces)
    z2 = sum(integrate.quad(lambda z: z * z * w(z), a, b, epsabs=0, epsrel=1e-13, limit=200)[0] for a, b in pieces)
    return -2 + 4 * z2 / z0


@pytest.mark.parametrize("M", [0.3, 1.0, 2.0, 8.0, 64.0])
def test_closed_form_curvature_at_half(M):
    # erf closed form = adaptive quadrature (no grid) = windowed trapezoid quadrature (grid, kinks on nodes)
    cf = bump_curvature_half(M)
    assert abs(cf - _quad_curvature_half(M)) < 1e-10 * max(1.0, abs(cf))
    grid = bump_flow(M, h=0.05).heat(0.5, np.array([0.0]))[2][0]
    assert abs(grid - cf) < 1e-6 * max(1.0, abs(cf))
    assert cf >= 4 * M * M / 3 - 2  # the proposition's lower bound


def test_closed_form_reference_values():
    # values computed independently of the book's code
    for M, ref in [(2.0, 7.6395670), (8.0, 97.658248), (64.0, 5567.23607)]:
        assert abs(bump_curvature_half(M) - ref) < 1e-7 * ref


def test_heat_equation_residual_small():
    mix = GaussianMixture([0.5, 0.5], [[-1.5], [1.5]], [[0.2], [0.2]])
    z = np.linspace(-8, 8, 3201)
    flow = HeatFlow1D(z, mix.logpdf(0.0, z))
    y = np.linspace(-3, 3, 601)
    res, scale = heat_equation_residual(flow, 0.4, y, ds=1e-3)
    assert np.max(np.abs(res)) < 1e-3 * np.max(scale)


def test_sup_curve_uniform_before_log2_and_quadratic_after():
    taus = np.array([0.3, 0.6, LOG2])
    S = sup_hessian_curve(taus, np.array([8.0, 16.0]), n_x=801, h=0.1)
    bound = hessian_logp_bounds(taus[:2], 2.0, 2.0)[1]
    assert np.all(S[:, :2] <= bound + 1e-6)
    slope = np.log(S[1, 2] / S[0, 2]) / np.log(2.0)
    assert abs(slope - 2) < 0.1


@pytest.mark.parametrize("tau", [1.0, 2.0, 5.0])
def test_sup_window_covers_the_outer_peak(tau):
    # for tau >= 1 there is a second peak of d2 log p outside the bump, at |y| ~ 2M + M sqrt(2(1 + 2s)),
    # of order M^2 for large M; the window |y| <= 5M + 3 of sup_hessian_curve must contain it, and farther
    # out the curvature is -1 up to O(M^3 exp(-6M))
    M = 16.0
    s = -np.expm1(-tau)
    flow = bump_flow(M, h=0.1, margin=4 * M + 12)
    ys = np.linspace(4 * M, 8 * M, 2001)
    d = flow.hessian_logp(ou.from_mooney_time(tau), ys * np.exp(tau / 2))
    peak = ys[np.argmax(d)]
    assert abs(peak - (2 * M + M * np.sqrt(2 * (1 + 2 * s)))) < 0.05 * M
    assert peak < 5 * M + 3
    far = ys > 5 * M + 3
    assert np.max(np.abs(d[far] + 1)) < 1e-6
    assert d.max() > 0  # a genuine local maximum well above the far-field value -1
    # the supremum itself sits at y = 0, above the outer peak, and sup_hessian_curve finds it
    centre = flow.hessian_logp(ou.from_mooney_time(tau), np.array([0.0]))[0]
    assert centre > d.max()
    S = sup_hessian_curve(np.array([tau]), np.array([M]), n_x=2001, h=0.1)[0, 0]
    assert abs(S - centre) < 1e-9 * centre


def test_multi_bump_is_local():
    one = bump_flow(4.0, h=0.05)
    many = multi_bump_flow(np.array([4.0, 2.0]), np.array([0.0, 40.0]), h=0.05)
    x = np.linspace(-5, 5, 41)
    assert _rel(many.hessian_logp(ou.from_mooney_time(LOG2), x), one.hessian_logp(ou.from_mooney_time(LOG2), x)) < 1e-6


def test_bad_inputs():
    z = np.linspace(-1, 1, 11)
    with pytest.raises(ValueError, match="z"):
        HeatFlow1D(np.array([0.0, 1.0, 3.0]), np.zeros(3))
    with pytest.raises(ValueError, match="log_density"):
        HeatFlow1D(z, np.zeros(5))
    with pytest.raises(ValueError, match="cutoff"):
        HeatFlow1D(z, np.zeros(11), cutoff=5.0)
    flow = HeatFlow1D(z, -z ** 2)
    with pytest.raises(ValueError, match="t must be >="):
        flow.posterior_moments(1e-4, np.zeros(3))
    with pytest.raises(ValueError, match="times"):
        flow.evolve(-1.0, np.zeros(3))
    with pytest.raises(ValueError, match="tau"):
        ou.from_mooney_time(-1.0)
    with pytest.raises(ValueError, match=r"s \(heat time\)"):
        flow.heat(1.5, np.zeros(3))
    with pytest.raises(ValueError, match="M"):
        bump_flow(-1.0)
    with pytest.raises(ValueError, match="x"):
        flow.evolve(ou.from_mooney_time(1.0), np.array([np.nan]))
    with pytest.raises(ValueError, match="ds"):
        heat_equation_residual(flow, 0.5, np.linspace(-1, 1, 5), ds=0.6)
    with pytest.raises(ValueError, match="y"):
        heat_equation_residual(flow, 0.5, np.array([0.0, 1.0]), ds=0.1)
    with pytest.raises(ValueError, match="M"):
        bump_curvature_half(0.0)


def test_posterior_density_flat_at_log2_and_normalised():
    flow = bump_flow(6.0, h=0.05)
    w = flow.posterior_density(ou.from_mooney_time(LOG2), 0.0)
    assert abs(np.trapezoid(w, flow.z) - 1) < 1e-12
    inner = np.abs(flow.z) <= 5.0
    assert w[inner].max() / w[inner].min() - 1 < 1e-12
    # its variance reproduces the Tweedie curvature at x = 0: -1/s^2 + a^2 Var / s^4 with a^2 = s^2 = 1/2
    var = np.trapezoid(w * flow.z ** 2, flow.z)
    assert abs(-2 + 2 * var - flow.hessian_logp(ou.from_mooney_time(LOG2), np.array([0.0]))[0]) < 1e-10 * var


def test_heat_and_ou_pictures_agree():
    flow = bump_flow(4.0, h=0.05)
    s = 0.3
    tau = -np.log1p(-s)
    y = np.linspace(-10, 10, 41)
    _, d1, d2 = flow.heat(s, y)
    ev = flow.evolve(ou.from_mooney_time(tau), y / np.sqrt(1 - s))
    assert np.allclose(ev.hessian_logp[0], -1 + (1 - s) * d2, rtol=1e-12, atol=1e-12)
    assert np.allclose(ev.score[0], -y / np.sqrt(1 - s) + np.sqrt(1 - s) * d1, rtol=1e-10, atol=1e-10)
