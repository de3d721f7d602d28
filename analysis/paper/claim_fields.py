"""The claims registry's field table, and the parser it drives.

Each kind of claim is one :class:`KindSpec` in :data:`KINDS`: its fields in order, each with its
type (whole number, number, text, month ``"YYYY-MM"``, reference numbers, ``true``), whether it may
be null (and what null means) or be left out, its choices or range; the pairs that are given both or
neither (``min``/``max``, ``ci_lower``/``ci_upper``); and the rules that tie fields together
(``n ≤ denominator``, ``n`` or ``pct`` printed, start before end). The rules are written once, here:
:data:`KIND_FIELDS` is derived from the table, :func:`parse_kind_fields` only reads it, and a test
(tests/paper/test_claims.py) holds the schema table of ``data/published/README.md`` to it. The
common fields, ``metric`` and ``resolution`` are parsed here too (:func:`parse_claim_fields`).

Every error is a :class:`~analysis.exceptions.ClaimsError` naming the claim and the field
(``claim 'txt.orr_c1', field 'pct': must lie in 0–100, got 150. Fix it in …``).

Why one module of over 400 lines: it is a table, one entry per claim kind and field, read by the
parser, the audit and the README generator alike; split, the contract would be written twice again.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import ClaimsError
from .rounding import as_decimal

SOURCES = ("table1", "text", "discussion", "external")
ID_PREFIX = {"table1": "t1", "text": "txt", "discussion": "disc", "external": "ext"}
SECTIONS = (
    "cohort",
    "baseline",
    "cytogenetics",
    "emd",
    "debulking",
    "bispecific",
    "safety",
    "response",
    "survival",
    "external",
)
DENOMINATOR_SOURCES = ("stated", "population", "unknown")
ENDPOINTS = ("PFS", "OS")
LOGRANK_BY = ("EMD", "HRCA")
EXTERNAL_UNITS = ("%", "months")
TABLES = ("adsl", "adrs")
ID_PATTERN = re.compile(r"^(t1|txt|disc|ext)\.[a-z0-9_]+(\.[a-z0-9_]+)*$")
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
COMMON_FIELDS = ("id", "source", "section", "quote", "kind", "metric")
OPTIONAL_FIELDS = ("notes", "resolution")
RESOLUTION_FIELDS = ("n", "denominator", "value", "why")
FIELD_TYPES = ("integer", "number", "text", "month", "references", "true")


# ----------------------------------------------------------------------------- the table
@dataclass(frozen=True)
class Field:
    """One field of a kind: how its value is checked.

    ``type``: ``integer`` (whole number ≥ ``minimum``, default 0), ``number`` (finite; in the closed
    range ``within`` if given), ``text`` (non-empty; one of ``choices`` if given), ``month``
    (``"YYYY-MM"``), ``references`` (a reference number ≥ 1 or a non-empty list of them, read as a
    tuple) or ``true``. ``nullable``: False (default), True, or the name of an earlier field — null
    allowed exactly when that field is null. ``null_means`` says what a null stands for; a required
    field whose null means "not printed" gets the hint ``write `n: null` …`` when it is missing.
    ``omissible``: the field may be left out (then ``None``), as the pairs of :attr:`KindSpec.together`.
    """

    name: str
    type: str
    nullable: bool | str = False
    null_means: str = ""
    omissible: bool = False
    minimum: int = 0
    within: tuple[float, float] | None = None
    choices: tuple[str, ...] | None = None

    def __post_init__(self):
        if self.type not in FIELD_TYPES:  # a typo in the table fails at import
            raise TypeError(f"field {self.name!r} has unknown type {self.type!r} (known: {', '.join(FIELD_TYPES)})")


@dataclass(frozen=True)
class Rule:
    """A rule across fields: ``broken(values)`` True is an error on ``field`` with ``message``.

    ``message`` is formatted with the parsed values (``"{n} exceeds the denominator {denominator}"``);
    ``values`` holds the fields given, so a rule on an omissible field reads it with ``.get``.
    """

    field: str
    broken: Callable[[dict], bool]
    message: str


@dataclass(frozen=True)
class KindSpec:
    """The fields of one kind, in parse order, the pairs given both or neither, and the rules across fields."""

    fields: tuple[Field, ...]
    together: tuple[tuple[str, str, str], ...] = ()
    rules: tuple[Rule, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if not f.omissible)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.omissible)


def _more_decimals(v: dict) -> bool:
    return v["pct"] is not None and as_decimal(v["pct"]) != round(as_decimal(v["pct"]), v["pct_decimals"])


KINDS: dict[str, KindSpec] = {
    "proportion": KindSpec(
        fields=(
            Field("n", "integer", nullable=True, null_means="not printed"),
            Field("pct", "number", nullable=True, null_means="not printed", within=(0, 100)),
            Field("pct_decimals", "integer", nullable="pct"),
            Field("denominator", "integer", nullable=True, null_means="not printed", minimum=1),
            Field("denominator_source", "text", choices=DENOMINATOR_SOURCES),
        ),
        rules=(
            Rule(
                "n",
                lambda v: v["n"] is None and v["pct"] is None,
                "and pct are both null; a proportion prints at least one of them",
            ),
            Rule("pct_decimals", _more_decimals, "{pct} has more decimals than {pct_decimals}"),
            Rule(
                "pct_decimals",
                lambda v: v["pct"] is None and v["pct_decimals"] is not None,
                "must be null when pct is null",
            ),
            Rule(
                "denominator_source",
                lambda v: (v["denominator"] is None) != (v["denominator_source"] == "unknown"),
                "is 'unknown' exactly when denominator is null",
            ),
            Rule(
                "n",
                lambda v: v["n"] is not None and v["denominator"] is not None and v["n"] > v["denominator"],
                "{n} exceeds the denominator {denominator}",
            ),
        ),
    ),
    "count": KindSpec(fields=(Field("n", "integer"),)),
    "median_range": KindSpec(
        fields=(
            Field("value", "number"),
            Field("unit", "text"),
            Field("min", "number", omissible=True),
            Field("max", "number", omissible=True),
        ),
        together=(("min", "max", "give both min and max, or neither"),),
        rules=(
            Rule(
                "value",
                lambda v: "min" in v and not v["min"] <= v["value"] <= v["max"],
                "{value} lies outside its range {min}–{max}",
            ),
        ),
    ),
    "km_median": KindSpec(
        fields=(
            Field("value", "number", nullable=True, null_means="not reached"),
            Field("unit", "text", choices=("months",)),
            Field("endpoint", "text", choices=ENDPOINTS),
            Field("group", "text"),
            Field("ci_lower", "number", nullable=True, null_means="NR", omissible=True),
            Field("ci_upper", "number", nullable=True, null_means="NR", omissible=True),
        ),
        together=(("ci_lower", "ci_upper", "give both ci_lower and ci_upper (null = NR), or neither (no CI printed)"),),
    ),
    "logrank_p": KindSpec(
        fields=(
            Field("p", "number", within=(0, 1)),
            Field("p_decimals", "integer"),
            Field("endpoint", "text", choices=ENDPOINTS),
            Field("by", "text", choices=LOGRANK_BY),
        )
    ),
    "period": KindSpec(
        fields=(Field("start", "month"), Field("end", "month")),
        rules=(Rule("end", lambda v: v["start"] > v["end"], "{end} is before start {start}"),),
    ),
    "external": KindSpec(
        fields=(
            Field("value", "number"),
            Field("unit", "text", choices=EXTERNAL_UNITS),
            Field("study", "text"),
            Field("reference", "references"),
            Field("external", "true"),
        )
    ),
}
#: kind -> (fields that must be present, fields that may be omitted), read from :data:`KINDS`. Present
#: fields may still be null where the table says so (``n`` when only a percentage is printed,
#: ``ci_upper`` when the bound is not reached).
KIND_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    kind: (spec.required, spec.optional) for kind, spec in KINDS.items()
}
#: ``resolution:`` — ``why`` required, the values the synthetic cohort reproduces where they apply.
RESOLUTION = KindSpec(
    fields=(
        Field("why", "text"),
        Field("n", "integer", nullable=True, omissible=True),
        Field("denominator", "integer", nullable=True, omissible=True, minimum=1),
        Field("value", "number", nullable=True, omissible=True),
    )
)
#: kind -> keys of its ``metric`` mapping (None: the metric must be null).
METRIC_KEYS: dict[str, frozenset[str] | None] = {
    "proportion": frozenset({"table", "numerator", "denominator"}),
    "count": frozenset({"table", "numerator", "denominator"}),
    "count_distinct": frozenset({"table", "distinct"}),  # a count of distinct values (e.g. centres)
    "median_range": frozenset({"table", "column"}),
    "km_median": frozenset({"endpoint", "group"}),
    "logrank_p": frozenset({"endpoint", "by"}),
    "period": frozenset({"table", "column"}),
    "external": None,
}


# ----------------------------------------------------------------------------- checking one value
def is_int(v) -> bool:
    """A whole number, not a bool (YAML's ``true`` is an int to Python)."""
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v) -> bool:
    """A finite int or float, not a bool."""
    return (is_int(v) or isinstance(v, float)) and math.isfinite(v)


