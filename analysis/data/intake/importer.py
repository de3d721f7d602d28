"""``python -m analysis import``: a centre's export, read as its mapping declares, written in the dictionary's format.

:func:`read_raw` reads the raw file under the mapping's ``read:`` settings — CSV (any delimiter,
decimal mark, encoding), XLSX (any sheet), SPSS ``.sav``, Stata ``.dta``, SAS ``.xpt`` and
``.sas7bdat`` (:mod:`analysis.data.readers`) — and diagnoses its shape first
(:mod:`analysis.data.diagnose`: a separator or encoding other than declared, empty rows, Excel
error cells, formulas, merged cells), each mistake in one line with the mapping setting that fixes
it. :func:`import_file` then applies the mapping (:mod:`analysis.data.intake.mapping`); an unmapped column
or value stops it with every such problem listed (raw row, column, value, YAML line to add) and
nothing written. Otherwise it writes the table (CSV, UTF-8, ``,``, dictionary order) and its
provenance note ``<out>.provenance.yaml`` — source file and mapping, each with its SHA-256, every
recode, conversion, constant and dropped column counted — and validates the output as usual.

The output is labelled synthetic only when the raw file's own provenance note says so (as the worked
examples under ``data/examples/`` do): a mapping cannot declare data synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ...atomic import write_text
from ...exceptions import DataFileError
from ..diagnose import Expect, diagnose_csv
from ..diagnose_xlsx import diagnose_sheet
from ..inputs import file_sha256, provenance_path
from ..io import read_provenance
from ..readers import STAT_SUFFIXES, read_stat, read_xlsx, to_table
from .mapping import Mapping
from .remap import MapProblem, MapReport, apply_mapping

RAW_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx") + tuple(STAT_SUFFIXES)


@dataclass(frozen=True)
class RawTable:
    """A raw export as text: header = its own column names; ``rows`` its own row numbers."""

    path: Path
    kind: str
    table: pd.DataFrame
    rows: list[int]
    row_word: str
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[str, str]]
    dropped_rows: int = 0
    dropped_columns: int = 0


def _drop_empty(grid: pd.DataFrame, rows: bool, columns: bool) -> tuple[pd.DataFrame, list[int], int, int]:
    numbers = list(range(1, len(grid) + 1))  # line numbers of the grid (header = line 1)
    n_rows = n_cols = 0
    if columns and not grid.empty:
        keep = [c for c in grid.columns if (grid[c] != "").any()]
        n_cols = grid.shape[1] - len(keep)
        grid = grid[keep]
    if rows and len(grid) > 1:
        blank = (grid.iloc[1:] == "").all(axis=1).to_numpy()
        keep = [0] + [k + 1 for k, b in enumerate(blank) if not b]
        n_rows = len(grid) - len(keep)
        numbers = [numbers[k] for k in keep]
        grid = grid.iloc[keep].reset_index(drop=True)
    return grid, numbers[1:], n_rows, n_cols


def read_raw(path: str | Path, m: Mapping) -> RawTable:
    """Read a raw export as ``m`` declares (see the module docstring).

    Raises
    ------
    DataFileError
        missing file, unsupported type, or a file-level mistake (one line each, with the fix).
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"{path}: no such file.")
    suffix = path.suffix.lower()
    expect = Expect(delimiter=m.option("delimiter") or ",", encoding=m.option("encoding") or "utf-8", mapping=m.name)
    drop_rows, drop_cols = m.option("drop_empty_rows", False), m.option("drop_empty_columns", False)
    ignore = {k for k, on in (("empty_rows", drop_rows), ("empty_columns", drop_cols)) if on}
    if suffix in (".csv", ".txt", ".tsv"):
        grid, findings = diagnose_csv(path, path.read_bytes(), expect, check_cells=False)
        kind = "CSV"
    elif suffix == ".xlsx":
        sheet = read_xlsx(path, sheet=m.option("sheet"))
        findings, grid, kind = diagnose_sheet(path, sheet, expect, check_cells=False), sheet.grid, "XLSX"
    elif suffix in STAT_SUFFIXES:
        stat = read_stat(path, m.option("encoding"))
        table = to_table(stat.grid)
        return RawTable(
            path, stat.kind, table, list(range(1, len(table) + 1)), "case", stat.variable_labels, stat.value_labels
        )
    else:
        raise DataFileError(f"{path}: unsupported file type {suffix!r}; import reads {', '.join(RAW_SUFFIXES)}.")
    findings = [f for f in findings if f.kind not in ignore]
    if findings:
        raise DataFileError("\n".join(f.message for f in findings))
    if grid is None or grid.empty:
        raise DataFileError(f"{path}: the file is empty; its first row must name the columns.")
    grid, numbers, n_rows, n_cols = _drop_empty(grid, drop_rows, drop_cols)
    return RawTable(path, kind, to_table(grid), numbers, "line", {}, {}, n_rows, n_cols)


