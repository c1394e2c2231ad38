"""The book's table and glue helpers (sgmbook.book)."""
import numpy as np
import pytest

from sgmbook import book


def test_column_rows_formats_each_column_with_its_spec():
    header, rows = book.column_rows({"$T$": [0.5, 1.0], "W": (np.array([0.1234567, 2.0]), ".3f"),
                                     "note": ["a", "b"]})
    assert header == ["$T$", "W", "note"]
    assert rows == [["0.5", "0.123", "a"], ["1", "2.000", "b"]]


def test_column_rows_repeats_a_scalar_and_refuses_ragged_columns():
    _, rows = book.column_rows({"a": [1, 2, 3], "b": (7.0, ".1f")})
    assert [r[1] for r in rows] == ["7.0"] * 3
    with pytest.raises(ValueError, match="every column must have 3 entries"):
        book.column_rows({"a": [1, 2, 3], "b": [1, 2]})


def test_ci_and_fmt():
    assert book.ci(1.0, 0.5, ".2f") == "[0.02, 1.98]"
    assert book.fmt(np.float64(1234567.0)) == "1.235e+06"


def test_glue_values_refuses_non_numbers():
    with pytest.raises(TypeError, match="'k'"):
        book.glue_values({"k": True})
    with pytest.raises(TypeError, match="list"):
        book.glue_values({"k": [1.0]})


def test_column_rows_takes_pairs_with_repeated_headers():
    header, rows = book.column_rows([("n", [1, 2]), ("chains", [0.5, 0.25]), ("chains", ([3.0, 4.0], ".1f"))])
    assert header == ["n", "chains", "chains"]
    assert rows == [["1", "0.5", "3.0"], ["2", "0.25", "4.0"]]


def test_glue_values_rounds_value_digit_pairs(monkeypatch):
    import myst_nb

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda k, v, display=True: glued.__setitem__(k, v))
    book.glue_values({"a": (np.float64(1.23456), 2), "b": np.int64(3), "c": "x"})
    assert glued == {"a": 1.23, "b": 3, "c": "x"} and type(glued["a"]) is float and type(glued["b"]) is int
    with pytest.raises(TypeError, match="pair"):
        book.glue_values({"a": (1.0, 2.0)})


def test_a_tuple_of_two_strings_is_a_column_not_a_spec_pair():
    _, rows = book.column_rows({"scheme": ("em", "ei"), "w": [1.0, 2.0]})
    assert [r[0] for r in rows] == ["em", "ei"]
