"""Importing exports of every supported format; provenance; shape mistakes named with the mapping setting."""

import pyreadstat
import pytest

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.data.intake.importer import map_file, provenance, write_result
from analysis.data.intake.mapping import load_mapping
from analysis.data.io import file_sha256, read_provenance
from analysis.exceptions import DataFileError

EXAMPLES = paths.DATA / "examples"


def test_the_french_excel_csv_imports_back_to_the_cohort_byte_for_byte(tmp_path):
    result = map_file(EXAMPLES / "cohort_fr_excel.csv", load_mapping(EXAMPLES / "cohort_fr_excel.yaml"))
    out = write_result(result, tmp_path / "c.csv")
    assert out.read_bytes() == paths.DEFAULT_SYNTHETIC.read_bytes()
    meta = read_provenance(out)
    assert meta["synthetic"] is True  # from the raw file's own note
    assert meta["source"]["sha256"] == file_sha256(EXAMPLES / "cohort_fr_excel.csv")
    assert meta["mapping"] == {"file": "cohort_fr_excel.yaml", "sha256": file_sha256(EXAMPLES / "cohort_fr_excel.yaml")}
    assert meta["decimal_commas"] == {"m_protein_g_l": 37} and meta["dates_converted"]["bsab_start_date"]["cells"] == 44
    assert load_cohort(out).synthetic


def test_a_mapping_cannot_make_real_data_synthetic(tmp_path):
    raw = tmp_path / "export.csv"
    raw.write_bytes((EXAMPLES / "cohort_fr_excel.csv").read_bytes())
    result = map_file(raw, load_mapping(EXAMPLES / "cohort_fr_excel.yaml"))
    assert provenance(result)["synthetic"] is False


def _stat_mapping(tmp_path):
    (tmp_path / "m.yaml").write_text("compendium_mapping: 1\ncolumns: {}\n")
    return load_mapping(tmp_path / "m.yaml")


def _typed_frame(synthetic_raw):
    import numpy as np
    import pandas as pd

    from analysis.data.dictionary import BY_NAME

    out = {}
    for name in synthetic_raw.columns:
        kind = BY_NAME[name].kind
        cells = synthetic_raw[name]
        if kind == "date":
            out[name] = [pd.Timestamp(t).date() if t else None for t in cells]
        elif kind in ("flag", "integer", "number"):
            out[name] = [float(t) if t else np.nan for t in cells]
        else:
            out[name] = list(cells)
    return pd.DataFrame(out)


@pytest.mark.parametrize(
    "suffix, write", [(".sav", pyreadstat.write_sav), (".dta", pyreadstat.write_dta), (".xpt", pyreadstat.write_xport)]
)
def test_spss_stata_and_sas_transport_files_import(tmp_path, synthetic_raw, suffix, write):
    path = tmp_path / f"export{suffix}"
    write(_typed_frame(synthetic_raw), str(path))
    result = map_file(path, _stat_mapping(tmp_path))
    assert result.ok, result.problems_text()
    out = write_result(result, tmp_path / "out.csv")
    expected = load_cohort(paths.DEFAULT_SYNTHETIC).patients.drop(columns="source_file")
    got = load_cohort(out).patients.drop(columns="source_file")
    import pandas as pd

    pd.testing.assert_frame_equal(got, expected)
    assert result.raw.row_word == "case"


def test_the_spss_example_with_value_labels(tmp_path):
    result = map_file(EXAMPLES / "centre_export.sav", load_mapping(EXAMPLES / "centre_export_sav.yaml"))
    assert result.ok and result.raw.value_labels["sexe"] == {"1": "Homme", "2": "Femme"}
    assert result.report.recodes["sex"] == {"1 → M": 22, "2 → F": 22}
    assert load_cohort(write_result(result, tmp_path / "c16.csv")).n == 44