@dataclass(frozen=True)
class ImportResult:
    """The outcome of one import: the mapped table (empty if problems), what was done, what is undeclared."""

    raw: RawTable
    mapping: Mapping
    table: pd.DataFrame
    report: MapReport
    problems: list[MapProblem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_text(self) -> str:
        lines = "\n".join("  " + p.to_text(self.raw.row_word) for p in self.problems)
        return (
            f"{self.raw.path.name}: {len(self.problems)} undeclared column(s) or value(s) in {self.mapping.name} "
            f"(nothing written):\n{lines}"
        )

    def summary(self, out: Path | None = None) -> str:
        to = f" → {out}" if out else ""
        head = f"{self.raw.path.name} ({self.raw.kind}, {len(self.table)} rows) with {self.mapping.name}{to}"
        return "\n".join([head] + ["  " + line for line in self.report.summary_lines()])


def map_file(path: str | Path, m: Mapping) -> ImportResult:
    """Read and map one raw export (nothing written)."""
    raw = read_raw(path, m)
    table, report, problems = apply_mapping(raw.table, m, raw.rows, raw.variable_labels)
    report.dropped_rows, report.dropped_columns = raw.dropped_rows, raw.dropped_columns
    return ImportResult(raw, m, table, report, problems)


def provenance(result: ImportResult) -> dict:
    """The provenance note of an imported table (see the module docstring)."""
    source_meta = read_provenance(result.raw.path)
    r = result.report
    meta = {
        "synthetic": bool(source_meta.get("synthetic", False)),
        "description": source_meta.get("description")
        or result.mapping.description
        or f"imported from {result.raw.path.name}",
        "imported_with": "python -m analysis import (analysis.data.intake.importer)",
        "source": {"file": result.raw.path.name, "format": result.raw.kind, "sha256": file_sha256(result.raw.path)},
        "mapping": {"file": result.mapping.name, "sha256": result.mapping.sha256},
        "rows": len(result.table),
        "columns_renamed": dict(r.renamed),
        "columns_used_as_they_are": list(r.identity),
        "constants": dict(r.constants),
        "columns_dropped": list(r.dropped),
        "recodes": {k: dict(v) for k, v in r.recodes.items()},
        "declared_missing": {k: dict(v) for k, v in r.missing.items()},
        "dates_converted": {k: dict(v) for k, v in r.dates.items()},
        "units_converted": {k: dict(v) for k, v in r.units.items()},
        "decimal_commas": dict(r.decimals),
        "empty_rows_dropped": r.dropped_rows,
        "empty_columns_dropped": r.dropped_columns,
    }
    if source_meta.get("statement"):
        meta["statement"] = source_meta["statement"]
    return meta


def write_result(result: ImportResult, out: str | Path) -> Path:
    """Write the mapped table (CSV) and its provenance note; returns the table's path."""
    out = Path(out)
    text = result.table.to_csv(index=False, lineterminator="\n")
    write_text(out, text)
    write_text(provenance_path(out), yaml.safe_dump(provenance(result), sort_keys=False, allow_unicode=True, width=110))
    return out
