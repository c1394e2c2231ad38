r"""The chapter comparing Bruno et al. (arXiv 2311.13584) and Mooney et al. (arXiv 2405.16104): the key
measurements of the earlier chapters recomputed by calling the library (:func:`measurements`), and the
book's two :math:`W_2` bounds for Bruno et al.'s setting against the exact error on one case each
(:func:`bound_ratios`).

Every quantity is exact up to quadrature: Gaussian laws propagate exactly through the linear schemes
(:func:`sgmbook.laws.gaussian`), 1-D laws on a grid (:func:`sgmbook.laws.grid_1d`).  ``t``, ``T`` are
book time; Mooney et al.'s OU time is :math:`\tau = 2t`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import _validate as v
from .. import laws, schedules
from ..bounds import bruno
from ..bounds.bruno_models import gaussian_model_constants
from ..bounds.mooney import hessian_logp_bounds
from ..bump import bump_log_density
from ..metrics import kl_gaussian, w2_gaussian
from ..targets import Gaussian, GaussianMixture, Grid1D
from ..targets import manifold
from . import gaussian_mean
from . import local_lipschitz as ll
from .log_concave import BiasedScore

__all__ = ["Measurements", "measurements", "BoundRatios", "bound_ratios"]


def _counts(name: str, value, minimum: int = 1) -> np.ndarray:
    arr = v.int_array(name, value, minimum=minimum)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 integers >= {minimum}, got {value!r}")
    return arr


@dataclass(frozen=True)
class Measurements:
    r"""The recomputed measurements: log-log slopes of EM's :math:`W_2` and KL in the step on the
    Gaussian mean (``s_w2_em``, ``s_kl_em``); the relative spread of :math:`W_2/\sqrt d` over the
    dimensions (``spread_d``); the largest gap of :math:`\partial_x^2\log p_\tau` of :math:`N(0, 1/4)` to
    the lower end of Theorem 3.1 (``gap``); the slope in :math:`M` of the bump curvature at
    :math:`\tau = \log 2` (``s_blow``); the exponential integrator's KL and :math:`W_2` slopes in
    :math:`N` on the bimodal mixture (``s_kl_ei``, ``s_w2_ei``); :math:`t\sup_x|\partial_x^2\log p|` for
    uniform data on :math:`[-1, 1]` (``t_int``) and :math:`t^2\partial_x^2\log p(t, 0)` for two atoms at
    :math:`\pm 1` (``ridge``), at the heat time ``t_small``."""
    s_w2_em: float
    s_kl_em: float
    spread_d: float
    gap: float
    s_blow: float
    s_kl_ei: float
    s_w2_ei: float
    t_int: float
    ridge: float


_Counts = Sequence[int] | np.ndarray
_Reals = Sequence[float] | np.ndarray


def measurements(*, em_steps: _Counts = (40, 80, 160, 320, 640), dims: _Counts = (1, 4, 16, 64),
                 taus: _Reals = (0.1, 0.5, 2.0), bump_sizes: _Reals = (4.0, 8.0, 16.0),
                 ei_steps: _Counts = (32, 64, 128), t_small: float = 1e-3) -> Measurements:
    r"""The measurements of chapters 2-7, each with the settings of its chapter:

    * Gaussian :math:`N(\mu, I_2)`, :math:`\mu` the authors' mean, exact score, Euler-Maruyama on
      ``em_steps`` uniform steps over :math:`T = 8`, exact Gaussian law: slopes of :math:`W_2` and KL in
      the step :math:`h = T/K` (Bruno et al., Section 3.1); for :math:`\mu = 0` in each dimension of
      ``dims`` (160 steps), :math:`\max/\min - 1` of :math:`W_2/\sqrt d` (zero by isotropy);
    * :math:`N(0, 1/4)` (:math:`M_0 = 0`, :math:`M_1 = 3`): :math:`\max_\tau|\partial_x^2\log p_\tau(0) -
      \ell(\tau)|` over ``taus``, :math:`\ell` the lower end of Mooney et al.'s Theorem 3.1
      (:func:`sgmbook.bounds.mooney.hessian_logp_bounds`), which the Gaussian attains;
    * the bump density :math:`e^{-g_M - x^2/2}` (``bump_sizes``): slope in :math:`M` of
      :math:`\partial_x^2\log p_\tau(0)` at :math:`\tau = \log 2`;
    * the exponential integrator on :math:`0.35\,N(-2, 1/4) + 0.65\,N(2, 1/4)` from :math:`N(0, 1)`,
      :math:`T = 4`, ``ei_steps`` uniform steps, exact grid law: slopes of KL and :math:`W_2` in :math:`N`;
    * at heat time ``t_small``: :math:`t\sup_x|\partial_x^2\log \bar p_t|` for uniform data on
      :math:`[-1, 1]` (tends to 1) and :math:`t^2\partial_x^2\log\bar p_t(0)` for two atoms at
      :math:`\pm1` (equals :math:`1 - t`).
    """
    Ks = _counts("em_steps", em_steps)
    ds = _counts("dims", dims)
    ts = v.finite_array("taus", taus, ndim=1)
    if np.any(ts <= 0):
        raise ValueError(f"taus must be > 0, got {ts!r}")
    Mb = v.finite_array("bump_sizes", bump_sizes, ndim=1)
    if Mb.size < 2 or np.any(Mb <= 0) or np.any(Mb > 200):
        raise ValueError(f"bump_sizes must hold at least 2 sizes in (0, 200], got {Mb!r}")
    Ns = _counts("ei_steps", ei_steps)
    t_small = v.in_range("t_small", t_small, 1e-8, 0.5)
    v.allocation(float(ds.max()) * 8, "dims")

    T, mu = 8.0, gaussian_mean.MU_CODE
    tgt = Gaussian(mu, np.ones(2))
    w2s, kls = [], []
    for K in Ks:
        m, S = laws.gaussian(tgt.affine_score, np.zeros(2), np.ones(2), schedules.uniform(T, 0.0, int(K)),
                             scheme="em")
        w2s.append(w2_gaussian(m, S, mu, np.ones(2)))
        kls.append(kl_gaussian(mu, np.ones(2), m, S))
    ratios = []
    for d in ds:
        tgt_d = Gaussian(np.zeros(int(d)), np.ones(int(d)))
        m, S = laws.gaussian(tgt_d.affine_score, np.zeros(int(d)), np.ones(int(d)),
                             schedules.uniform(T, 0.0, 160), scheme="em")
        ratios.append(w2_gaussian(m, S, np.zeros(int(d)), np.ones(int(d))) / np.sqrt(d))

    gs = Gaussian(np.zeros(1), np.array([0.25]))
    lo, _ = hessian_logp_bounds(ts, 0.0, 3.0)
    exact = np.array([gs.hessian_logp(tau / 2, np.zeros(1))[0] for tau in ts])

    vals = []
    for M in Mb:
        yb = np.linspace(-5 * M, 5 * M, 20001)
        vals.append(Grid1D(yb, bump_log_density(yb, M)).hessian_logp(np.log(2) / 2, np.array([0.0]))[0])

    mix = GaussianMixture([0.35, 0.65], [[-2.0], [2.0]], [[0.25], [0.25]])
    x = np.linspace(-8.0, 8.0, 481)
    p0 = np.exp(mix.logpdf(0.0, x))
    errs = [ll.scheme_errors(x, p0, ll.scheme_law_1d(mix.score, x, T=4.0, n_steps=int(N))[0]) for N in Ns]

    xs = np.linspace(-2, 2, 20001)
    t_int = t_small * np.abs(manifold.UniformInterval().hess_heat(t_small, xs)).max()
    ridge = t_small ** 2 * manifold.TwoAtoms().hess_heat(t_small, [0.0])[0]
    n = Ns.astype(float)
    return Measurements(ll.loglog_slope(T / Ks, np.array(w2s)), ll.loglog_slope(T / Ks, np.array(kls)),
                        float(max(ratios) / min(ratios) - 1), float(np.max(np.abs(exact - lo))),
                        ll.loglog_slope(Mb, np.array(vals)),
                        ll.loglog_slope(n, np.array([e["kl"] for e in errs])),
                        ll.loglog_slope(n, np.array([e["w2"] for e in errs])), float(t_int), float(ridge))


@dataclass(frozen=True)
class BoundRatios:
    """The exact :math:`W_2` and the bound: the Gaussian-mean bound of chapter 2 (``exact_mean``,
    ``bound_mean``) and the four-term bound of chapter 3 (``exact_four``, ``bound_four``, its
    discretisation term ``discretisation``)."""
    exact_mean: float
    bound_mean: float
    exact_four: float
    bound_four: float
    discretisation: float


def bound_ratios(rng: np.random.Generator, *, theta_error: _Reals = (0.05, -0.03), T: float = 2.0,
                 n_steps: int = 200, d: int = 10, eta: float = 0.1, T_four: float = 4.0,
                 eps_four: float = 0.01) -> BoundRatios:
    r"""The book's two :math:`W_2` bounds for Bruno et al.'s setting against the exact error.

    * Gaussian mean (Bruno et al., Section 3.1; :func:`sgmbook.experiments.gaussian_mean.w2_bound`):
      :math:`\theta = \mu + ` ``theta_error`` (:math:`\mu` the authors' mean), Euler-Maruyama with
      ``n_steps`` steps on :math:`[0, T]`, exact output law (:func:`~sgmbook.experiments.gaussian_mean.w2_output`);
    * the four-term bound (:func:`sgmbook.bounds.bruno.four_term_bound`) for
      :math:`N(\mu, \mathrm{diag}(c))` in dimension ``d``, :math:`\mu = 0.5 Z` (``rng``), :math:`c`
      uniform in :math:`[0.7, 1.3]`, with the constant-bias score model of size ``eta``, the exponential
      integrator with ``n_steps`` steps on :math:`[\varepsilon, T]` (``eps_four``, ``T_four``), exact law.
    """
    rng = v.rng(rng)
    err = v.finite_array("theta_error", theta_error, ndim=1)
    if err.shape != (2,):
        raise ValueError(f"theta_error must hold 2 entries (the dimension of the authors' mean), got {err!r}")
    T = v.positive("T", T)
    K = v.positive_int("n_steps", n_steps, maximum=10 ** 6)
    d = v.positive_int("d", d, maximum=10 ** 4)
    eta = v.positive("eta", eta, allow_zero=True)
    T_four = v.positive("T_four", T_four)
    eps_four = v.in_range("eps_four", eps_four, 0.0, T_four, closed=(True, False))
    mu = gaussian_mean.MU_CODE
    theta = mu + err
    exact_mean = gaussian_mean.w2_output(theta, mu, T=T, n_steps=K, scheme="em")
    bound_mean = gaussian_mean.w2_bound(float(np.linalg.norm(mu)), 2, float(np.sum((theta - mu) ** 2)),
                                        gamma=T / K, T=T, scheme="em")
    mu_d, c_d = 0.5 * rng.standard_normal(d), np.linspace(0.7, 1.3, d)
    model = BiasedScore(Gaussian(mu_d, c_d), eta, kind="const")
    m, S = laws.gaussian(model.affine, np.zeros(d), np.ones(d), schedules.uniform(T_four, eps_four, K),
                         scheme="ei")
    b = bruno.four_term_bound(T=T_four, eps=eps_four, n_steps=K, d=d, m2=float(mu_d @ mu_d + c_d.sum()),
                              L=float(1 / c_d.max()),
                              w2_data_to_gaussian=w2_gaussian(mu_d, c_d, np.zeros(d), np.ones(d)),
                              eps_sn=model.eps_sn_bound(T_four, eps_four),
                              consts=gaussian_model_constants(mu_d, c_d, eta), scheme="ei")
    return BoundRatios(float(exact_mean), float(bound_mean), float(w2_gaussian(m, S, mu_d, c_d)),
                       float(b.total), float(b.discretisation))
