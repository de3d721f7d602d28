"""Pooled from centre summaries = pooled from the patients' rows, on every split of the cohort (issue 25).

The default synthetic cohort is split into centres in the ways a federated analysis meets — its own 14
centres, 2 and 3 centres, unequal sizes, a centre of one patient, a centre without events, and ties across
centres (times on a 30-day grid) — each centre summarised on its own, the summaries pooled, and every
number compared with the patient-level run on the same patients: KM median and CI, log-rank and
centre-stratified log-rank p, Cox HR/CI/p (Efron and Breslow), stratified Cox HR, every claim's numerator
and denominator, and the medians of numeric variables; to 1e-10. With suppression, the bounds contain the
patient-level values.
"""

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data import derive
from analysis.data.cohort import load_cohort
from analysis.paper import claims as claims_mod
from analysis.paper import reconcile
from analysis.stats import cox, km, logrank
from analysis.study import outcomes
from analysis.study.federated import disclosure, pooled, summary

TOL = 1e-10


@pytest.fixture(scope="module")
def patients():
    return load_cohort(paths.DEFAULT_SYNTHETIC).patients


def _assignments(p):
    idx = np.arange(len(p))
    pfs = derive.time_to_event(p).query("endpoint == 'PFS'").set_index("patient_id")["event"]
    censored = pfs.reindex(p["patient_id"]).to_numpy() == 0
    return {
        "own_14_centres": p["center_id"].to_numpy(),
        "two": np.where(idx % 2 == 0, "A", "B"),
        "three_unequal": np.select([idx < 4, idx < 30], ["A", "B"], "C"),
        "one_patient_centre": np.where(idx == 7, "SOLO", "REST"),
        "centre_without_events": np.where(censored, "NOEV", np.where(idx % 2 == 0, "A", "B")),
    }


def _summaries(p, centres, min_cell=1, grid_days=1):
    """One in-memory summary per centre (summary.centre_summaries: summarised once, then split by centre)."""
    p = p.assign(center_id=centres)
    return summary.centre_summaries(p, min_cell, grid_days), p


def test_a_centre_summarised_alone_is_its_slice_of_the_whole(patients):
    whole, _ = disclosure.apply(summary.summary_tables(patients), 3)
    alone, _ = disclosure.apply(summary.summary_tables(patients[patients["center_id"] == "C03"]), 3)
    for name, table in alone.items():
        if "centre" in table:
            want = whole[name][whole[name]["centre"] == "C03"].reset_index(drop=True)
            pd.testing.assert_frame_equal(table.reset_index(drop=True), want, obj=name)


def _rows(p, endpoint, by, grid_days=1):
    adsl, adtte = derive.subject_level(p), derive.time_to_event(p)
    f = adtte[adtte["endpoint"] == endpoint].merge(adsl, on="patient_id", suffixes=("", "_adsl"))
    days = f["time_days"].to_numpy(float)
    days = np.ceil(days / grid_days) * grid_days if grid_days > 1 else days
    return f.assign(time=days / derive.DAYS_PER_MONTH, x=f[by].astype(float))[["time", "event", "x", "center_id"]]


CASES = [
    (name, 1) for name in ("own_14_centres", "two", "three_unequal", "one_patient_centre", "centre_without_events")
]
CASES.append(("ties_across_centres", 30))


@pytest.mark.parametrize(("split", "grid"), CASES)
def test_survival_estimates_from_summaries_equal_the_patient_rows(patients, split, grid):
    centres = _assignments(patients)["two" if split == "ties_across_centres" else split]
    summaries, p = _summaries(patients, centres, grid_days=grid)
    table = pooled.survival_estimates(pooled.pool(summaries)).set_index(["endpoint", "grouping", "group"])
    checked = 0
    for endpoint in ("PFS", "OS"):
        for by in ("extramedullary", "any_cyto_abnormality"):
            f = _rows(p, endpoint, by, grid).dropna(subset=["x"])
            for g in (0, 1):
                part = f[f["x"] == g]
                want = km.median_ci(part["time"], part["event"])
                got = table.loc[(endpoint, by, str(g)), ["median", "median_lower", "median_upper"]]
                np.testing.assert_allclose(got.to_numpy(float), np.asarray(want, float), rtol=TOL, equal_nan=True)
            row = table.loc[(endpoint, by, "1")]
            lr = logrank.survdiff(f["time"], f["event"], f["x"])
            st = logrank.survdiff(f["time"], f["event"], f["x"], strata=f["center_id"])
            assert (row["logrank_p"], row["stratified_logrank_p"]) == pytest.approx((lr.p, st.p), rel=TOL)
            for ties in ("efron", "breslow"):
                fit = cox.coxph(f["time"], f["event"], f["x"], ties=ties)
                got = row[[f"hr_{ties}", f"hr_{ties}_lower", f"hr_{ties}_upper", f"hr_{ties}_p"]].to_numpy(float)
                np.testing.assert_allclose(got, [fit.hr, fit.lower, fit.upper, fit.p], rtol=TOL)
            within = cox.coxph(f["time"], f["event"], f["x"], strata=f["center_id"])
            assert row["hr_stratified"] == pytest.approx(within.hr, rel=TOL)
            checked += 1
    assert checked == 4


