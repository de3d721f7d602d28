"""Export mistakes: each diagnosed in one line, with its fix, before any cell is checked."""

import codecs

import pytest

from analysis import paths
from analysis.data.diagnose import KINDS
from analysis.data.io import read_table
from analysis.exceptions import DataFileError


def _csv(tmp_path, raw, name="export.csv", **kw):
    path = tmp_path / name
    sep, encoding, terminator = kw.get("sep", ","), kw.get("encoding", "utf-8"), kw.get("lineterminator", "\n")
    path.write_bytes(raw.to_csv(sep=sep, index=False, lineterminator=terminator).encode(encoding))
    return path


def _findings(path):
    with pytest.raises(DataFileError) as info:
        read_table(path)
    return str(info.value).splitlines()


def test_french_excel_csv_gets_one_line_naming_separator_decimal_comma_and_date_format(
    tmp_path, examples, synthetic_raw
):
    path = tmp_path / "cohort_fr.csv"
    path.write_bytes(examples.french_excel_bytes(synthetic_raw))
    (line,) = _findings(path)
    assert "separated by ';', not ','" in line and "decimal commas ('22,4'" in line
    assert "DD/MM/YYYY" in line and "`date_format: '%d/%m/%Y'`" in line and "`delimiter: ';'`" in line
    assert "Excel Workbook (.xlsx)" in line and "cohort_fr.csv --draft-mapping" in line


@pytest.mark.parametrize("sep, word", [("\t", "tab"), ("|", "'|'")])
def test_other_separators(tmp_path, synthetic_raw, sep, word):
    (line,) = _findings(_csv(tmp_path, synthetic_raw, sep=sep))
    assert f"separated by {word}" in line


def test_windows_1252_accents_are_named_with_their_line(tmp_path, synthetic_raw):
    synthetic_raw.loc[2, "death_cause"] = "infection pulmonaire sévère"
    (line,) = _findings(_csv(tmp_path, synthetic_raw, encoding="cp1252"))
    assert "not UTF-8 but Windows-1252/Latin-1" in line and "line 4" in line and "'é'" in line
    assert "`encoding: cp1252`" in line


def test_utf16_unicode_text_is_recognised(tmp_path, synthetic_raw):
    path = tmp_path / "export.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + synthetic_raw.to_csv(sep="\t", index=False).encode("utf-16-le"))
    (line,) = _findings(path)
    assert "UTF-16" in line and "separated by tab" in line


def test_a_utf8_bom_and_crlf_line_ends_are_accepted(tmp_path, synthetic_raw):
    path = _csv(tmp_path, synthetic_raw, encoding="utf-8-sig", lineterminator="\r\n")
    assert read_table(path).equals(synthetic_raw)


def test_day_first_dates_in_a_comma_file(tmp_path, synthetic_raw):
    for col in ("chemo_start_date", "bsab_start_date", "last_followup_date"):
        synthetic_raw[col] = [f"{v[8:]}/{v[5:7]}/{v[:4]}" for v in synthetic_raw[col]]
    (line,) = _findings(_csv(tmp_path, synthetic_raw))
    assert "dates are written DD/MM/YYYY" in line and "Format Cells" in line


def test_dates_with_a_time_of_day(tmp_path, synthetic_raw):
    synthetic_raw["bsab_start_date"] += " 00:00:00"
    synthetic_raw["chemo_start_date"] += " 00:00:00"
    synthetic_raw["last_followup_date"] += " 00:00:00"
    (line,) = _findings(_csv(tmp_path, synthetic_raw))
    assert "carry a time of day" in line


@pytest.mark.parametrize("yes, no, family", [("TRUE", "FALSE", "TRUE/FALSE"), ("Oui", "Non", "Oui/Non")])
def test_flag_words(tmp_path, synthetic_raw, yes, no, family):
    from analysis.data.dictionary import COLUMNS

    for c in COLUMNS:
        if c.kind == "flag":
            synthetic_raw[c.name] = synthetic_raw[c.name].map({"1": yes, "0": no, "": ""})
    (line,) = _findings(_csv(tmp_path, synthetic_raw))
    assert f"flags are written {family}" in line and f"recode: {{{yes}: 1, {no}: 0}}" in line


def test_trailing_empty_rows_and_columns(tmp_path, synthetic_raw):
    path = tmp_path / "export.csv"
    text = synthetic_raw.to_csv(index=False, lineterminator="\n")
    lines = text.splitlines()
    lines = [lines[0] + ",,"] + [x + ",," for x in lines[1:]] + ["," * (synthetic_raw.shape[1] + 1)] * 3
    path.write_text("\n".join(lines) + "\n")
    found = _findings(path)
    assert len(found) == 2
    assert "3 empty row(s) at the end (lines 46–48" in found[0]
    assert "2 empty column(s) without a name (column BO, BP)" in found[1]


def test_excel_error_values_in_a_csv(tmp_path, synthetic_raw):
    synthetic_raw.loc[4, "m_protein_g_l"] = "#N/A"
    synthetic_raw.loc[7, "age_years"] = "#VALUE!"
    (line,) = _findings(_csv(tmp_path, synthetic_raw))
    assert "2 cell(s) hold Excel error values" in line and "#N/A at line 6, column 'm_protein_g_l'" in line


def test_a_repeated_header_from_files_pasted_together(tmp_path, synthetic_raw):
    path = tmp_path / "export.csv"
    text = synthetic_raw.iloc[:3].to_csv(index=False)
    path.write_bytes(text.encode() + b"\xef\xbb\xbf" + text.encode())
    (line,) = _findings(path)
    assert "line 5 repeat(s) the header" in line


def test_a_centre_export_in_its_own_columns_is_sent_to_a_mapping(tmp_path, examples):
    path = tmp_path / "centre.csv"
    raw = read_table(paths.FIXTURE).rename(columns=lambda c: c.upper())
    raw.to_csv(path, index=False)
    (line,) = _findings(path)
    assert "centre's own export" in line and "--draft-mapping" in line


def test_one_stray_cell_is_left_to_the_cell_report(tmp_path, synthetic_raw):
    synthetic_raw.loc[0, "m_protein_g_l"] = "12,5"
    synthetic_raw.loc[1, "chemo_start_date"] = "02/05/2023"
    synthetic_raw.loc[2, "paramedullary"] = "TRUE"
    assert len(read_table(_csv(tmp_path, synthetic_raw))) == 44


def test_every_kind_is_documented():
    assert set(KINDS) >= {
        "encoding",
        "delimiter",
        "decimal_comma",
        "date_format",
        "flag_words",
        "excel_errors",
        "formulas",
        "merged_cells",
        "other_sheet",
        "empty_rows",
        "empty_columns",
    }
