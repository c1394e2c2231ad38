"""Write the results ledger page (``book/results.md``) from the executed chapters before Sphinx reads
the sources; the rows come from :mod:`sgmbook.ledger`. The page is generated, not committed."""
from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from execution_stats import page_writer, title, toc_notebooks

PAGE = Path("book") / "results.md"


def render(root: Path) -> str:
    from sgmbook import ledger

    chapters = [(nb.stem, f"{i}. {title(nb)}", ledger.rows([nb]))
                for i, nb in enumerate(toc_notebooks(root), start=1)]
    return ledger.markdown(chapters)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", page_writer(PAGE, render))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
