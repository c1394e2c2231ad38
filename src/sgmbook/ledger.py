"""The results ledger: one row per labelled statement of the book, read from the executed chapters.

A statement is a sphinx-proof block (theorem, lemma, proposition, corollary, definition, assumption,
remark, example, ...) with a ``:label:``; its source is named in its title from the one vocabulary of
:mod:`sgmbook.sources`. The check that follows a statement records its outcome with
:func:`sgmbook.book.record`, which glues a small JSON entry under the key ``ledger-<label>``. This module
reads both back from the committed notebooks (the Markdown of the block headers and the stored glue
outputs; never the prose) and joins them into :class:`Row` s. The book's "results at a glance" page is
written from them at build time, and the tests check that every statement that needs a verdict has one.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Iterable, NamedTuple

from .sources import primary_source

__all__ = ["VERDICTS", "NEEDS_VERDICT", "NO_VERDICT", "KEY_PREFIX", "Statement", "Row", "entry",
           "statements", "records", "rows"]

KEY_PREFIX = "ledger-"

VERDICTS: dict[str, str] = {
    "holds": "the inequality (or identity) is asserted on the cases shown, and a tight case or a "
             "sensitivity test shows that the check can fail",
    "holds, loose": "asserted on the cases shown, but loose by design: the slack (the key number) is too "
                    "large for the check to catch a wrong constant",
    "attained": "asserted with equality to the stated tolerance on at least one case",
    "illustrated": "shown on examples; the cell measures a behaviour, it does not test the statement",
}

#: block kinds whose check must record a verdict
NEEDS_VERDICT = frozenset({"theorem", "lemma", "proposition", "corollary"})
#: block kinds that state, not claim: their verdict is "-"
NO_VERDICT = frozenset({"definition", "assumption"})

_BLOCK = re.compile(r"^(:{3,})\{prf:(\w+)\}[ \t]*(.*)\n((?:[ \t]*:\w+:.*\n)*)", re.M)


class Statement(NamedTuple):
    chapter: str  # notebook stem, e.g. "03_log_concave_theory"
    kind: str  # theorem, lemma, ...
    label: str
    title: str  # the full title, with its source
    source: str  # a key of sgmbook.sources.VOCABULARY


class Row(NamedTuple):
    statement: Statement
    verdict: str  # a key of VERDICTS, or "-"
    number: str  # the key number, as the chapter formatted it ("-" when no verdict)
    check: str  # what the book checks ("-" when no verdict)


def entry(statement: str, verdict: str, number: str, check: str) -> str:
    """The JSON text of one ledger entry; ``ValueError`` on a verdict outside :data:`VERDICTS` or an
    empty field."""
    for name, value in (("statement", statement), ("number", number), ("check", check)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {sorted(VERDICTS)}, got {verdict!r}")
    return json.dumps({"statement": statement, "verdict": verdict, "number": number, "check": check},
                      sort_keys=True)


def _cells(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text())["cells"]


def short_title(title: str) -> str:
    """The title without its trailing source parenthesis: ``"Closed-form loss (derived here)"`` ->
    ``"Closed-form loss"``."""
    depth, start = 0, None
    t = title.rstrip()
    if not t.endswith(")"):
        return t
    for i in range(len(t) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(t[i], 0)
        if depth == 0:
            start = i
            break
    return t[:start].rstrip() if start else t


def statements(path: Path) -> list[Statement]:
    """Every labelled statement of one notebook, in order (proofs are not statements)."""
    out = []
    md = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown") + "\n"
    for m in _BLOCK.finditer(md):
        kind, title, options = m.group(2), m.group(3).strip(), m.group(4)
        if kind == "proof":
            continue
        label = re.search(r":label:\s*(\S+)", options)
        if label is None:
            raise ValueError(f"{Path(path).name}: the {kind} {title!r} has no :label:")
        out.append(Statement(Path(path).stem, kind, label.group(1), title, primary_source(title)))
    return out


def records(path: Path) -> dict[str, dict]:
    """The ledger entries glued in one notebook's stored outputs, by statement label."""
    out: dict[str, dict] = {}
    for c in _cells(path):
        for o in c.get("outputs", []) if c["cell_type"] == "code" else []:
            name = o.get("metadata", {}).get("scrapbook", {}).get("name", "")
            if not name.startswith(KEY_PREFIX):
                continue
            data, prefix = o.get("data", {}), o["metadata"]["scrapbook"].get("mime_prefix", "")
            text = "".join(data.get("text/plain", data.get(prefix + "text/plain", "")))
            rec = json.loads(ast.literal_eval(text))
            if name != KEY_PREFIX + rec["statement"]:
                raise ValueError(f"{Path(path).name}: glue key {name!r} holds the entry of "
                                 f"{rec['statement']!r}")
            if name[len(KEY_PREFIX):] in out:
                raise ValueError(f"{Path(path).name}: two ledger entries for {rec['statement']!r}")
            out[rec["statement"]] = rec
    return out


