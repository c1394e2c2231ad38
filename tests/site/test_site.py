"""Open every page of the built book in headless Chromium and check what a reader sees.

Run by ``make check-site`` after ``make book``. Needs Debian's ``chromium`` (``/usr/bin/chromium``, or the
path in ``SGMBOOK_CHROMIUM``) and the ``playwright`` Python package (no browser download: Playwright
drives the system Chromium). Screenshots go to ``_build/screenshots/``.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

import site_metrics

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("SGMBOOK_CHROMIUM", "/usr/bin/chromium")
SKIP = {"genindex.html", "search.html"}
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.glob("**/*.html")
               if not any(part.startswith(("_", ".")) for part in p.relative_to(HTML).parts[:-1])
               and p.name not in SKIP
               and p.relative_to(HTML).as_posix() != "index.html") if HTML.exists() else []


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for k, val in attrs:
            if k in ("id", "name") and val:
                self.ids.add(val)


@functools.lru_cache(maxsize=None)
def anchors(rel: str) -> frozenset[str]:
    parser = _Ids()
    parser.feed((HTML / rel).read_text(encoding="utf-8"))
    return frozenset(parser.ids)


@pytest.fixture(scope="module")
def server():
    if not PAGES:
        pytest.fail("no built book: run `make book` first")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args, **kwargs):
            pass

    handler = functools.partial(Quiet, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set SGMBOOK_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def test_pages_were_found():
    assert any(p.startswith("book/") for p in PAGES), PAGES


@pytest.mark.parametrize("rel", PAGES)
def test_page(server, browser, rel):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    console_errors, failed, external = [], [], []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))

    def route(r):
        if urlsplit(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(server + rel, wait_until="load")
    page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)", timeout=20_000)
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
    page.wait_for_timeout(200)

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (rel.replace("/", "__")[:-5] + "-1400.png")), full_page=True)

    # every image loaded
    broken = page.evaluate("""() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)
                               .map(i => i.src)""")
    # MathJax typeset every formula: each Sphinx math node holds a rendered container, no raw TeX left
    math = page.evaluate("""() => { const nodes = [...document.querySelectorAll('.math')];
        return {total: nodes.length, rendered: nodes.filter(n => n.querySelector('mjx-container')).length,
                errors: document.querySelectorAll('mjx-merror').length}; }""")
    # prose as a reader sees it: code, outputs and typeset formulas removed
    text = page.evaluate("""() => { const root = (document.querySelector('article') || document.body).cloneNode(true);
        root.querySelectorAll('pre, code, .highlight, .cell_output, mjx-container, script, style')
            .forEach(n => n.remove());
        return root.innerText; }""")
    # display formulas wider than the text column are cut off for the reader
    wide = page.evaluate("""() => [...document.querySelectorAll('div.math, mjx-container[display="true"]')]
        .filter(n => n.scrollWidth > n.clientWidth + 2)
        .map(n => (n.closest('div.math') || n).id || n.textContent.slice(0, 60))""")
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    page.close()

    assert not console_errors, f"console errors: {console_errors}"
    assert not external, f"requests leaving the site (the book must work offline): {external[:5]}"
    assert not failed, f"failed requests: {failed[:5]}"
    assert not broken, f"images not loaded: {broken}"
    assert math["rendered"] == math["total"] and math["errors"] == 0, f"MathJax: {math}"
    raw = re.findall(r"\$[^$\n]{0,40}\\[A-Za-z]+|\\(?:mathcal|frac|sqrt|varepsilon|le|ge)\b|\$\$", text)
    assert not raw, f"raw TeX left in the prose: {raw[:5]}"
    assert not wide, f"display formulas wider than the page: {wide[:5]}"
    assert "{prf:ref}" not in text and "{glue" not in text and "{numref}" not in text, "unresolved role"

    # every internal link resolves to an existing page and anchor
    bad = []
    for href in links:
        if href.startswith(("http:", "https:", "mailto:", "javascript:")):
            continue
        target = urlsplit(urljoin(server + rel, href))
        path = unquote(target.path).lstrip("/") or "index.html"
        if path.endswith("/"):
            path += "index.html"
        if not (HTML / path).exists():
            bad.append(href)
        elif target.fragment and path.endswith(".html") and unquote(target.fragment) not in anchors(path):
            bad.append(href)
    assert not bad, f"broken internal links: {bad}"



# ---------------------------------------------------------------------------------------------------
# The frame of the site: navigation at every width, a phone-sized page, the references page.

def _toc_chapters() -> list[str]:
    """The numbered chapters as built pages, in the order of ``_toc.yml``."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [f"{c['file']}.html" for part in toc.get("parts", []) if part.get("numbered")
            for c in part["chapters"]]