def test_an_undeclared_separator_is_named_with_the_mapping_setting(tmp_path):
    (tmp_path / "m.yaml").write_text("columns: {}\n")
    with pytest.raises(DataFileError) as info:
        map_file(EXAMPLES / "cohort_fr_excel.csv", load_mapping(tmp_path / "m.yaml"))
    (line,) = str(info.value).splitlines()
    assert "separated by ';'" in line and "Fix: set `delimiter: ';'` under `read:` in m.yaml" in line


def test_declared_empty_rows_are_dropped_and_counted(tmp_path, synthetic_raw):
    path = tmp_path / "export.csv"
    path.write_text(synthetic_raw.to_csv(index=False) + "," * 65 + "\n" + "," * 65 + "\n")
    (tmp_path / "m.yaml").write_text("columns: {}\n")
    with pytest.raises(DataFileError, match="`drop_empty_rows: true`"):
        map_file(path, load_mapping(tmp_path / "m.yaml"))
    (tmp_path / "m.yaml").write_text("read: {drop_empty_rows: true}\ncolumns: {}\n")
    result = map_file(path, load_mapping(tmp_path / "m.yaml"))
    assert result.ok and len(result.table) == 44 and result.report.dropped_rows == 2
    assert provenance(result)["empty_rows_dropped"] == 2


def _edited_export(tmp_path, edits):
    """centre_export_fr.csv with some cells changed: ``edits`` maps (data row index, raw column) to the new text."""
    import csv
    import io

    rows = list(
        csv.reader(io.StringIO((EXAMPLES / "centre_export_fr.csv").read_text(encoding="utf-8-sig")), delimiter=";")
    )
    for (k, column), text in edits.items():
        rows[k + 1][rows[0].index(column)] = text
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    (tmp_path / "export.csv").write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return tmp_path / "export.csv"


def test_three_different_mistakes_are_reported_in_one_pass_in_the_centres_own_terms(tmp_path):
    raw = _edited_export(
        tmp_path,
        {(2, "Sexe"): "Inconnu", (4, "Date J1 bispécifique"): "31/13/2022", (6, "Âge"): "120"},  # lines 4, 6, 8
    )
    result = map_file(raw, load_mapping(EXAMPLES / "centre_export_fr.yaml"))
    assert not result.ok
    assert [p.to_text() for p in result.problems] == [
        "line 4, column 'Sexe' (sex) = 'Inconnu': not a code of sex (F, M) and no recode. If it is a typing mistake, "
        "correct it in the source; if it is one of the centre's own codes, declare it: add to centre_export_fr.yaml "
        "under `columns:` → `Sexe:` `recode:` the line `Inconnu: <F|M>` (sex may not be empty)",
        "line 6, column 'Date J1 bispécifique' (bsab_start_date) = '31/13/2022': is not a date written '%d/%m/%Y' "
        "(its declared date_format); if it is a typing mistake, correct it in the source; else declare how this "
        "column's dates are written in centre_export_fr.yaml: under `columns:` → `Date J1 bispécifique:` the line "
        "`date_format: '%d/%m/%Y'` (with this column's codes), or `read: date_format:` for every date column",
        "line 8, column 'Âge' (age_years) = '120', patient 'C15-007': must lie in [18, 100] years (rule in_range)",
    ]
    assert result.problems_text().startswith(
        "export.csv: 3 problem(s) with centre_export_fr.yaml, each in the export's own columns and lines "
        "(nothing written):\n"
    )
    with pytest.raises(ValueError, match="nothing written"):
        write_result(result, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.csv.provenance.yaml").exists()


def test_a_converted_value_is_shown_beside_the_raw_one(tmp_path):
    result = map_file(
        _edited_export(tmp_path, {(0, "Pic monoclonal (g/dL)"): "17,5"}),
        load_mapping(EXAMPLES / "centre_export_fr.yaml"),
    )
    (p,) = result.problems
    assert p.to_text() == (
        "line 2, column 'Pic monoclonal (g/dL)' (m_protein_g_l) = '17,5' (as m_protein_g_l: '175'), patient "
        "'C15-001': must lie in [0, 150] g/L (rule in_range)"
    )


def test_spss_user_missing_codes_become_empty_counted_with_label_and_source(tmp_path, synthetic_raw):
    frame = _typed_frame(synthetic_raw)
    untested = frame["del17p"].isna()
    frame.loc[untested, "del17p"] = 9.0
    path = tmp_path / "export.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        variable_value_labels={"del17p": {0: "Non", 1: "Oui", 9: "Non fait"}},
        missing_ranges={"del17p": [9]},
    )
    result = map_file(path, _stat_mapping(tmp_path))
    assert result.ok, result.problems_text()
    assert result.table["del17p"].tolist() == synthetic_raw["del17p"].tolist()
    n = int(untested.sum())
    assert provenance(result)["declared_missing"] == {
        "del17p": {"9": {"cells": n, "source": "SPSS user-missing", "label": "Non fait"}}
    }
    assert f"  empty (declared missing) del17p: '9' (Non fait) {n} [SPSS user-missing]" in result.summary()


