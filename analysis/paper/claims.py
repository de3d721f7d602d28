"""The paper as data: load and validate the claims registry.

``data/published/claims.yaml`` holds every quantitative statement of Chalopin et
al. (Blood Cancer J 2025;15:174) — each row of Table 1, each number of the
results and discussion text, and the figures the paper quotes from other
studies — with the verbatim words, the numbers as printed, and how to recompute
them from this compendium's derived tables (``metric``). The schema is described
field by field in ``data/published/README.md``; :func:`load_claims` enforces it.

Published numbers live only here. They are compared with what the data give,
never copied into results.

Percentages are compared with counts by :mod:`analysis.paper.rounding`;
:func:`target_count` uses its ``half_up`` rule: the count the synthetic cohort must
reproduce is the one the paper's printed percentage implies under the usual
rule, unless the audit recorded a ``resolution``.

One module of ~500 lines on purpose: the schema (the ``Claim`` fields), its parser with
one error message per field, and the accessors are one contract with the registry's
README; split, a field added in one place would be missed in another.
"""
from __future__ import annotations

import ast
import difflib
import math
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from .. import paths
from ..exceptions import ClaimsError
from .rounding import as_decimal, counts_fitting

REGISTRY = paths.PUBLISHED / "claims.yaml"
SCHEMA_VERSION = 1

SOURCES = ("table1", "text", "discussion", "external")
ID_PREFIX = {"table1": "t1", "text": "txt", "discussion": "disc", "external": "ext"}
SECTIONS = ("cohort", "baseline", "cytogenetics", "emd", "debulking", "bispecific", "safety", "response",
            "survival", "external")
DENOMINATOR_SOURCES = ("stated", "population", "unknown")
ENDPOINTS = ("PFS", "OS")
LOGRANK_BY = ("EMD", "HRCA")
EXTERNAL_UNITS = ("%", "months")
TABLES = ("adsl", "adrs")
ID_PATTERN = re.compile(r"^(t1|txt|disc|ext)\.[a-z0-9_]+(\.[a-z0-9_]+)*$")
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

COMMON_FIELDS = ("id", "source", "section", "quote", "kind", "metric")
OPTIONAL_FIELDS = ("notes", "resolution")
#: kind -> (fields that must be present, fields that may be omitted). Present
#: fields may still be null where the schema says so (e.g. ``n`` when only a
#: percentage is printed, ``ci_upper`` when the bound is not reached).
KIND_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "proportion": (("n", "pct", "pct_decimals", "denominator", "denominator_source"), ()),
    "count": (("n",), ()),
    "median_range": (("value", "unit"), ("min", "max")),
    "km_median": (("value", "unit", "endpoint", "group"), ("ci_lower", "ci_upper")),
    "logrank_p": (("p", "p_decimals", "endpoint", "by"), ()),
    "period": (("start", "end"), ()),
    "external": (("value", "unit", "study", "reference", "external"), ()),
}
#: kind -> keys of its ``metric`` mapping (None: the metric must be null).
METRIC_KEYS: dict[str, frozenset[str] | None] = {
    "proportion": frozenset({"table", "numerator", "denominator"}),
    "count": frozenset({"table", "numerator", "denominator"}),
    "count_distinct": frozenset({"table", "distinct"}),      # a count of distinct values (e.g. centres)
    "median_range": frozenset({"table", "column"}),
    "km_median": frozenset({"endpoint", "group"}),
    "logrank_p": frozenset({"endpoint", "by"}),
    "period": frozenset({"table", "column"}),
    "external": None,
}
RESOLUTION_FIELDS = ("n", "denominator", "value", "why")


@dataclass(frozen=True)
class Resolution:
    """What the synthetic cohort reproduces where the printed numbers are inconsistent.

    ``why`` is required; ``n``, ``denominator`` and ``value`` only where they apply.
    """

    why: str
    n: int | None = None
    denominator: int | None = None
    value: float | None = None

    def as_dict(self) -> dict:
        """The recorded fields only (as written in the registry)."""
        return {k: getattr(self, k) for k in RESOLUTION_FIELDS if getattr(self, k) is not None}

    def get(self, key: str, default=None):
        """Mapping-style read: ``resolution.get("denominator", claim.denominator)``; unrecorded -> ``default``."""
        return self.as_dict().get(key, default)

    def __getitem__(self, key: str):
        return self.as_dict()[key]

    def __contains__(self, key: str) -> bool:
        return key in self.as_dict()


