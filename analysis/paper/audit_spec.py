"""The audit's declarations: the registry's ``audit:`` section, read and checked.

Which claims the consistency audit (:mod:`analysis.paper.audit`) compares with which, and the few
facts of the paper it needs that are not claims of their own — "within the preceding month" read
as 31 days, the date the paper was received, the methods' wording of the HRCA definition and of the
M-protein criterion — are data in ``data/published/claims.yaml`` under ``audit:``, the one home of
the paper's facts. :func:`parse_audit` turns the section into frozen objects (:class:`AuditSpec`)
and checks every entry: known and required keys (:data:`ENTRY_FIELDS`), claim ids that exist in
the registry, check ids unique and prefixed by their check type. Errors are
:class:`~analysis.exceptions.ClaimsError` naming the entry and the field. The section is described
in ``data/published/README.md``; adding a check of an existing type is adding an entry.

Terms of a sum check: a claim id (its target count), ``id:denominator`` (its resolved
denominator), a leading ``-`` to subtract, or an integer.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..exceptions import ClaimsError
from .claim_fields import Checker, is_int

#: section or entry -> (keys that must be present, keys that may be omitted).
ENTRY_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "audit": (("cohort", "sums", "subgroup_sums", "pairs", "definitions", "km_sets", "followup", "readings"), ()),
    "sums": (("id", "what", "left", "op", "right"), ("implies", "value", "warn")),
    "subgroup_sums": (("tag", "members", "others", "size", "timepoints"), ()),
    "timepoints": (("cycle", "overall", "subgroup"), ()),
    "pairs": (("id", "claims"), ()),
    "definitions": (("hrca", "inclusion_window"), ()),
    "hrca": (("methods", "strict", "reported", "any_abnormality", "abnormalities", "subgroup"), ()),
    "inclusion_window": (("quote", "days", "delays", "multi_cycle", "multi_cycle_min"), ()),
    "km_sets": (("id", "overall", "groups"), ()),
    "followup": (("followup", "period", "received"), ()),
    "readings": (("id", "check", "claims", "quote", "printed", "unit"), ()),
}
OPS = ("==", "<=", ">=")
SUM_VALUES = ("left", "right", "right-left", "left-right")
READING_CHECKS, READING_UNITS = ("units",), ("g/dl",)
#: check-id prefix of each list of checks the section declares (``sum.deaths``, ``pair.age``, …).
ID_PREFIXES = {"sums": "sum", "pairs": "pair", "km_sets": "km_position", "readings": "reading"}
_TERM = re.compile(r"^(?P<sign>-)?(?P<id>[a-z0-9_.]+?)(?::(?P<field>denominator))?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TAG = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Term:
    """One term of a sum check: a claim's target count or resolved denominator, maybe negated; or a constant."""

    claim: str | None = None
    denominator: bool = False
    negative: bool = False
    constant: int | None = None


@dataclass(frozen=True)
class SumCheck:
    """``left op right`` over counts; ``implies`` names the count derived (``value`` says which side or gap);
    ``warn`` (with ``{gap}``) makes a holding check with unequal sides a WARN, the text being the reading followed."""

    id: str
    what: str
    left: tuple[Term, ...]
    op: str
    right: tuple[Term, ...]
    implies: str | None = None
    value: str | None = None
    warn: str | None = None


@dataclass(frozen=True)
class Pair:
    """Two claims printing the same quantity."""

    id: str
    claims: tuple[str, str]


@dataclass(frozen=True)
class KmSet:
    """An overall Kaplan–Meier median and the medians of two groups meant to partition the cohort."""

    id: str
    overall: str
    groups: tuple[str, str]


@dataclass(frozen=True)
class HrcaDefinition:
    """The methods' HRCA definition (``methods``, as the finding writes it) against the reported group sizes.

    ``strict``: Table 1's rows for the defining abnormalities; ``reported``: the text's HRCA count;
    ``any_abnormality``: Table 1's patients with any of its ``abnormalities``; ``subgroup``: the
    ``(cycle, claim)`` results of the HRCA response subgroup (from its ``subgroup_sums`` entry).
    """

    methods: str
    strict: tuple[str, ...]
    reported: str
    any_abnormality: str
    abnormalities: tuple[str, ...]
    subgroup: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class InclusionWindow:
    """The methods' inclusion window (``quote``, read as ``days``) against the printed delays; the patients
    given ``multi_cycle_min`` or more debulking cycles are Table 1's ``multi_cycle`` rows."""

    quote: str
    days: int
    delays: tuple[str, ...]
    multi_cycle: tuple[str, ...]
    multi_cycle_min: int


