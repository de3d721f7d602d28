"""Fixtures of the data tests: workbooks whose formula cells carry the value Excel would have stored."""

import re
import zipfile

import pytest


def _store_values(path, values, sheet_xml="xl/worksheets/sheet1.xml"):
    """Rewrite the openpyxl-saved workbook ``path`` so that formula cells hold a stored result.

    openpyxl computes nothing: it saves a formula cell as ``<c r="H3"><f>G3*10</f><v/></c>``, with
    no stored value, as any program but Excel does. Excel saves the result it computed in ``<v>``
    (``t="str"`` for text). ``values`` maps a cell reference to that result (a number or a text):
    the sheet's XML is edited inside the zip, every other part copied byte for byte.
    """
    with zipfile.ZipFile(path) as zin:
        parts = [(item, zin.read(item.filename)) for item in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item, data in parts:
            if item.filename == sheet_xml:
                xml = data.decode("utf-8")
                for ref, value in values.items():
                    kind = "n" if isinstance(value, int | float) else "str"
                    xml, n = re.subn(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>',
                        lambda m, ref=ref, value=value, kind=kind: (
                            f'<c r="{ref}"{m.group(1)} t="{kind}"><f>{m.group(2)}</f><v>{value}</v>'
                        ),
                        xml,
                    )
                    assert n == 1, f"no formula cell {ref} in {sheet_xml}"
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    return path


@pytest.fixture
def store_formula_values():
    """``store_formula_values(path, {"H3": 64})``: the workbook's formula cells given Excel's stored results."""
    return _store_values