CHAPTERS = [p for p in _toc_chapters() if p in PAGES]
WIDTHS = (1400, 900, 400)
VISIBLE = """(sel) => { const s = document.querySelector(sel); if (!s) return null;
    const r = s.getBoundingClientRect(), cs = getComputedStyle(s);
    return cs.visibility !== 'hidden' && cs.display !== 'none' && r.width > 10 && r.right > 5
           && r.left < innerWidth - 5; }"""


def _open(browser, server, rel, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname
               in ("127.0.0.1", "localhost") else r.abort())
    page.goto(server + rel, wait_until="load")
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
    page.wait_for_timeout(300)
    return page


def _close_panel(page, button):
    """Close an open panel as a reader would: its button, or Escape when the panel covers it."""
    try:
        button.click(timeout=1500)
    except Exception:
        page.keyboard.press("Escape")
    page.wait_for_timeout(400)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("which", ["primary", "secondary"])
def test_sidebar_toggles_open_and_close(server, browser, width, which):
    """The chapter list (primary) and the page contents (secondary) open and close at every width."""
    page = _open(browser, server, CHAPTERS[1], width)
    panel = f".bd-sidebar-{which}"
    button = page.locator(f".{which}-toggle")
    before = page.evaluate(VISIBLE, panel)
    if which == "secondary" and width >= 1200:
        # wide screens show the page contents beside the text, with no toggle
        assert before and not button.is_visible(), (before, button.is_visible())
        page.close()
        return
    assert button.count() == 1 and button.is_visible(), f"{which} toggle: {button.count()} found"
    button.click()
    page.wait_for_timeout(400)
    after = page.evaluate(VISIBLE, panel)
    _close_panel(page, button)
    again = page.evaluate(VISIBLE, panel)
    page.close()
    assert after != before, f"{which} toggle at {width}px did nothing (visible: {before} -> {after})"
    assert again == before, f"{which} panel at {width}px did not close again ({after} -> {again})"


@pytest.mark.parametrize("width", WIDTHS)
def test_one_search_button(server, browser, width):
    page = _open(browser, server, CHAPTERS[0], width)
    n = page.evaluate("""() => [...document.querySelectorAll('.search-button, .search-button-field')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0).length""")
    page.close()
    assert n == 1, f"{n} search buttons visible at {width}px"


def test_sidebar_numbers_the_chapters(server, browser):
    page = _open(browser, server, "book/intro.html", 1400)
    entries = dict(page.evaluate("""() => [...document.querySelectorAll('.bd-sidebar-primary a.reference')]
        .map(a => [a.getAttribute('href'), a.textContent.trim()])"""))
    page.close()
    for k, rel in enumerate(CHAPTERS, start=1):
        text = entries.get(Path(rel).name)
        assert text is not None, f"{rel} not in the sidebar: {entries}"
        assert text.startswith(f"{k}. "), f"sidebar entry {k} is not numbered: {text!r}"


