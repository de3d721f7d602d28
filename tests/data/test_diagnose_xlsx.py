"""An XLSX sheet's own mistakes (formulas, error cells, merged cells, the table elsewhere): one line each, with the fix."""

import openpyxl
import pytest

from analysis.data.io import read_table
from analysis.exceptions import DataFileError


def _findings(path):
    with pytest.raises(DataFileError) as info:
        read_table(path)
    return str(info.value).splitlines()


def _book(tmp_path, raw, sheet="patients", before=None):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in before or []:
        ws.append(row)
    ws.append(list(raw.columns))
    for row in raw.itertuples(index=False):
        ws.append(list(row))
    return book, ws


def test_xlsx_formulas_errors_merged_header_and_other_sheet(tmp_path, synthetic_raw):
    book, ws = _book(tmp_path, synthetic_raw)
    ws["H3"] = "=G3*10"
    ws["I5"] = "#N/A"
    ws["I5"].data_type = "e"
    ws.merge_cells("A1:B1")
    book.save(tmp_path / "a.xlsx")
    found = _findings(tmp_path / "a.xlsx")
    assert any(
        "1 cell(s) of sheet 'patients' hold formulas with no stored value (H3 =G3*10)" in f
        and "open the workbook in Excel and save it again" in f
        for f in found
    )
    assert any("header cells A1:B1" in f and "Unmerge" in f for f in found)
    assert any("Excel error values (#N/A at I5 (m_protein_g_l))" in f for f in found)

    book = openpyxl.Workbook()
    book.active.title = "Feuil1"
    data = book.create_sheet("Données")
    data.append(list(synthetic_raw.columns))
    book.save(tmp_path / "b.xlsx")
    (line,) = _findings(tmp_path / "b.xlsx")
    assert "on sheet 'Données', but sheet 'Feuil1' is read" in line

    book, ws = _book(tmp_path, synthetic_raw, sheet="Feuil1", before=[["Registre bispécifiques 2024"], []])
    book.save(tmp_path / "c.xlsx")
    (line,) = _findings(tmp_path / "c.xlsx")
    assert "column names are on row 3" in line and "delete row(s) 1–2" in line


def test_merged_data_cells(tmp_path, synthetic_raw):
    book, ws = _book(tmp_path, synthetic_raw)
    ws.merge_cells("B2:B4")
    book.save(tmp_path / "m.xlsx")
    (line,) = _findings(tmp_path / "m.xlsx")
    assert "cells B2:B4" in line and "only the first cell" in line


def test_a_formula_with_its_stored_value_is_read_as_that_value_with_a_note(
    tmp_path, synthetic_raw, store_formula_values
):
    from analysis.data.cohort import validate_file
    from analysis.data.io import read_table_noted

    synthetic_raw = synthetic_raw.head(4)  # a small workbook: a sheet with formulas is opened twice
    age = synthetic_raw.loc[1, "age_years"]  # row 3 of the sheet
    book, ws = _book(tmp_path, synthetic_raw)
    ws["D3"] = "=2022-YEAR(DATE(1950,1,1))"
    book.save(tmp_path / "a.xlsx")
    store_formula_values(tmp_path / "a.xlsx", {"D3": int(age)})
    table, notes = read_table_noted(tmp_path / "a.xlsx")
    assert table.equals(synthetic_raw)
    assert notes == [
        f"a.xlsx: 1 formula cell(s) of sheet 'patients' read as their stored values: D3 =2022-YEAR(DATE(1950,1,1)) "
        f"→ '{age}' (the result Excel last computed; nothing here recalculates it)"
    ]
    _, report = validate_file(tmp_path / "a.xlsx")
    assert report.ok and report.notes == notes and "note: a.xlsx: 1 formula cell(s)" in report.to_text()
