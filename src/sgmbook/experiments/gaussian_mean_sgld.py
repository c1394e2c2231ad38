r"""Training checks of the chapter "Gaussian with unknown mean" (Bruno et al., arXiv 2311.13584,
Section 3.1): the DSM loss and its stochastic gradient against Monte Carlo, the stationary SGLD error
against the Gibbs floor, the exact SGLD moments against independent chains.

The closed forms live in :mod:`sgmbook.training` (loss :math:`U(\theta) = c|\theta - \mu|^2 + d E[m^2]`,
moment recursion of SGLD) and :mod:`sgmbook.bounds.bruno_gaussian` (the explicit bound); this module
only evaluates both sides of each check on the chapter's cases.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import _validate as v
from .. import training as tr
from ..bounds import bruno_gaussian as bg

__all__ = ["MonteCarloCheck", "dsm_loss_mc", "loss_gradient_mc", "GibbsLimit", "gibbs_limit",
           "ChainCheck", "sgld_chain_check", "MseCurves", "sgld_mse_curves", "smallest_bound_ratio",
           "THETA_CODE_192", "AuthorsSGLDRun", "authors_sgld_run", "StationaryTerms",
           "stationary_terms"]

#: The lowest-loss parameter printed by the authors' SGLD notebook, ``[-1.0356116, -0.7453501]``, at
#: epoch 192 (numbered from 0), rounded to three decimals.
THETA_CODE_192 = np.array([-1.036, -0.745])


class MonteCarloCheck(NamedTuple):
    """A closed form, the Monte Carlo mean of its integrand, the standard error and the z-score."""

    exact: np.ndarray
    mc: np.ndarray
    se: np.ndarray
    z: np.ndarray


def _draws(mu: np.ndarray, T: float, n_mc: int, rng: np.random.Generator):
    d = mu.shape[0]
    v.allocation(n_mc * (2 * d + 1), "n_mc draws of (tau, X_0, Z)")
    tau = rng.uniform(0.0, T, n_mc)
    x0 = mu + rng.standard_normal((n_mc, d))
    return tau, x0, rng.standard_normal((n_mc, d))


def dsm_loss_mc(thetas: np.ndarray, mu: np.ndarray, *, T: float, n_mc: int,
                rng: np.random.Generator) -> MonteCarloCheck:
    r"""The DSM loss :math:`U(\theta) = E\,|s(\tau, X_\tau, \theta) - \nabla\log p_{\tau|0}|^2`
    (Bruno et al., Section 3.1) in closed form (:func:`sgmbook.training.dsm_loss`) and by Monte Carlo
    with ``n_mc`` fresh draws :math:`\tau \sim U[0, T]`, :math:`X_0 \sim N(\mu, I)`, :math:`Z \sim N(0, I)`
    per row of ``thetas`` (``(k, d)``); arrays of shape ``(k,)``."""
    mu = v.finite_array("mu", mu, ndim=1)
    thetas = v.finite_array("thetas", thetas, ndim=2)
    if thetas.shape[1] != mu.shape[0]:
        raise ValueError(f"thetas must have shape (k, {mu.shape[0]}), got {thetas.shape}")
    T = v.positive("T", T)
    n_mc = v.positive_int("n_mc", n_mc, maximum=10 ** 8)
    rng = v.rng(rng)
    out = []
    for theta in thetas:
        vals = tr.dsm_loss_samples(theta, *_draws(mu, T, n_mc, rng))
        out.append((tr.dsm_loss(theta, mu, T), vals.mean(), vals.std(ddof=1) / np.sqrt(n_mc)))
    exact, mc, se = (np.array(c, dtype=float) for c in zip(*out))
    return MonteCarloCheck(exact, mc, se, np.abs(mc - exact) / se)


def loss_gradient_mc(theta: np.ndarray, mu: np.ndarray, *, T: float, n_mc: int,
                     rng: np.random.Generator) -> MonteCarloCheck:
    r""":math:`\nabla U(\theta) = 2c(\theta - \mu)` (:func:`sgmbook.training.loss_gradient`) against the
    Monte Carlo mean of the stochastic gradient :math:`H(\theta, \xi)` (the unbiasedness
    :math:`E H = \nabla U`, Bruno et al., Section 3.1); arrays of shape ``(d,)``."""
    mu = v.finite_array("mu", mu, ndim=1)
    theta = v.finite_array("theta", theta, ndim=1)
    if theta.shape != mu.shape:
        raise ValueError(f"theta must have the shape of mu {mu.shape}, got {theta.shape}")
    T = v.positive("T", T)
    n_mc = v.positive_int("n_mc", n_mc, maximum=10 ** 8)
    H = tr.stochastic_gradient(theta, *_draws(mu, T, n_mc, v.rng(rng)))
    mc, se = H.mean(0), H.std(0, ddof=1) / np.sqrt(n_mc)
    exact = tr.loss_gradient(theta, mu, T)
    return MonteCarloCheck(exact, mc, se, np.abs(mc - exact) / se)


class GibbsLimit(NamedTuple):
    """Per step size: the stationary :math:`E|\\theta - \\mu|^2`, the exact value after ``far_n``
    iterations, the squared Gibbs floor and the relative gap to it."""

    steps: np.ndarray
    stationary: np.ndarray
    far: np.ndarray
    gibbs2: float
    gap: np.ndarray


def gibbs_limit(steps: np.ndarray, mu: np.ndarray, *, beta: float, batch: int, T: float,
                far_n: int = 10 ** 9) -> GibbsLimit:
    r"""The stationary mean-square error of SGLD, :math:`d\,r/(1-q)` (the sum of the two parts of
    :func:`sgmbook.training.sgld_stationary_variance`), for each step size, against the exact
    :math:`E|\theta_n - \mu|^2` at :math:`n =` ``far_n`` from :math:`\theta_0 = 0` and against the squared Gibbs
    floor :math:`d/(2\beta c)` (:func:`sgmbook.training.gibbs_floor`), its limit as :math:`\lambda \to 0`."""
    steps = v.finite_array("steps", steps, ndim=1)
    if np.any(steps <= 0):
        raise ValueError(f"steps must be > 0, got min {float(steps.min())!r}")
    mu = v.finite_array("mu", mu, ndim=1)
    far_n = v.positive_int("far_n", far_n, maximum=None)
    d = mu.shape[0]
    gibbs2 = tr.gibbs_floor(d, beta, T) ** 2
    stat, far = [], []
    for lam in steps:
        stat.append(d * sum(tr.sgld_stationary_variance(step=lam, beta=beta, batch=batch, T=T)))
        far.append(tr.sgld_moments(np.zeros(d), mu, np.array([far_n]), step=lam, beta=beta,
                                   batch=batch, T=T)["mse"][0])
    stat = np.array(stat)
    return GibbsLimit(steps, stat, np.array(far), float(gibbs2), np.abs(stat / gibbs2 - 1.0))


class ChainCheck(NamedTuple):
    """Exact moments of :math:`\\theta_n` and their estimates from independent chains, at the recorded
    iterations ``n`` (means and variances ``(N, d)``, mean-square errors ``(N,)``), with the z-scores of
    the chain means and variances; ``runs`` holds the chains ``(N, chains, d)``; ``gibbs`` is the Gibbs
    floor :math:`\\sqrt{d/(2\\beta c)}` of the settings."""

    n: np.ndarray
    exact_mean: np.ndarray
    exact_var: np.ndarray
    exact_mse: np.ndarray
    chain_mean: np.ndarray
    chain_var: np.ndarray
    chain_mse: np.ndarray
    z_mean: np.ndarray
    z_var: np.ndarray
    runs: np.ndarray
    gibbs: float

    @property
    def z_max(self) -> float:
        """The largest z-score, over iterations, coordinates, means and variances."""
        return float(max(self.z_mean.max(), self.z_var.max()))

    def moments(self, coordinate: int = 0) -> tuple[np.ndarray, ...]:
        """At each recorded iteration: the exact mean and the chains' mean of ``coordinate``, the exact
        and the chains' variance of it, the exact and the chains' mean-square error (six ``(N,)``
        arrays, exact before chains)."""
        i = v.int_array("coordinate", coordinate, minimum=0)
        if i.ndim != 0 or int(i) >= self.exact_mean.shape[1]:
            raise ValueError(f"coordinate must be an index in [0, {self.exact_mean.shape[1]}), "
                             f"got {coordinate!r}")
        i = int(i)
        return (self.exact_mean[:, i], self.chain_mean[:, i], self.exact_var[:, i],
                self.chain_var[:, i], self.exact_mse, self.chain_mse)


def sgld_chain_check(theta0: np.ndarray, mu: np.ndarray, record: np.ndarray, *, step: float,
                     beta: float, batch: int, T: float, chains: int,
                     rng: np.random.Generator) -> ChainCheck:
    r"""The exact mean and variance of the SGLD iterate (:func:`sgmbook.training.sgld_moments`:
    :math:`E e_n = p^n e_0`, :math:`E e_n e_n^\top = q^n e_0e_0^\top + r\frac{1-q^n}{1-q}I`) against
    ``chains`` independent runs of :func:`sgmbook.training.sgld` recorded at the iterations ``record``
    (each >= 1: at :math:`n = 0` every chain is :math:`\theta_0` and the z-scores are undefined).
    Standard errors: :math:`\sqrt{\mathrm{Var}/N}` for the mean, :math:`\sqrt{(\hat m_4 - \hat m_2^2)/N}`
    (empirical fourth central moment) for the variance."""
    rec = v.int_array("record", record, minimum=1)
    if rec.ndim != 1:
        raise ValueError(f"record must be a 1-D array of iteration numbers, got shape {rec.shape}")
    chains = v.positive_int("chains", chains)
    if chains < 2:
        raise ValueError(f"chains must be >= 2 (a sample variance), got {chains}")
    runs = tr.sgld(theta0, mu, step=step, beta=beta, batch=batch, n_steps=max(int(rec.max()), 1), T=T,
                   rng=rng, chains=chains, record=rec)
    ex = tr.sgld_moments(theta0, mu, rec, step=step, beta=beta, batch=batch, T=T)
    mean, var = runs.mean(1), runs.var(1, ddof=1)
    centred = runs - mean[:, None, :]
    se_var = np.sqrt(((centred ** 4).mean(1) - runs.var(1) ** 2) / chains)
    mse = np.mean(np.sum((runs - mu) ** 2, axis=2), axis=1)
    return ChainCheck(rec, ex["mean"], ex["var"], ex["mse"], mean, var, mse,
                      np.abs(mean - ex["mean"]) / np.sqrt(ex["var"] / chains),
                      np.abs(var - ex["var"]) / se_var, runs, tr.gibbs_floor(runs.shape[2], beta, T))


class MseCurves(NamedTuple):
    """The exact SGLD mean-square error and its explicit bound at the iterations ``n``."""

    n: np.ndarray
    exact: np.ndarray
    bound: np.ndarray

    @property
    def ratio(self) -> np.ndarray:
        """``bound / exact``: the bound holds where every ratio is at least one."""
        return self.bound / self.exact


def sgld_mse_curves(theta0: np.ndarray, mu: np.ndarray, n: np.ndarray, *, step: float, beta: float,
                    batch: int, T: float) -> MseCurves:
    r"""The exact :math:`E|\theta_n - \mu|^2` (:func:`sgmbook.training.sgld_moments`) and the explicit
    bound :math:`e^{-3\lambda cn}|\theta_0 - \mu|^2 + d(4\lambda/(3B) + 2/(3\beta c))`
    (:func:`sgmbook.bounds.bruno_gaussian.sgld_mse_bound`, derived in the book) at each iteration in
    ``n``, for Bruno et al.'s example (Section 3.1)."""
    n = v.int_array("n", n, minimum=0)
    if n.ndim != 1 or n.size == 0:
        raise ValueError(f"n must be a non-empty 1-D array of iteration numbers, got shape {n.shape}")
    kw = dict(step=step, beta=beta, batch=batch, T=T)
    return MseCurves(n, tr.sgld_moments(theta0, mu, n, **kw)["mse"],
                     bg.sgld_mse_bound(theta0, mu, n, **kw))


