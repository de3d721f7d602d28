"""Reading a patient table from CSV or XLSX, as text, without interpretation.

Every cell comes back as a string (``""`` for an empty cell) so that the
validator, not a file reader, decides what a value means: pandas' own readers
would silently turn ``"NA"`` into a missing value, ``"01"`` into ``1`` or a
``"1,5"`` into a string, and the validator could no longer report them.

The only normalisations, applied identically to every cell, are: surrounding
whitespace is stripped; an XLSX number stored as an integral float (``3.0``) is
written ``3``; an XLSX date cell at midnight is written ``YYYY-MM-DD``
(:func:`analysis.data.readers.cell_text`).

First, the file must be what its name says (:mod:`analysis.data.signatures`: an empty, blank or
binary file, or a workbook, PDF or SPSS file under a ``.csv`` name, gets one message naming what it
is), and hold no control character (:mod:`analysis.data.control_bytes`: a NUL is refused with its
line and column, never cut). Before any cell is checked, the file's shape is diagnosed
(:mod:`analysis.data.diagnose`): a ``;``-separated or Windows-1252 "CSV", decimal
commas, ``DD/MM/YYYY`` dates, ``TRUE``/``FALSE`` flags, empty trailing rows, Excel
error cells, formulas without a stored value, merged header cells or the table on another sheet raise
:class:`~analysis.exceptions.DataFileError` with one line per mistake and its fix.
A UTF-8 byte-order mark (Excel's "CSV UTF-8") is accepted. Files in another
format (SPSS, Stata, SAS, or a centre's own columns) are converted first by a
declared mapping (``python -m analysis import``, :mod:`analysis.data.intake.mapping`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ..exceptions import DataFileError
from .diagnose import Expect, diagnose_csv
from .diagnose_xlsx import diagnose_sheet
from .inputs import SUPPORTED, file_sha256, provenance_path
from .readers import STAT_SUFFIXES, read_xlsx, to_table
from .yaml_text import read_yaml_text

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
    label: str = ""  # for a pool of files: "3 files: a.csv, b.csv, c.csv"

    @property
    def name(self) -> str:
        return self.label or self.path.name


def read_provenance(path: Path) -> dict:
    """The provenance mapping beside ``path`` (``{}`` when there is none)."""
    p = provenance_path(path)
    if not p.exists():
        return {}
    text = read_yaml_text(p, "provenance")
    try:
        meta = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DataFileError(
            f"{p}: the provenance note is not readable YAML ({exc}). Fix: restore it (it is written beside the "
            f"table by python -m analysis import or synthesize), or delete it: the table is then labelled real data."
        ) from None
    if not isinstance(meta, dict):
        raise DataFileError(f"{p}: provenance file must be a YAML mapping (key: value lines)")
    return meta


def _raise_findings(findings) -> None:
    if findings:
        raise DataFileError("\n".join(f.message for f in findings))


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX patient table as strings (:func:`read_table_noted` without its notes)."""
    return read_table_noted(path)[0]


def read_table_noted(path: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV or XLSX patient table as strings; returns (table, notes).

    The table is a DataFrame of ``str`` (empty cells ``""``), columns as in the
    file, rows in file order, with a default RangeIndex (row ``i`` is line
    ``i + 2`` of the file, after the header). The notes say what reading did that
    is not a problem: XLSX formula cells read as the values Excel stored with them
    (:func:`analysis.data.readers.read_xlsx`).

    Raises
    ------
    DataFileError
        if the file does not exist, has another extension, cannot be parsed, or
        shows an export mistake (one line per mistake, each with its fix).
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"{path}: no such file. Give the path of a .csv or .xlsx patient table.")
    suffix = path.suffix.lower()
    if suffix in STAT_SUFFIXES:
        raise DataFileError(
            f"{path}: unsupported file type {suffix!r} for a patient table ({STAT_SUFFIXES[suffix]} "
            f"file). Fix: convert it with a mapping: python -m analysis import {path.name} "
            f"--draft-mapping > MAP.yaml; edit MAP.yaml; python -m analysis import {path.name} "
            f"--mapping MAP.yaml --out data/private/NAME.csv."
        )
    if suffix not in SUPPORTED:
        raise DataFileError(f"{path}: unsupported file type {suffix!r}; save the table as .csv (UTF-8) or .xlsx.")
    notes = []
    if suffix == ".csv":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataFileError(f"{path}: cannot be read as CSV ({exc}).") from exc
        grid, findings = diagnose_csv(path, data, Expect())
        _raise_findings(findings)
    else:
        sheet = read_xlsx(path, default_sheet=XLSX_SHEET)
        _raise_findings(diagnose_sheet(path, sheet, Expect()))
        grid = sheet.grid
        if sheet.stored:
            notes.append(f"{path.name}: {sheet.stored_note()}")
    if grid is None or grid.empty:
        raise DataFileError(f"{path}: the file is empty; the first row must name the columns.")
    return to_table(grid), notes


def source_of(path: str | Path) -> Source:
    path = Path(path).resolve()
    meta = read_provenance(path)
    return Source(path=path, sha256=file_sha256(path), synthetic=bool(meta.get("synthetic", False)), provenance=meta)
