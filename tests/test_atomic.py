"""The one atomic writer: whole files or nothing, and a log line per write for the runner."""

import json

from analysis import atomic, settings


def test_write_replaces_the_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "deep" / "folder" / "table.csv"
    atomic.write_text(target, "a,b\n1,2\n")
    atomic.write_bytes(target, b"x\n")
    assert target.read_bytes() == b"x\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["table.csv"]


def test_every_write_is_logged_when_the_runner_asks(tmp_path, monkeypatch):
    log = tmp_path / "writes.jsonl"
    monkeypatch.setenv(settings.VARIABLES["write_log"], str(log))
    atomic.write_text(tmp_path / "a.txt", "a")
    atomic.write_text(tmp_path / "b.txt", "b")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["path"] for line in lines] == [str((tmp_path / n).resolve()) for n in ("a.txt", "b.txt")]
    assert lines[0]["time"] <= lines[1]["time"]


def test_nothing_is_logged_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.VARIABLES["write_log"], raising=False)
    atomic.write_text(tmp_path / "a.txt", "a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_reproducible_zip_pins_entry_dates_and_document_stamps():
    import io
    import zipfile

    def archive(when, stamp):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(
                zipfile.ZipInfo("docProps/core.xml", date_time=when),
                f"<cp><dcterms:created x='1'>{stamp}</dcterms:created>"
                f"<dcterms:modified>{stamp}</dcterms:modified></cp>",
            )
            z.writestr(zipfile.ZipInfo("xl/a.xml", date_time=when), "<a/>")
        return buf.getvalue()

    a = archive((2024, 5, 1, 10, 0, 0), "2024-05-01T10:00:00Z")
    b = archive((2025, 1, 2, 3, 4, 6), "2025-01-02T03:04:06Z")
    assert a != b and atomic.reproducible_zip(a) == atomic.reproducible_zip(b)
    z = zipfile.ZipFile(io.BytesIO(atomic.reproducible_zip(a)))
    assert [i.filename for i in z.infolist()] == ["docProps/core.xml", "xl/a.xml"]
    assert {i.date_time for i in z.infolist()} == {atomic.ZIP_ENTRY_TIME}
    assert z.read("docProps/core.xml").decode().count("2000-01-01T00:00:00Z") == 2
    assert z.read("xl/a.xml") == b"<a/>"