def smallest_bound_ratio(theta0: np.ndarray, mu: np.ndarray, *, step: float, beta: float, batch: int,
                         T: float, n_max: int = 300_000) -> float:
    r"""The smallest ratio bound / exact of :func:`sgld_mse_curves` (the bound holds where it is at
    least one) over the iterations :math:`n = 0, 5, \dots, 2000` and 300 geometrically spaced
    iterations from 1 to ``n_max`` (rounded down to integers)."""
    n_max = v.positive_int("n_max", n_max, maximum=10 ** 9)
    n = np.unique(np.r_[np.arange(0, 2001, 5), np.geomspace(1, n_max, 300).astype(int)])
    return float(sgld_mse_curves(theta0, mu, n, step=step, beta=beta, batch=batch, T=T).ratio.min())


class AuthorsSGLDRun(NamedTuple):
    """Exact SGLD moments after the authors' iteration count ``n``: the mean contraction :math:`p^n`, the
    mean, the root-mean-square error and the Gibbs floor; the mean after the epoch ``epoch`` (after
    ``epoch_n`` iterations), the parameter the authors' code reports there and its distance to it."""

    n: int
    contraction: float
    mean: np.ndarray
    rmse: float
    gibbs: float
    epoch_n: int
    epoch_mean: np.ndarray
    reported: np.ndarray
    distance: float


