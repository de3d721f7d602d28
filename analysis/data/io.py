"""Reading a patient table from CSV or XLSX, as text, without interpretation.

Every cell comes back as a string (``""`` for an empty cell) so that the
validator, not a file reader, decides what a value means: pandas' own readers
would silently turn ``"NA"`` into a missing value, ``"01"`` into ``1`` or a
``"1,5"`` into a string, and the validator could no longer report them.

The only normalisations, applied identically to every cell, are: surrounding
whitespace is stripped; an XLSX number stored as an integral float (``3.0``) is
written ``3``; an XLSX date cell at midnight is written ``YYYY-MM-DD``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ..exceptions import DataFileError

SUPPORTED = (".csv", ".xlsx")
#: Sheet read from an XLSX workbook when present; otherwise the first sheet.
XLSX_SHEET = "patients"


@dataclass(frozen=True)
class Source:
    """Where a patient table came from, and whether it is synthetic.

    A table is *synthetic* when a provenance file ``<file>.provenance.yaml``
    beside it says ``synthetic: true``. Every output made from it is then
    labelled synthetic (:func:`analysis.data.cohort.data_label`).
    """

    path: Path
    sha256: str
    synthetic: bool
    provenance: dict

    @property
    def name(self) -> str:
        return self.path.name


def provenance_path(path: Path) -> Path:
    return path.with_name(path.name + ".provenance.yaml")


def read_provenance(path: Path) -> dict:
    """The provenance mapping beside ``path`` (``{}`` when there is none)."""
    p = provenance_path(path)
    if not p.exists():
        return {}
    with p.open(encoding="utf-8") as fh:
        meta = yaml.safe_load(fh) or {}
    if not isinstance(meta, dict):
        raise DataFileError(f"{p}: provenance file must be a YAML mapping (key: value lines)")
    return meta


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip()


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX patient table as strings.

    Returns a DataFrame of ``str`` (empty cells ``""``), columns as in the
    file, rows in file order, with a default RangeIndex (row ``i`` is line
    ``i + 2`` of the file, after the header).

    Raises
    ------
    DataFileError
        if the file does not exist, has another extension, or cannot be parsed.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"{path}: no such file. Give the path of a .csv or .xlsx patient table.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DataFileError(f"{path}: unsupported file type {suffix!r}; save the table as .csv (UTF-8) or .xlsx.")
    try:
        # header=None: the header row is read as data so that duplicated names
        # are kept as they are (pandas would rename the second "sex" to "sex.1").
        if suffix == ".csv":
            grid = pd.read_csv(path, dtype=str, header=None, keep_default_na=False, na_filter=False,
                               encoding="utf-8-sig")
        else:
            with pd.ExcelFile(path, engine="openpyxl") as book:
                sheet = XLSX_SHEET if XLSX_SHEET in book.sheet_names else book.sheet_names[0]
                grid = book.parse(sheet, dtype=object, header=None)
    except (ValueError, UnicodeDecodeError, OSError, KeyError) as exc:
        raise DataFileError(f"{path}: cannot be read as {suffix[1:].upper()} ({exc}).") from exc
    if grid.empty:
        raise DataFileError(f"{path}: the file is empty; the first row must name the columns.")
    grid = grid.apply(lambda col: col.map(_cell_text)).astype(object)
    table = grid.iloc[1:].reset_index(drop=True)
    table.columns = list(grid.iloc[0])
    return table


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def source_of(path: str | Path) -> Source:
    path = Path(path).resolve()
    meta = read_provenance(path)
    return Source(path=path, sha256=file_sha256(path), synthetic=bool(meta.get("synthetic", False)),
                  provenance=meta)
