"""Write the book's execution-statistics page from the last test run.

``book/conftest.py`` records, while nbval re-executes the chapters, the wall time of every notebook and
how many of its cells passed; this extension turns that record (``_build/notebook-stats.json``) and the
number of ``assert`` statements in each chapter into ``book/execution_statistics.md`` before Sphinx reads
the sources. The page is generated, not committed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.application import Sphinx

PAGE = Path("book") / "execution_statistics.md"
RECORD = Path("_build") / "notebook-stats.json"


def count_asserts(notebook: Path) -> int:
    nb = json.loads(notebook.read_text())
    return sum(len(re.findall(r"^\s*assert\b", "".join(c["source"]), flags=re.M))
               for c in nb["cells"] if c["cell_type"] == "code")


def title(notebook: Path) -> str:
    nb = json.loads(notebook.read_text())
    for c in nb["cells"]:
        if c["cell_type"] == "markdown":
            for line in "".join(c["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return notebook.stem


def toc_notebooks(root: Path) -> list[Path]:
    """The notebooks listed in ``_toc.yml``, in book order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files: list[str] = []

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections"))

    walk(toc.get("chapters"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return [root / f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").exists()]


def render(root: Path) -> str:
    record = {}
    if (root / RECORD).exists():
        record = json.loads((root / RECORD).read_text())
    notebooks = record.get("notebooks", {})
    lines = [
        "# Execution statistics",
        "",
        "Every chapter is re-executed by `make test` (nbval, strict mode), which compares each stored output",
        "with a fresh run. This page is written from the record of the last such run on the machine that",
        "built the book.",
        "",
    ]
    rows, missing = [], []
    total_time, total_asserts = 0.0, 0
    for nb in toc_notebooks(root):
        rec = notebooks.get(nb.name)
        if rec is None:
            missing.append(f"[{title(nb)}]({nb.stem}.ipynb)")
            continue
        n_assert = count_asserts(nb)
        total_asserts += n_assert
        total_time += rec["seconds"]
        rows.append(f"| [{title(nb)}]({nb.stem}.ipynb) | {rec['seconds']:.1f} | {n_assert} | "
                    f"{rec['passed']}/{rec['cells']} cells reproduced |")
    if not rows:
        lines += ["No test run is recorded in this build. Run `make test` (it re-executes every chapter",
                  "and records the run times), then `make book`, and this page lists each chapter's run",
                  "time and checks.", ""]
        return "\n".join(lines)
    lines += [f"Last test run: Python {record.get('python', '')}, numpy {record.get('numpy', '')}; "
              f"{len(rows)} notebooks, {total_time:.1f} s of execution in all.", ""]
    lines += ["| chapter | run time (s) | asserted checks | nbval |", "|---|---|---|---|", *rows, ""]
    if missing:
        lines += ["Not in the recorded run (run `make test` to include them): " + ", ".join(missing)
                  + ".", ""]
    lines += [f"These chapters hold {total_asserts} "
              "`assert` statements; each compares two computed quantities (an inequality or an "
              "agreement within a printed tolerance).", ""]
    return "\n".join(lines)


def page_writer(page: Path, render_page):
    """A ``config-inited`` handler that writes ``render_page(srcdir)`` to ``srcdir / page`` when the text
    changed (an unchanged page keeps its time stamp, so Sphinx does not re-read it)."""

    def write(app: Sphinx, config) -> None:
        path = Path(app.srcdir) / page
        text = render_page(Path(app.srcdir))
        if not path.exists() or path.read_text() != text:
            path.write_text(text)

    return write


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", page_writer(PAGE, render))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
