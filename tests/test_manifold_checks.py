"""Chapter 7's checks (sgmbook.experiments.manifold_checks) against closed forms and independent
computations."""
import numpy as np
import pytest

from sgmbook.bounds import bruno
from sgmbook.experiments import manifold_checks as mc
from sgmbook.experiments.manifold_heat import early_stopping_errors
from sgmbook.targets.manifold import UniformInterval


def test_interval_scan_against_finite_differences_and_the_bounds():
    x = np.linspace(-2.0, 2.0, 401)
    scan = mc.interval_hessian_scan([0.1, 0.01], x)
    assert np.all(scan.h_min >= -(1 + 1e-9) / scan.t) and np.all(scan.h_max <= 1e-12)
    h, t = 1e-5, 0.1
    grad = UniformInterval().grad_heat
    fd = (grad(t, x + h) - grad(t, x - h)) / (2 * h)
    assert scan.h_min[0] == pytest.approx(fd.min(), rel=1e-6)
    assert scan.t_sup[0] == pytest.approx(t * np.abs(fd).max(), rel=1e-6)


def test_concentrated_law_with_c_zero_is_the_uniform_interval():
    t = np.array([0.2, 0.05])
    flat = mc.concentrated_hessian_at_zero(t, c=0.0, n_points=20001)
    exact = [UniformInterval().hess_heat(float(s), [0.0])[0] for s in t]
    assert np.allclose(flat, exact, rtol=1e-6)
    assert np.all(mc.concentrated_hessian_at_zero(t) > 1 / t)  # c = 50: above 1/t


def test_two_atom_scan_closed_forms():
    t = np.geomspace(1e-2, 1.0, 7)
    sc = mc.two_atom_scan(t, np.array([0.5]))
    assert np.allclose(sc.ridge, 1 - t, rtol=1e-9) and np.allclose(sc.ridge_posterior, 1 - t, rtol=1e-9)
    sech2 = 1 / np.cosh(0.5 / t) ** 2
    assert np.allclose(sc.off[0], t * np.abs(-1 / t + sech2 / t ** 2), rtol=1e-9)
    assert np.all(sc.C <= sc.bound)


def test_circle_scan_centre_and_limit():
    t = np.geomspace(1e-4, 1.0, 9)
    sc = mc.circle_scan([0.5, 0.05], t, np.array([0.2, 1.5]), np.array([[0.1, 0.05], [1.5, 1.0]]))
    assert np.all(sc.quad_diff < 1e-8 / sc.t_quad)
    assert np.allclose(sc.centre, np.abs(0.5 - t), rtol=1e-9)
    assert np.allclose(sc.limit, [4.0, 1.0])
    assert np.allclose(sc.curves[:, 0], sc.limit, rtol=1e-2)


def test_three_arcs_covering_the_circle_give_the_uniform_circle():
    t = np.array([1e-3, 0.01, 0.1])
    sc = mc.three_arc_scan([[0.0, 0.0]], t, centres_deg=(60.0, 180.0, 300.0), width_deg=120.0,
                           n_per_arc=400, t_fit=0.2)
    assert np.allclose(t * t * sc.norm[:, 0], np.abs(0.5 - t), rtol=1e-9)
    with pytest.raises(ValueError, match="t_fit"):
        mc.three_arc_scan([[0.0, 0.0]], t, t_fit=1e-3)


def test_crude_bound_ratios_below_one_and_equal_to_a_direct_evaluation():
    x = np.linspace(-4.0, 4.0, 801)
    r = mc.crude_bound_ratios([0.1, 1e-3], x, np.array([[0.0, 0.0], [0.5, 0.0]]))
    assert np.all(r <= 1 + 1e-12)
    direct = np.abs(UniformInterval().hess_heat(0.1, x)).max() / (1 / 0.1 + 1 / 0.01)
    assert r[0, 0] == pytest.approx(direct, rel=1e-12)
    assert r[1, 1] > 0.99  # two atoms: the ridge attains the bound as t -> 0
    assert np.all(mc.crude_bound_ratios([0.1]) <= 1 + 1e-12)  # the chapter's default grids