@dataclass(frozen=True)
class Followup:
    """Follow-up (``followup``) against the inclusion ``period`` and the date the paper was ``received``."""

    followup: str
    period: str
    received: date


@dataclass(frozen=True)
class Reading:
    """A printed statement questionable as printed (a WARN): the methods' ``quote``, its ``printed`` value, ``unit``."""

    id: str
    check: str
    claims: tuple[str, ...]
    quote: str
    printed: float
    unit: str


@dataclass(frozen=True)
class AuditSpec:
    """The ``audit:`` section: ``cohort`` (the claim giving the cohort size) and the checks it declares.

    ``sums`` holds the declared sum checks followed by those of each ``subgroup_sums`` entry.
    """

    cohort: str
    sums: tuple[SumCheck, ...]
    pairs: tuple[Pair, ...]
    hrca: HrcaDefinition
    inclusion_window: InclusionWindow
    km_sets: tuple[KmSet, ...]
    followup: Followup
    readings: tuple[Reading, ...]


# ----------------------------------------------------------------------------- checking entries
class _Entry(Checker):
    """Checks one entry of the section; knows the registry's claim ids."""

    def __init__(self, what: str, path: Path, kinds: dict[str, str]):
        super().__init__(what, path)
        self.ids, self.kinds = frozenset(kinds), kinds

    def keys(self, raw, entry: str) -> dict:
        required, optional = ENTRY_FIELDS[entry]
        if not isinstance(raw, dict):
            self.fail(entry, f"must be a mapping with the keys {', '.join(required + optional)}")
        unknown = sorted(set(raw) - set(required) - set(optional))
        if unknown:
            self.fail(unknown[0], f"is not a key of {entry!r} (allowed: {', '.join(required + optional)})")
        missing = [k for k in required if k not in raw]
        if missing:
            self.fail(missing[0], f"is required in {entry!r}")
        return raw

    def claim(self, name, v) -> str:
        if not isinstance(v, str) or v not in self.ids:
            near = difflib.get_close_matches(str(v), sorted(self.ids), n=1)
            self.fail(name, f"no claim {v!r} in the registry" + (f"; did you mean {near[0]}?" if near else ""))
        return v

    def claims(self, name, v, size: int | None = None, empty=False) -> tuple[str, ...]:
        if not isinstance(v, list) or (not v and not empty) or (size is not None and len(v) != size):
            self.fail(name, f"must be a list of {size or 'one or more'} claim ids, got {v!r}")
        return tuple(self.claim(name, x) for x in v)

    def check_id(self, name, v, prefix: str, seen: set) -> str:
        if not isinstance(v, str) or not re.fullmatch(rf"{prefix}\.[a-z0-9_]+", v):
            self.fail(name, f"must be a check id '{prefix}.<name>' (lowercase), got {v!r}")
        if v in seen:
            self.fail(name, f"check id {v!r} used twice; ids must be unique")
        seen.add(v)
        return v

    def terms(self, name, v) -> tuple[Term, ...]:
        if not isinstance(v, list) or not v:
            self.fail(name, f"must be a non-empty list of terms ([-]claim_id[:denominator] or an integer), got {v!r}")
        out = []
        for t in v:
            if is_int(t):
                out.append(Term(constant=t))
                continue
            m = _TERM.match(t) if isinstance(t, str) else None
            if not m:
                self.fail(name, f"term {t!r} is malformed; write [-]claim_id[:denominator] or an integer")
            out.append(Term(claim=self.claim(name, m["id"]), denominator=bool(m["field"]), negative=bool(m["sign"])))
        return tuple(out)


def _entries(chk: _Entry, section: str, raw) -> list:
    if not isinstance(raw, list) or not raw:
        chk.fail(section, "must be a non-empty list of entries")
    return raw


def _what(section: str, raw, index: int) -> str:
    label = raw.get("id", raw.get("tag")) if isinstance(raw, dict) else None
    return f"audit {section} entry {label!r}" if isinstance(label, str) else f"audit {section} entry #{index + 1}"


