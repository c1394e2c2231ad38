r"""The later checks of the chapter "The strongly log-concave theory" (Bruno et al., arXiv 2311.13584):
the moment lemma, the discretisation lemma, the four-term bound's rows, the measured order of the
schemes and the prescription of the parameters for an accuracy :math:`\delta`.  Each function returns
both sides of the inequality the chapter asserts; everything is derived in the book.

* :func:`gaussian_cases` -- the chapter's diagonal Gaussian targets, one per dimension;
* :func:`moment_check` -- :math:`\sup_s E|\tilde Y_s|^2` against the moment bound;
* :func:`discretisation_check`, :func:`discretisation_mixture_check` -- exact (Gaussian) or grid
  (mixture) distances against :math:`D(\gamma)`;
* :func:`four_term_rows` -- the rows of :mod:`~sgmbook.experiments.log_concave_terms`;
* :func:`order_check` -- measured order of Euler-Maruyama and the exponential integrator;
* :func:`prescription_check` -- the error reached by the prescribed run.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate as v
from .. import laws, schedules
from ..bounds import bruno as br
from ..bounds import exact_terms as et
from ..bounds.bruno_models import gaussian_model_constants, mixture_model_constants
from ..metrics import w2_1d_density, w2_gaussian
from ..targets import Gaussian
from . import local_lipschitz as ll, log_concave as lc, log_concave_terms as lt
from .log_concave_checks import MIXTURES, chapter_targets

__all__ = ["gaussian_cases", "Moment", "moment_check", "Discretisation", "discretisation_check",
           "DiscretisationMixture", "discretisation_mixture_check", "FourTermSet", "four_term_rows",
           "Order", "order_check", "PrescriptionCheck", "prescription_check"]


def _counts(name: str, value) -> np.ndarray:
    arr = v.int_array(name, value, minimum=1)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a list of at least 2 step counts >= 1, got {v._show(value)}")
    return arr


def _cases(name: str, cases) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    v.instance(name, cases, dict, "a dict d -> (mean, cov)")
    out = {}
    for d, pair in cases.items():
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(f"{name}[{d!r}] must be a pair (mean, cov), got {v._show(pair)}")
        mu = v.finite_array(f"{name}[{d!r}] mean", pair[0], ndim=1)
        c = v.spd_matrix(f"{name}[{d!r}] cov", pair[1], dim=mu.size)
        out[int(mu.size)] = (mu, c)
    return out


def gaussian_cases(rng: np.random.Generator, dims: tuple[int, ...] = (1, 10, 100, 1000)
                   ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    r"""d -> (mean, cov) of :math:`N(\mu, \mathrm{diag}(c))`: :math:`\mu` = 0.5 x standard normal draws of
    ``rng`` (in the order of ``dims``), :math:`c` evenly spread on [0.7, 1.3] (1.3 for d = 1)."""
    rng = v.rng(rng)
    out = {}
    for d in v.int_array("dims", dims, minimum=1).ravel():
        d = int(d)
        out[d] = (0.5 * rng.standard_normal(d), np.linspace(0.7, 1.3, d) if d > 1 else np.array([1.3]))
    return out


@dataclass(frozen=True)
class Moment:
    """Moment lemma: ``gauss_sup``, ``mix_sup`` the largest :math:`E|\\tilde Y_s|^2` (Gaussian, skewed
    mixture) and their bounds; ``tight_exact``, ``tight_bound`` on the constant-drift models of sizes
    ``tight_d``, ``tight_norm``."""

    gauss_sup: float
    gauss_bound: float
    mix_sup: float
    mix_bound: float
    tight_d: np.ndarray
    tight_norm: np.ndarray
    tight_exact: np.ndarray
    tight_bound: np.ndarray

    @property
    def sups(self) -> np.ndarray:
        """``(gauss_sup, mix_sup)``."""
        return np.array([self.gauss_sup, self.mix_sup])

    @property
    def bounds(self) -> np.ndarray:
        """``(gauss_bound, mix_bound)``."""
        return np.array([self.gauss_bound, self.mix_bound])

    @property
    def tight_ratio(self) -> np.ndarray:
        """``tight_bound / tight_exact``, per constant-drift model."""
        return self.tight_bound / self.tight_exact


def moment_check(mean: np.ndarray, cov: np.ndarray, x: np.ndarray | None = None, *,
                 eta: float = 0.1) -> Moment:
    r"""Moment lemma (derived in the book): :math:`\sup_s E|\tilde Y_s|^2 \le \max(d, (2d +
    4S_0^2/\lambda)/\lambda)` (:func:`sgmbook.bounds.bruno.auxiliary_moment_bound`) for

    * :math:`N(\mu, \mathrm{diag}(c))` with the constant bias :math:`\eta e^{-t}u`, T = 4, exact laws
      at 399 times down to 0.01 (and :math:`E|\tilde Y_0|^2 = d`);
    * the skewed mixture with the bias :math:`\eta e^{-t}\cos x`, T = 3, 100 exponential-integrator
      steps on the grid ``x`` (default 450 points on [-6, 6]) down to 0.02;
    * the tight models :math:`s = -x + b` with :math:`|b|` = 10 (d = 1), 30 (d = 10), exact
      (:func:`sgmbook.bounds.exact_terms.constant_drift_moment`) on :math:`s \in [0, 30]`.
    """
    mu = v.finite_array("mean", mean, ndim=1)
    c = v.spd_matrix("cov", cov, dim=mu.size)
    xs = v.grid("x", np.linspace(-6.0, 6.0, 450) if x is None else x)
    eta = v.positive("eta", eta)
    d = mu.size
    model = lc.BiasedScore(Gaussian(mu, c), eta, kind="const")
    path = [lc.gaussian_auxiliary_law(model, T=4.0, eps=float(t)) for t in np.linspace(4.0, 0.01, 400)[1:]]
    gauss_sup = max([float(d)] + [float(m @ m + S.sum()) for m, S in path])
    gauss_bound = br.auxiliary_moment_bound(d, gaussian_model_constants(mu, c, eta))
    a, var, _ = MIXTURES["skewed mixture"]
    mix_model = lc.BiasedScore(chapter_targets()["skewed mixture"][0], eta, kind="cos")
    _, ey2, _ = lc.grid_path_expectations(mix_model, lambda t, z: z ** 2, xs, np.exp(-(xs ** 2) / 2),
                                          T=3.0, eps=0.02, n_steps=100, scheme="ei")
    mix_bound = br.auxiliary_moment_bound(1, mixture_model_constants(a, var, eta))
    s = np.linspace(0.0, 30.0, 301)
    tight = []
    for dd, nb in ((1, 10.0), (10, 30.0)):
        b = np.full(dd, nb / np.sqrt(dd))
        tight.append((dd, nb, float(np.max(et.constant_drift_moment(b, 1.0, s))),
                      br.auxiliary_moment_bound(dd, et.constant_drift_constants(b, 1.0))))
    cols = [np.array(col) for col in zip(*tight)]
    return Moment(gauss_sup, gauss_bound, float(ey2.max()), mix_bound, *cols)


@dataclass(frozen=True)
class Discretisation:
    """Per (``scheme``, ``K``): step ``gamma``, limit ``gamma0``, ``exact`` :math:`W_2(\\tilde Y, Y_K)`,
    ``D`` = :math:`D(\\gamma)`, ``c4_power`` = :math:`C_4\\gamma^p` (``p`` the proven exponent);
    ``slope_em`` the measured order of the Euler-Maruyama errors; ``exact_et``, ``D_et``, ``c4_et``:
    the same with :func:`sgmbook.bounds.exact_terms.gaussian_term_counterparts` and the constants of
    :func:`sgmbook.bounds.exact_terms.gaussian_bias_constants`."""

    scheme: tuple[str, ...]
    K: np.ndarray
    gamma: np.ndarray
    gamma0: np.ndarray
    exact: np.ndarray
    D: np.ndarray
    c4_power: np.ndarray
    p: float
    slope_em: float
    exact_et: np.ndarray
    D_et: np.ndarray
    c4_et: np.ndarray

    @property
    def ratio(self) -> np.ndarray:
        """``D / exact``, per (scheme, K)."""
        return self.D / self.exact

    @property
    def fooled(self) -> np.ndarray:
        r"""Cases where a bound 100 times too small, :math:`D/100`, and the exponent 1 for 1/2,
        :math:`C_4\gamma`, both still hold (``exact_et`` against ``D_et``, ``c4_et``)."""
        return (self.exact_et <= self.D_et / 100) & (self.exact_et <= self.c4_et * self.gamma)


def discretisation_check(mean: np.ndarray, cov: np.ndarray, *, eta: float = 0.1, T: float = 4.0,
                         eps: float = 0.01, n_steps: tuple[int, ...] = (50, 200, 800)) -> Discretisation:
    r"""Discretisation lemma (derived in the book) on :math:`N(\mu, \mathrm{diag}(c))` with the constant
    bias: the exact :math:`W_2` between the auxiliary law
    (:func:`~sgmbook.experiments.log_concave.gaussian_auxiliary_law`) and the scheme's law
    (:func:`sgmbook.laws.gaussian`) against :math:`D(\gamma) \le C_4\gamma^{\min(\alpha, 1/2)}`
    (:func:`sgmbook.bounds.bruno.discretisation_term`), both schemes, each count of ``n_steps``."""
    mu = v.finite_array("mean", mean, ndim=1)
    c = v.spd_matrix("cov", cov, dim=mu.size)
    eta = v.positive("eta", eta)
    T, eps = v.horizon(T, eps)
    Ks = _counts("n_steps", n_steps)
    d = mu.size
    model = lc.BiasedScore(Gaussian(mu, c), eta, kind="const")
    consts, consts_et = gaussian_model_constants(mu, c, eta), et.gaussian_bias_constants(mu, c, eta)
    p = br.discretisation_exponent(consts)
    m_aux, v_aux = lc.gaussian_auxiliary_law(model, T=T, eps=eps)
    rows = []
    for scheme in ("em", "ei"):
        g0 = br.discretisation_step_limit(consts, scheme)
        c4 = br.discretisation_constant(d, consts, scheme)
        c4_et = br.discretisation_constant(d, consts_et, scheme)
        for K in Ks:
            K = int(K)
            m_k, v_k = laws.gaussian(model.affine, np.zeros(d), np.ones(d), schedules.uniform(T, eps, K),
                                     scheme=scheme)
            gam = (T - eps) / K
            ex_et = et.gaussian_term_counterparts(mu, c, eta=eta, T=T, eps=eps, n_steps=K,
                                                  scheme=scheme).discretisation
            rows.append((scheme, K, gam, g0, w2_gaussian(m_aux, v_aux, m_k, v_k),
                         br.discretisation_term(T, eps, K, d, consts, scheme), c4 * gam ** p, ex_et,
                         br.discretisation_term(T, eps, K, d, consts_et, scheme), c4_et))
    names, K, gam, g0, exact, D, c4p, ex_et, D_et, c4_et = zip(*rows)
    n = len(Ks)
    slope = -ll.loglog_slope(Ks.astype(float), np.array(exact[:n]))
    arr = np.array
    return Discretisation(tuple(names), arr(K), arr(gam), arr(g0), arr(exact), arr(D), arr(c4p), float(p),
                          slope, arr(ex_et), arr(D_et), arr(c4_et))


@dataclass(frozen=True)
class DiscretisationMixture:
    """Per (``scheme``, ``K``): ``lhs`` :math:`W_2(Y_K, Y_{4K})` of the grid laws, ``rhs``
    :math:`D(\\gamma_K) + D(\\gamma_{4K})`."""

    scheme: tuple[str, ...]
    K: np.ndarray
    lhs: np.ndarray
    rhs: np.ndarray


def discretisation_mixture_check(x: np.ndarray | None = None, *, eta: float = 0.1, T: float = 3.0, eps: float = 0.02,
                                 n_steps: tuple[int, ...] = (25, 50)) -> DiscretisationMixture:
    r"""Discretisation lemma on the skewed mixture through the continuous law (derived in the book):
    :math:`W_2(Y_K, Y_{4K}) \le D(\gamma_K) + D(\gamma_{4K})` by the triangle inequality through
    :math:`\tilde Y`; the laws of the schemes with the bias :math:`\eta e^{-t}\cos x`, from N(0, 1),
    on the grid ``x`` (default 450 points on [-6, 6]; :func:`sgmbook.laws.grid_1d`)."""
    xs = v.grid("x", np.linspace(-6.0, 6.0, 450) if x is None else x)
    eta = v.positive("eta", eta)
    T, eps = v.horizon(T, eps)
    Ks = _counts("n_steps", n_steps)
    a, var, _ = MIXTURES["skewed mixture"]
    model = lc.BiasedScore(chapter_targets()["skewed mixture"][0], eta, kind="cos")
    consts = mixture_model_constants(a, var, eta)
    rho0 = np.exp(-(xs ** 2) / 2)
    rows = []
    for scheme in ("em", "ei"):
        for K in Ks:
            K = int(K)
            ra, _ = laws.grid_1d(model, xs, rho0, schedules.uniform(T, eps, K), scheme=scheme)
            rb, _ = laws.grid_1d(model, xs, rho0, schedules.uniform(T, eps, 4 * K), scheme=scheme)
            rhs = (br.discretisation_term(T, eps, K, 1, consts, scheme)
                   + br.discretisation_term(T, eps, 4 * K, 1, consts, scheme))
            rows.append((scheme, K, w2_1d_density(xs, ra, xs, rb), rhs))
    names, K, lhs, rhs = zip(*rows)
    return DiscretisationMixture(tuple(names), np.array(K), np.array(lhs), np.array(rhs))


@dataclass(frozen=True)
class FourTermSet:
    """``rows`` (:class:`~sgmbook.experiments.log_concave_terms.FourTermRow`): first ``n_main`` the
    Gaussian and mixture cases, then the tight :math:`N(\\mu, I)` rows; ``ratios`` (rows x 5) the four
    terms over their counterparts, then total bound over total error."""

    rows: tuple
    ratios: np.ndarray
    n_main: int

    @property
    def bounds(self) -> np.ndarray:
        """The four terms and the total bound, one row per case (rows x 5)."""
        return np.array([list(r.bound) + [r.bound.total] for r in self.rows])

    @property
    def errors(self) -> np.ndarray:
        """The four counterparts and the total error, one row per case (rows x 5)."""
        return np.array([list(r.exact) for r in self.rows])

    @property
    def early_over(self) -> int:
        """How many of the first ``n_main`` rows have an early-stopping term alone above the exact
        total error."""
        return int(sum(r.bound.early_stopping > r.exact.total for r in self.rows[:self.n_main]))

    @property
    def cases(self) -> list[str]:
        """The case of each row."""
        return [r.case for r in self.rows]

    @property
    def schemes(self) -> list[str]:
        """The scheme of each row."""
        return [r.scheme for r in self.rows]

    @property
    def labels(self) -> list[str]:
        """Short row labels, case and scheme (``"Gaussian d=10 em"`` -> ``"d=10 em"``)."""
        return [f"{r.case.replace('Gaussian ', '').replace(' mixture', '')} {r.scheme}" for r in self.rows]


def four_term_rows(cases: dict, tight_mean: np.ndarray, y: np.ndarray | None = None, *,
                   eta: float = 0.1) -> FourTermSet:
    r"""The four-term bound (derived in the book) term by term: the Gaussians of ``cases`` (T = 4,
    eps = 0.01, 200 steps; :func:`~sgmbook.experiments.log_concave_terms.gaussian_row`), the two
    mixtures (T = 3, eps = 0.02, 100 steps on a 600-point grid of [-6, 6], proxies of the continuous
    processes with 150 steps on 300 points, :math:`\pi_D` on ``y``, default 4001 points on [-7, 7];
    :func:`~sgmbook.experiments.log_concave_terms.mixture_rows`), and the tight case
    :math:`N(\mu, I)`, :math:`\mu` = ``tight_mean``; both schemes each."""
    gcases = _cases("cases", cases)
    mu_t = v.finite_array("tight_mean", tight_mean, ndim=1)
    ys = v.grid("y", np.linspace(-7.0, 7.0, 4001) if y is None else y)
    eta = v.positive("eta", eta)
    rows = [lt.gaussian_row(f"Gaussian d={d}", mu, c, eta=eta, T=4.0, eps=0.01, n_steps=200, scheme=scheme)
            for d, (mu, c) in gcases.items() for scheme in ("em", "ei")]
    for name, (a, var, w) in MIXTURES.items():
        rows += lt.mixture_rows(name, a, var, w, eta=eta, T=3.0, eps=0.02, n_steps=100,
                                x=np.linspace(-6.0, 6.0, 600), y=ys, x_fine=np.linspace(-6.0, 6.0, 300),
                                n_fine=150)
    n_main = len(rows)
    rows += [lt.gaussian_row(rf"$N(\mu, I_{{{mu_t.size}}})$", mu_t, np.ones(mu_t.size), eta=eta, T=4.0,
                             eps=0.01, n_steps=200, scheme=scheme) for scheme in ("em", "ei")]
    return FourTermSet(tuple(rows), np.array([r.ratios() for r in rows]), n_main)


@dataclass(frozen=True)
class Order:
    """Per (target, scheme) of ``cases``: counts ``K`` and steps ``gamma`` of the coarser runs, ``dist``
    :math:`W_2(\\mathcal L(Y_K), \\mathcal L(Y_{2K}))`, fitted ``slope``; ``p_proven`` the proven
    exponent of the chapter's models."""

    cases: tuple[tuple[str, str], ...]
    K: np.ndarray
    gamma: np.ndarray
    dist: np.ndarray
    slope: np.ndarray
    p_proven: float