class Checker:
    """Checks values and raises ClaimsError naming the entry (``what``: "claim 'txt.orr_c1'") and field."""

    def __init__(self, what: str, path: Path):
        self.what, self.path = what, path

    def fail(self, name: str, message: str):
        raise ClaimsError(f"{self.what}, field {name!r}: {message}. Fix it in {self.path}.")

    def integer(self, name, v, nullable=False, minimum=0):
        if v is None and nullable:
            return None
        if not is_int(v) or v < minimum:
            self.fail(name, f"must be a whole number ≥ {minimum}{' or null' if nullable else ''}, got {v!r}")
        return v

    def number(self, name, v, nullable=False, within=None):
        if v is None and nullable:
            return None
        if not is_number(v):
            self.fail(name, f"must be a number{' or null' if nullable else ''}, got {v!r}")
        if within is not None and not within[0] <= v <= within[1]:
            self.fail(name, f"must lie in {within[0]:g}–{within[1]:g}, got {v}")
        return v

    def text(self, name, v, choices=None, nullable=False):
        if v is None and nullable:
            return None
        if not isinstance(v, str) or not v.strip():
            self.fail(name, f"must be non-empty text, got {v!r}")
        if choices is not None and v not in choices:
            self.fail(name, f"must be one of {', '.join(choices)}, got {v!r}")
        return v

    def month(self, name, v, nullable=False):
        v = self.text(name, v, nullable=nullable)
        if v is not None and not MONTH_PATTERN.match(v):
            self.fail(name, f"must be a month written YYYY-MM (quoted), got {v!r}")
        return v

    def references(self, name, v, nullable=False):
        refs = [v] if is_int(v) else v
        if not isinstance(refs, list) or not refs or not all(is_int(r) and r >= 1 for r in refs):
            self.fail(name, f"must be the paper's reference number or a list of them, got {v!r}")
        return tuple(refs)

    def true(self, name, v, kind):
        if v is not True:
            self.fail(name, f"must be true for kind {kind!r}")
        return True


