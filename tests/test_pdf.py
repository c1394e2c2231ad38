"""Read back the PDF built by `make pdf` (_build/latex/sgmbook.pdf) with poppler's tools.

Skipped when the PDF has not been built; `.ci/run` builds it first, so there it runs.
Expected page count: 150 to 250 (191 pages on 2026-12-01: ten chapters and the API appendix).
Theorem-like blocks are numbered per chapter in order, as on the HTML site ("Lemma 4.2" is the second
block of the theorem counter in chapter 4), and every proof box has the heading "Proof.".
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


def _numbered_chapters() -> list[Path]:
    """The notebooks of the numbered part of ``_toc.yml``, in order: chapter k is the k-th."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [ROOT / f"{c['file']}.ipynb" for part in toc.get("parts", []) if part.get("numbered")
            for c in part["chapters"]]


PRF = re.compile(r"^[ \t]*(?:`{3,}|:{3,})\{prf:(\w+)\}[ \t]*(.*)$", re.M)


def _prf_blocks(nb: Path) -> list[tuple[str, str]]:
    """The sphinx-proof directives of a notebook's markdown cells, in reading order: (kind, title)."""
    cells = json.loads(nb.read_text())["cells"]
    return [(k, t.strip()) for c in cells if c["cell_type"] == "markdown"
            for k, t in PRF.findall("".join(c["source"]))]


def _prf_kinds(nb: Path) -> list[str]:
    return [k for k, _ in _prf_blocks(nb)]


def _expected_numbers() -> list[str]:
    """What the HTML site shows: per chapter, one counter per counter type (lemma, proposition and
    corollary share the theorem's, as ``prf_realtyp_to_countertyp`` in ``_config.yml`` says)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    shared = config["sphinx"]["config"].get("prf_realtyp_to_countertyp", {})
    out = []
    for chapter, nb in enumerate(_numbered_chapters(), start=1):
        counters: dict[str, int] = {}
        for kind in _prf_kinds(nb):
            if kind == "proof":
                continue
            counter = shared.get(kind, kind)
            counters[counter] = counters.get(counter, 0) + 1
            out.append(f"{kind.title()} {chapter}.{counters[counter]}")
    return out


KINDS = ("Theorem|Lemma|Proposition|Corollary|Definition|Assumption|Remark|Example|Axiom|Conjecture"
         "|Criterion|Property|Observation|Notation|Algorithm")
# a box title: the kind and its number at the start of a line, then ":" and the title, or nothing
HEADING = re.compile(rf"^[ \t]*((?:{KINDS}) \d+(?:\.\d+)+)(?::|\s*$)", re.M)


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


def test_every_proof_box_has_a_proof_heading():
    """sphinx-proof's untitled proof admonition gave every proof box an empty title bar in LaTeX;
    _ext/latex_fixes.py titles it "Proof." (its own line in the PDF's text, above the proof)."""
    n_proofs = sum(_prf_kinds(nb).count("proof") for nb in (ROOT / "book").glob("*.ipynb"))
    text = _text()
    headings = len(re.findall(r"^[ \t]*Proof\.[ \t]*$", text, re.M))
    inline = re.findall(r"^[ \t]*Proof\. \S.{0,40}", text, re.M)
    assert n_proofs > 0
    assert headings == n_proofs, (
        f"{headings} 'Proof.' headings in the PDF for {n_proofs} prf:proof blocks in the notebooks; "
        f"proofs with the heading in their text (an empty title bar above): {inline[:5]}")


def test_theorem_numbers_per_chapter_as_on_the_site():
    """Every theorem-like box in the PDF carries the HTML site's number: chapter.k, restarting
    with each chapter (not one count through the book, nor chapter.section.k)."""
    expected = _expected_numbers()
    found = HEADING.findall(_text())
    assert expected, "no theorem-like blocks in the notebooks"
    first_diff = next((i for i, (a, b) in enumerate(zip(found, expected)) if a != b),
                      min(len(found), len(expected)))
    assert found == expected, (
        f"{len(found)} numbered box titles in the PDF, {len(expected)} blocks in the notebooks; first "
        f"difference at block {first_diff}: PDF {found[first_diff:first_diff + 3]} vs site "
        f"{expected[first_diff:first_diff + 3]}")
    # and the built site, when there is one, shows the same numbers
    site = []
    for nb in _numbered_chapters():
        page = ROOT / "_build" / "html" / nb.relative_to(ROOT).with_suffix(".html")
        if page.exists():
            site += re.findall(rf'class="caption-number">((?:{KINDS}) [\d.]+) <', page.read_text())
    if site:
        assert site == expected, f"site numbers {site[:4]}... differ from the notebooks' {expected[:4]}..."


def test_long_box_titles_are_not_cut_off():
    """A box title longer than the line wraps inside the box (_latex/sgmbookboxes.sty); Sphinx's
    one-line title row let it run off the page, where pdftotext no longer sees its end."""
    lines = _text().splitlines()
    starts = {}
    for i, line in enumerate(lines):
        m = HEADING.match(line)
        if m:
            starts.setdefault(m.group(1), i)
    titled = [(label, title) for label, (kind, title) in zip(_expected_numbers(), (
        b for nb in _numbered_chapters() for b in _prf_blocks(nb) if b[0] != "proof")) if title]
    cut = []
    for label, title in titled:
        # the title's end, after its last formula or role, as plain letters and digits
        tail = _flat(re.sub(r"[^\x00-\x7f]", " ", re.split(r"\$|`", title)[-1]))[-12:]
        if len(tail) < 6 or label not in starts:
            continue
        shown = _flat("".join(lines[starts[label]:starts[label] + 4]))
        if tail not in shown:
            cut.append(f"{label}: ...{title[-40:]!r}")
    assert titled and not cut, f"box titles cut off in the PDF: {cut[:8]}"
