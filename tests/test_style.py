"""The book's figure style: shipped with the package, applied by one call, legible."""
import matplotlib as mpl
import matplotlib.font_manager as fm

from sgmbook.style import STYLE_FILE, book_style


def test_the_style_file_ships_with_the_package():
    assert STYLE_FILE.is_file()


def test_book_style_sets_its_rcparams():
    with mpl.rc_context():
        mpl.rcParams["axes.spines.top"] = True
        assert book_style() is None
        assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["savefig.dpi"] == 2 * mpl.rcParams["figure.dpi"]


def test_the_smallest_text_is_legible_on_the_widest_figure():
    """Figures up to 10 in wide (1000 px at 100 dpi) shrink to a ~930 px column: text >= 9 pt shown."""
    with mpl.rc_context():
        book_style()
        keys = ["font.size", "axes.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"]
        smallest = min(fm.FontProperties(size=mpl.rcParams[k]).get_size_in_points() for k in keys)
        assert smallest * 930 / 1000 >= 9.0, smallest
