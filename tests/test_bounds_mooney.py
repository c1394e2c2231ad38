"""Tests of sgmbook.bounds.mooney (Theorem 3.1 of Mooney et al., formulas reconstructed in the book)."""
import numpy as np
import pytest

from sgmbook import Gaussian, GaussianMixture, ou
from sgmbook.bounds import mooney
from sgmbook.targets import bump_flow

LOG2 = float(np.log(2.0))


def test_blowup_time():
    assert mooney.blowup_time(2.0) == pytest.approx(LOG2, rel=1e-15)
    assert mooney.blowup_time(1.0) == np.inf
    assert mooney.blowup_time(-3.0) == np.inf
    # K = sup (log p0)'' gives M0 = K + 1 and tau* = log(1 + 1/K)
    assert mooney.blowup_time(4.0) == pytest.approx(np.log(1 + 1 / 3.0), rel=1e-14)


@pytest.mark.parametrize("sigma", [0.4, 0.9, 1.0, 1.7, 3.0])
def test_gaussians_attain_both_bounds(sigma):
    c = 1 / sigma ** 2 - 1  # g'' for N(0, sigma^2)
    taus = np.linspace(0.0, 5.0, 41)
    lo, up = mooney.hessian_logp_bounds(taus, -c, c)
    exact = np.array([Gaussian(np.zeros(1), np.array([sigma ** 2])).hessian_logp(tau / 2, np.zeros(1))[0] for tau in taus])
    assert np.allclose(lo, exact, rtol=1e-12) and np.allclose(up, exact, rtol=1e-12)


def test_heat_and_ou_forms_agree():
    taus = np.linspace(0.01, 0.69, 30)
    s = -np.expm1(-taus)  # heat time
    lq, uq = mooney.hessian_q_bounds(taus, 2.0, 1.5)
    lh, uh = mooney.heat_hessian_bounds(s, 2.0, 1.5)
    assert np.allclose(lq, np.exp(-taus) * lh, rtol=1e-12)
    assert np.allclose(uq, np.exp(-taus) * uh, rtol=1e-12)


def test_horizon():
    lo, up = mooney.hessian_logp_bounds(np.array([0.5, LOG2, 1.0]), 2.0, 2.0)
    assert np.isfinite(up[0]) and np.isinf(up[1]) and np.isinf(up[2])
    assert np.all(np.isfinite(lo))
    # upper bound increases to +inf as tau -> tau*
    u = mooney.hessian_logp_bounds(LOG2 - np.array([1e-1, 1e-2, 1e-3]), 2.0, 2.0)[1]
    assert np.all(np.diff(u) > 0) and u[-1] > 900


def test_mixture_satisfies_bounds():
    mix = GaussianMixture([0.4, 0.6], [[-1.5], [1.0]], [[0.25], [0.5]])
    x = np.linspace(-6, 6, 2001)
    M0, M1 = mooney.constants_from_logp_hessian(mix.hessian_logp(0.0, x))
    tstar = mooney.blowup_time(M0)
    # the upper bound up to its horizon (a grid of times below tau*), the lower one at all times
    for tau in tstar * np.linspace(0.01, 0.999, 30):
        h = mix.hessian_logp(tau / 2, x)
        lo, up = mooney.hessian_logp_bounds(tau, M0, M1)
        assert h.min() >= lo - 1e-9 and h.max() <= up + 1e-9
    for tau in np.linspace(0.02, 4.0, 25):
        h = mix.hessian_logp(tau / 2, x)
        lo, up = mooney.hessian_logp_bounds(tau, M0, M1)
        assert h.min() >= lo - 1e-9
        if tau < tstar:
            assert h.max() <= up + 1e-9


def test_bump_satisfies_bounds_and_lower_bound_attained():
    flow = bump_flow(5.0, h=0.05)
    x = np.linspace(-24, 24, 1201)  # heat variable y; the grid reaches |y| = 4M + 12 = 32
    for tau in [0.1, 0.3, 0.6, 0.68, 1.0, 2.0]:
        d = flow.hessian_logp(ou.from_mooney_time(tau), x * np.exp(tau / 2))
        lo, up = mooney.hessian_logp_bounds(tau, 2.0, 2.0)
        assert d.min() >= lo - 1e-8 and d.max() <= up + 1e-8
    d = flow.hessian_logp(ou.from_mooney_time(0.1), np.linspace(-24, 24, 4001) * np.exp(0.05))
    assert abs(d.min() - mooney.hessian_logp_bounds(0.1, 2.0, 2.0)[0]) < 1e-3


def test_bad_inputs():
    with pytest.raises(ValueError, match="M1"):
        mooney.hessian_logp_bounds(0.5, 2.0, -1.0)
    with pytest.raises(ValueError, match="tau"):
        mooney.hessian_logp_bounds(-0.5, 2.0, 1.0)
    with pytest.raises(TypeError, match="M0"):
        mooney.blowup_time("two")
    with pytest.raises(ValueError, match=r"s \(heat time\)"):
        mooney.heat_hessian_bounds(1.0, 2.0, 1.0)
    with pytest.raises(ValueError, match="hess_logp0"):
        mooney.constants_from_logp_hessian(np.array([]))
