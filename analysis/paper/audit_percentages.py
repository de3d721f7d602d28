"""The audit's checks of printed percentages: GRIM, "k/N" fractions, one rounding rule, a percent sign after a count.

* ``grim`` — can ``n`` out of the denominator print as the percentage under half-up, half-even or
  truncation (:func:`analysis.paper.grim.grim`)? Lists every denominator 1–60 that would fit;
  derives the count when only a percentage is printed.
* ``fraction`` — the same for subgroup results printed as "k/N" and a percentage, naming any other
  claim of the section whose printed value the percentage equals (copied?).
* ``rounding`` — is there one rounding rule that prints every percentage?
* ``typo`` — a count printed with a percent sign, "(n = 10%)".

Every proportion of the registry is checked; none is named here.
"""

from __future__ import annotations

import re

from .audit_table import row
from .claims import Claim, target_count
from .grim import grim
from .rounding import fraction_text, printed_text, rules_fitting

TYPO_PATTERN = re.compile(r"\(n = (\d+)%\)")


def _is_fraction(c: Claim) -> bool:
    """A subgroup result printed as "k/N" next to its percentage."""
    return c.kind == "proportion" and c.pct is not None and c.n is not None and c.denominator_source == "stated"


def grim_rows(claims: list[Claim]) -> list[dict]:
    """One ``grim`` or ``fraction`` row per proportion printed with a percentage."""
    rows = []
    for c in claims:
        if c.kind != "proportion" or c.pct is None:
            continue
        g = grim(c.n, c.pct, c.pct_decimals, c.denominator)
        if not _is_fraction(c):
            rows.append(row(f"grim.{c.id}", "grim", [c.id], g["passed"], g["explanation"], g["implied"]))
            continue
        expl = g["explanation"]
        if not g["passed"]:
            same = [
                o.id
                for o in claims
                if o.id != c.id
                and o.kind == "proportion"
                and o.pct == c.pct
                and o.section == c.section
                and not _is_fraction(o)
            ]
            if same:
                expl += f"; {printed_text(c.pct, c.pct_decimals)} is the printed value of {', '.join(same)} (copied?)"
        rows.append(row(f"fraction.{c.id}", "fraction", [c.id], g["passed"], expl))
    return rows


def rounding_row(claims: list[Claim]) -> dict:
    """One rule for all? Uses the resolved denominators and counts; claims no rule fits are left to grim."""
    by_rule: dict[str, list[tuple[Claim, str]]] = {"truncate": [], "round": []}
    for c in claims:
        if c.kind != "proportion" or c.pct is None:
            continue
        d = c.effective_denominator
        if d is None:
            continue
        k = c.n if c.n is not None else (c.resolution.n if c.resolution and c.resolution.n is not None else None)
        ks = [k] if k is not None else list(range(d + 1))
        fits = {(kk, r) for kk in ks for r in rules_fitting(kk, d, c.pct, c.pct_decimals)}
        rules = {r for _, r in fits}
        if not rules:
            continue
        kk = min(kk for kk, _ in fits)
        shown = f"{c.id} {fraction_text(kk, d, c.pct_decimals)} → {printed_text(c.pct, c.pct_decimals)}"
        if rules == {"truncate"}:
            by_rule["truncate"].append((c, shown))
        elif "truncate" not in rules:
            by_rule["round"].append((c, shown))
    trunc = by_rule["truncate"]
    rnd = sorted(by_rule["round"], key=lambda cs: cs[0].n is not None)  # derived counts first
    passed = not (trunc and rnd)
    examples = rnd[:3]
    expl = (
        ("no single rounding rule prints every percentage: " if not passed else "one rule fits: ")
        + f"truncation only — {'; '.join(s for _, s in trunc) or 'none'}; rounding only — {len(rnd)} claims"
        + (f", e.g. {'; '.join(s for _, s in examples)}" if examples else "")
    )
    implied = "; ".join(f"{c.id} = {target_count(c)}" for c, _ in trunc if c.n is None)
    return row("rounding.single_rule", "rounding", [c.id for c, _ in trunc], passed, expl, implied)


def typo_rows(claims: list[Claim]) -> list[dict]:
    """One failing ``typo`` row per quote printing "(n = k%)"."""
    rows = []
    for c in claims:
        m = TYPO_PATTERN.search(c.quote)
        if not m:
            continue
        k = int(m.group(1))
        fits = c.pct is not None and c.denominator and rules_fitting(k, c.denominator, c.pct, c.pct_decimals)
        why = (
            f" ({fraction_text(k, c.denominator, c.pct_decimals)} → {printed_text(c.pct, c.pct_decimals)})"
            if fits
            else ""
        )
        rows.append(
            row(
                f"typo.{c.id}",
                "typo",
                [c.id],
                False,
                f"'{m.group(0)}' prints a percent sign after the count; read as n = {k}{why}",
                f"n = {k}",
            )
        )
    return rows
