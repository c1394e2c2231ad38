r"""Estimators and model families for the strongly log-concave theory (Bruno et al., arXiv 2311.13584).

* :func:`log_concavity_1d` -- :math:`\min_x -\partial_x^2 \log p_t(x)` on a grid, for 1-D targets;
* :func:`two_point_mixture`, :func:`quartic_target` -- non-Gaussian 1-D targets whose strong
  log-concavity constant is known exactly;
* :class:`BiasedScore` -- the exact score plus a smooth bias of known size (a deliberately imperfect
  score model), with the regularity constants of :class:`sgmbook.bounds.bruno.ScoreModelConstants`
  derived in the book (:func:`mixture_model_constants`, :func:`gaussian_model_constants`);
* :func:`coupling_ratios` -- contraction of the reverse SDE measured by synchronous coupling;
* :func:`gaussian_backward_law` -- exact law of the continuous reverse SDE with the exact score, for
  diagonal Gaussian targets and a Gaussian start;
* :func:`gaussian_auxiliary_law` -- exact law of the continuous auxiliary process for a diagonal
  Gaussian target and a constant-bias score;
* :func:`max_neg_log_hessian_1d` -- :math:`\max_x -\partial_x^2 \log p_t(x)` on a grid;
* :func:`diagonal_gaussian_scheme_law` -- exact law of a scheme for a diagonal Gaussian target and a
  constant-bias score, vectorised over steps (for very many steps);
* :func:`grid_path_expectations` -- expectations along a 1-D scheme's law, step by step on a grid.

Book time: forward OU :math:`dX = -X dt + \sqrt2 dB`; scores are callables ``s(t, x)`` at forward time ``t``.
"""
from __future__ import annotations

import copy

from typing import Callable

import numpy as np

from .. import _validate as v
from ..bounds.bruno_models import gaussian_model_constants, mixture_model_constants  # noqa: F401
from .. import laws, schedules
from .._numerics import trapezoid_weights, uniform_grid
from .. import schedules, schemes
from ..samplers import sample
from ..targets import Gaussian, mixture_log_concavity, quartic_target, two_point_mixture

__all__ = [
    "log_concavity_1d",
    "two_point_mixture",
    "mixture_log_concavity",
    "quartic_target",
    "BiasedScore",
    "bias_size_for_eps_sn",
    "mixture_model_constants",
    "gaussian_model_constants",
    "coupling_ratios",
    "gaussian_backward_law",
    "diagonal_gaussian_scheme_law",
    "grid_path_expectations",
    "gaussian_auxiliary_law",
    "max_neg_log_hessian_1d",
]


def _second_derivative(target, t: float, x: np.ndarray) -> np.ndarray:
    if getattr(target, "dim", None) != 1 or not callable(getattr(target, "hessian_logp", None)):
        raise TypeError("target must be a 1-D target with hessian_logp(t, x) (see sgmbook.targets)")
    return np.asarray(target.hessian_logp(t, x), dtype=float)


def log_concavity_1d(target, times: np.ndarray, x: np.ndarray) -> np.ndarray:
    r"""Grid estimate of the strong log-concavity of :math:`p_t`,
    :math:`\min_{x \in \text{grid}} -\partial_x^2 \log p_t(x)`, for each time in ``times``.

    ``target`` is any 1-D target of :mod:`sgmbook.targets` (its ``hessian_logp(t, x)``).  A minimum over a grid can only over-estimate the infimum over
    :math:`\mathbb R`; the grid should contain the minimiser.
    """
    v.duck("target", target, ("hessian_logp",), "a 1-D target")
    ts = v.times("times", times)
    xs = v.finite_array("x", x, ndim=1)
    out = np.array([float(np.min(-_second_derivative(target, float(t), xs))) for t in np.ravel(ts)])
    return out.reshape(ts.shape) if ts.ndim else float(out[0])


def max_neg_log_hessian_1d(target, times: np.ndarray, x: np.ndarray) -> np.ndarray | float:
    r"""Grid maximum :math:`\max_{x \in \text{grid}} -\partial_x^2 \log p_t(x)` for each time, with the
    same ``target`` types as :func:`log_concavity_1d`.  A maximum over a grid can only under-estimate the
    supremum over :math:`\mathbb R`.
    """
    v.duck("target", target, ("hessian_logp",), "a 1-D target")
    ts = v.times("times", times)
    xs = v.finite_array("x", x, ndim=1)
    out = np.array([float(np.max(-_second_derivative(target, float(t), xs))) for t in np.ravel(ts)])
    return out.reshape(ts.shape) if ts.ndim else float(out[0])


