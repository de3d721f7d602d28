"""Exports read as grids of text: CSV in any delimiter and encoding, XLSX sheets.

Every reader returns the file's cells as strings (``""`` for an empty cell), header row included
(``grid.iloc[0]``), so that what a value means is decided later — by the validator for a table in the
dictionary's format (:func:`analysis.data.io.read_table`), by a declared mapping for a centre's own
export (:mod:`analysis.data.intake.mapping`). The only normalisations, applied identically to every cell, are
those of :func:`cell_text`: surrounding whitespace stripped; a number stored as an integral float
(``3.0``) written ``3``; a date cell at midnight written ``YYYY-MM-DD``.

What a reader cannot express as text, it records for the export diagnosis
(:mod:`analysis.data.diagnose`) instead of dropping: an XLSX sheet's formulas, Excel error cells and
merged ranges (:class:`Sheet`).

An XLSX formula cell is read as the value Excel stored with it (its last computed result: openpyxl's
``data_only=True`` view, read beside the formula view), and listed in :attr:`Sheet.stored` so that
every reader of the table says so; a formula cell with no stored value (a workbook written by a
program that computes nothing, such as openpyxl) is left empty and listed in :attr:`Sheet.formulas`,
which the diagnosis refuses.

A CSV's bytes become text by :func:`text_of` (the expected encoding, or what the text is instead), and
the text a grid by :func:`parse_csv` (Python's strict :mod:`csv`: a quote left open, text after a
closing quote or a row longer than the header is refused with its line, never read loosely). SPSS,
Stata and SAS files are read by :mod:`analysis.data.stat_files`. Before any reader parses a
file, its signature must be that of its format (:mod:`analysis.data.signatures`: an empty file, a
workbook renamed ``.csv``, a PDF get one message each), and a control character (NUL …) in any cell
is refused with its place (:mod:`analysis.data.control_bytes`), never cut or dropped by a parser.
R equivalents: ``readr::read_delim(locale = locale(decimal_mark = ","))``, ``readxl::read_excel``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import DataFileError
from .control_bytes import CONTROL
from .signatures import refuse

#: Byte-order marks, longest first (a UTF-32 LE mark starts with the UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
STAT_SUFFIXES = {".sav": "SPSS", ".zsav": "SPSS", ".dta": "Stata", ".xpt": "SAS transport", ".sas7bdat": "SAS"}
#: Excel's error values, as a cell shows them (and as a CSV export writes them).
EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#VALUE!",
        "#REF!",
        "#DIV/0!",
        "#NUM!",
        "#NAME?",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)


def cell_text(value) -> str:
    """One cell as text: ``""`` for empty/NaN, integral floats without ``.0``, midnight datetimes as dates."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        if pd.isna(value):
            return ""
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip()


