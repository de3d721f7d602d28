"""The cross-field rules of the patient table: each a vectorised check over the typed table.

Each check takes the typed table (:func:`analysis.data.validate.validate_table` parses it first)
and yields ``(rule, row, column, message)`` for every row that breaks its rule, rows ascending;
:data:`CROSS` lists them in the order their problems are reported before sorting. A check skips
silently when a column it needs is absent (the structure check has reported it), and a cell that
failed to parse is missing here, so its row is not reported twice. The statements the rules
enforce are :data:`analysis.data.validate.RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from .dictionary import (
    CHEMO_AGENTS,
    CYCLE_DAYS,
    EMD_SITES,
    PET_CYCLES,
    RESPONSE_CYCLES,
    RESPONSE_ORDER,
)

CrossRule = Callable[[pd.DataFrame], Iterable[tuple[int, str, str]]]
#: Every cross-field check: ``check(df)`` yields (rule, row, column, message).
CROSS: list[Callable[[pd.DataFrame], Iterable[tuple[str, int, str, str]]]] = []


def _cross(rule: str):
    """Register a check of one rule: ``fn(df)`` yields (row, column, message)."""

    def register(fn: CrossRule) -> CrossRule:
        CROSS.append(lambda df: ((rule, i, col, msg) for i, col, msg in fn(df)))
        return fn

    return register


def _has(df: pd.DataFrame, *cols: str) -> bool:
    return all(c in df for c in cols)


def _days(df, start, end) -> pd.Series:
    return (df[end] - df[start]).dt.days


@_cross("chemo_before_bsab")
def _chemo_before_bsab(df):
    if _has(df, "chemo_start_date", "bsab_start_date"):
        for i in np.flatnonzero((df["chemo_start_date"] > df["bsab_start_date"]).to_numpy()):
            yield i, "chemo_start_date", "is after bsab_start_date; the debulking regimen must start first"


@_cross("bsab_before_last_followup")
def _bsab_before_fu(df):
    if _has(df, "bsab_start_date", "last_followup_date"):
        for i in np.flatnonzero((df["bsab_start_date"] > df["last_followup_date"]).to_numpy()):
            yield i, "last_followup_date", "is before bsab_start_date; check both dates"


@_cross("progression_within_followup")
def _progression_within(df):
    if _has(df, "progression_date", "bsab_start_date", "last_followup_date"):
        p = df["progression_date"]
        bad = (p < df["bsab_start_date"]) | (p > df["last_followup_date"])
        for i in np.flatnonzero(bad.to_numpy()):
            yield (
                i,
                "progression_date",
                (
                    "must lie between bsab_start_date and last_followup_date "
                    "(progression before the bispecific is not a PFS event; a progression "
                    "after last follow-up means last_followup_date is stale)"
                ),
            )


@_cross("death_is_last_followup")
def _death_is_fu(df):
    if _has(df, "death_date", "last_followup_date"):
        bad = df["death_date"].notna() & (df["death_date"] != df["last_followup_date"])
        for i in np.flatnonzero(bad.to_numpy()):
            yield i, "last_followup_date", "differs from death_date; for a patient who died, set it to the death date"


@_cross("death_date_iff_cause")
def _death_iff_cause(df):
    if _has(df, "death_date", "death_cause"):
        for i in np.flatnonzero((df["death_date"].notna() & df["death_cause"].isna()).to_numpy()):
            yield i, "death_cause", "is empty although death_date is given; record the cause"
        for i in np.flatnonzero((df["death_date"].isna() & df["death_cause"].notna()).to_numpy()):
            yield i, "death_date", "is empty although death_cause is given; record the date or clear the cause"


@_cross("emd_detail_requires_emd")
def _emd_detail(df):
    if not _has(df, "extramedullary"):
        return
    no_emd = (df["extramedullary"] == 0).fillna(False).to_numpy(dtype=bool)
    if "emd_site_count" in df:
        bad = no_emd & (df["emd_site_count"] > 0).fillna(False).to_numpy(dtype=bool)
        for i in np.flatnonzero(bad):
            yield i, "emd_site_count", "sites counted but extramedullary = 0; fix one of the two"
    for site in EMD_SITES:
        if site in df:
            bad = no_emd & (df[site] == 1).fillna(False).to_numpy(dtype=bool)
            for i in np.flatnonzero(bad):
                yield i, site, "localisation flagged but extramedullary = 0; fix one of the two"


@_cross("emd_site_count_consistent")
def _emd_count(df):
    if not _has(df, "extramedullary", "emd_site_count"):
        return
    emd = (df["extramedullary"] == 1).fillna(False).to_numpy(dtype=bool)
    count = df["emd_site_count"].astype("float64").to_numpy()
    flagged = sum((df[s] == 1).fillna(False).to_numpy(dtype=int) for s in EMD_SITES if s in df)
    for i in np.flatnonzero(emd & (count == 0)):
        yield i, "emd_site_count", "is 0 with extramedullary = 1; give the number of sites (≥ 1) or leave empty"
    for i in np.flatnonzero(emd & (count < flagged)):
        yield i, "emd_site_count", f"is smaller than the {flagged[i]} localisations flagged"


def _cycle_checks(df, prefix, cycles):
    need = ("bsab_start_date", "last_followup_date")
    if not _has(df, *need):
        return
    for suffix, n in cycles.items():
        col = f"{prefix}_{suffix}"
        if col not in df:
            continue
        start_day = (n - 1) * CYCLE_DAYS
        recorded = df[col].notna().to_numpy()
        fu = _days(df, "bsab_start_date", "last_followup_date").to_numpy(dtype="float64")
        for i in np.flatnonzero(recorded & (fu < start_day)):
            yield (
                "response_cycle_reached",
                i,
                col,
                f"recorded, but follow-up ended on day {int(fu[i])}, before cycle {n} began (day {start_day}); "
                f"clear it or correct last_followup_date",
            )
        if "progression_date" in df:
            prog = _days(df, "bsab_start_date", "progression_date").to_numpy(dtype="float64")
            for i in np.flatnonzero(recorded & (prog < start_day)):
                yield (
                    "response_after_progression",
                    i,
                    col,
                    f"recorded, but progression on day {int(prog[i])} came before cycle {n} began "
                    f"(day {start_day}); responses after progression are not recorded",
                )


def _cycles_reached(df):
    """Rules response_cycle_reached and response_after_progression, in one pass over the cycle columns."""
    yield from _cycle_checks(df, "response", RESPONSE_CYCLES)
    yield from _cycle_checks(df, "pet", PET_CYCLES)


CROSS.append(_cycles_reached)


@_cross("pd_requires_progression_date")
def _pd_progression(df):
    if "progression_date" not in df:
        return
    no_prog = df["progression_date"].isna().to_numpy()
    for col in [f"response_{c}" for c in RESPONSE_CYCLES] + ["best_response"]:
        if col in df:
            for i in np.flatnonzero(no_prog & (df[col] == "PD").fillna(False).to_numpy(dtype=bool)):
                yield i, col, "is PD but progression_date is empty; record the date of progression"


@_cross("best_response_consistent")
def _best(df):
    if "best_response" not in df:
        return
    rank = {r: k for k, r in enumerate(RESPONSE_ORDER)}  # 0 = best
    best = df["best_response"].astype(object)
    best_rank = best.map(rank).to_numpy(dtype="float64")  # NaN where empty
    for col in [f"response_{c}" for c in RESPONSE_CYCLES]:
        if col not in df:
            continue
        resp = df[col].astype(object)
        resp_rank = resp.map(rank).to_numpy(dtype="float64")
        recorded = ~np.isnan(resp_rank)
        empty = recorded & np.isnan(best_rank)
        worse = recorded & (best_rank > resp_rank)  # NaN compares False
        for i in np.flatnonzero(empty | worse):
            b, r = best.iloc[i], resp.iloc[i]
            if empty[i]:
                yield i, "best_response", f"is empty although {col} = {r}; record the best response"
            else:
                yield i, "best_response", f"{b} is worse than {col} = {r}; best response is the best ever recorded"


@_cross("infection_death_consistent")
def _infection_death(df):
    if not _has(df, "infection_max_grade", "death_cause"):
        return
    grade5 = (df["infection_max_grade"] == 5).fillna(False).to_numpy(dtype=bool)
    by_infection = (df["death_cause"] == "infection").fillna(False).to_numpy(dtype=bool)
    known = df["infection_max_grade"].notna().to_numpy()
    for i in np.flatnonzero(grade5 & ~by_infection):
        yield i, "death_cause", "a grade 5 (fatal) infection requires death_cause = infection and a death_date"
    for i in np.flatnonzero(by_infection & known & ~grade5):
        yield i, "infection_max_grade", "death_cause = infection requires infection_max_grade = 5"


@_cross("infection_documented_requires_infection")
def _documented(df):
    if _has(df, "infection_max_grade", "infection_documented"):
        bad = (df["infection_max_grade"] == 0).fillna(False) & df["infection_documented"].notna()
        for i in np.flatnonzero(bad.to_numpy(dtype=bool)):
            yield i, "infection_documented", "given although infection_max_grade = 0; leave it empty"


@_cross("crs_treatment_without_crs_or_icans")
def _crs_treatment(df):
    if not _has(df, "crs_grade", "icans_grade"):
        return
    none = ((df["crs_grade"] == 0) & (df["icans_grade"] == 0)).fillna(False).to_numpy(dtype=bool)
    for col in ("tocilizumab", "corticosteroids", "anakinra"):
        if col in df:
            for i in np.flatnonzero(none & (df[col] == 1).fillna(False).to_numpy(dtype=bool)):
                yield (
                    i,
                    col,
                    (
                        "given for CRS/ICANS although both grades are 0; correct the grades or the "
                        "treatment flag (prophylactic use is not recorded in this column)"
                    ),
                )


@_cross("debulking_without_agent")
def _no_agent(df):
    present = [c for c in CHEMO_AGENTS if c in df]
    if present:
        none = sum((df[c] == 1).fillna(False).to_numpy(dtype=int) for c in present) == 0
        for i in np.flatnonzero(none):
            yield i, "chemo_other", "no debulking agent is flagged; flag the agents given"
