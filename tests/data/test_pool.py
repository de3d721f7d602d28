"""Pooling centres' files: each validated, then checked against each other; same cohort as one file."""

import pandas as pd
import pytest

from analysis import paths
from analysis.data import derive
from analysis.data.cohort import load_cohort
from analysis.data.io import read_table
from analysis.data.pool import SOURCE_COLUMN, validate_files
from analysis.exceptions import DataFileError, DataValidationError


def _split(raw, folder, groups):
    folder.mkdir(exist_ok=True)
    out = []
    for k, centres in enumerate(groups, start=1):
        path = folder / f"c{k}.csv"
        raw[raw["center_id"].isin(centres)].to_csv(path, index=False)
        out.append(path)
    return out


GROUPS = [["C01", "C02", "C03", "C04", "C05"], ["C06", "C07", "C08", "C09"], ["C10", "C11", "C12", "C13", "C14"]]


def test_pooling_per_centre_files_equals_the_concatenated_file(tmp_path, synthetic_raw):
    files = _split(synthetic_raw, tmp_path / "split", GROUPS)
    pooled = load_cohort(files)
    order = pd.concat([synthetic_raw[synthetic_raw["center_id"].isin(g)] for g in GROUPS])
    order.to_csv(tmp_path / "all.csv", index=False)
    single = load_cohort(tmp_path / "all.csv")
    assert pooled.pooled and pooled.n == single.n == 44
    assert pooled.patients[SOURCE_COLUMN].astype(str).tolist() == sum(
        ([f"c{k}.csv"] * int(synthetic_raw["center_id"].isin(g).sum()) for k, g in enumerate(GROUPS, 1)), []
    )
    drop = {"columns": SOURCE_COLUMN}
    pd.testing.assert_frame_equal(pooled.patients.drop(**drop), single.patients.drop(**drop))
    for fn in (derive.subject_level, derive.time_to_event, derive.response):
        a, b = fn(pooled.patients), fn(single.patients)
        pd.testing.assert_frame_equal(
            a.drop(columns=[SOURCE_COLUMN], errors="ignore"), b.drop(columns=[SOURCE_COLUMN], errors="ignore")
        )
    assert pooled.synthetic is False  # the split files have no provenance note
    assert pooled.source.name == "3 files: c1.csv, c2.csv, c3.csv"
    assert load_cohort(tmp_path / "split").source.sha256 == pooled.source.sha256  # a folder: its files by name


def test_a_pool_of_synthetic_files_stays_synthetic(tmp_path, synthetic_raw):
    files = _split(synthetic_raw, tmp_path, GROUPS[:2])
    for f in files:
        f.with_name(f.name + ".provenance.yaml").write_text("synthetic: true\ndescription: part\n")
    assert load_cohort(files).synthetic


def test_a_patient_in_two_files_names_both_files_and_lines(tmp_path):
    raw = read_table(paths.FIXTURE)
    raw.iloc[:4].to_csv(tmp_path / "a.csv", index=False)
    b = raw.iloc[4:].copy()
    b.loc[6, "patient_id"] = "FX02"
    b["center_id"] = "C09"
    b.to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(DataValidationError) as info:
        load_cohort([tmp_path / "a.csv", tmp_path / "b.csv"])
    report = info.value.report
    dup = [p for p in report.problems if p.rule == "patient_id_unique_across_files"]
    assert [(p.file, p.line) for p in dup] == [("a.csv", 3), ("b.csv", 4)]
    assert "also on line 4 of b.csv" in dup[0].message and "also on line 3 of a.csv" in dup[1].message
    assert "a.csv: line 3, patient 'FX02'" in report.to_text()
    frame = report.to_frame()
    assert frame.columns[0] == "file" and set(frame["file"]) == {"a.csv", "b.csv"}


def test_a_centre_in_two_files_is_refused(tmp_path):
    raw = read_table(paths.FIXTURE)
    raw.iloc[:4].to_csv(tmp_path / "a.csv", index=False)  # C01, C02
    raw.iloc[4:].to_csv(tmp_path / "b.csv", index=False)  # C03, C01, C02
    report = validate_files([tmp_path / "a.csv", tmp_path / "b.csv"]).report
    rules = {(p.file, p.value, p.rule) for p in report.problems}
    assert ("a.csv", "C01", "center_id_in_one_file") in rules and ("b.csv", "C02", "center_id_in_one_file") in rules
    assert ("b.csv", "C03", "center_id_in_one_file") not in rules


def test_each_files_own_problems_name_the_file(tmp_path):
    raw = read_table(paths.FIXTURE)
    a, b = raw.iloc[:4].copy(), raw.iloc[4:].copy()
    b["center_id"] = "C09"
    b.loc[5, "sex"] = "X"
    a.to_csv(tmp_path / "a.csv", index=False)
    b.to_csv(tmp_path / "b.csv", index=False)
    (p,) = validate_files([tmp_path / "a.csv", tmp_path / "b.csv"]).report.problems
    assert (p.file, p.line, p.column, p.rule) == ("b.csv", 3, "sex", "in_codes")


def test_file_level_problems_of_every_file_at_once(tmp_path, examples, synthetic_raw):
    (tmp_path / "fr.csv").write_bytes(examples.french_excel_bytes(synthetic_raw))
    (tmp_path / "fr2.csv").write_bytes(examples.french_excel_bytes(synthetic_raw))
    with pytest.raises(DataFileError) as info:
        load_cohort([tmp_path / "fr.csv", tmp_path / "fr2.csv"])
    lines = str(info.value).splitlines()
    assert len(lines) == 2 and lines[0].startswith("fr.csv:") and lines[1].startswith("fr2.csv:")


def test_files_with_the_same_name_in_two_folders_keep_distinct_names(tmp_path, synthetic_raw):
    for k, group in enumerate(GROUPS[:2]):
        (tmp_path / f"site{k}").mkdir()
        synthetic_raw[synthetic_raw["center_id"].isin(group)].to_csv(tmp_path / f"site{k}" / "export.csv", index=False)
    cohort = load_cohort([tmp_path / "site0", tmp_path / "site1"])
    assert list(cohort.patients[SOURCE_COLUMN].cat.categories) == ["site0/export.csv", "site1/export.csv"]