@dataclass(frozen=True)
class Claim:
    """One quantitative statement of the paper (see ``data/published/README.md``).

    Fields not used by a claim's ``kind`` are ``None``. ``given`` lists the keys
    written in the registry, which distinguishes an omitted confidence interval
    (not printed) from a null bound (printed "NR").
    """

    id: str
    source: str
    section: str
    quote: str
    kind: str
    metric: dict | None
    n: int | None = None
    pct: float | None = None
    pct_decimals: int | None = None
    denominator: int | None = None
    denominator_source: str | None = None
    value: float | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    endpoint: str | None = None
    group: str | None = None
    p: float | None = None
    p_decimals: int | None = None
    by: str | None = None
    start: str | None = None
    end: str | None = None
    study: str | None = None
    reference: tuple[int, ...] | None = None
    external: bool = False
    notes: str | None = None
    resolution: Resolution | None = None
    given: frozenset[str] = field(default_factory=frozenset)

    @property
    def has_ci(self) -> bool:
        """True when the paper prints a confidence interval with this median."""
        return "ci_lower" in self.given

    @property
    def effective_denominator(self) -> int | None:
        """The denominator the synthetic cohort follows: the resolution's, else the printed one."""
        if self.resolution is not None and self.resolution.denominator is not None:
            return self.resolution.denominator
        return self.denominator

    @property
    def effective_value(self) -> float | None:
        """The value the synthetic cohort follows: the resolution's, else the printed one."""
        if self.resolution is not None and self.resolution.value is not None:
            return self.resolution.value
        return self.value


def target_count(claim: Claim) -> int | None:
    """The count the synthetic cohort must reproduce for ``claim``.

    ``resolution.n`` if recorded; else the printed ``n``; else, for a
    percentage printed without its count, the unique ``k`` with
    half-up(100·k/denominator, pct_decimals) == pct, the denominator being the
    resolution's if recorded. ``None`` when there is no such unique ``k`` or the
    claim is not a count (medians, survival, external figures).

    Examples: C1 CR "33%" of 39 -> 13; C6 ORR "87%" of 21 -> 18 (resolution).
    """
    if claim.resolution is not None and claim.resolution.n is not None:
        return claim.resolution.n
    if claim.n is not None:
        return claim.n
    if claim.kind != "proportion" or claim.pct is None:
        return None
    denominator = claim.effective_denominator
    if denominator is None:
        return None
    ks = counts_fitting(claim.pct, claim.pct_decimals, denominator, "half_up")
    return ks[0] if len(ks) == 1 else None


