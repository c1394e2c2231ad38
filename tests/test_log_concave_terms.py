"""Tests of sgmbook.experiments.log_concave_terms: the four-term bound of chapter 3 term by term."""
import numpy as np
import pytest

from sgmbook import laws, metrics, schedules
from sgmbook.bounds import bruno as br
from sgmbook.experiments import log_concave as lc
from sgmbook.experiments import log_concave_terms as lt
from sgmbook.targets import Gaussian


def test_gaussian_row_terms_bound_their_counterparts_and_unit_covariance_attains():
    rng = np.random.default_rng(4)
    mu = 0.5 * rng.standard_normal(3)
    for c, attained in ((np.ones(3), True), (np.array([0.7, 1.0, 1.3]), False)):
        for scheme in ("em", "ei"):
            row = lt.gaussian_row("g", mu, c, eta=0.2, T=3.0, eps=0.02, n_steps=60, scheme=scheme)
            r = row.ratios()
            assert np.all(r >= 1 - 1e-10)
            if attained:
                np.testing.assert_allclose(r[1:3], 1.0, rtol=1e-9)
            else:
                assert np.all(r[1:3] > 1 + 1e-3)
            # the total is the exact W2 of the scheme's law to the data
            m, S = laws.gaussian(lc.BiasedScore(Gaussian(mu, c), 0.2, kind="const").affine,
                                 np.zeros(3), np.ones(3), schedules.uniform(3.0, 0.02, 60), scheme=scheme)
            assert row.exact.total == pytest.approx(metrics.w2_gaussian(m, S, mu, c), rel=1e-9)


def test_mixture_rows_bound_their_counterparts():
    x, y = np.linspace(-6, 6, 240), np.linspace(-7, 7, 1401)
    rows = lt.mixture_rows("m", 0.4, 0.6, 0.75, eta=0.1, T=2.0, eps=0.05, n_steps=30, x=x, y=y, n_fine=60)
    assert [r.scheme for r in rows] == ["em", "ei"]
    for r in rows:
        assert np.all(r.ratios() >= 1.0)
        assert r.bound.total > r.exact.total > 0
        # the counterparts are consistent with the triangle inequality (up to the proxy's step error)
        assert r.exact.total <= sum(r.exact[:4]) + 0.02
    assert rows[0].exact[:3] == rows[1].exact[:3]  # shared by both schemes


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="eps"):
        lt.gaussian_row("g", np.zeros(2), np.ones(2), eta=0.1, T=1.0, eps=0.0, n_steps=5, scheme="em")
    with pytest.raises(ValueError, match="scheme"):
        lt.gaussian_row("g", np.zeros(2), np.ones(2), eta=0.1, T=1.0, eps=0.1, n_steps=5, scheme="rk")
    with pytest.raises(ValueError, match="n_fine"):
        lt.mixture_rows("m", 0.4, 0.6, 0.5, eta=0.1, T=1.0, eps=0.1, n_steps=5, x=np.linspace(-5, 5, 50),
                        y=np.linspace(-5, 5, 50), n_fine=0)
