"""This cohort against the published study, one row per quantity: both values, a difference and a p.

On the paper's reconstruction (the synthetic default) a notebook's claims
section asks "did we reproduce the paper?" (:mod:`analysis.paper.reconcile`).
On any other data it asks "are my patients and results like the study's?";
:func:`mode` picks the question from the data's provenance and
:func:`cohort_vs_published` answers the second one. Each claim's ``metric`` is
evaluated by :mod:`~analysis.paper.reconcile`'s measurements, so a claim means
the same thing in both questions.

* **One row per quantity** (:mod:`analysis.paper.quantities`): a quantity the
  paper prints in several places (Table 1 and the text, the discussion) is one
  row, compared through its first claim; ``also_stated_in`` lists the others.
  Each row carries its label in words with population and unit (``label``) and
  the registry id (``claim_id``) for traceability.
* **The published cell** (:mod:`analysis.paper.published_cell`): the paper's
  printed text verbatim (``published``), the numbers compared
  (``published_compared``) and the audit's ``flag`` where they disagree.
* **The comparison of each kind** (:mod:`analysis.paper.compare_rows`):
  proportions by the Newcombe CI and Fisher's exact test, Kaplan–Meier medians
  by an approximate test from the two CIs, continuous medians side by side (no
  test, and why), other studies as context rows, the rest not comparable with
  the reason.
* **One multiplicity family per domain** (:mod:`analysis.paper.multiplicity`):
  Holm within baseline, safety, response and survival, over the whole registry
  whatever rows are selected, so a row has the same adjusted p in every notebook
  and table; ``family`` and ``family_size`` are beside it.

The p-values are two-sided; ``p_value`` unadjusted, ``p_holm`` adjusted. A
descriptive comparison of two observational cohorts, not a test of the
strategy: :func:`framing` says so in words. This module computes; it formats
nothing beyond the paper's own printed text; the rounded display table is
:func:`analysis.study.versus_published.display` (``paper`` may not import
``render``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats.proportions import clopper_pearson
from . import claims as claims_mod
from . import multiplicity, published_cell, quantities, reconcile
from .compare_rows import (
    APPROXIMATE,
    CONTEXT,
    DESCRIPTIVE,
    NOT_COMPARABLE,
    ROW_COLUMNS,
    TESTED,
    RowMeasurements,
    evaluate,
    published_counts,
)
from .compare_rows import population as _population

MODES = ("reproduction", "comparison")
#: Provenance key marking a file as a reconstruction of the paper; its value is the paper's DOI.
RECONSTRUCTION_KEY = "reconstruction_of"
#: Files made by the compendium's own generator are reconstructions of the paper.
GENERATOR_PREFIX = "analysis.paper.synthetic"
#: The quantity's columns, then the row's (:data:`analysis.paper.compare_rows.ROW_COLUMNS`), then the adjustment.
VALUE_COLUMNS = [
    "quantity",
    "label",
    "population",
    *ROW_COLUMNS[:4],
    "published",
    "published_compared",
    "flag",
    *ROW_COLUMNS[4:],
    "p_holm",
    "family",
    "family_size",
    "also_stated_in",
]

#: The key rates of the forest plot: (label, claim id), top to bottom.
KEY_RATES = (
    ("ORR after C1", "txt.orr_c1"),
    ("ORR after C3", "txt.orr_c3"),
    ("ORR after C6", "txt.orr_c6"),
    ("≥VGPR after C1", "txt.vgpr_c1"),
    ("CRS, any grade", "t1.crs"),
    ("Grade ≥3 infection", "txt.infections_g3plus"),
    ("ICANS, any grade", "t1.icans"),
    ("EMD at baseline", "t1.emd"),
    ("HRCA at baseline (any abnormality)", "txt.hrca"),
)
RATE_COLUMNS = ["label", "claim_id", "series", "k", "n", "estimate", "lower", "upper"]


# ----------------------------------------------------------------------------- which question
def mode(cohort) -> str:
    """ "reproduction" for a reconstruction of the paper, "comparison" for any other data.

    A file is a reconstruction when its provenance (``<file>.provenance.yaml``,
    :class:`analysis.data.io.Source`) says ``synthetic: true`` **and** either was
    written by the compendium's generator (``generator: analysis.paper.synthetic…``,
    the committed default cohort) or names the paper under ``reconstruction_of:``
    (its DOI, as in ``data/published/claims.yaml``). Anything else — a centre's
    export, a file without provenance, a synthetic file that reconstructs no
    paper such as the test fixture — is compared with the published study.

    Parameters
    ----------
    cohort : analysis.data.cohort.Cohort or analysis.data.io.Source
    """
    source = getattr(cohort, "source", cohort)
    prov = source.provenance or {}
    if prov.get("synthetic") is not True:
        return "comparison"
    made_here = str(prov.get("generator", "")).startswith(GENERATOR_PREFIX)
    names_paper = str(prov.get(RECONSTRUCTION_KEY, "")).strip().lower() == claims_mod.paper()["doi"].lower()
    return "reproduction" if made_here or names_paper else "comparison"


# ----------------------------------------------------------------------------- the table
def _quantity_row(q, by_id, claim_list, tables, n_patients, level) -> dict:
    c = by_id[q.primary]
    others = [by_id[i] for i in q.claims[1:] if i in by_id]
    r = evaluate(c, tables, n_patients, claim_list, level)
    k, n = (r["published_k"], r["published_n"]) if r["comparison"] == TESTED else (None, None)
    how = published_counts(c, n_patients)[2] if k is not None else ""
    label = q.text
    if r["comparison"] == TESTED and c.kind == "count":  # a count compared as a share of all patients
        label = f"{q.label}, {q.population}, n (%)"
    compared = published_cell.compared(c, k, n, how)
    if r["comparison"] == CONTEXT and c.value is not None:
        compared = f"{c.value:g} {c.unit or ''} in {c.study}".replace("  ", " ")
    r.update(
        quantity=q.id,
        label=label,
        population=q.population,
        also_stated_in="; ".join(f"{o.id} ({published_cell.printed(o)})" for o in others),
        family=multiplicity.family_of(c.section),
        published=published_cell.printed(c),
        published_compared=compared,
        flag=published_cell.flag(c, k, n, others),
    )
    return r


def cohort_vs_published(
    patients: pd.DataFrame | None, sections=None, ids=None, claim_list=None, level: float = 0.95, measurements=None
) -> pd.DataFrame:
    """The unrounded "this cohort vs the published study" table (see the module docstring).

    Parameters
    ----------
    patients : DataFrame
        A validated patient table (``cohort.patients``).
    sections, ids : iterables of str, optional (default=None: every claim)
        The claims of these sections (the lists the notebooks pass to
        :func:`analysis.paper.reconcile.published_vs_reproduced`) or with these ids.
    claim_list : list of Claim, optional (default=None: the committed registry)
    level : float, optional (default=0.95)
        Confidence level of every interval.
    measurements : optional (default=None: ``RowMeasurements(patients)``)
        Where the cohort's numbers come from: its patient rows, or pooled centre summaries
        (:class:`analysis.study.federated.measurements.PooledMeasurements`; ``patients`` is then None).

    Returns
    -------
    pandas.DataFrame
        One row per quantity (:mod:`analysis.paper.quantities`) whose compared claim is selected
        (``sections``: the claim's section; ``ids``: any claim of the quantity), columns
        :data:`VALUE_COLUMNS`: proportions as fractions (``unit`` "proportion"), medians in the
        claim's unit, survival in months; ``p_holm`` within the quantity's ``family`` of
        ``family_size`` tests (always the whole registry's); ``note`` says how the published count
        was read, why a row is not tested or not comparable.
    """
    claim_list = list(claim_list or claims_mod._registry())  # parsed once per session
    tables = measurements if measurements is not None else RowMeasurements(patients)
    n_patients = _population(claim_list)
    by_id = {c.id: c for c in claim_list}
    every = _quantities(claim_list)
    rows = [_quantity_row(q, by_id, claim_list, tables, n_patients, level) for q in every]
    multiplicity.adjust(rows)  # over every quantity of each family, whatever is selected below
    chosen = {c.id for c in reconcile.select(claim_list, sections, ids)}
    rows = [
        r
        for r, q in zip(rows, every)
        if (sections is None or by_id[q.primary].section in sections) and (ids is None or chosen & set(q.claims))
    ]
    table = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    for name in ("published_pct_decimals", "published_k", "published_n", "cohort_k", "cohort_n", "family_size"):
        table[name] = table[name].astype("Int64")
    return table


def _quantities(claim_list) -> tuple:
    """The committed quantities over the claims given; a claim in none is a quantity of its own (its quote
    as label), so a caller's own claim list still gives one row per claim."""
    committed = quantities.load()
    known = {c.id for c in claim_list}
    kept = [q for q in committed if q.primary in known]
    covered = {i for q in kept for i in q.claims}
    own = [
        quantities.Quantity(c.id, c.quote, "as stated in the paper", c.unit or "as printed", (c.id,))
        for c in claim_list
        if c.id not in covered
    ]
    return (*kept, *own)


# ----------------------------------------------------------------------------- framing
def framing(values: pd.DataFrame, level: float = 0.95) -> str:
    """The sentence printed with the table: what it is, the tests in each family, what the p-values are."""
    sizes = values.drop_duplicates("family").set_index("family")["family_size"].to_dict() if len(values) else {}
    families = ", ".join(f"{f} {int(sizes[f])}" for f in multiplicity.FAMILIES if f in sizes)
    counts = values["comparison"].value_counts() if len(values) else pd.Series(dtype=int)
    tested, approximate = int(counts.get(TESTED, 0)), int(counts.get(APPROXIMATE, 0))
    described, context = int(counts.get(DESCRIPTIVE, 0)), int(counts.get(CONTEXT, 0))
    parts = [
        "A descriptive comparison of two observational cohorts, not a test of the debulking strategy.",
        f"{tested} proportion{'s' if tested != 1 else ''}: this cohort − published, with the Newcombe "
        f"{100 * level:g}% CI and Fisher's exact two-sided p.",
    ]
    if approximate:
        parts.append(
            f"{approximate} median survival{'s' if approximate != 1 else ''}: the ratio this cohort / published "
            f"with an approximate p from the two CIs (Altman & Bland 2011)."
        )
    parts.append(
        f"p unadjusted, and Holm-adjusted within each domain's family over all its tests ({families or 'none'})."
    )
    if described or context:
        parts.append(
            f"{described} median{'s' if described != 1 else ''} side by side without a test, {context} "
            f"figure{'s' if context != 1 else ''} of other studies as context; every untested row says why."
        )
    return " ".join(parts)


# ----------------------------------------------------------------------------- forest plot rows
def key_rates(
    patients: pd.DataFrame,
    claim_list=None,
    level: float = 0.95,
    cohort_label: str = "This cohort",
    published_label: str = "Published study",
) -> pd.DataFrame:
    """The rows of the key-rates forest plot (:data:`KEY_RATES`): each rate for this cohort and the study.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RATE_COLUMNS`, two rows per rate (``series`` is
        ``cohort_label`` then ``published_label``); ``estimate``, ``lower``,
        ``upper`` are fractions with the exact Clopper–Pearson interval
        (:func:`analysis.stats.proportions.clopper_pearson`), ``nan`` over an
        empty denominator. Published counts as in :func:`published_counts`.
    """
    claim_list = list(claim_list or claims_mod._registry())  # parsed once per session
    tables = reconcile.analysis_tables(patients)
    population = _population(claim_list)
    rows = []
    for label, cid in KEY_RATES:
        c = claims_mod.get(cid, claim_list)
        k_pub, n_pub, _ = published_counts(c, population)
        k, n = reconcile.proportion_counts(c, tables)
        for series, kk, nn in ((cohort_label, k, n), (published_label, k_pub, n_pub)):
            lo, hi = clopper_pearson(kk, nn, level) if nn else (np.nan, np.nan)
            rows.append([label, cid, series, kk, nn, kk / nn if nn else np.nan, lo, hi])
    table = pd.DataFrame(rows, columns=RATE_COLUMNS)
    table[["k", "n"]] = table[["k", "n"]].astype("Int64")
    return table


__all__ = [
    "KEY_RATES",
    "MODES",
    "RATE_COLUMNS",
    "VALUE_COLUMNS",
    "cohort_vs_published",
    "framing",
    "key_rates",
    "mode",
    "published_counts",
    "APPROXIMATE",
    "CONTEXT",
    "DESCRIPTIVE",
    "NOT_COMPARABLE",
    "TESTED",
]
