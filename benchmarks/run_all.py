"""Run every benchmark and write ``benchmarks/results.md`` (``make bench``)."""
from __future__ import annotations

import contextlib
import importlib
import io
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SECTIONS = [
    ("Sampler throughput", "sampler_throughput"),
    ("Exact law against Monte Carlo", "exact_vs_monte_carlo"),
    ("1-D density evolution: the sup-Hessian curve", "sup_hessian"),
    ("W2 estimators", "w2_estimators"),
    ("The book", "book_times"),
]


def main() -> None:
    parts = [f"# Benchmarks\n\nPython {platform.python_version()}, numpy {np.__version__}, "
             f"{platform.machine()}; written by `make bench`.\n"]
    for title, name in SECTIONS:
        if not (HERE / f"{name}.py").exists():
            continue
        start = time.perf_counter()
        module = importlib.import_module(name)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            body = module.main()
        body = body if isinstance(body, str) else printed.getvalue().rstrip()
        doc = (module.__doc__ or "").strip()
        parts.append(f"## {title}\n\n{doc}\n\n{body}\n\n(section ran in {time.perf_counter() - start:.0f} s)\n")
        print(f"{title}: done in {time.perf_counter() - start:.0f} s", flush=True)
    (HERE / "results.md").write_text("\n".join(parts))
    print(f"wrote {HERE / 'results.md'}")


if __name__ == "__main__":
    main()
