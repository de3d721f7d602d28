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


def test_a_formula_cell_is_read_as_its_stored_value_and_one_without_is_listed(tmp_path, store_formula_values):
    import openpyxl

    from analysis.data.readers import read_xlsx

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "patients"
    for row in (["birth", "start", "age"], ["1950-03-01", "2022-02-28", '=DATEDIF(A2,B2,"y")'], ["x", "y", "=B3"]):
        ws.append(row)
    book.save(tmp_path / "f.xlsx")
    store_formula_values(tmp_path / "f.xlsx", {"C2": 71})
    sheet = read_xlsx(tmp_path / "f.xlsx")
    assert sheet.grid.values.tolist()[1:] == [["1950-03-01", "2022-02-28", "71"], ["x", "y", ""]]
    assert sheet.stored == [("C2", '=DATEDIF(A2,B2,"y")', "71")] and sheet.formulas == [("C3", "=B3")]
    assert sheet.stored_note() == (
        "1 formula cell(s) of sheet 'patients' read as their stored values: C2 =DATEDIF(A2,B2,\"y\") → '71' "
        "(the result Excel last computed; nothing here recalculates it)"
    )


def test_user_missing_codes_are_read_as_stored_with_their_declaration(tmp_path):
    import numpy as np
    import pyreadstat

    from analysis.data.stat_files import read_stat

    frame = pd.DataFrame({"del17p": [1.0, 9.0, 0.0, np.nan], "grade": [1.0, 98.0, 99.0, 2.0]})
    pyreadstat.write_sav(
        frame,
        tmp_path / "m.sav",
        variable_value_labels={"del17p": {0: "Non", 1: "Oui", 9: "Non fait"}},
        missing_ranges={"del17p": [9], "grade": [{"lo": 97, "hi": 99}]},
    )
    stat = read_stat(tmp_path / "m.sav")
    assert stat.grid.values.tolist() == [["del17p", "grade"], ["1", "1"], ["9", "98"], ["0", "99"], ["", "2"]]
    um = stat.user_missing
    assert um["del17p"].values == ("9",) and um["del17p"].source == "SPSS user-missing"
    assert um["grade"].ranges == ((97.0, 99.0),)
    assert [um["grade"].matches(t) for t in ("97", "98.5", "99", "100", "", "x")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]

    stata = pd.DataFrame({"x": [1.0, "a", np.nan]}, dtype=object)
    pyreadstat.write_dta(stata, tmp_path / "m.dta", missing_user_values={"x": ["a"]})
    stat = read_stat(tmp_path / "m.dta")
    assert stat.grid.iloc[1:, 0].tolist() == ["1", "a", ""]
    assert stat.user_missing["x"].values == ("a",) and stat.user_missing["x"].source == "Stata extended missing"