def test_the_14_centres_reproduce_the_notebooks_centre_stratified_table(patients):
    """04_survival's own function on the patient rows against the summaries of the 14 centres."""
    summaries, _ = _summaries(patients, patients["center_id"].to_numpy())
    table = pooled.survival_estimates(pooled.pool(summaries)).set_index(["endpoint", "grouping", "group"])
    adsl, adtte = derive.subject_level(patients), derive.time_to_event(patients)
    pfs, os_ = (outcomes.endpoint_frame(adtte, adsl, e) for e in ("PFS", "OS"))
    notebook = outcomes.centre_stratified(pfs, os_).set_index(["endpoint", "analysis"])
    for endpoint in ("PFS", "OS"):
        row = table.loc[(endpoint, "extramedullary", "1")]
        assert row["logrank_p"] == pytest.approx(notebook.loc[(endpoint, "pooled"), "logrank_p"], rel=TOL)
        assert row["hr_efron"] == pytest.approx(notebook.loc[(endpoint, "pooled"), "hr"], rel=TOL)
        strat = notebook.loc[(endpoint, "stratified by center_id")]
        assert row["stratified_logrank_p"] == pytest.approx(strat["logrank_p"], rel=TOL)
        assert row["hr_stratified"] == pytest.approx(strat["hr"], rel=TOL)


@pytest.mark.parametrize("split", ["own_14_centres", "three_unequal", "one_patient_centre"])
def test_every_claims_counts_and_every_numeric_median_from_summaries_equal_the_rows(patients, split):
    summaries, p = _summaries(patients, _assignments(patients)[split])
    together = pooled.pool(summaries)
    counts = pooled.claim_counts(together).set_index("claim_id")
    tables = reconcile.analysis_tables(p)
    for c in claims_mod._registry():
        if c.kind in ("proportion", "count") and c.metric:
            assert tuple(counts.loc[c.id, ["numerator", "denominator"]]) == reconcile.proportion_counts(c, tables), c.id
    assert (counts["numerator_min"] == counts["numerator_max"]).all() and (counts["suppressed_centres"] == "").all()
    adsl = derive.subject_level(p)
    for variable in summary.numeric_variables(adsl):
        values = adsl[variable].dropna().astype(float)
        lo, hi = pooled.median_bounds(together, variable)
        assert lo == hi == pytest.approx(float(np.median(values)), rel=TOL), variable


@pytest.mark.parametrize("min_cell", [3, 5, 10])
def test_with_suppression_the_stated_bounds_contain_the_patient_level_values(patients, min_cell):
    summaries, p = _summaries(patients, _assignments(patients)["three_unequal"], min_cell=min_cell)
    together = pooled.pool(summaries)
    counts = pooled.claim_counts(together).set_index("claim_id")
    tables = reconcile.analysis_tables(p)
    some_hidden = 0
    for c in claims_mod._registry():
        if c.kind in ("proportion", "count") and c.metric:
            num, den = reconcile.proportion_counts(c, tables)
            r = counts.loc[c.id]
            assert (
                r["numerator_min"] <= num <= r["numerator_max"] and r["denominator_min"] <= den <= r["denominator_max"]
            )
            if r["suppressed_centres"]:
                some_hidden += 1
                assert pd.isna(r["numerator"])  # never a partial sum shown as the count
            else:
                assert (r["numerator"], r["denominator"]) == (num, den)
    assert some_hidden > 0
    adsl = derive.subject_level(p)
    for variable in ("age_years", "prior_lines", "delay_days"):
        lo, hi = pooled.median_bounds(together, variable)
        assert lo <= float(np.median(adsl[variable].dropna().astype(float))) <= hi
    estimates = pooled.survival_estimates(together)
    hidden = estimates[estimates["note"] != ""]
    assert len(hidden) and hidden["note"].str.contains("not estimable from the summaries: centre").all()


def test_summaries_that_cannot_be_pooled_are_refused_naming_the_folders(patients):
    from analysis.exceptions import UsageError

    summaries, _ = _summaries(patients, _assignments(patients)["two"])
    with pytest.raises(UsageError, match=r"centre A is in two summaries \(.*summary_A and .*summary_A\)"):
        pooled.pool([summaries[0], summaries[0]])
    with pytest.raises(UsageError, match=r"centre\(s\) B given both as patient rows and as a summary"):
        pooled.pool(summaries, row_centres=["B"])
    coarse, _ = _summaries(patients, _assignments(patients)["two"], grid_days=30)
    with pytest.raises(UsageError, match=r"different time grids \(\[1, 30\] days\)"):
        pooled.pool([summaries[0], coarse[1]])
    with pytest.raises(UsageError, match="no summaries to pool"):
        pooled.pool([])
