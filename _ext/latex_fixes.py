"""Fixes to the LaTeX (PDF) output of sphinx-proof.

sphinx-proof labels a theorem in LaTeX with the docname of the enclosing chapter section, found by
matching the section's name against the chapter's title; a title with math or punctuation (chapter 5)
does not match, the label becomes ``None:...`` and every reference to it prints "??". Here the lookup
falls back to the nearest enclosing node that carries a docname.
"""
from __future__ import annotations

from sphinx.application import Sphinx


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


def setup(app: Sphinx) -> dict:
    import sphinx_proof.nodes as nodes

    nodes.find_parent = _find_parent
    return {"parallel_read_safe": True, "parallel_write_safe": True}
