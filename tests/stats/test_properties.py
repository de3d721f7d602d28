"""Properties of analysis.stats that hold for every dataset (Hypothesis; profiles in tests/conftest.py).

Random (time, event, group) arrays of 1–300 subjects: times on a grid of 2 to 1000 distinct
values (so from heavy ties to almost none), whole days or months computed from whole days, time 0
included; no censoring, no events, or a random mix; one to four groups, possibly empty. On every
draw:

* Kaplan–Meier: S(t) is non-increasing in [0, 1]; the risk set shrinks by the events and
  censorings of each time; the pointwise band contains S for every ``conf_type``; the median's
  limits, where they exist, bracket it; medians scale with time; the row order does not matter;
  S equals lifelines (same estimator), and so does the median wherever S never sits exactly at
  0.5 (lifelines takes the first time S ≤ 0.5, R the midpoint of a flat at 0.5: see
  analysis/stats/km.py);
* log-rank (rho = 0 and 1): χ² ≥ 0, p in [0, 1], observed and expected events add up, invariant to
  relabelling the groups and to the row order; equal to lifelines' (same hypergeometric variance)
  for 2 and k groups; the two-group fast path gives the same p where the variance is positive
  (where it is zero the paths disagree today: a strict xfail pins it);
* Cox (Efron): the hazard ratio of the swapped binary covariate is 1/HR, with the CI reflected and
  the same p, and "not estimable" for both or neither;
* the survival summary by group never raises, and every missing test or HR says why;
* numbers at risk at any ticks are non-increasing and account for every subject;
* Aalen–Johansen cumulative incidences plus all-cause survival add up to 1;
* bootstrap: resample weights (counts of each distinct time × event × group cell) are
  non-negative integers summing to n, reproducible from the seed, and the observed weights stand
  for the data; a replicate equals the estimator on the expanded resample;
* Clopper–Pearson: the interval contains k/n, is symmetric in k ↔ n − k and equals statsmodels.

Only the mathematics is assumed, not how the functions compute it (another algorithm must pass).
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test as ll_logrank
from lifelines.statistics import multivariate_logrank_test
from statsmodels.stats.proportion import proportion_confint

from analysis.stats import km, logrank, proportions, resampling, survival

CONF_TYPES = km.CONF_TYPES
#: Slack for comparisons that hold exactly in real arithmetic (a few ulps of a probability).
EPS = 1e-12
DAYS_PER_MONTH = 365.25 / 12


@st.composite
def survival_data(draw, min_size=1, max_size=300, groups=(1, 4)):
    """(time, event, group) arrays: see the module docstring."""
    n = draw(st.integers(min_size, max_size), label="n")
    distinct = draw(st.sampled_from([2, 5, 30, 1000]), label="distinct times")
    days = np.array(draw(st.lists(st.integers(0, distinct), min_size=n, max_size=n)), dtype=float)
    time = days / DAYS_PER_MONTH if draw(st.booleans(), label="months") else days
    censoring = draw(st.sampled_from(["mixed", "none", "all censored"]), label="censoring")
    if censoring == "mixed":
        event = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=float)
    else:
        event = np.full(n, 1.0 if censoring == "none" else 0.0)
    k = draw(st.integers(*groups), label="groups")
    group = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)), dtype=int)
    return time, event, group


def _same(a, b, rel=1e-9):
    """Equal numbers, or both missing."""
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=rel, abs=1e-12)


# ----------------------------------------------------------------------------- Kaplan–Meier
@given(survival_data())
def test_km_is_a_non_increasing_probability_over_a_shrinking_risk_set(data):
    time, event, _ = data
    table = km.kaplan_meier(time, event)
    s, n_risk = table["surv"].to_numpy(), table["n_risk"].to_numpy()
    assert ((s >= 0) & (s <= 1)).all()
    assert (np.diff(s) <= 0).all()
    assert n_risk[0] == len(time) and (np.diff(n_risk) <= 0).all()
    leaving = (table["n_event"] + table["n_censor"]).to_numpy()
    np.testing.assert_array_equal(n_risk[1:], (n_risk - leaving)[:-1])
    assert leaving.sum() == len(time) and table["n_event"].sum() == event.sum()
    np.testing.assert_array_equal(table["time"], np.unique(time))


@given(survival_data(), st.sampled_from(CONF_TYPES))
def test_pointwise_band_contains_the_estimate_within_the_unit_interval(data, conf_type):
    time, event, _ = data
    table = km.kaplan_meier(time, event, conf_type)
    s, lower, upper = (table[c].to_numpy() for c in ("surv", "lower", "upper"))
    lo, hi = ~np.isnan(lower), ~np.isnan(upper)
    assert (lower[lo] >= 0).all() and (upper[hi] <= 1).all()
    assert (lower[lo] <= s[lo] * (1 + EPS)).all()
    assert (upper[hi] >= s[hi] * (1 - EPS)).all()


@given(survival_data(), st.sampled_from(CONF_TYPES))
@example(data=(np.array([0.0]), np.array([1.0]), np.array([0])), conf_type="log")
def test_median_limits_bracket_the_median(data, conf_type):
    # lower band ≤ S ≤ upper band at every time, so the lower band reaches 1/2 no later than S and
    # the upper band no earlier; "not reached" (nan) is later than any time. A limit is also nan
    # where its band is undefined (R's NA: S = 0, and S = 1 for log-log) — e.g. one subject with an
    # event at time 0: median 0, both limits NA in R — so only a limit that exists is compared.
    time, event, _ = data
    med, lo, hi = km.median_ci(time, event, conf_type)
    reached = math.inf if math.isnan(med) else med
    assert math.isnan(lo) or lo <= reached, (lo, med, hi)
    assert math.isnan(hi) or med <= hi, (lo, med, hi)


@given(survival_data(), st.sampled_from(CONF_TYPES))
def test_medians_scale_with_time_and_ignore_row_order(data, conf_type):
    time, event, _ = data
    med = km.median_ci(time, event, conf_type)
    doubled = km.median_ci(2 * time, event, conf_type)  # × 2 is exact in binary floating point
    assert all(_same(2 * a, b, rel=0) for a, b in zip(med, doubled))
    order = np.argsort(-time, kind="stable")
    assert all(_same(a, b, rel=0) for a, b in zip(med, km.median_ci(time[order], event[order], conf_type)))


@given(survival_data())
def test_km_and_its_median_equal_lifelines(data):
    time, event, _ = data
    table = km.kaplan_meier(time, event)
    kmf = KaplanMeierFitter().fit(time, event)
    ref = kmf.survival_function_.iloc[:, 0].reindex(table["time"]).to_numpy()
    np.testing.assert_allclose(table["surv"], ref, rtol=1e-12, atol=1e-15)
    # the two median rules differ only where S is flat at exactly 1/2
    if not (np.abs(table["surv"].to_numpy() - 0.5) < km.TOLERANCE).any():
        ours = km.median_ci(time, event)[0]
        theirs = kmf.median_survival_time_
        assert (math.isnan(ours) and math.isinf(theirs)) or ours == pytest.approx(theirs, rel=1e-12)


# ----------------------------------------------------------------------------- log-rank
@given(survival_data(groups=(2, 4)), st.sampled_from([0.0, 1.0]), st.randoms(use_true_random=False))
def test_logrank_is_non_negative_and_invariant_to_labels_and_row_order(data, rho, rnd):
    time, event, group = data
    res = logrank.survdiff(time, event, group, rho)
    assert res.df == len(np.unique(group)) - 1
    if math.isnan(res.chi2):
        assert math.isnan(res.p)
    else:
        assert res.chi2 >= -EPS and 0 <= res.p <= 1
    assert sum(res.observed) == pytest.approx(sum(res.expected), rel=1e-9, abs=1e-9)
    if rho == 0:
        assert sum(res.observed) == event.sum()
    levels = sorted(set(group.tolist()))
    shuffled = rnd.sample(levels, len(levels))
    relabel = {a: f"arm {b}" for a, b in zip(levels, shuffled)}  # other labels, other order
    order = np.array(rnd.sample(range(len(time)), len(time)))
    other = logrank.survdiff(time[order], event[order], np.array([relabel[g] for g in group[order]]), rho)
    assert _same(res.chi2, other.chi2, rel=1e-8)
    observed, expected = dict(zip(res.groups, res.observed)), dict(zip(res.groups, res.expected))
    other_observed, other_expected = dict(zip(other.groups, other.observed)), dict(zip(other.groups, other.expected))
    for a in levels:
        assert other_observed[relabel[a]] == pytest.approx(observed[a], rel=1e-12)
        assert other_expected[relabel[a]] == pytest.approx(expected[a], rel=1e-9, abs=1e-12)


@given(survival_data(groups=(2, 4)))
def test_logrank_equals_lifelines_for_two_and_more_groups(data):
    time, event, group = data
    k = len(np.unique(group))
    assume(k >= 2 and event.sum() > 0)
    ours = logrank.survdiff(time, event, group)
    if k == 2:
        a, b = np.unique(group)
        ref = ll_logrank(time[group == a], time[group == b], event[group == a], event[group == b])
    else:
        ref = multivariate_logrank_test(time, group, event)
    assert ours.chi2 == pytest.approx(ref.test_statistic, rel=1e-8, abs=1e-10)


def _informative(time, event, in_group) -> bool:
    """The two-group log-rank variance is positive: at some event time at least two subjects are at
    risk, not all of them have the event, and both groups are among them."""
    for u in np.unique(time[event == 1]):
        at_risk = time >= u
        n, d, n1 = at_risk.sum(), ((time == u) & (event == 1)).sum(), (at_risk & in_group).sum()
        if n >= 2 and d < n and 0 < n1 < n:
            return True
    return False


@given(survival_data(groups=(2, 2)))
def test_two_group_fast_path_gives_the_logrank_p(data):
    time, event, group = data
    assume(_informative(time, event, group == 1))  # the uninformative case: the xfail test below
    p = logrank.two_sample_p(time, event, group == 1)
    assert _same(p, logrank.survdiff(time, event, group).p, rel=1e-9)


UNINFORMATIVE = pytest.mark.parametrize(
    "time, event, group",
    [
        ([1, 2], [0, 1], [0, 1]),  # one subject at risk at the only event time
        ([3, 3], [1, 1], [0, 1]),  # everyone at risk has the event
        ([1, 2, 5, 6], [0, 0, 1, 1], [0, 0, 1, 1]),  # group 0 has left before the first event
    ],
    ids=["one at risk", "all at risk die", "one group at risk"],
)


@UNINFORMATIVE
def test_uninformative_logrank_is_reported_alike_by_every_path(time, event, group):
    # a zero log-rank variance (no event time with both groups at risk and a survivor): the one
    # implementation (analysis.stats.logrank) says chi2 = 0, p = 1, as R survdiff and lifelines do, with
    # its note; the fast two-group p and the bootstrap statistic are the same computation (issue 14's
    # strict xfail, closed by issue 22)
    t, e, g = np.array(time, float), np.array(event, float), np.array(group)
    assert not _informative(t, e, g == 1)
    full = logrank.survdiff(t, e, g)
    design = resampling.Design(t, e, g == 1)
    assert (full.chi2, full.p, full.note) == (0.0, 1.0, logrank.NO_VARIANCE)
    assert logrank.two_sample_p(t, e, g == 1) == 1.0
    assert resampling.logrank_chi2(design, design.observed)[0] == 0.0
    ref = ll_logrank(t[g == 0], t[g == 1], e[g == 0], e[g == 1])
    assert ref.test_statistic == pytest.approx(0.0, abs=1e-12) and ref.p_value == pytest.approx(1.0)


# ----------------------------------------------------------------------------- Cox
@given(survival_data(max_size=150, groups=(2, 2)))
def test_cox_hazard_ratio_of_the_swapped_group_is_the_inverse(data):
    time, event, group = data
    x = group.astype(float)
    fit, swapped = survival.cox(time, event, x), survival.cox(time, event, 1 - x)
    assert bool(fit.reason) == bool(swapped.reason), (fit.reason, swapped.reason)
    if fit.reason:
        assert all(math.isnan(v) for d in (fit, swapped) for v in (d.hr, d.lower, d.upper, d.p))
        return
    assert swapped.hr == pytest.approx(1 / fit.hr, rel=1e-6)
    assert swapped.lower == pytest.approx(1 / fit.upper, rel=1e-6)
    assert swapped.upper == pytest.approx(1 / fit.lower, rel=1e-6)
    assert swapped.p == pytest.approx(fit.p, rel=1e-6, abs=1e-12)
    assert fit.lower <= fit.hr <= fit.upper and 0 <= fit.p <= 1


@given(survival_data(max_size=150, groups=(1, 3)), st.sampled_from([None, 2, 3]))
def test_group_summary_never_raises_and_says_why_a_number_is_missing(data, missing_every):
    # valid but degenerate data (one group, no events, a group without events, nobody with the
    # grouping recorded) is a result with a reason, not an error
    time, event, group = data
    g = pd.array(group, dtype="Int8")
    if missing_every:
        g[::missing_every] = pd.NA
    frame = pd.DataFrame({"time": time, "event": event, "g": g})
    out = survival.group_summary(frame, by="g")
    assert {"group", "n", "events", "median", "logrank_p", "hr", "hr_lower", "hr_upper", "test_note"} <= set(out)
    assert len(out) == frame["g"].nunique() and out["n"].sum() == frame["g"].notna().sum()
    assert (out["events"] <= out["n"]).all()
    if len(out) and (out[["logrank_p", "hr"]].isna().any(axis=None)):
        assert (out["test_note"] != "").all(), out
    if len(out) and (out["test_note"] == "").all():
        assert out[["logrank_p", "hr", "hr_lower", "hr_upper"]].notna().all(axis=None)


# ----------------------------------------------------------------------------- risk tables, competing risks
@given(survival_data(), st.lists(st.integers(0, 1000), min_size=1, max_size=12))
def test_numbers_at_risk_are_non_increasing_and_account_for_everyone(data, ticks):
    time, event, _ = data
    ticks = sorted({t / 30 for t in ticks})
    table = survival.risk_table(time, event, ticks)
    at_risk, events, censored = (table[c].to_numpy() for c in ("at_risk", "events", "censored"))
    assert (np.diff(at_risk) <= 0).all() and (np.diff(events) >= 0).all() and (np.diff(censored) >= 0).all()
    exactly_at = np.array([(time == t).sum() for t in ticks])
    np.testing.assert_array_equal(at_risk + events + censored - exactly_at, len(time))
    landmarks = survival.survival_at(time, event, ticks)
    assert (np.diff(landmarks["n_risk"]) <= 0).all()
    s = landmarks["surv"].dropna().to_numpy()
    assert (np.diff(s) <= 0).all()


@given(survival_data(groups=(1, 4)))
def test_cumulative_incidences_and_survival_add_up_to_one(data):
    time, event, group = data
    cause = np.where(event == 1, np.array([f"cause {g}" for g in group], dtype=object), "")
    cif = survival.cumulative_incidence(time, cause)
    s = km.kaplan_meier(time, event)["surv"].to_numpy()
    causes = cif.columns[1:]
    total = cif[causes].sum(axis=1).to_numpy() if len(causes) else np.zeros(len(cif))
    np.testing.assert_allclose(total + s, 1.0, rtol=0, atol=1e-12)
    for c in causes:
        assert (np.diff(cif[c].to_numpy()) >= -EPS).all()


# ----------------------------------------------------------------------------- bootstrap
@given(survival_data(groups=(1, 2)), st.integers(1, 50), st.integers(0, 2**32 - 1))
def test_bootstrap_weights_are_counts_summing_to_n_and_reproducible(data, replicates, seed):
    time, event, group = data
    design = resampling.Design(time, event, group == 1)
    w = resampling.bootstrap_weights(design, replicates, np.random.default_rng(seed))
    assert w.shape == (replicates, design.observed.shape[1])
    assert (w >= 0).all() and (w == np.round(w)).all()
    np.testing.assert_array_equal(w.sum(axis=1), len(time))
    np.testing.assert_array_equal(w, resampling.bootstrap_weights(design, replicates, np.random.default_rng(seed)))
    # the observed weights stand for the data itself
    t, e, g = design.expand(design.observed[0])
    assert sorted(zip(t, e, g)) == sorted(zip(time, event, (group == 1).astype(int)))


@given(survival_data(groups=(2, 2)), st.integers(0, 2**32 - 1))
def test_a_bootstrap_replicate_is_the_estimator_on_the_expanded_resample(data, seed):
    time, event, group = data
    design = resampling.Design(time, event, group == 1)
    w = np.vstack([design.observed, resampling.bootstrap_weights(design, 3, np.random.default_rng(seed))])
    medians = resampling.medians(design, w)
    at = resampling.survival_at(design, w, [1.0, 6.0, 12.0])
    chi2 = resampling.logrank_chi2(design, w)
    for b in range(len(w)):
        tb, eb, gb = design.expand(w[b])
        gb = gb.astype(bool)
        assert _same(medians[b], km.median_ci(tb, eb)[0], rel=1e-12)
        table = km.kaplan_meier(tb, eb)
        for j, t in enumerate([1.0, 6.0, 12.0]):
            prior = table["surv"][table["time"] <= t]
            assert at[b, j] == pytest.approx(prior.iloc[-1] if len(prior) else 1.0, rel=1e-12)
        if gb.all() or not gb.any() or eb.sum() == 0:
            assert math.isnan(chi2[b])
        elif _informative(tb, eb, gb):
            assert chi2[b] == pytest.approx(logrank.survdiff(tb, eb, gb).chi2, rel=1e-9, abs=1e-12)


# ----------------------------------------------------------------------------- proportions
@given(st.integers(1, 500), st.data())
def test_clopper_pearson_contains_the_proportion_is_symmetric_and_equals_statsmodels(n, data):
    k = data.draw(st.integers(0, n), label="k")
    lo, hi = proportions.clopper_pearson(k, n)
    assert 0 <= lo <= k / n <= hi <= 1
    mirror_lo, mirror_hi = proportions.clopper_pearson(n - k, n)
    assert lo == pytest.approx(1 - mirror_hi, abs=1e-12) and hi == pytest.approx(1 - mirror_lo, abs=1e-12)
    ref = proportion_confint(k, n, method="beta")
    assert (lo, hi) == pytest.approx(ref, abs=1e-12)
