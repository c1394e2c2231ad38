"""sgmbook.experiments.bump_size_sweeps against the single-size functions and closed forms."""
import numpy as np
import pytest

from sgmbook.experiments import blowup
from sgmbook.experiments import bump_size_sweeps as bs


def test_horizon_bounds_bracket_the_closed_form_and_tighten_with_M():
    hb = bs.horizon_bounds([2.0, 16.0, 64.0])
    closed = np.array([blowup.bump_curvature_half(M) for M in hb.Ms])
    assert np.allclose(hb.value, closed, rtol=1e-6)
    assert np.allclose(hb.lower, 4 * hb.Ms ** 2 / 3 - 2)
    assert np.all(hb.lower <= hb.value) and np.all(hb.value <= hb.upper)
    assert np.all(np.diff(hb.low_ratio) < 0) and np.all(np.diff(hb.up_ratio) < 0)
    assert hb.low_ratio[-1] < 1.03 and hb.up_ratio[-1] < 1.03


def test_window_weights_bound_every_point_and_the_paired_value_does_not():
    ww = bs.window_weights([4.0, 8.0], n=40_001)
    assert np.allclose(ww.bound, -(ww.Ms + 3) ** 2 / 2)
    assert np.allclose(ww.paired, -6 * ww.Ms - 4.5)
    assert np.all(ww.excess <= ww.bound) and np.all(ww.full <= ww.bound + 1e-9)
    assert np.allclose(ww.full, ww.bound, atol=1e-9)  # attained at r = 4M
    assert ww.full[0] > ww.paired[0]


def test_single_bump_bounds_match_the_single_calls():
    lb = bs.single_bump_bounds([np.log(2.0), 2.0], [4.0, 8.0])
    assert lb.lhs.shape == (2, 2)
    one = blowup.single_bump_lower_bound(2.0, 8.0)
    assert (lb.lhs[1, 1], lb.rhs[1, 1], lb.prob[1, 1]) == one
    assert np.all(lb.margin > 0) and np.all((0 < lb.prob) & (lb.prob <= 1 + 1e-12))
    # at log 2 (s = 1/2) the right side is 2/3 P M^2 - 2
    assert np.allclose(lb.rhs[0], 2 / 3 * lb.prob[0] * lb.Ms ** 2 - 2)


def test_mass_weighted_curvatures_match_the_single_calls():
    mw = bs.mass_weighted_curvatures([4.0, 8.0], np.log(2.0), n_x=1001)
    assert (mw.sup[1], mw.mean[1]) == blowup.mass_weighted_curvature(8.0, np.log(2.0), n_x=1001)
    assert np.all(mw.mean < mw.sup)


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="Ms"):
        bs.horizon_bounds([0.0])
    with pytest.raises(ValueError, match="Ms"):
        bs.window_weights([])
    with pytest.raises(ValueError, match="taus"):
        bs.single_bump_bounds([], [2.0])


def test_single_bump_ratio():
    lb = bs.single_bump_bounds([np.log(2.0)], [8.0])
    assert lb.ratio[0, 0] == lb.lhs[0, 0] / lb.rhs[0, 0] and lb.ratio[0, 0] > 1


def test_bump_shapes_potential_and_normalised_densities():
    y = np.linspace(-10, 10, 2001)
    sh = bs.bump_shapes(2.0, [1.0, 3.0], y)
    assert sh.g[1000] == 0.0 and sh.g.min() == pytest.approx(-8.0)  # -2M^2 at |y| = 2M
    assert np.all(sh.g[np.abs(y) >= 8.0] == 0.0)
    for z, p in zip(sh.z, sh.p):
        assert np.trapezoid(p, z) == pytest.approx(1.0, rel=1e-6)


def test_single_bump_bounds_flat_is_the_long_form():
    lb = bs.single_bump_bounds([np.log(2.0), 2.0], [4.0, 8.0, 16.0])
    flat = lb.flat
    assert flat.lhs.shape == (6,) and np.array_equal(flat.taus, [np.log(2.0)] * 3 + [2.0] * 3)
    assert np.array_equal(flat.Ms, [4.0, 8.0, 16.0] * 2)
    # entry 4 is (tau = 2, M = 8)
    assert (flat.lhs[4], flat.rhs[4], flat.prob[4]) == (lb.lhs[1, 1], lb.rhs[1, 1], lb.prob[1, 1])