def order_check(x: np.ndarray | None = None, n_steps: tuple[int, ...] = (8, 16, 32, 64), *, T: float = 2.0,
                eps: float = 0.05) -> Order:
    r"""Measured order of the schemes (illustration): the grid laws (:func:`sgmbook.laws.grid_1d`, on
    ``x``, default 450 points on [-5, 5], from N(0, 1), exact score) of the quartic and the symmetric mixture with consecutive counts
    of ``n_steps``; the slope of :math:`\log W_2(\mathcal L(Y_K), \mathcal L(Y_{2K}))` against
    :math:`\log\gamma`, against :math:`\min(\alpha, 1/2)` (:func:`sgmbook.bounds.bruno.discretisation_exponent`)."""
    xs = v.grid("x", np.linspace(-5.0, 5.0, 450) if x is None else x)
    Ks = _counts("n_steps", n_steps)
    T, eps = v.horizon(T, eps)
    a, var, _ = MIXTURES["symmetric mixture"]
    p = br.discretisation_exponent(mixture_model_constants(a, var))
    targets = chapter_targets()
    rho0 = np.exp(-(xs ** 2) / 2)
    gam = (T - eps) / Ks[:-1].astype(float)
    cases, dist = [], []
    for name in ("quartic", "symmetric mixture"):
        for scheme in ("em", "ei"):
            out = [laws.grid_1d(targets[name][0].score, xs, rho0, schedules.uniform(T, eps, int(k)),
                                scheme=scheme)[0] for k in Ks]
            dist.append([w2_1d_density(xs, out[i], xs, out[i + 1]) for i in range(len(Ks) - 1)])
            cases.append((name, scheme))
    dist = np.array(dist)
    slope = np.array([ll.loglog_slope(gam, row) for row in dist])
    return Order(tuple(cases), Ks[:-1].copy(), gam, dist, slope, float(p))


