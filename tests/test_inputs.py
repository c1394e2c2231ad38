"""Bad and extreme inputs: every public function fails loudly or answers correctly, never silently.

For every entry of ``tests/input_registry.py`` (one valid call per public function, constructor and
method) and every parameter, hypothesis draws a bad value from the invalid families (NaN or inf, at any
position of an array; a string, a complex number, a bool, None, an object, an empty or ragged array, a
non-integer count; a callable returning NaN, inf, the wrong shape, None, a string or a scalar) and the
call must raise a ValueError or TypeError whose message names the parameter (or the callable).  Valid
extreme inputs (heat times down to 1e-12, points up to 1e4) are checked against high-precision values
(mpmath).  Profiles: ``inputs-short`` (default), ``inputs-long`` via ``SGMBOOK_INPUTS_PROFILE``.
"""
from __future__ import annotations

import os
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import input_registry as R

PROFILE = settings.get_profile(os.environ.get("SGMBOOK_INPUTS_PROFILE", "inputs-short"))


def _cases():
    out = []
    for name, entry in sorted(R.ENTRIES.items()):
        for param, value in entry.kwargs.items():
            if param in entry.skip:
                continue
            if param in entry.callables or R.invalid_for(entry, param):
                out.append((name, param))
    return out


CASES = _cases()


def test_registry_covers_every_public_callable():
    missing = R.public_names() - set(R.ENTRIES) - R.CONTAINERS
    assert not missing, f"public callables with no registry entry: {sorted(missing)}"


def test_registry_calls_are_valid():
    for name, entry in R.ENTRIES.items():
        entry.func(**R.materialise(entry.kwargs))


@st.composite
def bad_values(draw, entry: R.Entry, param: str):
    value = entry.kwargs[param]
    if param in entry.callables:
        muts = [(label, bad) for label, bad in R.misbehaving_callables(value, param not in entry.object_callables)
                if f"callable {label}" not in entry.valid.get(param, ())]
        label, bad = draw(st.sampled_from(muts + [("not callable", 1.0)]))
        return label, bad, (getattr(bad, "__name__", ""),)
    label, bad = draw(st.sampled_from(R.invalid_for(entry, param)))
    if label in ("nan", "inf") and isinstance(value, np.ndarray) and value.size > 1:
        bad = np.array(value, dtype=float)
        bad.flat[draw(st.integers(0, value.size - 1))] = np.nan if label == "nan" else np.inf
    return label, bad, ()


@pytest.mark.parametrize("name,param", CASES, ids=[f"{n}:{p}" for n, p in CASES])
def test_bad_input_raises_naming_the_parameter(name, param):
    entry = R.ENTRIES[name]

    # the hypothesis test is built per case: one settings object applied to all ~1500 parametrised
    # cases grows a chain of settings parents in hypothesis 6.170 until it overflows the stack
    @settings(PROFILE)
    @given(data=st.data())
    def check(data):
        label, bad, extra = data.draw(bad_values(entry, param))
        kwargs = R.materialise(entry.kwargs)
        kwargs[param] = bad
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises((ValueError, TypeError)) as info:
                entry.func(**kwargs)
        assert R.names_parameter(str(info.value), param, extra), (label, str(info.value))

    check()


# ---- silently wrong before: each must raise clearly or answer correctly ------------------------------

def test_kl_1d_density_decreasing_or_constant_grid():
    from sgmbook import metrics

    x = np.linspace(-4, 4, 401)
    p, q = np.exp(-0.5 * x ** 2), np.exp(-0.5 * (x - 1.0) ** 2 / 1.1)
    with pytest.raises(ValueError, match="x must be strictly increasing"):
        metrics.kl_1d_density(x[::-1], p[::-1], q[::-1])
    with pytest.raises(ValueError, match="x must be strictly increasing"):
        metrics.kl_1d_density(np.zeros(5), np.ones(5), np.ones(5))


