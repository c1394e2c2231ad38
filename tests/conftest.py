import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(20231123)


def random_spd(rng: np.random.Generator, d: int, floor: float = 0.1) -> np.ndarray:
    a = rng.standard_normal((d, d))
    return a @ a.T / d + floor * np.eye(d)