# ----------------------------------------------------------------------------- the lists of checks
def _sum_check(chk: _Entry, raw, seen: set) -> SumCheck:
    raw = chk.keys(raw, "sums")
    implies = chk.text("implies", raw.get("implies"), nullable=True)
    value = chk.text("value", raw.get("value"), SUM_VALUES, nullable=True)
    if (implies is None) != (value is None):
        chk.fail("value", "is given exactly when `implies:` is (which side, or gap, is the implied count)")
    warn = chk.text("warn", raw.get("warn"), nullable=True)
    if warn is not None and {f for _, f, _, _ in string.Formatter().parse(warn) if f is not None} - {"gap"}:
        chk.fail("warn", "may use only the placeholder {gap} (the difference between the two sides)")
    return SumCheck(
        id=chk.check_id("id", raw["id"], "sum", seen),
        what=chk.text("what", raw["what"]),
        left=chk.terms("left", raw["left"]),
        op=chk.text("op", raw["op"], OPS),
        right=chk.terms("right", raw["right"]),
        implies=implies,
        value=value,
        warn=warn,
    )


def _subgroup_sums(chk: _Entry, raw, cohort: str, seen: set) -> tuple[str, tuple[tuple[str, str], ...], list[SumCheck]]:
    """Complement counts of a response subgroup at each timepoint (overall − subgroup), three checks each.

    ``members``/``others`` describe the patients in and out of the subgroup; ``size`` is the claim
    giving its size (the others are the rest of the cohort).
    """
    raw = chk.keys(raw, "subgroup_sums")
    tag = chk.text("tag", raw["tag"])
    if not _TAG.match(tag):
        chk.fail("tag", f"must be lowercase letters, digits and _, got {tag!r}")
    members, others = chk.text("members", raw["members"]), chk.text("others", raw["others"])
    size = chk.claim("size", raw["size"])
    rest = (Term(claim=cohort), Term(claim=size, negative=True))
    timepoints, checks = [], []
    for tp in _entries(chk, "timepoints", raw["timepoints"]):
        tp = chk.keys(tp, "timepoints")
        cyc = chk.text("cycle", tp["cycle"])
        overall, sub = chk.claim("overall", tp["overall"]), chk.claim("subgroup", tp["subgroup"])
        timepoints.append((cyc, sub))
        key = f"sum.{cyc.lower()}_{tag}"
        both_denominators = (Term(claim=overall, denominator=True), Term(claim=sub, denominator=True, negative=True))
        checks += [
            SumCheck(
                id=chk.check_id("cycle", f"{key}_evaluable", "sum", seen),
                what=f"{cyc} evaluable {members} ≤ patients {members}",
                left=(Term(claim=sub, denominator=True),),
                op="<=",
                right=(Term(claim=size),),
            ),
            SumCheck(
                id=chk.check_id("cycle", f"{key}_complement_evaluable", "sum", seen),
                what=f"{cyc} evaluable {others} (overall − subgroup) ≤ patients {others}",
                left=both_denominators,
                op="<=",
                right=rest,
                implies=f"patients {others} evaluable at {cyc}",
                value="left",
            ),
            SumCheck(
                id=chk.check_id("cycle", f"{key}_complement_responders", "sum", seen),
                what=f"{cyc} responders {others} (overall − subgroup) ≤ their evaluable",
                left=(Term(claim=overall), Term(claim=sub, negative=True)),
                op="<=",
                right=both_denominators,
                implies=f"responders {others} at {cyc}",
                value="left",
            ),
        ]
    return tag, tuple(timepoints), checks


def _pair(chk: _Entry, raw, seen: set) -> Pair:
    raw = chk.keys(raw, "pairs")
    pair = Pair(id=chk.check_id("id", raw["id"], "pair", seen), claims=chk.claims("claims", raw["claims"], size=2))
    a, b = (chk.kinds[c] for c in pair.claims)
    if a != b:
        chk.fail("claims", f"{pair.claims[0]} is a {a} and {pair.claims[1]} a {b}; a pair prints one quantity twice")
    return pair


def _km_set(chk: _Entry, raw, seen: set) -> KmSet:
    raw = chk.keys(raw, "km_sets")
    return KmSet(
        id=chk.check_id("id", raw["id"], "km_position", seen),
        overall=chk.claim("overall", raw["overall"]),
        groups=chk.claims("groups", raw["groups"], size=2),
    )


