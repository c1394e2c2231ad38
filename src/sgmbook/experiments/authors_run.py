r"""Bruno et al.'s own Section 3.1 experiment, recomputed exactly from what their code printed.

The public code of Bruno, Zhang, Lim, Akyildiz, Sabanis (arXiv 2311.13584, Section 3.1),
repository ``stebruno/Score-Based-Generative-modeling-Gaussian-Data-Distribution`` at commit
``f64def0844ae947dff6eb6ef17ad4645a3b6a978``, trains the score model
:math:`s(t, x, \theta) = -x + e^{-t}\theta` for :math:`\pi_D = N(\mu_D, I_2)` with SGLD and Adam and
prints, every epoch, the loss and the parameter.  Those printed numbers ship with the package
(``sgmbook/data/authors_runs/``, read with :mod:`importlib.resources`); this module reads them and
computes, exactly, what the run implies:

* the authors' sampler (their ``Euler_Maruyama_sampler``) is :func:`sgmbook.schedules.authors`, and
  the exact law of its output for an affine score is :func:`sgmbook.laws.gaussian`; :func:`sample`
  here is its literal particle recursion, an independent check of both;
* their "Assumption 4" error (:func:`assumption4_error`), the paper's :math:`\varepsilon_{SN}` for this
  model (:func:`eps_sn`) and a Monte Carlo estimate of its time integral (:func:`eps_sn_monte_carlo`);
* Adam on the DSM loss, vectorised over independent runs (:func:`adam`);
* the error split for any linear sampler (:func:`error_split_samples`).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Callable

import numpy as np

from .. import _validate as v
from .. import laws, schemes, training
from ..schedules import Schedule
from ..bounds import bruno

__all__ = [
    "PROVENANCE", "SETTINGS", "STEPS_PER_EPOCH", "T_CODE", "EPS_CODE", "N_POINTS",
    "Run", "load_run", "steps_after_epoch",
    "sample",
    "output_coefficients", "w2_output",
    "assumption4_error", "eps_sn", "eps_sn_code", "eps_sn_monte_carlo", "adam",
    "error_split_samples", "error_split_l2", "authors_coefficients",
]

#: Where the logged numbers come from.
PROVENANCE = {
    "repository": "stebruno/Score-Based-Generative-modeling-Gaussian-Data-Distribution",
    "url": "https://github.com/stebruno/Score-Based-Generative-modeling-Gaussian-Data-Distribution",
    "commit": "f64def0844ae947dff6eb6ef17ad4645a3b6a978",
    "files": {"sgld": "generative_model/Multi-Gassian_sgld.ipynb",
              "adam": "generative_model/Multi-Gassian_adam.ipynb"},
}
#: Optimiser settings of the two notebooks (training horizon T = 2, eps = 0, theta_0 = 0).
SETTINGS = {"sgld": {"step": 1e-4, "beta": 1e14, "batch": 128, "epochs": 200},
            "adam": {"lr": 5e-5, "batch": 128, "epochs": 100}}
#: 50,000 fixed points in batches of 128: 391 batches an epoch, the last of 80 points.
STEPS_PER_EPOCH = 391
T_CODE, EPS_CODE, N_POINTS = 2.0, 0.0, 1000


@dataclass(frozen=True)
class Run:
    """One logged run: every epoch's printed line and the lines printed at each improvement.

    ``theta_end`` is the parameter at the end of each epoch, with the full digits of the improvement
    lines where the epoch has one and the 4 printed digits otherwise.
    """

    name: str
    epoch: np.ndarray
    logged_loss: np.ndarray
    theta_printed: np.ndarray
    best_epoch: np.ndarray
    best_loss: np.ndarray
    assumption4: np.ndarray
    sq_param_error: np.ndarray
    theta_best: np.ndarray

    @property
    def theta_end(self) -> np.ndarray:
        out = self.theta_printed.copy()
        out[np.searchsorted(self.epoch, self.best_epoch)] = self.theta_best
        return out


def _read_csv(name: str) -> dict[str, np.ndarray]:
    text = resources.files("sgmbook").joinpath("data", "authors_runs", name).read_text()
    rows = list(csv.DictReader(text.splitlines()))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def load_run(name: str) -> Run:
    """The logged run ``"sgld"`` or ``"adam"`` (files ``<name>_epochs.csv``, ``<name>_best.csv``)."""
    if name not in SETTINGS:
        raise ValueError(f"name must be one of {tuple(SETTINGS)}, got {name!r}")
    ep, be = _read_csv(f"{name}_epochs.csv"), _read_csv(f"{name}_best.csv")
    return Run(name, ep["epoch"].astype(int), ep["logged_loss"],
               np.column_stack([ep["theta_1"], ep["theta_2"]]), be["epoch"].astype(int),
               be["best_loss"], be["assumption4_error"], be["sq_param_error"],
               np.column_stack([be["theta_1"], be["theta_2"]]))


def steps_after_epoch(epoch: np.ndarray | int) -> np.ndarray:
    """Optimiser steps before the line of epoch ``k`` is printed: :math:`(k+1)\\times 391`
    (epochs are numbered from 0)."""
    k = v.int_array("epoch", epoch)
    if not np.issubdtype(k.dtype, np.integer) or np.any(k < 0):
        raise ValueError(f"epoch must be integers >= 0, got {epoch!r}")
    return (k + 1) * STEPS_PER_EPOCH


def _check_schedule(schedule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not isinstance(schedule, Schedule):
        raise TypeError("schedule must be a sgmbook.schedules.Schedule, e.g. "
                        f"schedules.authors(T, eps), got {type(schedule).__name__}")
    return (np.asarray(schedule.t, dtype=float), np.asarray(schedule.h, dtype=float),
            np.asarray(schedule.noise, dtype=bool))


def sample(score: Callable[[float, np.ndarray], np.ndarray], y0: np.ndarray, schedule: Schedule,
           rng: np.random.Generator, scheme: str = "em") -> np.ndarray:
    r"""The authors' recursion literally, vectorised over the particles ``y0`` (``(n, d)``): for each
    update ``mean_x = x + (x + 2 s(t_k, x)) h_k`` (EM), then ``x = mean_x + sqrt(2 h_k) Z`` if
    ``noise[k]``; returns the last ``mean_x``.  (``scheme="ei"`` uses the exponential-integrator step.)"""
    if not callable(score):
        raise TypeError(f"score must be a callable s(t, x), got {score!r}")
    t, h, noise = _check_schedule(schedule)
    x = v.finite_array("y0", y0, ndim=2).copy()
    rng = v.rng(rng)
    a, c, var = schemes.coefficients(scheme, h)
    mean_x = x
    for k in range(t.size):
        sk = score(float(t[k]), x)
        if k == 0:  # the first call: a non-array, a wrong shape, NaN or inf names score and t
            v.callable_output("score", score, sk, float(t[k]), x.shape)
        mean_x = a[k] * x + c[k] * np.asarray(sk, dtype=float)
        x = mean_x + np.sqrt(var[k]) * rng.standard_normal(x.shape) if noise[k] else mean_x
    return mean_x


def output_coefficients(schedule: Schedule, scheme: str = "em") -> tuple[float, float]:
    r"""``(c, v)`` with output :math:`N(c\,\theta, v I_d)` for the model
    :math:`s = -x + e^{-t}\theta` from :math:`N(0, I_d)` (the law is linear in :math:`\theta`)."""
    m, S = laws.gaussian(lambda t: (-1.0, np.exp(-t)), np.zeros(1), np.ones(1), schedule, scheme=scheme)
    return float(m[0]), float(S[0])


def authors_coefficients(T: float, eps: float = 0.0, n_points: int = N_POINTS) -> tuple[float, float]:
    r"""Closed form of :func:`output_coefficients` on :func:`sgmbook.schedules.authors` (derived in the
    book, chapter "Bruno et al.'s own experiment"): with :math:`n` points, the code's step
    :math:`h = T/(n-1)` and :math:`t_k = T - k(T-\varepsilon)/(n-1)` (:math:`= T - kh` for :math:`\varepsilon = 0`),

    .. math:: c_A = 2h\sum_{k=0}^{n-1}e^{-t_k}(1-h)^{n-1-k}, \qquad
              v_A = (1-h)^{2n} + 2h\sum_{j=1}^{n-1}(1-h)^{2j}.
    """
    T, eps = v.horizon(T, eps)
    n = v.positive_int("n_points", n_points)
    if n < 2:
        raise ValueError(f"n_points must be >= 2, got {n}")
    h = T / (n - 1)
    k = np.arange(n)
    t = np.linspace(T, eps, n)
    c = 2.0 * h * float(np.sum(np.exp(-t) * (1.0 - h) ** (n - 1 - k)))
    var = (1.0 - h) ** (2 * n) + 2.0 * h * float(np.sum((1.0 - h) ** (2 * k[1:])))
    return c, var


def w2_output(theta: np.ndarray, mu: np.ndarray, schedule: Schedule, scheme: str = "em"
              ) -> np.ndarray | float:
    r"""Exact :math:`W_2(N(c\theta, vI), N(\mu, I)) = (|c\theta - \mu|^2 + d(\sqrt v - 1)^2)^{1/2}`,
    vectorised over rows of ``theta`` (``(d,)`` or ``(n, d)``)."""
    mu = v.finite_array("mu", mu, ndim=1)
    theta = v.finite_array("theta", theta, ndim=(1, 2))
    if theta.shape[-1] != mu.shape[0]:
        raise ValueError(f"theta must have last axis {mu.shape[0]}, got shape {theta.shape}")
    c, var = output_coefficients(schedule, scheme)
    out = np.sqrt(np.sum((c * theta - mu) ** 2, axis=-1) + mu.shape[0] * (np.sqrt(var) - 1.0) ** 2)
    return float(out) if out.ndim == 0 else out


def assumption4_error(theta: np.ndarray, mu: np.ndarray, schedule: Schedule) -> np.ndarray | float:
    r"""The authors' ``compute_ass4`` in closed form: along the sampler it sums, times the step, the
    coordinate mean of :math:`(-x + e^{-(T-t_k)}\mu - s(T - t_k, x, \theta))^2`, with :math:`T = t_0`:

    .. math:: \mathrm{error4} = \frac{|\theta - \mu|^2}{d}\sum_k h_k e^{-2(T - t_k)}

    (independent of :math:`x` for the affine model).  Vectorised over rows of ``theta``."""
    mu = v.finite_array("mu", mu, ndim=1)
    theta = v.finite_array("theta", theta, ndim=(1, 2))
    t, h, _ = _check_schedule(schedule)
    weight = float(np.sum(h * np.exp(-2.0 * (t[0] - t))))
    return np.sum((theta - mu) ** 2, axis=-1) / mu.shape[0] * weight


def _mse(mse):
    out = v.finite_array("mse", mse)
    if np.any(out < 0):
        raise ValueError(f"mse must be >= 0 (a mean square error), got min {float(out.min())!r}")
    return out


def eps_sn(mse: np.ndarray | float, T: float, eps: float = 0.0) -> np.ndarray | float:
    r"""The score error of the paper (Bruno et al., abstract: an :math:`L^2` accuracy under the law of the
    optimiser and the auxiliary process), in the book's integral form, for :math:`s = -x + e^{-t}\theta`:

    .. math:: \varepsilon_{SN} = \int_0^{T-\varepsilon} E|\nabla\log p_{T-r}(\tilde Y_r)
              - s(T-r, \tilde Y_r, \hat\theta)|^2 dr
              = E|\hat\theta - \mu|^2\,\frac{e^{-2\varepsilon} - e^{-2T}}{2},

    since the error is :math:`e^{-(T-r)}(\mu - \hat\theta)` whatever :math:`\tilde Y_r`
    (derived in the book)."""
    T, eps = v.horizon(T, eps)
    mse = _mse(mse)
    return np.asarray(mse, dtype=float) * (np.exp(-2.0 * eps) - np.exp(-2.0 * T)) / 2.0


def eps_sn_code(mse: np.ndarray | float, schedule: Schedule, d: int) -> np.ndarray | float:
    r"""Expectation of the code's ``error4`` over :math:`\hat\theta`: :math:`E|\hat\theta-\mu|^2/d
    \cdot \sum_k h_k e^{-2(t_0 - t_k)}` (its Riemann sum, its time reversal and its coordinate mean)."""
    t, h, _ = _check_schedule(schedule)
    d = v.positive_int("d", d)
    mse = _mse(mse)
    return np.asarray(mse, dtype=float) / d * float(np.sum(h * np.exp(-2.0 * (t[0] - t))))


def eps_sn_monte_carlo(thetas: np.ndarray, mu: np.ndarray, T: float, eps: float,
                       rng: np.random.Generator, n: int) -> tuple[float, float]:
    r"""Monte Carlo estimate of the time integral defining :func:`eps_sn` and its standard error:
    ``n`` draws of :math:`\hat\theta` (rows of ``thetas``, uniformly), :math:`r \sim U[0, T-\varepsilon]` and
    :math:`\tilde Y_r \sim N((e^{r-T} - e^{-r-T})\hat\theta, I)` (the exact law of the auxiliary process),
    averaging :math:`(T-\varepsilon)|\nabla\log p_{T-r}(\tilde Y_r) - s(T-r, \tilde Y_r, \hat\theta)|^2`."""
    thetas = v.finite_array("thetas", thetas, ndim=2)
    mu = v.finite_array("mu", mu, ndim=1)
    T, eps = v.horizon(T, eps)
    rng, n = v.rng(rng), v.positive_int("n", n)
    th = thetas[rng.integers(0, thetas.shape[0], n)]
    r = rng.uniform(0.0, T - eps, n)
    y = (np.exp(r - T) - np.exp(-r - T))[:, None] * th + rng.standard_normal(th.shape)
    err = training.score_model(T - r, y, mu) - training.score_model(T - r, y, th)
    vals = (T - eps) * np.sum(err ** 2, axis=-1)
    return float(vals.mean()), float(vals.std(ddof=1) / np.sqrt(n))


def adam(theta0: np.ndarray, mu: np.ndarray, *, lr: float, batch: int, n_steps: int, T: float,
         rng: np.random.Generator, eps: float = 0.0, chains: int = 1, record: np.ndarray | None = None,
         betas: tuple[float, float] = (0.9, 0.999), adam_eps: float = 1e-8) -> np.ndarray:
    r"""Adam (Kingma and Ba; torch defaults) on the DSM loss of Bruno et al., Section 3.1, with fresh
    minibatches of ``batch`` samples, then

    .. math:: m \leftarrow \beta_1 m + (1-\beta_1)g,\quad u \leftarrow \beta_2 u + (1-\beta_2)g^2,\quad
              \theta \leftarrow \theta
              - \mathrm{lr}\,\frac{m/(1-\beta_1^n)}{\sqrt{u/(1-\beta_2^n)} + \epsilon}.

    The minibatch gradient :math:`g = B^{-1}\sum_j H(\theta, \xi_j)` of
    :func:`sgmbook.training.stochastic_gradient` is drawn through its exact conditional law given the
    :math:`\tau_j` (derived in the book, proof of the SGLD moments): with :math:`a_j = m^2\sigma^2`,
    :math:`g = 2\bar a(\theta - \mu) + 2B^{-1}(\sum_j m^4\sigma^2)^{1/2} G`, :math:`G \sim N(0, I_d)`.
    ``chains`` independent runs at once; returns :math:`\theta_n` at ``record`` (default ``[n_steps]``),
    shape ``(len(record), chains, d)``."""
    mu = v.finite_array("mu", mu, ndim=1)
    d = mu.shape[0]
    lr, batch = v.positive("lr", lr), v.positive_int("batch", batch)
    n_steps, chains = v.positive_int("n_steps", n_steps), v.positive_int("chains", chains)
    theta = np.broadcast_to(v.finite_array("theta0", theta0, ndim=(1, 2)), (chains, d)).copy()
    T, eps = v.horizon(T, eps)
    rng = v.rng(rng)
    b1, b2 = (float(b) for b in betas)
    if not (0 <= b1 < 1 and 0 <= b2 < 1):
        raise ValueError(f"betas must lie in [0, 1), got {betas!r}")
    rec = np.array([n_steps]) if record is None else np.asarray(record)
    if rec.ndim != 1 or not np.issubdtype(rec.dtype, np.integer) or np.any((rec < 0) | (rec > n_steps)):
        raise ValueError(f"record must be a 1-D array of integers in [0, n_steps={n_steps}]")
    out = np.empty((rec.size, chains, d))
    out[rec == 0] = theta
    m1, m2 = np.zeros_like(theta), np.zeros_like(theta)
    chunk = max(1, 2 ** 21 // (chains * batch))
    for n0 in range(0, n_steps, chunk):
        n1 = min(n0 + chunk, n_steps)
        u = np.exp(-2.0 * rng.uniform(eps, T, (n1 - n0, chains, batch)))
        abar = 2.0 * np.mean(u * (1.0 - u), axis=2)[..., None]
        sd = 2.0 * np.sqrt(np.sum(u * u * (1.0 - u), axis=2))[..., None] / batch
        gnoise = sd * rng.standard_normal((n1 - n0, chains, d))
        for i, n in enumerate(range(n0 + 1, n1 + 1)):
            g = abar[i] * (theta - mu) + gnoise[i]
            m1 = b1 * m1 + (1.0 - b1) * g
            m2 = b2 * m2 + (1.0 - b2) * g * g
            theta = theta - lr * (m1 / (1.0 - b1 ** n)) / (np.sqrt(m2 / (1.0 - b2 ** n)) + adam_eps)
            hit = rec == n
            if hit.any():
                out[hit] = theta
    return out


def error_split_samples(thetas: np.ndarray, mu: np.ndarray, schedule: Schedule, *, T: float,
                        eps: float = 0.0, scheme: str = "em") -> dict[str, np.ndarray]:
    r"""The book's error split (chapter on the Gaussian example) for any linear sampler with output
    :math:`N(c\theta, vI)`, for each row of ``thetas``: ``early`` :math:`(1-e^{-\varepsilon})|\mu|`,
    ``init`` :math:`e^{\varepsilon-2T}|\mu|`, ``opt`` :math:`c_\infty|\theta-\mu|`, ``disc``
    :math:`((c-c_\infty)^2|\theta|^2 + d(\sqrt v-1)^2)^{1/2}` and ``total`` (exact :math:`W_2`).
    ``c_inf`` is :func:`sgmbook.gaussian_mean.continuous_coefficient`; C3 of
    :func:`sgmbook.bounds.bruno.score_error_constant` times :math:`\sqrt{\varepsilon_{SN}}`
    (``c3_term``) equals ``opt`` here."""
    from .gaussian_mean import continuous_coefficient
    thetas = v.finite_array("thetas", thetas, ndim=2)
    mu = v.finite_array("mu", mu, ndim=1)
    T, eps = v.horizon(T, eps)
    c, var = output_coefficients(schedule, scheme)
    cinf = continuous_coefficient(T, eps)
    nmu = float(np.linalg.norm(mu))
    n = thetas.shape[0]
    opt = cinf * np.linalg.norm(thetas - mu, axis=1)
    c3 = bruno.score_error_constant(T, eps, 1.0) * np.sqrt(eps_sn(np.sum((thetas - mu) ** 2, 1), T, eps))
    disc = np.sqrt((c - cinf) ** 2 * np.sum(thetas ** 2, 1) + mu.shape[0] * (np.sqrt(var) - 1.0) ** 2)
    return {"early": np.full(n, -np.expm1(-eps) * nmu), "init": np.full(n, np.exp(eps - 2 * T) * nmu),
            "opt": opt, "c3_term": c3, "disc": disc,
            "total": np.atleast_1d(w2_output(thetas, mu, schedule, scheme)), "c": c, "c_inf": cinf}


def error_split_l2(thetas: np.ndarray, mu: np.ndarray, schedule: Schedule, *, T: float,
                   eps: float = 0.0, scheme: str = "em") -> dict[str, np.ndarray | float]:
    r"""The error split in its :math:`L^2` form (chapter on the Gaussian example, proposition "Exact error
    split", random parameter) for the empirical law of the rows of ``thetas``, shape ``(..., n, d)``;
    leading axes (e.g. bootstrap resamples) are vectorised. With :math:`E` the mean over the rows and
    :math:`(c, v)` from :func:`output_coefficients`:

    ``opt`` :math:`= c_\infty(E|\theta-\mu|^2)^{1/2}`,
    ``disc`` :math:`= ((c-c_\infty)^2E|\theta|^2 + d(\sqrt v-1)^2)^{1/2}`,
    ``sum`` :math:`=` early + init + opt + disc, and ``upper`` :math:`= (E|c\theta-\mu|^2 + d(\sqrt v-1)^2)^{1/2}`,
    the upper end of the bracket on :math:`W_2` (at most ``sum``)."""
    from .gaussian_mean import continuous_coefficient
    thetas = v.finite_array("thetas", thetas)
    mu = v.finite_array("mu", mu, ndim=1)
    if thetas.ndim < 2 or thetas.shape[-1] != mu.shape[0]:
        raise ValueError(f"thetas must have shape (..., n, {mu.shape[0]}), got {thetas.shape}")
    T, eps = v.horizon(T, eps)
    c, var = output_coefficients(schedule, scheme)
    cinf = continuous_coefficient(T, eps)
    nmu = float(np.linalg.norm(mu))
    var_part = mu.shape[0] * (np.sqrt(var) - 1.0) ** 2
    opt = cinf * np.sqrt(np.mean(np.sum((thetas - mu) ** 2, -1), -1))
    disc = np.sqrt((c - cinf) ** 2 * np.mean(np.sum(thetas ** 2, -1), -1) + var_part)
    upper = np.sqrt(np.mean(np.sum((c * thetas - mu) ** 2, -1), -1) + var_part)
    early, init = -np.expm1(-eps) * nmu, np.exp(eps - 2 * T) * nmu
    return {"early": early, "init": init, "opt": opt, "disc": disc,
            "sum": early + init + opt + disc, "upper": upper}
