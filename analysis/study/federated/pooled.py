"""The pooled analysis from centre summaries: the same estimators on the summed counts, exactly.

:func:`pool` reads the summaries together (:func:`check_together`: one summary per centre, one time
grid, no centre also given as rows) into one :class:`Pooled`, whose tables are the centres' tables
stacked (every row keeps its ``centre``). From it:

* :func:`survival_frame` — the anonymous ``time``/``event`` rows of an endpoint and grouping
  (:func:`analysis.stats.counts.expand`), with ``center_id`` and the group: the input every survival
  function of the notebooks reads. Kaplan–Meier (S(t), Greenwood SE, CI, median and CI), the log-rank
  and centre-stratified log-rank tests and Cox's HR (Efron or Breslow) on it **equal** the
  patient-level pooled run (:mod:`analysis.stats.counts` says why; ``tests/study/federated`` checks
  every split to 1e-10). :func:`survival_estimates` gives them in one tidy table.
* :func:`claim_counts` — numerator and denominator of every claim, summed; with the bounds a
  suppressed centre leaves (0 ≤ numerator ≤ denominator ≤ the centre's patients).
* :func:`histogram` and :func:`median_bounds` — a numeric variable's pooled distribution, and its
  median: exact from the unsuppressed histograms (each bin one recorded value), bounded otherwise.

Whatever needs a suppressed cell is **not estimable**, and says which centres' cells were suppressed
(:class:`NotEstimable`): never a number computed from part of the data as if it were all of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...data import derive
from ...data.summary_files import TABLES, Summary
from ...exceptions import UsageError
from ...stats import counts, cox, km, logrank
from .summary import ALL, ENDPOINTS, GROUPINGS


class NotEstimable(Exception):
    """An output needs cells the centres' disclosure rule suppressed; the message says which and where."""


@dataclass(frozen=True)
class Pooled:
    """Centre summaries read together: their tables stacked, and who they come from."""

    summaries: tuple[Summary, ...]
    tables: dict[str, pd.DataFrame]

    @property
    def centres(self) -> tuple[str, ...]:
        return tuple(sorted(c for s in self.summaries for c in s.centres))

    @property
    def n_patients(self) -> int:
        return sum(s.n_patients for s in self.summaries)

    @property
    def label(self) -> str:
        return f"pooled from {len(self.summaries)} centre summar{'y' if len(self.summaries) == 1 else 'ies'}"


def check_together(summaries, row_centres=()) -> None:
    """Refuse summaries that cannot be pooled, naming the folders: a centre in two summaries, different
    time grids, a centre given both as a summary and as patient rows (``row_centres``)."""
    seen: dict[str, object] = {}
    for s in summaries:
        for centre in s.centres:
            if centre in seen:
                raise UsageError(
                    f"centre {centre} is in two summaries ({seen[centre]} and {s.folder}): give each centre "
                    f"once (if they are two exports of one centre, summarise them together)"
                )
            seen[centre] = s.folder
    grids = {s.manifest["disclosure"]["grid_days"] for s in summaries}
    if len(grids) > 1:
        raise UsageError(
            f"the summaries use different time grids ({sorted(grids)} days): their times cannot be pooled; ask "
            f"every centre to summarise with the same --grid-days"
        )
    both = sorted(set(row_centres) & set(seen))
    if both:
        raise UsageError(
            f"centre(s) {', '.join(both)} given both as patient rows and as a summary ({seen[both[0]]}): "
            f"give each centre once, as rows or as its summary"
        )


def pool(summaries, row_centres=()) -> Pooled:
    """Stack the tables of ``summaries`` (:class:`analysis.data.summary_files.Summary`) after :func:`check_together`."""
    summaries = tuple(summaries)
    if not summaries:
        raise UsageError("no summaries to pool; give the folders `python -m analysis summarize` wrote")
    check_together(summaries, row_centres)
    tables = {
        name: pd.concat([s.tables[name] for s in summaries], ignore_index=True)
        .sort_values(list(TABLES[name][0]), kind="stable")
        .reset_index(drop=True)
        for name in TABLES
    }
    return Pooled(summaries, tables)


