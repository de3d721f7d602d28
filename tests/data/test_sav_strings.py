"""analysis.data.sav_strings: a NUL inside an SPSS text value is found in the file's bytes (ReadStat drops it)."""

import struct
import zlib

import pandas as pd
import pyreadstat
import pytest

from analysis import paths
from analysis.data.sav_strings import nul_cells
from analysis.data.stat_files import read_stat
from analysis.exceptions import DataFileError

FRAME = pd.DataFrame({"id": ["a", "b", "c"], "flc": ["46.1", "46Q1.4", "12"], "n": [1.0, 2.0, 3.0]})


def _with_nul(tmp_path, row_compress: bool):
    path = tmp_path / f"nul_{'byte' if row_compress else 'plain'}.sav"
    pyreadstat.write_sav(FRAME, str(path), row_compress=row_compress)  # pyreadstat cannot write a NUL itself
    raw = path.read_bytes()
    assert raw.count(b"46Q1.4") == 1
    path.write_bytes(raw.replace(b"46Q1.4", b"46\x001.4"))
    return path


def _as_zsav(sav, tmp_path):
    """The bytecode .sav rewritten as a .zsav: its cases in one zlib block after a zheader, then the trailer."""
    raw = sav.read_bytes()
    start = raw.index(struct.pack("<i", 999)) + 8  # the cases start after the dictionary's end record
    while struct.unpack("<i", raw[start - 8 : start - 4])[0] != 999:
        start = raw.index(struct.pack("<i", 999), start - 7) + 8
    head = bytearray(raw[:start])
    head[:4], head[72:76] = b"$FL3", struct.pack("<i", 2)
    body = zlib.compress(raw[start:])
    zheader_ofs = len(head)
    ztrailer_ofs = zheader_ofs + 24 + len(body)
    trailer = struct.pack("<qqii", -100, 0, 0x3FF000, 1) + struct.pack("<qqii", zheader_ofs, zheader_ofs + 24,
                                                                      len(raw) - start, len(body))  # fmt: skip
    out = tmp_path / "nul.zsav"
    out.write_bytes(bytes(head) + struct.pack("<qqq", zheader_ofs, ztrailer_ofs, len(trailer)) + body + trailer)
    return out


@pytest.mark.parametrize("row_compress", [False, True])
def test_readstat_drops_the_nul_and_the_bytes_show_it(tmp_path, row_compress):
    path = _with_nul(tmp_path, row_compress)
    back, _ = pyreadstat.read_sav(str(path))
    assert back["flc"].tolist()[1] == "461.4"  # the silent change this module exists for
    assert nul_cells(path) == [(2, "flc", b"46\x001.4")]


def test_a_zsav_is_read_through_its_zlib_blocks(tmp_path):
    path = _as_zsav(_with_nul(tmp_path, True), tmp_path)
    assert nul_cells(path) == [(2, "flc", b"46\x001.4")]


def test_the_import_refuses_the_file_naming_the_case_and_the_variable(tmp_path):
    with pytest.raises(DataFileError, match=r"NUL.* at case 2, variable 'flc' \(in '46\\x001.4'\).*nothing was read"):
        read_stat(_with_nul(tmp_path, True))


def test_clean_files_and_padding_give_nothing(tmp_path):
    assert nul_cells(paths.ROOT / "data" / "examples" / "centre_fr.sav") == []
    clean = tmp_path / "clean.sav"
    pyreadstat.write_sav(FRAME, str(clean))
    raw = clean.read_bytes()
    clean.write_bytes(raw.replace(b"12      ", b"12\x00\x00\x00\x00\x00\x00"))  # NUL padding after the value
    assert nul_cells(clean) == []


@pytest.mark.parametrize("cut", [0, 10, 175, 300, -5])
def test_a_file_it_cannot_follow_gives_no_findings_and_no_error(tmp_path, cut):
    path = _with_nul(tmp_path, False)
    raw = path.read_bytes()
    path.write_bytes(raw[:cut])
    assert nul_cells(path) in ([], [(2, "flc", b"46\x001.4")])
