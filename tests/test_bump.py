import numpy as np
import pytest

from sgmbook.bump import bump_log_density, bump_potential, bump_potential_dd, multi_bump_potential


@pytest.mark.parametrize("M", [1.0, 4.0, 32.0])
def test_bump_is_c11_with_curvature_two(M):
    y = np.linspace(-5 * M, 5 * M, 200_001)
    g = bump_potential(y, M)
    h = y[1] - y[0]
    d1 = np.gradient(g, h)
    d2 = np.diff(g, 2) / h ** 2
    assert np.max(np.abs(d2)) <= 2 * (1 + 1e-4)  # rounding of second differences
    assert np.max(np.abs(np.diff(d1))) < 4.1 * h  # first derivative continuous
    assert np.all(bump_potential(np.array([4 * M, -4 * M, 4.5 * M]), M) == 0)
    assert np.allclose(bump_potential_dd(np.array([0.0, 2 * M, 3.5 * M, 5 * M]), M), [-2, 2, -2, 0])


def test_log_density_is_log_convex_in_the_valley():
    M = 4.0
    y = np.linspace(-M, M, 101)
    assert np.allclose(bump_log_density(y, M), y ** 2 / 2)


def test_multi_bump_sums_disjoint_bumps_and_rejects_overlap():
    y = np.linspace(-100, 100, 2001)
    g = multi_bump_potential(y, np.array([2.0, 3.0]), np.array([-30.0, 40.0]))
    assert np.allclose(g, bump_potential(y + 30, 2.0) + bump_potential(y - 40, 3.0))
    with pytest.raises(ValueError, match="disjoint"):
        multi_bump_potential(y, np.array([2.0, 3.0]), np.array([0.0, 10.0]))
    with pytest.raises(ValueError, match="M"):
        bump_potential(y, -1.0)
