"""analysis.data.summary_files: a summary is read back as written, and every way it can be wrong is refused."""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.data import summary_files
from analysis.data.cohort import load_cohort
from analysis.exceptions import DataFileError
from analysis.study.federated import summary


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("s") / "centre"
    cohort = load_cohort(paths.FIXTURE)
    summary.write_summary(cohort, out, min_cell=3)
    return out


@pytest.fixture
def copy(written, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(written, folder)
    return folder


def _manifest(folder, **changes):
    m = json.loads((folder / summary_files.MANIFEST).read_text(encoding="utf-8"))
    m.update(changes)
    (folder / summary_files.MANIFEST).write_text(json.dumps(m), encoding="utf-8")


def _drop(folder, key):
    m = json.loads((folder / summary_files.MANIFEST).read_text(encoding="utf-8"))
    del m[key]
    (folder / summary_files.MANIFEST).write_text(json.dumps(m), encoding="utf-8")


def test_read_gives_back_the_tables_with_suppressed_cells_empty(written):
    s = summary_files.read(written)
    assert sorted(s.tables) == sorted(summary_files.TABLES) and s.n_patients == 8
    t = s.tables["time_counts.csv"]
    assert str(t["events"].dtype) == "Int64" and t["events"].isna().any()  # 8 patients: min_cell 3 suppresses
    report = s.tables["disclosure.csv"]
    assert len(report) == s.manifest["disclosure"]["suppressed_blocks"] > 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: _manifest(f, schema_version=99), "summary schema version 99, this code reads version 1"),
        (lambda f: _manifest(f, dictionary_version="0000"), "made with data dictionary '0000'"),
        (
            lambda f: (f / "histograms.csv").write_text("centre,variable\n"),
            "histograms.csv: its SHA-256 does not match",
        ),
        (lambda f: (f / "responses.csv").unlink(), "responses.csv is listed in the manifest but missing"),
        (lambda f: (f / summary_files.MANIFEST).unlink(), "no manifest.json, so this is not a centre summary"),
        (lambda f: (f / summary_files.MANIFEST).write_text("{not json"), "manifest.json: not readable JSON"),
        (lambda f: _manifest(f, files={"time_counts.csv": "x"}), "lists the files ['time_counts.csv']"),
        (lambda f: _drop(f, "n_patients"), "no `n_patients` entry"),
    ],
)
def test_a_summary_that_is_not_as_written_is_refused_with_what_to_do(copy, change, message):
    change(copy)
    with pytest.raises(DataFileError, match=re.escape(message)):
        summary_files.read(copy)


def test_a_count_that_is_not_a_whole_number_is_refused_with_its_line(copy):
    import hashlib

    path = copy / "claim_counts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head, first = lines[0], lines[1].split(",")
    first[-1] = "2.5"
    path.write_text("\n".join([head, ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    m = json.loads((copy / summary_files.MANIFEST).read_text(encoding="utf-8"))
    m["files"]["claim_counts.csv"] = hashlib.sha256(path.read_bytes()).hexdigest()  # a consistent forgery
    (copy / summary_files.MANIFEST).write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"claim_counts.csv, line 2, column denominator: '2.5' is not a count"):
        summary_files.read(copy)


def test_not_a_folder_is_refused(tmp_path):
    with pytest.raises(DataFileError, match="not a folder"):
        summary_files.read(tmp_path / "nothing")


def test_write_replaces_a_summary_only_once_every_file_is_written(written, tmp_path):
    folder = tmp_path / "s"
    shutil.copytree(written, folder)
    before = {f.name: f.read_bytes() for f in folder.iterdir()}
    tables = dict(summary_files.read(written).tables)
    tables["histograms.csv"] = tables["histograms.csv"].rename(columns={"n": "count"})  # breaks the schema
    with pytest.raises(ValueError, match="histograms.csv: columns"):
        summary_files.write(folder, tables, {})
    assert {f.name: f.read_bytes() for f in folder.iterdir()} == before
    with pytest.raises(ValueError, match="a summary has the tables"):
        summary_files.write(folder, {"time_counts.csv": pd.DataFrame()}, {})


def test_dictionary_version_is_stable_and_changes_with_the_dictionary(monkeypatch):
    import dataclasses

    from analysis.data import dictionary

    v = summary_files.dictionary_version()
    assert len(v) == 16 and v == summary_files.dictionary_version()
    changed = (dataclasses.replace(dictionary.COLUMNS[0], description="another meaning"), *dictionary.COLUMNS[1:])
    monkeypatch.setattr(dictionary, "COLUMNS", changed)
    assert summary_files.dictionary_version() != v


@pytest.mark.parametrize(
    ("key", "value"),
    [("centres", "C01"), ("n_patients", -1), ("n_patients", True), ("files", []), ("disclosure", {"min_cell": 3})],
)
def test_a_manifest_entry_of_the_wrong_shape_is_refused(copy, key, value):
    _manifest(copy, **{key: value})
    with pytest.raises(DataFileError, match=re.escape(f"its `{key}` entry is not as `summarize` writes it")):
        summary_files.read(copy)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=st.data())
def test_byte_flips_truncations_and_inserted_bytes_anywhere_give_the_summary_or_a_clear_error(written, data):
    """The fuzzing invariant of issue 26 for summaries: no other exception; an accepted summary is the one written."""
    import tempfile

    name = data.draw(st.sampled_from([summary_files.MANIFEST, *summary_files.TABLES]))
    raw = bytearray((written / name).read_bytes())
    how = data.draw(st.sampled_from(["flip", "truncate", "insert"]))
    at = data.draw(st.integers(0, max(len(raw) - 1, 0)))
    if how == "flip" and raw:
        raw[at] = data.draw(st.integers(0, 255))
    elif how == "truncate":
        raw = raw[:at]
    else:
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=8))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "s"
        shutil.copytree(written, folder)
        (folder / name).write_bytes(bytes(raw))
        try:
            got = summary_files.read(folder)
        except DataFileError as exc:
            assert str(exc).startswith(str(folder))
        else:  # accepted: only a change that leaves the bytes' meaning (e.g. JSON whitespace) passes
            want = summary_files.read(written)
            for table in summary_files.TABLES:
                pd.testing.assert_frame_equal(got.tables[table], want.tables[table])