@dataclass(frozen=True)
class PrescriptionCheck:
    """Per (``d``, ``delta``): the prescription's ``eps``, ``T``, ``eps_sn``, ``gamma``, ``n_steps``, the
    ``reached`` exact :math:`W_2` of the prescribed run, and ``eps_sn_gap`` the relative gap between
    the realised and the prescribed score error."""

    d: np.ndarray
    delta: np.ndarray
    eps: np.ndarray
    T: np.ndarray
    eps_sn: np.ndarray
    gamma: np.ndarray
    n_steps: np.ndarray
    reached: np.ndarray
    eps_sn_gap: np.ndarray

    @property
    def fraction(self) -> np.ndarray:
        """``reached / delta``: the error reached as a fraction of the target accuracy."""
        return self.reached / self.delta


def prescription_check(cases: dict, deltas: dict) -> PrescriptionCheck:
    r"""The prescription (derived in the book; :func:`sgmbook.bounds.bruno.prescribe`, exponential
    integrator) for each ``deltas[d]`` on the Gaussian ``cases[d]``, run with the constant-bias model
    whose score error is the prescribed one (:func:`~sgmbook.experiments.log_concave.bias_size_for_eps_sn`);
    the reached :math:`W_2(\mathcal L(Y_K), \pi_D)` is exact
    (:func:`~sgmbook.experiments.log_concave.diagonal_gaussian_scheme_law`)."""
    gcases = _cases("cases", cases)
    v.instance("deltas", deltas, dict, "a dict d -> accuracies delta")
    rows = []
    for d, ds in deltas.items():
        if d not in gcases:
            raise ValueError(f"deltas has the dimension {d!r}, which cases does not hold ({sorted(gcases)})")
        mu, c = gcases[d]
        dvals = v.finite_array(f"deltas[{d!r}]", ds, ndim=1)
        if np.any(dvals <= 0):
            raise ValueError(f"deltas[{d!r}] must be > 0, got min {float(dvals.min())!r}")
        m2, L = float(mu @ mu + c.sum()), float(1 / c.max())
        c2 = w2_gaussian(mu, c, np.zeros(d), np.ones(d))
        for delta in dvals:
            pr, _ = br.prescribe(float(delta), d=d, m2=m2, L=L, w2_data_to_gaussian=c2, scheme="ei",
                                 consts_for=lambda e, T, s: gaussian_model_constants(
                                     mu, c, lc.bias_size_for_eps_sn(T, e, s)))
            model = lc.BiasedScore(Gaussian(mu, c), lc.bias_size_for_eps_sn(pr.T, pr.eps, pr.eps_sn),
                                   kind="const")
            m, S = lc.diagonal_gaussian_scheme_law(model, T=pr.T, eps=pr.eps, n_steps=pr.n_steps, scheme="ei")
            rows.append((d, delta, pr.eps, pr.T, pr.eps_sn, pr.gamma, pr.n_steps, w2_gaussian(m, S, mu, c),
                         abs(model.eps_sn_bound(pr.T, pr.eps) / pr.eps_sn - 1)))
    return PrescriptionCheck(*(np.array(col) for col in zip(*rows)))
