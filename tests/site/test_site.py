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

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("SGMBOOK_CHROMIUM", "/usr/bin/chromium")
SKIP = {"genindex.html", "search.html", "prf-prf.html"}
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
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))
    handler.log_message = lambda *a, **k: None
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
    page = browser.new_page(viewport={"width": 1440, "height": 900})
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
    page.screenshot(path=str(SHOTS / (rel.replace("/", "__")[:-5] + ".png")), full_page=True)

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