def authors_sgld_run(mu: np.ndarray, *, step: float, beta: float, batch: int, T: float,
                     epochs: int = 200, batches: int = 391, epoch: int = 192) -> AuthorsSGLDRun:
    r"""SGLD from :math:`\theta_0 = 0` run for ``epochs`` epochs of ``batches`` minibatches, as in the
    authors' code for Bruno et al.'s example (Section 3.1), in exact moments
    (:func:`sgmbook.training.sgld_moments`): :math:`E e_n = p^n e_0` with :math:`p = 1 - 2\lambda c`,
    :math:`\sqrt{E|\theta_n - \mu|^2}`, the Gibbs floor :math:`\sqrt{d/(2\beta c)}`
    (:func:`sgmbook.training.gibbs_floor`); and :math:`E\theta` after epoch ``epoch`` (numbered from 0:
    :math:`(\text{epoch} + 1) \times` ``batches`` iterations) against the parameter the authors' code reports
    there, :data:`THETA_CODE_192` (for ``d = 2``)."""
    mu = v.finite_array("mu", mu, ndim=1)
    epochs = v.positive_int("epochs", epochs, maximum=10 ** 6)
    batches = v.positive_int("batches", batches, maximum=10 ** 6)
    epoch = v.int_array("epoch", epoch, minimum=0)
    if epoch.ndim != 0 or int(epoch) >= epochs:
        raise ValueError(f"epoch must be an integer in [0, epochs) = [0, {epochs}), got {epoch!r}")
    if mu.shape != THETA_CODE_192.shape:
        raise ValueError(f"mu must have shape {THETA_CODE_192.shape} (the authors' example), "
                         f"got {mu.shape}")
    reported = THETA_CODE_192
    d, n, epoch_n = mu.shape[0], epochs * batches, (int(epoch) + 1) * batches
    kw = dict(step=step, beta=beta, batch=batch, T=T)
    ex = tr.sgld_moments(np.zeros(d), mu, np.array([epoch_n, n]), **kw)
    p = 1.0 - 2.0 * step * tr.loss_moments(T).c
    return AuthorsSGLDRun(n, float(p ** n), ex["mean"][1], float(np.sqrt(ex["mse"][1])),
                          tr.gibbs_floor(d, beta, T), epoch_n, ex["mean"][0], reported,
                          float(np.linalg.norm(ex["mean"][0] - reported)))


