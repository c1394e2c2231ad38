"""Chapter 7's early-stopping experiment (sgmbook.experiments.manifold_heat.early_stopping_errors)."""
import numpy as np

from sgmbook.bounds import bruno
from sgmbook.experiments.manifold_heat import UniformInterval, early_stopping_errors


def test_early_stopping_bias_below_coupling_and_split_beats_uniform():
    I = UniformInterval()
    x = np.linspace(-8.0, 8.0, 801)
    deltas = np.array([0.1, 0.01])
    uni, lost_u = early_stopping_errors(I, x, 4.0, deltas, 20)
    spl, lost_s = early_stopping_errors(I, x, 4.0, deltas, 20, t_split=0.5)
    assert max(lost_u, lost_s) < 1e-6
    bias = uni[:, 0]
    assert np.all(bias == spl[:, 0])
    coupling = [bruno.early_stopping_term(float(d), 1, 1.0 / 3.0) for d in deltas]
    assert np.all(bias <= coupling) and bias[1] < bias[0]
    assert np.all(spl[:, 1:] < uni[:, 1:])  # W2 and KL
    assert uni[1, 2] > uni[0, 2]  # the discretisation error grows as delta -> 0
