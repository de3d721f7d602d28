"""Validation of a patient table against the data dictionary.

Three layers, every one run to the end so that a single pass reports every
problem (pandera's ``lazy=True`` behaviour):

1. **structure** — required columns present, no unknown or duplicated columns,
   no column that looks like a direct identifier;
2. **cells** — each value parsed by its column's type (flag, integer, number,
   date, category, id), checked against its codes and range, and against
   whether the column may be empty;
3. **cross-field rules** — dates in order, death date iff cause, sites only with
   extramedullary disease, responses only at cycles the patient can have
   reached, best response not worse than any recorded one, …

Each problem names the patient, the column, the value, the rule and what to
do. Nothing is coerced or dropped: a value that does not parse is reported and
the row is kept (its parsed cell is left missing so that later rules can still
run on the other columns; a cross-field problem on a cell that already failed
to parse is not reported twice).

The rules are listed in :data:`RULES` (name -> the statement that must hold); the
malformed test files in ``tests/fixtures/malformed/`` exercise each one.
Equivalent in R: ``pointblank``/``validate`` rule sets, or ``survival::survcheck``
for the time-ordering part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from .dictionary import (
    BY_NAME,
    CHEMO_AGENTS,
    COLUMNS,
    CYCLE_DAYS,
    EMD_SITES,
    NAMES,
    PET_CYCLES,
    RESPONSE_CYCLES,
    RESPONSE_ORDER,
    Column,
)

#: Column names (lower-cased, separators removed) refused as direct identifiers.
IDENTIFIER_NAMES = {
    "name", "firstname", "lastname", "surname", "familyname", "givenname", "fullname", "nom", "prenom",
    "patientname", "nomdenaissance", "initials", "birthdate", "dateofbirth", "dob", "datedenaissance",
    "ddn", "ssn", "nir", "insee", "socialsecurity", "socialsecuritynumber", "numerosecu", "secu",
    "ipp", "mrn", "medicalrecordnumber", "hospitalnumber", "nip", "address", "adresse", "street",
    "postcode", "zipcode", "codepostal", "phone", "telephone", "email", "mail",
}
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
#: 13 or more digits in a row looks like a French NIR / social-security number.
NIR_LIKE = re.compile(r"\d{13,}")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_RANGE = (pd.Timestamp("2000-01-01"), pd.Timestamp("2099-12-31"))

RULES: dict[str, str] = {
    # structure
    "column_missing": "every dictionary column is present",
    "column_not_in_dictionary": "no column outside the data dictionary",
    "column_duplicated": "no column appears twice",
    "direct_identifier_column": "no column that holds direct identifiers (names, birth dates, "
        "social-security or hospital numbers, contact details)",
    "table_empty": "the table has at least one patient row",
    # cells
    "not_null": "a column that may not be empty has a value",
    "id_format": "identifiers use 1–32 letters, digits, '-' or '_' and are not number-like",
    "patient_id_unique": "each patient_id appears once",
    "flag_is_0_or_1": "flags are 1 (yes) or 0 (no)",
    "is_integer": "integer columns hold whole numbers",
    "is_number": "numeric columns hold numbers with '.' as decimal separator",
    "in_range": "numbers lie within the column's range",
    "is_iso_date": "dates are real calendar dates written YYYY-MM-DD, 2000–2099",
    "in_codes": "category columns use one of the listed codes",
    # cross-field
    "chemo_before_bsab": "chemo_start_date is on or before bsab_start_date",
    "bsab_before_last_followup": "bsab_start_date is on or before last_followup_date",
    "progression_within_followup": "progression_date lies between bsab_start_date and "
        "last_followup_date",
    "death_is_last_followup": "for a patient who died, last_followup_date equals death_date",
    "death_date_iff_cause": "death_cause is given exactly when death_date is",
    "emd_detail_requires_emd": "sites and localisations are recorded only with extramedullary = 1",
    "emd_site_count_consistent": "with extramedullary disease, emd_site_count is at least 1 and "
        "at least the number of localisations flagged",
    "response_cycle_reached": "a response or PET-CT at cycle n is recorded only if follow-up "
        "reached the start of cycle n",
    "response_after_progression": "no response at cycle n when progression happened before "
        "cycle n started",
    "pd_requires_progression_date": "a PD response to the bispecific comes with a progression_date",
    "best_response_consistent": "best_response is given when any cycle response is, and is not "
        "worse than any of them",
    "infection_death_consistent": "a grade 5 infection is a death from infection, and a death from "
        "infection is a grade 5 infection",
    "infection_documented_requires_infection": "infection_documented is empty when "
        "infection_max_grade is 0",
    "crs_treatment_without_crs_or_icans": "tocilizumab, corticosteroids or anakinra for CRS/ICANS "
        "imply CRS or ICANS grade ≥ 1",
    "debulking_without_agent": "the debulking regimen names at least one agent",
}


@dataclass(frozen=True)
class Problem:
    """One broken rule: which patient (and file line), column, value and why."""

    patient_id: str
    line: int | None
    column: str
    value: str
    rule: str
    message: str

    def to_text(self) -> str:
        where = f"line {self.line}, patient {self.patient_id!r}" if self.line else "header"
        value = f" = {self.value!r}" if self.value != "" else ""
        return f"{where}, column {self.column!r}{value}: {self.message} (rule {self.rule})"


@dataclass
class ValidationReport:
    """Every problem found in one table, in file order."""

    problems: list[Problem] = field(default_factory=list)
    n_rows: int = 0
    source: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def rules_broken(self) -> set[str]:
        return {p.rule for p in self.problems}

    def to_frame(self) -> pd.DataFrame:
        cols = ["line", "patient_id", "column", "value", "rule", "message"]
        return pd.DataFrame([{c: getattr(p, c) for c in cols} for p in self.problems], columns=cols)

    def to_text(self) -> str:
        head = f"{self.source or 'table'}: {self.n_rows} patient rows, {len(self.problems)} problem(s)."
        if self.ok:
            return head + " Valid."
        body = "\n".join("  " + p.to_text() for p in self.problems)
        return (f"{head}\n{body}\nFix these in the source file and validate again; every rule is described "
                f"in data/README.md.")


def patient_ids(raw: pd.DataFrame) -> list[str]:
    """The patient_id text of each row (first copy if the column is duplicated; "" if absent)."""
    if "patient_id" not in raw.columns:
        return [""] * len(raw)
    col = raw["patient_id"]
    return (col.iloc[:, 0] if isinstance(col, pd.DataFrame) else col).tolist()


# ----------------------------------------------------------------------------- structure
def _normalised(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("é", "e").replace("è", "e"))


def _check_structure(raw: pd.DataFrame) -> list[Problem]:
    problems = []
    seen = set()
    for name in raw.columns:
        if name in seen:
            problems.append(Problem("", None, name, "", "column_duplicated",
                                    "this column appears more than once; keep one copy"))
        seen.add(name)
        if _normalised(name) in IDENTIFIER_NAMES:
            problems.append(Problem("", None, name, "", "direct_identifier_column",
                                    "looks like a direct identifier; delete this column before analysis "
                                    "(keep only the study pseudonym in patient_id)"))
        elif name not in BY_NAME:
            problems.append(Problem("", None, name, "", "column_not_in_dictionary",
                                    "not in the data dictionary; rename it to a dictionary column or remove it"))
    for name in NAMES:
        if name not in seen:
            problems.append(Problem("", None, name, "", "column_missing",
                                    "required column absent; add it (empty cells where the dictionary allows)"))
    if len(raw) == 0:
        problems.append(Problem("", None, "", "", "table_empty", "the table has a header but no patient rows"))
    return problems


# ----------------------------------------------------------------------------- cells
_UNPARSED = object()


def _iso_timestamps(texts) -> list:
    """Each text as a Timestamp (NaT if not a real date) when written YYYY-MM-DD, else None.

    One ``pandas.to_datetime`` call for all the texts: the call costs ~0.5 ms whatever its length.
    """
    texts = list(texts)
    matched = [k for k, text in enumerate(texts) if DATE_PATTERN.match(text)]
    out: list = [None] * len(texts)
    if matched:
        stamps = pd.to_datetime(np.array([texts[k] for k in matched], dtype=object), format="%Y-%m-%d",
                                errors="coerce")
        for k, ts in zip(matched, stamps):
            out[k] = ts
    return out


def _parse_cell(col: Column, text: str, stamp=_UNPARSED):
    """Return (value, rule, message); value is None when the cell is empty or bad.

    ``stamp``: for a date column, the text already parsed by :func:`_iso_timestamps` (batch).
    """
    if text == "":
        if col.nullable:
            return None, None, None
        return None, "not_null", "may not be empty; enter a value"
    k = col.kind
    if k == "id":
        if not ID_PATTERN.match(text) or NIR_LIKE.search(text):
            return None, "id_format", ("use a study pseudonym of 1–32 letters, digits, '-' or '_' (no spaces, "
                                       "no long digit runs that could be a social-security number)")
        return text, None, None
    if k == "flag":
        if text not in ("0", "1"):
            return None, "flag_is_0_or_1", "write 1 for yes, 0 for no (empty only where allowed)"
        return int(text), None, None
    if k == "category":
        if text not in col.codes:
            return None, "in_codes", f"use one of {', '.join(col.codes)} (case-sensitive)"
        return text, None, None
    if k == "date":
        ts = _iso_timestamps([text])[0] if stamp is _UNPARSED else stamp
        if ts is None or pd.isna(ts) or not (DATE_RANGE[0] <= ts <= DATE_RANGE[1]):
            return None, "is_iso_date", "write a real date as YYYY-MM-DD between 2000 and 2099"
        return ts, None, None
    # integer / number
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not np.isfinite(number):
        rule = "is_integer" if k == "integer" else "is_number"
        return None, rule, "write a plain number with '.' as decimal separator"
    if k == "integer" and not number.is_integer():
        return None, "is_integer", "write a whole number"
    if (col.minimum is not None and number < col.minimum) or (col.maximum is not None and number > col.maximum):
        return None, "in_range", f"must lie in [{col.minimum:g}, {col.maximum:g}] {col.unit}".rstrip()
    return (int(number) if k == "integer" else number), None, None


def _typed_series(col: Column, values: list) -> pd.Series:
    if col.kind == "flag":
        return pd.Series(values, dtype="Int8")
    if col.kind == "integer":
        return pd.Series(values, dtype="Int64")
    if col.kind == "number":
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    if col.kind == "date":
        return pd.Series([pd.NaT if v is None else v for v in values], dtype="datetime64[ns]")
    if col.kind == "category":
        order = list(reversed(RESPONSE_ORDER)) if set(col.codes) == set(RESPONSE_ORDER) else list(col.codes)
        return pd.Series(pd.Categorical(values, categories=order, ordered=set(col.codes) == set(RESPONSE_ORDER)))
    return pd.Series(values, dtype=object)


def _parse_column(col: Column, cells: pd.Series) -> tuple[pd.Series, np.ndarray, list[tuple[str, str]]]:
    """Parse one column: (typed series, rows that failed, (rule, message) of each failed row).

    Each distinct text is parsed once by :func:`_parse_cell` and the result broadcast to the rows
    that hold it (``pandas.factorize``), so a column of N cells costs N array operations and one
    Python call per distinct value — and the verdict on a cell is, by construction, the one
    :func:`_parse_cell` gives it alone (same rule, same message, same parsed value).
    """
    codes, uniques = pd.factorize(cells.to_numpy(dtype=object), sort=False)
    if col.kind == "date":
        verdicts = [_parse_cell(col, text, ts) for text, ts in zip(uniques, _iso_timestamps(uniques))]
    else:
        verdicts = [_parse_cell(col, text) for text in uniques]
    typed = _typed_series(col, [v for v, _, _ in verdicts]).take(codes).reset_index(drop=True)
    bad_unique = np.fromiter((rule is not None for _, rule, _ in verdicts), dtype=bool, count=len(verdicts))
    rows = np.flatnonzero(bad_unique[codes]) if len(codes) else np.empty(0, dtype=int)
    why = [(verdicts[k][1], verdicts[k][2]) for k in codes[rows]]
    return typed, rows, why


def _parse_cells(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    problems = []
    ids = patient_ids(raw)
    typed = {}
    for col in COLUMNS:
        if col.name not in raw.columns:
            continue
        cells = raw[col.name]
        if isinstance(cells, pd.DataFrame):       # duplicated column: validate the first copy
            cells = cells.iloc[:, 0]
        series, rows, why = _parse_column(col, cells)
        texts = cells.to_numpy(dtype=object)
        problems += [Problem(ids[i], i + 2, col.name, texts[i], rule, message)
                     for i, (rule, message) in zip(rows.tolist(), why)]
        typed[col.name] = series
    frame = pd.DataFrame(typed, index=pd.RangeIndex(len(raw)))
    if "patient_id" in frame:
        dup = frame["patient_id"].duplicated(keep=False) & frame["patient_id"].notna()
        for i in np.flatnonzero(dup.to_numpy()):
            problems.append(Problem(ids[i], i + 2, "patient_id", ids[i], "patient_id_unique",
                                    "appears on more than one row; give each patient one row and one pseudonym"))
    return frame, problems


# ----------------------------------------------------------------------------- cross-field rules
CrossRule = Callable[[pd.DataFrame], Iterable[tuple[int, str, str]]]
#: Every cross-field check: ``check(df)`` yields (rule, row, column, message).
_CROSS: list[Callable[[pd.DataFrame], Iterable[tuple[str, int, str, str]]]] = []


def _cross(rule: str):
    """Register a check of one rule: ``fn(df)`` yields (row, column, message)."""
    def register(fn: CrossRule) -> CrossRule:
        _CROSS.append(lambda df: ((rule, i, col, msg) for i, col, msg in fn(df)))
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
            yield i, "progression_date", ("must lie between bsab_start_date and last_followup_date "
                                          "(progression before the bispecific is not a PFS event; a progression "
                                          "after last follow-up means last_followup_date is stale)")


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
            yield ("response_cycle_reached", i, col,
                   f"recorded, but follow-up ended on day {int(fu[i])}, before cycle {n} began (day {start_day}); "
                   f"clear it or correct last_followup_date")
        if "progression_date" in df:
            prog = _days(df, "bsab_start_date", "progression_date").to_numpy(dtype="float64")
            for i in np.flatnonzero(recorded & (prog < start_day)):
                yield ("response_after_progression", i, col,
                       f"recorded, but progression on day {int(prog[i])} came before cycle {n} began "
                       f"(day {start_day}); responses after progression are not recorded")


def _cycles_reached(df):
    """Rules response_cycle_reached and response_after_progression, in one pass over the cycle columns."""
    yield from _cycle_checks(df, "response", RESPONSE_CYCLES)
    yield from _cycle_checks(df, "pet", PET_CYCLES)


_CROSS.append(_cycles_reached)


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
    rank = {r: k for k, r in enumerate(RESPONSE_ORDER)}       # 0 = best
    best = df["best_response"].astype(object)
    best_rank = best.map(rank).to_numpy(dtype="float64")        # NaN where empty
    for col in [f"response_{c}" for c in RESPONSE_CYCLES]:
        if col not in df:
            continue
        resp = df[col].astype(object)
        resp_rank = resp.map(rank).to_numpy(dtype="float64")
        recorded = ~np.isnan(resp_rank)
        empty = recorded & np.isnan(best_rank)
        worse = recorded & (best_rank > resp_rank)              # NaN compares False
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
                yield i, col, ("given for CRS/ICANS although both grades are 0; correct the grades or the "
                               "treatment flag (prophylactic use is not recorded in this column)")


@_cross("debulking_without_agent")
def _no_agent(df):
    present = [c for c in CHEMO_AGENTS if c in df]
    if present:
        none = sum((df[c] == 1).fillna(False).to_numpy(dtype=int) for c in present) == 0
        for i in np.flatnonzero(none):
            yield i, "chemo_other", "no debulking agent is flagged; flag the agents given"


def _check_cross(df: pd.DataFrame, ids: list[str], raw: pd.DataFrame, failed: set) -> list[Problem]:
    problems = []
    for check in _CROSS:
        for rule, i, col, message in check(df):
            if (i, col) in failed:
                continue
            value = raw[col].iloc[i] if col in raw.columns and not isinstance(raw[col], pd.DataFrame) else ""
            problems.append(Problem(ids[i], i + 2, col, value, rule, message))
    return problems


# ----------------------------------------------------------------------------- entry point
def validate_table(raw: pd.DataFrame, source: str = "") -> tuple[pd.DataFrame, ValidationReport]:
    """Validate a raw (all-text) patient table.

    Parameters
    ----------
    raw : DataFrame
        As returned by :func:`analysis.data.io.read_table`: one row per patient,
        every cell a string, ``""`` for empty.
    source : str, optional (default="")
        File name used in the report.

    Returns
    -------
    typed : DataFrame
        The same rows in the same order, each dictionary column parsed to its
        type (flags ``Int8``, integers ``Int64``, numbers ``float64``, dates
        ``datetime64``, categories ``Categorical`` — responses ordered
        PD < … < sCR). Cells that failed to parse are missing.
    report : ValidationReport
        Every problem found; ``report.ok`` is True when there is none.
    """
    report = ValidationReport(n_rows=len(raw), source=source)
    report.problems += _check_structure(raw)
    typed, cell_problems = _parse_cells(raw)
    report.problems += cell_problems
    failed = {(p.line - 2, p.column) for p in cell_problems}
    report.problems += _check_cross(typed, patient_ids(raw), raw, failed)
    report.problems.sort(key=lambda p: (p.line or 0, NAMES.index(p.column) if p.column in NAMES else -1))
    return typed, report
