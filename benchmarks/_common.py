"""Timing helpers shared by the benchmark scripts (best of several repeats, wall clock)."""
from __future__ import annotations

import time
from typing import Callable

import numpy as np


def best_time(fn: Callable[[], object], repeat: int = 3, min_time: float = 0.05) -> float:
    """Best wall time of ``fn`` over ``repeat`` rounds; each round loops until ``min_time`` has passed."""
    best = np.inf
    for _ in range(repeat):
        n, start = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        best = min(best, elapsed / n)
    return float(best)


def table(header: list[str], rows: list[list[object]]) -> str:
    """A Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def fit_exponent(x, y) -> float:
    """Slope of log y against log x."""
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])
