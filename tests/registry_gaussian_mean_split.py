"""Input-registry entries of sgmbook.experiments.gaussian_mean_split (read by tests/input_registry.py)."""
import numpy as np

from input_registry import E
from sgmbook.experiments import gaussian_mean_split as gsp

_M = "sgmbook.experiments.gaussian_mean_split."
MU = np.array([0.5, -0.2])
_PTS = gsp.point_split(np.array([[0.4, -0.1]]), np.array([10]), MU, np.array([0.1]), T=2.0, eps=0.0)

ENTRIES = [
    E(_M + "mixture_bracket_1d", gsp.mixture_bracket_1d,
      dict(x=np.linspace(-8.0, 8.0, 801), mu=0.8, gauss_mean=0.5, gauss_var=0.3,
           atoms=np.array([-0.2, 1.2]), T=2.0, n_steps=10, schemes=("em", "ei"))),
    E(_M + "point_split", gsp.point_split,
      dict(thetas=np.array([[0.4, -0.1], [0.6, -0.3]]), sgld_steps=np.array([10, 20]), mu=MU,
           gammas=np.array([0.1, 0.05]), T=2.0, eps=0.01, scheme="em")),
    E(_M + "split_grid", gsp.split_grid,
      dict(mu=MU, gammas=np.array([0.1]), horizons=np.array([2.0, 3.0]),
           sgld_steps=np.array([10, 100]), step=0.05, beta=1e4, batch=8, eps=0.01,
           schemes=("em", "ei"))),
    E(_M + "concat", gsp.concat, dict(tables=[_PTS, _PTS])),
]
CONTAINERS = {_M + "MixtureBracket", _M + "SplitTable"}
