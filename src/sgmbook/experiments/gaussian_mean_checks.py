r"""Sampler checks of the chapter "Gaussian with unknown mean" (Bruno et al., arXiv 2311.13584,
Section 3.1): the closed-form output law :math:`Y_K \sim N(c_K\theta, v_K I)` against the recursion of
:func:`sgmbook.laws.gaussian`, the order-one slopes and the :math:`\sqrt d` growth of the exact
:math:`W_2`, the initialisation and early-stopping terms, the discretisation constants, the step counts
for a target accuracy, and the sliced :math:`W_2` cross-check.

Closed forms: :mod:`sgmbook.experiments.gaussian_mean`; bounds: :mod:`sgmbook.bounds.bruno_gaussian`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import _validate as v
from .. import metrics, samplers, schedules
from .. import training as tr
from ..bounds import bruno_gaussian as bg
from . import gaussian_mean as gm
from .local_lipschitz import loglog_slope

__all__ = ["law_recursion_gap", "stationary_variance_undefined", "StepSlopes", "step_slopes",
           "DimRatios", "w2_per_sqrt_dim", "InitialisationCheck", "EarlyStoppingCheck",
           "initialisation_check", "early_stopping_check", "discretisation_constant_ratio",
           "StepCounts", "step_counts", "sliced_fixed_directions_gap", "SlicedCheck", "sliced_w2_check"]


def _cases(horizons, n_steps, eps):
    T = v.finite_array("horizons", horizons, ndim=1)
    K = v.int_array("n_steps", n_steps, minimum=1)
    e = v.finite_array("eps", eps, ndim=1)
    if not (K.shape == T.shape == e.shape):
        raise ValueError(f"horizons, n_steps and eps must have the same length, got {T.shape}, "
                         f"{K.shape} and {e.shape}")
    for Ti, ei in zip(T, e):
        v.horizon(float(Ti), float(ei))
    return T, K, e


def _schemes(schemes):
    if not isinstance(schemes, tuple) or not schemes:
        raise TypeError(f"schemes must be a non-empty tuple of scheme names, got {schemes!r}")
    return tuple(v.scheme(s) for s in schemes)


def law_recursion_gap(theta: np.ndarray, horizons: np.ndarray, n_steps: np.ndarray, eps: np.ndarray,
                      schemes: tuple[str, ...] = ("em", "ei")) -> float:
    r"""Largest difference between the law of :math:`Y_K` computed by the recursion of
    :func:`sgmbook.laws.gaussian` (:func:`~sgmbook.experiments.gaussian_mean.output_law`) and the closed
    form :math:`N(c_K\theta, v_K I)` (:func:`~sgmbook.experiments.gaussian_mean.scheme_coefficients`,
    derived in the book), over the cases ``(horizons[i], n_steps[i], eps[i])`` and the schemes."""
    theta = v.finite_array("theta", theta, ndim=1)
    worst = 0.0
    for scheme in _schemes(schemes):
        for T, K, e in zip(*_cases(horizons, n_steps, eps)):
            m, S = gm.output_law(theta, T=float(T), n_steps=int(K), scheme=scheme, eps=float(e))
            c, vK = gm.scheme_coefficients(float(T), int(K), scheme, float(e))
            worst = max(worst, float(np.max(np.abs(m - c * theta))), float(np.max(np.abs(S - vK))))
    return worst


def stationary_variance_undefined(gammas: np.ndarray, schemes: tuple[str, ...]) -> np.ndarray:
    r"""Per pair ``(gammas[i], schemes[i])``, whether
    :func:`~sgmbook.experiments.gaussian_mean.stationary_variance` refuses the step with a
    ``ValueError`` because :math:`a^2 = 1` there (:math:`v_* = w/(1 - a^2)` undefined; derived in the
    book: EM at :math:`\gamma = 2`, EI at :math:`\gamma = \log 3`). The inputs are validated first, so
    no other ``ValueError`` is counted."""
    gammas = v.finite_array("gammas", gammas, ndim=1)
    if np.any(gammas <= 0):
        raise ValueError(f"gammas must be > 0, got {gammas!r}")
    schemes = _schemes(schemes)
    if len(schemes) != gammas.size:
        raise ValueError(f"schemes must hold one scheme per step ({gammas.size}), got {schemes!r}")
    out = []
    for g, scheme in zip(gammas, schemes):
        try:
            gm.stationary_variance(float(g), scheme)
        except ValueError:
            out.append(True)
        else:
            out.append(False)
    return np.array(out)


class StepSlopes(NamedTuple):
    """Exact :math:`W_2` per scheme and step size ``(S, G)``, the fitted log-log slope and the slope on
    the last halving of the step ``(S,)``."""

    gammas: np.ndarray
    w2: np.ndarray
    slope: np.ndarray
    local: np.ndarray

    @property
    def reference(self) -> np.ndarray:
        r"""A line of slope one in :math:`\gamma` through the last value of the first scheme, ``(G,)``."""
        return self.w2[0, -1] * self.gammas / self.gammas[-1]


def step_slopes(mu: np.ndarray, gammas: np.ndarray, *, T: float,
                schemes: tuple[str, ...] = ("em", "ei")) -> StepSlopes:
    r"""The exact :math:`W_2(\mathcal L(Y_K), N(\mu, I))` at the true parameter :math:`\theta = \mu` with
    :math:`K = \mathrm{round}(T/\gamma)` steps, for each step size in ``gammas`` (decreasing by halvings),
    and its order in :math:`\gamma`: the least-squares slope of :math:`\log W_2` against :math:`\log\gamma`
    and :math:`\log_2` of the ratio of the last two values (order one: Bruno et al., Section 3.1)."""
    mu = v.finite_array("mu", mu, ndim=1)
    gammas = v.finite_array("gammas", gammas, ndim=1)
    if gammas.size < 2 or np.any(gammas <= 0):
        raise ValueError(f"gammas must hold at least two step sizes > 0, got {gammas!r}")
    T = v.positive("T", T)
    schemes = _schemes(schemes)
    err = np.array([[gm.w2_output(mu, mu, T=T, n_steps=max(int(round(T / g)), 1), scheme=s)
                     for g in gammas] for s in schemes])
    slope = np.array([loglog_slope(gammas, e) for e in err])
    local = np.log(err[:, -2] / err[:, -1]) / np.log(gammas[-2] / gammas[-1])
    return StepSlopes(gammas, err, slope, local)


class DimRatios(NamedTuple):
    r"""The dimensions and :math:`W_2/\sqrt d` for each of them, ``(D,)``."""

    dims: np.ndarray
    ratio: np.ndarray

    @property
    def spread(self) -> float:
        """The relative spread ``(max - min) / ratio[0]`` of the ratios (zero when they are equal)."""
        return float(np.ptp(self.ratio) / self.ratio[0])


def w2_per_sqrt_dim(dims: np.ndarray, *, T: float, n_steps: int, scheme: str) -> DimRatios:
    r""":math:`W_2/\sqrt d` at :math:`\theta = \mu = 0` for each dimension in ``dims``: then
    :math:`W_2 = \sqrt d\,|\sqrt{v_K} - 1|` exactly (derived in the book), so the ratio is the same for
    every :math:`d`."""
    dims = v.int_array("dims", dims, minimum=1)
    if dims.ndim != 1 or dims.size == 0:
        raise ValueError(f"dims must be a non-empty 1-D array of dimensions, got {dims!r}")
    v.allocation(float(dims.max()), "a mean of dimension max(dims)")
    return DimRatios(dims, np.array([gm.w2_output(np.zeros(k), np.zeros(k), T=T, n_steps=n_steps,
                                                  scheme=scheme) / np.sqrt(k) for k in dims]))


class InitialisationCheck(NamedTuple):
    """Per horizon: the initialisation term, the exact :math:`W_2` in the continuous limit, the exact
    :math:`W_2` at the step ``gamma`` and the discretisation bound at that step; the horizons."""

    term: np.ndarray
    far: np.ndarray
    w2_step: np.ndarray
    disc_bound: np.ndarray
    horizons: np.ndarray

    @property
    def worst(self) -> float:
        """The largest ``|far - term|``."""
        return float(np.max(np.abs(self.far - self.term)))


class EarlyStoppingCheck(NamedTuple):
    r"""Per early-stopping time: the early-stopping term, the exact :math:`W_2` in the continuous
    limit, the linear bound :math:`\varepsilon|\mu|` and the initialisation term left in the exact
    value."""

    term: np.ndarray
    far: np.ndarray
    linear: np.ndarray
    init_left: np.ndarray
    eps_values: np.ndarray

    @property
    def worst(self) -> float:
        """The largest ``|far - term|``."""
        return float(np.max(np.abs(self.far - self.term)))


def initialisation_check(mu: np.ndarray, horizons: np.ndarray, *, gamma: float = 1e-3,
                         far_steps: int = 10 ** 9) -> InitialisationCheck:
    r"""The initialisation term :math:`|\mu|e^{-2T}` (:func:`sgmbook.bounds.bruno_gaussian.initialisation_term`)
    against the exact Euler-Maruyama :math:`W_2` at :math:`\theta = \mu` with ``far_steps`` steps (the
    continuous limit), the exact :math:`W_2` with step ``gamma`` (``w2_step``) and the discretisation
    bound at that step (``disc_bound``, :func:`~sgmbook.bounds.bruno_gaussian.discretisation_term`),
    which must cover ``|w2_step - term|``."""
    mu = v.finite_array("mu", mu, ndim=1)
    Ts = v.finite_array("horizons", horizons, ndim=1)
    if np.any(Ts <= 0):
        raise ValueError(f"horizons must be > 0, got min {float(Ts.min())!r}")
    gamma = v.positive("gamma", gamma)
    far_steps = v.positive_int("far_steps", far_steps, maximum=None)
    nmu = float(np.linalg.norm(mu))
    rows = []
    for T in Ts:
        K = max(int(round(T / gamma)), 1)
        rows.append((bg.initialisation_term(nmu, T),
                     gm.w2_closed(mu, mu, T=T, n_steps=np.array([far_steps]), scheme="em")[0],
                     gm.w2_output(mu, mu, T=T, n_steps=K, scheme="em"),
                     bg.discretisation_term(T / K, T, "em", mu.shape[0], nmu ** 2)))
    return InitialisationCheck(*(np.array(c, dtype=float) for c in zip(*rows)), Ts)


def early_stopping_check(mu: np.ndarray, eps_values: np.ndarray, *, T: float = 10.0,
                         far_steps: int = 10 ** 9) -> EarlyStoppingCheck:
    r"""The early-stopping term :math:`(1 - e^{-\varepsilon})|\mu|`
    (:func:`sgmbook.bounds.bruno_gaussian.early_stopping_term`) against the exact exponential-integrator
    :math:`W_2` at :math:`\theta = \mu` with horizon ``T`` and ``far_steps`` steps, the linear bound
    :math:`\varepsilon|\mu|` and the initialisation term :math:`|\mu|e^{\varepsilon - 2T}` left in the
    exact value."""
    mu = v.finite_array("mu", mu, ndim=1)
    epss = v.finite_array("eps_values", eps_values, ndim=1)
    T = v.positive("T", T)
    if np.any(epss < 0) or np.any(epss >= T):
        raise ValueError(f"eps_values must lie in [0, T) = [0, {T:g}), got {epss!r}")
    far_steps = v.positive_int("far_steps", far_steps, maximum=None)
    nmu = float(np.linalg.norm(mu))
    term = np.array([bg.early_stopping_term(nmu, e) for e in epss])
    far = np.array([gm.w2_closed(mu, mu, T=T, n_steps=np.array([far_steps]), scheme="ei", eps=e)[0]
                    for e in epss])
    init = np.array([bg.initialisation_term(nmu, T, e) for e in epss])
    return EarlyStoppingCheck(term, far, epss * nmu, init, epss)


def discretisation_constant_ratio(horizons: np.ndarray, eps: np.ndarray, *, max_steps: int = 5000,
                                  schemes: tuple[str, ...] = ("em", "ei")) -> tuple[float, float]:
    r"""Largest ratio :math:`|c_K - c_\infty|/(C_m\gamma)` or :math:`(\sqrt{v_K} - 1)/(C_v\gamma)` over every
    step count :math:`K` from :math:`\lceil 2(T - \varepsilon)\rceil` to ``max_steps``, the cases
    ``(horizons[i], eps[i])`` and the schemes, with the constants of
    :func:`sgmbook.bounds.bruno_gaussian.discretisation_constants` (derived in the book; the lemma
    holds when the ratio is at most one); and the smallest :math:`\sqrt{v_K} - 1` (the lemma needs it
    :math:`\ge 0`)."""
    Ts = v.finite_array("horizons", horizons, ndim=1)
    max_steps = v.positive_int("max_steps", max_steps, maximum=10 ** 6)
    Ts, _, es = _cases(Ts, np.ones(Ts.shape, dtype=int), eps)
    worst, excess = 0.0, np.inf
    for scheme in _schemes(schemes):
        for T, e in zip(Ts, es):
            Ks = np.arange(int(np.ceil(2 * (T - e))), max_steps + 1)
            Ks = Ks[Ks >= 1]
            if Ks.size == 0:
                raise ValueError(f"max_steps must be >= 2(T - eps) = {2 * (T - e):g}, got {max_steps}")
            gs = (T - e) / Ks
            c, vK = gm.scheme_coefficients(T, Ks, scheme, e)
            consts = np.array([bg.discretisation_constants(g, T, scheme, e) for g in gs])
            r_m = np.abs(c - bg.continuous_coefficient(T, e)) / (consts[:, 0] * gs)
            r_v = (np.sqrt(vK) - 1) / (consts[:, 1] * gs)
            worst = max(worst, float(r_m.max()), float(r_v.max()))
            excess = min(excess, float(np.min(np.sqrt(vK) - 1)))
    return worst, excess


class StepCounts(NamedTuple):
    """Per case (flattened over distinct dimensions, then accuracies): the horizon, the exact step count for
    :math:`W_2 < \\delta` (0 where not reached within twice the bound's count) and the bound's count."""

    d: np.ndarray
    delta: np.ndarray
    T: np.ndarray
    k_exact: np.ndarray
    k_bound: np.ndarray

    @property
    def ratio(self) -> np.ndarray:
        """``k_bound / k_exact`` per case."""
        return self.k_bound / self.k_exact

    @property
    def grids(self) -> tuple[np.ndarray, np.ndarray]:
        """``k_exact`` and ``k_bound`` as ``(dimensions, accuracies)`` arrays."""
        n_acc = int(np.sum(self.d == self.d[0]))
        return self.k_exact.reshape(-1, n_acc), self.k_bound.reshape(-1, n_acc)

    @property
    def deltas(self) -> np.ndarray:
        """The distinct accuracies, in the order of the columns of :attr:`grids`."""
        return self.delta[:self.grids[0].shape[1]]

    @property
    def d_exponent(self) -> np.ndarray:
        r"""Per accuracy, the exponent of :math:`d` in the exact count between the last two
        dimensions: :math:`\log(K_2/K_1)/\log(d_2/d_1)`."""
        k = self.grids[0]
        dims = self.d[::k.shape[1]]
        return np.log(k[-1] / k[-2]) / np.log(dims[-1] / dims[-2])


def step_counts(mu_norm: float, dims: np.ndarray, deltas: np.ndarray) -> StepCounts:
    r"""Euler-Maruyama steps needed for :math:`W_2(\mathcal L(Y_K), \pi_D) < \delta` at :math:`\theta = \mu`,
    :math:`\mu = (|\mu|/\sqrt d)(1, \dots, 1)`, :math:`T = \frac12\log(2|\mu|/\delta)` (initialisation term
    :math:`\delta/2`): exact (:func:`~sgmbook.experiments.gaussian_mean.steps_to_accuracy` on
    :func:`~sgmbook.experiments.gaussian_mean.w2_closed`) and from the bound
    (:func:`sgmbook.bounds.bruno_gaussian.bound_steps`)."""
    mu_norm = v.positive("mu_norm", mu_norm)
    dims = v.int_array("dims", dims, minimum=1)
    deltas = v.finite_array("deltas", deltas, ndim=1)
    if dims.ndim != 1 or dims.size == 0:
        raise ValueError(f"dims must be a non-empty 1-D array of dimensions, got {dims!r}")
    if np.any(deltas <= 0) or np.any(deltas >= 2 * mu_norm):
        raise ValueError(f"deltas must lie in (0, 2 mu_norm) = (0, {2 * mu_norm:g}), got {deltas!r}")
    v.allocation(float(dims.max()), "a mean of dimension max(dims)")
    rows = []
    for d in dims:
        mu = np.full(int(d), mu_norm / np.sqrt(d))
        for delta in deltas:
            T = 0.5 * np.log(2 * mu_norm / delta)
            kb = bg.bound_steps(delta, mu_norm, int(d), 0.0, T=T, scheme="em")
            w2 = gm.w2_closed(mu, mu, T=T, n_steps=np.arange(1, 2 * kb + 1), scheme="em")
            ke = gm.steps_to_accuracy(delta, w2)
            rows.append((d, delta, T, 0 if ke is None else ke, kb))
    d, delta, T, ke, kb = (np.array(c) for c in zip(*rows))
    return StepCounts(d.astype(int), delta.astype(float), T.astype(float), ke.astype(int), kb.astype(int))


def sliced_fixed_directions_gap(theta: np.ndarray, mu: np.ndarray, *, T: float, n_steps: int,
                                max_directions: int = 8) -> float:
    r"""Largest difference, over :math:`N = 2, \dots,` ``max_directions`` equally spaced directions
    :math:`u_j = (\cos(\pi j/N), \sin(\pi j/N))` in the plane, between
    :math:`\frac1N\sum_j W_2^2(u_j{}_\#\mathcal L(Y_K), u_j{}_\#\pi_D)` and :math:`W_2^2/2` (derived in the book:
    the average of :math:`(u\cdot m)^2` over these directions is :math:`|m|^2/2`), for Euler-Maruyama
    with a fixed 2-D ``theta``."""
    theta = v.finite_array("theta", theta, ndim=1)
    mu = v.finite_array("mu", mu, ndim=1)
    if theta.shape != (2,) or mu.shape != (2,):
        raise ValueError(f"theta and mu must have shape (2,), got {theta.shape} and {mu.shape}")
    max_directions = v.positive_int("max_directions", max_directions, maximum=10 ** 6)
    if max_directions < 2:
        raise ValueError(f"max_directions must be >= 2, got {max_directions}")
    target = gm.w2_output(theta, mu, T=T, n_steps=n_steps, scheme="em") ** 2 / 2
    m, S = gm.output_law(theta, T=T, n_steps=n_steps, scheme="em")
    gap = 0.0
    for n_dir in range(2, max_directions + 1):
        ang = np.pi * np.arange(n_dir) / n_dir
        proj = ((np.cos(ang) * (m - mu)[0] + np.sin(ang) * (m - mu)[1]) ** 2).mean()
        gap = max(gap, abs(proj + (np.sqrt(S[0]) - 1) ** 2 - target))
    return float(gap)


class SlicedCheck(NamedTuple):
    """Exact :math:`W_2`, the exact sliced :math:`W_2^2 = W_2^2/2`, the Monte Carlo estimates of the sliced
    :math:`W_2^2` (generated vs data, and data vs data, one per repetition), and the samples of the
    last repetition (generated, data); then the mean of ``est`` with its standard error, and the
    bias-corrected estimate ``mean(est) - mean(null)`` with its standard error."""

    exact_w2: float
    target: float
    est: np.ndarray
    null: np.ndarray
    generated: np.ndarray
    data: np.ndarray
    mean: float
    se: float
    corrected: float
    se_corrected: float

    @property
    def bias(self) -> float:
        """The mean data-versus-data estimate (the bias scale)."""
        return float(self.null.mean())

    @property
    def implied_w2(self) -> float:
        r""":math:`\sqrt{2 \times \text{corrected}}`, the :math:`W_2` implied by the corrected estimate."""
        if self.corrected < 0:
            raise ValueError(f"corrected must be >= 0 for an implied W2, got {self.corrected!r}")
        return float(np.sqrt(2 * self.corrected))


def sliced_w2_check(theta: np.ndarray, mu: np.ndarray, *, T: float, n_steps: int, n_samples: int,
                    reps: int, n_dirs: int, rng: np.random.Generator) -> SlicedCheck:
    r"""Sliced :math:`W_2^2` by Monte Carlo (:func:`sgmbook.metrics.sliced_w2`, ``n_dirs`` random
    directions) between ``n_samples`` Euler-Maruyama samples with the model score
    :math:`s(t, x, \theta)` (:func:`sgmbook.samplers.sample`) and as many data points
    :math:`N(\mu, I_2)`, repeated ``reps`` times, with a data-vs-data estimate each time (the bias scale);
    the exact value is :math:`W_2^2/2` in dimension two."""
    theta = v.finite_array("theta", theta, ndim=1)
    mu = v.finite_array("mu", mu, ndim=1)
    if theta.shape != (2,) or mu.shape != (2,):
        raise ValueError(f"theta and mu must have shape (2,), got {theta.shape} and {mu.shape}")
    n_samples = v.positive_int("n_samples", n_samples, maximum=10 ** 7)
    reps = v.positive_int("reps", reps, maximum=10 ** 4)
    n_dirs = v.positive_int("n_dirs", n_dirs, maximum=10 ** 5)
    rng = v.rng(rng)
    if n_samples < 2 or reps < 2:
        raise ValueError(f"n_samples and reps must be >= 2, got {n_samples} and {reps}")
    exact = gm.w2_output(theta, mu, T=T, n_steps=n_steps, scheme="em")
    sched = schedules.uniform(T, 0.0, n_steps)
    est, null = [], []
    for _ in range(reps):
        y = samplers.sample(lambda t, x: tr.score_model(t, x, theta), rng.standard_normal((n_samples, 2)),
                            sched, scheme="em", rng=rng)
        x = mu + rng.standard_normal((n_samples, 2))
        x2 = mu + rng.standard_normal((n_samples, 2))
        est.append(metrics.sliced_w2(y, x, n_dirs, rng=rng) ** 2)
        null.append(metrics.sliced_w2(x2, x, n_dirs, rng=rng) ** 2)
    est, null = np.array(est), np.array(null)
    mean, se = float(est.mean()), float(est.std(ddof=1) / np.sqrt(reps))
    se_c = float(np.sqrt(se ** 2 + null.var(ddof=1) / reps))
    return SlicedCheck(float(exact), float(exact ** 2 / 2), est, null, y, x, mean, se,
                       mean - float(null.mean()), se_c)
