"""Reading CSV and XLSX as text: nothing interpreted, nothing lost."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.data.io import read_table, source_of
from analysis.exceptions import DataFileError


def write_xlsx(csv_path, xlsx_path, sheet="patients"):
    """The CSV as a workbook with real Excel types: numbers as numbers, dates as dates."""
    raw = read_table(csv_path)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(raw.columns))
    for _, row in raw.iterrows():
        cells = []
        for col, text in row.items():
            if text == "":
                cells.append(None)
            elif col.endswith("_date"):
                cells.append(dt.datetime.strptime(text, "%Y-%m-%d"))
            else:
                try:
                    cells.append(int(text))
                except ValueError:
                    try:
                        cells.append(float(text))
                    except ValueError:
                        cells.append(text)
        ws.append(cells)
    book.save(xlsx_path)


def test_csv_cells_come_back_as_strings_with_empty_for_missing():
    raw = read_table(paths.FIXTURE)
    assert raw.shape == (8, 66)
    assert raw.loc[2, "iss_stage"] == ""
    assert raw.loc[0, "age_years"] == "60"
    assert all(isinstance(v, str) for v in raw.to_numpy().ravel())


def test_xlsx_with_native_types_loads_to_the_same_typed_table_as_csv(tmp_path):
    xlsx = tmp_path / "cohort.xlsx"
    write_xlsx(paths.FIXTURE, xlsx)
    from_csv = load_cohort(paths.FIXTURE).patients
    from_xlsx = load_cohort(xlsx).patients
    assert from_xlsx["source_file"].unique().tolist() == ["cohort.xlsx"]  # each row's file: the only difference
    pd.testing.assert_frame_equal(from_csv.drop(columns="source_file"), from_xlsx.drop(columns="source_file"))


def test_xlsx_first_sheet_is_used_when_there_is_no_patients_sheet(tmp_path):
    xlsx = tmp_path / "cohort.xlsx"
    write_xlsx(paths.FIXTURE, xlsx, sheet="Feuil1")
    assert len(read_table(xlsx)) == 8


def test_missing_and_unsupported_files_raise_a_clear_error(tmp_path):
    with pytest.raises(DataFileError, match="no such file"):
        read_table(tmp_path / "absent.csv")
    other = tmp_path / "cohort.sav"
    other.write_text("x")
    with pytest.raises(DataFileError, match="unsupported file type"):
        read_table(other)


def test_provenance_note_marks_the_fixture_synthetic_and_a_copy_without_it_real(tmp_path):
    assert source_of(paths.FIXTURE).synthetic
    copy = tmp_path / "export.csv"
    copy.write_bytes(paths.FIXTURE.read_bytes())
    src = source_of(copy)
    assert not src.synthetic
    assert src.sha256 == source_of(paths.FIXTURE).sha256
