r"""The checks of the chapter "The strongly log-concave theory" (Bruno et al., arXiv 2311.13584: the
main theorem's terms and the lemmas of its proof, as reconstructed in the book), each as one call
returning the numbers both sides of a stated inequality; the chapter prints them and asserts the
inequality.

* :func:`chapter_targets` -- the three 1-D non-Gaussian targets of the chapter and their constant L;
* :func:`propagation_check` -- grid log-concavity of :math:`p_t` against :math:`L_t`;
* :func:`initialisation_check` -- exact :math:`W_2` of Gaussian reverse laws against the
  initialisation term;
* :func:`coupling_check` -- synchronous coupling ratios against the contraction factor;
* :func:`score_error_grid_check`, :func:`score_error_gaussian_check` -- the score-error term on a
  mixture (grid laws) and on Gaussians (exact laws);
* :func:`early_stopping_check`, :func:`early_stopping_tight` -- the early-stopping lemma.

Book time: forward OU :math:`dX = -X dt + \sqrt2 dB`.  Everything is derived in the book.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from .. import _validate as v
from ..bounds import bruno as br
from ..bounds import exact_terms as et
from ..metrics import w2_1d_density, w2_gaussian
from ..targets import Gaussian, mixture_log_concavity, quartic_target, two_point_mixture
from . import log_concave as lc

__all__ = ["chapter_targets", "Propagation", "propagation_check", "Initialisation",
           "initialisation_check", "Coupling", "coupling_check", "ScoreErrorGrid",
           "score_error_grid_check", "ScoreErrorGaussian", "score_error_gaussian_check",
           "EarlyStopping", "early_stopping_check", "early_stopping_tight"]

# (a, variance, w) of the two mixtures w N(a, v) + (1 - w) N(-a, v) of the chapter
MIXTURES = {"symmetric mixture": (0.5, 1.0, 0.5), "skewed mixture": (0.4, 0.6, 0.75)}


def chapter_targets() -> dict[str, tuple[object, float]]:
    r"""The chapter's 1-D targets, name -> (target, L): the quartic :math:`\propto e^{-0.3x^2 - x^4/4}`
    tabulated on :math:`[-4.5, 4.5]` (L = 0.6) and the two mixtures of :data:`MIXTURES`, with
    :math:`L` from :func:`sgmbook.targets.mixture_log_concavity`."""
    out: dict[str, tuple[object, float]] = {"quartic": (quartic_target(0.6, np.linspace(-4.5, 4.5, 401)), 0.6)}
    for name, (a, var, w) in MIXTURES.items():
        out[name] = (two_point_mixture(a, var, w), mixture_log_concavity(a, var))
    return out


@dataclass(frozen=True)
class Propagation:
    """Grid estimates of :math:`\\min_x -\\partial_x^2\\log p_t` (``est``, rows: ``names``) against the
    bound ``bound`` = :math:`L_t`; ``L0`` the grid minimum at t = 0; ``margin`` =
    :math:`\\min_{t > 0}(\\text{est} - L_t)`; ``upper_ratio`` = :math:`\\max_{t>0}\\sigma_t^2\\max_x
    (-\\partial_x^2 \\log p_t)`."""

    names: tuple[str, ...]
    t: np.ndarray
    L: np.ndarray
    L0: np.ndarray
    est: np.ndarray
    bound: np.ndarray
    margin: np.ndarray
    upper_ratio: np.ndarray

    @property
    def peak(self) -> tuple[float, float, float]:
        """``(t, estimate, bound)`` where the first target's estimate is largest."""
        i = int(np.argmax(self.est[0]))
        return float(self.t[i]), float(self.est[0, i]), float(self.bound[0, i])


