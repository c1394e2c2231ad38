import numpy as np
import pytest

from sgmbook import schemes
from sgmbook import training as tr
from sgmbook.bounds import bruno_gaussian as bg
from sgmbook.experiments import gaussian_mean as gm

MU = gm.MU_CODE


def test_the_experiment_module_uses_the_bounds_module():
    for name in ("w2_bound", "sgld_mse_bound", "discretisation_constants", "bound_steps",
                 "continuous_coefficient"):
        assert getattr(gm, name) is getattr(bg, name)


def test_exact_terms_match_error_split():
    es = gm.error_split(MU + 0.1, MU, T=2.0, n_steps=50, scheme="em", eps=0.05)
    nmu = float(np.linalg.norm(MU))
    assert es.early == pytest.approx(bg.early_stopping_term(nmu, 0.05), rel=1e-14)
    assert es.init == pytest.approx(bg.initialisation_term(nmu, 2.0, 0.05), rel=1e-14)
    # e^{-eps} - c_inf is the initialisation factor
    assert np.exp(-0.05) - bg.continuous_coefficient(2.0, 0.05) == pytest.approx(
        np.exp(0.05 - 4.0), rel=1e-12)


@pytest.mark.parametrize("scheme", ["em", "ei"])
def test_discretisation_term_above_exact_part(scheme):
    theta = np.array([0.4, -2.0, 1.0])
    for K in (4, 10, 100, 1000):
        g = 2.0 / K
        es = gm.error_split(theta, np.zeros(3), T=2.0, n_steps=K, scheme=scheme)
        b = bg.discretisation_term(g, 2.0, scheme, 3, float(theta @ theta))
        assert es.disc <= b
    # nearly tight for EM at small steps (the variance constant is sharp to O(gamma))
    es = gm.error_split(np.zeros(3), np.zeros(3), T=8.0, n_steps=8000, scheme="em")
    assert es.disc / bg.discretisation_term(1e-3, 8.0, "em", 3, 0.0) > 0.99


def test_sgld_stationary_terms_above_exact_and_sum_to_bound():
    kw = dict(step=0.05, beta=1e4, batch=128, T=2.0)
    mb, lg = bg.sgld_stationary_terms(**kw)
    mb_exact, lg_exact = tr.sgld_stationary_variance(**kw)
    assert mb_exact <= mb and lg_exact <= lg
    far = bg.sgld_mse_bound(np.zeros(2), MU, 10 ** 9, **kw)
    assert far == pytest.approx(2 * (mb + lg), rel=1e-12)


def test_unknown_scheme_raises_naming_scheme_and_allowed():
    for call in (lambda: bg.discretisation_constants(0.1, 2.0, "heun"),
                 lambda: bg.w2_bound(1.0, 2, 0.1, gamma=0.1, T=2.0, scheme="rk4"),
                 lambda: gm.scheme_coefficients(2.0, 10, "heun"),
                 lambda: gm.output_law(MU, T=2.0, n_steps=10, scheme="EM"),
                 lambda: gm.stationary_variance(0.1, "heun")):
        with pytest.raises(ValueError, match=r"scheme must be one of \['ei', 'em'\]"):
            call()


def test_stationary_variance_closed_forms_and_singular_step():
    for g in (0.01, 0.3, 1.0):
        assert gm.stationary_variance(g, "em") == pytest.approx(2 / (2 - g), rel=1e-12)
        assert gm.stationary_variance(g, "ei") == pytest.approx(
            (np.exp(g) + 1) / (3 - np.exp(g)), rel=1e-12)
    for g, s in ((2.0, "em"), (float(np.log(3.0)), "ei")):
        with pytest.raises(ValueError, match="a\\^2 = 1"):
            gm.stationary_variance(g, s)
        # v_K is still defined there: 1 + K w
        a, c, w = schemes.coefficients(s, g)
        _, vK = gm.scheme_coefficients(3 * g, 3, s)
        assert vK == pytest.approx(1 + 3 * w, rel=1e-9)
    # a^2 > 1: a negative constant, and v_K = v* + (1 - v*) a^{2K} still holds
    vs = gm.stationary_variance(3.0, "em")
    assert vs == pytest.approx(2 / (2 - 3.0))
    _, vK = gm.scheme_coefficients(6.0, 2, "em")
    assert vK == pytest.approx(vs + (1 - vs) * 4.0 ** 2, rel=1e-12)


def test_bad_inputs_name_the_parameter():
    with pytest.raises(ValueError, match="gamma"):
        bg.discretisation_constants(0.6, 2.0, "em")
    with pytest.raises(ValueError, match="mu_norm"):
        bg.early_stopping_term(-1.0, 0.1)
    with pytest.raises(ValueError, match="eps"):
        bg.initialisation_term(1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match="batch"):
        bg.sgld_stationary_terms(step=0.1, beta=1.0, batch=1.5, T=2.0)
    with pytest.raises(ValueError, match="second_moment"):
        bg.discretisation_term(0.1, 2.0, "em", 2, -1.0)
