"""A centre summary holds aggregates only: no patient identifier, date or row; and what it holds is right."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data import derive, summary_files
from analysis.data.cohort import load_cohort
from analysis.study.federated import summary


@pytest.fixture(scope="module")
def cohort():
    return load_cohort(paths.DEFAULT_SYNTHETIC)


@pytest.fixture(scope="module")
def written(cohort, tmp_path_factory):
    out = tmp_path_factory.mktemp("summary") / "C_all"
    summary.write_summary(cohort, out, min_cell=1)
    return out


def test_no_file_of_a_summary_holds_an_identifier_a_date_or_a_patient_row(cohort, written):
    p = cohort.patients
    ids = set(p["patient_id"].astype(str))
    dates = {str(d.date()) for c in p.columns if pd.api.types.is_datetime64_any_dtype(p[c]) for d in p[c].dropna()}
    files = sorted(written.iterdir())
    assert [f.name for f in files] == sorted([*summary_files.TABLES, summary_files.MANIFEST])
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)], f.name
        assert not [d for d in dates if d in text], f.name
        assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", text), f.name  # no date of any kind
        assert str(paths.ROOT) not in text  # no path either
        if f.suffix == ".json":
            assert all("/" not in name for name in json.loads(text)["data"])  # file names only
    for name, (keys, values) in summary_files.TABLES.items():
        table = pd.read_csv(written / name, dtype=str, keep_default_na=False)
        assert "patient_id" not in table.columns and list(table.columns) == [*keys, *values]


def test_the_counts_are_those_of_the_patient_rows(cohort, written):
    s = summary_files.read(written)
    adsl, adtte = derive.subject_level(cohort.patients), derive.time_to_event(cohort.patients)
    t = s.tables["time_counts.csv"]
    pfs = t[(t["endpoint"] == "PFS") & (t["grouping"] == "all")]
    rows = adtte[adtte["endpoint"] == "PFS"]
    assert int(pfs["events"].sum()) == int(rows["event"].sum()) and int(pfs[["events", "censored"]].sum().sum()) == 44
    emd = t[(t["endpoint"] == "OS") & (t["grouping"] == "extramedullary") & (t["group"] == "1")]
    assert int(emd[["events", "censored"]].sum().sum()) == int((adsl["extramedullary"] == 1).sum())
    f = s.tables["frequencies.csv"]
    sex = f[(f["variable"] == "sex") & (f["grouping"] == "all")].groupby("value")["n"].sum()
    assert sex.to_dict() == adsl["sex"].astype(str).value_counts().to_dict()
    h = s.tables["histograms.csv"]
    age = h[(h["variable"] == "age_years") & (h["grouping"] == "all")]
    values = np.repeat(age["value"].astype(float), age["n"].astype(int))
    assert sorted(values) == sorted(adsl["age_years"].astype(float))
    r = s.tables["responses.csv"]
    c1 = r[(r["timepoint"] == "C1") & (r["grouping"] == "all") & (r["orr"] == "1")]
    adrs = derive.response(cohort.patients)
    assert int(c1["n"].sum()) == int(((adrs["timepoint"] == "C1") & (adrs["orr"] == 1)).sum())
    tr = s.tables["transitions.csv"]
    assert int(tr[(tr["from_timepoint"] == "C1") & (tr["to_timepoint"] == "C3")]["n"].sum()) == 44


def test_the_manifest_says_what_the_summary_is(cohort, written):
    m = json.loads((written / summary_files.MANIFEST).read_text(encoding="utf-8"))
    assert m["synthetic"] is True and m["n_patients"] == 44 and len(m["centres"]) == 14
    assert m["schema_version"] == summary_files.SCHEMA_VERSION
    assert m["dictionary_version"] == summary_files.dictionary_version()
    assert m["data"] == ["cohort.csv"] and "counts only, no patient identifier, date or row" in m["what"]
    assert m["disclosure"]["min_cell"] == 1 and m["disclosure"]["suppressed_cells"] == 0
    assert sorted(m["contents"]) == sorted(summary_files.TABLES) and sorted(m["files"]) == sorted(summary_files.TABLES)
    assert "30.4375" in m["time_scale"]


def test_same_cohort_same_bytes(cohort, written, tmp_path):
    again = tmp_path / "again"
    summary.write_summary(cohort, again, min_cell=1)
    assert {f.name: f.read_bytes() for f in again.iterdir()} == {f.name: f.read_bytes() for f in written.iterdir()}


def test_a_coarser_grid_rounds_times_up_and_never_earlier(cohort):
    fine = summary.summary_tables(cohort.patients)["time_counts.csv"]
    coarse = summary.summary_tables(cohort.patients, grid_days=30)["time_counts.csv"]
    assert (coarse["time_days"].astype(int) % 30 == 0).all()
    assert coarse[["events", "censored"]].sum().tolist() == fine[["events", "censored"]].sum().tolist()
    with pytest.raises(ValueError, match="grid_days must be a whole number of days ≥ 1"):
        summary.summary_tables(cohort.patients, grid_days=0)


def test_value_text_keeps_the_recording_resolution():
    assert [summary.value_text(v) for v in (3, 3.0, 12.5, np.float64(0.1), None, np.nan, pd.NA, "PR")] == [
        "3",
        "3",
        "12.5",
        "0.1",
        "missing",
        "missing",
        "missing",
        "PR",
    ]
