"""Exports read as grids of text: CSV in any delimiter and encoding, XLSX sheets, SPSS/Stata/SAS files.

Every reader returns the file's cells as strings (``""`` for an empty cell), header row included
(``grid.iloc[0]``), so that what a value means is decided later — by the validator for a table in the
dictionary's format (:func:`analysis.data.io.read_table`), by a declared mapping for a centre's own
export (:mod:`analysis.data.intake.mapping`). The only normalisations, applied identically to every cell, are
those of :func:`cell_text`: surrounding whitespace stripped; a number stored as an integral float
(``3.0``) written ``3``; a date cell at midnight written ``YYYY-MM-DD``.

What a reader cannot express as text, it records for the export diagnosis
(:mod:`analysis.data.diagnose`) instead of dropping: an XLSX sheet's formulas, Excel error cells and
merged ranges (:class:`Sheet`), a statistical file's value labels and user-missing codes
(:class:`StatFile`).

An XLSX formula cell is read as the value Excel stored with it (its last computed result: openpyxl's
``data_only=True`` view, read beside the formula view), and listed in :attr:`Sheet.stored` so that
every reader of the table says so; a formula cell with no stored value (a workbook written by a
program that computes nothing, such as openpyxl) is left empty and listed in :attr:`Sheet.formulas`,
which the diagnosis refuses.

Statistical files go through ``pyreadstat`` (ReadStat): ``read_sav`` (SPSS), ``read_dta`` (Stata),
``read_xport`` (SAS transport, ``.xpt``) and ``read_sas7bdat``; numbers are read as stored (value
labels are *not* applied: a mapping recodes the stored codes), dates formatted as dates in the file
come back as dates. Codes the file declares missing (SPSS user-missing values and ranges, Stata
``.a``–``.z`` and SAS special missing values) are read as stored too (``user_missing=True``), with
the declaration (:class:`UserMissing`): pyreadstat would otherwise make them empty without a word,
and the import makes them empty itself, counted. R equivalents: ``readr::read_delim(locale = locale(decimal_mark = ","))``,
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


def _sheet_grid(ws, values=None) -> tuple[pd.DataFrame, list, list, list]:
    """The grid of a sheet; ``values`` is the same sheet opened ``data_only`` (stored formula results)."""
    rows, formulas, errors, stored = [], [], [], []
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
            row.append(cell_text(value))
        rows.append(row)
    # Cells never written (None) after the last content are not part of the table, as in pandas'
    # reader: trim all-empty trailing rows, then all-empty trailing columns.
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((max((k + 1 for k, v in enumerate(row) if v), default=0) for row in rows), default=0)
    grid = pd.DataFrame([row[:width] + [""] * (width - len(row[:width])) for row in rows], dtype=object)
    return grid, formulas, errors, stored


def _has_formulas(ws) -> bool:
    return any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)


def read_xlsx(path: Path, sheet: str | None = None, default_sheet: str = "patients") -> Sheet:
    """The sheet ``sheet`` (else ``default_sheet`` when present, else the first) as text.

    A formula cell is read as its stored value and listed in ``stored``; one without a stored value
    is read as empty and listed in ``formulas`` (see the module docstring). The workbook is opened a
    second time, ``data_only``, only when the sheet holds formulas. Excel error cells (``#N/A`` …)
    keep their text and are recorded.
    """
    book = _open_workbook(path, data_only=False)
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise DataFileError(
            f"{path}: no sheet named {sheet!r} (sheets: {', '.join(map(repr, names))}); "
            f"correct `sheet:` under `read:` in the mapping."
        )
    chosen = sheet if sheet is not None else (default_sheet if default_sheet in names else names[0])
    ws = book[chosen]
    values = _open_workbook(path, data_only=True)[chosen] if _has_formulas(ws) else None
    grid, formulas, errors, stored = _sheet_grid(ws, values)
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


# ----------------------------------------------------------------------------- SPSS / Stata / SAS
@dataclass(frozen=True)
class UserMissing:
    """The codes a statistical file declares missing for one variable (read as stored, see the module docstring).

    ``values`` are codes as text (SPSS discrete user-missing values, Stata/SAS letters ``a``–``z``);
    ``ranges`` inclusive numeric ranges (SPSS ``97 THRU 99``); ``source`` says whose declaration it
    is ("SPSS user-missing", "Stata extended missing", "SAS special missing").
    """

    values: tuple[str, ...]
    ranges: tuple[tuple[float, float], ...]
    source: str

    def matches(self, text: str) -> bool:
        if text in self.values:
            return True
        if not self.ranges or text == "":
            return False
        try:
            number = float(text)
        except ValueError:
            return False
        return any(lo <= number <= hi for lo, hi in self.ranges)


@dataclass
class StatFile:
    """A statistical package's file as text, with its variable labels, value labels and user-missing codes."""

    kind: str
    grid: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[str, str]]
    user_missing: dict[str, UserMissing] = field(default_factory=dict)


#: Whose declaration a statistical file's missing codes are, by suffix.
USER_MISSING_SOURCE = {
    ".sav": "SPSS user-missing",
    ".zsav": "SPSS user-missing",
    ".dta": "Stata extended missing",
    ".sas7bdat": "SAS special missing",
}


def _user_missing(meta, source: str) -> dict[str, UserMissing]:
    """Each variable's declared missing codes, from pyreadstat's ``missing_ranges``/``missing_user_values``."""
    out: dict[str, tuple[list, list]] = {}
    for var, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        values, spans = out.setdefault(var, ([], []))
        for r in ranges:
            lo, hi = r["lo"], r["hi"]
            if lo == hi or isinstance(lo, str):
                values.append(cell_text(lo))
            else:
                spans.append((float(lo), float(hi)))
    for var, letters in (getattr(meta, "missing_user_values", None) or {}).items():
        out.setdefault(var, ([], []))[0].extend(cell_text(v) for v in letters)
    return {var: UserMissing(tuple(dict.fromkeys(v)), tuple(r), source) for var, (v, r) in out.items() if v or r}


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
    if suffix in USER_MISSING_SOURCE:
        kwargs["user_missing"] = True
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
        STAT_SUFFIXES[suffix],
        pd.DataFrame(rows, dtype=object),
        {k: v for k, v in names.items() if v},
        labels,
        _user_missing(meta, USER_MISSING_SOURCE.get(suffix, "")),
    )


def to_table(grid: pd.DataFrame) -> pd.DataFrame:
    """Header row → column names (duplicates kept as they are); a RangeIndex over the data rows."""
    if grid.empty:
        return pd.DataFrame()
    table = grid.iloc[1:].reset_index(drop=True)
    table.columns = list(grid.iloc[0])
    return table