def propagation_check(t: np.ndarray | None = None, x: np.ndarray | None = None) -> Propagation:
    r"""Propagation of strong log-concavity along the OU flow (Bruno et al., arXiv 2311.13584, proof of
    the main theorem; derived in the book): for :math:`\pi_D` L-strongly log-concave, :math:`-\partial_x^2\log p_t \ge L_t =
    L/(L + (1 - L)e^{-2t})` and :math:`\le 1/\sigma_t^2`, on the targets of :func:`chapter_targets`.

    ``t``: increasing times with ``t[0] = 0`` (there the estimate is the exact L; default 0 and 24
    times geometric on [0.02, 3]); ``x``: the grid of the minimum and maximum (default 801 points on
    [-4, 4]).
    """
    t = np.concatenate([[0.0], np.geomspace(0.02, 3.0, 24)]) if t is None else t
    ts = v.grid("t", t)
    if ts[0] != 0.0:
        raise ValueError(f"t must start at 0 (the exact constant), got t[0] = {ts[0]!r}")
    xs = v.grid("x", np.linspace(-4.0, 4.0, 801) if x is None else x)
    names, Ls, L0s, ests, margins, ups = [], [], [], [], [], []
    bounds = []
    for name, (tgt, L) in chapter_targets().items():
        est = np.concatenate([[L], lc.log_concavity_1d(tgt, ts[1:], xs)])
        bound = br.log_concavity_along_ou(ts, L)
        upper = lc.max_neg_log_hessian_1d(tgt, ts[1:], xs)
        names.append(name)
        Ls.append(L)
        L0s.append(lc.log_concavity_1d(tgt, 0.0, xs))
        ests.append(est)
        bounds.append(bound)
        margins.append(float(np.min(est[1:] - bound[1:])))
        ups.append(float(np.max(upper * -np.expm1(-2 * ts[1:]))))
    return Propagation(tuple(names), ts, np.array(Ls), np.array(L0s), np.array(ests), np.array(bounds),
                       np.array(margins), np.array(ups))


@dataclass(frozen=True)
class Initialisation:
    """Per case: ``cov_scale`` (covariance c I), ``T``, ``eps``; ``exact`` the :math:`W_2` of the
    exact-score reverse SDE from N(0, I) to :math:`p_\\varepsilon`, ``sharp`` =
    :math:`e^{-T}\\Phi_T(T-\\varepsilon)C_2`, ``bound`` the initialisation term."""

    cov_scale: np.ndarray
    T: np.ndarray
    eps: np.ndarray
    exact: np.ndarray
    sharp: np.ndarray
    bound: np.ndarray


def initialisation_check(rng: np.random.Generator, d: int = 5,
                         cov_scales: np.ndarray | tuple[float, ...] = (1.0, 0.5, 1.6)) -> Initialisation:
    r"""The initialisation term (Bruno et al., main theorem; the contraction lemma of the book):
    :math:`W_2(p_\varepsilon, \mathcal L(\bar Y)) \le e^{-T}\Phi_T(T-\varepsilon)C_2 \le
    C_2 e^{-2\hat L(T-\varepsilon)-\varepsilon}` for :math:`N(\mu, cI_d)`, :math:`\mu` drawn from
    ``rng`` (one per scale), :math:`L = 1/c`, at :math:`(T, \varepsilon)` = (1, 1e-3), (2, 0.05),
    (4, 0.01); both laws exact (:func:`~sgmbook.experiments.log_concave.gaussian_backward_law`)."""
    rng = v.rng(rng)
    d = v.positive_int("d", d, maximum=10 ** 5)
    scales = v.finite_array("cov_scales", cov_scales, ndim=1)
    if np.any(scales <= 0):
        raise ValueError(f"cov_scales must be > 0, got min {float(scales.min())!r}")
    rows = []
    for cs in scales:
        mu, c = rng.standard_normal(d), np.full(d, cs)
        c2 = w2_gaussian(mu, c, np.zeros(d), np.ones(d))
        for T, eps in ((1.0, 1e-3), (2.0, 0.05), (4.0, 0.01)):
            m, s = lc.gaussian_backward_law(mu, c, T=T, eps=eps, start_mean=np.zeros(d), start_var=np.ones(d))
            pe = Gaussian(mu, c).marginal(eps)
            sharp = np.exp(-T) * br.backward_contraction(T, eps, 1.0 / cs, sharp=True) * c2
            rows.append((cs, T, eps, w2_gaussian(m, s, pe.mean, pe.cov), sharp,
                         br.initialisation_term(T, eps, 1.0 / cs, c2)))
    return Initialisation(*(np.array(col, dtype=float) for col in zip(*rows)))


