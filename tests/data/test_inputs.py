"""Which files a run's data are, and their digest (analysis.data.inputs): resolved once, hashed once."""

import shutil

import pytest

from analysis import paths
from analysis.data import inputs
from analysis.exceptions import DataFileError


def test_expand_folders_skips_notes_and_lock_files_and_refuses_repeats(tmp_path):
    for name in ("b.csv", "a.xlsx", "a.csv.provenance.yaml", "~$a.xlsx", ".hidden.csv", "notes.txt"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in inputs.expand(tmp_path)] == ["a.xlsx", "b.csv"]
    with pytest.raises(DataFileError, match="given twice"):
        inputs.expand([tmp_path / "b.csv", tmp_path])
    with pytest.raises(DataFileError, match="no such file or folder"):
        inputs.expand([tmp_path / "absent.csv"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFileError, match="holds no .csv or .xlsx"):
        inputs.expand(tmp_path / "empty")


def test_resolve_gives_the_default_cohort_for_nothing_and_reads_relative_paths_from_the_project_root(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # Papermill and nbval run in other folders
    assert inputs.resolve("") == inputs.resolve(None) == [paths.DEFAULT_DATA.resolve()]
    assert inputs.resolve("tests/fixtures/cohort_fixture.csv") == [paths.FIXTURE.resolve()]
    assert inputs.resolve(["tests/fixtures/cohort_fixture.csv", paths.DEFAULT_DATA]) == [
        paths.FIXTURE.resolve(),
        paths.DEFAULT_DATA.resolve(),
    ]
    assert all(p.is_absolute() for p in inputs.resolve(paths.TESTS / "fixtures" / "malformed"))


def test_the_digest_follows_contents_and_order_not_names(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    shutil.copy(paths.FIXTURE, a)
    b.write_text("patient_id\n")
    assert inputs.digest([a, b]) != inputs.digest([b, a])
    renamed = tmp_path / "z.csv"
    shutil.copy(a, renamed)
    assert inputs.digest([renamed, b]) == inputs.digest([a, b])
    (tmp_path / "a.csv.provenance.yaml").write_text("synthetic: true\n")
    assert inputs.digest([a, b]) != inputs.digest([renamed, b])  # the provenance note counts
    assert inputs.file_sha256(a) == __import__("hashlib").sha256(a.read_bytes()).hexdigest()
