"""Control characters: refused with line, column and byte, in every format, never cut or dropped (issue 26)."""

import zipfile

import pandas as pd
import pytest

from analysis import paths
from analysis.data.control_bytes import csv_hits, describe, text_hits
from analysis.data.io import read_table
from analysis.exceptions import DataFileError

EXAMPLES = paths.DATA / "examples"


def _with_cell(column: str, value: bytes, line: int = 2) -> bytes:
    lines = paths.FIXTURE.read_bytes().split(b"\n")
    header = lines[0].split(b",")
    cells = lines[line - 1].split(b",")
    cells[header.index(column.encode())] = value
    lines[line - 1] = b",".join(cells)
    return b"\n".join(lines)


def _refusal(path) -> str:
    with pytest.raises(DataFileError) as info:
        read_table(path)
    return str(info.value)


def test_a_nul_inside_a_number_is_refused_not_read_as_its_first_digits(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(_with_cell("involved_flc_mg_l", b"46\x001.4"))
    message = _refusal(path)
    assert "NUL (0x00) at line 2, column 10 ('involved_flc_mg_l')" in message and "'46\\x001.4'" in message
    assert "nothing was read from the file" in message


def test_a_nul_in_the_header_is_named_not_reported_as_an_unknown_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(paths.FIXTURE.read_bytes().replace(b"chemo_cisplatin", b"chemo_ci\x00splatin", 1))
    message = _refusal(path)
    assert "line 1 (the header)" in message and "'chemo_ci\\x00splatin'" in message
    assert "not in the data dictionary" not in message


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x0c", "\x1a", "\x1f", "\x7f", "\x85"])
def test_every_control_character_but_tab_cr_and_lf_is_refused(tmp_path, char):
    path = tmp_path / "t.csv"
    path.write_bytes(_with_cell("sex", ("M" + char).encode()))
    assert describe(char) in _refusal(path)


def test_tab_cr_and_lf_inside_quotes_are_text(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(_with_cell("death_cause", b'"a\tb"', line=3))
    assert read_table(path).loc[1, "death_cause"] == "a\tb"


def test_places_are_lines_and_columns_of_the_file():
    (hit,) = csv_hits('a,b\n1,"x\ny\x00"\n')
    assert hit.place == "line 3, column 2 ('b')"
    (hit,) = text_hits("key: 1\nother: va\x07lue\n")
    assert hit.place == "line 2, column 10" and "BEL (0x07)" in hit.to_text()


def _workbook_with(tmp_path, text: str):
    path = tmp_path / "t.xlsx"
    read_table(paths.FIXTURE).to_excel(path, sheet_name="patients", index=False)
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for item, data in parts:
            if item.filename.endswith(".xml"):
                data = data.replace(b">FX01<", f">{text}<".encode(), 1)
            z.writestr(item, data)
    return path


def test_an_xlsx_control_character_written_as_excel_escapes_it_is_refused_with_its_cell(tmp_path):
    message = _refusal(_workbook_with(tmp_path, "FX_x0001_01"))
    assert "SOH (0x01) at cell A2 (column 'patient_id') of sheet 'patients'" in message


def test_an_xlsx_escape_of_an_ordinary_character_is_decoded(tmp_path):
    assert read_table(_workbook_with(tmp_path, "FX_x0030_1")).loc[0, "patient_id"] == "FX01"


def test_a_statistical_file_with_a_control_character_names_case_and_variable(tmp_path):
    import pyreadstat

    path = tmp_path / "t.sav"
    pyreadstat.write_sav(pd.DataFrame({"Sexe": ["Homme", "Fem\x1fme"], "Age": [70.0, 66.0]}), str(path))
    from analysis.data.stat_files import read_stat

    with pytest.raises(DataFileError) as info:
        read_stat(path)
    assert "US (0x1F) at case 2, variable 'Sexe'" in str(info.value)


def test_a_mapping_with_a_control_character_names_its_line_and_column(tmp_path):
    from analysis.data.intake.mapping import load_mapping

    text = (EXAMPLES / "centre_en_csv.yaml").read_text(encoding="utf-8").replace("C18", "C1\x008", 1)
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_mapping(tmp_path / "m.yaml")
    line = next(k for k, t in enumerate(text.splitlines(), 1) if "\x00" in t)
    assert f"NUL (0x00) at line {line}, column" in str(info.value) and "(a YAML mapping file)" in str(info.value)


def test_a_latin_1_c1_control_suggests_windows_1252(tmp_path):
    from analysis.data.intake.importer import read_raw
    from analysis.data.intake.mapping import parse_mapping

    path = tmp_path / "e.csv"
    path.write_bytes("patient_id,death_cause\nP1,l\u2019infection\n".encode("cp1252"))
    with pytest.raises(DataFileError) as info:
        read_raw(path, parse_mapping({"read": {"encoding": "latin-1"}}, tmp_path / "m.yaml"))
    assert "C1 control U+0092" in str(info.value) and "`encoding: cp1252`" in str(info.value)
