"""Serve MathJax from the built site instead of a CDN, so the book renders its formulas offline.

The MathJax 3 distribution comes from the ``django-static-mathjax`` wheel (a plain copy of MathJax's
``es5`` build, no Django needed); its ``es5`` folder is copied to ``_static/mathjax`` of the HTML output.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx

SCRIPT = "mathjax/tex-mml-chtml.js"


def _es5_dir() -> Path:
    import mathjax  # the package installed by django-static-mathjax

    root = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (root / "tex-mml-chtml.js").exists():
        raise RuntimeError(f"MathJax es5 build not found under {root}")
    return root


def _set_path(app: Sphinx, config) -> None:
    _es5_dir()  # fail early if the package is missing
    config.mathjax_path = SCRIPT


def _copy(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    shutil.copytree(_es5_dir(), target, dirs_exist_ok=True)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _set_path, priority=900)
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