#: Field type -> how its value is read: ``(checker, field, value, nullable, kind) -> value``.
_READERS: dict[str, Callable] = {
    "integer": lambda chk, f, v, nullable, kind: chk.integer(f.name, v, nullable, f.minimum),
    "number": lambda chk, f, v, nullable, kind: chk.number(f.name, v, nullable, f.within),
    "text": lambda chk, f, v, nullable, kind: chk.text(f.name, v, f.choices, nullable),
    "month": lambda chk, f, v, nullable, kind: chk.month(f.name, v, nullable),
    "references": lambda chk, f, v, nullable, kind: chk.references(f.name, v),
    "true": lambda chk, f, v, nullable, kind: chk.true(f.name, v, kind),
}


def parse_fields(chk: Checker, spec: KindSpec, raw: dict, kind: str) -> dict:
    """The values of ``spec``'s fields in ``raw``, checked field by field and then by the rules.

    Omitted omissible fields are left out of the result. Presence of the required fields is the
    caller's check (its message depends on where the mapping sits).
    """
    out: dict = {}
    firsts = {a: (a, b, message) for a, b, message in spec.together}
    for f in spec.fields:
        if f.name in firsts:
            a, b, message = firsts[f.name]
            if (a in raw) != (b in raw):
                chk.fail(a, message)
        if f.omissible and f.name not in raw:
            continue
        nullable = f.nullable if isinstance(f.nullable, bool) else out[f.nullable] is None
        out[f.name] = _READERS[f.type](chk, f, raw.get(f.name), nullable, kind)
    for rule in spec.rules:
        if rule.broken(out):
            chk.fail(rule.field, rule.message.format(**out))
    return out


def parse_kind_fields(chk: Checker, kind: str, raw: dict) -> dict:
    """The kind-specific fields of one claim (see :data:`KINDS`)."""
    return parse_fields(chk, KINDS[kind], raw, kind)


# ----------------------------------------------------------------------------- metric, resolution
def _check_expression(chk: Checker, name: str, expr) -> None:
    if not isinstance(expr, str) or not expr.strip():
        chk.fail(f"metric.{name}", f"must be a DataFrame.query expression, got {expr!r}")
    try:
        ast.parse(expr, mode="eval")
    except SyntaxError as exc:
        chk.fail(f"metric.{name}", f"{expr!r} is not a valid expression ({exc.msg})")


