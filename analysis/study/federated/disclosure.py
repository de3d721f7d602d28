"""Disclosure control of a centre summary: small cells suppressed by block, every suppression reported.

**The rule** (declared in the summary's manifest): a *block* of cells — one table a reader would read
as a whole, :data:`BLOCKS` — in which any count lies between 1 and ``min_cell − 1`` is **suppressed
whole**: every count of the block left empty, its keys kept. This is DataSHIELD's rule for tables
(``nfilter.tab``: a table with a cell 0 < n < threshold is invalid and only its total is returned;
``table1DDS``/``table2DDS`` of dsBase), applied without a total, so that no suppressed cell can be
recovered by subtracting the visible ones from a total (the overall block of a variable stays
visible only when all its cells pass). Zero cells are not disclosive and not written at all (a
summary lists observed combinations only). Anchors for the threshold: DataSHIELD's ``nfilter.tab``
default 3, OHDSI's ``minCellCount`` 5, ACRO's ``safe_threshold`` 10; ``min_cell = 1`` suppresses
nothing (for a summary that stays inside an institution, or for the exactness tests).

**What it costs here**: the study has 44 patients over 14 centres, about 3 a centre. Nearly every
block of such a centre has a cell of 1 or 2 (a time with one event, a variable with one patient of a
kind), so at ``min_cell`` 3 almost nothing of a 3-patient centre survives, and at 5 or 10 nothing;
the pooled analysis then says, output by output, that it is not estimable from the summaries and
how many centres' cells were suppressed. :func:`cost` measures this on a cohort split into its
centres (``docs/federated.md`` gives the figures). A coarser time grid (``grid_days``) merges times
and makes survival blocks pass more often.

The report (``disclosure.csv``) lists every suppressed block: file, block (its keys), number of
cells, action and reason — never the suppressed values.
"""

from __future__ import annotations

import pandas as pd

from ...data.summary_files import TABLES

#: file -> the key columns of a block (a table read as a whole).
BLOCKS: dict[str, tuple[str, ...]] = {
    "time_counts.csv": ("centre", "endpoint", "grouping"),
    "frequencies.csv": ("centre", "variable", "grouping"),
    "histograms.csv": ("centre", "variable", "grouping"),
    "responses.csv": ("centre", "timepoint", "grouping"),
    "transitions.csv": ("centre", "from_timepoint", "to_timepoint"),
    "claim_counts.csv": ("centre", "claim_id"),
}
REPORT = "disclosure.csv"


def _small(values: pd.DataFrame, min_cell: int) -> pd.Series:
    return ((values > 0) & (values < min_cell)).any(axis=1)


def suppress(table: pd.DataFrame, name: str, min_cell: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the table with every failing block's counts emptied, the report rows of those blocks)."""
    keys, values = TABLES[name]
    out = table.copy()
    for column in values:
        out[column] = out[column].astype("Int64")
    report_columns = list(TABLES[REPORT][0])
    if min_cell <= 1 or out.empty:
        return out, pd.DataFrame(columns=report_columns)
    block = list(BLOCKS[name])
    failing = _small(out[list(values)], min_cell).groupby([out[c] for c in block], sort=True).any()
    failing = failing[failing]
    if failing.empty:
        return out, pd.DataFrame(columns=report_columns)
    hit = out.set_index(block).index.isin(failing.index)
    out.loc[hit, list(values)] = pd.NA
    sizes = out[hit].groupby(block, sort=True).size()
    report = pd.DataFrame(
        {
            "file": name,
            "block": [" / ".join(f"{k}={v}" for k, v in zip(block, key)) for key in sizes.index],
            "cells": (sizes * len(values)).to_numpy(),
            "action": "suppressed",
            "reason": f"a count between 1 and {min_cell - 1} (min_cell {min_cell})",
        }
    )
    return out, report


def apply(tables: dict[str, pd.DataFrame], min_cell: int) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Suppress every table of a summary (:func:`suppress`) and return them with the report table."""
    if int(min_cell) != min_cell or min_cell < 1:
        raise ValueError(f"min_cell must be a whole number ≥ 1 (1: no suppression), got {min_cell!r}")
    out, reports = {}, []
    for name, table in tables.items():
        out[name], report = suppress(table, name, int(min_cell))
        reports.append(report)
    nonempty = [r for r in reports if len(r)]
    report = pd.concat(nonempty, ignore_index=True) if nonempty else pd.DataFrame(columns=list(TABLES[REPORT][0]))
    out[REPORT] = report.astype({"cells": "int64"}) if len(report) else report
    return out, out[REPORT]


def cost(tables: dict[str, pd.DataFrame], thresholds=(3, 5, 10)) -> pd.DataFrame:
    """Share of each table's blocks (and cells) that survive each threshold: what a rule leaves."""
    rows = []
    for min_cell in thresholds:
        for name, table in tables.items():
            if name not in BLOCKS or table.empty:
                continue
            keys, values = TABLES[name]
            block = list(BLOCKS[name])
            failing = _small(table[list(values)].astype("Int64").fillna(0), min_cell)
            by_block = failing.groupby([table[c] for c in block]).any()
            rows.append(
                {
                    "min_cell": min_cell,
                    "file": name,
                    "blocks": len(by_block),
                    "blocks_kept": int((~by_block).sum()),
                    "cells_kept_share": float((~failing.groupby([table[c] for c in block]).transform("any")).mean()),
                }
            )
    return pd.DataFrame(rows)


__all__ = ["BLOCKS", "REPORT", "apply", "cost", "suppress"]