# ----------------------------------------------------------------------------- loading
class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML loader that refuses a key written twice in one mapping (PyYAML keeps the last).

    On libyaml's parser where PyYAML has it (8× faster on the registry: 0.04 s instead of
    0.34 s, read by every notebook; the same documents, the same marks for the messages).
    """


def _construct_mapping(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dupes = sorted({str(k) for k in keys if keys.count(k) > 1})
    if dupes:
        raise ClaimsError(f"line {node.start_mark.line + 1}: key(s) {', '.join(dupes)} written twice in one "
                          f"mapping; keep one")
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return (_is_int(v) or isinstance(v, float)) and math.isfinite(v)


class _Checker:
    """Raises ClaimsError naming the claim id and field."""

    def __init__(self, cid: str, path: Path):
        self.cid, self.path = cid, path

    def fail(self, name: str, message: str):
        raise ClaimsError(f"claim {self.cid!r}, field {name!r}: {message}. Fix it in {self.path}.")

    def integer(self, raw, name, nullable=False, minimum=0):
        v = raw.get(name)
        if v is None and nullable:
            return None
        if not _is_int(v) or v < minimum:
            self.fail(name, f"must be a whole number ≥ {minimum}{' or null' if nullable else ''}, got {v!r}")
        return v

    def number(self, raw, name, nullable=False):
        v = raw.get(name)
        if v is None and nullable:
            return None
        if not _is_number(v):
            self.fail(name, f"must be a number{' or null' if nullable else ''}, got {v!r}")
        return v

    def text(self, raw, name, choices=None, nullable=False):
        v = raw.get(name)
        if v is None and nullable:
            return None
        if not isinstance(v, str) or not v.strip():
            self.fail(name, f"must be non-empty text, got {v!r}")
        if choices is not None and v not in choices:
            self.fail(name, f"must be one of {', '.join(choices)}, got {v!r}")
        return v


def _check_expression(chk: _Checker, name: str, expr) -> None:
    if not isinstance(expr, str) or not expr.strip():
        chk.fail(f"metric.{name}", f"must be a DataFrame.query expression, got {expr!r}")
    try:
        ast.parse(expr, mode="eval")
    except SyntaxError as exc:
        chk.fail(f"metric.{name}", f"{expr!r} is not a valid expression ({exc.msg})")


def _parse_metric(chk: _Checker, kind: str, metric, notes) -> dict | None:
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


def _parse_resolution(chk: _Checker, raw) -> Resolution | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        chk.fail("resolution", "must be a mapping with `why` and any of n, denominator, value")
    unknown = set(raw) - set(RESOLUTION_FIELDS)
    if unknown:
        chk.fail("resolution", f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(RESOLUTION_FIELDS)}")
    return Resolution(why=chk.text(raw, "why"), n=chk.integer(raw, "n", nullable=True),
                      denominator=chk.integer(raw, "denominator", nullable=True, minimum=1),
                      value=chk.number(raw, "value", nullable=True))


def _parse_kind_fields(chk: _Checker, kind: str, raw: dict) -> dict:
    out: dict = {}
    if kind == "proportion":
        out["n"] = chk.integer(raw, "n", nullable=True)
        out["pct"] = chk.number(raw, "pct", nullable=True)
        out["pct_decimals"] = chk.integer(raw, "pct_decimals", nullable=out["pct"] is None)
        out["denominator"] = chk.integer(raw, "denominator", nullable=True, minimum=1)
        out["denominator_source"] = chk.text(raw, "denominator_source", DENOMINATOR_SOURCES)
        if out["n"] is None and out["pct"] is None:
            chk.fail("n", "and pct are both null; a proportion prints at least one of them")
        if out["pct"] is not None:
            if not 0 <= out["pct"] <= 100:
                chk.fail("pct", f"must lie in 0–100, got {out['pct']}")
            if as_decimal(out["pct"]) != round(as_decimal(out["pct"]), out["pct_decimals"]):
                chk.fail("pct_decimals", f"{out['pct']} has more decimals than {out['pct_decimals']}")
        elif out["pct_decimals"] is not None:
            chk.fail("pct_decimals", "must be null when pct is null")
        if (out["denominator"] is None) != (out["denominator_source"] == "unknown"):
            chk.fail("denominator_source", "is 'unknown' exactly when denominator is null")
        if out["n"] is not None and out["denominator"] is not None and out["n"] > out["denominator"]:
            chk.fail("n", f"{out['n']} exceeds the denominator {out['denominator']}")
    elif kind == "count":
        out["n"] = chk.integer(raw, "n")
    elif kind == "median_range":
        out["value"] = chk.number(raw, "value")
        out["unit"] = chk.text(raw, "unit")
        if ("min" in raw) != ("max" in raw):
            chk.fail("min", "give both min and max, or neither")
        if "min" in raw:
            out["min"], out["max"] = chk.number(raw, "min"), chk.number(raw, "max")
            if not out["min"] <= out["value"] <= out["max"]:
                chk.fail("value", f"{out['value']} lies outside its range {out['min']}–{out['max']}")
    elif kind == "km_median":
        out["value"] = chk.number(raw, "value", nullable=True)
        out["unit"] = chk.text(raw, "unit", ("months",))
        out["endpoint"] = chk.text(raw, "endpoint", ENDPOINTS)
        out["group"] = chk.text(raw, "group")
        if ("ci_lower" in raw) != ("ci_upper" in raw):
            chk.fail("ci_lower", "give both ci_lower and ci_upper (null = NR), or neither (no CI printed)")
        if "ci_lower" in raw:
            out["ci_lower"] = chk.number(raw, "ci_lower", nullable=True)
            out["ci_upper"] = chk.number(raw, "ci_upper", nullable=True)
    elif kind == "logrank_p":
        out["p"] = chk.number(raw, "p")
        if not 0 <= out["p"] <= 1:
            chk.fail("p", f"must lie in 0–1, got {out['p']}")
        out["p_decimals"] = chk.integer(raw, "p_decimals")
        out["endpoint"] = chk.text(raw, "endpoint", ENDPOINTS)
        out["by"] = chk.text(raw, "by", LOGRANK_BY)
    elif kind == "period":
        for name in ("start", "end"):
            out[name] = chk.text(raw, name)
            if not MONTH_PATTERN.match(out[name]):
                chk.fail(name, f"must be a month written YYYY-MM (quoted), got {out[name]!r}")
        if out["start"] > out["end"]:
            chk.fail("end", f"{out['end']} is before start {out['start']}")
    elif kind == "external":
        out["value"] = chk.number(raw, "value")
        out["unit"] = chk.text(raw, "unit", EXTERNAL_UNITS)
        out["study"] = chk.text(raw, "study")
        ref = raw.get("reference")
        refs = [ref] if _is_int(ref) else ref
        if not isinstance(refs, list) or not refs or not all(_is_int(r) and r >= 1 for r in refs):
            chk.fail("reference", f"must be the paper's reference number or a list of them, got {ref!r}")
        out["reference"] = tuple(refs)
        if raw.get("external") is not True:
            chk.fail("external", "must be true for kind 'external'")
        out["external"] = True
    return out


def _parse_claim(raw, index: int, path: Path) -> Claim:
    if not isinstance(raw, dict):
        raise ClaimsError(f"claim #{index + 1} is not a mapping; each claim is a `- id: …` block in {path}.")
    cid = raw.get("id")
    if not isinstance(cid, str) or not ID_PATTERN.match(cid):
        raise ClaimsError(f"claim #{index + 1}: id {cid!r} must be lowercase and dotted with a source prefix "
                          f"(t1., txt., disc., ext.), e.g. 'txt.orr_c1'. Fix it in {path}.")
    chk = _Checker(cid, path)
    kind = chk.text(raw, "kind", tuple(KIND_FIELDS))
    required, optional = KIND_FIELDS[kind]
    allowed = set(COMMON_FIELDS) | set(OPTIONAL_FIELDS) | set(required) | set(optional)
    unknown = sorted(set(raw) - allowed)
    if unknown:
        chk.fail(unknown[0], f"is not a field of kind {kind!r} (allowed: {', '.join(sorted(allowed))})")
    for name in COMMON_FIELDS + required:
        if name not in raw:
            chk.fail(name, f"is required for kind {kind!r} (write `{name}: null` if it is not printed)"
                     if name in ("n", "pct", "denominator") else f"is required for kind {kind!r}")
    source = chk.text(raw, "source", SOURCES)
    if cid.split(".")[0] != ID_PREFIX[source]:
        chk.fail("id", f"a claim from source {source!r} has an id starting with '{ID_PREFIX[source]}.'")
    section = chk.text(raw, "section", SECTIONS)
    if (section == "external") != (source == "external"):
        chk.fail("section", "is 'external' exactly for source 'external'")
    notes = chk.text(raw, "notes", nullable=True)
    return Claim(id=cid, source=source, section=section, quote=chk.text(raw, "quote"), kind=kind,
                 metric=_parse_metric(chk, kind, raw["metric"], notes), notes=notes,
                 resolution=_parse_resolution(chk, raw.get("resolution")),
                 given=frozenset(raw), **_parse_kind_fields(chk, kind, raw))


def load_claims(path: str | Path = REGISTRY) -> list[Claim]:
    """Read and validate the claims registry.

    Parameters
    ----------
    path : str or Path, optional (default=``data/published/claims.yaml``)
        The registry; a relative path is taken from the project root.

    Returns
    -------
    list of Claim
        In file order.

    Raises
    ------
    ClaimsError
        On the first problem: unreadable YAML, a key written twice, an unknown
        or missing field, a wrong type, a duplicated id. The message names the
        claim id and the field.
    """
    path = paths.resolve(path)
    return _claims_of(_document(path), path)


def _document(path: Path):
    """The registry file parsed (YAML, no key written twice); unreadable or invalid YAML is a ClaimsError."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except OSError as exc:
        raise ClaimsError(f"cannot read the claims registry {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ClaimsError(f"{path} is not valid YAML: {exc}") from exc


def _claims_of(doc, path: Path) -> list[Claim]:
    """The validated claims of a parsed registry document (see :func:`load_claims`)."""
    if not isinstance(doc, dict) or set(doc) != {"schema_version", "paper", "claims"}:
        raise ClaimsError(f"{path} must have exactly the top-level keys schema_version, paper, claims.")
    if doc["schema_version"] != SCHEMA_VERSION:
        raise ClaimsError(f"{path}: schema_version {doc['schema_version']!r} is not supported; this code reads "
                          f"version {SCHEMA_VERSION}.")
    paper = doc["paper"]
    if not isinstance(paper, dict) or not paper.get("citation") or not paper.get("doi"):
        raise ClaimsError(f"{path}: `paper:` needs a citation and a doi.")
    if not isinstance(doc["claims"], list) or not doc["claims"]:
        raise ClaimsError(f"{path}: `claims:` must be a non-empty list.")
    claims, seen = [], set()
    for i, raw in enumerate(doc["claims"]):
        claim = _parse_claim(raw, i, path)
        if claim.id in seen:
            raise ClaimsError(f"claim {claim.id!r}, field 'id': used twice; ids must be unique. Fix it in {path}.")
        seen.add(claim.id)
        claims.append(claim)
    return claims


@lru_cache(maxsize=1)
def _registry() -> tuple[Claim, ...]:
    return tuple(load_claims(REGISTRY))


@lru_cache(maxsize=4)
def _paper(path: Path) -> tuple:
    doc = _document(path)
    _claims_of(doc, path)                       # the whole file is valid before its `paper:` is used
    return tuple(doc["paper"].items())


def paper(path: str | Path = REGISTRY) -> dict:
    """The registry's ``paper:`` mapping (``citation``, ``doi``), after :func:`load_claims` has validated the file."""
    return dict(_paper(paths.resolve(path)))


def get(claim_id: str, claims: list[Claim] | None = None) -> Claim:
    """The claim with id ``claim_id`` (from ``claims``, default the committed registry)."""
    pool = claims if claims is not None else _registry()
    for c in pool:
        if c.id == claim_id:
            return c
    near = difflib.get_close_matches(claim_id, [c.id for c in pool], n=3)
    hint = f"; did you mean {', '.join(near)}?" if near else "; see data/published/claims.yaml for the ids"
    raise ClaimsError(f"no claim {claim_id!r} in the registry{hint}")


def _metric_text(metric: dict | None) -> str:
    return "" if metric is None else "; ".join(f"{k}={v}" for k, v in metric.items())


def claims_frame(claims: list[Claim] | None = None) -> pd.DataFrame:
    """The registry as a tidy DataFrame, one row per claim.

    Columns: every :class:`Claim` field (``metric`` rendered ``key=value; …``,
    ``reference`` comma-joined), the resolution split into ``resolution_n``,
    ``resolution_denominator``, ``resolution_value``, ``resolution_why``, and
    ``target_count`` (:func:`target_count`).
    """
    claims = list(claims if claims is not None else _registry())
    skip = {"metric", "resolution", "given", "reference"}
    rows = []
    for c in claims:
        row = {f.name: getattr(c, f.name) for f in fields(Claim) if f.name not in skip}
        row["reference"] = None if c.reference is None else ", ".join(map(str, c.reference))
        row["metric"] = _metric_text(c.metric)
        r = c.resolution
        row.update(resolution_n=r and r.n, resolution_denominator=r and r.denominator,
                   resolution_value=r and r.value, resolution_why=r and r.why, target_count=target_count(c))
        rows.append(row)
    frame = pd.DataFrame(rows)
    for name in ("n", "pct_decimals", "denominator", "p_decimals", "resolution_n", "resolution_denominator",
                 "target_count"):
        frame[name] = frame[name].astype("Int64")
    return frame
