"""Validation of a patient table against the data dictionary.

Three layers, every one run to the end so that a single pass reports every
problem (pandera's ``lazy=True`` behaviour):

1. **structure** — required columns present, no unknown or duplicated columns,
   no column that looks like a direct identifier;
2. **cells** — each value parsed by its column's type (flag, integer, number,
   date, category, id), checked against its codes and range, and against
   whether the column may be empty;
3. **cross-field rules** (:mod:`analysis.data.cross_rules`) — dates in order,
   death date iff cause, sites only with extramedullary disease, responses only
   at cycles the patient can have reached, best response not worse than any
   recorded one, …

Vectorised: a column is parsed once per *distinct* text (``pandas.factorize``;
dates in one ``to_datetime`` call) and every cross-field rule is an array
comparison, so 50,000 rows validate in well under a second
(``benchmarks/bench_validate.py``), with the messages, in the order, of the
row-by-row validator it replaced (``tests/fixtures/validation_reference.txt``).

Each problem names the patient, the column, the value, the rule and what to
do. Nothing is coerced or dropped: a value that does not parse is reported and
the row is kept (its parsed cell is left missing so that later rules can still
run on the other columns; a cross-field problem on a cell that already failed
to parse is not reported twice).

The rules are listed in :data:`RULES` (name -> the statement that must hold); the
malformed test files in ``tests/fixtures/malformed/`` exercise each one.
Equivalent in R: ``pointblank``/``validate`` rule sets, or ``survival::survcheck``
for the time-ordering part.

Why one module of over 400 lines: its three layers share one :class:`Problem`, one cell parser
(:func:`parse_cell`) and one report, and run as one pass so that every problem is listed at once; the
cross-column rules themselves are in :mod:`analysis.data.cross_rules`. The one list of identifier
column names (:data:`IDENTIFIER_NAMES`, ~90 lines) is here because the structure layer refuses them;
the import's fuller recognition (:mod:`analysis.data.intake.identifiers`) reads it from here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .cross_rules import CROSS
from .dictionary import BY_NAME, COLUMNS, NAMES, RESPONSE_ORDER, Column

BIRTH, NAME, NUMBER, PHONE, EMAIL, ADDRESS, COMMENTS = (
    "a birth date",
    "a person's name",
    "a hospital or social-security number",
    "a phone number",
    "an e-mail address",
    "a postal address",
    "free-text comments",
)
#: Column names refused as direct identifiers, written as :func:`normalised_name` gives them
#: (lower case, accents and everything but letters removed), each with what it looks like. The one
#: list: the import recognises these too, with more evidence (:mod:`analysis.data.intake.identifiers`).
IDENTIFIER_NAMES: dict[str, str] = {
    **dict.fromkeys(("birthdate", "dateofbirth", "dob", "datedenaissance", "datenaissance", "naissance", "ddn"), BIRTH),
    **dict.fromkeys(
        (
            "name",
            "firstname",
            "lastname",
            "surname",
            "familyname",
            "givenname",
            "fullname",
            "patientname",
            "nom",
            "prenom",
            "nomprenom",
            "nompatient",
            "nomdupatient",
            "nomdenaissance",
            "nomdejeunefille",
            "initials",
            "initiales",
            "medecin",
            "medecinreferent",
            "docteur",
            "praticien",
            "referringdoctor",
            "referringphysician",
        ),
        NAME,
    ),
    **dict.fromkeys(
        (
            "ssn",
            "nir",
            "insee",
            "socialsecurity",
            "socialsecuritynumber",
            "numerosecu",
            "secu",
            "numerodesecuritesociale",
            "numerosecuritesociale",
            "ipp",
            "nip",
            "mrn",
            "medicalrecordnumber",
            "hospitalnumber",
            "numerodossier",
            "numerodedossier",
            "ndossier",
        ),
        NUMBER,
    ),
    **dict.fromkeys(("phone", "telephone", "tel", "portable", "mobile"), PHONE),
    **dict.fromkeys(("email", "mail", "courriel", "adressemail", "adresseemail"), EMAIL),
    **dict.fromkeys(("address", "adresse", "street", "rue", "postcode", "zipcode", "codepostal", "ville"), ADDRESS),
    **dict.fromkeys(
        (
            "commentaire",
            "commentaires",
            "remarque",
            "remarques",
            "notes",
            "comment",
            "comments",
            "observation",
            "observations",
        ),
        COMMENTS,
    ),
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
    "progression_within_followup": "progression_date lies between bsab_start_date and last_followup_date",
    "death_is_last_followup": "for a patient who died, last_followup_date equals death_date",
    "death_date_iff_cause": "death_cause is given exactly when death_date is",
    "emd_detail_requires_emd": "sites and localisations are recorded only with extramedullary = 1",
    "emd_site_count_consistent": "with extramedullary disease, emd_site_count is at least 1 and "
    "at least the number of localisations flagged",
    "response_cycle_reached": "a response or PET-CT at cycle n is recorded only if follow-up "
    "reached the start of cycle n",
    "response_after_progression": "no response at cycle n when progression happened before cycle n started",
    "pd_requires_progression_date": "a PD response to the bispecific comes with a progression_date",
    "best_response_consistent": "best_response is given when any cycle response is, and is not worse than any of them",
    "infection_death_consistent": "a grade 5 infection is a death from infection, and a death from "
    "infection is a grade 5 infection",
    "infection_documented_requires_infection": "infection_documented is empty when infection_max_grade is 0",
    "crs_treatment_without_crs_or_icans": "tocilizumab, corticosteroids or anakinra for CRS/ICANS "
    "imply CRS or ICANS grade ≥ 1",
    "debulking_without_agent": "the debulking regimen names at least one agent",
}


@dataclass(frozen=True)
class Problem:
    """One broken rule: which patient (and file line), column, value and why.

    ``file`` names the file the line belongs to when several files are validated together
    (:mod:`analysis.data.pool`); it is empty for a single table.
    """

    patient_id: str
    line: int | None
    column: str
    value: str
    rule: str
    message: str
    file: str = ""

    def to_text(self) -> str:
        where = f"line {self.line}, patient {self.patient_id!r}" if self.line else "header"
        value = f" = {self.value!r}" if self.value != "" else ""
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{where}, column {self.column!r}{value}: {self.message} (rule {self.rule})"


@dataclass
class ValidationReport:
    """Every problem found in one table (or in several files pooled), in file order.

    ``notes`` are things done that are not problems (e.g. a REDCap export's bookkeeping columns
    dropped); ``files`` lists the files of a pool (empty for a single table).
    """

    problems: list[Problem] = field(default_factory=list)
    n_rows: int = 0
    source: str = ""
    notes: list[str] = field(default_factory=list)
    files: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def rules_broken(self) -> set[str]:
        return {p.rule for p in self.problems}

    def to_frame(self) -> pd.DataFrame:
        cols = (["file"] if self.files else []) + ["line", "patient_id", "column", "value", "rule", "message"]
        return pd.DataFrame([{c: getattr(p, c) for c in cols} for p in self.problems], columns=cols)

    def to_text(self) -> str:
        head = f"{self.source or 'table'}: {self.n_rows} patient rows, {len(self.problems)} problem(s)."
        notes = "".join(f"\n  note: {n}" for n in self.notes)
        if self.ok:
            return head + " Valid." + notes
        body = "\n".join("  " + p.to_text() for p in self.problems)
        return (
            f"{head}{notes}\n{body}\nFix these in the source file and validate again; every rule is described "
            f"in data/README.md."
        )


def patient_ids(raw: pd.DataFrame) -> list[str]:
    """The patient_id text of each row (first copy if the column is duplicated; "" if absent)."""
    if "patient_id" not in raw.columns:
        return [""] * len(raw)
    col = raw["patient_id"]
    return (col.iloc[:, 0] if isinstance(col, pd.DataFrame) else col).tolist()


# ----------------------------------------------------------------------------- structure
def normalised_name(name: str) -> str:
    """A column name as :data:`IDENTIFIER_NAMES` lists it: ``"Date de naissance"`` → ``"datedenaissance"``."""
    plain = unicodedata.normalize("NFKD", name.lower())
    return re.sub(r"[^a-z]", "", "".join(ch for ch in plain if not unicodedata.combining(ch)))


def _check_structure(raw: pd.DataFrame) -> list[Problem]:
    problems = []
    seen = set()
    for name in raw.columns:
        if name in seen:
            problems.append(
                Problem("", None, name, "", "column_duplicated", "this column appears more than once; keep one copy")
            )
        seen.add(name)
        if normalised_name(name) in IDENTIFIER_NAMES:
            problems.append(
                Problem(
                    "",
                    None,
                    name,
                    "",
                    "direct_identifier_column",
                    "looks like a direct identifier; delete this column before analysis "
                    "(keep only the study pseudonym in patient_id)",
                )
            )
        elif name not in BY_NAME:
            problems.append(
                Problem(
                    "",
                    None,
                    name,
                    "",
                    "column_not_in_dictionary",
                    "not in the data dictionary; rename it to a dictionary column or remove it",
                )
            )
    for name in NAMES:
        if name not in seen:
            problems.append(
                Problem(
                    "",
                    None,
                    name,
                    "",
                    "column_missing",
                    "required column absent; add it (empty cells where the dictionary allows)",
                )
            )
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
        stamps = pd.to_datetime(np.array([texts[k] for k in matched], dtype=object), format="%Y-%m-%d", errors="coerce")
        for k, ts in zip(matched, stamps):
            out[k] = ts
    return out


def parse_cell(col: Column, text: str, stamp=_UNPARSED):
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
            return (
                None,
                "id_format",
                (
                    "use a study pseudonym of 1–32 letters, digits, '-' or '_' (no spaces, "
                    "no long digit runs that could be a social-security number)"
                ),
            )
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

    Each distinct text is parsed once by :func:`parse_cell` and the result broadcast to the rows
    that hold it (``pandas.factorize``), so a column of N cells costs N array operations and one
    Python call per distinct value — and the verdict on a cell is, by construction, the one
    :func:`parse_cell` gives it alone (same rule, same message, same parsed value).
    """
    codes, uniques = pd.factorize(cells.to_numpy(dtype=object), sort=False)
    if col.kind == "date":
        verdicts = [parse_cell(col, text, ts) for text, ts in zip(uniques, _iso_timestamps(uniques))]
    else:
        verdicts = [parse_cell(col, text) for text in uniques]
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
        if isinstance(cells, pd.DataFrame):  # duplicated column: validate the first copy
            cells = cells.iloc[:, 0]
        series, rows, why = _parse_column(col, cells)
        texts = cells.to_numpy(dtype=object)
        problems += [
            Problem(ids[i], i + 2, col.name, texts[i], rule, message) for i, (rule, message) in zip(rows.tolist(), why)
        ]
        typed[col.name] = series
    frame = pd.DataFrame(typed, index=pd.RangeIndex(len(raw)))
    if "patient_id" in frame:
        dup = frame["patient_id"].duplicated(keep=False) & frame["patient_id"].notna()
        for i in np.flatnonzero(dup.to_numpy()):
            problems.append(
                Problem(
                    ids[i],
                    i + 2,
                    "patient_id",
                    ids[i],
                    "patient_id_unique",
                    "appears on more than one row; give each patient one row and one pseudonym",
                )
            )
    return frame, problems


def _check_cross(df: pd.DataFrame, ids: list[str], raw: pd.DataFrame, failed: set) -> list[Problem]:
    problems = []
    for check in CROSS:
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
