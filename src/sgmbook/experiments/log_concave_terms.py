r"""The four-term bound of the chapter "The strongly log-concave theory" term by term, against the
exact distance each term controls (Bruno et al., arXiv 2311.13584, main theorem; constants derived
in the book, :mod:`sgmbook.bounds.bruno`).

The proof bounds the error by a triangle inequality through :math:`p_\varepsilon`, the law of the
exact-score reverse SDE :math:`\bar Y` from :math:`N(0, I)` and the law of the auxiliary process
:math:`\tilde Y` (model score, same start):

.. math:: W_2(\mathcal L(Y_K), \pi_D) \le \underbrace{W_2(\pi_D, p_\varepsilon)}_{\text{early}}
          + \underbrace{W_2(p_\varepsilon, \mathcal L(\bar Y))}_{\text{init}}
          + \underbrace{W_2(\mathcal L(\bar Y), \mathcal L(\tilde Y))}_{\text{score}}
          + \underbrace{W_2(\mathcal L(\tilde Y), \mathcal L(Y_K))}_{\text{discr.}} .

* :func:`gaussian_row` -- diagonal Gaussian data, constant bias: every distance in closed form
  (:func:`sgmbook.bounds.exact_terms.gaussian_term_counterparts`);
* :func:`mixture_rows` -- the 1-D mixture :math:`wN(a, v) + (1-w)N(-a, v)` with the bias
  :math:`\eta e^{-t}\cos x`: laws on a grid by quadrature (:func:`sgmbook.laws.grid_1d`), the
  continuous processes replaced by the exponential integrator with many steps.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import _validate as v
from .. import laws, metrics, schedules
from ..bounds import bruno as br
from ..bounds import exact_terms as et
from ..bounds.bruno_models import mixture_model_constants
from ..targets import mixture_log_concavity, two_point_mixture
from .log_concave import BiasedScore

__all__ = ["TermCounterparts", "FourTermRow", "gaussian_row", "mixture_rows"]


class TermCounterparts(NamedTuple):
    """The distances the four terms control, and the total error (all :math:`W_2`)."""

    early_stopping: float
    initialisation: float
    score_error: float
    discretisation: float
    total: float


class FourTermRow(NamedTuple):
    """One case: the four terms (:class:`sgmbook.bounds.bruno.FourTermBound`) and their counterparts."""

    case: str
    scheme: str
    bound: br.FourTermBound
    exact: TermCounterparts

    def ratios(self) -> np.ndarray:
        """Term / counterpart for the four terms, then total bound / total error."""
        b = np.array(list(self.bound) + [self.bound.total])
        return b / np.array(self.exact)


def gaussian_row(case: str, mean: np.ndarray, cov: np.ndarray, *, eta: float, T: float, eps: float,
                 n_steps: int, scheme: str) -> FourTermRow:
    r"""The four terms for :math:`N(\mu, \mathrm{diag}(c))` with the model :math:`\nabla\log p_t + \eta e^{-t}u`,
    whose score error is exactly :math:`\varepsilon_{SN} = \eta^2(e^{-2\varepsilon} - e^{-2T})/2`, with
    :math:`m_2 = |\mu|^2 + \sum c_i`, :math:`L = 1/\max c_i` and
    :math:`C_2 = (|\mu|^2 + \sum(\sqrt{c_i} - 1)^2)^{1/2}`; counterparts exact."""
    v.instance("case", case, str, "a label (str)")
    mu = v.finite_array("mean", mean, ndim=1)
    c = v.finite_array("cov", cov, ndim=1)
    eta = v.positive("eta", eta, allow_zero=True)
    T, eps = v.horizon(T, eps)
    if np.any(c <= 0):
        raise ValueError(f"cov must be > 0 (a diagonal covariance), got {c!r}")
    consts = et.gaussian_bias_constants(mu, c, eta)
    if not consts.monotonicity > 0.5:
        raise ValueError(f"cov and eta must leave the model's monotonicity 1/max(1, max cov) - eta-term "
                         f"above 1/2 (the moment bound needs it), got {consts.monotonicity:.3g} for max "
                         f"cov = {c.max():g}, eta = {eta:g}")
    bound = br.four_term_bound(
        T=T, eps=eps, n_steps=n_steps, d=mu.size, m2=float(mu @ mu + c.sum()), L=float(1.0 / c.max()),
        w2_data_to_gaussian=float(np.sqrt(mu @ mu + np.sum((np.sqrt(c) - 1.0) ** 2))),
        eps_sn=eta ** 2 * float(np.exp(-2.0 * eps) - np.exp(-2.0 * T)) / 2.0,
        consts=consts, scheme=scheme)
    ex = et.gaussian_term_counterparts(mu, c, eta=eta, T=T, eps=eps, n_steps=n_steps, scheme=scheme)
    return FourTermRow(case, scheme, bound, TermCounterparts(*ex))


def mixture_rows(case: str, a: float, variance: float, w: float, *, eta: float, T: float, eps: float,
                 n_steps: int, x: np.ndarray, y: np.ndarray, x_fine: np.ndarray | None = None,
                 n_fine: int = 150, scheme_names: tuple[str, ...] = ("em", "ei")) -> list[FourTermRow]:
    r"""The four terms for :math:`wN(a, v) + (1-w)N(-a, v)` with the model
    :math:`\nabla\log p_t + \eta e^{-t}\cos x` (:class:`~sgmbook.experiments.log_concave.BiasedScore`),
    :math:`\varepsilon_{SN}` replaced by its sup bound, one row per scheme of ``scheme_names``, and the
    counterparts by quadrature:

    * early stopping: :math:`W_2(\pi_D, p_\varepsilon)` from the densities on the fine grid ``y``;
    * initialisation: :math:`W_2` between the exact-score chains started at :math:`p_T` and at
      :math:`N(0, 1)`; score error: between the exact-score and the model chains from :math:`N(0, 1)`;
      discretisation: between the model chain and the scheme with ``n_steps`` steps on ``x``.  These
      chains are the exponential integrator with ``n_fine`` steps on the grid ``x_fine`` (default
      ``x``): a proxy of the continuous processes, whose own step error both sides of the first two
      distances share;
    * total: the scheme's grid law on ``x`` against :math:`\pi_D` on ``y``.
    """
    v.instance("case", case, str, "a label (str)")
    xs = v.grid("x", x)
    ys = v.grid("y", y)
    xf = xs if x_fine is None else v.grid("x_fine", x_fine)
    n_fine = v.positive_int("n_fine", n_fine)
    T, eps = v.horizon(T, eps)
    mix = two_point_mixture(a, variance, w)
    model = BiasedScore(mix, eta, kind="cos")
    p0 = np.exp(mix.logpdf(0.0, ys[:, None]))
    mass = float(np.trapezoid(p0, ys))
    if not mass > 0.999:
        raise ValueError(f"y must carry the data law w N(a, v) + (1 - w) N(-a, v): it holds mass {mass:.3g} "
                         f"for a = {a:g}, variance = {variance:g}; widen y")
    c2 = metrics.w2_1d_density(ys, p0, ys, np.exp(-ys ** 2 / 2.0))
    fine = schedules.uniform(T, eps, n_fine)

    def law(score, grid, start, schedule, sch):
        rho, lost = laws.grid_1d(score, grid, start, schedule, scheme=sch)
        if not np.all(np.isfinite(rho)):
            raise ValueError(f"the scheme's law on the grid is not finite: eta = {eta:g} (the bias) is too "
                             "large for the grid step")
        if lost > 1e-5:
            raise ValueError(f"the grid x (or x_fine) loses mass {lost:.1e} > 1e-5 for a = {a:g}, "
                             f"variance = {variance:g}: widen it")
        return rho

    gauss = np.exp(-xf ** 2 / 2.0)
    from_pT = law(mix.score, xf, np.exp(mix.logpdf(T, xf[:, None])), fine, "ei")
    exact_bar = law(mix.score, xf, gauss, fine, "ei")
    aux = law(model, xf, gauss, fine, "ei")
    w2 = metrics.w2_1d_density
    shared = (w2(ys, p0, ys, np.exp(mix.logpdf(eps, ys[:, None]))), w2(xf, from_pT, xf, exact_bar),
              w2(xf, exact_bar, xf, aux))
    rows = []
    for scheme in scheme_names:
        bound = br.four_term_bound(
            T=T, eps=eps, n_steps=n_steps, d=1, m2=a * a + variance,
            L=mixture_log_concavity(a, variance), w2_data_to_gaussian=c2,
            eps_sn=model.eps_sn_bound(T, eps), consts=mixture_model_constants(a, variance, eta),
            scheme=scheme)
        out = law(model, xs, np.exp(-xs ** 2 / 2.0), schedules.uniform(T, eps, n_steps), scheme)
        ex = TermCounterparts(*shared, w2(xf, aux, xs, out), w2(xs, out, ys, p0))
        rows.append(FourTermRow(case, scheme, bound, ex))
    return rows
