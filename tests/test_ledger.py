"""The results ledger: statements and recorded checks read back from notebooks."""
import json
from pathlib import Path

import pytest

from sgmbook import ledger

ROOT = Path(__file__).resolve().parents[1]


def _notebook(tmp_path: Path, markdown: str, records: dict[str, str]) -> Path:
    outputs = [{"output_type": "display_data", "metadata": {"scrapbook": {"name": key}},
                "data": {"text/plain": repr(text)}} for key, text in records.items()]
    nb = {"cells": [{"cell_type": "markdown", "source": markdown, "metadata": {}},
                    {"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs}]}
    path = tmp_path / "09_example.ipynb"
    path.write_text(json.dumps(nb))
    return path


MD = """# Example

:::{prf:definition} A law (from the paper)
:label: ex-def
:::

:::{prf:lemma} A bound (derived here)
:label: ex-lem
:::

:::{prf:proof}
Clear.
:::

::::{prf:remark} What the paper says (from the paper, as quoted in reviews: Theorem 1)
:label: ex-rem
:class: dropdown
::::
"""


def test_statements_are_read_with_label_kind_and_source(tmp_path):
    st = ledger.statements(_notebook(tmp_path, MD, {}))
    assert [(s.kind, s.label, s.source) for s in st] == [
        ("definition", "ex-def", "paper"), ("lemma", "ex-lem", "derived"), ("remark", "ex-rem", "reviews")]


def test_rows_join_statements_and_records(tmp_path):
    rec = ledger.entry("ex-lem", "holds", "slack 1.2x", "exact value below the bound")
    rows = ledger.rows([_notebook(tmp_path, MD, {"ledger-ex-lem": rec})])
    assert [(r.statement.label, r.verdict, r.number) for r in rows] == [
        ("ex-def", "-", "-"), ("ex-lem", "holds", "slack 1.2x"), ("ex-rem", "-", "-")]


def test_a_lemma_without_a_recorded_check_is_refused(tmp_path):
    path = _notebook(tmp_path, MD, {})
    with pytest.raises(ValueError, match="ex-lem.*no recorded check"):
        ledger.rows([path])


def test_a_definition_with_a_verdict_and_a_stray_entry_are_refused(tmp_path):
    lem = {"ledger-ex-lem": ledger.entry("ex-lem", "holds", "1", "x")}
    rec = ledger.entry("ex-def", "holds", "1", "x")
    with pytest.raises(ValueError, match="states"):
        ledger.rows([_notebook(tmp_path, MD, lem | {"ledger-ex-def": rec})])
    rec = ledger.entry("nowhere", "holds", "1", "x")
    with pytest.raises(ValueError, match="name no statement"):
        ledger.rows([_notebook(tmp_path, MD, lem | {"ledger-nowhere": rec})])
    rec = ledger.entry("ex-lem", "holds", "1", "x")
    with pytest.raises(ValueError, match="holds the entry"):
        ledger.rows([_notebook(tmp_path, MD, lem | {"ledger-ex-rem": rec})])


@pytest.mark.parametrize("kwargs, match", [
    ({"verdict": "true"}, "verdict must be one of"),
    ({"number": ""}, "number must be a non-empty string"),
    ({"check": None}, "check must be a non-empty string"),
])
def test_entry_refuses_bad_fields(kwargs, match):
    args = {"statement": "a", "verdict": "holds", "number": "1", "check": "x"} | kwargs
    with pytest.raises(ValueError, match=match):
        ledger.entry(**args)


def test_a_statement_without_label_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no :label:"):
        ledger.statements(_notebook(tmp_path, ":::{prf:lemma} X (derived here)\n:::\n", {}))


def test_short_title_drops_the_source_parenthesis_only():
    assert ledger.short_title("Closed-form loss (derived here)") == "Closed-form loss"
    assert ledger.short_title("Bound (from the paper (Theorem 2))") == "Bound"
    assert ledger.short_title("Crude bound") == "Crude bound"


def test_markdown_counts_every_row_once(tmp_path):
    rec = ledger.entry("ex-lem", "holds, loose", "slack 150x", "bound above the exact value")
    rows = ledger.rows([_notebook(tmp_path, MD, {"ledger-ex-lem": rec})])
    page = ledger.markdown([("09_example", "Example", rows)])
    for label in ("ex-def", "ex-lem", "ex-rem"):
        assert page.count(f"<{label}>`") == 1
    assert "| all | 0 | 1 | 0 | 0 | 2 | 3 |" in page


def _chapters() -> list[Path]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [ROOT / f"{e['file']}.ipynb" for part in toc["parts"] if part.get("numbered")
            for e in part["chapters"]]


@pytest.mark.parametrize("path", _chapters(), ids=lambda p: p.name)
def test_every_claim_of_the_book_has_a_recorded_check(path):
    """Each theorem, lemma, proposition and corollary records its check's verdict."""
    ledger.rows([path])