def parse_metric(chk: Checker, kind: str, metric, notes) -> dict | None:
    """The ``metric`` mapping of a claim of ``kind`` (keys: :data:`METRIC_KEYS`), or None with ``notes`` saying why."""
    allowed = METRIC_KEYS[kind]
    if metric is None:
        if not notes:
            chk.fail("metric", "is null, so `notes:` must say why the claim cannot be recomputed")
        return None
    if allowed is None:
        chk.fail("metric", f"must be null for kind {kind!r} (not recomputable from this cohort)")
    if not isinstance(metric, dict):
        chk.fail("metric", f"must be a mapping with keys {', '.join(sorted(allowed))}, or null")
    if kind == "count" and set(metric) == METRIC_KEYS["count_distinct"]:
        allowed = METRIC_KEYS["count_distinct"]
    if set(metric) != allowed:
        chk.fail("metric", f"must have exactly the keys {', '.join(sorted(allowed))}, got {', '.join(sorted(metric))}")
    if "table" in metric and metric["table"] not in TABLES:
        chk.fail("metric.table", f"must be one of {', '.join(TABLES)}, got {metric['table']!r}")
    for key in ("numerator", "denominator"):
        if key in metric:
            _check_expression(chk, key, metric[key])
    if "group" in metric and metric["group"] != "all":
        _check_expression(chk, "group", metric["group"])
    for key in ("column", "by"):
        if key in metric and (not isinstance(metric[key], str) or not metric[key].isidentifier()):
            chk.fail(f"metric.{key}", f"must be a column name, got {metric[key]!r}")
    if "endpoint" in metric and metric["endpoint"] not in ENDPOINTS:
        chk.fail("metric.endpoint", f"must be one of {', '.join(ENDPOINTS)}, got {metric['endpoint']!r}")
    return dict(metric)


def parse_resolution(chk: Checker, raw) -> dict | None:
    """The fields of a ``resolution:`` mapping (see :data:`RESOLUTION`), or None when there is none."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        chk.fail("resolution", "must be a mapping with `why` and any of n, denominator, value")
    unknown = set(raw) - set(RESOLUTION_FIELDS)
    if unknown:
        chk.fail("resolution", f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(RESOLUTION_FIELDS)}")
    return parse_fields(chk, RESOLUTION, raw, "resolution")


# ----------------------------------------------------------------------------- one claim
def _check_keys(chk: Checker, kind: str, raw: dict) -> None:
    """No field outside the common ones and the kind's; every required field written."""
    required, optional = KIND_FIELDS[kind]
    allowed = set(COMMON_FIELDS) | set(OPTIONAL_FIELDS) | set(required) | set(optional)
    unknown = sorted(set(raw) - allowed)
    if unknown:
        chk.fail(unknown[0], f"is not a field of kind {kind!r} (allowed: {', '.join(sorted(allowed))})")
    hinted = {f.name for f in KINDS[kind].fields if f.null_means == "not printed"}
    for name in COMMON_FIELDS + required:
        if name not in raw:
            chk.fail(
                name,
                f"is required for kind {kind!r} (write `{name}: null` if it is not printed)"
                if name in hinted
                else f"is required for kind {kind!r}",
            )


def parse_claim_fields(raw, index: int, path: Path) -> tuple[dict, dict | None]:
    """One claim of the registry, checked: ``(fields of Claim, fields of its Resolution or None)``."""
    if not isinstance(raw, dict):
        raise ClaimsError(f"claim #{index + 1} is not a mapping; each claim is a `- id: …` block in {path}.")
    cid = raw.get("id")
    if not isinstance(cid, str) or not ID_PATTERN.match(cid):
        raise ClaimsError(
            f"claim #{index + 1}: id {cid!r} must be lowercase and dotted with a source prefix "
            f"(t1., txt., disc., ext.), e.g. 'txt.orr_c1'. Fix it in {path}."
        )
    chk = Checker(f"claim {cid!r}", path)
    kind = chk.text("kind", raw.get("kind"), tuple(KINDS))
    _check_keys(chk, kind, raw)
    source = chk.text("source", raw["source"], SOURCES)
    if cid.split(".")[0] != ID_PREFIX[source]:
        chk.fail("id", f"a claim from source {source!r} has an id starting with '{ID_PREFIX[source]}.'")
    section = chk.text("section", raw["section"], SECTIONS)
    if (section == "external") != (source == "external"):
        chk.fail("section", "is 'external' exactly for source 'external'")
    notes = chk.text("notes", raw.get("notes"), nullable=True)
    values = dict(id=cid, source=source, section=section, quote=chk.text("quote", raw["quote"]), kind=kind)
    values.update(metric=parse_metric(chk, kind, raw["metric"], notes), notes=notes, given=frozenset(raw))
    resolution = parse_resolution(chk, raw.get("resolution"))
    return {**values, **parse_kind_fields(chk, kind, raw)}, resolution
