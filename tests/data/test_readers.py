"""Readers: every cell as text, nothing interpreted; whitespace stripped exactly when present."""

import datetime as dt
import math

import pandas as pd

from analysis.data.readers import bom_encoding, cell_text, decode, parse_csv


def test_cell_text():
    assert [
        cell_text(v)
        for v in (
            None,
            math.nan,
            3.0,
            2.5,
            " a ",
            dt.datetime(2023, 1, 2),
            dt.date(2023, 1, 2),
            dt.datetime(2023, 1, 2, 10, 30),
            pd.NaT,
            True,
        )
    ] == ["", "", "3", "2.5", "a", "2023-01-02", "2023-01-02", "2023-01-02 10:30:00", "", "True"]


def test_parse_csv_strips_only_edges_and_pads_short_rows():
    grid = parse_csv("a,b,c\n 1 ,x y,\n2\n")
    assert grid.values.tolist() == [["a", "b", "c"], ["1", "x y", ""], ["2", "", ""]]
    assert parse_csv("a;b\n1;2\n", ";").values.tolist() == [["a", "b"], ["1", "2"]]
    assert parse_csv('a,b\r\n"1 ",2\r\n').values.tolist() == [["a", "b"], ["1", "2"]]


def test_byte_order_marks():
    assert bom_encoding(b"\xef\xbb\xbfa") == "utf-8-sig" and bom_encoding(b"\xff\xfea\x00") == "utf-16"
    assert bom_encoding(b"a") is None and decode(b"\xef\xbb\xbfa,b") == "a,b"
