"""Record per-notebook wall time and cell results while nbval re-executes the chapters.

Written to ``_build/notebook-stats.json``; the book's execution-statistics page is generated from it.
Under pytest-xdist the reports reach the controller, which alone writes the record (the workers write
nothing), under an exclusive lock and by an atomic rename, so neither workers nor two concurrent runs
can interleave their writes.
"""
import fcntl
import json
import os
import platform
from collections import defaultdict
from pathlib import Path

import numpy

_ROOT = Path(__file__).resolve().parents[1]
_stats: dict = defaultdict(lambda: {"seconds": 0.0, "cells": 0, "passed": 0})


def pytest_runtest_logreport(report):
    if not report.nodeid.endswith(".ipynb") and ".ipynb::" not in report.nodeid:
        return
    name = Path(report.nodeid.split("::")[0]).name
    entry = _stats[name]
    entry["seconds"] += report.duration
    if report.when == "call":
        entry["cells"] += 1
        entry["passed"] += int(report.passed)


def pytest_sessionfinish(session, exitstatus):
    if not _stats or hasattr(session.config, "workerinput"):  # an xdist worker: the controller writes
        return
    out = _ROOT / "_build" / "notebook-stats.json"
    out.parent.mkdir(exist_ok=True)
    with open(out.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        notebooks = json.loads(out.read_text()).get("notebooks", {}) if out.exists() else {}
        notebooks.update(_stats)  # a run of some chapters keeps the record of the others
        record = {"python": platform.python_version(), "numpy": numpy.__version__, "notebooks": notebooks}
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record, indent=1, sort_keys=True))
        os.replace(tmp, out)
