"""The book's figure style: one matplotlib style file, applied by one call.

The style file ``book.mplstyle`` ships with the package. :func:`book_style` loads it into
``matplotlib.rcParams`` and, inside an IPython kernel with the inline backend, stores figures as
PNG at twice their pixel size with their logical size in the output metadata (the ``retina``
format), so a page shows each figure at its logical size and sharp on HiDPI screens. Nothing is
drawn here.
"""
from __future__ import annotations

from pathlib import Path

STYLE_FILE = Path(__file__).with_name("book.mplstyle")


def book_style() -> None:
    """Apply the book's figure style (sets ``matplotlib.rcParams``; returns nothing, so a cell ending
    with the call shows no output).

    Loads ``book.mplstyle`` with :func:`matplotlib.style.use`; when called in an IPython kernel
    with the inline backend, also selects the ``retina`` PNG format (2x pixels, displayed at 1x).
    """
    import matplotlib.style

    matplotlib.style.use(STYLE_FILE)
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # plain Python: the rcParams alone
        pass
    else:
        shell = get_ipython()
        if shell is not None:
            set_matplotlib_formats("retina")
            _png_2x_width_only(shell)


def _png_2x_width_only(shell) -> None:
    """Store figures as 2x PNG with only their logical width in the output metadata.

    IPython's retina format records width and height; a page then fixes both, and an image narrowed
    to the column by ``max-width`` is distorted. With the width alone its height follows.
    """
    from IPython.core.pylabtools import retina_figure
    from matplotlib.figure import Figure

    def png(fig):
        out = retina_figure(fig, base64=True, bbox_inches="tight")
        if out is None:
            return None
        data, meta = out
        return data, {"width": meta["width"]}

    shell.display_formatter.formatters["image/png"].for_type(Figure, png)
