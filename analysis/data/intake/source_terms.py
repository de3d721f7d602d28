"""The converted table's validation problems, said in the export's own terms: its column, its row.

An import validates the table it has converted in memory (:func:`analysis.data.validate.validate_table`,
every rule of the data dictionary) before writing anything. A problem found there names a
dictionary column and a line of a CSV that does not exist yet (``line 9, column 'progression_date'``);
the centre knows its own export. :func:`validation_problems` translates each one back:

* the **column** — the raw column the dictionary column was mapped from (``'Date progression'``),
  used as it is, or computed from (``derive:``; its sources), or ``constants: center_id``;
* the **row** — the raw file's own number of that row (``rows``: a line of the CSV, a row of the
  sheet, a case of the statistical file), with the patient's converted ``patient_id``;
* the **value** — the raw cell, and the converted one when the mapping changed it (``'1,7' (as
  m_protein_g_l: '17')``);
* the rule and its message, unchanged.

A cell the mapping already refused (``MapReport.skip``: an unknown code, a date not in its format,
a column that looks like an identifier) is not reported again by validation, nor is a dictionary
column the mapping already says has no source. What remains is reported with the mapping's own
problems, all at once (:mod:`analysis.data.intake.importer`).
"""

from __future__ import annotations

import pandas as pd

from ..validate import Problem
from .map_report import MapProblem, MapReport


def _raw_cell(table: pd.DataFrame, column: str, index: int) -> str | None:
    if column not in table.columns or not 0 <= index < len(table):
        return None
    cells = table[column]
    cells = cells.iloc[:, 0] if isinstance(cells, pd.DataFrame) else cells
    return cells.iloc[index]


def validation_problem(p: Problem, raw: pd.DataFrame, rows: list[int], report: MapReport) -> MapProblem:
    """One validation problem of the converted table in the raw file's terms (see the module docstring)."""
    column, kind = report.origin(p.column)
    if p.line is None:  # a header problem: the whole table (e.g. no patient rows)
        where = f"column {column!r} ({p.column}): " if p.column else ""
        return MapProblem((), column, "", f"{where}{p.message}", target=p.column, rule=p.rule)
    index = p.line - 2
    if kind == "derived":
        sources = report.derived[p.column]["from"]
        value = " / ".join(str(_raw_cell(raw, s, index) or "") for s in sources)
        target = f"derive: {p.column}"
    elif kind == "constant":
        value, target = report.constants[p.column], p.column
    else:
        cell = _raw_cell(raw, column, index)
        value, target = (p.value if cell is None else cell), p.column
    return MapProblem(
        (rows[index],), column, value, p.message, target=target, converted=p.value, patient=p.patient_id, rule=p.rule
    )


def validation_problems(
    problems: list[Problem], raw: pd.DataFrame, rows: list[int], report: MapReport
) -> list[MapProblem]:
    """The validation ``problems`` not already reported by the mapping, each in the raw file's terms.

    A dictionary column absent from the converted table is always one the mapping has reported
    (no source, a clash, a derivation's missing source): its "column absent" is not repeated.
    """
    out = []
    for p in problems:
        if p.line is None and p.rule == "column_missing":
            continue
        if p.line is not None and (p.line - 2, p.column) in report.skip:
            continue
        out.append(validation_problem(p, raw, rows, report))
    return out


__all__ = ["validation_problem", "validation_problems"]
