import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(20231123)


def random_spd(rng: np.random.Generator, d: int, floor: float = 0.1) -> np.ndarray:
    a = rng.standard_normal((d, d))
    return a @ a.T / d + floor * np.eye(d)


# Hypothesis profiles of tests/test_inputs.py: "inputs-short" by default (the whole module in well under a
# minute on 2 cores), "inputs-long" on demand: SGMBOOK_INPUTS_PROFILE=inputs-long pytest tests/test_inputs.py
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("inputs-short", max_examples=4, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("inputs-long", max_examples=60, deadline=None,
                          suppress_health_check=list(HealthCheck))