@dataclass(frozen=True)
class Coupling:
    """``ratios[i]`` :math:`|Y_k - Y'_k|/|Y_0 - Y'_0|` (steps x pairs) on target ``names[i]``;
    ``sharp``, ``crude`` the factors :math:`\\Phi_T(s)` and :math:`e^{(1-2\\hat L)s}` on the backward
    times ``s``; ``worst`` the largest ratio / sharp over the path (steps >= 1)."""

    names: tuple[str, ...]
    L: np.ndarray
    s: np.ndarray
    ratios: np.ndarray
    sharp: np.ndarray
    crude: np.ndarray
    worst: np.ndarray

    @property
    def final(self) -> np.ndarray:
        """The largest ratio over the pairs at the last step, per target."""
        return self.ratios[:, -1].max(axis=1)

    @property
    def sharp_end(self) -> np.ndarray:
        """:math:`\\Phi_T(T - \\varepsilon)`, the bound at the last step, per target."""
        return self.sharp[:, -1]


def coupling_check(rng: np.random.Generator, y_start: np.ndarray | None = None, *, T: float = 3.0,
                   eps: float = 0.05, n_steps: int = 590, shift: float = 0.3) -> Coupling:
    r"""Contraction lemma of the reverse SDE (derived in the book): two copies with the same noise,
    started at the rows of ``y_start`` (default 60 points on [-2.5, 2.5]) and ``y_start + shift``, Euler-Maruyama with ``n_steps`` steps and the exact
    score, on the quartic and the symmetric mixture; each target replays the same stream (a copy of
    ``rng``).  Bound: :math:`\Phi_T(s)` of :func:`sgmbook.bounds.bruno.backward_contraction`."""
    y0 = v.finite_array("y_start", np.linspace(-2.5, 2.5, 60)[:, None] if y_start is None else y_start,
                        ndim=2)
    T, eps = v.horizon(T, eps)
    n_steps = v.positive_int("n_steps", n_steps, maximum=10 ** 6)
    rng = v.rng(rng)
    shift = v.positive("shift", shift)
    s = T - np.linspace(T, eps, n_steps + 1)
    targets = chapter_targets()
    names = ("quartic", "symmetric mixture")
    out = []
    for name in names:
        tgt, L = targets[name]
        r = lc.coupling_ratios(tgt.score, y0, y0 + shift, T=T, eps=eps, n_steps=n_steps, rng=copy.deepcopy(rng))
        sharp = br.backward_contraction(T, T - s, L, sharp=True)
        out.append((L, r, sharp, br.backward_contraction(T, T - s, L),
                    float(np.max(r[1:] / sharp[1:, None]))))
    L, r, sharp, crude, worst = (np.array(col) for col in zip(*out))
    return Coupling(names, L, s, r, sharp, crude, worst)


@dataclass(frozen=True)
class ScoreErrorGrid:
    """Per bias size ``eta``: ``eps_sn`` measured along the auxiliary law, its ``sup_bound``, the
    effect :math:`W_2` on the output and :math:`C_3\\sqrt{\\varepsilon_{SN}}` (``c3_bound``)."""

    C3: float
    L: float
    eta: np.ndarray
    eps_sn: np.ndarray
    sup_bound: np.ndarray
    effect: np.ndarray
    c3_bound: np.ndarray

    @property
    def ratio(self) -> np.ndarray:
        """:math:`C_3\\sqrt{\\varepsilon_{SN}}` over the measured effect, per ``eta``."""
        return self.c3_bound / self.effect

    @property
    def sup_frac(self) -> np.ndarray:
        """``eps_sn / sup_bound``: the measured score error as a fraction of its sup bound."""
        return self.eps_sn / self.sup_bound

    @property
    def sqrt_eps_sn(self) -> np.ndarray:
        """:math:`\\sqrt{\\varepsilon_{SN}}`, the abscissa of the effect against the bound."""
        return np.sqrt(self.eps_sn)


