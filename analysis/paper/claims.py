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

The registry's parts have a module each: the file, its top level and the digest the
synthetic cohort records (:mod:`~analysis.paper.registry`); the field table of the claims
and the parser it drives (:mod:`~analysis.paper.claim_fields`); the ``audit:`` section
(:mod:`~analysis.paper.audit_spec`). This module holds the objects (:class:`Claim`,
:class:`Resolution`), the loaders and the accessors; the schema's names are re-exported
(``claims.KIND_FIELDS``, ``claims.SOURCES``, …).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import paths
from ..exceptions import ClaimsError
from .audit_spec import AuditSpec, parse_audit
from .claim_fields import (  # noqa: F401 - the schema, re-exported: claims.KIND_FIELDS, claims.SOURCES, …
    COMMON_FIELDS,
    DENOMINATOR_SOURCES,
    ENDPOINTS,
    EXTERNAL_UNITS,
    ID_PATTERN,
    ID_PREFIX,
    KIND_FIELDS,
    KINDS,
    LOGRANK_BY,
    METRIC_KEYS,
    MONTH_PATTERN,
    OPTIONAL_FIELDS,
    RESOLUTION_FIELDS,
    SECTIONS,
    SOURCES,
    TABLES,
    parse_claim_fields,
)
from .registry import REGISTRY, SCHEMA_VERSION, calibration_sha256, document  # noqa: F401 - re-exported
from .rounding import as_decimal, counts_fitting  # noqa: F401 - as_decimal re-exported


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
        or missing field, a wrong type, a duplicated id, an ``audit:`` entry
        that is malformed or names a claim the registry lacks. The message
        names the claim id (or the audit entry) and the field.
    """
    return list(_validated(paths.resolve(path))[0])


def load_audit(path: str | Path = REGISTRY) -> AuditSpec:
    """The registry's ``audit:`` section (:class:`~analysis.paper.audit_spec.AuditSpec`), the file validated.

    Raises
    ------
    ClaimsError
        As :func:`load_claims`, and when the registry has no ``audit:`` section.
    """
    path = paths.resolve(path)
    spec = _validated(path)[1]
    if spec is None:
        raise ClaimsError(
            f"{path} has no `audit:` section; the audit's checks are declared there (see data/published/README.md)."
        )
    return spec


def _validated(path: Path) -> tuple[tuple[Claim, ...], AuditSpec | None, tuple]:
    """The claims, the audit section and the ``paper:`` items of one registry file, every part checked."""
    doc = document(path)
    claims = _claims_of(doc, path)
    spec = parse_audit(doc["audit"], {c.id: c.kind for c in claims}, path) if "audit" in doc else None
    return tuple(claims), spec, tuple(doc["paper"].items())


def _claims_of(doc: dict, path: Path) -> list[Claim]:
    """The validated claims of a parsed registry document (see :func:`load_claims`)."""
    claims, seen = [], set()
    for i, raw in enumerate(doc["claims"]):
        values, resolution = parse_claim_fields(raw, i, path)
        claim = Claim(**values, resolution=None if resolution is None else Resolution(**resolution))
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
    return _validated(path)[2]  # the whole file is valid before its `paper:` is used


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
        row.update(
            resolution_n=r and r.n,
            resolution_denominator=r and r.denominator,
            resolution_value=r and r.value,
            resolution_why=r and r.why,
            target_count=target_count(c),
        )
        rows.append(row)
    frame = pd.DataFrame(rows)
    for name in (
        "n",
        "pct_decimals",
        "denominator",
        "p_decimals",
        "resolution_n",
        "resolution_denominator",
        "target_count",
    ):
        frame[name] = frame[name].astype("Int64")
    return frame
