"""Tables printed by the chapters' cells (``book.table``: Markdown) are typeset, not shown as raw text.

Reads the built HTML (``_build/html``), run by ``make check-site`` after ``make book``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html" / "book"
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


def _markdown_tables(nb: Path) -> int:
    cells = json.loads(nb.read_text())["cells"]
    return sum("".join(o["data"]["text/markdown"]).lstrip().startswith("|")
               for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])
               if "text/markdown" in o.get("data", {}))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_printed_tables_are_typeset(nb):
    page = HTML / f"{nb.stem}.html"
    if not page.exists():
        pytest.fail("no built book: run `make book` first")
    html = page.read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    assert not re.search(r"\|\s*(---|—|–)+\s*\|", text), f"{nb.name}: a Markdown table shown as raw text"
    printed = _markdown_tables(nb)
    soup = BeautifulSoup(html, "html.parser")  # a cell may print several tables
    in_outputs = sum(len(out.find_all("table")) for out in soup.select("div.cell_output"))
    assert in_outputs >= printed, f"{nb.name}: {printed} tables printed, {in_outputs} typeset in outputs"
