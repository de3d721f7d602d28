"""What a centre summary holds: the aggregates every pooled analysis of the notebooks needs, and no row.

:func:`summary_tables` turns a validated cohort into the tables of :data:`analysis.data.summary_files.TABLES`,
every one broken down by ``centre`` (a centre's code, as in ``center_id``: a summary of a file holding
several centres keeps them apart, so the centre-stratified tests stay exact):

* **time_counts** — for PFS, OS and the reverse-KM follow-up (:data:`ENDPOINTS`), overall and by each
  grouping the notebooks use (:data:`GROUPINGS`): events and censorings at each time in days (the
  analysis time scale, :data:`analysis.data.derive.DAYS_PER_MONTH` converts to months), or at the
  declared coarser grid (times rounded *up* to a multiple of ``grid_days``, so no event moves earlier).
  Kaplan–Meier with Greenwood's variance, the log-rank and centre-stratified log-rank tests and Cox's
  model for a grouping are functions of exactly these counts (:mod:`analysis.stats.counts`).
* **frequencies** — every categorical variable of the subject-level table (flags, categories, grades;
  :func:`categorical_variables`), overall and by grouping; "missing" is a value.
* **histograms** — every numeric variable (age, lab values, delays; :func:`numeric_variables`) at its
  recording resolution (each distinct recorded value a bin), overall and by grouping: medians and
  ranges pooled from it are exact; after suppression they are bounded (:mod:`.pooled`).
* **responses** — patients per timepoint × response state (with its evaluable/ORR/≥VGPR/≥CR flags),
  overall and by grouping; **transitions** — patients per pair of timepoints the notebooks compare ×
  (state before, state after).
* **claim_counts** — the numerator and denominator of every proportion and count the paper states
  (the registry's metrics, :func:`analysis.paper.reconcile.proportion_counts`): the comparison with the
  paper pooled by adding them.

Never in a table: a patient identifier, a date, a free-text field, or one row per patient. Dates enter
only as the durations the analysis uses (times in days, delays in days).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ...data import derive, dictionary, query
from ...data.readers import cell_text
from ...data.summary_files import TABLES, Summary
from ...paper import claims as claims_mod
from ...paper import reconcile
from ...stats import counts

ENDPOINTS = ("PFS", "OS", "FOLLOWUP")
#: The groupings the notebooks compare (survival panels, response subgroups, sensitivity).
GROUPINGS = ("extramedullary", "any_cyto_abnormality", "hrca", "bsab_agent", "high_tumour_burden")
ALL = "all"
MISSING = "missing"
#: Numeric subject-level variables derived from dates (durations in days) or counts of sites.
DERIVED_NUMERIC = ("delay_days", "followup_days", "emd_localisations")
#: Pairs of timepoints the notebooks read transitions between (03_response's conversion tables).
TRANSITIONS = (("debulking", "C1"), ("C1", "C3"), ("C3", "C6"), ("C6", "C12"), ("debulking", "best"))
RESPONSE_FLAGS = ("evaluable", "orr", "vgpr_or_better", "cr_or_better")
_NEVER = ("patient_id", "center_id", "source_file")


def numeric_variables(adsl: pd.DataFrame) -> list[str]:
    """The subject-level numeric variables summarised as histograms (dictionary integers and numbers, and
    the derived durations), in table order."""
    wanted = {c.name for c in dictionary.COLUMNS if c.kind in ("integer", "number")} | set(DERIVED_NUMERIC)
    return [c for c in adsl.columns if c in wanted]


def categorical_variables(adsl: pd.DataFrame) -> list[str]:
    """Every other subject-level variable but identifiers and dates: flags, categories, derived classes."""
    numeric = set(numeric_variables(adsl))
    return [
        c
        for c in adsl.columns
        if c not in numeric and c not in _NEVER and not pd.api.types.is_datetime64_any_dtype(adsl[c])
    ]


def value_text(x) -> str:
    """A recorded value as text: the readers' :func:`analysis.data.readers.cell_text` (integers without a
    decimal point, numbers as recorded), with "missing" for an empty value."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return MISSING
    return cell_text(float(x) if isinstance(x, np.floating) else x)


def _groups(adsl: pd.DataFrame):
    """(grouping, group text per patient) for "all" and each grouping; patients without the grouping get NaN."""
    yield ALL, pd.Series("", index=adsl.index)
    for g in GROUPINGS:
        yield g, adsl[g].map(lambda v: np.nan if pd.isna(v) else value_text(v))