def test_a_derived_age_and_recodes_are_in_the_provenance(tmp_path, synthetic_raw):
    raw = synthetic_raw.drop(columns="age_years")
    raw.insert(
        2,
        "Date de naissance",
        [f"31/12/{int(d[:4]) - int(a) - 1}" for d, a in zip(raw["bsab_start_date"], synthetic_raw["age_years"])],
    )
    raw.to_csv(tmp_path / "export.csv", index=False)
    (tmp_path / "m.yaml").write_text(
        "read: {date_format: '%d/%m/%Y'}\n"
        "derive: {age_years: {rule: age_in_years, from: Date de naissance, at: bsab_start_date}}\n"
    )
    result = map_file(tmp_path / "export.csv", load_mapping(tmp_path / "m.yaml"))
    assert result.ok, result.problems_text()
    out = write_result(result, tmp_path / "out.csv")
    assert out.read_bytes() == paths.DEFAULT_SYNTHETIC.read_bytes()  # the birth date never reaches the output
    assert read_provenance(out)["derived"] == {
        "age_years": {
            "rule": "age_in_years",
            "from": ["Date de naissance"],
            "at": "bsab_start_date",
            "cells": 44,
            "empty": {},
        }
    }


def test_an_xlsx_export_reads_stored_formula_values_and_says_so(tmp_path, synthetic_raw, store_formula_values):
    import openpyxl

    synthetic_raw = synthetic_raw.head(4)  # a small workbook: openpyxl reads it twice
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Export"
    ws.append(list(synthetic_raw.columns))
    for row in synthetic_raw.itertuples(index=False):
        ws.append(list(row))
    age = synthetic_raw.loc[0, "age_years"]
    ws["D2"] = '=DATEDIF(DATE(1950,1,1),TODAY(),"y")'
    ws["D3"] = "=D2"
    book.save(tmp_path / "export.xlsx")
    (tmp_path / "m.yaml").write_text("columns: {}\n")
    with pytest.raises(DataFileError, match=r"2 cell\(s\) of sheet 'Export' hold formulas with no stored value"):
        map_file(tmp_path / "export.xlsx", load_mapping(tmp_path / "m.yaml"))
    store_formula_values(tmp_path / "export.xlsx", {"D2": int(age), "D3": int(synthetic_raw.loc[1, "age_years"])})
    result = map_file(tmp_path / "export.xlsx", load_mapping(tmp_path / "m.yaml"))
    assert result.ok and result.raw.row_word == "row"
    assert "  note: 2 formula cell(s) of sheet 'Export' read as their stored values: D2 " in result.summary()
    assert provenance(result)["formula_cells_read_as_stored_values"] == [
        {"cell": "D2", "formula": '=DATEDIF(DATE(1950,1,1),TODAY(),"y")', "value": age},
        {"cell": "D3", "formula": "=D2", "value": synthetic_raw.loc[1, "age_years"]},
    ]
