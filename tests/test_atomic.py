"""The one atomic writer: whole files or nothing, and a log line per write for the runner."""
import json

from analysis import atomic


def test_write_replaces_the_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "deep" / "folder" / "table.csv"
    atomic.write_text(target, "a,b\n1,2\n")
    atomic.write_bytes(target, b"x\n")
    assert target.read_bytes() == b"x\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["table.csv"]


def test_every_write_is_logged_when_the_runner_asks(tmp_path, monkeypatch):
    log = tmp_path / "writes.jsonl"
    monkeypatch.setenv(atomic.WRITE_LOG_ENV, str(log))
    atomic.write_text(tmp_path / "a.txt", "a")
    atomic.write_text(tmp_path / "b.txt", "b")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["path"] for line in lines] == [str((tmp_path / n).resolve()) for n in ("a.txt", "b.txt")]
    assert lines[0]["time"] <= lines[1]["time"]


def test_nothing_is_logged_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(atomic.WRITE_LOG_ENV, raising=False)
    atomic.write_text(tmp_path / "a.txt", "a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