def bom_encoding(data: bytes) -> str | None:
    """The encoding a leading byte-order mark announces (``None`` when there is none)."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    return None


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """Bytes as text; a UTF-8 byte-order mark is dropped whatever ``encoding`` says (it is not data).

    Raises ``UnicodeDecodeError`` when the bytes are not in ``encoding``.
    """
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    return data.decode(encoding)


def text_of(data: bytes, encoding: str) -> tuple[str, str | None]:
    """The CSV's text, and what is wrong with its encoding (``None``: it is the expected one).

    When the encoding is wrong the text is only for the diagnosis (the file is refused), so an
    undecodable byte is replaced there. Raises ``LookupError`` for an encoding Python does not know.
    """
    bom = bom_encoding(data)
    expected = encoding.lower().replace("_", "-")
    if bom in ("utf-16", "utf-32") and not expected.startswith(bom):
        wanted = "UTF-8" if expected.startswith("utf-8") else encoding
        what = f'it is {bom.upper()} text (Excel\'s "Unicode Text (*.txt)"), not {wanted}'
        return data.decode(bom, errors="replace"), what
    try:
        return decode(data, encoding), None
    except UnicodeDecodeError as exc:
        if expected.startswith("utf-8") or expected == "utf8":
            return data.decode("cp1252", errors="replace"), encoding_problem(data, exc)
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text, what = data.decode("utf-8-sig"), f"it is UTF-8 text, not {encoding}"
        except UnicodeDecodeError:
            text, what = data.decode(encoding, errors="replace"), f"it is not {encoding} text"
        return (
            text,
            f"{what} (byte 0x{data[exc.start]:02X} on line {line} is no {encoding} character: the file is in another encoding, or cut short)",
        )


def encoding_problem(data: bytes, exc: UnicodeDecodeError) -> str:
    """Bytes that are not UTF-8, read as Windows-1252: the first such byte, its line and its context."""
    start = exc.start
    line = data.count(b"\n", 0, start) + 1
    head = data.rfind(b"\n", 0, start) + 1
    tail = data.find(b"\n", start)
    context = data[head : tail if tail >= 0 else len(data)].decode("cp1252", errors="replace").strip()
    if len(context) > 40:
        k = max(0, start - head - 20)
        context = context[k : k + 40]
    char = data[start : start + 1].decode("cp1252", errors="replace")
    return (
        f"it is not UTF-8 but Windows-1252/Latin-1 (byte 0x{data[start]:02X} on line {line} is '{char}' "
        f'in "{context}"), as Excel\'s "CSV" saves on Windows'
    )


_SPACE_BUT_NEWLINE = re.compile(r"[^\S\n]")


def _needs_strip(text: str) -> bool:
    """Whether any cell may carry surrounding whitespace: a cheap scan for any whitespace but line ends.

    A table in the dictionary's format has none (codes, numbers, ISO dates), so the per-cell strip
    is skipped; any space, tab or lone carriage return anywhere sends the file through it.
    """
    return _SPACE_BUT_NEWLINE.search(text.replace("\r\n", "\n")) is not None


def parse_csv(text: str, delimiter: str = ",") -> pd.DataFrame:
    """A CSV text as a grid of stripped strings (header row included, short rows padded with ``""``).

    Read by Python's :mod:`csv` in strict mode: a quote opens a cell only at its start and must close
    it before a separator or a line end (RFC 4180); any line end (``\\n``, ``\\r\\n``, ``\\r``) ends a
    row outside quotes. An empty line is a row of empty cells (the diagnosis names it), not skipped:
    every grid row ``r`` is the file's record ``r + 1``. Nothing is dropped or cut: a control
    character is kept as it is (the diagnosis refuses it first, :mod:`analysis.data.control_bytes`).

    Raises
    ------
    ValueError
        a row has more cells than the header, a quote is not closed (or is followed by text before the
        separator), or the first line is empty; the message names the line and the fix.
    """
    if not text.strip():
        return pd.DataFrame()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, starts, start = [], [], 1
    try:
        for row in reader:
            rows.append(row)
            starts.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValueError(_quote_problem(str(exc), start, delimiter)) from None
    header = rows[0]
    if not "".join(header).strip():
        raise ValueError(
            "line 1 is empty: the first line must name the columns. Fix: delete the empty line(s) above the "
            "column names and save again"
        )
    width = len(header)
    for row, line in zip(rows, starts):
        if len(row) > width:
            raise ValueError(
                f"line {line} has {len(row)} cells, the header {width}: a cell holds the separator without quotes. "
                f"Fix: quote that cell (or write it without the separator), or save the file again from Excel"
            )
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    if _needs_strip(text):
        rows = [[cell.strip() for cell in row] for row in rows]
    values = np.empty((len(rows), width), dtype=object)
    values[:] = rows
    return pd.DataFrame(values, dtype=object)


def _quote_problem(error: str, line: int, delimiter: str) -> str:
    """A :mod:`csv` error in strict mode, in words: which quote, on which line, and the fix."""
    if "field limit" in error:
        return (
            f'a cell that starts on line {line} holds more than {csv.field_size_limit():,} characters: a quote (") '
            f"opened there is closed much later, or never. Fix: remove the stray quote, or quote the cell whole "
            f'(a quote inside a quoted cell is written twice: "")'
        )
    if "end of data" in error:
        return (
            f'a quote (") opened on line {line} or after is never closed: the rest of the file would be one cell. '
            f'Fix: close the quote, or remove it (a quote inside a quoted cell is written twice: "")'
        )
    return (
        f"on line {line}, a quoted cell is followed by text before the next separator ({error}). Fix: quote the "
        f'whole cell (a quote inside a quoted cell is written twice: ""), or remove the quotes'
    )


# ----------------------------------------------------------------------------- XLSX
@dataclass
class Sheet:
    """One worksheet read as text, with what text cannot show (for the diagnosis)."""

    name: str
    sheets: list[str]
    grid: pd.DataFrame
    formulas: list[tuple[str, str]] = field(default_factory=list)  # (cell, formula) with no stored value
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, error) 0-based in grid
    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # (r0, c0, r1, c1, "A1:C1")
    other_sheets: dict[str, pd.DataFrame] = field(default_factory=dict)  # first rows of every other sheet
    stored: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, formula, stored value as text)

    def stored_note(self) -> str | None:
        """The note that formula cells were read as their stored values (``None`` when there are none)."""
        if not self.stored:
            return None
        shown = "; ".join(f"{cell} {formula} → {value!r}" for cell, formula, value in self.stored[:3])
        more = " …" if len(self.stored) > 3 else ""
        return (
            f"{len(self.stored)} formula cell(s) of sheet '{self.name}' read as their stored values: {shown}{more} "
            f"(the result Excel last computed; nothing here recalculates it)"
        )


def _sheet_grid(ws, values=None) -> tuple[pd.DataFrame, list, list, list, list]:
    """The grid of a sheet; ``values`` is the same sheet opened ``data_only`` (stored formula results).

    Returns (grid, formulas without a stored value, error cells, formula cells read as stored values,
    cells holding a control character as ``(row, column, raw text)``, 0-based).
    """
    rows, formulas, errors, stored, controls = [], [], [], [], []
    for r, cells in enumerate(ws.iter_rows()):
        row = []
        for c, cell in enumerate(cells):
            value = cell.value
            if cell.data_type == "f":
                formula = str(value)
                cached = values[cell.coordinate] if values is not None else None
                value = cached.value if cached is not None else None
                if value is None and cached is not None and cached.data_type == "str":
                    stored.append((cell.coordinate, formula, ""))  # Excel stored an empty text result
                elif value is None:
                    formulas.append((cell.coordinate, formula))
                elif cached.data_type == "e":
                    errors.append((r, c, str(value)))
                else:
                    stored.append((cell.coordinate, formula, cell_text(value)))
            elif cell.data_type == "e":
                errors.append((r, c, str(value)))
            if isinstance(value, str) and "_x" in value:
                value = ooxml_unescape(value)
            if isinstance(value, str) and CONTROL.search(value):
                controls.append((r, c, value))
            row.append(cell_text(value))
        rows.append(row)
    # Cells never written (None) after the last content are not part of the table, as in pandas'
    # reader: trim all-empty trailing rows, then all-empty trailing columns.
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((max((k + 1 for k, v in enumerate(row) if v), default=0) for row in rows), default=0)
    grid = pd.DataFrame([row[:width] + [""] * (width - len(row[:width])) for row in rows], dtype=object)
    return grid, formulas, errors, stored, controls


_OOXML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def ooxml_unescape(text: str) -> str:
    """A workbook's text as Excel wrote it: ``_xHHHH_`` is the character U+HHHH (``_x005F_`` a literal ``_``).

    XML cannot hold most control characters, so Excel writes a cell's carriage return as ``_x000D_``
    and a pasted control character as ``_x0001_``; openpyxl leaves the escapes as they are. Decoded
    here, a control character is refused like one in a CSV (:mod:`analysis.data.control_bytes`).
    """
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _cell_place(sheet: str, header: list[str], r: int, c: int) -> str:
    """Grid cell (r, c) as a message names it: ``cell J2 (column 'involved_flc_mg_l') of sheet 'patients'``."""
    from openpyxl.utils import get_column_letter

    name = f" (column {header[c]!r})" if r > 0 and c < len(header) else " (the header)" if r == 0 else ""
    return f"cell {get_column_letter(c + 1)}{r + 1}{name} of sheet {sheet!r}"


def _has_formulas(ws) -> bool:
    return any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)


def read_xlsx(path: Path, sheet: str | None = None, default_sheet: str = "patients") -> Sheet:
    """The sheet ``sheet`` (else ``default_sheet`` when present, else the first) as text.

    A formula cell is read as its stored value and listed in ``stored``; one without a stored value
    is read as empty and listed in ``formulas`` (see the module docstring). The workbook is opened a
    second time, ``data_only``, only when the sheet holds formulas. Excel error cells (``#N/A`` …)
    keep their text and are recorded.
    """
    refuse(path, "xlsx")
    book = _open_workbook(path, data_only=False)
    names = [ws.title for ws in book.worksheets]  # chart sheets hold no cells
    if not names:
        raise DataFileError(
            f"{path.name}: the workbook holds no worksheet (only charts). Fix: put the table on a worksheet, "
            f"one row per patient under a row of column names, and save again."
        )
    if sheet is not None and sheet not in names:
        raise DataFileError(
            f"{path}: no sheet named {sheet!r} (sheets: {', '.join(map(repr, names))}); "
            f"correct `sheet:` under `read:` in the mapping."
        )
    chosen = sheet if sheet is not None else (default_sheet if default_sheet in names else names[0])
    ws = book[chosen]
    values = _open_workbook(path, data_only=True)[chosen] if _has_formulas(ws) else None
    grid, formulas, errors, stored, controls = _sheet_grid(ws, values)
    if controls:
        from .control_bytes import SHOWN, Hit, count, message

        header = [str(v) for v in grid.iloc[0]] if not grid.empty else []
        hits = [Hit(_cell_place(ws.title, header, r, c), CONTROL.search(v).group(), v) for r, c, v in controls]
        raise DataFileError(message(path.name, hits[:SHOWN], sum(count(v) for _, _, v in controls)))
    merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1, m.coord) for m in ws.merged_cells.ranges]
    others = {}
    for name in names:
        if name != chosen:
            head = [[cell_text(v) for v in row] for row in book[name].iter_rows(max_row=20, values_only=True)]
            others[name] = pd.DataFrame(head, dtype=object)
    return Sheet(chosen, names, grid, formulas, errors, sorted(merged), others, stored)


def _open_workbook(path: Path, data_only: bool):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError … for a damaged file
        raise DataFileError(
            f'{path}: cannot be read as XLSX ({exc}). Open it in Excel and save it again as "Excel Workbook (.xlsx)".'
        ) from exc


def to_table(grid: pd.DataFrame) -> pd.DataFrame:
    """Header row → column names (duplicates kept as they are); a RangeIndex over the data rows."""
    if grid.empty:
        return pd.DataFrame()
    table = grid.iloc[1:].reset_index(drop=True)
    table.columns = list(grid.iloc[0])
    return table