def rows(paths: Iterable[Path]) -> list[Row]:
    """Join the statements and the recorded checks of the given notebooks, in order.

    ``ValueError`` when an entry names no statement of its notebook, when a theorem, lemma, proposition
    or corollary has no entry, or when a definition or assumption has one.
    """
    out = []
    for path in paths:
        stmts, recs = statements(path), records(path)
        labels = {s.label for s in stmts}
        stray = sorted(set(recs) - labels)
        if stray:
            raise ValueError(f"{Path(path).name}: ledger entries {stray} name no statement of the chapter")
        for s in stmts:
            rec = recs.get(s.label)
            if rec is None and s.kind in NEEDS_VERDICT:
                raise ValueError(f"{Path(path).name}: the {s.kind} {s.label!r} has no recorded check "
                                 "(sgmbook.book.record after its check)")
            if rec is not None and s.kind in NO_VERDICT:
                raise ValueError(f"{Path(path).name}: the {s.kind} {s.label!r} states, it has no verdict")
            if rec is None:
                out.append(Row(s, "-", "-", "-"))
            else:
                out.append(Row(s, rec["verdict"], rec["number"], rec["check"]))
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(chapters: Iterable[tuple[str, str, list[Row]]]) -> str:
    """The "results at a glance" page (MyST Markdown) for ``(stem, chapter title, rows)`` triples, in
    book order: the counts by source and verdict, then one table per chapter whose statement column
    links every statement (``{prf:ref}``)."""
    from .sources import VOCABULARY, sources_in

    chapters = list(chapters)
    phrase = {s.key: s.phrase for s in VOCABULARY}
    verdicts = list(VERDICTS) + ["-"]
    all_rows = [r for _, _, rs in chapters for r in rs]
    lines = [
        "# Results at a glance",
        "",
        "One row per labelled statement of the book: its source, what the chapter checks, and the",
        "verdict and key number of that check. The page is written when the book is built, from the",
        "executed chapters: the statements' titles name their source, and the cell that checks a",
        "statement records its outcome (`sgmbook.book.record`). Definitions and assumptions state, they",
        "are not checked, and show \"-\"; so do remarks that no check follows.",
        "",
        "Verdicts:",
        "",
    ]
    lines += [f"- **{k}**: {v}." for k, v in VERDICTS.items()]
    lines += ["", f"{len(all_rows)} statements in {len(chapters)} chapters:", "",
              "| source | " + " | ".join(verdicts) + " | all |",
              "|---|" + "---:|" * (len(verdicts) + 1)]
    for s in VOCABULARY:
        mine = [r for r in all_rows if r.statement.source == s.key]
        if mine:
            counts = [sum(r.verdict == v for r in mine) for v in verdicts]
            lines.append(f"| {s.phrase} | " + " | ".join(str(c) for c in counts) + f" | {len(mine)} |")
    lines.append("| all | " + " | ".join(str(sum(r.verdict == v for r in all_rows)) for v in verdicts)
                 + f" | {len(all_rows)} |")
    for stem, title, rs in chapters:
        if not rs:
            continue
        lines += ["", f"## {title}", "", f"{{doc}}`Read the chapter <{stem}>`.", "",
                  "| statement | source | check | verdict | key number |", "|---|---|---|---|---|"]
        for r in rs:
            st = r.statement
            link = f"{{prf:ref}}`{st.kind.capitalize()} <{st.label}>`: {_cell(short_title(st.title))}"
            src = "; ".join(phrase[k] for k in sources_in(st.title))
            lines.append(f"| {link} | {src} | {_cell(r.check)} | {r.verdict} | {_cell(r.number)} |")
    return "\n".join(lines) + "\n"
