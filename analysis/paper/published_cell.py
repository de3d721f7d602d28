"""What the paper printed for a quantity, what the comparison uses, and the audit's flag where they differ.

A clinician checking a comparison row against the paper needs three things in the published cell:

* :func:`printed` — **the paper's printed text**, verbatim: the cell of Table 1 ("22 (50)") or the
  words of the text ("73% after C3 (n = 12/15)"), with where it is printed. Never recomputed, never
  rounded again: the registry's ``quote`` (checked verbatim against ``data/published/`` by
  ``tests/paper/test_claims.py``).
* :func:`compared` — **the numbers the comparison uses**: the count and denominator of a proportion
  ("12/15"), with how they were read when the paper does not print them both (a count implied by a
  printed percentage of a stated denominator; the audit's resolution).
* :func:`flag` — **the audit's finding where the two disagree**: a printed percentage that its own
  count and denominator cannot give (12/15 is 80%, the paper prints 73%), a count or denominator the
  audit had to resolve, the same quantity printed differently elsewhere in the paper (median age 66
  in Table 1, 67 in the text). Empty when the printed text and the compared numbers agree.

The percentages are compared under every rounding rule the audit knows (:mod:`analysis.paper.rounding`):
a printed 9.1% is consistent with 4/44 = 9.09%.
"""

from __future__ import annotations

from . import claims as claims_mod
from .rounding import fraction_text, printed_text, rules_fitting

#: Where a claim's text is printed, by the registry's ``source``.
PLACES = {"table1": "Table 1", "text": "Results", "discussion": "Discussion", "external": "cited"}


def printed(c) -> str:
    """The paper's printed text of claim ``c`` with its place: 'Table 1: 22 (50)', 'Results: “…”'."""
    place = PLACES.get(c.source, c.source)
    if c.source == "table1":
        return f"{place}: {c.quote.split(' | ')[-1]}"
    return f"{place}: “{c.quote}”"


def compared(c, k, n, how: str = "") -> str:
    """The published numbers the comparison uses: 'k/n' (and how they were read), or '' when none is."""
    if k is None or n is None:
        return ""
    return f"{k}/{n}" + (f" ({how})" if how else "")


def _percent_conflict(c, k, n) -> str:
    if c.kind != "proportion" or c.pct is None or k is None or not n:
        return ""
    if rules_fitting(k, n, c.pct, c.pct_decimals or 0):
        return ""
    return (
        f"inconsistent: the paper prints {printed_text(c.pct, c.pct_decimals or 0)} but "
        f"{fraction_text(k, n, c.pct_decimals or 0)}"
    )


def _numbers(c) -> tuple:
    """The published numbers of a claim as the audit reads them, to tell whether two claims print one
    quantity alike: count and denominator of a proportion, value and limits of a median."""
    if c.kind in ("proportion", "count"):
        return claims_mod.target_count(c), c.effective_denominator if c.kind == "proportion" else None
    return tuple(getattr(c, f, None) for f in ("value", "min", "max", "ci_lower", "ci_upper", "p"))


def flag(c, k=None, n=None, others=()) -> str:
    """The audit's finding on claim ``c`` as compared with counts ``k``/``n``; '' when there is none.

    ``others`` are the other claims stating the same quantity (:mod:`analysis.paper.quantities`):
    one printing different numbers is named with its text.
    """
    findings = []
    conflict = _percent_conflict(c, k, n)
    if conflict:
        findings.append(conflict)
    if c.resolution is not None:
        findings.append(f"the audit's resolution: {c.resolution.why}")
    differing = [o for o in others if _numbers(o) != _numbers(c) and o.kind == c.kind]
    if differing:
        findings.append("printed differently elsewhere: " + "; ".join(f"{o.id} {printed(o)}" for o in differing))
    return " — ".join(findings)


__all__ = ["PLACES", "compared", "flag", "printed"]