def _suppressed_centres(rows: pd.DataFrame, values) -> list[str]:
    return sorted(rows.loc[rows[list(values)].isna().any(axis=1), "centre"].unique()) if len(rows) else []


def survival_frame(pooled: Pooled, endpoint: str, grouping: str = ALL) -> pd.DataFrame:
    """Rows ``time`` (months), ``time_days``, ``event``, ``center_id`` and ``group`` of ``endpoint`` by ``grouping``.

    Raises :class:`NotEstimable` when a centre suppressed a cell of this endpoint and grouping.
    """
    if endpoint not in ENDPOINTS or grouping not in (ALL, *GROUPINGS):
        raise UsageError(f"summaries hold {ENDPOINTS} by {(ALL, *GROUPINGS)}, not {endpoint!r} by {grouping!r}")
    t = pooled.tables["time_counts.csv"]
    rows = t[(t["endpoint"] == endpoint) & (t["grouping"] == grouping)]
    hidden = _suppressed_centres(rows, ("events", "censored"))
    if hidden:
        raise NotEstimable(
            f"{endpoint} by {grouping}: not estimable from the summaries: centre(s) {', '.join(hidden)} suppressed "
            f"their counts under their disclosure rule"
        )
    table = rows.assign(time=rows["time_days"].astype(float))[["centre", "group", "time", "events", "censored"]]
    frame = counts.expand(table.astype({"events": "int64", "censored": "int64"}))
    frame = frame.rename(columns={"centre": "center_id", "time": "time_days"})
    frame["time"] = frame["time_days"].to_numpy() / derive.DAYS_PER_MONTH
    return frame[["center_id", "group", "time", "time_days", "event"]]


def _estimates(f: pd.DataFrame, endpoint: str, grouping: str) -> list[dict]:
    rows = []
    groups = sorted(f["group"].unique()) if grouping != ALL else [""]
    for g in groups:
        part = f if grouping == ALL else f[f["group"] == g]
        med, lo, hi = km.median_ci(part["time"], part["event"])
        rows.append(
            dict(endpoint=endpoint, grouping=grouping, group=g, n=len(part), events=int(part["event"].sum()),
                 median=med, median_lower=lo, median_upper=hi)
        )  # fmt: skip
    if grouping != ALL and len(groups) == 2:
        x = (f["group"] == groups[1]).astype(float).to_numpy()
        test = logrank.survdiff(f["time"], f["event"], x)
        strat = logrank.survdiff(f["time"], f["event"], x, strata=f["center_id"])
        within = cox.coxph(f["time"], f["event"], x, strata=f["center_id"], ties="efron")
        rows[-1].update(hr_stratified=within.hr, hr_stratified_lower=within.lower, hr_stratified_upper=within.upper)
        for ties in ("efron", "breslow"):
            fit = cox.coxph(f["time"], f["event"], x, ties=ties)
            rows[-1][f"hr_{ties}"] = fit.hr
            rows[-1][f"hr_{ties}_lower"], rows[-1][f"hr_{ties}_upper"] = fit.lower, fit.upper
            rows[-1][f"hr_{ties}_p"] = fit.p
        rows[-1].update(logrank_p=test.p, stratified_logrank_p=strat.p, reference=groups[0])
    return rows


def survival_estimates(pooled: Pooled) -> pd.DataFrame:
    """Every endpoint × grouping × group: n, events, KM median and CI; for two groups the log-rank p, the
    centre-stratified log-rank p, Cox's HR (Efron and Breslow) and the centre-stratified Cox HR (Efron)
    of the second group against the first (``reference``), on the second group's row; ``note`` says why
    a row is not estimable."""
    rows = []
    for endpoint in ENDPOINTS:
        for grouping in (ALL, *GROUPINGS):
            try:
                rows += _estimates(survival_frame(pooled, endpoint, grouping), endpoint, grouping)
            except NotEstimable as exc:
                rows.append(dict(endpoint=endpoint, grouping=grouping, group="", note=str(exc)))
    table = pd.DataFrame(rows)
    return table.assign(note=table["note"].fillna("") if "note" in table else "")


