"""Crashes the fuzzing harness found (tests/fixtures/fuzz_files.py), each kept with its minimal file.

Every case here ended in a traceback, or wrote something the compendium could not read back, before
it was fixed; the file is the smallest one that showed it.
"""

import codecs

import pytest
import yaml

from analysis import paths
from analysis.data.intake.draft_mapping import draft
from analysis.data.intake.mapping import _TextLoader
from analysis.data.io import read_table
from analysis.exceptions import DataFileError

EXAMPLES = paths.DATA / "examples"


def _draft_is_yaml(path):
    text = draft(path)
    return yaml.load(text, Loader=_TextLoader)


def test_draft_of_a_utf32_mark_over_bytes_that_are_no_utf32(tmp_path):
    # was: UnicodeDecodeError ('utf-32-le' codec can't decode bytes …) while sniffing the encoding
    path = tmp_path / "export.csv"
    path.write_bytes(codecs.BOM_UTF32_LE + b"a\x00\x00\x00\xff\xff\xff\xff")
    with pytest.raises(DataFileError, match="not utf-32 text"):
        draft(path)


def test_draft_of_a_value_longer_than_a_yaml_key_may_be(tmp_path):
    # was: a draft YAML could not read (a recode key of 5,000 characters; YAML's implicit keys stop at 1,024)
    path = tmp_path / "export.csv"
    path.write_bytes(b"Vincristine,Age\nTRUE,70\nFALSE,71\n" + b"9" * 1100 + b",72\n")
    spec = _draft_is_yaml(path)
    assert "9" * 1100 in spec["columns"]["Vincristine"]["recode"]


def test_draft_of_a_column_name_longer_than_a_yaml_key_may_be(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Age," + b"x" * 1100 + b"\n70,a\n")
    assert "x" * 1100 in _draft_is_yaml(path)["columns"]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\ufffe"])
def test_draft_of_a_value_holding_a_character_yaml_reads_as_a_line_end_or_refuses(tmp_path, char):
    # was: a draft YAML could not read (U+2028 inside a value shown in a comment ended the comment)
    path = tmp_path / "export.csv"
    path.write_text(f"Sexe,Age\nHomme,70\nFem{char}me,71\n", encoding="utf-8")
    if char == "\x85":  # a C1 control: refused with its place before any draft
        with pytest.raises(DataFileError, match="C1 control U\\+0085 at line 3, column 1"):
            draft(path)
        return
    spec = _draft_is_yaml(path)
    assert f"Fem{char}me" in spec["columns"]["Sexe"]["recode"]


def test_a_workbook_whose_sheet_has_no_cell(tmp_path):
    # was: AttributeError ('NoneType' object has no attribute 'columns') in the cell-convention check
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "patients"
    book.save(tmp_path / "t.xlsx")
    with pytest.raises(DataFileError, match="the file is empty"):
        read_table(tmp_path / "t.xlsx")


def test_an_spss_file_one_byte_of_which_crashes_readstat(tmp_path, cli):
    # was: a segmentation fault inside ReadStat (pyreadstat.read_sav), which ended `import` with no message;
    # the minimal file: the worked example with byte 2,636 (a count in its dictionary) set to 0xFC
    data = bytearray((EXAMPLES / "centre_fr.sav").read_bytes())
    data[2636] = 0xFC
    (tmp_path / "export.sav").write_bytes(data)
    res = cli(
        "import", tmp_path / "export.sav", "--mapping", EXAMPLES / "centre_fr_sav.yaml", "--out", tmp_path / "o.csv"
    )
    assert res.returncode == 2 and "its reader (ReadStat) crashed on it" in res.stderr
    assert not (tmp_path / "o.csv").exists()