class BiasedScore:
    r"""A deliberately imperfect score model: the exact score of ``target`` plus a smooth bias of size
    :math:`\eta`,

    .. math:: s(t, x) = \nabla \log p_t(x) + \eta e^{-t} b(x), \qquad
              b(x) = \cos(x_1)\,u \ \ (\texttt{kind="cos"}) \quad\text{or}\quad b(x) = u \ \ (\texttt{kind="const"}),

    with a unit vector :math:`u` (default :math:`(1, \dots, 1)/\sqrt d`).  The bias satisfies
    :math:`|\eta e^{-t} b| \le \eta e^{-t}`, so along any process
    :math:`\varepsilon_{SN} \le \eta^2 (e^{-2\varepsilon} - e^{-2T})/2` (:meth:`eps_sn_bound`),
    with equality for ``kind="const"``.
    """

    def __init__(self, target, eta: float, kind: str = "cos", direction: np.ndarray | None = None):
        if not hasattr(target, "score"):
            raise TypeError("target must have a score(t, x) method")
        self.target = target
        self.eta = v.positive("eta", eta, allow_zero=True)
        if kind not in ("cos", "const"):
            raise ValueError(f"kind must be 'cos' or 'const', got {kind!r}")
        self.kind = kind
        d = int(target.dim)
        u = np.ones(d) if direction is None else v.finite_array("direction", direction, ndim=1)
        if u.shape != (d,) or not np.linalg.norm(u) > 0:
            raise ValueError(f"direction must be a non-zero vector of length {d}")
        self.u = u / np.linalg.norm(u)
        self.dim = d

    def bias(self, t: float, x: np.ndarray) -> np.ndarray:
        """The bias :math:`\\eta e^{-t} b(x)` at the rows of ``x`` (same shape as ``x``)."""
        xs = v.finite_array("x", x, ndim=(1, 2))
        pts = xs[:, None] if xs.ndim == 1 else xs
        scale = self.eta * np.exp(-v.positive("t", t, allow_zero=True))
        if self.kind == "cos":
            out = scale * np.cos(pts[:, :1]) * self.u[None, :]
        else:
            out = np.broadcast_to(scale * self.u, pts.shape).copy()
        return out[:, 0] if xs.ndim == 1 else out

    def __call__(self, t: float, x: np.ndarray) -> np.ndarray:
        return self.target.score(t, x) + self.bias(t, x)

    def affine(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """``(A, b)`` of the affine model for a Gaussian target with ``kind="const"``."""
        if not (isinstance(self.target, Gaussian) and self.kind == "const"):
            raise ValueError("affine needs a Gaussian target and kind='const'")
        A, b = self.target.affine_score(t)
        return A, b + self.eta * np.exp(-float(t)) * self.u

    def eps_sn_bound(self, T: float, eps: float) -> float:
        r""":math:`\eta^2 \int_\varepsilon^T e^{-2t}dt = \eta^2(e^{-2\varepsilon} - e^{-2T})/2`."""
        T = v.positive("T", T)
        eps = v.positive("eps", eps, allow_zero=True)
        return float(self.eta ** 2 * (np.exp(-2.0 * eps) - np.exp(-2.0 * T)) / 2.0)


def bias_size_for_eps_sn(T: float, eps: float, eps_sn: float) -> float:
    r"""The inverse of :meth:`BiasedScore.eps_sn_bound` in :math:`\eta`: the bias size whose
    ``kind="const"`` model has score error exactly ``eps_sn`` on :math:`[\varepsilon, T]`,

    .. math:: \eta = \Bigl(\frac{2\varepsilon_{SN}}{e^{-2\varepsilon} - e^{-2T}}\Bigr)^{1/2}

    (derived in the book, chapter "The strongly log-concave theory": the model realising the score
    error that :func:`sgmbook.bounds.bruno.prescribe` prescribes).
    """
    T, eps = v.horizon(T, eps)
    eps_sn = v.positive("eps_sn", eps_sn, allow_zero=True)
    return float(np.sqrt(2.0 * eps_sn / (np.exp(-2.0 * eps) - np.exp(-2.0 * T))))


def coupling_ratios(score: Callable, y0: np.ndarray, y1: np.ndarray, *, T: float, eps: float, n_steps: int,
                    rng: np.random.Generator, scheme: str = "em") -> np.ndarray:
    r"""Synchronous coupling of the reverse SDE: two copies started at the rows of ``y0`` and ``y1``
    and driven by the same Brownian increments (the second copy replays the stream of ``rng``, which the
    first consumes).  Returns
    :math:`|Y_k - Y'_k| / |Y_0 - Y'_0|` along the path, shape ``(n_steps + 1, n)``.
    """
    y0 = v.finite_array("y0", y0, ndim=2)
    y1 = v.finite_array("y1", y1, ndim=2)
    if y0.shape != y1.shape:
        raise ValueError(f"y0 and y1 must have the same shape, got {y0.shape} and {y1.shape}")
    d0 = np.linalg.norm(y0 - y1, axis=1)
    if np.any(d0 == 0):
        raise ValueError("y0 and y1 must differ in every row")
    schemes.get(scheme)
    schedule = schedules.uniform(T, eps, n_steps)
    rng = v.rng(rng)
    twin = copy.deepcopy(rng)

    def path(y: np.ndarray, gen: np.random.Generator) -> np.ndarray:
        out: list[np.ndarray] = []
        sample(score, y, schedule, scheme=scheme, rng=gen, callback=lambda k, yk: out.append(yk.copy()))
        return np.stack(out)

    return np.linalg.norm(path(y0, rng) - path(y1, twin), axis=2) / d0[None, :]


def gaussian_backward_law(mean: np.ndarray, cov: np.ndarray, *, T: float, eps: float,
                          start_mean: np.ndarray, start_var: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact law at forward time ``eps`` of the continuous reverse SDE with the exact score of
    :math:`N(\mu, \mathrm{diag}(c))`, started at :math:`N(m_0, \mathrm{diag}(s_0))` at forward time ``T``
    (derived in the book).

    The drift is affine, so two copies with the same noise differ by
    :math:`\Phi_i = e^{T-\varepsilon}(e^{2\varepsilon} + c_i - 1)/(e^{2T} + c_i - 1)` times their initial
    difference; comparing with the copy started at :math:`p_T` (whose law at ``eps`` is :math:`p_\varepsilon`)
    gives mean :math:`e^{-\varepsilon}\mu + \Phi(m_0 - e^{-T}\mu)` and variance
    :math:`v_\varepsilon + \Phi^2(s_0 - v_T)`, with :math:`v_t = 1 + e^{-2t}(c - 1)`.
    """
    mu = v.finite_array("mean", mean, ndim=1)
    c = v.spd_matrix("cov", cov, dim=mu.shape[0])
    if c.ndim != 1:
        raise ValueError("cov must be a (d,) diagonal")
    T = v.positive("T", T)
    eps = v.positive("eps", eps, allow_zero=True)
    if eps >= T:
        raise ValueError(f"eps must be in [0, T), got {eps:g}")
    m0 = np.broadcast_to(v.finite_array("start_mean", start_mean, ndim=(0, 1)), mu.shape)
    s0 = np.broadcast_to(v.finite_array("start_var", start_var, ndim=(0, 1)), mu.shape)
    if np.any(s0 < 0):
        raise ValueError("start_var must be >= 0")
    # Phi = exp((T - eps) + log(e^{2 eps} + c - 1) - log(e^{2T} + c - 1)), in a form stable for large T
    phi = np.exp(-(T - eps) + np.log1p((c - 1.0) * np.exp(-2.0 * eps)) - np.log1p((c - 1.0) * np.exp(-2.0 * T)))

    def var(t: float) -> np.ndarray:
        return 1.0 + np.exp(-2.0 * t) * (c - 1.0)

    mean_out = np.exp(-eps) * mu + phi * (m0 - np.exp(-T) * mu)
    var_out = var(eps) + phi ** 2 * (s0 - var(T))
    return mean_out, var_out


def diagonal_gaussian_scheme_law(model: BiasedScore, *, T: float, eps: float, n_steps: int,
                                 scheme: str) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact law of Euler-Maruyama / exponential-integrator output for a diagonal Gaussian target and a
    ``kind="const"`` :class:`BiasedScore`, started at :math:`N(0, I)`.

    Same recursion as :func:`sgmbook.laws.gaussian`
    (:math:`m_{k+1} = M_k m_k + c_k b_k`, :math:`S_{k+1} = M_k^2 S_k + v_k`), but vectorised over the
    steps with suffix products :math:`\prod_{j>k} M_j` (in log form), so that :math:`10^6` steps cost
    milliseconds.  Needs every :math:`M_k > 0` (true for the small steps it is meant for).
    """
    if not (isinstance(model, BiasedScore) and isinstance(model.target, Gaussian) and model.kind == "const"):
        raise TypeError("model must be a BiasedScore of kind 'const' on a Gaussian target")
    g = model.target
    if not g.diagonal:
        raise ValueError("model.target must have a diagonal covariance")
    sched = schedules.uniform(T, eps, n_steps)
    t = sched.t
    a, c, var = schemes.coefficients(scheme, sched.h)
    m_t = np.exp(-t)[:, None]
    v_t = 1.0 + (m_t ** 2) * (g.cov[None, :] - 1.0)
    A = -1.0 / v_t
    b = m_t * g.mean[None, :] / v_t + model.eta * m_t * model.u[None, :]
    M = a[:, None] + c[:, None] * A
    if np.any(M <= 0):
        raise ValueError("some step has a non-positive factor M_k: take more steps (n_steps) or a shorter T")
    logM = np.log(M)
    # suffix sums R_k = sum_{j > k} log M_j
    csum = np.cumsum(logM[::-1], axis=0)[::-1]
    R = np.vstack([csum[1:], np.zeros((1, g.dim))])
    total = csum[0]
    mean = np.sum(np.exp(R) * c[:, None] * b, axis=0)  # m_0 = 0
    cov = np.exp(2.0 * total) * 1.0 + np.sum(np.exp(2.0 * R) * var[:, None], axis=0)
    return mean, cov


def grid_path_expectations(score: Callable, f: Callable[[float, np.ndarray], np.ndarray], x: np.ndarray,
                           density0: np.ndarray, *, T: float, eps: float, n_steps: int,
                           scheme: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Run a 1-D scheme's law on the grid ``x`` (:func:`sgmbook.laws.grid_1d` with a callback) and
    record :math:`E f(t_k, Y_k)` before each step.

    Returns ``(times t_k, expectations, final density)``; the left Riemann sum
    :math:`\sum_k h_k E f(t_k, Y_k)` approximates :math:`\int_\varepsilon^T E f(t, \tilde Y_{T-t})\,dt`.
    """
    xs, h = uniform_grid("x", x)
    sched = schedules.uniform(T, eps, n_steps)
    wq = trapezoid_weights(xs.size, h)
    out = np.empty(sched.n_steps)

    v.callable_("f", f)

    def record(k: int, rho: np.ndarray) -> None:
        if k < sched.n_steps:
            tk = float(sched.t[k])
            fk = v.callable_output("f", f, f(tk, xs), tk, xs.shape, allow_scalar=True)
            out[k] = float((fk * rho) @ wq)

    rho, _ = laws.grid_1d(score, xs, density0, sched, scheme=scheme, callback=record)
    return np.asarray(sched.t).copy(), out, rho


def gaussian_auxiliary_law(model: BiasedScore, *, T: float, eps: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact law at forward time ``eps`` of the continuous auxiliary process
    :math:`d\tilde Y_s = (\tilde Y_s + 2 s(T-s, \tilde Y_s))ds + \sqrt2\,d\bar B_s`,
    :math:`\tilde Y_0 \sim N(0, I)`, for a ``kind="const"`` :class:`BiasedScore` on
    :math:`N(\mu, \mathrm{diag}(c))` (derived in the book).

    The bias :math:`\eta e^{-t}u` enters the linear SDE additively, so the law is that of
    :func:`gaussian_backward_law` (exact score, same start) with the mean shifted by
    :math:`2\eta u_i\int_\varepsilon^T \Phi_i(t)e^{-t}dt`, where :math:`\Phi_i(t) = e^{-(t-\varepsilon)}v_i(\varepsilon)/v_i(t)`,
    :math:`v_i(t) = 1 + (c_i - 1)e^{-2t}`.  With :math:`w = e^{-2t}` the integral is
    :math:`\int e^{-2t}/v_i(t)\,dt = \frac{1}{2(c_i-1)}\log\frac{v_i(\varepsilon)}{v_i(T)}`, so the shift is

    .. math:: \eta\,u_i\,e^{\varepsilon} v_i(\varepsilon)\,
              \frac{\log(1 + (c_i-1)e^{-2\varepsilon}) - \log(1 + (c_i-1)e^{-2T})}{c_i - 1}

    (the quotient tends to :math:`e^{-2\varepsilon} - e^{-2T}` as :math:`c_i \to 1`; for :math:`c = 1` the
    shift is :math:`\eta u (e^{-\varepsilon} - e^{\varepsilon - 2T})`).  The variance is not changed.
    """
    if not (isinstance(model, BiasedScore) and isinstance(model.target, Gaussian) and model.kind == "const"):
        raise TypeError("model must be a BiasedScore of kind 'const' on a Gaussian target")
    g = model.target
    if not g.diagonal:
        raise ValueError("model.target must have a diagonal covariance")
    mu, c = np.asarray(g.mean, dtype=float), np.asarray(g.cov, dtype=float)
    mean0, var = gaussian_backward_law(mu, c, T=T, eps=eps, start_mean=np.zeros_like(mu),
                                       start_var=np.ones_like(mu))
    delta = c - 1.0
    w1, w2 = np.exp(-2.0 * float(T)), np.exp(-2.0 * float(eps))
    small = np.abs(delta) < 1e-6
    safe = np.where(small, 1.0, delta)
    quotient = np.where(small,
                        (w2 - w1) - delta * (w2 ** 2 - w1 ** 2) / 2.0 + delta ** 2 * (w2 ** 3 - w1 ** 3) / 3.0,
                        (np.log1p(safe * w2) - np.log1p(safe * w1)) / safe)
    shift = model.eta * model.u * np.exp(float(eps)) * (1.0 + delta * w2) * quotient
    return mean0 + shift, var