def score_error_grid_check(etas: np.ndarray | tuple[float, ...] = (0.05, 0.1, 0.2, 0.4),
                           x: np.ndarray | None = None, *, T: float = 3.0, eps: float = 0.02,
                           n_steps: int = 120) -> ScoreErrorGrid:
    r"""Score-error term on the symmetric mixture (Bruno et al., main theorem; constant derived in
    the book): the exponential integrator with ``n_steps`` steps from N(0, 1) on the grid ``x``
    (default 450 points on [-6, 6]), with
    the exact score and with :class:`~sgmbook.experiments.log_concave.BiasedScore` (``kind="cos"``);
    :math:`\varepsilon_{SN} = \sum_k h\,E|\eta e^{-t_k}\cos Y_k|^2` (left Riemann sum) and the effect
    :math:`W_2` of the two output laws, against :math:`C_3\sqrt{\varepsilon_{SN}}`."""
    etas = v.finite_array("etas", etas, ndim=1)
    if np.any(etas <= 0):
        raise ValueError(f"etas must be > 0, got min {float(etas.min())!r}")
    xs = v.grid("x", np.linspace(-6.0, 6.0, 450) if x is None else x)
    T, eps = v.horizon(T, eps)
    n_steps = v.positive_int("n_steps", n_steps, maximum=10 ** 5)
    sym, L = chapter_targets()["symmetric mixture"]
    rho0 = np.exp(-(xs ** 2) / 2)
    C3 = br.score_error_constant(T, eps, L)
    kw = dict(T=T, eps=eps, n_steps=n_steps, scheme="ei")
    _, _, rho_exact = lc.grid_path_expectations(sym.score, lambda t, z: np.zeros_like(z), xs, rho0, **kw)
    rows = []
    for eta in etas:
        model = lc.BiasedScore(sym, float(eta), kind="cos")
        _, e2, rho_b = lc.grid_path_expectations(model, lambda t, z: model.bias(t, z) ** 2, xs, rho0, **kw)
        eps_sn = float(np.sum(e2) * (T - eps) / n_steps)
        rows.append((eps_sn, model.eps_sn_bound(T, eps), w2_1d_density(xs, rho_b, xs, rho_exact),
                     C3 * np.sqrt(eps_sn)))
    cols = [np.array(col) for col in zip(*rows)]
    return ScoreErrorGrid(float(C3), float(L), etas, *cols)


@dataclass(frozen=True)
class ScoreErrorGaussian:
    """Per case (``cov_scale``, ``T``, ``eps``, ``eta``): ``effect`` the exact :math:`W_2` between the
    auxiliary and the exact-score reverse laws, ``bound`` :math:`C_3\\sqrt{\\varepsilon_{SN}}`,
    ``gap`` = bound / effect - 1, ``closed`` :math:`\\eta(e^{-\\varepsilon} - e^{\\varepsilon-2T})`;
    ``fine_gap`` the :math:`W_2` between the closed-form auxiliary law and the exponential integrator
    with ``n_fine`` steps (N(mu, I), eta = 0.2, T = 2, eps = 0.01)."""

    cov_scale: np.ndarray
    T: np.ndarray
    eps: np.ndarray
    eta: np.ndarray
    effect: np.ndarray
    bound: np.ndarray
    gap: np.ndarray
    closed: np.ndarray
    fine_gap: float

    @property
    def unit(self) -> np.ndarray:
        """Mask of the cases with covariance :math:`I`, where the bound is attained."""
        return self.cov_scale == 1.0

    @property
    def closed_gap(self) -> np.ndarray:
        """``|effect / closed - 1|``: the relative distance of the effect from its closed form."""
        return np.abs(self.effect / self.closed - 1.0)


