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
