"""``python -m analysis import``: a centre's export, read as its mapping declares, checked whole, written in the dictionary's format.

:func:`read_raw` reads the raw file under the mapping's ``read:`` settings — CSV (any delimiter,
decimal mark, encoding), XLSX (any sheet; formula cells as their stored values, noted), SPSS
``.sav``, Stata ``.dta``, SAS ``.xpt`` and ``.sas7bdat`` (:mod:`analysis.data.readers`; a
statistical file's user-missing codes kept with their declaration) — and diagnoses its shape first
(:mod:`analysis.data.diagnose`: a separator or encoding other than declared, empty rows, Excel
error cells, formulas without a stored value, merged cells), each mistake in one line with the
mapping setting that fixes it.

:func:`map_file` then makes one pass: it applies the mapping (:mod:`analysis.data.intake.remap`:
renames, recodes, missing codes, dates, units, derived columns, identifiers refused), validates the
converted table in memory (:func:`analysis.data.validate.validate_table`, every rule of the
dictionary), and translates each validation problem back to the centre's own column and row
(:mod:`analysis.data.intake.source_terms`). The mapping's problems (an undeclared column or value,
with the YAML line to add) and the validation's are reported together, all at once; with any of
them nothing is written — neither the table nor its provenance note (:func:`write_result` refuses).

A valid import is written as CSV (UTF-8, ``,``, dictionary order) with its provenance note
``<out>.provenance.yaml`` — source file and mapping, each with its SHA-256; every rename, recode,
missing-code conversion (the mapping's ``missing:`` and the file's own user-missing codes, each with
its label and source), date, unit and decimal conversion, derivation, constant, dropped column and
formula cell read as its stored value, counted.

The output is labelled synthetic only when the raw file's own provenance note says so (as the worked
examples under ``data/examples/`` do): a mapping cannot declare data synthetic.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ...atomic import write_text
from ...exceptions import DataFileError
from ..diagnose import Expect, diagnose_csv
from ..diagnose_xlsx import diagnose_sheet
from ..inputs import file_sha256, provenance_path
from ..io import read_provenance
from ..readers import STAT_SUFFIXES, read_xlsx, to_table
from ..stat_files import UserMissing, read_stat
from ..validate import ValidationReport, validate_table
from .map_report import MapProblem, MapReport
from .mapping import Mapping
from .remap import apply_mapping
from .source_terms import validation_problem, validation_problems

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
    user_missing: dict[str, UserMissing] = field(default_factory=dict)
    stored_formulas: tuple[tuple[str, str, str], ...] = ()  # XLSX (cell, formula, stored value)
    notes: tuple[str, ...] = ()


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
    stored, notes = (), ()
    if suffix in (".csv", ".txt", ".tsv"):
        grid, findings = diagnose_csv(path, path.read_bytes(), expect, check_cells=False)
        kind, row_word = "CSV", "line"
    elif suffix == ".xlsx":
        sheet = read_xlsx(path, sheet=m.option("sheet"))
        findings, grid, kind = diagnose_sheet(path, sheet, expect, check_cells=False), sheet.grid, "XLSX"
        row_word, stored = "row", tuple(sheet.stored)
        notes = (sheet.stored_note(),) if sheet.stored else ()
    elif suffix in STAT_SUFFIXES:
        stat = read_stat(path, m.option("encoding"))
        table = to_table(stat.grid)
        return RawTable(
            path,
            stat.kind,
            table,
            list(range(1, len(table) + 1)),
            "case",
            stat.variable_labels,
            stat.value_labels,
            user_missing=stat.user_missing,
        )
    else:
        raise DataFileError(f"{path}: unsupported file type {suffix!r}; import reads {', '.join(RAW_SUFFIXES)}.")
    findings = [f for f in findings if f.kind not in ignore]
    if findings:
        raise DataFileError("\n".join(f.message for f in findings))
    if grid is None or grid.empty:
        raise DataFileError(f"{path}: the file is empty; its first row must name the columns.")
    grid, numbers, n_rows, n_cols = _drop_empty(grid, drop_rows, drop_cols)
    return RawTable(
        path, kind, to_table(grid), numbers, row_word, {}, {}, n_rows, n_cols, stored_formulas=stored, notes=notes
    )


@dataclass(frozen=True)
class ImportResult:
    """The outcome of one import: the converted table, what was done, and every problem (mapping and validation).

    ``typed`` is the converted table as validation parsed it (for the checks across several
    exports); ``table`` is not to be written unless :attr:`ok`.
    """

    raw: RawTable
    mapping: Mapping
    table: pd.DataFrame
    report: MapReport
    problems: list[MapProblem]
    typed: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_text(self) -> str:
        lines = "\n".join("  " + p.to_text(self.raw.row_word) for p in self.problems)
        return (
            f"{self.raw.path.name}: {len(self.problems)} problem(s) with {self.mapping.name}, each in the export's own "
            f"columns and {self.raw.row_word}s (nothing written):\n{lines}"
        )

    def summary(self, out: Path | None = None) -> str:
        to = f" → {out}" if out else ""
        head = f"{self.raw.path.name} ({self.raw.kind}, {len(self.table)} rows) with {self.mapping.name}{to}"
        lines = self.report.summary_lines() + [f"note: {n}" for n in self.raw.notes]
        return "\n".join([head] + ["  " + line for line in lines])


def _order(p: MapProblem) -> tuple:
    """Whole-column problems first, then by the first row they name (mapping and validation interleaved)."""
    return (bool(p.rows), p.rows[0] if p.rows else 0)


def map_file(path: str | Path, m: Mapping) -> ImportResult:
    """Read, map and validate one raw export in one pass (nothing written; see the module docstring)."""
    raw = read_raw(path, m)
    table, report, problems = apply_mapping(
        raw.table, m, raw.rows, raw.variable_labels, raw.value_labels, raw.user_missing
    )
    report.dropped_rows, report.dropped_columns = raw.dropped_rows, raw.dropped_columns
    typed, validation = validate_table(table, source=raw.path.name)
    problems = sorted(problems + validation_problems(validation.problems, raw.table, raw.rows, report), key=_order)
    return ImportResult(raw, m, table, report, problems, typed)


def across_exports(results: list[ImportResult]) -> list[str]:
    """The checks across several valid imports (:data:`analysis.data.pool.POOL_RULES`: a patient_id, a
    center_id in one export only), one line each, in the exports' own columns and rows."""
    from ..pool import cross_file_problems, display_names

    names = display_names([r.raw.path for r in results])
    by_name = dict(zip(names, results))
    frames, rows = [r.typed for r in results], [r.raw.rows for r in results]
    out = []
    for p in cross_file_problems(frames, names, rows):
        r = by_name[p.file]
        in_table = dataclasses.replace(p, line=r.raw.rows.index(p.line) + 2)  # the converted table's numbering
        out.append(
            f"{p.file}: {validation_problem(in_table, r.raw.table, r.raw.rows, r.report).to_text(r.raw.row_word)}"
        )
    return out


