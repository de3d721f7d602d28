"""analysis.stats.counts: per-time counts pooled over centres give the estimators exactly what the rows give.

Centres split a cohort in every way the federated analysis meets (2, 3 and 14 centres, unequal sizes, a
centre of one patient, a centre without events, ties across centres); the pooled count tables,
expanded, must give the patient-level KM (S, Greenwood SE, CI, median and its CI), log-rank,
centre-stratified log-rank and Cox (Efron and Breslow: HR, CI, p) to 1e-10 — and lifelines' KM.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter

from analysis.stats import counts, cox, km, logrank

TOL = dict(rtol=1e-10, atol=1e-12)


def _cohort(seed=0, n=60, ties=True):
    rng = np.random.default_rng(seed)
    t = rng.exponential(12, n)
    t = np.ceil(t) if ties else t  # whole months: ties within and across centres
    c = rng.uniform(2, 30, n)
    return pd.DataFrame(
        {
            "time": np.minimum(t, np.ceil(c) if ties else c),
            "event": (t <= c).astype(int),
            "group": rng.integers(0, 2, n),
            "centre": rng.integers(0, 14, n),
        }
    )


def _splits(frame):
    """Centre assignments: 2, 3 and 14 centres, unequal, one patient alone, a centre without events."""
    n = len(frame)
    idx = np.arange(n)
    no_events = np.where(frame["event"].to_numpy() == 0, 99, idx % 3)
    return {
        "two": idx % 2,
        "three_unequal": np.select([idx < 5, idx < 20], [0, 1], 2),
        "fourteen": frame["centre"].to_numpy(),
        "one_patient_centre": np.where(idx == 0, 0, 1),
        "centre_without_events": no_events,
    }


def _pooled(frame, centres, by=("group",)):
    tables = [counts.event_counts(frame[centres == c], by=by) for c in np.unique(centres)]
    return counts.expand(counts.pool(tables))


@pytest.mark.parametrize("split", list(_splits(_cohort())))
def test_kaplan_meier_and_greenwood_from_pooled_counts_equal_the_rows(split):
    frame = _cohort()
    rows = _pooled(frame, _splits(frame)[split], by=())
    a, b = km.estimate(frame["time"], frame["event"]), km.estimate(rows["time"], rows["event"])
    for name in ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name), **TOL, err_msg=name)
    np.testing.assert_allclose(km.median_ci(rows["time"], rows["event"]), km.median_ci(frame["time"], frame["event"]))
    kmf = KaplanMeierFitter().fit(rows["time"], rows["event"])
    np.testing.assert_allclose(kmf.survival_function_at_times(b.time).to_numpy(), b.surv, **TOL)


@pytest.mark.parametrize("split", list(_splits(_cohort())))
def test_logrank_and_the_centre_stratified_logrank_from_pooled_counts_equal_the_rows(split):
    frame = _cohort(1)
    centres = _splits(frame)[split]
    rows = _pooled(frame, centres)
    a = logrank.survdiff(frame["time"], frame["event"], frame["group"])
    b = logrank.survdiff(rows["time"], rows["event"], rows["group"])
    assert (b.chi2, b.p) == pytest.approx((a.chi2, a.p), rel=1e-10)
    # stratified by centre: each centre's own table is its stratum, so the centre stays a column
    with_centre = frame.assign(centre=centres)
    strat_rows = _pooled(with_centre, centres, by=("centre", "group"))
    sa = logrank.survdiff(frame["time"], frame["event"], frame["group"], strata=centres)
    sb = logrank.survdiff(strat_rows["time"], strat_rows["event"], strat_rows["group"], strata=strat_rows["centre"])
    assert (sb.chi2, sb.p) == pytest.approx((sa.chi2, sa.p), rel=1e-10)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("split", list(_splits(_cohort())))
def test_cox_from_pooled_counts_equals_the_rows(split, ties):
    frame = _cohort(2)
    rows = _pooled(frame, _splits(frame)[split])
    a = cox.coxph(frame["time"], frame["event"], frame["group"], ties=ties)
    b = cox.coxph(rows["time"], rows["event"], rows["group"], ties=ties)
    assert a.estimable and b.estimable
    assert (b.beta, b.se, b.hr, b.lower, b.upper, b.p, b.loglik) == pytest.approx(
        (a.beta, a.se, a.hr, a.lower, a.upper, a.p, a.loglik), rel=1e-10
    )


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.booleans(), st.integers(0, 1), st.integers(0, 4)), min_size=1, max_size=40
    )
)
def test_pooling_then_expanding_gives_back_the_multiset_of_rows(data):
    frame = pd.DataFrame(data, columns=["time", "event", "group", "centre"]).astype({"time": float, "event": int})
    rows = _pooled(frame, frame["centre"].to_numpy())
    want = frame[["group", "time", "event"]].sort_values(["group", "time", "event"], ascending=[True, True, False])
    pd.testing.assert_frame_equal(rows, want.reset_index(drop=True), check_dtype=False)


def test_counts_by_group_leave_out_missing_groups_as_the_estimators_do():
    f = pd.DataFrame({"time": [1.0, 2.0, 3.0], "event": [1, 1, 0], "group": [0, None, 1]})
    table = counts.event_counts(f, by=["group"])
    assert table.to_dict("list") == {"group": [0.0, 1.0], "time": [1.0, 3.0], "events": [1, 0], "censored": [0, 1]}


def test_bad_input_is_refused_with_the_reason():
    with pytest.raises(ValueError, match=r"columns \['group'\] not in the frame"):
        counts.event_counts(pd.DataFrame({"time": [1.0], "event": [1]}), by=["group"])
    with pytest.raises(ValueError, match="event"):
        counts.event_counts(pd.DataFrame({"time": [1.0], "event": [2]}))
    with pytest.raises(ValueError, match="no count tables to pool"):
        counts.pool([])
    a = pd.DataFrame({"time": [1.0], "events": [1], "censored": [0]})
    with pytest.raises(ValueError, match="table 1 has columns"):
        counts.pool([a, a.assign(group=1)])
    with pytest.raises(ValueError, match="a suppressed cell cannot be expanded"):
        counts.expand(a.assign(events=pd.array([pd.NA], dtype="Int64")))


def test_the_frozen_R_references_of_the_stratified_tests_hold_through_per_centre_counts():
    """tests/r/strata_input.csv, each centre summarised on its own and pooled: R survival 3.5's coxph with
    strata(centre) (Efron, Breslow) and survdiff with strata (tests/r/make_strata_reference.R)."""
    import json

    from analysis import paths

    ref = json.loads((paths.TESTS / "r" / "strata_reference.json").read_text())
    frame = pd.read_csv(paths.TESTS / "r" / "strata_input.csv")
    tables = [counts.event_counts(part, by=["centre", "x"]) for _, part in frame.groupby("centre")]
    rows = counts.expand(counts.pool(tables))
    assert len(rows) == len(frame)
    for ties in ("efron", "breslow"):
        fit = cox.coxph(rows["time"], rows["event"], rows["x"], strata=rows["centre"], ties=ties)
        want = ref[f"cox_strata_{ties}"]
        assert (fit.beta, fit.se, fit.loglik) == pytest.approx((want["beta"], want["se"], want["loglik"]), rel=1e-9)
        plain = cox.coxph(rows["time"], rows["event"], rows["x"], ties=ties)
        assert plain.beta == pytest.approx(ref[f"cox_plain_{ties}"]["beta"], rel=1e-9)
    lr = logrank.survdiff(rows["time"], rows["event"], rows["x"], strata=rows["centre"])
    assert lr.chi2 == pytest.approx(ref["survdiff_x_rho0"]["strata_chisq"], rel=1e-9)
    assert logrank.survdiff(rows["time"], rows["event"], rows["x"]).chi2 == pytest.approx(
        ref["survdiff_x_rho0"]["chisq"], rel=1e-9
    )
