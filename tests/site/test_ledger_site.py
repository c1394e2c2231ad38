"""The results ledger page as built: one row per labelled statement of the chapters, each linked.

Run by ``make check-site`` after ``make book``; reads the built HTML (``_build/html``).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from sgmbook import ledger

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
PAGE = HTML / "book" / "results.html"


class _Page(HTMLParser):
    """Anchor ids of a page and, for the results page, the links of its tables' first column."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self._td = 0
        self._col = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "tr":
            self._col = 0
        if tag == "td":
            self._col += 1
            self._td = self._col
        if tag == "a" and self._td == 1 and "href" in a:
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "td":
            self._td = 0


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _chapters() -> list[Path]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [ROOT / f"{e['file']}.ipynb" for part in toc["parts"] if part.get("numbered")
            for e in part["chapters"]]


@pytest.fixture(scope="module")
def page() -> _Page:
    if not PAGE.exists():
        pytest.fail("no built results page: run `make book` first")
    return _parse(PAGE)


def test_the_ledger_lists_exactly_the_labelled_statements(page):
    expected = [s for nb in _chapters() for s in ledger.statements(nb)]
    linked = [unquote(urlsplit(h).fragment) for h in page.links]
    assert len(linked) == len(expected), f"{len(linked)} linked rows for {len(expected)} statements"
    assert linked == [s.label for s in expected]


def test_every_ledger_link_reaches_its_statement(page):
    base = "http://book/book/results.html"
    broken = []
    for href in page.links:
        url = urlsplit(urljoin(base, href))
        target = HTML / unquote(url.path).lstrip("/")
        if not target.exists() or unquote(url.fragment) not in _parse(target).ids:
            broken.append(href)
    assert not broken, f"{len(broken)} ledger links reach no statement, e.g. {broken[:3]}"


def test_the_ledger_counts_add_up(page):
    text = PAGE.read_text(encoding="utf-8")
    n = len(page.links)
    assert re.search(rf"{n} statements in \d+ chapters", re.sub(r"<[^>]+>", "", text))
