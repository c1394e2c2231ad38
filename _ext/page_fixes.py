"""Small fixes to the HTML pages of the Jupyter Book 1.x theme stack.

* sphinx-thebe registers its inline configuration script once per ``env-before-read-docs`` event, which
  fires twice in a Jupyter Book build; the second copy redeclares ``const THEBE_JS_URL`` and raises a
  console error on every page. Duplicate inline scripts are dropped here.
"""
from __future__ import annotations

from sphinx.application import Sphinx


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        # an inline script is registered once with filename None and once with ''
        key = (getattr(js, "filename", None) or "", tuple(sorted(getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    scripts[:] = kept


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
