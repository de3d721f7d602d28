"""Exports read as grids of text: CSV in any delimiter and encoding, XLSX sheets, SPSS/Stata/SAS files.

Every reader returns the file's cells as strings (``""`` for an empty cell), header row included
(``grid.iloc[0]``), so that what a value means is decided later — by the validator for a table in the
dictionary's format (:func:`analysis.data.io.read_table`), by a declared mapping for a centre's own
export (:mod:`analysis.data.intake.mapping`). The only normalisations, applied identically to every cell, are
those of :func:`cell_text`: surrounding whitespace stripped; a number stored as an integral float
(``3.0``) written ``3``; a date cell at midnight written ``YYYY-MM-DD``.

What a reader cannot express as text, it records for the export diagnosis
(:mod:`analysis.data.diagnose`) instead of dropping: an XLSX sheet's formulas, Excel error cells and
merged ranges (:class:`Sheet`), a statistical file's value labels (:class:`StatFile`).

Statistical files go through ``pyreadstat`` (ReadStat): ``read_sav`` (SPSS), ``read_dta`` (Stata),
``read_xport`` (SAS transport, ``.xpt``) and ``read_sas7bdat``; numbers are read as stored (value
labels are *not* applied: a mapping recodes the stored codes), dates formatted as dates in the file
come back as dates. R equivalents: ``readr::read_delim(locale = locale(decimal_mark = ","))``,
``readxl::read_excel``, ``haven::read_sav``/``read_dta``/``read_xpt``.
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


_SPACE_BUT_NEWLINE = re.compile(r"[^\S\n]")


def _needs_strip(text: str) -> bool:
    """Whether any cell may carry surrounding whitespace: a cheap scan for any whitespace but line ends.

    A table in the dictionary's format has none (codes, numbers, ISO dates), so the per-cell strip
    is skipped; any space, tab or lone carriage return anywhere sends the file through it.
    """
    return _SPACE_BUT_NEWLINE.search(text.replace("\r\n", "\n")) is not None


def parse_csv(text: str, delimiter: str = ",") -> pd.DataFrame:
    """A CSV text as a grid of stripped strings (header row included, short rows padded with ``""``).

    Raises
    ------
    ValueError
        a row has more fields than the header (pandas' parser message names the line).
    """
    if not text.strip():
        return pd.DataFrame()
    grid = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        dtype=object,
        header=None,
        keep_default_na=False,
        na_filter=False,
        low_memory=False,
        skip_blank_lines=True,
        quoting=csv.QUOTE_MINIMAL,
    )
    if len(grid.columns) and grid.iloc[:, -1].isna().any():  # rows shorter than the header
        grid = grid.fillna("")
    if _needs_strip(text):
        grid = pd.DataFrame(np.frompyfunc(str.strip, 1, 1)(grid.to_numpy(dtype=object)), columns=grid.columns)
    return grid.astype(object)


# ----------------------------------------------------------------------------- XLSX
@dataclass
class Sheet:
    """One worksheet read as text, with what text cannot show (for the diagnosis)."""

    name: str
    sheets: list[str]
    grid: pd.DataFrame
    formulas: list[tuple[str, str]] = field(default_factory=list)  # (cell, formula)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, error) 0-based in grid
    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # (r0, c0, r1, c1, "A1:C1")
    other_sheets: dict[str, pd.DataFrame] = field(default_factory=dict)  # first rows of every other sheet


def _sheet_grid(ws) -> tuple[pd.DataFrame, list, list]:
    rows, formulas, errors = [], [], []
    for r, cells in enumerate(ws.iter_rows()):
        row = []
        for c, cell in enumerate(cells):
            value = cell.value
            if cell.data_type == "f":
                formulas.append((cell.coordinate, str(value)))
                value = None  # no value: the formula's cached result is not read
            elif cell.data_type == "e":
                errors.append((r, c, str(value)))
            row.append(cell_text(value))
        rows.append(row)
    # Cells never written (None) after the last content are not part of the table, as in pandas'
    # reader: trim all-empty trailing rows, then all-empty trailing columns.
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((max((k + 1 for k, v in enumerate(row) if v), default=0) for row in rows), default=0)
    grid = pd.DataFrame([row[:width] + [""] * (width - len(row[:width])) for row in rows], dtype=object)
    return grid, formulas, errors


def read_xlsx(path: Path, sheet: str | None = None, default_sheet: str = "patients") -> Sheet:
    """The sheet ``sheet`` (else ``default_sheet`` when present, else the first) as text.

    Formula cells are recorded and read as empty: their stored result may be stale and a workbook
    written by a program has none. Excel error cells (``#N/A`` …) keep their text and are recorded.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError … for a damaged file
        raise DataFileError(
            f'{path}: cannot be read as XLSX ({exc}). Open it in Excel and save it again as "Excel Workbook (.xlsx)".'
        ) from exc
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise DataFileError(
            f"{path}: no sheet named {sheet!r} (sheets: {', '.join(map(repr, names))}); "
            f"correct `sheet:` under `read:` in the mapping."
        )
    chosen = sheet if sheet is not None else (default_sheet if default_sheet in names else names[0])
    ws = book[chosen]
    grid, formulas, errors = _sheet_grid(ws)
    merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1, m.coord) for m in ws.merged_cells.ranges]
    others = {}
    for name in names:
        if name != chosen:
            head = [[cell_text(v) for v in row] for row in book[name].iter_rows(max_row=20, values_only=True)]
            others[name] = pd.DataFrame(head, dtype=object)
    return Sheet(chosen, names, grid, formulas, errors, sorted(merged), others)


# ----------------------------------------------------------------------------- SPSS / Stata / SAS
@dataclass
class StatFile:
    """A statistical package's file as text, with its variable and value labels."""

    kind: str
    grid: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[str, str]]


def read_stat(path: Path, encoding: str | None = None) -> StatFile:
    """An SPSS ``.sav``, Stata ``.dta`` or SAS ``.xpt``/``.sas7bdat`` file as text (via ``pyreadstat``)."""
    import pyreadstat

    suffix = path.suffix.lower()
    reader = {
        ".sav": pyreadstat.read_sav,
        ".zsav": pyreadstat.read_sav,
        ".dta": pyreadstat.read_dta,
        ".xpt": pyreadstat.read_xport,
        ".sas7bdat": pyreadstat.read_sas7bdat,
    }[suffix]
    kwargs = {"encoding": encoding} if encoding else {}
    try:
        frame, meta = reader(str(path), **kwargs)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise DataFileError(f"{path}: cannot be read as a {STAT_SUFFIXES[suffix]} file ({exc}).") from exc
    header = [str(c) for c in frame.columns]
    body = [[cell_text(v) for v in frame[c].tolist()] for c in frame.columns]
    rows = [header] + [list(r) for r in zip(*body)] if body else [header]
    labels = {
        var: {cell_text(k): str(v) for k, v in mapping.items()}
        for var, mapping in (meta.variable_value_labels or {}).items()
    }
    names = dict(zip(meta.column_names, meta.column_labels or [None] * len(meta.column_names)))
    return StatFile(
        STAT_SUFFIXES[suffix], pd.DataFrame(rows, dtype=object), {k: v for k, v in names.items() if v}, labels
    )


def to_table(grid: pd.DataFrame) -> pd.DataFrame:
    """Header row → column names (duplicates kept as they are); a RangeIndex over the data rows."""
    if grid.empty:
        return pd.DataFrame()
    table = grid.iloc[1:].reset_index(drop=True)
    table.columns = list(grid.iloc[0])
    return table
