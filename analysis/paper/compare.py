"""This cohort against the published study: each comparable claim with both values, a difference and a p.

On the paper's reconstruction (the synthetic default) a notebook's claims
section asks "did we reproduce the paper?" (:mod:`analysis.paper.reconcile`).
On any other data it asks "are my patients and results like the study's?";
:func:`mode` picks the question from the data's provenance and
:func:`cohort_vs_published` answers the second one. Each claim's ``metric`` is
evaluated by :mod:`~analysis.paper.reconcile`'s measurements, so a claim means
the same thing in both questions.

What each kind of claim becomes (this cohort first, published second):

* **proportions** (and counts of patients, read as a share of all patients) —
  the difference of the two proportions with the Newcombe hybrid score 95%
  CI and Fisher's exact two-sided p on the two 2 × 2 counts
  (:func:`analysis.stats.compare.difference_of_proportions`). The published
  count and denominator are the audit's (:func:`~analysis.paper.claims.target_count`,
  ``effective_denominator``): the printed count, else the count the printed
  percentage implies, else the recorded resolution — e.g. ORR 64% of 39 is 25/39.
* **medians of continuous variables** — the published median (range) beside
  this cohort's median (range) and its distribution-free 95% CI from order
  statistics (:func:`analysis.stats.compare.median_ci`). No test: the published
  values are not available, and treating the published median as a known
  constant (a one-sample sign test) would ignore its own sampling error. The
  note says whether the published median lies inside this cohort's CI.
* **Kaplan–Meier medians** — this cohort's median and 95% CI (R's rules,
  :func:`analysis.stats.km.median_ci`) beside the published median and CI. No
  test: the paper gives no standard error, and a CI with an unreached bound
  cannot be turned into one; the curves are compared against the
  reconstructed published curves instead (log-rank range over the ensemble,
  :mod:`analysis.stats.ensemble`). The paper prints no landmark survival, so
  there is no landmark row; :func:`analysis.study.versus_published.landmark_summary`
  sets this cohort's 6- and 12-month survival beside the reconstruction's.
* **not comparable**, with the reason — the number of patients or centres (a
  size, not a rate), a log-rank p (a test inside each cohort), the inclusion
  period, claims without a metric, other studies' figures.

A claim printed twice (text and Table 1) is one comparison: the second row
names the first in ``duplicate_of`` and repeats its numbers. The p-values are
two-sided and **unadjusted**; ``p_holm`` adjusts them over the table's
comparisons (Holm; :func:`analysis.stats.compare.holm`), whose number is in
``n_comparisons``. A descriptive comparison of two observational cohorts, not
a test of the strategy: :func:`framing` says so in words.

This module computes; it formats nothing beyond the paper's own printed text
(``published``) and the notes. The rounded display table is
:func:`analysis.study.versus_published.display`, which writes every number
through :mod:`analysis.render.numbers` (``paper`` may not import ``render``).

Why one module of over 400 lines: every comparable claim kind (proportion, median, KM point) is
evaluated by one dispatcher (:func:`cohort_vs_published`) over shared row builders; the kinds are
split out when the comparison becomes one row per quantity (the clinician-facing redesign).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..exceptions import ClaimsError
from ..stats import compare as stats_compare
from ..stats import km
from ..stats.proportions import clopper_pearson
from . import claims as claims_mod
from . import reconcile
from .rounding import printed_text

MODES = ("reproduction", "comparison")
#: Provenance key marking a file as a reconstruction of the paper; its value is the paper's DOI.
RECONSTRUCTION_KEY = "reconstruction_of"
#: Files made by the compendium's own generator are reconstructions of the paper.
GENERATOR_PREFIX = "analysis.paper.synthetic"

TESTED, DESCRIPTIVE, NOT_COMPARABLE = "difference of proportions", "estimates side by side", "not comparable"
VALUE_COLUMNS = [
    "claim_id",
    "section",
    "kind",
    "comparison",
    "unit",
    "published",
    "published_pct",
    "published_pct_decimals",
    "published_k",
    "published_n",
    "published_value",
    "published_lower",
    "published_upper",
    "cohort_k",
    "cohort_n",
    "cohort_value",
    "cohort_lower",
    "cohort_upper",
    "cohort_min",
    "cohort_max",
    "ci_coverage",
    "difference",
    "difference_lower",
    "difference_upper",
    "p_value",
    "p_holm",
    "duplicate_of",
    "n_comparisons",
    "note",
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


# ----------------------------------------------------------------------------- published counts
def _population(claim_list) -> int | None:
    """The published number of patients (the denominator of counts over 'all')."""
    try:
        return claims_mod.target_count(claims_mod.get("t1.n_patients", claim_list))
    except ClaimsError:
        return None


def published_counts(c, population: int | None) -> tuple[int | None, int | None, str]:
    """(k, N, how) of a proportion or patient-count claim as the audit reads it; (None, None, why) if none."""
    k = claims_mod.target_count(c)
    if c.kind == "count":
        if "distinct" in c.metric:
            return None, None, "a number of centres, not a share of patients"
        if c.metric.get("denominator", "all") != "all" or population is None:
            return None, None, "a count without a published denominator"
        if k == population:
            return None, None, "the number of patients, a size rather than a rate"
        return k, population, f"count read as a share of all {population} patients"
    n = c.effective_denominator
    if k is None or n is None:
        return None, None, "the paper prints no count or denominator that fixes the proportion"
    if c.resolution is not None and (c.resolution.n is not None or c.resolution.denominator is not None):
        how = "published count from the audit's resolution"
    elif c.n is None:
        how = f"published count implied by the printed {printed_text(c.pct, c.pct_decimals)} of {n}"
    else:
        how = ""
    return k, n, how


# ----------------------------------------------------------------------------- rows
def _row(c, **values) -> dict:
    row = dict.fromkeys(VALUE_COLUMNS, np.nan)
    row.update(
        claim_id=c.id,
        section=c.section,
        kind=c.kind,
        published=reconcile._published(c),
        unit=c.unit or "",
        duplicate_of="",
        note="",
    )
    row.update(values)
    return row


def _not_comparable(c, why: str, **values) -> dict:
    return _row(c, comparison=NOT_COMPARABLE, note=why, **values)


def _proportion(c, tables, population, level) -> dict:
    k, n, how = published_counts(c, population)
    if k is None:
        num, den = reconcile.proportion_counts(c, tables)
        return _not_comparable(c, how, cohort_k=num, cohort_n=den)
    num, den = reconcile.proportion_counts(c, tables)
    d = stats_compare.difference_of_proportions(num, den, k, n, level)
    note = how if d.estimable else "; ".join(x for x in (f"not estimable: {d.reason}", how) if x)
    printed = c.kind == "proportion" and c.pct is not None
    return _row(
        c,
        comparison=TESTED,
        unit="proportion",
        published_pct=c.pct if printed else np.nan,
        published_pct_decimals=c.pct_decimals if printed else pd.NA,
        published_k=k,
        published_n=n,
        published_value=d.p2,
        cohort_k=num,
        cohort_n=den,
        cohort_value=d.p1,
        difference=d.difference,
        difference_lower=d.lower,
        difference_upper=d.upper,
        p_value=d.p_value,
        note=note,
    )


def _median(c, tables, level) -> dict:
    values = reconcile.median_values(c, tables)
    m = stats_compare.median_ci(values.to_numpy(), level)
    lo_pub, hi_pub = (c.min, c.max) if c.min is not None else (np.nan, np.nan)
    if m.n == 0:
        note = "no values in this cohort"
    elif not m.estimable:
        note = f"descriptive, no test; CI not estimable: {m.reason}"
    else:
        inside = m.lower <= c.value <= m.upper
        note = (
            f"descriptive, no test (the published values are not available); the published median lies "
            f"{'inside' if inside else 'outside'} this cohort's {100 * level:g}% CI (order statistics "
            f"x({m.rank_lower})–x({m.rank_upper}), exact coverage in ci_coverage)"
        )
    if c.resolution is not None and c.resolution.value is not None:
        note += f"; the audit reads the published median as {c.resolution.value:g}"
    return _row(
        c,
        comparison=DESCRIPTIVE,
        published_value=c.value,
        published_lower=lo_pub,
        published_upper=hi_pub,
        cohort_n=m.n,
        cohort_value=m.median,
        cohort_lower=m.lower,
        cohort_upper=m.upper,
        cohort_min=float(values.min()) if len(values) else np.nan,
        cohort_max=float(values.max()) if len(values) else np.nan,
        ci_coverage=m.coverage,
        note=note,
    )


def _nan(x) -> float:
    return np.nan if x is None else float(x)


def _printed(x) -> str:
    """A published number as the registry records it (no rounding: it is the paper's text)."""
    return "NR" if x is None else repr(x).removesuffix(".0") if isinstance(x, float) else str(x)


def _km(c, tables) -> dict:
    time, event = reconcile.km_sample(c, tables)
    ci = f" (95% CI {_printed(c.ci_lower)}–{_printed(c.ci_upper)})" if c.has_ci else ""
    pub = dict(
        published=f"{_printed(c.value)}{ci}",
        published_value=_nan(c.value),
        published_lower=_nan(c.ci_lower) if c.has_ci else np.nan,
        published_upper=_nan(c.ci_upper) if c.has_ci else np.nan,
    )
    if len(time) == 0:
        return _row(c, comparison=DESCRIPTIVE, cohort_n=0, cohort_k=0, note="no patients in this group", **pub)
    med, lo, hi = km.median_ci(time, event)
    note = (
        "descriptive, no test: the paper gives no standard error for its median; the curves are compared "
        "with the reconstructed published curves (log-rank range over the ensemble)"
    )
    if not c.has_ci:
        note += "; the paper prints no CI here"
    return _row(
        c,
        comparison=DESCRIPTIVE,
        cohort_n=len(time),
        cohort_k=int(np.sum(event)),
        cohort_value=med,
        cohort_lower=lo,
        cohort_upper=hi,
        note=note,
        **pub,
    )


def _evaluate(c, tables, population, level) -> dict:
    why = reconcile.not_recomputed(c)
    if why:
        return _not_comparable(c, why)
    if c.kind in ("proportion", "count"):
        return _proportion(c, tables, population, level)
    if c.kind == "median_range":
        return _median(c, tables, level)
    if c.kind == "km_median":
        return _km(c, tables)
    if c.kind == "logrank_p":
        return _not_comparable(
            c,
            f"a test inside each cohort ({c.endpoint} by {c.by}), not a quantity the two "
            f"cohorts share; shown side by side",
            published_value=c.p,
            cohort_value=reconcile.logrank_value(c, tables),
        )
    if c.kind == "period":
        first, last = reconcile.period_months(c, tables)
        return _not_comparable(c, f"the calendar period of inclusion (this cohort {first} – {last})")
    return _not_comparable(c, f"kind {c.kind!r} has no comparison")


def _key(row) -> tuple:
    """Two rows are one comparison when they measure the same metric and state the same published numbers."""
    fields = ("published_k", "published_n", "published_value", "published_lower", "published_upper")
    return (row["_metric"], row["comparison"], *(None if pd.isna(row[f]) else float(row[f]) for f in fields))


def cohort_vs_published(
    patients: pd.DataFrame, sections=None, ids=None, claim_list=None, level: float = 0.95
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

    Returns
    -------
    pandas.DataFrame
        One row per claim, columns :data:`VALUE_COLUMNS`: proportions as
        fractions (``unit`` "proportion"), medians in the claim's unit,
        survival in months; ``p_holm`` over the ``n_comparisons`` distinct
        comparisons with a p; ``note`` says how the published count was read,
        why a row is not tested or not comparable.
    """
    claim_list = list(claim_list or claims_mod._registry())  # parsed once per session
    tables = reconcile.analysis_tables(patients)
    population = _population(claim_list)
    rows = []
    for c in reconcile.select(claim_list, sections, ids):
        row = _evaluate(c, tables, population, level)
        row["_metric"] = repr(sorted(c.metric.items())) if c.metric else c.id
        rows.append(row)
    first: dict[tuple, dict] = {}
    for row in rows:
        key = _key(row)
        if row["comparison"] != NOT_COMPARABLE and key in first:
            row["duplicate_of"] = first[key]["claim_id"]
        else:
            first.setdefault(key, row)
    family = [r for r in rows if r["comparison"] == TESTED and not r["duplicate_of"] and not math.isnan(r["p_value"])]
    adjusted = stats_compare.holm([r["p_value"] for r in family])
    for r, p in zip(family, adjusted):
        r["p_holm"] = float(p)
    by_id = {r["claim_id"]: r for r in rows}
    for r in rows:
        if r["duplicate_of"]:
            r["p_holm"] = by_id[r["duplicate_of"]]["p_holm"]
            r["note"] = "; ".join(x for x in (f"the same comparison as {r['duplicate_of']}", r["note"]) if x)
        r["n_comparisons"] = len(family)
        del r["_metric"]
    table = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    for name in ("published_pct_decimals", "published_k", "published_n", "cohort_k", "cohort_n", "n_comparisons"):
        table[name] = table[name].astype("Int64")
    return table


# ----------------------------------------------------------------------------- framing
def framing(values: pd.DataFrame, level: float = 0.95) -> str:
    """The sentence printed with the table: what it is, how many comparisons, what the p-values are."""
    m = int(values["n_comparisons"].iloc[0]) if len(values) else 0
    described = int((values["comparison"] == DESCRIPTIVE).sum())
    medians = (
        f"{described} median{'s' if described != 1 else ''} set beside the published value without a test; "
        if described
        else ""
    )
    return (
        f"A descriptive comparison of two observational cohorts, not a test of the debulking strategy. "
        f"{m} comparison{'s' if m != 1 else ''} of proportions: this cohort − published, with the Newcombe "
        f"{100 * level:g}% CI and Fisher's exact two-sided p, unadjusted, and Holm-adjusted over the {m}. "
        f"{medians}rows marked 'not comparable' say why."
    )


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
]
