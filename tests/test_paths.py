from pathlib import Path

from analysis import paths, settings


def test_relative_paths_resolve_from_the_project_root_not_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.resolve("data/x.csv") == paths.ROOT / "data" / "x.csv"
    assert paths.resolve("/abs/x.csv") == Path("/abs/x.csv")
    assert paths.resolve("", paths.DEFAULT_DATA) == paths.DEFAULT_DATA


def test_output_root_precedence(no_output_override, monkeypatch, tmp_path):
    assert paths.output_root("") == paths.ROOT
    assert paths.output_root("runs/a") == paths.ROOT / "runs" / "a"
    monkeypatch.setenv(settings.VARIABLES["output_root"], str(tmp_path))
    assert paths.output_root("runs/a") == tmp_path


def test_private_data_folder_is_git_ignored():
    ignored = (paths.ROOT / ".gitignore").read_text().splitlines()
    assert "data/private/" in ignored
