"""analysis.stats.survival beyond the R references: independent checks and edge cases."""

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter

from analysis.stats import km, survival


def test_cox_equals_lifelines_without_ties():
    rng = np.random.default_rng(4)
    t = rng.exponential(10, 60).round(6)
    e = (rng.random(60) < 0.7).astype(int)
    x = rng.integers(0, 2, 60)
    ours = survival.cox(t, e, x)
    ll = CoxPHFitter().fit(pd.DataFrame({"t": t, "e": e, "x": x}), "t", "e")
    assert ours.hr == pytest.approx(float(np.exp(ll.params_["x"])), rel=1e-6)
    assert ours.p == pytest.approx(float(ll.summary.loc["x", "p"]), rel=1e-5)


def test_cox_is_not_estimable_without_events_in_a_group():
    res = survival.cox([1, 2, 3, 4], [0, 0, 1, 1], [0, 0, 1, 1])
    assert all(np.isnan(getattr(res, k)) for k in ("hr", "lower", "upper", "p", "ph_p"))
    assert res.reason == "HR not estimable: no events where the covariate is 0"


def test_risk_table_counts_at_ticks_including_ties():
    t, e = [1, 2, 2, 3, 5, 5, 8], [1, 0, 1, 1, 0, 1, 0]
    rt = survival.risk_table(t, e, [0, 2, 5, 10]).set_index("tick")
    assert rt["at_risk"].tolist() == [7, 6, 3, 0]  # time >= tick
    assert rt["events"].tolist() == [0, 2, 4, 4]  # up to and including the tick
    assert rt["censored"].tolist() == [0, 1, 2, 3]


def test_cumulative_incidences_add_up_to_one_minus_all_cause_km():
    rng = np.random.default_rng(2)
    t = rng.integers(1, 30, 50).astype(float)
    cause = rng.choice(["", "a", "b"], 50, p=[0.4, 0.4, 0.2])
    cif = survival.cumulative_incidence(t, cause)
    table = km.kaplan_meier(t, (cause != "").astype(int))
    np.testing.assert_allclose(cif["a"] + cif["b"], 1 - table["surv"], atol=1e-12)


def test_survival_at_beyond_follow_up_is_missing_and_median_table_by_group():
    s = survival.survival_at([1, 2, 3], [1, 0, 1], [2, 10])
    assert s.loc[0, "surv"] == pytest.approx(2 / 3) and np.isnan(s.loc[1, "surv"])
    frame = pd.DataFrame({"time": [1, 2, 3, 4, 5, 6], "event": [1, 1, 1, 0, 1, 0], "g": [1, 1, 1, 0, 0, 0]})
    mt = survival.median_table(frame, by="g", labels={1: "EMD", 0: "no EMD"})
    assert mt["group"].tolist() == ["EMD", "no EMD"] and mt["events"].tolist() == [3, 1]


def test_cox_monotone_likelihood_is_reported_not_estimable_instead_of_overflowing():
    # every death in group 1 happens while all of group 0 is still event-free: the MLE is infinite
    t = [1, 2, 3, 10, 11, 12]
    e = [1, 1, 1, 1, 0, 0]
    x = [1, 1, 1, 0, 0, 0]
    res = survival.cox(t, e, x)
    assert np.isnan(res.hr) or res.hr < 1e7


def test_risk_tables_per_group_long_format():
    frame = pd.DataFrame({"time": [1.0, 7, 13, 2, 8], "event": [1, 0, 1, 1, 0], "g": [1, 1, 1, 0, 0]})
    rt = survival.risk_tables(frame, "g", {1: "EMD", 0: "No EMD"})
    emd = rt[rt["group"] == "EMD"].set_index("tick")
    assert emd["at_risk"].tolist() == [3, 2, 1] and emd["events"].tolist() == [0, 1, 1]
    assert set(rt["group"]) == {"EMD", "No EMD"}


def test_group_summary_says_why_no_comparison_or_hr_is_estimable():
    frame = pd.DataFrame({"time": [1.0, 2, 3, 4, 5, 6], "event": [0] * 6, "g": [1] * 6})
    s = survival.group_summary(frame, by="g", labels={1: "only"})
    assert s["events"].tolist() == [0] and np.isnan(s["median"].iloc[0])
    assert (
        np.isnan(s["logrank_p"].iloc[0])
        and s["test_note"].iloc[0] == "no comparison: 1 group of g with data (two are needed)"
    )
    two = frame.assign(g=[1, 1, 1, 0, 0, 0], event=[1, 1, 0, 0, 0, 0])
    s2 = survival.group_summary(two, by="g")
    assert np.isnan(s2["hr"].iloc[0]) and not np.isnan(s2["logrank_p"].iloc[0])
    assert s2["test_note"].iloc[0] == "HR not estimable: no events where the covariate is 0"
    overall = survival.group_summary(two)
    assert overall["group"].tolist() == ["all"] and overall["test_note"].iloc[0] == ""


def test_group_summary_of_an_empty_frame_has_every_column_and_no_row():
    empty = pd.DataFrame({"time": [], "event": [], "g": []})
    s = survival.group_summary(empty, by="g")
    assert s.empty and {"median", "surv_12m_upper", "logrank_p", "hr", "test_note"} <= set(s.columns)
    assert survival.risk_tables(empty, "g").empty and survival.default_ticks([]) == [0.0]