def claim_counts(pooled: Pooled) -> pd.DataFrame:
    """Per claim: the summed ``numerator`` and ``denominator`` when no centre suppressed them, else their bounds.

    Columns ``claim_id``, ``numerator``, ``denominator`` (nullable: empty where a centre suppressed),
    ``numerator_min``, ``numerator_max``, ``denominator_min``, ``denominator_max`` (equal to the value when
    exact; a suppressed centre adds 0 to the minima and its number of patients to the maxima),
    ``suppressed_centres``.
    """
    t = pooled.tables["claim_counts.csv"]
    size = {c: s.n_patients for s in pooled.summaries for c in s.centres}
    rows = []
    for cid, part in t.groupby("claim_id", sort=True):
        hidden = part["numerator"].isna() | part["denominator"].isna()
        upper = int(sum(size[c] for c in part.loc[hidden, "centre"]))
        num, den = int(part.loc[~hidden, "numerator"].sum()), int(part.loc[~hidden, "denominator"].sum())
        exact = not hidden.any()
        rows.append(
            dict(
                claim_id=cid,
                numerator=num if exact else pd.NA,
                denominator=den if exact else pd.NA,
                numerator_min=num,
                numerator_max=num + upper,
                denominator_min=den,
                denominator_max=den + upper,
                suppressed_centres=", ".join(sorted(part.loc[hidden, "centre"])),
            )
        )
    table = pd.DataFrame(rows)
    return table.astype({"numerator": "Int64", "denominator": "Int64"})


def histogram_rows(pooled: Pooled, variable: str, grouping: str = ALL, group: str = "") -> pd.DataFrame:
    """Every centre's histogram rows of a numeric variable (``missing`` kept; ``n`` empty where suppressed)."""
    h = pooled.tables["histograms.csv"]
    return h[(h["variable"] == variable) & (h["grouping"] == grouping) & (h["group"] == group)]


def histogram(pooled: Pooled, variable: str, grouping: str = ALL, group: str = "") -> pd.DataFrame:
    """The pooled histogram of a numeric variable: ``value`` (float), ``n``; NaN ``n`` where suppressed."""
    rows = histogram_rows(pooled, variable, grouping, group)
    if rows.empty:
        raise UsageError(f"no histogram of {variable!r} by {grouping!r} = {group!r} in the summaries")
    known = rows[rows["value"] != "missing"].assign(value=lambda f: f["value"].astype(float))
    return known.groupby("value", sort=True)["n"].sum(min_count=1).reset_index()


def median_bounds(pooled: Pooled, variable: str, grouping: str = ALL, group: str = "") -> tuple[float, float]:
    """(lower, upper) bounds of the pooled median of ``variable``; equal (the exact median, R's ``median``)
    when no centre suppressed the histogram. A suppressed centre's patients may lie anywhere: the bounds
    are the medians with all of them below the smallest and above the largest visible value."""
    rows = histogram_rows(pooled, variable, grouping, group)
    visible = rows[rows["n"].notna() & (rows["value"] != "missing")]
    values = np.repeat(visible["value"].astype(float).to_numpy(), visible["n"].astype(int).to_numpy())
    hidden_centres = set(rows.loc[rows["n"].isna(), "centre"])
    hidden = 0
    if hidden_centres:  # at most the centres' patients (fewer when some are in another group or missing)
        sizes = {c: s.n_patients for s in pooled.summaries for c in s.centres}
        hidden = sum(sizes[c] for c in hidden_centres)
    if len(values) + hidden == 0:
        return np.nan, np.nan
    if hidden == 0:
        m = float(np.median(values))
        return m, m
    low = np.concatenate([np.full(hidden, -np.inf), values])
    high = np.concatenate([values, np.full(hidden, np.inf)])
    return float(np.median(low)), float(np.median(high))


__all__ = [
    "NotEstimable",
    "Pooled",
    "check_together",
    "claim_counts",
    "histogram",
    "histogram_rows",
    "median_bounds",
    "pool",
    "survival_estimates",
    "survival_frame",
]
