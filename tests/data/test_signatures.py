"""What a file actually is, from its first bytes: one message for a file that holds no table (issue 26)."""

import codecs
import shutil

import pytest

from analysis import paths
from analysis.data.io import read_table
from analysis.data.signatures import identify, problem
from analysis.exceptions import DataFileError

EXAMPLES = paths.DATA / "examples"


def _refusal(path):
    with pytest.raises(DataFileError) as info:
        read_table(path)
    (message,) = str(info.value).splitlines()  # one paragraph
    return message


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"", "empty"),
        (b"\n\n  \r\n\t", "blank"),
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "blank"),
        (b"%PDF-1.7\n%\xe2\xe3", "pdf"),
        (b"\n <!DOCTYPE html><html><body>Sign in</body></html>", "html"),
        (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>', "xml_spreadsheet"),
        (b"PAR1\x15\x04", "parquet"),
        (b"$FL2@(#) SPSS DATA FILE", "spss"),
        (b"<stata_dta><header>", "stata"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "ole2"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        ("patient_id,sex\n".encode("utf-16-le"), "utf16"),
        (bytes(range(256)) * 4, "binary"),
        (b"PK\x03\x04\x14\x00\x00\x00", "damaged_zip"),
    ],
)
def test_each_kind_is_named_by_its_signature(data, kind):
    assert identify(data).kind == kind


@pytest.mark.parametrize(
    "data",
    [
        b"patient_id,center_id\nP1,C1\n",
        codecs.BOM_UTF8 + b"a;b\n1;2\n",
        codecs.BOM_UTF16_LE + "a\tb\n".encode("utf-16-le"),
        "patient_id;sexe\nP1;féminin\n".encode("cp1252"),
        b"a,b\n1\x00,2\n",  # text with a stray NUL: a control character in a cell, not a binary file
    ],
)
def test_text_is_left_to_the_csv_reader(data):
    assert identify(data) is None


def test_a_zero_byte_and_a_blank_file_get_one_message_with_the_fix(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    message = _refusal(tmp_path / "empty.csv")
    assert message.startswith("empty.csv: the file is empty (0 bytes): it holds no table. Fix: export")
    (tmp_path / "blank.csv").write_bytes(b"\n\n   \n")
    assert "the file is blank (6 bytes of spaces and line ends, no cell)" in _refusal(tmp_path / "blank.csv")


@pytest.mark.parametrize(
    "source, what, fix",
    [
        ("centre_fr.xlsx", "an Excel workbook (.xlsx), not a CSV table", "rename it export.xlsx"),
        ("centre_fr.sav", "an SPSS data file (.sav), not a CSV table", "import export.sav --draft-mapping"),
        ("centre_en.dta", "a Stata data file (.dta)", "rename it export.dta"),
    ],
)
def test_another_format_under_a_csv_name_is_named_with_its_fix(tmp_path, source, what, fix):
    shutil.copy(EXAMPLES / source, tmp_path / "export.csv")
    message = _refusal(tmp_path / "export.csv")
    assert what in message and fix in message and "although its name ends in .csv" in message
    assert "Windows-1252" not in message  # the advice for another problem


def test_a_csv_under_an_xlsx_name_and_a_workbook_under_a_sav_name(tmp_path):
    shutil.copy(paths.FIXTURE, tmp_path / "table.xlsx")
    message = _refusal(tmp_path / "table.xlsx")
    assert "this is a text file (its first line reads 'patient_id,center_id" in message
    assert "not an Excel workbook" in message and "rename it table.csv" in message
    shutil.copy(EXAMPLES / "centre_fr.xlsx", tmp_path / "export.sav")
    assert "not an SPSS data file" in problem(tmp_path / "export.sav", (tmp_path / "export.sav").read_bytes(), "spss")


def test_random_bytes_are_binary_data_not_windows_1252(tmp_path):
    import random

    rng = random.Random(26)
    (tmp_path / "noise.csv").write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    message = _refusal(tmp_path / "noise.csv")
    assert "this is binary data, not a CSV table" in message and "control bytes" in message
    assert "Windows-1252" not in message


def test_a_pdf_and_a_web_page_say_what_they_are_and_where_to_get_the_table(tmp_path):
    (tmp_path / "t.csv").write_bytes(b"%PDF-1.4\n1 0 obj")
    assert "PDF document" in _refusal(tmp_path / "t.csv") and "export the table itself" in _refusal(tmp_path / "t.csv")
    (tmp_path / "t.csv").write_bytes(b"<html><head><title>Login</title>")
    assert "HTML page" in _refusal(tmp_path / "t.csv") and "login or error page" in _refusal(tmp_path / "t.csv")