def test_hessian_moments_ordering_and_the_crude_slope():
    m = mc.hessian_moment_scan([0.01, 0.003, 0.001], np.linspace(-3.0, 3.0, 20001))
    assert np.all(m.mean_square <= m.sup_square) and np.all(m.sup_square <= m.crude_square)
    assert -4.0 < m.slopes[2] < -3.5 and -1.7 < m.slopes[0] < -1.3


def test_early_stopping_study_matches_the_single_runs():
    x, deltas = np.linspace(-8.0, 8.0, 401), np.array([0.1, 0.01])
    es = mc.early_stopping_study(x, 4.0, deltas, n_steps=(20,))
    uni, _ = early_stopping_errors(UniformInterval(), x, 4.0, deltas, 20)
    spl, _ = early_stopping_errors(UniformInterval(), x, 4.0, deltas, 20, t_split=0.5)
    assert np.array_equal(es.errors[0, 0], uni) and np.array_equal(es.errors[0, 1], spl)
    assert np.allclose(es.coupling, [bruno.early_stopping_term(float(d), 1, 1 / 3) for d in deltas])
    assert np.all(es.bias <= es.coupling)


def test_derived_fields_of_the_scans():
    t = np.array([1e-3, 0.01, 0.1])
    arcs = mc.three_arc_scan([[0.0, 0.0], [0.5, 30.0]], t, n_per_arc=200, t_fit=0.01)
    assert arcs.arm_limit == pytest.approx(np.sin(np.deg2rad(10.0)) ** 2, rel=1e-12)
    assert np.allclose(arcs.t2_norm, t[0] * arcs.t_norm) and np.allclose(arcs.t_norm, t[0] * arcs.norm[0])
    wide = mc.three_arc_scan([[0.0, 0.0]], t, centres_deg=(0.0, 200.0, 100.0), width_deg=60.0,
                             t_fit=0.01)
    assert wide.arm_limit == pytest.approx(np.sin(np.deg2rad(20.0)) ** 2, rel=1e-12)  # gap 40 deg
    atoms = mc.two_atom_scan(t, np.array([0.5]), a=2.0)
    assert np.allclose(atoms.crude, 1.0 + 4.0 / t)
    circ = mc.circle_scan([0.5], t, np.array([0.2, 1.5]), np.array([[0.1, 0.05]]))
    assert np.allclose(circ.limit_gap, np.abs(circ.curves[:, 0] / np.array([4.0, 1.0]) - 1))


def test_ridge_rays_and_early_stopping_layout():
    t = np.array([1e-3, 0.01])
    arcs = mc.three_arc_scan([[0.0, 0.0]], t, n_per_arc=50, t_fit=0.01)
    assert np.allclose(arcs.ridge_deg, [30.0, 150.0, 270.0])  # arcs centred at 90, 210, 330
    xs, ys = arcs.ridge_rays(2.0)
    assert xs.shape == (2, 3) and np.all(xs[0] == 0) and np.allclose(np.hypot(xs[1], ys[1]), 2.0)
    assert np.allclose(ys[1], 2.0 * np.sin(np.deg2rad([30.0, 150.0, 270.0])))
    with pytest.raises(ValueError, match="length"):
        arcs.ridge_rays(-1.0)
    es = mc.early_stopping_study(np.linspace(-6.0, 6.0, 201), 2.0, [0.1, 0.03], n_steps=(4, 8))
    assert es.cases == [(4, "uniform"), (4, "split"), (8, "uniform"), (8, "split")]
    assert np.array_equal(es.curves[3], es.errors[1, 1]) and es.rows.shape == (9, 2)
    assert np.array_equal(es.rows[0], es.bias) and np.array_equal(es.rows[2], es.errors[0, 1, :, 1])
    assert np.array_equal(es.rows[-1], es.errors[1, 1, :, 2])


def test_circle_scan_default_probe_is_the_chapter_points():
    t, radii = np.array([0.01, 0.1]), np.array([0.5])
    pts = np.array([[0.0, 0.0], [0.1, 0.05], [0.6, -0.2], [0.0, 1.0], [1.5, 1.0]])
    default, given = mc.circle_scan([0.5], t, radii, n_angles=400), mc.circle_scan([0.5], t, radii, pts, 400)
    assert np.array_equal(default.quad_diff, given.quad_diff)
    assert not np.array_equal(mc.circle_scan([0.5], t, radii, pts[1:2], 400).quad_diff, given.quad_diff)