@pytest.mark.parametrize("rel", CHAPTERS)
def test_phone_width(server, browser, rel):
    """At 400 px: no equation number over its formula, no clipped inline math, no sideways page."""
    page = _open(browser, server, rel, 400)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (rel.replace("/", "__")[:-5] + "-400.png")), full_page=True)
    overlaps = page.evaluate("""() => [...document.querySelectorAll('div.math')].filter(d => {
        const no = d.querySelector('.eqno'), f = d.querySelector('mjx-container');
        if (!no || !f) return false;
        const a = no.getBoundingClientRect(), b = f.getBoundingClientRect();
        // the formula's visible box is clipped to its scrolling container
        const c = d.getBoundingClientRect();
        const bl = Math.max(b.left, c.left), br = Math.min(b.right, c.right);
        return a.left < br - 1 && a.right > bl + 1 && a.top < b.bottom - 1 && a.bottom > b.top + 1;
      }).map(d => d.id || d.textContent.slice(0, 40))""")
    # a display formula wider than its box must scroll inside it, its start reachable (not centred
    # out of the box to the left, where no scroll bar reaches)
    cut = page.evaluate("""() => [...document.querySelectorAll('div.math')].filter(d => {
        const f = d.querySelector('mjx-container'); if (!f) return false;
        return f.getBoundingClientRect().left < d.getBoundingClientRect().left - 1;
      }).map(d => d.id || d.textContent.slice(0, 40))""")
    clipped = page.evaluate("""() => [...document.querySelectorAll('mjx-container:not([display="true"])')]
      .filter(m => { const r = m.getBoundingClientRect(); if (r.width === 0) return false;
        for (let e = m.parentElement; e && e !== document.body; e = e.parentElement) {
          const cs = getComputedStyle(e);
          if (cs.overflowX === 'hidden' || cs.overflowX === 'clip') {
            const q = e.getBoundingClientRect();
            if (r.right > q.right + 1 || r.left < q.left - 1) return true;
          }
          if (cs.overflowX === 'auto' || cs.overflowX === 'scroll') return false;
        }
        return false; }).map(m => m.textContent.slice(0, 40))""")
    sideways = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    page.close()
    assert not overlaps, f"equation numbers over their formulas at 400px: {overlaps[:5]}"
    assert not cut, f"display formulas cut off on the left at 400px: {cut[:5]}"
    assert not clipped, f"inline formulas clipped at 400px: {clipped[:5]}"
    assert sideways <= 1, f"the page scrolls sideways by {sideways}px at 400px"


@pytest.mark.parametrize("rel", CHAPTERS)
def test_code_and_outputs_fit_at_1400(server, browser, rel):
    """At 1400 px, with every toggle open (hidden cell sources and outputs, dropdowns), no code or output
    block is wider than its box (1 px allowed): a reader never scrolls sideways inside a cell."""
    page = site_metrics.open_page(browser, server + rel)
    page.evaluate(site_metrics.EXPAND)
    page.wait_for_timeout(300)
    closed = page.evaluate("""() => [...(document.querySelector('article') || document).querySelectorAll(
        'details:not([open]), .toggle-hidden')].length""")
    blocks = page.evaluate(site_metrics.OVERFLOW, site_metrics.BLOCKS)
    fit = page.evaluate(site_metrics.FIT)
    page.close()
    assert closed == 0, f"{closed} toggles still closed after opening them all"
    chars = {k: v["chars"] for k, v in fit.items()}
    assert not blocks, (
        f"{len(blocks)} code/output blocks of {rel} wider than their box at 1400 px, every toggle open "
        f"(characters per line that fit: {chars}):\n" + "\n".join(site_metrics.describe(rel, b) for b in blocks))


def test_references_page(server, browser):
    page = _open(browser, server, "book/references.html", 1400)
    text = page.evaluate("() => document.querySelector('article').innerText")
    links = page.evaluate("""() => [...document.querySelectorAll('article a[href*="arxiv"]')]
        .map(a => [a.getAttribute('href'), a.textContent.trim()])""")
    labels = page.evaluate("""() => [...document.querySelectorAll('article .label, article dt')]
        .map(e => e.textContent.trim())""")
    page.close()
    assert "$" not in text and "\\" not in text, "raw TeX on the references page"
    shown_ids = {href.rsplit("/", 1)[1] for href, _ in links}
    assert {"2311.13584", "2405.16104"} <= shown_ids, links
    for href, shown in links:
        assert re.fullmatch(r"https://arxiv\.org/abs/\d{4}\.\d{4,5}", href), href
        assert shown == "arXiv:" + href.rsplit("/", 1)[1], (href, shown)
    assert labels, "no reference labels found"
    for label in labels:
        assert re.fullmatch(r"\[?[^\d\[\]]+, \d{4}[a-z]?\]?", label), f"not author-year: {label!r}"
    for published in ("Sharp Lipschitz", "Wasserstein", "Langevin", "Brunn-Minkowski"):
        assert published in text, f"{published!r} not capitalised as published"


def test_execution_statistics_page_has_no_placeholders():
    text = (HTML / "book" / "execution_statistics.html").read_text(encoding="utf-8")
    assert "n/a" not in text and "not run" not in text
