"""Checks on the committed notebooks that nbval alone would not catch.

nbval silently skips cells without an execution count, so a notebook committed unexecuted would pass.
"""
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "book").glob("*.ipynb"))
GENERATED = {"book/execution_statistics", "book/results"}  # written by _ext/ at build time
ADDRESS = re.compile(r"at 0x[0-9a-f]{6,}|site-packages|\.venv/")


def _toc_files() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = {toc["root"]}

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                files.add(e["file"])
            walk(e.get("sections"))
            for part in e.get("chapters", []) if "chapters" in e else []:
                walk([part])

    walk(toc.get("chapters"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return files


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks under book/"


def test_every_page_is_in_the_toc_and_every_toc_entry_exists():
    files = _toc_files()
    for nb in NOTEBOOKS:
        assert f"book/{nb.stem}" in files, f"{nb.name} is not listed in _toc.yml"
    for f in files - GENERATED:
        assert (ROOT / f"{f}.ipynb").exists() or (ROOT / f"{f}.md").exists(), f"{f} in _toc.yml has no file"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed_in_order_with_clean_outputs(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "notebook has no code cells"
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), f"execution counts {counts} are not 1..n"
    n_asserts = 0
    for c in code:
        src = "".join(c["source"])
        n_asserts += len(re.findall(r"^\s*assert\b", src, flags=re.M))
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", f"stored error output in cell {c['execution_count']}"
            if o["output_type"] == "stream":
                assert o["name"] == "stdout", f"stderr output in cell {c['execution_count']}"
            data = o.get("data", {})
            assert "image/svg+xml" not in data, "figures must be PNG"
            text = "".join(o.get("text", "")) + "".join(data.get("text/plain", ""))
            assert not ADDRESS.search(text), f"machine-specific text in cell {c['execution_count']}"
            if o["output_type"] == "execute_result":
                assert not re.search(r"<(Figure size|matplotlib)", text), "end plotting cells with plt.show()"
    assert n_asserts >= 1, "a chapter must assert at least one check"


from sgmbook.sources import VOCABULARY, sources_in  # noqa: E402
DIRECTIVE = re.compile(r"^:{3,}\{prf:(\w+)\}\s*(.*)$", re.M)
SOURCES = sorted((ROOT / "book").glob("*.md")) + NOTEBOOKS


def _markdown(path: Path) -> str:
    if path.suffix == ".md":
        return path.read_text()
    nb = json.loads(path.read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_statement_names_its_source(path):
    """Each assumption, definition, theorem, lemma, ... names its source from the one vocabulary."""
    for kind, title in DIRECTIVE.findall(_markdown(path)):
        if kind == "proof":
            continue
        assert sources_in(title), (f"{kind} '{title}' names no source from the vocabulary: "
                                   + "; ".join(s.phrase for s in VOCABULARY))


def test_the_vocabulary_matches_the_longest_phrase():
    assert sources_in("X (from the paper, as quoted in reviews)") == ["reviews"]
    assert sources_in("X (from the paper)") == ["paper"]
    assert sources_in("X (derived here; after the paper's authors' code)") == ["derived", "code"]
    assert sources_in("X (a claim of ours)") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_numbered_and_captioned(path):
    nb = json.loads(path.read_text())
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            continue
        if any("image/png" in o.get("data", {}) for o in c.get("outputs", [])):
            fig = c.get("metadata", {}).get("mystnb", {}).get("figure", {})
            assert fig.get("caption") and fig.get("name"), \
                f"cell {c['execution_count']} draws a figure without mystnb figure caption and name"


def _numbered_chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [e["file"] for part in toc.get("parts", []) if part.get("numbered")
            for e in part.get("chapters", [])]


@pytest.mark.parametrize("chapter", _numbered_chapters())
def test_every_chapter_opens_with_the_overview_box(chapter):
    """The first markdown cell holds the title, then the claim, the check and the verdict."""
    nb = json.loads((ROOT / f"{chapter}.ipynb").read_text())
    first = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    src = "".join(first["source"])
    assert src.startswith("# "), f"{chapter}: the first markdown cell does not start with the title"
    assert "{admonition} Overview" in src, f"{chapter}: no overview box in the first markdown cell"
    for heading in ("**The claim.**", "**The check.**", "**The verdict.**"):
        assert heading in src, f"{chapter}: the overview box has no {heading}"
    keys = set(re.findall(r"\{glue:text\}`([\w-]+)", src))
    stored = {o.get("metadata", {}).get("scrapbook", {}).get("name")
              for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])}
    assert keys, f"{chapter}: the verdict glues no number"
    assert "{prf:ref}`" in src, f"{chapter}: the overview box links no statement"
    assert keys <= stored, f"{chapter}: glue keys {sorted(keys - stored)} are not stored in the notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_code_line_is_wider_than_88_characters(path):
    """A longer line scrolls sideways on the page."""
    nb = json.loads(path.read_text())
    long = [line for c in nb["cells"] if c["cell_type"] == "code"
            for line in "".join(c["source"]).splitlines() if len(line) > 88]
    assert not long, f"{len(long)} code lines over 88 characters, e.g. {long[0]!r}"


def _printed_lines(nb: dict) -> list[str]:
    """Lines of printed text (streams, and plain-text results shown as text) of a notebook."""
    out = []
    for c in nb["cells"]:
        for o in c.get("outputs", []) if c["cell_type"] == "code" else []:
            data = o.get("data", {})
            if o.get("metadata", {}).get("scrapbook"):
                continue  # glue: not displayed
            if o["output_type"] == "stream":
                out += "".join(o["text"]).splitlines()
            elif not ({"text/markdown", "text/html", "image/png"} & set(data)):
                out += "".join(data.get("text/plain", "")).splitlines()
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_printed_output_line_is_wider_than_88_characters(path):
    """Printed output scrolls sideways past the column too; wide results belong in typeset tables."""
    long = [line for line in _printed_lines(json.loads(path.read_text())) if len(line) > 88]
    assert not long, f"{len(long)} printed lines over 88 characters, e.g. {long[0]!r}"


# The eight chapters that existed when the package was redesigned; chapters added later (2b, 6b) are
# not counted.
THIN_CHAPTERS = ("01_setting", "02_gaussian_unknown_mean", "03_log_concave_theory",
                 "04_sharp_hessian_bounds", "05_blowup_counterexample",
                 "06_local_lipschitz_convergence", "07_manifold_singular", "08_comparison")
THIN_BUDGET = 1100


def _code_lines(path: Path) -> int:
    """Non-blank code lines that are not comments, in every code cell (folded or not)."""
    nb = json.loads(path.read_text())
    return sum(1 for c in nb["cells"] if c["cell_type"] == "code"
               for line in "".join(c["source"]).splitlines()
               if line.strip() and not line.strip().startswith("#"))


def test_the_chapters_stay_thin():
    """Numerics live in the package; the chapters hold prose, calls, figures and checks."""
    counts = {name: _code_lines(ROOT / "book" / f"{name}.ipynb") for name in THIN_CHAPTERS}
    assert sum(counts.values()) <= THIN_BUDGET, (sum(counts.values()), counts)
