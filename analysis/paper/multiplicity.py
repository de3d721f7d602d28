"""The multiplicity families of the comparison with the paper: one per clinical domain, fixed by the registry.

**The choice.** Holm's adjustment (:func:`analysis.stats.compare.holm`) is applied within each of
four families — the domains of the paper and of the notebooks that narrate them:

======== ==================================================================== ============
family   registry sections                                                    notebook
======== ==================================================================== ============
baseline cohort, baseline, cytogenetics, emd, debulking, bispecific           01_cohort
safety   safety                                                               02_safety
response response                                                             03_response
survival survival                                                             04_survival
======== ==================================================================== ============

A family holds every quantity of its domain that has a p-value (one per quantity, not per place the
paper prints it), whichever rows a caller shows. **Why per domain**: each domain answers one clinical
question ("are my patients like the study's?", "is the toxicity like?", "the response?", "the
survival?"), and a reader judges a domain's rows together; one family over the whole table (about a
hundred tests) would let the number of baseline rows decide whether a response difference is
significant, and a family per call (what a notebook happened to select) gave one row two adjusted
p-values — 0.027 in a notebook, 0.094 in the results table. **Why fixed by the registry**: the family
and its size are properties of the quantity, so the same row has the same adjusted p in every
notebook, table and figure. Rows with no p (descriptive, not comparable, context rows of other
studies) are in no family's count. Holm controls the family-wise error rate under any dependence
between the tests, which suits rows drawn from the same patients.
"""

from __future__ import annotations

import math

from ..stats import compare as stats_compare

#: family -> the registry sections in it (the notebooks' claims sections).
FAMILIES: dict[str, tuple[str, ...]] = {
    "baseline": ("cohort", "baseline", "cytogenetics", "emd", "debulking", "bispecific"),
    "safety": ("safety",),
    "response": ("response",),
    "survival": ("survival",),
}
_BY_SECTION = {section: family for family, sections in FAMILIES.items() for section in sections}


def family_of(section: str) -> str:
    """The family of a registry section; "" for a section in none (the external studies)."""
    return _BY_SECTION.get(section, "")


def adjust(rows: list[dict]) -> None:
    """Set ``p_holm`` and ``family_size`` on each row (dicts with ``family`` and ``p_value``), in place.

    Within each family, Holm over the rows with a finite ``p_value``; ``family_size`` is that number
    (on every row of the family, so a row without a p still says the size of its domain's family);
    rows outside every family get ``nan`` and 0.
    """
    for family in FAMILIES:
        members = [r for r in rows if r["family"] == family]
        tested = [r for r in members if not math.isnan(r["p_value"])]
        for r, p in zip(tested, stats_compare.holm([r["p_value"] for r in tested])):
            r["p_holm"] = float(p)
        for r in members:
            r["family_size"] = len(tested)
    for r in rows:
        if r["family"] not in FAMILIES:
            r["p_holm"], r["family_size"] = math.nan, 0


__all__ = ["FAMILIES", "adjust", "family_of"]
