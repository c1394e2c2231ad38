"""What a reader of the built site sees of the code, at 1400 px: overflowing blocks, line widths, heights.

Used by ``test_site.py`` (the overflow test) and runnable on its own after ``make book``, for before/after
numbers::

    .venv/bin/python tests/site/site_metrics.py          # a table, one row per chapter
    .venv/bin/python tests/site/site_metrics.py --json   # the same numbers, and every overflowing block

Columns: code lines a reader sees without opening a toggle (cells folded by ``hide-input`` are not
counted; ``remove-input``/``remove-cell`` are not in the page), the page height in 1400x900 screens with
the toggles closed and with every toggle open, the number of code/output blocks wider than their box with
every toggle open, and how many monospace characters fit on one line of a code cell and of an output block.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("SGMBOOK_CHROMIUM", "/usr/bin/chromium")
WIDTH, HEIGHT = 1400, 900
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Open what a reader can open: the details of hide-input/hide-output cells ("Show code cell source"),
# and sphinx-togglebutton dropdowns and toggles.
EXPAND = """() => {
    const root = document.querySelector('article') || document.body;
    root.querySelectorAll('details').forEach(d => { d.open = true; });
    root.querySelectorAll('button.toggle-button.toggle-button-hidden').forEach(b => b.click());
    root.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
    return root.querySelectorAll('details').length; }"""

# Code and output blocks whose content is wider than their box (1 px of rounding allowed), one entry per
# cell and part (the widest element of it), with the cell's place among the page's code cells (from 1).
BLOCKS = ("div.cell_input pre, div.cell_output pre, div.cell_output div.output, div.highlight pre,"
          " div.highlight, div.cell_output table, div.cell_output div.output table")
OVERFLOW = """(sel) => {
    const root = document.querySelector('article') || document.body;
    const cells = [...root.querySelectorAll('div.cell')];
    const found = new Map();
    for (const el of root.querySelectorAll(sel)) {
        if (el.scrollWidth <= el.clientWidth + 1) continue;
        const cell = el.closest('div.cell');
        const part = el.closest('div.cell_output') ? 'output' : el.closest('div.cell_input') ? 'input'
                     : 'markdown';
        const text = (el.innerText || el.textContent || '');
        const key = cell ? (cells.indexOf(cell) + 1) + ':' + part : 'md:' + text.slice(0, 60);
        const lines = text.split('\\n');
        const entry = {cell: cell ? cells.indexOf(cell) + 1 : null, part, tag: el.tagName.toLowerCase(),
                       scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
                       longest: Math.max(...lines.map(l => l.length)),
                       start: text.trim().slice(0, 60)};
        const old = found.get(key);
        if (!old || entry.scrollWidth - entry.clientWidth > old.scrollWidth - old.clientWidth)
            found.set(key, entry);
    }
    return [...found.values()]; }"""

# Monospace characters that fit on one line of each kind of block: the inner width of the narrowest
# block of the kind over the width of one character of its font.
FIT = """() => {
    const root = document.querySelector('article') || document.body;
    const out = {};
    for (const [kind, sel] of [['input', 'div.cell_input pre'], ['output', 'div.cell_output pre']]) {
        for (const pre of root.querySelectorAll(sel)) {
            if (pre.clientWidth === 0) continue;
            const cs = getComputedStyle(pre);
            const probe = document.createElement('span');
            probe.textContent = 'M'.repeat(200);
            pre.appendChild(probe);
            const ch = probe.getBoundingClientRect().width / 200;
            probe.remove();
            const inner = pre.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
            const fit = Math.floor(inner / ch + 1e-6);
            if (!(kind in out) || fit < out[kind].chars)
                out[kind] = {chars: fit, inner: Math.round(inner), charWidth: +ch.toFixed(3),
                             font: cs.fontSize + ' ' + cs.fontFamily.split(',')[0]};
        }
    }
    return out; }"""

# Code lines shown without opening anything: cell inputs not inside a closed <details>.
VISIBLE_CODE = """() => {
    const root = document.querySelector('article') || document.body;
    let lines = 0, nonblank = 0, cells = 0;
    for (const inp of root.querySelectorAll('div.cell_input')) {
        const d = inp.closest('details');
        if (d && !d.open) continue;
        const pre = inp.querySelector('pre'); if (!pre) continue;
        const ls = pre.textContent.replace(/\\n$/, '').split('\\n');
        cells += 1; lines += ls.length; nonblank += ls.filter(l => l.trim()).length;
    }
    return {cells, lines, nonblank}; }"""

HEIGHT_JS = "() => document.documentElement.scrollHeight"


def chapters() -> list[str]:
    """The numbered chapters as built pages, in the order of ``_toc.yml``."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [f"{c['file']}.html" for part in toc.get("parts", []) if part.get("numbered")
            for c in part["chapters"] if (HTML / f"{c['file']}.html").exists()]


@contextlib.contextmanager
def serve(directory: Path = HTML):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args, **kwargs):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname
               in ("127.0.0.1", "localhost") else r.abort())
    page.goto(url, wait_until="load")
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
    page.wait_for_timeout(300)
    return page


def measure(page) -> dict:
    """Everything of one chapter page (already open at 1400x900): before and after opening toggles."""
    code = page.evaluate(VISIBLE_CODE)
    closed = page.evaluate(HEIGHT_JS)
    toggles = page.evaluate(EXPAND)
    page.wait_for_timeout(300)
    return {"visible_code": code, "screens_closed": round(closed / HEIGHT, 1),
            "screens_open": round(page.evaluate(HEIGHT_JS) / HEIGHT, 1), "toggles": toggles,
            "overflowing": page.evaluate(OVERFLOW, BLOCKS), "fit": page.evaluate(FIT)}


def describe(rel: str, block: dict) -> str:
    where = f"code cell {block['cell']} {block['part']}" if block["cell"] is not None else "markdown block"
    return (f"{Path(rel).stem}: {where} <{block['tag']}> scrollWidth {block['scrollWidth']} > clientWidth "
            f"{block['clientWidth']} (longest line {block['longest']} chars): {block['start']!r}")


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    rows = {}
    with serve() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for rel in chapters():
            page = open_page(browser, url + rel)
            rows[rel] = measure(page)
            page.close()
        browser.close()
    if "--json" in argv:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'chapter':34s} {'code lines':>10s} {'nonblank':>8s} {'screens':>7s} {'open':>6s} "
          f"{'overflow':>8s} {'fit in':>6s} {'fit out':>7s}")
    tot = [0, 0, 0.0, 0.0, 0]
    for rel, r in rows.items():
        c, f = r["visible_code"], r["fit"]
        print(f"{Path(rel).stem:34s} {c['lines']:10d} {c['nonblank']:8d} {r['screens_closed']:7.1f} "
              f"{r['screens_open']:6.1f} {len(r['overflowing']):8d} "
              f"{f.get('input', {}).get('chars', '-'):>6} {f.get('output', {}).get('chars', '-'):>7}")
        for i, v in enumerate((c["lines"], c["nonblank"], r["screens_closed"], r["screens_open"],
                               len(r["overflowing"]))):
            tot[i] += v
    print(f"{'total':34s} {tot[0]:10d} {tot[1]:8d} {tot[2]:7.1f} {tot[3]:6.1f} {tot[4]:8d}")
    for rel, r in rows.items():
        for block in r["overflowing"]:
            print("  " + describe(rel, block))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
