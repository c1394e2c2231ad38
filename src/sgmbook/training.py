r"""Training the score model of the Gaussian-with-unknown-mean example: DSM loss and SGLD.

Setting (Bruno et al., Section 3.1, in the form of the authors' public code): data
:math:`\pi_D = N(\mu, I_d)`, forward OU :math:`X_t = m_t X_0 + \sigma_t Z` with :math:`m_t = e^{-t}`,
:math:`\sigma_t^2 = 1 - e^{-2t}`, score model :math:`s(t, x, \theta) = -x + e^{-t}\theta`, and the
denoising score-matching loss weighted by :math:`\kappa(t) = \sigma_t^2`,

.. math:: U(\theta) = E\bigl[\sigma_\tau^2 \,|\sigma_\tau^{-1} Z + s(\tau, m_\tau X_0 + \sigma_\tau Z, \theta)|^2\bigr],
          \qquad \tau \sim \mathrm{Unif}[\varepsilon, T].

Everything else in this module is derived in the book (chapter "Gaussian with unknown mean"):

* closed form :math:`U(\theta) = d\,E[m_\tau^2] + c\,|\theta - \mu|^2` with :math:`c = E[m_\tau^2 \sigma_\tau^2]`;
* the per-sample gradient :math:`H(\theta, \xi) = 2 m^2 \sigma^2 (\theta - X_0) + 2 m^3 \sigma Z`, unbiased for
  :math:`\nabla U = 2c(\theta - \mu)`;
* SGLD :math:`\theta_{n+1} = \theta_n - \lambda \bar H_n + \sqrt{2\lambda/\beta}\,\bar\xi_{n+1}` with minibatch mean
  :math:`\bar H_n`, and the exact recursion of the mean and covariance of its iterates;
* the Gibbs measure :math:`\pi_\beta \propto e^{-\beta U} = N(\mu, (2\beta c)^{-1} I_d)`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v

__all__ = [
    "tau_moment",
    "LossMoments",
    "loss_moments",
    "score_model",
    "dsm_loss",
    "dsm_loss_samples",
    "loss_gradient",
    "stochastic_gradient",
    "sgld",
    "ThetaLaw",
    "sgld_moments",
    "sgld_law",
    "gibbs_floor",
    "sgld_stationary_variance",
]


def tau_moment(k: int, T: float, eps: float = 0.0) -> float:
    r""":math:`E[e^{-2k\tau}]` for :math:`\tau \sim \mathrm{Unif}[\varepsilon, T]`:
    :math:`e^{-2k\varepsilon}(1 - e^{-2k(T-\varepsilon)}) / (2k(T-\varepsilon))` (``expm1`` form; derived in the book).

    With :math:`u = e^{-2\tau} = m_\tau^2` and :math:`\sigma_\tau^2 = 1 - u`, every moment of the loss is a
    polynomial in :math:`u`.
    """
    k = v.positive_int("k", k)
    T, eps = v.horizon(T, eps)
    L = T - eps
    return float(np.exp(-2.0 * k * eps) * (-np.expm1(-2.0 * k * L)) / (2.0 * k * L))


@dataclass(frozen=True)
class LossMoments:
    r"""Moments over :math:`\tau \sim \mathrm{Unif}[\varepsilon, T]` used by the closed forms.

    ``m2`` :math:`= E[m^2]`, ``c`` :math:`= E[m^2\sigma^2]` (half the curvature of :math:`U`),
    ``m4s2`` :math:`= E[m^4\sigma^2]` (per-coordinate gradient-noise second moment / 4),
    ``m4s4`` :math:`= E[m^4\sigma^4]` (second moment of the random curvature :math:`a = m^2\sigma^2`).
    """

    m2: float
    c: float
    m4s2: float
    m4s4: float


def loss_moments(T: float, eps: float = 0.0) -> LossMoments:
    """The four :class:`LossMoments` as polynomials in :math:`u = e^{-2\\tau}` (derived in the book)."""
    u1, u2, u3, u4 = (tau_moment(k, T, eps) for k in (1, 2, 3, 4))
    return LossMoments(m2=u1, c=u1 - u2, m4s2=u2 - u3, m4s4=u2 - 2.0 * u3 + u4)


def score_model(t: np.ndarray | float, x: np.ndarray, theta: np.ndarray) -> np.ndarray:
    r"""The score model :math:`s(t, x, \theta) = -x + e^{-t}\theta` (Bruno et al., Section 3.1 code).

    ``t`` is a scalar or has the shape of ``x`` without its last axis; ``x`` is ``(..., d)``; ``theta``
    broadcasts against ``x``.
    """
    x = v.finite_array("x", x)
    theta = v.finite_array("theta", theta)
    t = v.times("t", t)
    return -x + np.exp(-t)[..., None] * theta


def dsm_loss(theta: np.ndarray, mu: np.ndarray, T: float, eps: float = 0.0) -> np.ndarray | float:
    r"""Closed-form DSM loss :math:`U(\theta) = d\,E[m^2] + E[m^2\sigma^2]\,|\theta-\mu|^2` (derived in the book).

    ``theta`` is ``(d,)`` or ``(n, d)``; returns a float or an ``(n,)`` array.
    """
    mu = v.finite_array("mu", mu, ndim=1)
    theta = v.finite_array("theta", theta, ndim=(1, 2))
    if theta.shape[-1] != mu.shape[0]:
        raise ValueError(f"theta must have last axis {mu.shape[0]} (the dimension of mu), got {theta.shape}")
    mom = loss_moments(T, eps)
    out = mu.shape[0] * mom.m2 + mom.c * np.sum((theta - mu) ** 2, axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def _check_samples(theta, tau, x0, z):
    theta = v.finite_array("theta", theta)
    tau = v.times("tau", tau)
    x0 = v.finite_array("x0", x0)
    z = v.finite_array("z", z)
    if x0.shape != z.shape or x0.shape[:-1] != tau.shape:
        raise ValueError(f"x0 and z must have shape tau.shape + (d,); got tau {tau.shape}, x0 {x0.shape}, "
                         f"z {z.shape}")
    return theta, tau, x0, z


def dsm_loss_samples(theta: np.ndarray, tau: np.ndarray, x0: np.ndarray, z: np.ndarray) -> np.ndarray:
    r"""Per-sample DSM loss :math:`\sigma_\tau^2 |\sigma_\tau^{-1} z + s(\tau, m_\tau x_0 + \sigma_\tau z, \theta)|^2
    = |z + \sigma_\tau s|^2` (the authors' code form; Bruno et al., Section 3.1).

    ``tau`` has shape ``S``; ``x0`` and ``z`` have shape ``S + (d,)``; ``theta`` broadcasts.
    """
    theta, tau, x0, z = _check_samples(theta, tau, x0, z)
    m = np.exp(-tau)[..., None]
    sig = np.sqrt(-np.expm1(-2.0 * tau))[..., None]
    s = -(m * x0 + sig * z) + m * theta
    return np.sum((z + sig * s) ** 2, axis=-1)


def loss_gradient(theta: np.ndarray, mu: np.ndarray, T: float, eps: float = 0.0) -> np.ndarray:
    r""":math:`\nabla U(\theta) = 2c(\theta - \mu)` with :math:`c = E[m^2\sigma^2]` (derived in the book)."""
    mu = v.finite_array("mu", mu, ndim=1)
    theta = v.finite_array("theta", theta)
    return 2.0 * loss_moments(T, eps).c * (theta - mu)


def stochastic_gradient(theta: np.ndarray, tau: np.ndarray, x0: np.ndarray, z: np.ndarray) -> np.ndarray:
    r"""Per-sample gradient of :func:`dsm_loss_samples` in :math:`\theta`:
    :math:`H(\theta, \xi) = 2 m^2\sigma^2 (\theta - x_0) + 2 m^3 \sigma z` (derived in the book).

    Unbiased: :math:`E H(\theta, \xi) = 2c(\theta - \mu)` when :math:`x_0 \sim N(\mu, I)`, :math:`z \sim N(0, I)`,
    :math:`\tau \sim \mathrm{Unif}[\varepsilon, T]` independent.  Shapes as in :func:`dsm_loss_samples`.
    """
    theta, tau, x0, z = _check_samples(theta, tau, x0, z)
    m2 = np.exp(-2.0 * tau)[..., None]
    s2 = -np.expm1(-2.0 * tau)[..., None]
    return 2.0 * m2 * s2 * (theta - x0) + 2.0 * m2 * np.sqrt(m2 * s2) * z


def _sgld_params(step, beta, batch, T, eps):
    step = v.positive("step", step)
    beta = v.positive("beta", beta)
    batch = v.positive_int("batch", batch)
    T, eps = v.horizon(T, eps)
    return step, beta, batch, T, eps


def sgld(theta0: np.ndarray, mu: np.ndarray, *, step: float, beta: float, batch: int, n_steps: int, T: float,
         rng: np.random.Generator, eps: float = 0.0, chains: int = 1, record: np.ndarray | None = None,
         data: np.ndarray | None = None) -> np.ndarray:
    r"""SGLD on the DSM loss (Bruno et al., Section 3.1, optimiser of the authors' code):

    .. math:: \theta_{n+1} = \theta_n - \lambda\,\frac1B \sum_{j=1}^B H(\theta_n, \xi_{n+1,j})
              + \sqrt{2\lambda/\beta}\,\bar\xi_{n+1},

    each :math:`\xi = (\tau, X_0, Z)` fresh: :math:`\tau \sim \mathrm{Unif}[\varepsilon, T]`,
    :math:`X_0 \sim N(\mu, I_d)` (or a row of ``data`` drawn with replacement, a finite training set),
    :math:`Z \sim N(0, I_d)`.  ``chains`` independent chains run at once (vectorised over chains and the
    batch; the only loop is over iterations).  Returns :math:`\theta_n` at the iterations in ``record``
    (default: only ``n_steps``), shape ``(len(record), chains, d)``.
    """
    mu = v.finite_array("mu", mu, ndim=1)
    d = mu.shape[0]
    theta = v.finite_array("theta0", theta0, ndim=(1, 2))
    if theta.shape[-1] != d:
        raise ValueError(f"theta0 must have last axis {d} (the dimension of mu), got {theta.shape}")
    step, beta, batch, T, eps = _sgld_params(step, beta, batch, T, eps)
    n_steps = v.positive_int("n_steps", n_steps)
    chains = v.positive_int("chains", chains)
    rng = v.rng(rng)
    if data is not None:
        data = v.finite_array("data", data, ndim=2)
        if data.shape[1] != d:
            raise ValueError(f"data must have shape (M, {d}), got {data.shape}")
    rec = np.array([n_steps]) if record is None else np.asarray(record)
    if rec.ndim != 1 or rec.size == 0 or not np.issubdtype(rec.dtype, np.integer) \
            or np.any(rec < 0) or np.any(rec > n_steps):
        raise ValueError(f"record must be a 1-D array of integers in [0, n_steps={n_steps}]")
    theta = np.broadcast_to(theta, (chains, d)).copy()
    out = np.empty((rec.size, chains, d))
    noise = np.sqrt(2.0 * step / beta)
    for n in range(n_steps + 1):
        hit = rec == n
        if np.any(hit):
            out[hit] = theta
        if n == n_steps:
            break
        tau = rng.uniform(eps, T, size=(chains, batch))
        if data is None:
            x0 = mu + rng.standard_normal((chains, batch, d))
        else:
            x0 = data[rng.integers(0, data.shape[0], size=(chains, batch))]
        z = rng.standard_normal((chains, batch, d))
        m2 = np.exp(-2.0 * tau)[..., None]
        s2 = -np.expm1(-2.0 * tau)[..., None]
        grad = np.mean(2.0 * m2 * s2 * (theta[:, None, :] - x0) + 2.0 * m2 * np.sqrt(m2 * s2) * z, axis=1)
        theta = theta - step * grad + noise * rng.standard_normal((chains, d))
    if not np.all(np.isfinite(out)):
        raise FloatingPointError("SGLD diverged: reduce step")
    return out


@dataclass(frozen=True)
class ThetaLaw:
    r"""First two moments of a random parameter :math:`\hat\theta \in \mathbb R^d` whose covariance is
    isotropic plus rank one: :math:`\mathrm{Cov}(\hat\theta) = \alpha I_d + \rho\, e e^\top`.

    This is the exact covariance structure of the SGLD iterates (see :func:`sgld_law`); a deterministic
    parameter has ``iso = rank1 = 0`` (:meth:`point`).
    """

    mean: np.ndarray
    iso: float
    rank1: float
    direction: np.ndarray

    @classmethod
    def point(cls, theta: np.ndarray) -> "ThetaLaw":
        """A deterministic parameter."""
        theta = v.finite_array("theta", theta, ndim=1)
        return cls(theta.copy(), 0.0, 0.0, np.zeros_like(theta))

    @property
    def dim(self) -> int:
        return int(self.mean.shape[0])

    def trace_cov(self) -> float:
        r""":math:`\mathrm{tr}\,\mathrm{Cov}(\hat\theta) = d\alpha + \rho |e|^2`."""
        return float(self.dim * self.iso + self.rank1 * np.sum(self.direction ** 2))

    def second_moment(self, centre: np.ndarray | float = 0.0) -> float:
        r""":math:`E|\hat\theta - \text{centre}|^2 = |E\hat\theta - \text{centre}|^2 + \mathrm{tr}\,\mathrm{Cov}`."""
        centre = v.finite_array("centre", centre)
        return float(np.sum((self.mean - centre) ** 2) + self.trace_cov())

    def cov_eigenvalues(self) -> tuple[float, float]:
        r"""``(alpha, alpha + rho |e|^2)``: the eigenvalue of multiplicity :math:`d-1` and the one along
        :math:`e` (equal when :math:`e = 0`)."""
        return float(self.iso), float(self.iso + self.rank1 * np.sum(self.direction ** 2))


def _sgld_coefficients(step, beta, batch, T, eps):
    mom = loss_moments(T, eps)
    p = 1.0 - 2.0 * step * mom.c
    var_a = mom.m4s4 - mom.c ** 2
    q = p * p + 4.0 * step * step * var_a / batch
    r = 4.0 * step * step * mom.m4s2 / batch + 2.0 * step / beta
    return mom, p, q, r


def sgld_moments(theta0: np.ndarray, mu: np.ndarray, n: np.ndarray | int, *, step: float, beta: float,
                 batch: int, T: float, eps: float = 0.0) -> dict[str, np.ndarray]:
    r"""Exact mean, per-coordinate variance and mean-square error of the SGLD iterate :math:`\theta_n`
    (derived in the book).

    With :math:`e_n = \theta_n - \mu`, :math:`a = m^2\sigma^2`, :math:`p = 1 - 2\lambda c`,
    :math:`q = p^2 + 4\lambda^2 \mathrm{Var}(a)/B`, :math:`r = 4\lambda^2 E[m^4\sigma^2]/B + 2\lambda/\beta`:

    .. math:: E e_n = p^n e_0, \qquad E[e_n e_n^\top] = q^n e_0 e_0^\top + r\,\frac{1-q^n}{1-q}\, I_d.

    Returns a dict with ``mean`` (``(N, d)``), ``var`` (``(N, d)``), ``mse`` (:math:`E|e_n|^2`, ``(N,)``),
    ``iso`` and ``rank1`` (``(N,)``, the covariance :math:`\alpha_n I + \rho_n e_0 e_0^\top`), ``p``, ``q``, ``r``.
    Raises if :math:`q \ge 1` (the step is too large for mean-square stability).
    """
    mu = v.finite_array("mu", mu, ndim=1)
    theta0 = v.finite_array("theta0", theta0, ndim=1)
    if theta0.shape != mu.shape:
        raise ValueError(f"theta0 must have the shape of mu {mu.shape}, got {theta0.shape}")
    step, beta, batch, T, eps = _sgld_params(step, beta, batch, T, eps)
    nn = np.atleast_1d(v.int_array("n", n))
    if nn.ndim > 1:
        raise ValueError(f"n must be an integer or a 1-D array of them, got shape {nn.shape}")
    if not np.issubdtype(nn.dtype, np.integer) or np.any(nn < 0):
        raise ValueError("n must be integers >= 0")
    _, p, q, r = _sgld_coefficients(step, beta, batch, T, eps)
    if not (q < 1.0 and abs(p) < 1.0):
        raise ValueError(f"step={step:g} is too large: the SGLD second moment is not contracting (q={q:.4g})")
    e0 = theta0 - mu
    nf = nn.astype(float)
    pn = p ** nf
    qn = q ** nf
    iso = r * (-np.expm1(nf * np.log(q))) / (1.0 - q)
    rank1 = qn - pn * pn
    mean = mu + pn[:, None] * e0
    var = iso[:, None] + rank1[:, None] * e0 ** 2
    mse = qn * np.sum(e0 ** 2) + mu.shape[0] * iso
    return {"mean": mean, "var": var, "mse": mse, "iso": iso, "rank1": rank1,
            "p": p, "q": q, "r": r}


def sgld_law(theta0: np.ndarray, mu: np.ndarray, n: int, *, step: float, beta: float, batch: int, T: float,
             eps: float = 0.0) -> ThetaLaw:
    r""":class:`ThetaLaw` of the SGLD iterate :math:`\theta_n` (exact mean and covariance, see
    :func:`sgld_moments`)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be an integer >= 0, got {n!r}")
    mom = sgld_moments(theta0, mu, np.array([n]), step=step, beta=beta, batch=batch, T=T, eps=eps)
    e0 = np.asarray(theta0, dtype=float) - np.asarray(mu, dtype=float)
    return ThetaLaw(mom["mean"][0], float(mom["iso"][0]), float(mom["rank1"][0]), e0)


def gibbs_floor(d: int, beta: float, T: float, eps: float = 0.0) -> float:
    r""":math:`W_2(\pi_\beta, \delta_\mu) = \sqrt{d/(2\beta c)}`: the Gibbs measure
    :math:`\pi_\beta \propto e^{-\beta U}` of the quadratic loss is :math:`N(\mu, (2\beta c)^{-1} I_d)`
    (derived in the book).  SGLD with a vanishing step converges to :math:`\pi_\beta`."""
    d = v.positive_int("d", d)
    beta = v.positive("beta", beta)
    return float(np.sqrt(d / (2.0 * beta * loss_moments(T, eps).c)))


def sgld_stationary_variance(*, step: float, beta: float, batch: int, T: float,
                             eps: float = 0.0) -> tuple[float, float]:
    r"""Per-coordinate limit of :math:`E|\theta_n - \mu|^2/d` as :math:`n \to \infty`, split into its
    minibatch and Langevin parts (derived in the book, from :func:`sgld_moments`):

    .. math:: \frac{r}{1-q} = \underbrace{\frac{4\lambda^2 E[m^4\sigma^2]/B}{1-q}}_{\text{minibatch}}
              + \underbrace{\frac{2\lambda/\beta}{1-q}}_{\text{Langevin}},
              \qquad 1 - q = 4\lambda c - 4\lambda^2\bigl(c^2 + \mathrm{Var}(a)/B\bigr).

    As :math:`\lambda \to 0` the minibatch part is :math:`\approx \lambda E[m^4\sigma^2]/(Bc) \to 0` and the Langevin
    part tends to the Gibbs variance :math:`1/(2\beta c)`.  Raises if :math:`q \ge 1`.
    """
    step, beta, batch, T, eps = _sgld_params(step, beta, batch, T, eps)
    mom, p, q, _ = _sgld_coefficients(step, beta, batch, T, eps)
    if not (q < 1.0 and abs(p) < 1.0):
        raise ValueError(f"step={step:g} is too large: the SGLD second moment is not contracting (q={q:.4g})")
    one_minus_q = 4.0 * step * mom.c - 4.0 * step * step * (mom.c ** 2 + (mom.m4s4 - mom.c ** 2) / batch)
    minibatch = 4.0 * step * step * mom.m4s2 / batch / one_minus_q
    langevin = 2.0 * step / beta / one_minus_q
    return float(minibatch), float(langevin)