def _tally(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.groupby(keys, observed=True, sort=True, dropna=False).size().rename("n").reset_index()


def _by_variable(adsl: pd.DataFrame, variables, name: str) -> pd.DataFrame:
    text = adsl[list(variables)].apply(lambda column: column.map(value_text))
    parts = []
    for grouping, group in _groups(adsl):
        keep = group.notna()
        wide = text[keep].assign(centre=adsl.loc[keep, "center_id"].astype(str), group=group[keep])
        long = wide.melt(id_vars=["centre", "group"], var_name="variable", value_name="value")
        parts.append(_tally(long.assign(grouping=grouping), ["centre", "variable", "grouping", "group", "value"]))
    return _finish(parts, name)


def _finish(parts, name: str) -> pd.DataFrame:
    keys, values = TABLES[name]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*keys, *values])
    frame = frame[[*keys, *values]].astype(dict.fromkeys(keys, str))
    return frame.sort_values(list(keys), kind="stable").reset_index(drop=True)


def _time_counts(adsl: pd.DataFrame, adtte: pd.DataFrame, grid_days: int) -> pd.DataFrame:
    parts = []
    for endpoint in ENDPOINTS:
        rows = adtte[adtte["endpoint"] == endpoint].merge(adsl, on="patient_id", how="left", suffixes=("", "_adsl"))
        days = rows["time_days"].to_numpy(dtype=float)
        days = np.ceil(days / grid_days) * grid_days if grid_days > 1 else days
        for grouping, group in _groups(rows):
            f = pd.DataFrame(
                {"centre": rows["center_id"].astype(str), "group": group, "time": days, "event": rows["event"]}
            )
            table = counts.event_counts(f, by=["centre", "group"])
            table.insert(1, "endpoint", endpoint)
            table.insert(2, "grouping", grouping)
            table["time_days"] = table.pop("time").map(value_text)
            parts.append(table)
    return _finish(parts, "time_counts.csv")


def _responses(adsl: pd.DataFrame, adrs: pd.DataFrame) -> pd.DataFrame:
    rows = adrs.merge(adsl[["patient_id", "center_id", *GROUPINGS]], on="patient_id", how="left")
    parts = []
    for grouping, group in _groups(rows):
        keep = group.notna()
        f = pd.DataFrame(
            {
                "centre": rows.loc[keep, "center_id"].astype(str),
                "timepoint": rows.loc[keep, "timepoint"].astype(str),
                "grouping": grouping,
                "group": group[keep],
                "response": rows.loc[keep, "response"].map(value_text),
                **{flag: rows.loc[keep, flag].map(value_text) for flag in RESPONSE_FLAGS},
            }
        )
        parts.append(_tally(f, list(TABLES["responses.csv"][0])))
    return _finish(parts, "responses.csv")


def _transitions(adsl: pd.DataFrame, adrs: pd.DataFrame) -> pd.DataFrame:
    wide = adrs.pivot(index="patient_id", columns="timepoint", values="response")
    centre = adsl.set_index("patient_id")["center_id"].astype(str)
    parts = []
    for before, after in TRANSITIONS:
        f = pd.DataFrame(
            {
                "centre": centre.reindex(wide.index),
                "from_timepoint": before,
                "to_timepoint": after,
                "from_response": wide[before].map(value_text),
                "to_response": wide[after].map(value_text),
            }
        )
        parts.append(_tally(f, list(TABLES["transitions.csv"][0])))
    return _finish(parts, "transitions.csv")


def _claim_counts(patients: pd.DataFrame) -> pd.DataFrame:
    """Each claim's numerator and denominator per centre: its metric evaluated once on the whole table
    (:mod:`analysis.data.query`, as :func:`analysis.paper.reconcile.proportion_counts` does), then counted
    by ``center_id``."""
    tables = reconcile.analysis_tables(patients)
    centres = sorted(patients["center_id"].astype(str).unique())
    parts = []
    for c in (c for c in claims_mod._registry() if c.kind in ("proportion", "count") and c.metric):
        m = c.metric
        frame = tables[m.get("table", "adsl")]
        centre = frame["center_id"].astype(str)
        if "distinct" in m:
            num = den = frame.groupby(centre)[m["distinct"]].nunique()
        else:
            num = query.mask(frame, m["numerator"]).groupby(centre).sum()
            den = query.mask(frame, m.get("denominator", "all")).groupby(centre).sum()
        parts.append(
            pd.DataFrame(
                {
                    "centre": centres,
                    "claim_id": c.id,
                    "numerator": num.reindex(centres, fill_value=0).astype("int64").to_numpy(),
                    "denominator": den.reindex(centres, fill_value=0).astype("int64").to_numpy(),
                }
            )
        )
    return _finish(parts, "claim_counts.csv")