def valid_report(results: list[ImportResult], outputs: list[Path]) -> ValidationReport:
    """The validation report of valid imports, named by their outputs (as ``validate`` would print it)."""
    from ..pool import display_names

    names = display_names(outputs)
    source = names[0] if len(names) == 1 else f"{len(names)} files ({', '.join(names)})"
    notes = [n for r in results for n in r.raw.notes]
    return ValidationReport(n_rows=sum(len(r.table) for r in results), source=source, notes=notes)


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
        "declared_missing": {k: {value: dict(e) for value, e in v.items()} for k, v in r.missing.items()},
        "dates_converted": {k: dict(v) for k, v in r.dates.items()},
        "units_converted": {k: dict(v) for k, v in r.units.items()},
        "decimal_commas": dict(r.decimals),
        "derived": {k: {**v, "empty": dict(v["empty"])} for k, v in r.derived.items()},
        "formula_cells_read_as_stored_values": [
            {"cell": cell, "formula": formula, "value": value} for cell, formula, value in result.raw.stored_formulas
        ],
        "empty_rows_dropped": r.dropped_rows,
        "empty_columns_dropped": r.dropped_columns,
    }
    if source_meta.get("statement"):
        meta["statement"] = source_meta["statement"]
    return meta


def write_result(result: ImportResult, out: str | Path) -> Path:
    """Write the mapped table (CSV) and its provenance note; returns the table's path.

    Raises
    ------
    ValueError
        the import has problems (:attr:`ImportResult.problems`): nothing is written.
    """
    if not result.ok:
        raise ValueError(result.problems_text())
    out = Path(out)
    text = result.table.to_csv(index=False, lineterminator="\n")
    write_text(out, text)
    write_text(provenance_path(out), yaml.safe_dump(provenance(result), sort_keys=False, allow_unicode=True, width=110))
    return out
