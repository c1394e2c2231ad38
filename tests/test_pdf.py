"""Read back the PDF built by `make pdf` (_build/latex/sgmbook.pdf) with poppler's tools.

Skipped when the PDF has not been built; `.ci/run` builds it first, so there it runs.
Expected page count: 150 to 250 (191 pages on 2026-12-01: ten chapters and the API appendix).
"""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "_build" / "latex" / "sgmbook.pdf"
PAGES = (150, 250)

pytestmark = pytest.mark.skipif(not PDF.exists() or shutil.which("pdftotext") is None,
                                reason="no _build/latex/sgmbook.pdf (run `make pdf`) or no poppler-utils")


def _text() -> str:
    return subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True,
                          check=True).stdout


def _chapters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    entries = list(toc.get("chapters", []))
    for part in toc.get("parts", []):
        entries += part.get("chapters", [])
    for entry in entries:
        nb = ROOT / f"{entry['file']}.ipynb"
        if nb.exists():
            for c in json.loads(nb.read_text())["cells"]:
                m = re.search(r"^# (.+)$", "".join(c["source"]), re.M) if c["cell_type"] == "markdown" else None
                if m:
                    yield nb, m.group(1)
                    break


def _flat(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def test_every_chapter_title_is_in_the_pdf():
    text = _flat(_text())
    for nb, title in _chapters():
        words = re.sub(r"\$[^$]*\$|[^\x00-\x7f]", " ", title)  # math and unicode aside
        for piece in re.split(r"\s{2,}|[:,]", words):
            if len(piece.strip()) > 3:
                assert _flat(piece) in text, f"{nb.name}: title part {piece!r} not found in the PDF"


def test_no_unresolved_references_or_macro_residue():
    text = _text()
    assert "??" not in text, "unresolved cross-reference (??) in the PDF"
    for residue in (r"\E", r"\R", r"\mathbb", r"\frac", "prf:ref", "{numref}", "{eq}"):
        assert residue not in text, f"undefined macro or role residue {residue!r} in the PDF"


def test_page_count_in_range_and_real_title():
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert PAGES[0] <= pages <= PAGES[1], f"{pages} pages, expected {PAGES}"
    title = re.search(r"^Title:\s+(.*)$", info, re.M).group(1)
    assert "Score-based diffusion" in title


def test_at_least_one_image_per_figure():
    n_fig = 0
    for nb in (ROOT / "book").glob("*.ipynb"):
        for c in json.loads(nb.read_text())["cells"]:
            n_fig += c["cell_type"] == "code" and "figure" in c.get("metadata", {}).get("mystnb", {})
    out = subprocess.run(["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True).stdout
    n_img = len(out.strip().splitlines()) - 2
    assert n_img >= n_fig > 0, f"{n_img} images in the PDF for {n_fig} figures"
