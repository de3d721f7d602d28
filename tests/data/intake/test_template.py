"""The data-entry template: generated from the dictionary, reproducible, and valid once filled in."""

import datetime as dt

import openpyxl
import pandas as pd

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.data.dictionary import BY_NAME, COLUMNS, NAMES
from analysis.data.intake.template import SHEET, template_bytes, write_template


def test_same_dictionary_same_bytes(tmp_path):
    a = write_template(tmp_path / "a.xlsx").read_bytes()
    assert a == template_bytes() and a == write_template(tmp_path / "b.xlsx").read_bytes()


def test_every_column_in_dictionary_order_with_a_validation_and_a_comment(tmp_path):
    book = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    assert book.sheetnames == [SHEET, "dictionary", "how to"]
    ws = book[SHEET]
    assert [c.value for c in ws[1]] == list(NAMES) and ws.freeze_panes == "A2"
    covered = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            covered[rng.min_col] = (dv.type, dv.formula1, dv.formula2, str(rng))
    assert sorted(covered) == list(range(1, len(COLUMNS) + 1))  # every column, once
    letter = {name: openpyxl.utils.get_column_letter(k + 1) for k, name in enumerate(NAMES)}
    assert covered[NAMES.index("sex") + 1][:2] == ("list", '"F,M"')
    assert covered[NAMES.index("hypercalcemia") + 1][:2] == ("list", '"1,0"')
    assert covered[NAMES.index("age_years") + 1][:3] == ("whole", "18", "100")
    assert covered[NAMES.index("m_protein_g_l") + 1][:3] == ("decimal", "0", "150")
    assert covered[NAMES.index("bsab_start_date") + 1][:3] == ("date", "36526", "73050")  # 2000-01-01, 2099-12-31
    assert covered[NAMES.index("patient_id") + 1][3] == f"{letter['patient_id']}2:{letter['patient_id']}1048576"
    comment = ws["I1"].comment.text
    assert "m_protein_g_l" in comment and "Unit: g/L" in comment and "Empty = not measured" in comment
    assert "Required: may not be empty" in ws["A1"].comment.text
    rows = list(book["dictionary"].values)
    assert len(rows) == len(COLUMNS) + 1 and rows[1][0] == "patient_id"


def test_a_template_filled_with_the_synthetic_cohort_validates(tmp_path, synthetic_raw):
    path = write_template(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[SHEET]
    for i, row in enumerate(synthetic_raw.itertuples(index=False), start=2):
        for j, (name, text) in enumerate(zip(NAMES, row), start=1):
            if text == "":
                continue
            kind = BY_NAME[name].kind
            value = (
                dt.datetime.strptime(text, "%Y-%m-%d")
                if kind == "date"
                else int(text)
                if kind in ("flag", "integer")
                else float(text)
                if kind == "number"
                else text
            )
            ws.cell(row=i, column=j, value=value)
    book.save(path)
    filled = load_cohort(path)
    expected = load_cohort(paths.DEFAULT_SYNTHETIC)
    pd.testing.assert_frame_equal(
        filled.patients.drop(columns="source_file"), expected.patients.drop(columns="source_file")
    )
