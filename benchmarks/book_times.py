"""Wall time of the book: each chapter's execution under nbval, ``make test`` and ``make book``.

By default it reads the records left by the last ``make test`` (``_build/notebook-stats.json``) and the
last ``.ci/run`` (``_build/ci-times.json``). With ``--clean`` it clones the repository into a temporary
folder and times ``make test`` and ``make book`` there from scratch, install included (several minutes:
outside the ``make bench`` budget).
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import table

ROOT = Path(__file__).resolve().parents[1]


def clean_run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["git", "clone", "-q", str(ROOT), tmp], check=True)
        out = {}
        for target in ("test", "book"):
            start = time.perf_counter()
            subprocess.run(["make", target], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
            out[f"make_{target}_seconds"] = time.perf_counter() - start
        return out


def main(clean: bool = False) -> str:
    lines = []
    stats = ROOT / "_build" / "notebook-stats.json"
    if stats.exists():
        rec = json.loads(stats.read_text())["notebooks"]
        rows = [[name, f"{r['seconds']:.1f}", f"{r['passed']}/{r['cells']}"] for name, r in sorted(rec.items())]
        rows.append(["all chapters", f"{sum(r['seconds'] for r in rec.values()):.1f}", ""])
        lines.append(table(["chapter", "nbval wall time (s)", "cells reproduced"], rows))
    else:
        lines.append("No record of a test run: run `make test` first.")
    times = clean_run() if clean else None
    ci = ROOT / "_build" / "ci-times.json"
    if times is None and ci.exists():
        times = json.loads(ci.read_text())
    if times:
        source = "clean clone, install included" if clean else "last .ci/run on this machine"
        lines.append("")
        lines.append(table(["command", f"wall time (s), {source}"],
                           [["make test", f"{times['make_test_seconds']:.0f}"],
                            ["make book", f"{times['make_book_seconds']:.0f}"]]))
    return "\n".join(lines)


if __name__ == "__main__":
    print(main(clean="--clean" in sys.argv))