class StationaryTerms(NamedTuple):
    """Per coordinate, the (minibatch, Langevin) stationary terms of SGLD, exact and as in the explicit
    bound, and the Gibbs value :math:`1/(2\beta c)`."""

    exact: np.ndarray
    bound: np.ndarray
    gibbs: float


def stationary_terms(*, step: float, beta: float, batch: int, T: float) -> StationaryTerms:
    r"""The exact stationary terms :math:`(4\lambda^2E[m^4\sigma^2]/B)/(1-q)` and
    :math:`(2\lambda/\beta)/(1-q)` (:func:`sgmbook.training.sgld_stationary_variance`) against those of
    the explicit bound, :math:`4\lambda/(3B)` and :math:`2/(3\beta c)`
    (:func:`sgmbook.bounds.bruno_gaussian.sgld_stationary_terms`, derived in the book), and the Gibbs
    value :math:`1/(2\beta c)` they approach (Bruno et al., Section 3.1)."""
    kw = dict(step=step, beta=beta, batch=batch, T=T)
    exact = np.array(tr.sgld_stationary_variance(**kw), dtype=float)
    bound = np.array(bg.sgld_stationary_terms(**kw), dtype=float)
    return StationaryTerms(exact, bound, float(1.0 / (2.0 * v.positive("beta", beta)
                                                      * tr.loss_moments(T).c)))
