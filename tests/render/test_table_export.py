import io
import zipfile

import openpyxl
import pandas as pd

from analysis.render.table_export import FORMATS, export_table

TABLE = pd.DataFrame(
    {"Characteristic": ["Female", "Cytogenetics", "    17p deletion"], "N = 8": ["4 (50)", "", "2 (25)"]}
)


def test_every_format_is_written_and_byte_identical_twice(tmp_path):
    a = export_table(TABLE, "t", tmp_path / "a", caption="Table 1", note="SYNTHETIC DATA")
    b = export_table(TABLE, "t", tmp_path / "b", caption="Table 1", note="SYNTHETIC DATA")
    assert [p.suffix[1:] for p in a] == list(FORMATS)
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b))


def test_nested_rows_are_indented_in_each_format(tmp_path):
    paths = {p.suffix[1:]: p for p in export_table(TABLE, "t", tmp_path, caption="Table 1")}
    assert "\\quad 17p deletion" in paths["tex"].read_text()
    assert "&emsp;17p deletion" in paths["md"].read_text() and "&emsp;17p deletion" in paths["html"].read_text()
    assert "    17p deletion" in paths["csv"].read_text()
    ws = openpyxl.load_workbook(paths["xlsx"]).active
    assert ws["A1"].value == "Table 1" and ws["A5"].value == "17p deletion" and ws["A5"].alignment.indent == 2


def test_xlsx_carries_no_wall_clock_time(tmp_path):
    (path,) = export_table(TABLE, "t", tmp_path, formats=("xlsx",))
    z = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = z.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2  # created and modified, whatever SOURCE_DATE_EPOCH
