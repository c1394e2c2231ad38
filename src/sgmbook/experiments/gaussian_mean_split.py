r"""The error split of the chapter "Gaussian with unknown mean" (Bruno et al., arXiv 2311.13584,
Section 3.1), computed exactly: the bracket on :math:`W_2` for a random parameter against quadrature in
dimension one, the four terms for fixed SGLD parameters, and the grid of random SGLD parameters with
the book's full :math:`W_2` bound.

Terms and bracket: :func:`sgmbook.experiments.gaussian_mean.error_split`; bound:
:func:`sgmbook.bounds.bruno_gaussian.w2_bound` with :func:`~sgmbook.bounds.bruno_gaussian.sgld_mse_bound`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import _validate as v
from .. import metrics
from .. import training as tr
from ..bounds import bruno_gaussian as bg
from . import gaussian_mean as gm

__all__ = ["MixtureBracket", "mixture_bracket_1d", "SplitTable", "point_split", "split_grid",
           "concat"]

_FIELDS = ("early", "init", "opt", "disc", "total_sum", "upper", "lower")


class MixtureBracket(NamedTuple):
    """Per scheme ``(S,)``: the exact :math:`W_2` by quadrature and the two ends of the bracket, for a
    Gaussian parameter (``gauss_*``) and a two-point parameter (``two_*``)."""

    gauss_w2: np.ndarray
    gauss_lower: np.ndarray
    gauss_upper: np.ndarray
    two_w2: np.ndarray
    two_lower: np.ndarray
    two_upper: np.ndarray


def mixture_bracket_1d(x: np.ndarray, mu: float, *, gauss_mean: float, gauss_var: float,
                       atoms: np.ndarray, T: float, n_steps: int,
                       schemes: tuple[str, ...] = ("em", "ei")) -> MixtureBracket:
    r"""In dimension one, the exact :math:`W_2(\mathcal L(Y_K), N(\mu, 1))` by quadrature on the grid ``x``
    (:func:`sgmbook.metrics.w2_1d_density` of :func:`~sgmbook.experiments.gaussian_mean.output_density_1d`)
    against the bracket of :func:`~sgmbook.experiments.gaussian_mean.error_split`, for
    :math:`\hat\theta \sim N(` ``gauss_mean``, ``gauss_var`` :math:`)` (the lower end is then exact, derived
    in the book) and for :math:`\hat\theta` uniform on the two ``atoms`` (same mean and variance taken from
    them)."""
    xs = v.grid("x", x, min_points=3)
    mu = v.real("mu", mu)
    gm_ = v.real("gauss_mean", gauss_mean)
    gv = v.positive("gauss_var", gauss_var)
    atoms = v.finite_array("atoms", atoms, ndim=1)
    if atoms.shape != (2,):
        raise ValueError(f"atoms must hold two points, got shape {atoms.shape}")
    if not isinstance(schemes, tuple) or not schemes:
        raise TypeError(f"schemes must be a non-empty tuple of scheme names, got {schemes!r}")
    q = np.exp(-0.5 * (xs - mu) ** 2)
    two_law = tr.ThetaLaw(np.array([atoms.mean()]), float(atoms.var()), 0.0, np.zeros(1))
    gauss_law = tr.ThetaLaw(np.array([gm_]), gv, 0.0, np.zeros(1))
    out = []
    for scheme in schemes:
        v.scheme(scheme)
        kw = dict(T=T, n_steps=n_steps, scheme=scheme)
        p_g = gm.output_density_1d(xs, np.array([gm_]), np.array([1.0]), atom_vars=np.array([gv]), **kw)
        p_2 = gm.output_density_1d(xs, atoms, np.array([0.5, 0.5]), **kw)
        es_g = gm.error_split(gauss_law, np.array([mu]), **kw)
        es_2 = gm.error_split(two_law, np.array([mu]), **kw)
        out.append((metrics.w2_1d_density(xs, p_g, xs, q), es_g.lower, es_g.upper,
                    metrics.w2_1d_density(xs, p_2, xs, q), es_2.lower, es_2.upper))
    return MixtureBracket(*(np.array(c, dtype=float) for c in zip(*out)))


class SplitTable(NamedTuple):
    """The cases (dimension ``d``, SGLD iteration ``n``, step ``gamma``, horizon ``T``, ``(C,)``) and,
    per scheme and case
    ``(S, C)``, the fields of :class:`~sgmbook.experiments.gaussian_mean.ErrorSplit`, then ``exact``
    (the exact :math:`W_2` for a fixed parameter, :func:`point_split`) or ``bound`` (the full bound,
    :func:`split_grid`)."""

    d: np.ndarray
    n: np.ndarray
    gamma: np.ndarray
    T: np.ndarray
    early: np.ndarray
    init: np.ndarray
    opt: np.ndarray
    disc: np.ndarray
    total_sum: np.ndarray
    upper: np.ndarray
    lower: np.ndarray
    extra: np.ndarray

    @property
    def case_labels(self) -> list[str]:
        """One label per case, ``"gamma\\nT\\nn"`` (step, horizon, SGLD iteration on three lines)."""
        return [f"{g:g}\n{T:g}\n{n}" for g, T, n in zip(self.gamma, self.T, self.n)]

    def bracket_width(self, n: int) -> float:
        """The largest relative width ``upper / lower - 1`` of the bracket over the schemes and the
        cases at the SGLD iteration ``n``."""
        sel = self.n == v.int_array("n", n, minimum=0)
        if not np.any(sel):
            raise ValueError(f"n must be one of the SGLD iterations {np.unique(self.n)}, got {n!r}")
        return float(np.max((self.upper / self.lower - 1)[:, sel]))

    def shares(self, scheme: int = 0) -> np.ndarray:
        """The four terms (early, init, opt, disc) of scheme number ``scheme`` as fractions of their
        sum, ``(4, C)``."""
        k = v.int_array("scheme", scheme, minimum=0)
        if k.ndim != 0 or int(k) >= self.upper.shape[0]:
            raise ValueError(f"scheme must be an index in [0, {self.upper.shape[0]}), got {scheme!r}")
        k = int(k)
        terms = np.array([self.early[k], self.init[k], self.opt[k], self.disc[k]])
        return terms / self.total_sum[k]


def _table(d, cases, splits, extra, schemes):
    shape = (len(schemes), len(cases))
    cols = [np.array([getattr(es, f) for es in splits]).reshape(shape) for f in _FIELDS]
    n, g, T = (np.array(c) for c in zip(*cases))
    return SplitTable(np.full(n.shape, d), n, g.astype(float), T.astype(float), *cols,
                      np.array(extra).reshape(shape))


def concat(tables: list[SplitTable]) -> SplitTable:
    """The :class:`SplitTable` of all the cases of ``tables`` (same schemes), in order: every field
    joined along its last (case) axis."""
    if not isinstance(tables, (list, tuple)) or not tables \
            or not all(isinstance(t, SplitTable) for t in tables):
        raise TypeError(f"tables must be a non-empty list of SplitTable, got {tables!r:.60}")
    if len({t.upper.shape[0] for t in tables}) != 1:
        raise ValueError("tables must hold the same number of schemes")
    return SplitTable(*(np.concatenate(cols, axis=-1) for cols in zip(*tables)))


def _steps(gamma, T, eps):
    return max(int(round((T - eps) / gamma)), 1)


def point_split(thetas: np.ndarray, sgld_steps: np.ndarray, mu: np.ndarray, gammas: np.ndarray, *,
                T: float, eps: float, scheme: str = "em") -> SplitTable:
    r"""The four terms of :func:`~sgmbook.experiments.gaussian_mean.error_split` and the exact
    :math:`W_2` (:func:`~sgmbook.experiments.gaussian_mean.w2_output`) for each fixed parameter (row of
    ``thetas``, labelled by its SGLD iteration in ``sgld_steps``) and each step size in ``gammas``,
    :math:`K = \mathrm{round}((T - \varepsilon)/\gamma)`; cases ordered by parameter, then step size."""
    thetas = v.finite_array("thetas", thetas, ndim=2)
    sgld_steps = v.int_array("sgld_steps", sgld_steps, minimum=0)
    if sgld_steps.shape != (thetas.shape[0],):
        raise ValueError(f"sgld_steps must hold one label per row of thetas ({thetas.shape[0]}), "
                         f"got shape {sgld_steps.shape}")
    gammas = v.finite_array("gammas", gammas, ndim=1)
    if np.any(gammas <= 0):
        raise ValueError(f"gammas must be > 0, got {gammas!r}")
    T, eps = v.horizon(T, eps)
    scheme = v.scheme(scheme)
    cases, splits, extra = [], [], []
    for theta, n in zip(thetas, sgld_steps):
        for gam in gammas:
            K = _steps(gam, T, eps)
            splits.append(gm.error_split(theta, mu, T=T, n_steps=K, scheme=scheme, eps=eps))
            extra.append(gm.w2_output(theta, mu, T=T, n_steps=K, scheme=scheme, eps=eps))
            cases.append((int(n), gam, T))
    return _table(thetas.shape[1], cases, splits, extra, (scheme,))


def split_grid(mu: np.ndarray, gammas: np.ndarray, horizons: np.ndarray, sgld_steps: np.ndarray, *,
               step: float, beta: float, batch: int, eps: float,
               schemes: tuple[str, ...] = ("em", "ei")) -> SplitTable:
    r"""The error split for the random SGLD parameter :math:`\hat\theta = \theta_n` from
    :math:`\theta_0 = 0` (exact law :func:`sgmbook.training.sgld_law`) and the full bound
    :func:`sgmbook.bounds.bruno_gaussian.w2_bound` fed with the SGLD bound
    :func:`~sgmbook.bounds.bruno_gaussian.sgld_mse_bound` (theorem derived in the book), on the grid
    ``gammas`` x ``horizons`` x ``sgld_steps`` (in that nesting order), per scheme."""
    mu = v.finite_array("mu", mu, ndim=1)
    gammas = v.finite_array("gammas", gammas, ndim=1)
    Ts = v.finite_array("horizons", horizons, ndim=1)
    ns = v.int_array("sgld_steps", sgld_steps, minimum=0)
    if np.any(gammas <= 0):
        raise ValueError(f"gammas must be > 0, got {gammas!r}")
    if ns.ndim != 1 or ns.size == 0:
        raise ValueError(f"sgld_steps must be a non-empty 1-D array, got {ns!r}")
    for T in Ts:
        v.horizon(float(T), eps)
    if not isinstance(schemes, tuple) or not schemes:
        raise TypeError(f"schemes must be a non-empty tuple of scheme names, got {schemes!r}")
    d, nmu = mu.shape[0], float(np.linalg.norm(mu))
    sg = dict(step=step, beta=beta, batch=batch)
    cases = [(int(n), float(g), float(T)) for g in gammas for T in Ts for n in ns]
    splits, bounds = [], []
    for scheme in schemes:
        v.scheme(scheme)
        for n, gam, T in cases:
            K = _steps(gam, T, eps)
            law = tr.sgld_law(np.zeros(d), mu, n, **sg, T=T)
            splits.append(gm.error_split(law, mu, T=T, n_steps=K, scheme=scheme, eps=eps))
            mse_b = bg.sgld_mse_bound(np.zeros(d), mu, n, **sg, T=T)
            bounds.append(bg.w2_bound(nmu, d, mse_b, gamma=(T - eps) / K, T=T, scheme=scheme, eps=eps))
    return _table(d, cases, splits, bounds, schemes)
