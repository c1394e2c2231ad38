"""Fixes to the LaTeX (PDF) output of sphinx-proof.

1. Labels. sphinx-proof labels a theorem in LaTeX with the docname of the enclosing chapter section,
   found by matching the section's name against the chapter's title; a title with math or punctuation
   (chapter 5) does not match, the label becomes ``None:...`` and every reference to it prints "??".
   Here the lookup falls back to the nearest enclosing node that carries a docname.
2. Proof boxes. A ``prf:proof`` is an untitled admonition whose text starts with "Proof. "; the LaTeX
   writer opens ``\\begin{sphinxadmonition}{note}`` and takes the next token as the title, so every
   proof had an empty title bar. Here the box gets the title "Proof." and the text loses its prefix.
3. Numbering. The HTML site numbers theorems, lemmas, ... per chapter ("Theorem 4.1"), from
   ``numfig_secnum_depth`` (1 by default). sphinx-jupyterbook-latex sets it to 2 for a book with parts,
   which the LaTeX writer needs (figures and equations restart with each chapter), but the same value
   also made sphinx-proof's numbers per section ("Theorem 4.2.1"). Here the figure numbers are
   assigned with the HTML depth, and the writer still sees the depth of sphinx-jupyterbook-latex.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

_HTML_DEPTH = "_latex_fixes_html_secnum_depth"
_LATEX_DEPTH = "_latex_fixes_latex_secnum_depth"


def _find_parent(env, node, parent_tag):
    first = None
    while True:
        node = node.parent
        if node is None:
            return first
        docname = node.attributes.get("docname") if hasattr(node, "attributes") else None
        if docname:
            if first is None:
                first = docname
            names = node.attributes.get("names", [])
            if env.titles[docname].astext().lower() in names:
                return docname


def _proof_titles(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give every proof box of the LaTeX output the title "Proof." (and drop the text's prefix)."""
    if app.builder.format != "latex":
        return
    from sphinx_proof.nodes import proof_node

    for proof in doctree.findall(proof_node):
        for box in proof.children:
            if not isinstance(box, nodes.admonition) or any(
                    isinstance(c, nodes.title) for c in box.children):
                continue
            para = next(iter(box.findall(nodes.paragraph)), None)
            first = para[0] if para is not None and len(para) else None
            if isinstance(first, nodes.Text) and first.astext().startswith("Proof. "):
                para.replace(first, nodes.Text(first.astext()[len("Proof. "):]))
            box.insert(0, nodes.title("", "Proof."))


def _remember_html_depth(app: Sphinx) -> None:
    # runs before sphinx-jupyterbook-latex's builder-inited handler, which may raise the depth
    setattr(app, _HTML_DEPTH, app.config.numfig_secnum_depth)


def _number_like_html(app: Sphinx, env) -> list[str]:
    if app.builder.format == "latex" and hasattr(app, _HTML_DEPTH):
        setattr(app, _LATEX_DEPTH, app.config.numfig_secnum_depth)
        app.config.numfig_secnum_depth = getattr(app, _HTML_DEPTH)
    return []


def _restore_latex_depth(app: Sphinx, env) -> list[str]:
    if hasattr(app, _LATEX_DEPTH):
        app.config.numfig_secnum_depth = getattr(app, _LATEX_DEPTH)
        delattr(app, _LATEX_DEPTH)
    return []


def setup(app: Sphinx) -> dict:
    import sphinx_proof.nodes as proof_nodes

    proof_nodes.find_parent = _find_parent
    app.connect("doctree-resolved", _proof_titles)
    app.connect("builder-inited", _remember_html_depth, priority=100)
    # Sphinx's toctree collector assigns the figure numbers on env-get-updated at priority 500
    app.connect("env-get-updated", _number_like_html, priority=100)
    app.connect("env-get-updated", _restore_latex_depth, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
