"""Consistency audit of the claims registry: does the paper agree with itself?

:func:`audit` runs every check below on ``data/published/claims.yaml`` and
returns one row per check (``python -m analysis audit`` prints it). A failing
check is a place where the printed numbers cannot all be true at once; each
involved claim then carries a ``resolution:`` saying what the synthetic cohort
reproduces, and the audit reports whether one is recorded.

Which claims are compared with which, and the paper's facts the checks need
that are not claims of their own (the inclusion window read as 31 days, the
date the paper was received, the methods' wording), are declared in the
registry's ``audit:`` section (:mod:`analysis.paper.audit_spec`); no published
number or claim id is written in the audit's code.

Checks
------
* ``grim``, ``fraction``, ``rounding``, ``typo`` — printed percentages
  (:mod:`analysis.paper.audit_percentages`).
* ``sum`` — sub-categories against totals (:mod:`analysis.paper.audit_sums`;
  ``audit.sums`` and ``audit.subgroup_sums``).
* ``same_quantity`` — text vs Table 1, and other repeats (``audit.pairs``);
  ``definition`` — the methods' definitions against the reported group sizes
  (``audit.definitions``); ``units`` — a threshold whose printed unit cannot be
  meant, the methods' "peak >30 g/dl" M-protein (``audit.readings``): a WARN
  with the reading :mod:`analysis.data.derive` follows
  (:mod:`analysis.paper.audit_quantities`).
* ``km_position``, ``km_ci``, ``km_order`` — Kaplan–Meier medians: the overall
  median between its subgroup medians (``audit.km_sets``), each CI containing
  its median, PFS ≤ OS; ``followup`` — follow-up against the study window
  (``audit.followup``) (:mod:`analysis.paper.audit_survival`).

Each row has a ``status``: PASS; FAIL (the printed numbers cannot all be true);
or WARN, a check that holds only under a reading the paper does not state — a
unit, or patients left outside every printed category (the extramedullary
site counts, 4 + 5 + 10 of 22) — listed with the reading the cohort follows
(:mod:`analysis.paper.audit_table`).

:func:`implied_counts` lists every count the printed numbers imply;
:func:`analysis.paper.audit_readme.findings_markdown` renders the failures and
implied counts into ``data/published/README.md``
(``python -m analysis audit --write-readme``).
"""

from __future__ import annotations

import re

import pandas as pd

from .audit_percentages import grim_rows, rounding_row, typo_rows
from .audit_quantities import definition_rows, pair_rows, reading_rows
from .audit_spec import AuditSpec
from .audit_sums import sum_rows
from .audit_survival import followup_rows, km_rows
from .audit_table import COLUMNS, STATUSES, Registry, table  # noqa: F401 - COLUMNS, STATUSES: audit.COLUMNS
from .claims import Claim, load_audit, load_claims, target_count
from .rounding import fraction_text, printed_text


def audit(claims: list[Claim] | None = None, spec: AuditSpec | None = None) -> pd.DataFrame:
    """Run every consistency check on the claims registry.

    Parameters
    ----------
    claims : list of Claim, optional (default=None)
        The registry (default: :func:`analysis.paper.claims.load_claims`).
    spec : AuditSpec, optional (default=None)
        The check declarations (default: the committed registry's ``audit:``
        section, :func:`analysis.paper.claims.load_audit`).

    Returns
    -------
    pandas.DataFrame
        One row per check: ``check_id``, ``claim_ids`` (comma-joined),
        ``check`` (type), ``passed`` (bool: no inconsistency found — True for
        PASS and WARN), ``explanation`` (one line), ``implied`` (derived
        counts, may be empty), ``resolved`` (for a failing check: whether the
        claims it judges record a ``resolution``; True for a WARN, whose
        reading is recorded with the check; missing for a PASS),
        ``resolution`` (a failure's resolutions, ``id: fields — why``, or a
        WARN's reading) and ``status``: "PASS", "WARN" (the numbers hold
        together, but only under a reading the paper does not state: a unit,
        patients outside every printed category) or "FAIL". ``status`` is the
        last column so that readers of the earlier columns are unaffected.
        A check judges all its claims except where stated: ``definition.hrca``
        judges the reported HRCA count, the inclusion window the delays, the KM
        position check the two subgroup medians.

    Raises
    ------
    ClaimsError
        When a check needs a claim that ``claims`` lacks.
    """
    claims = load_claims() if claims is None else claims
    spec = load_audit() if spec is None else spec
    by_id = Registry((c.id, c) for c in claims)
    sums, _ = sum_rows(by_id, spec.sums)
    definitions, _ = definition_rows(by_id, spec)
    rows = (
        grim_rows(claims)
        + [rounding_row(claims)]
        + typo_rows(claims)
        + sums
        + pair_rows(by_id, spec)
        + definitions
        + km_rows(claims, by_id, spec)
        + followup_rows(claims, by_id, spec)
        + reading_rows(spec)
    )
    return table(rows, by_id)


def implied_counts(claims: list[Claim] | None = None, spec: AuditSpec | None = None) -> pd.DataFrame:
    """Every count the printed numbers imply but do not print.

    Parameters as :func:`audit`.

    Returns
    -------
    pandas.DataFrame
        ``quantity``, ``count``, ``of`` (denominator, if any), ``claim_ids``,
        ``derivation``. Rows come from (1) percentages printed without their
        count (:func:`analysis.paper.claims.target_count`, resolutions applied),
        (2) the sum checks that name a derived quantity, (3) the methods'
        definitions (HRCA, inclusion window), (4) denominators smaller than the
        population (patients with the variable missing).
    """
    claims = load_claims() if claims is None else claims
    spec = load_audit() if spec is None else spec
    by_id = Registry((c.id, c) for c in claims)
    rows = []
    for c in claims:
        if c.kind == "proportion" and c.n is None and c.pct is not None:
            k, d = target_count(c), c.effective_denominator
            how = f"{printed_text(c.pct, c.pct_decimals)} of {d} → {fraction_text(k, d, c.pct_decimals)}"
            if c.resolution is not None and c.resolution.n is not None:
                how += " (resolution)"
            rows.append({"quantity": c.quote, "count": k, "of": d, "claim_ids": c.id, "derivation": how})
    rows += sum_rows(by_id, spec.sums)[1] + definition_rows(by_id, spec)[1] + _missing_rows(claims)
    frame = pd.DataFrame(rows, columns=["quantity", "count", "of", "claim_ids", "derivation"])
    frame["count"] = frame["count"].astype("Int64")
    frame["of"] = frame["of"].astype("Int64")
    return frame


def _missing_rows(claims: list[Claim]) -> list[dict]:
    """Patients with a variable missing, one row per variable: population denominators the resolution lowers."""
    missing: dict[str, dict] = {}
    for c in claims:
        if (
            c.kind == "proportion"
            and c.denominator_source == "population"
            and c.effective_denominator
            and c.effective_denominator < c.denominator
        ):
            m = re.fullmatch(r"(\w+)\.notna\(\)", (c.metric or {}).get("denominator", ""))
            what = m.group(1) if m else "the denominator variable"
            entry = missing.setdefault(
                what,
                {
                    "quantity": f"patients with {what} missing",
                    "count": c.denominator - c.effective_denominator,
                    "of": c.denominator,
                    "claim_ids": [],
                    "derivation": f"{c.denominator} − "
                    f"{c.effective_denominator} (denominator that prints the percentage)",
                },
            )
            entry["claim_ids"].append(c.id)
    return [{**e, "claim_ids": ", ".join(e["claim_ids"])} for e in missing.values()]
