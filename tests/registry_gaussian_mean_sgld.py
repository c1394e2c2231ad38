"""Input-registry entries of sgmbook.experiments.gaussian_mean_sgld (read by tests/input_registry.py)."""
import numpy as np

from input_registry import E, RNG
from sgmbook.experiments import gaussian_mean_sgld as gs

_M = "sgmbook.experiments.gaussian_mean_sgld."
MU = np.array([0.5, -0.2])
SG = dict(step=0.05, beta=1e4, batch=8, T=2.0)

ENTRIES = [
    E(_M + "dsm_loss_mc", gs.dsm_loss_mc,
      dict(thetas=np.array([[0.0, 0.0], [0.5, 0.1]]), mu=MU, T=2.0, n_mc=200, rng=RNG)),
    E(_M + "loss_gradient_mc", gs.loss_gradient_mc,
      dict(theta=np.array([0.1, 0.2]), mu=MU, T=2.0, n_mc=200, rng=RNG)),
    E(_M + "gibbs_limit", gs.gibbs_limit,
      dict(steps=np.array([0.05, 1e-3]), mu=MU, beta=1e4, batch=8, T=2.0, far_n=1000)),
    E(_M + "sgld_chain_check", gs.sgld_chain_check,
      dict(theta0=np.zeros(2), mu=MU, record=np.array([2, 5]), **SG, chains=4, rng=RNG)),
    E(_M + "sgld_mse_curves", gs.sgld_mse_curves,
      dict(theta0=np.zeros(2), mu=MU, n=np.array([0, 10, 100]), **SG)),
    E(_M + "smallest_bound_ratio", gs.smallest_bound_ratio,
      dict(theta0=np.zeros(2), mu=MU, **SG, n_max=1000)),
    E(_M + "authors_sgld_run", gs.authors_sgld_run,
      dict(mu=MU, step=1e-3, beta=1e6, batch=8, T=2.0, epochs=5, batches=10, epoch=2)),
    E(_M + "stationary_terms", gs.stationary_terms, dict(**SG)),
]
CONTAINERS = {_M + "MonteCarloCheck", _M + "GibbsLimit", _M + "ChainCheck", _M + "MseCurves",
              _M + "AuthorsSGLDRun", _M + "StationaryTerms"}
