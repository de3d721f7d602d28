"""Survival data as per-time counts, and back: what a centre can send instead of its patients' rows.

Every estimator of this package that a pooled analysis needs — Kaplan–Meier with Greenwood's variance
(:mod:`~analysis.stats.km`), the log-rank test and its stratified form (:mod:`~analysis.stats.logrank`),
Cox's model with a categorical covariate and Efron or Breslow ties (:mod:`~analysis.stats.cox`) — depends
on the data only through the number of events and of censorings at each distinct time, by group (and
stratum): the risk set at t is the number with time ≥ t, so ``n_j = Σ_{t_i ≥ t_j} (d_i + c_i)``. A table
of ``(by…, time, events, censored)`` therefore carries exactly what the estimators use, and tables of
several centres add cell by cell (:func:`pool`).

:func:`event_counts` makes the table; :func:`expand` turns a (pooled) table back into one
``time``/``event`` row per event or censoring — anonymous rows, equal in number to the patients and
equal as a multiset to the ``(by…, time, event)`` of the pooled patients — so the pooled estimate is the
*same function on the same numbers* as the patient-level one, not a re-implementation: identical up
to the order of floating-point summation (tests/stats/test_counts.py asserts 1e-12 against the rows,
lifelines and R for KM, the log-rank tests and Cox). DataSHIELD's dsSurvival instead meta-analyses
per-site Cox fits, and vantage6's Kaplan–Meier adds noise to the times; neither is exact.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import checks

COUNT_COLUMNS = ["time", "events", "censored"]


def event_counts(frame: pd.DataFrame, by=(), time: str = "time", event: str = "event") -> pd.DataFrame:
    """Events and censorings at each distinct time, by the columns ``by``.

    Parameters
    ----------
    frame : DataFrame
        One row per subject with ``time`` (≥ 0, finite) and ``event`` (0/1) columns.
    by : sequence of str, optional (default=(): no grouping)
        Grouping columns kept in the table (e.g. a covariate and a stratum). Missing values form no
        group: rows with a missing ``by`` value are left out, as the estimators leave them out.
    time, event : str, optional (default="time", "event")

    Returns
    -------
    pandas.DataFrame
        Columns ``[*by, "time", "events", "censored"]``, sorted, one row per (group, distinct time);
        ``events`` and ``censored`` are int64 counts.

    Examples
    --------
    >>> f = pd.DataFrame({"time": [3.0, 1.0, 3.0, 2.0], "event": [1, 0, 0, 1]})
    >>> event_counts(f).to_dict("list")
    {'time': [1.0, 2.0, 3.0], 'events': [0, 1, 1], 'censored': [1, 0, 1]}
    """
    by = list(by)
    missing = [c for c in (time, event, *by) if c not in frame.columns]
    if missing:
        raise ValueError(f"columns {missing} not in the frame (columns: {list(frame.columns)})")
    kept = frame.dropna(subset=by) if by else frame
    t, e = checks.survival_data(kept[time], kept[event], allow_empty=True)
    work = kept[by].copy() if by else pd.DataFrame(index=kept.index)
    work["time"], work["events"] = t, e.astype(np.int64)
    work["censored"] = 1 - work["events"]
    table = work.groupby([*by, "time"], observed=True, sort=True)[["events", "censored"]].sum().reset_index()
    return table.astype({"events": "int64", "censored": "int64"})


def pool(tables) -> pd.DataFrame:
    """Cell-by-cell sum of :func:`event_counts` tables with the same ``by`` columns (e.g. one per centre).

    Examples
    --------
    >>> a = pd.DataFrame({"time": [1.0, 2.0], "events": [1, 0], "censored": [0, 1]})
    >>> b = pd.DataFrame({"time": [2.0], "events": [1], "censored": [0]})
    >>> pool([a, b]).to_dict("list")
    {'time': [1.0, 2.0], 'events': [1, 1], 'censored': [0, 1]}
    """
    tables = list(tables)
    if not tables:
        raise ValueError("no count tables to pool")
    by = [c for c in tables[0].columns if c not in COUNT_COLUMNS]
    for k, t in enumerate(tables):
        if sorted(t.columns) != sorted([*by, *COUNT_COLUMNS]):
            raise ValueError(f"table {k} has columns {list(t.columns)}, expected {[*by, *COUNT_COLUMNS]}")
    stacked = pd.concat(tables, ignore_index=True)
    summed = stacked.groupby([*by, "time"], observed=True, sort=True)[["events", "censored"]].sum().reset_index()
    return summed.astype({"events": "int64", "censored": "int64"})


def expand(table: pd.DataFrame) -> pd.DataFrame:
    """One anonymous ``time``/``event`` row per event and per censoring of a count table (and its ``by``
    columns): the rows the estimators read, in sorted order.

    Examples
    --------
    >>> t = pd.DataFrame({"time": [1.0, 2.0], "events": [2, 0], "censored": [0, 1]})
    >>> expand(t).to_dict("list")
    {'time': [1.0, 1.0, 2.0], 'event': [1, 1, 0]}
    """
    by = [c for c in table.columns if c not in COUNT_COLUMNS]
    for name in ("events", "censored"):
        values = table[name].to_numpy()
        if len(values) and (pd.isna(values).any() or (values < 0).any()):
            raise ValueError(f"{name} must be counts ≥ 0 with none missing (a suppressed cell cannot be expanded)")
    parts = []
    for event, column in ((1, "events"), (0, "censored")):
        repeats = table[column].to_numpy(dtype=np.int64)
        part = table.loc[table.index.repeat(repeats), [*by, "time"]]
        part["event"] = event
        parts.append(part)
    rows = pd.concat(parts, ignore_index=True)
    rows = rows.sort_values([*by, "time", "event"], ascending=[*([True] * len(by)), True, False], kind="stable")
    return rows.reset_index(drop=True).astype({"event": "int64"})


__all__ = ["COUNT_COLUMNS", "event_counts", "expand", "pool"]
