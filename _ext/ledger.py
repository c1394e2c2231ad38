"""Write the results ledger page (``book/results.md``) from the executed chapters before Sphinx reads
the sources; the rows come from :mod:`sgmbook.ledger`. The page is generated, not committed."""
from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from execution_stats import title, toc_notebooks

PAGE = Path("book") / "results.md"


def render(root: Path) -> str:
    from sgmbook import ledger

    chapters = [(nb.stem, f"{i}. {title(nb)}", ledger.rows([nb]))
                for i, nb in enumerate(toc_notebooks(root), start=1)]
    return ledger.markdown(chapters)


def _write(app: Sphinx, config) -> None:
    root = Path(app.srcdir)
    page = root / PAGE
    text = render(root)
    if not page.exists() or page.read_text() != text:
        page.write_text(text)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
