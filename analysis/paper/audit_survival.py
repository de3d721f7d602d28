"""The audit's checks of the survival results: Kaplan–Meier medians and follow-up.

* ``km_position`` — an overall median lies between the medians of two groups meant to partition
  the cohort (the ``km_sets`` of the registry's ``audit:`` section).
* ``km_ci`` — each printed confidence interval contains its median.
* ``km_order`` — median PFS ≤ median OS, group by group (text claims).
* ``followup`` — the longest follow-up fits between the first inclusion month and the date the
  paper was received (``followup``), and every reached median lies within the follow-up.
"""

from __future__ import annotations

import math
from datetime import date

from ..data.derive import DAYS_PER_MONTH
from .audit_spec import AuditSpec
from .audit_table import Registry, nr, row
from .claims import Claim


def _inf(x) -> float:
    return math.inf if x is None else float(x)


def _position_rows(by_id: Registry, spec: AuditSpec) -> list[dict]:
    rows = []
    for km in spec.km_sets:
        o = by_id[km.overall]
        g = [by_id[i] for i in km.groups]
        lo, hi = sorted(_inf(c.value) for c in g)
        passed = lo <= _inf(o.value) <= hi
        groups = " and ".join(f"{nr(c.value)} ({c.group})" for c in g)
        if passed:
            expl = f"{o.endpoint} overall median {nr(o.value)} lies between {groups}"
            equal = [c.group for c in g if c.value == o.value]
            if equal:
                expl += f" (equal to the {equal[0]} median)"
        else:
            side = "above" if _inf(o.value) > hi else "below"
            expl = (
                f"{o.endpoint} overall median {nr(o.value)} lies {side} both {groups}: two groups that partition "
                f"the cohort normally bracket the pooled median (its survival curve mixes theirs); consistent if "
                f"some patients are in neither group (not tested)"
            )
        rows.append(row(km.id, "km_position", [o.id, *km.groups], passed, expl, judged=list(km.groups)))
    return rows


def km_rows(claims: list[Claim], by_id: Registry, spec: AuditSpec) -> list[dict]:
    """The ``km_position``, ``km_ci`` and ``km_order`` rows."""
    rows = _position_rows(by_id, spec)
    for c in claims:
        if c.kind == "km_median" and c.has_ci:
            lower = -math.inf if c.ci_lower is None else c.ci_lower
            passed = lower <= _inf(c.value) <= _inf(c.ci_upper)
            rows.append(
                row(
                    f"km_ci.{c.id}",
                    "km_ci",
                    [c.id],
                    passed,
                    f"{c.endpoint} {c.group}: {nr(c.ci_lower)} ≤ {nr(c.value)} ≤ {nr(c.ci_upper)}"
                    + ("" if passed else " does not hold"),
                )
            )
    medians = {(c.endpoint, c.group): c for c in claims if c.kind == "km_median" and c.source == "text"}
    for (endpoint, group), pfs in medians.items():
        os_ = medians.get(("OS", group))
        if endpoint != "PFS" or os_ is None:
            continue
        passed = _inf(pfs.value) <= _inf(os_.value)
        rows.append(
            row(
                f"km_order.{group.lower().replace(' ', '_')}",
                "km_order",
                [pfs.id, os_.id],
                passed,
                f"{group}: median PFS {nr(pfs.value)} {'≤' if passed else '>'} median OS {nr(os_.value)} "
                f"(PFS can never exceed OS)",
            )
        )
    return rows


def followup_rows(claims: list[Claim], by_id: Registry, spec: AuditSpec) -> list[dict]:
    """The ``followup`` rows: the study window (months of :data:`~analysis.data.derive.DAYS_PER_MONTH` days)."""
    fu, period = by_id[spec.followup.followup], by_id[spec.followup.period]
    received = spec.followup.received
    first = date.fromisoformat(period.start + "-01")
    window = (received - first).days / DAYS_PER_MONTH
    rows = [
        row(
            "followup.window",
            "followup",
            [fu.id, period.id],
            fu.max <= window,
            f"longest follow-up {fu.max:g} months ≤ {window:.1f} months from the first inclusion month "
            f"({period.start}) to the paper's reception ({received.isoformat()})",
        )
    ]
    km = [c for c in claims if c.kind == "km_median" and c.value is not None]
    longest = max(km, key=lambda c: c.value)
    rows.append(
        row(
            "followup.medians_observed",
            "followup",
            [fu.id, longest.id],
            longest.value <= fu.max,
            f"every reached KM median ≤ longest follow-up: largest {longest.value:g} ({longest.id}) "
            f"{'≤' if longest.value <= fu.max else '>'} {fu.max:g} months",
        )
    )
    return rows
