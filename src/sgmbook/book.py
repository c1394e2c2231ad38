"""Small helpers for the book's chapters: glue of rounded plain floats, Markdown tables, small
differences printed with machine-independent digits, z-scores of Monte Carlo estimates.

``myst_nb`` and ``IPython`` are imported inside the functions that need them, so the package does not
depend on the book's toolchain.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence, Union

import numpy as np

__all__ = ["glue_rounded", "glue_significant", "glue_values", "markdown_table", "table", "columns",
           "fmt", "ci", "small", "zscore", "mean_var_zscores", "record"]


def glue_rounded(prefix: str = "") -> Callable[..., None]:
    """A glue function ``g(key, value, digits=3)`` that glues ``float(round(value, digits))`` under
    ``prefix + key`` (a plain Python float, never a numpy scalar), not displayed."""

    def g(key: str, value: float, digits: int = 3) -> None:
        from myst_nb import glue

        glue(f"{prefix}{key}", float(round(float(value), digits)), display=False)

    return g


def glue_significant(prefix: str = "") -> Callable[..., None]:
    """A glue function ``g(key, value, digits=3)`` that glues ``value`` rounded to ``digits`` significant
    digits (an ``int`` if the result is whole) under ``prefix + key``, not displayed."""

    def g(key: str, value: float, digits: int = 3) -> None:
        from myst_nb import glue

        x = float(f"{float(value):.{digits}g}")
        glue(f"{prefix}{key}", int(x) if x.is_integer() else x, display=False)

    return g


def markdown_table(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A Markdown table (cells already formatted; ``|`` escaped)."""

    def esc(cells: Sequence) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([esc(header), "|" + "---|" * len(header)] + [esc(r) for r in rows])


def table(header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Display :func:`markdown_table` in the notebook."""
    from IPython.display import Markdown, display

    display(Markdown(markdown_table(header, rows)))


def fmt(x: float, spec: str = ".4g") -> str:
    """``format(float(x), spec)``: one number as the book prints it."""
    return format(float(x), spec)


def ci(mean: float, stderr: float, spec: str = ".4f", z: float = 1.96) -> str:
    r"""The confidence interval :math:`[m - z\,\mathrm{se},\ m + z\,\mathrm{se}]` as text (95% for the
    default ``z = 1.96``)."""
    return f"[{mean - z * stderr:{spec}}, {mean + z * stderr:{spec}}]"


def _is_spec(spec: str) -> bool:
    try:
        format(0.0, spec)
    except ValueError:
        return False
    return True


Columns = Union[Mapping[str, object], Sequence[tuple[str, object]]]


def column_rows(cols: Columns, spec: str = ".4g") -> tuple[list[str], list[list[str]]]:
    """Header and rows of a table given by columns.

    ``cols`` maps a header to its column: a sequence of values, or a pair ``(values, spec)``. Numbers are
    formatted with their column's ``spec`` (default ``spec``), strings are kept; a scalar value is
    repeated. Every column must have the same length. A sequence of ``(header, column)`` pairs may stand
    for the mapping when two columns share a header. A tuple of two strings is a column of two strings,
    not a pair.
    """
    items = list(cols.items()) if isinstance(cols, Mapping) else [tuple(p) for p in cols]
    header, formatted = [name for name, _ in items], []
    for _, col in items:
        paired = (isinstance(col, tuple) and len(col) == 2 and isinstance(col[1], str)
                  and not isinstance(col[0], str) and _is_spec(col[1]))
        values, s = col if paired else (col, spec)
        values = [values] if np.ndim(values) == 0 and not isinstance(values, (list, tuple)) else list(values)
        formatted.append([v if isinstance(v, str) else format(float(v), s) for v in values])
    n = max(len(c) for c in formatted)
    formatted = [c * n if len(c) == 1 else c for c in formatted]
    if any(len(c) != n for c in formatted):
        raise ValueError(f"columns: every column must have {n} entries; got {[len(c) for c in formatted]}")
    return header, [list(r) for r in zip(*formatted)]


def columns(cols: Columns, spec: str = ".4g") -> None:
    """Display a table given by columns (see :func:`column_rows`), e.g.
    ``columns({"$T$": Ts, "$W_2$": (w2, ".6f")})``."""
    table(*column_rows(cols, spec))


def glue_values(values: Mapping[str, object]) -> None:
    """Glue every ``key: value`` pair, not displayed, as a plain Python ``int``, ``float`` or ``str``
    (numpy scalars converted). A value given as a pair ``(x, digits)`` is glued as
    ``float(round(x, digits))``; round other values before passing them."""
    from myst_nb import glue

    for key, value in values.items():
        if isinstance(value, tuple):
            if len(value) != 2 or not isinstance(value[1], (int, np.integer)) or isinstance(value[1], bool):
                raise TypeError(f"glue_values: value of {key!r} must be a number, a string or a pair "
                                f"(number, digits), got {value!r}")
            value = float(round(float(value[0]), int(value[1])))
        if isinstance(value, (bool, np.bool_)):
            raise TypeError(f"glue_values: value of {key!r} is a bool; glue a number or a string")
        if isinstance(value, (int, np.integer)):
            value = int(value)
        elif isinstance(value, (float, np.floating)):
            value = float(value)
        elif not isinstance(value, str):
            raise TypeError(f"glue_values: value of {key!r} must be a number or a string, "
                            f"got {type(value).__name__}")
        glue(key, value, display=False)


def small(x: float, floor: float = 1e-8, fmt: str = ".1e", below: str = "< ") -> str:
    """A small difference printed with machine-independent digits: ``below + floor`` under the floor."""
    return f"{below}{floor:.0e}" if abs(x) < floor else format(x, fmt)


def zscore(estimate: np.ndarray | float, exact: np.ndarray | float,
           stderr: np.ndarray | float) -> np.ndarray | float:
    r"""``|estimate - exact| / stderr``: the distance of a Monte Carlo estimate from the exact value in
    standard errors."""
    out = np.abs(np.asarray(estimate, dtype=float) - exact) / np.asarray(stderr, dtype=float)
    return float(out) if out.ndim == 0 else out


def mean_var_zscores(samples: np.ndarray, mean: np.ndarray, var: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""z-scores of the sample mean and the sample variance (per column of ``samples``, ``(n, d)``)
    against the exact ``mean`` and ``var``: standard errors :math:`\sqrt{v/n}` and
    :math:`v\sqrt{2/(n-1)}` (Gaussian fourth moment)."""
    x = np.asarray(samples, dtype=float)
    n = x.shape[0]
    var = np.asarray(var, dtype=float)
    z_mean = zscore(x.mean(0), mean, np.sqrt(var / n))
    z_var = zscore(x.var(0, ddof=1), var, var * np.sqrt(2.0 / (n - 1)))
    return z_mean, z_var


def record(statement: str, verdict: str, number: str, check: str) -> None:
    """Record, for the results ledger, the outcome of the check of the statement labelled ``statement``.

    Call it in the cell that asserts the check, after the asserts. ``verdict`` is a key of
    :data:`sgmbook.ledger.VERDICTS` ("holds", "holds, loose", "attained", "illustrated"); ``number`` the
    key number as it should read in the ledger (e.g. ``f"slack {r:.2g}x"``, rounded so that it is the same
    on every machine); ``check`` what the cell checks, in a few words. The entry is glued, not displayed,
    under ``ledger-<statement>``.
    """
    from myst_nb import glue

    from .ledger import KEY_PREFIX, entry

    glue(KEY_PREFIX + statement, entry(statement, verdict, number, check), display=False)