def score_error_gaussian_check(rng: np.random.Generator, d: int = 5,
                               cov_scales: np.ndarray | tuple[float, ...] = (1.0, 0.5, 1.6),
                               n_fine: int = 200_000) -> ScoreErrorGaussian:
    r"""Score-error term on :math:`N(\mu, cI_d)` with the constant bias :math:`\eta e^{-t}u`
    (derived in the book): the auxiliary law
    (:func:`~sgmbook.experiments.log_concave.gaussian_auxiliary_law`) and the exact-score reverse law
    are Gaussian, so the effect is exact; for :math:`c = 1` it equals
    :math:`\eta(e^{-\varepsilon} - e^{\varepsilon - 2T}) = C_3\sqrt{\varepsilon_{SN}}`.  ``mu`` is one
    draw of ``rng``; cases :math:`(T, \varepsilon, \eta)` = (2, 0.01, 0.2), (4, 0.05, 0.5)."""
    rng = v.rng(rng)
    d = v.positive_int("d", d, maximum=10 ** 5)
    scales = v.finite_array("cov_scales", cov_scales, ndim=1)
    if np.any(scales <= 0):
        raise ValueError(f"cov_scales must be > 0, got min {float(scales.min())!r}")
    n_fine = v.positive_int("n_fine", n_fine, maximum=10 ** 7)
    mu = rng.standard_normal(d)
    rows = []
    for cs in scales:
        c = np.full(d, cs)
        for T, eps, eta in ((2.0, 0.01, 0.2), (4.0, 0.05, 0.5)):
            model = lc.BiasedScore(Gaussian(mu, c), eta, kind="const")
            m_aux, v_aux = lc.gaussian_auxiliary_law(model, T=T, eps=eps)
            m_bar, v_bar = lc.gaussian_backward_law(mu, c, T=T, eps=eps, start_mean=np.zeros(d),
                                                    start_var=np.ones(d))
            effect = w2_gaussian(m_aux, v_aux, m_bar, v_bar)
            bound = br.score_error_constant(T, eps, 1.0 / cs) * np.sqrt(model.eps_sn_bound(T, eps))
            rows.append((cs, T, eps, eta, effect, bound, bound / effect - 1.0,
                         eta * (np.exp(-eps) - np.exp(eps - 2 * T))))
    model = lc.BiasedScore(Gaussian(mu, np.ones(d)), 0.2, kind="const")
    m_aux, v_aux = lc.gaussian_auxiliary_law(model, T=2.0, eps=0.01)
    m_fine, v_fine = lc.diagonal_gaussian_scheme_law(model, T=2.0, eps=0.01, n_steps=n_fine, scheme="ei")
    cols = [np.array(col, dtype=float) for col in zip(*rows)]
    return ScoreErrorGaussian(*cols, fine_gap=float(w2_gaussian(m_aux, v_aux, m_fine, v_fine)))


@dataclass(frozen=True)
class EarlyStopping:
    """Per case (``names``, ``eps``): the ``exact`` :math:`W_2(\\pi_D, p_\\varepsilon)`, the
    ``lemma`` and :math:`C_1\\sqrt\\varepsilon` (``c1``); ``exact_terms`` the same exact distance
    recomputed by :mod:`sgmbook.bounds.exact_terms` (own quadrature for the mixtures)."""

    names: tuple[str, ...]
    eps: np.ndarray
    exact: np.ndarray
    lemma: np.ndarray
    c1: np.ndarray
    exact_terms: np.ndarray

    @property
    def ratio(self) -> np.ndarray:
        """``lemma / exact``, per case."""
        return self.lemma / self.exact

    @property
    def ratio_terms(self) -> np.ndarray:
        """``lemma / exact_terms``: the slack against the independently recomputed distance."""
        return self.lemma / self.exact_terms