def test_step_sizes_must_be_positive():
    from sgmbook import schemes

    for h in (-0.1, 0.0, float("nan")):
        with pytest.raises(ValueError, match="h must be"):
            schemes.coefficients("em", h)


@pytest.mark.parametrize("bad", [lambda t, x: np.full(x.shape, np.nan), lambda t, x: None,
                                 lambda t, x: 0.5, lambda t, x: np.zeros(x.size + 1)])
def test_grid_law_reports_the_score_and_the_time(bad):
    from sgmbook import laws, schedules

    x = np.linspace(-3, 3, 61)
    with pytest.raises((ValueError, TypeError), match=r"score .*t = 1\b"):
        laws.grid_1d(bad, x, np.exp(-x ** 2), schedules.uniform(1.0, 0.0, 5), scheme="em")


def test_sampler_reports_a_nan_score_at_its_first_call():
    from sgmbook import samplers, schedules

    def nan_score(t, x):
        return np.full(x.shape, np.nan)

    with pytest.raises(ValueError, match=r"score returned .*nan_score.*t = 1\b"):
        samplers.sample(nan_score, np.zeros((4, 1)), schedules.uniform(1.0, 0.0, 3), scheme="ei",
                        rng=np.random.default_rng(0))


def test_oversized_requests_refused_before_allocating():
    from sgmbook import schedules
    from sgmbook.targets import bump_flow

    with pytest.raises(ValueError, match="n_steps"):
        schedules.uniform(1.0, 0.0, 10 ** 12)
    with pytest.raises(ValueError, match="GiB"):
        bump_flow(1e-12)


# ---- extreme valid inputs against high-precision values ---------------------------------------------

mp.mp.dps = 60


def _interval_mp(a, s, x):
    """log p, d log p, d2 log p of the heat flow of U[-a, a] at (s, x), by mpmath (at |x|, the density
    being even, so that the difference of erfc values does not cancel)."""
    a, s, sign, x = mp.mpf(a), mp.mpf(s), (1 if x >= 0 else -1), mp.mpf(abs(x))
    c = mp.sqrt(2 * s)

    def logp(y):
        return mp.log((mp.erfc((y - a) / c) - mp.erfc((y + a) / c)) / 2) - mp.log(2 * a)

    return logp(x), sign * mp.diff(logp, x), mp.diff(logp, x, 2)


@pytest.mark.parametrize("s,x", [(1e-12, 1e3), (1e-8, 1e3), (1e-12, 1.5), (1e-6, -30.0), (0.5, 1e4),
                                 (1e-12, 0.3), (2.0, 0.0), (1e-3, 1e4)])
def test_uniform_interval_extremes_against_mpmath(s, x):
    from sgmbook.targets import UniformInterval

    g = UniformInterval(1.0)
    lp, d1, d2 = (float(v) for v in _interval_mp(1.0, s, x))
    xs = np.array([x])
    assert g.logpdf_heat(s, xs)[0] == pytest.approx(lp, rel=1e-9)
    assert g.grad_heat(s, xs)[0] == pytest.approx(d1, rel=1e-8)
    got = g.hess_heat(s, xs)[0]
    assert got == pytest.approx(d2, rel=1e-6, abs=1e-9 / s)
    assert -1.0 / s * (1 + 1e-12) <= got <= 0.0 + 1e-9 / s  # -1/s <= d2 (the variance is >= 0)


def _circle_mp(a, s, r):
    a, s, r = mp.mpf(a), mp.mpf(s), mp.mpf(r)

    def logp(rr):
        z = a * rr / s
        return -mp.log(2 * mp.pi * s) - (rr - a) ** 2 / (2 * s) + mp.log(mp.besseli(0, z) * mp.exp(-z))

    return logp(r), mp.diff(logp, r), mp.diff(logp, r, 2)


