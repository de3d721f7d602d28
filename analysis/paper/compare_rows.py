"""One comparison row per kind of claim: this cohort's value beside the published one, with its test.

:func:`evaluate` dispatches a claim (the quantity's compared claim, :mod:`analysis.paper.quantities`)
to the builder of its kind; :mod:`analysis.paper.compare` groups the rows by quantity and adjusts the
p-values (:mod:`analysis.paper.multiplicity`). What each kind becomes (this cohort first, published
second):

* **proportions** (and counts of patients, read as a share of all patients) — the difference of the
  two proportions with the Newcombe hybrid score 95% CI and Fisher's exact two-sided p
  (:func:`analysis.stats.compare.difference_of_proportions`). The published count and denominator are
  the audit's (:func:`published_counts`): the printed count, else the count the printed percentage
  implies, else the recorded resolution — e.g. ORR 64% of 39 is 25/39.
* **medians of continuous variables** (age, prior lines, delays) — the published median (range)
  beside this cohort's median (range) and its distribution-free 95% CI (:func:`analysis.stats.compare.median_ci`).
  No test, and the row says why: the paper prints a median and range, neither a CI nor a standard
  error, and treating the published median as a known constant would ignore its sampling error.
* **Kaplan–Meier medians** — this cohort's median and 95% CI (R's rules, :func:`analysis.stats.km.median_ci`)
  beside the published median and CI, compared by the **approximate** test of their ratio from the two
  CIs on the log scale (Altman & Bland, BMJ 2011;343:d2304; :func:`analysis.stats.ratio_from_ci.ratio_of_medians`):
  an unreached (NR) upper limit leaves the half-interval below the median, an unreached median no test,
  each stated. Labelled approximate wherever its p is shown.
* **context rows of other studies** (MajesTEC-1, MagnetisMM-3, the real-world EMD series the paper cites)
  — the other study's figure beside this cohort's nearest quantity (:data:`EXTERNAL_COUNTERPARTS`), no
  test: another population, and the paper gives no counts for it.
* **not comparable**, with the reason — the number of patients or centres (a size, not a rate), a
  log-rank p (a test inside each cohort), the inclusion period, claims without a metric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import ClaimsError
from ..stats import compare as stats_compare
from ..stats import km
from ..stats.ratio_from_ci import ratio_of_medians
from . import claims as claims_mod
from . import reconcile
from .rounding import printed_text

TESTED = "difference of proportions"
APPROXIMATE = "ratio of medians (approximate)"
DESCRIPTIVE = "estimates side by side"
CONTEXT = "context: another population"
NOT_COMPARABLE = "not comparable"
FISHER = "Fisher's exact test, two-sided"
FROM_CIS = "approximate: z-test of the log ratio from the two 95% CIs (Altman & Bland 2011)"

#: Columns of a row, in order (:func:`analysis.paper.compare.cohort_vs_published` adds the quantity's).
ROW_COLUMNS = [
    "claim_id",
    "section",
    "kind",
    "comparison",
    "unit",
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
    "ratio",
    "ratio_lower",
    "ratio_upper",
    "p_value",
    "p_method",
    "note",
]

#: Other studies' figures -> the claim of this paper measuring the nearest quantity in this cohort.
#: A figure over a population this cohort cannot select (MagnetisMM-3's ISS-by-risk subgroups) has none.
EXTERNAL_COUNTERPARTS = {
    "ext.majestec1_orr": "txt.best_orr",
    "ext.majestec1_pfs_median": "txt.pfs_median_all",
    "ext.disc_teclistamab_pfs_median": "txt.pfs_median_all",
    "ext.disc_elranatamab_pfs_median": "txt.pfs_median_all",
    "ext.reallife_pfs_emd": "txt.pfs_median_emd",
    "ext.reallife_pfs_no_emd": "txt.pfs_median_no_emd",
    "ext.ifm_2024_09_pfs_emd": "txt.pfs_median_emd",
    "ext.ifm_2024_09_pfs_no_emd": "txt.pfs_median_no_emd",
}


def population(claim_list) -> int | None:
    """The published number of patients (the denominator of counts over 'all')."""
    try:
        return claims_mod.target_count(claims_mod.get("t1.n_patients", claim_list))
    except ClaimsError:
        return None


def published_counts(c, n_patients: int | None) -> tuple[int | None, int | None, str]:
    """(k, N, how) of a proportion or patient-count claim as the audit reads it; (None, None, why) if none."""
    k = claims_mod.target_count(c)
    if c.kind == "count":
        if "distinct" in c.metric:
            return None, None, "a number of centres, not a share of patients"
        if c.metric.get("denominator", "all") != "all" or n_patients is None:
            return None, None, "a count without a published denominator"
        if k == n_patients:
            return None, None, "the number of patients, a size rather than a rate"
        return k, n_patients, f"count read as a share of all {n_patients} patients"
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


def row(c, **values) -> dict:
    """A row of claim ``c``: :data:`ROW_COLUMNS`, ``nan`` where not given."""
    out = dict.fromkeys(ROW_COLUMNS, np.nan)
    out.update(claim_id=c.id, section=c.section, kind=c.kind, unit=c.unit or "", p_method="", note="")
    out.update(values)
    return out


def not_comparable(c, why: str, **values) -> dict:
    return row(c, comparison=NOT_COMPARABLE, note=why, **values)


def proportion(c, tables, n_patients, level) -> dict:
    k, n, how = published_counts(c, n_patients)
    num, den = tables.proportion_counts(c)
    if k is None:
        return not_comparable(c, how, cohort_k=num, cohort_n=den)
    d = stats_compare.difference_of_proportions(num, den, k, n, level)
    note = how if d.estimable else "; ".join(x for x in (f"not estimable: {d.reason}", how) if x)
    printed = c.kind == "proportion" and c.pct is not None
    return row(
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
        p_method=FISHER if d.estimable else "",
        note=note,
    )


def median(c, tables, level) -> dict:
    values = tables.median_values(c)
    m = stats_compare.median_ci(values.to_numpy(), level)
    lo_pub, hi_pub = (c.min, c.max) if c.min is not None else (np.nan, np.nan)
    no_test = "no test: the paper prints a median and range, neither a CI nor a standard error"
    if m.n == 0:
        note = f"no values in this cohort; {no_test}"
    elif not m.estimable:
        note = f"{no_test}; this cohort's CI not estimable: {m.reason}"
    else:
        inside = m.lower <= c.value <= m.upper
        note = (
            f"{no_test}; the published median lies {'inside' if inside else 'outside'} this cohort's "
            f"{100 * level:g}% CI (order statistics x({m.rank_lower})–x({m.rank_upper}), exact coverage in ci_coverage)"
        )
    if c.resolution is not None and c.resolution.value is not None:
        note += f"; the audit reads the published median as {c.resolution.value:g}"
    return row(
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


def _published_km(c) -> dict:
    return dict(
        published_value=_nan(c.value),
        published_lower=_nan(c.ci_lower) if c.has_ci else np.nan,
        published_upper=_nan(c.ci_upper) if c.has_ci else np.nan,
    )


def km_median(c, tables) -> dict:
    time, event = tables.km_sample(c)
    pub = _published_km(c)
    if len(time) == 0:
        return row(c, comparison=DESCRIPTIVE, cohort_n=0, cohort_k=0, note="no patients in this group; no test", **pub)
    med, lo, hi = km.median_ci(time, event)
    values = dict(cohort_n=len(time), cohort_k=int(np.sum(event)), cohort_value=med, cohort_lower=lo, cohort_upper=hi)
    if not c.has_ci:
        return row(c, comparison=DESCRIPTIVE, note="no test: the paper prints no CI for this median", **values, **pub)
    r = ratio_of_medians(med, lo, hi, c.value, c.ci_lower, c.ci_upper)
    if not r.estimable:
        why = r.reason.replace("first:", "this cohort:").replace("second:", "the paper:")
        return row(c, comparison=DESCRIPTIVE, note=f"no test: {why}", **values, **pub)
    how = {r.method_first, r.method_second} - {"both limits"}
    note = "approximate test from the two CIs on the log scale"
    if how:
        sides = [f"{side}: {m}" for side, m in (("this cohort", r.method_first), ("the paper", r.method_second))]
        note += " (" + "; ".join(s for s in sides if not s.endswith("both limits")) + ")"
    return row(
        c,
        comparison=APPROXIMATE,
        ratio=r.ratio,
        ratio_lower=r.lower,
        ratio_upper=r.upper,
        p_value=r.p_value,
        p_method=FROM_CIS,
        note=note,
        **values,
        **pub,
    )


def external(c, tables, n_patients, claim_list, level) -> dict:
    """A cited study's figure as a context row, this cohort's nearest quantity beside it, no test."""
    pub = dict(published_value=_nan(c.value))
    counterpart = EXTERNAL_COUNTERPARTS.get(c.id)
    why = f"another population ({c.study}); no test: the paper gives no counts for it"
    if counterpart is None:
        return row(
            c,
            comparison=CONTEXT,
            note=f"{why}; this paper states no figure for the same population, so none is computed here",
            **pub,
        )
    mine = evaluate(claims_mod.get(counterpart, claim_list), tables, n_patients, claim_list, level)
    keep = ("cohort_k", "cohort_n", "cohort_value", "cohort_lower", "cohort_upper")
    return row(
        c,
        comparison=CONTEXT,
        note=f"{why}; this cohort's value is that of {counterpart}",
        **pub,
        **{k: mine[k] for k in keep},
        unit=mine["unit"] or c.unit or "",
    )


class NotMeasurable(Exception):
    """A metric that cannot be measured on the data given (e.g. a pooled summary whose centre suppressed the
    cells it needs, or dates that do not leave a centre); the message says why."""


class RowMeasurements:
    """The claims' metrics measured on a cohort's patient rows (:mod:`analysis.paper.reconcile`'s evaluators).

    The comparison asks its data for five measurements only — a proportion's counts, a continuous
    variable's values, a Kaplan–Meier sample, a log-rank p, a calendar period — so that the same rows
    are built from patient rows (this class) or from pooled centre summaries
    (:class:`analysis.study.federated.measurements.PooledMeasurements`), which may raise
    :class:`NotMeasurable`.
    """

    def __init__(self, patients):
        self.tables = reconcile.analysis_tables(patients)

    def proportion_counts(self, c) -> tuple[int, int]:
        return reconcile.proportion_counts(c, self.tables)

    def median_values(self, c) -> pd.Series:
        return reconcile.median_values(c, self.tables)

    def km_sample(self, c):
        return reconcile.km_sample(c, self.tables)

    def logrank_value(self, c) -> float:
        return reconcile.logrank_value(c, self.tables)

    def period_months(self, c) -> tuple[str, str]:
        return reconcile.period_months(c, self.tables)


def evaluate(c, tables, n_patients, claim_list, level) -> dict:
    """The row of claim ``c`` measured by ``tables`` (:class:`RowMeasurements` or pooled summaries'); a metric
    that cannot be measured there makes a "not estimable" row with the reason."""
    try:
        return _evaluate(c, tables, n_patients, claim_list, level)
    except NotMeasurable as exc:
        return not_comparable(c, f"not estimable: {exc}")


def _evaluate(c, tables, n_patients, claim_list, level) -> dict:
    if c.kind == "external":
        return external(c, tables, n_patients, claim_list, level)
    why = reconcile.not_recomputed(c)
    if why:
        return not_comparable(c, why)
    if c.kind in ("proportion", "count"):
        return proportion(c, tables, n_patients, level)
    if c.kind == "median_range":
        return median(c, tables, level)
    if c.kind == "km_median":
        return km_median(c, tables)
    if c.kind == "logrank_p":
        return not_comparable(
            c,
            f"a test inside each cohort ({c.endpoint} by {c.by}), not a quantity the two cohorts share; "
            f"shown side by side",
            published_value=c.p,
            cohort_value=tables.logrank_value(c),
        )
    if c.kind == "period":
        first, last = tables.period_months(c)
        return not_comparable(c, f"the calendar period of inclusion (this cohort {first} – {last})")
    return not_comparable(c, f"kind {c.kind!r} has no comparison")


__all__ = [
    "APPROXIMATE",
    "CONTEXT",
    "DESCRIPTIVE",
    "EXTERNAL_COUNTERPARTS",
    "FISHER",
    "FROM_CIS",
    "NOT_COMPARABLE",
    "NotMeasurable",
    "RowMeasurements",
    "ROW_COLUMNS",
    "TESTED",
    "evaluate",
    "population",
    "published_counts",
    "row",
]