def _reading(chk: _Entry, raw, seen: set) -> Reading:
    raw = chk.keys(raw, "readings")
    return Reading(
        id=chk.check_id("id", raw["id"], "reading", seen),
        check=chk.text("check", raw["check"], READING_CHECKS),
        claims=chk.claims("claims", raw["claims"], empty=True),
        quote=chk.text("quote", raw["quote"]),
        printed=chk.number("printed", raw["printed"]),
        unit=chk.text("unit", raw["unit"], READING_UNITS),
    )


# ----------------------------------------------------------------------------- the single entries
def _hrca(chk: _Entry, raw, subgroups: dict) -> HrcaDefinition:
    raw = chk.keys(raw, "hrca")
    tag = chk.text("subgroup", raw["subgroup"])
    if tag not in subgroups:
        chk.fail("subgroup", f"must be the tag of a subgroup_sums entry ({', '.join(subgroups)}), got {tag!r}")
    return HrcaDefinition(
        methods=chk.text("methods", raw["methods"]),
        strict=chk.claims("strict", raw["strict"]),
        reported=chk.claim("reported", raw["reported"]),
        any_abnormality=chk.claim("any_abnormality", raw["any_abnormality"]),
        abnormalities=chk.claims("abnormalities", raw["abnormalities"]),
        subgroup=subgroups[tag],
    )


def _inclusion_window(chk: _Entry, raw) -> InclusionWindow:
    raw = chk.keys(raw, "inclusion_window")
    return InclusionWindow(
        quote=chk.text("quote", raw["quote"]),
        days=chk.integer("days", raw["days"], minimum=1),
        delays=chk.claims("delays", raw["delays"]),
        multi_cycle=chk.claims("multi_cycle", raw["multi_cycle"]),
        multi_cycle_min=chk.integer("multi_cycle_min", raw["multi_cycle_min"], minimum=1),
    )


def _followup(chk: _Entry, raw) -> Followup:
    raw = chk.keys(raw, "followup")
    received = raw["received"]
    if not isinstance(received, str) or not _DATE.match(received):
        chk.fail("received", f"must be a date written YYYY-MM-DD (quoted), got {received!r}")
    try:
        day = date.fromisoformat(received)
    except ValueError:
        chk.fail("received", f"{received!r} is not a calendar date")
    return Followup(
        followup=chk.claim("followup", raw["followup"]), period=chk.claim("period", raw["period"]), received=day
    )


def parse_audit(raw, kinds: dict[str, str], path: Path) -> AuditSpec:
    """The registry's ``audit:`` section, checked against the registry's claims (``kinds``: id -> kind).

    See the module docstring; the first problem is a ClaimsError naming the entry and field.
    """
    top = _Entry("audit section", path, kinds)
    top.keys(raw, "audit")
    cohort = top.claim("cohort", raw["cohort"])
    seen: set = set()  # check ids; the prefixes keep them apart from the code's own

    def each(section, parse):
        return [
            parse(_Entry(_what(section, r, i), path, kinds), r)
            for i, r in enumerate(_entries(top, section, raw[section]))
        ]

    sums = each("sums", lambda chk, r: _sum_check(chk, r, seen))
    subgroups = {}
    for tag, timepoints, checks in each("subgroup_sums", lambda chk, r: _subgroup_sums(chk, r, cohort, seen)):
        if tag in subgroups:
            raise ClaimsError(f"audit subgroup_sums entry {tag!r}, field 'tag': used twice. Fix it in {path}.")
        subgroups[tag] = timepoints
        sums += checks
    definitions = _Entry("audit entry 'definitions'", path, kinds).keys(raw["definitions"], "definitions")
    return AuditSpec(
        cohort=cohort,
        sums=tuple(sums),
        pairs=tuple(each("pairs", lambda chk, r: _pair(chk, r, seen))),
        hrca=_hrca(_Entry("audit entry 'definitions.hrca'", path, kinds), definitions["hrca"], subgroups),
        inclusion_window=_inclusion_window(
            _Entry("audit entry 'definitions.inclusion_window'", path, kinds), definitions["inclusion_window"]
        ),
        km_sets=tuple(each("km_sets", lambda chk, r: _km_set(chk, r, seen))),
        followup=_followup(_Entry("audit entry 'followup'", path, kinds), raw["followup"]),
        readings=tuple(each("readings", lambda chk, r: _reading(chk, r, seen))),
    )
