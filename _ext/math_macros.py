"""The book's math macros, defined once and given to both MathJax (HTML) and LaTeX (PDF).

Add a macro to ``MACROS`` (name without backslash -> replacement, no arguments); the extension merges them
into ``mathjax3_config["tex"]["macros"]`` and appends ``\\newcommand`` lines to the LaTeX preamble.
"""
from __future__ import annotations

from sphinx.application import Sphinx

MACROS: dict[str, str] = {
    "E": r"\mathbb{E}",
    "R": r"\mathbb{R}",
}


def latex_preamble(macros: dict[str, str] = MACROS) -> str:
    lines = ["% math macros of the book (_ext/math_macros.py)"]
    for name, body in macros.items():
        # \providecommand then \renewcommand: defined whether or not a package already took the name
        lines.append(f"\\providecommand{{\\{name}}}{{}}\\renewcommand{{\\{name}}}{{{body}}}")
    return "\n".join(lines) + "\n"


def _set(app: Sphinx, config) -> None:
    mj = dict(config.mathjax3_config or {})
    tex = dict(mj.get("tex", {}))
    tex["macros"] = {**tex.get("macros", {}), **MACROS}
    mj["tex"] = tex
    config.mathjax3_config = mj
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + "\n" + latex_preamble()
    config.latex_elements = elements


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _set, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
