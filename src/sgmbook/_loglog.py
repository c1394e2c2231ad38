r"""The input checks shared by the log-log fits (:func:`sgmbook.experiments.local_lipschitz.loglog_slope`,
:func:`sgmbook.experiments.dimension.loglog_fit`), written once."""
from __future__ import annotations

import numpy as np

from . import _validate as v


def log_pairs(x, y, min_points: int) -> tuple[np.ndarray, np.ndarray]:
    r"""``(log x, log y)`` for paired samples: 1-D finite arrays of one shape, at least ``min_points``
    points, all values :math:`> 0`; ``ValueError`` naming the offending parameter otherwise."""
    xs = v.finite_array("x", x, ndim=1)
    ys = v.finite_array("y", y, ndim=1)
    if xs.shape != ys.shape or xs.size < min_points:
        raise ValueError(f"x and y must have the same shape, at least {min_points} points, got "
                         f"shapes {xs.shape} and {ys.shape}")
    for name, a in (("x", xs), ("y", ys)):
        if np.any(a <= 0):
            raise ValueError(f"{name} must be > 0, got a minimum {float(a.min())!r}")
    lx = np.log(xs)
    if np.ptp(lx) == 0:
        raise ValueError("x must hold at least two distinct values (a slope needs them)")
    return lx, np.log(ys)