def summary_tables(patients: pd.DataFrame, grid_days: int = 1) -> dict[str, pd.DataFrame]:
    """Every table of a centre summary (before disclosure control) from a validated patient table.

    Parameters
    ----------
    patients : DataFrame
        ``cohort.patients`` of :func:`analysis.data.cohort.load_cohort`.
    grid_days : int, optional (default=1: the analysis time scale, exact)
        Width of the time grid of ``time_counts``; each time is rounded up to a multiple of it.

    Returns
    -------
    dict
        File name -> table, for every file of :data:`analysis.data.summary_files.TABLES` but
        ``disclosure.csv`` (written by :func:`analysis.study.federated.disclosure.apply`).
    """
    if int(grid_days) != grid_days or grid_days < 1:
        raise ValueError(f"grid_days must be a whole number of days ≥ 1, got {grid_days!r}")
    adsl, adtte, adrs = derive.subject_level(patients), derive.time_to_event(patients), derive.response(patients)
    return {
        "time_counts.csv": _time_counts(adsl, adtte, int(grid_days)),
        "frequencies.csv": _by_variable(adsl, categorical_variables(adsl), "frequencies.csv"),
        "histograms.csv": _by_variable(adsl, numeric_variables(adsl), "histograms.csv"),
        "responses.csv": _responses(adsl, adrs),
        "transitions.csv": _transitions(adsl, adrs),
        "claim_counts.csv": _claim_counts(patients),
    }


#: What each file holds, in the manifest (a data-protection officer reads this first).
CONTENTS = {
    "time_counts.csv": "events and censorings per time (days) for PFS, OS and follow-up, overall and by grouping",
    "frequencies.csv": "patients per value of each categorical variable, overall and by grouping",
    "histograms.csv": "patients per recorded value of each numeric variable (age, lab values, durations in days)",
    "responses.csv": "patients per response state and timepoint, overall and by grouping",
    "transitions.csv": "patients per pair of response states at two timepoints",
    "claim_counts.csv": "numerator and denominator of every proportion and count the paper states",
    "disclosure.csv": "every block of cells suppressed by the disclosure rule, and why (no values)",
}


def manifest(cohort, tables: dict, min_cell: int, grid_days: int) -> dict:
    """The manifest of a summary (hashes are added when it is written): what it is, its versions, its
    patients and centres, and the disclosure rule with what it suppressed. No date, path or identifier."""
    from importlib.metadata import PackageNotFoundError, version

    from ...data.summary_files import dictionary_version

    try:
        code = version("debulking-bsab-compendium")
    except PackageNotFoundError:  # running from a source tree without installation
        code = "source tree"
    report = tables["disclosure.csv"]
    return {
        "what": (
            "Aggregates of a centre's patients for a pooled analysis of the Chalopin et al. 2025 compendium: "
            "counts only, no patient identifier, date or row."
        ),
        "synthetic": bool(cohort.synthetic),
        "data": [s.path.name for s in (cohort.sources or (cohort.source,))],
        "n_patients": int(cohort.n),
        "centres": sorted(cohort.patients["center_id"].astype(str).unique()),
        "dictionary_version": dictionary_version(),
        "code_version": code,
        "time_scale": f"days (months = days / {derive.DAYS_PER_MONTH!r})",
        "disclosure": {
            "rule": "a block with a count between 1 and min_cell − 1 is suppressed whole (disclosure.csv lists each)",
            "min_cell": int(min_cell),
            "grid_days": int(grid_days),
            "suppressed_blocks": len(report),
            "suppressed_cells": int(report["cells"].sum()) if len(report) else 0,
        },
        "contents": CONTENTS,
    }


def centre_summaries(patients: pd.DataFrame, min_cell: int = 1, grid_days: int = 1) -> list[Summary]:
    """One in-memory summary per centre of ``patients`` (after disclosure control), as the coordinator reads
    them — for tests and benchmarks that pool many centres without writing folders. Every table is broken
    down by centre, so a centre's summary is its slice of the whole table's (``tests/study/federated``
    checks it against a centre summarised alone); the manifest holds what pooling reads (centres,
    patients, the disclosure settings), the folder is ``summary_<centre>``."""
    from . import disclosure

    tables, _ = disclosure.apply(summary_tables(patients, grid_days), min_cell)
    centre = patients["center_id"].astype(str)
    out = []
    for code in sorted(centre.unique()):
        own = {n: (t[t["centre"] == code] if "centre" in t else t).reset_index(drop=True) for n, t in tables.items()}
        manifest = {
            "centres": [code],
            "n_patients": int((centre == code).sum()),
            "disclosure": {"min_cell": int(min_cell), "grid_days": int(grid_days)},
        }
        out.append(Summary(Path(f"summary_{code}"), manifest, own))
    return out


def write_summary(cohort, out, min_cell: int = 3, grid_days: int = 1) -> list:
    """Summarise ``cohort`` into the folder ``out`` (``python -m analysis summarize``): the tables after
    disclosure control (:func:`analysis.study.federated.disclosure.apply`) and the manifest. Returns the
    paths written."""
    from ...data import summary_files
    from . import disclosure

    tables, _ = disclosure.apply(summary_tables(cohort.patients, grid_days), min_cell)
    return summary_files.write(out, tables, manifest(cohort, tables, min_cell, grid_days))


__all__ = [
    "CONTENTS",
    "centre_summaries",
    "manifest",
    "write_summary",
    "ENDPOINTS",
    "GROUPINGS",
    "TRANSITIONS",
    "categorical_variables",
    "numeric_variables",
    "summary_tables",
    "value_text",
]