def early_stopping_check(rng: np.random.Generator, y: np.ndarray | None = None,
                         eps: np.ndarray | tuple[float, ...] = (1e-3, 0.1)) -> EarlyStopping:
    r"""Early-stopping lemma (derived in the book): :math:`W_2(\pi_D, p_\varepsilon)` is at most
    the lemma's value (:func:`sgmbook.bounds.bruno.early_stopping_term`, from :math:`d` and
    :math:`m_2 = E|X_0|^2`), itself :math:`\le C_1\sqrt\varepsilon`, on Gaussians
    :math:`N(\mu, \mathrm{diag}(c))` (d = 1, 1000; :math:`\mu` = 0.5 x draws of ``rng``, exact) and on
    the two mixtures (densities by quadrature on the grid ``y``, default 4001 points on [-7, 7])."""
    rng = v.rng(rng)
    ys = v.grid("y", np.linspace(-7.0, 7.0, 4001) if y is None else y)
    epss = v.finite_array("eps", eps, ndim=1)
    if np.any(epss <= 0):
        raise ValueError(f"eps must be > 0, got min {float(epss.min())!r}")
    rows = []
    for d in (1, 1000):
        mu = 0.5 * rng.standard_normal(d)
        c = np.linspace(0.7, 1.3, d) if d > 1 else np.array([1.3])
        m2 = float(mu @ mu + c.sum())
        for e in epss:
            pe = Gaussian(mu, c).marginal(float(e))
            rows.append((f"Gaussian $d={d}$", e, w2_gaussian(pe.mean, pe.cov, mu, c),
                         br.early_stopping_term(e, d, m2), br.early_stopping_constant(d, m2) * np.sqrt(e),
                         et.gaussian_early_stopping(mu, c, float(e))))
    for name, (a, var, w) in MIXTURES.items():
        mix = two_point_mixture(a, var, w)
        p0 = np.exp(mix.logpdf(0.0, ys[:, None]))
        for e in epss:
            pe = np.exp(mix.logpdf(float(e), ys[:, None]))
            rows.append((name, e, w2_1d_density(ys, p0, ys, pe), br.early_stopping_term(e, 1, a * a + var),
                         br.early_stopping_constant(1, a * a + var) * np.sqrt(e),
                         et.mixture_early_stopping(a, var, w, float(e))))
    names, *cols = zip(*rows)
    return EarlyStopping(tuple(names), *(np.array(col, dtype=float) for col in cols))


def early_stopping_tight(rng: np.random.Generator, eps: np.ndarray | tuple[float, ...] = (1e-3, 0.1, 1.0), *,
                         d: int = 1000, var: float = 1e-8) -> EarlyStopping:
    r"""The tight case of the early-stopping lemma: :math:`N(\mu, \text{var}\,I_d)` with ``var``
    near 0 (a near point mass, :math:`\mu` = 0.5 x draws of ``rng``), where the lemma's coupling is
    optimal; exact :math:`W_2` by :func:`sgmbook.bounds.exact_terms.gaussian_early_stopping`."""
    rng = v.rng(rng)
    epss = v.finite_array("eps", eps, ndim=1)
    if np.any(epss <= 0):
        raise ValueError(f"eps must be > 0, got min {float(epss.min())!r}")
    d = v.positive_int("d", d, maximum=10 ** 6)
    var = v.positive("var", var)
    mu, c = 0.5 * rng.standard_normal(d), np.full(d, var)
    m2 = float(mu @ mu + c.sum())
    exact = np.array([et.gaussian_early_stopping(mu, c, float(e)) for e in epss])
    lemma = np.array([br.early_stopping_term(float(e), d, m2) for e in epss])
    c1 = br.early_stopping_constant(d, m2) * np.sqrt(epss)
    return EarlyStopping(tuple(f"N(mu, {var:g} I), d = {d}" for _ in epss), epss, exact, lemma, c1, exact)