@pytest.mark.parametrize("s,r", [(1e-9, np.sqrt(2.0)), (1e-12, 2.0), (1e-12, 1e4), (0.3, 0.5), (1e-4, 1.0)])
def test_uniform_circle_extremes_against_mpmath(s, r):
    from sgmbook.targets import UniformCircle

    c = UniformCircle(1.0)
    pt = np.array([[r, 0.0]])
    lp, fp, fpp = (float(v) for v in _circle_mp(1.0, s, r))
    assert c.logpdf_heat(s, pt)[0] == pytest.approx(lp, rel=1e-9)
    rad, tang = c.eigenvalues_heat(s, pt)
    assert rad[0] == pytest.approx(fpp, rel=1e-6)
    assert tang[0] == pytest.approx(fp / r, rel=1e-6)


@pytest.mark.parametrize("s,x", [(1e-12, 1e4), (1e-12, 1e-13), (1e-6, 1.0), (0.5, -1e4)])
def test_two_atoms_extremes_against_mpmath(s, x):
    from sgmbook.targets import TwoAtoms

    a, S, X = mp.mpf(1), mp.mpf(s), mp.mpf(x)

    def logp(y):
        return mp.log((mp.exp(-(y - a) ** 2 / (2 * S)) + mp.exp(-(y + a) ** 2 / (2 * S))) / 2) - mp.log(2 * mp.pi * S) / 2

    t = TwoAtoms(1.0)
    xs = np.array([x])
    assert t.logpdf_heat(s, xs)[0] == pytest.approx(float(logp(X)), rel=1e-10)
    assert t.hess_heat(s, xs)[0] == pytest.approx(float(mp.diff(logp, X, 2)), rel=1e-8)


def test_small_times_ou_wrappers_finite():
    from sgmbook.targets import TwoAtoms, UniformCircle, UniformInterval

    for tgt, x in ((UniformInterval(), np.array([0.0, 0.999, 1e4])), (TwoAtoms(), np.array([0.0, 1.0, -1e4])),
                   (UniformCircle(), np.array([[0.0, 0.0], [1.0, 0.0], [1e4, 1e4]]))):
        for t in (1e-12, 1e-6, 50.0):
            for f in (tgt.logpdf, tgt.score, tgt.hessian_logp):
                assert np.all(np.isfinite(f(t, x))), (tgt, t, f.__name__)


@pytest.mark.parametrize("t", [1e-12, 1e-8, 1e-3, 30.0])
def test_ou_clock_small_times_against_mpmath(t):
    from sgmbook import ou

    T = mp.mpf(t)
    var = 1 - mp.exp(-2 * T)
    assert ou.variance(t) == pytest.approx(float(var), rel=1e-13)
    assert ou.mean_factor(t) == pytest.approx(float(mp.exp(-T)), rel=1e-15)
    if float(var) < 1.0:  # heat times round to 1 beyond t ~ 18 (the documented range is [0, 1))
        assert ou.from_heat_time(float(var)) == pytest.approx(t, rel=1e-10)


@pytest.mark.parametrize("t,x", [(1e-12, 1e4), (1e-12, -1e4), (1e-6, 0.3), (5.0, 1e4)])
def test_gaussian_and_mixture_extremes_against_mpmath(t, x):
    from sgmbook.targets import Gaussian, two_point_mixture

    T, X = mp.mpf(t), mp.mpf(x)
    m, s2 = mp.exp(-T), 1 - mp.exp(-2 * T)
    g = Gaussian(np.zeros(1), np.array([2.0]))
    var = 2 * m ** 2 + s2
    assert g.score(t, np.array([[x]]))[0, 0] == pytest.approx(float(-X / var), rel=1e-12)
    mix = two_point_mixture(1.0, 0.3)
    v = 0.3 * m ** 2 + s2

    def logp(y):
        comps = [mp.exp(-(y - c * m) ** 2 / (2 * v)) for c in (-1, 1)]
        return mp.log((comps[0] + comps[1]) / 2) - mp.log(2 * mp.pi * v) / 2

    assert mix.logpdf(t, np.array([[x]]))[0] == pytest.approx(float(logp(X)), rel=1e-10)
    assert mix.score(t, np.array([[x]]))[0, 0] == pytest.approx(float(mp.diff(logp, X)), rel=1e-8)
