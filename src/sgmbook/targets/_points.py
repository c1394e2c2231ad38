"""Shape handling shared by the targets: points as ``(n, dim)`` rows."""
from __future__ import annotations

import numpy as np

from .. import _validate as v


def points(x: np.ndarray, dim: int) -> tuple[np.ndarray, bool]:
    """Return ``x`` as ``(n, dim)`` and whether it came in as a flat 1-D array (only for ``dim == 1``)."""
    arr = v.finite_array("x", x, ndim=(1, 2))
    if arr.ndim == 1:
        if dim != 1:
            raise ValueError(f"x must have shape (n, {dim}), got {arr.shape}")
        return arr[:, None], True
    if arr.shape[1] != dim:
        raise ValueError(f"x must have shape (n, {dim}), got {arr.shape}")
    return arr, False
