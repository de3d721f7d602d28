"""survdiff (analysis.stats.logrank): equal to R with k groups, rho 0/1 and strata, and to the dense version."""

import json

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.stats import logrank

REF = json.loads((paths.TESTS / "r" / "strata_reference.json").read_text())
DATA = pd.read_csv(paths.TESTS / "r" / "strata_input.csv")


@pytest.mark.parametrize("group", ["x", "group"])
@pytest.mark.parametrize("rho", [0, 1])
def test_equals_r_survdiff_with_and_without_strata(group, rho):
    ref = REF[f"survdiff_{group}_rho{rho}"]
    plain = logrank.survdiff(DATA["time"], DATA["event"], DATA[group], rho)
    assert plain.chi2 == pytest.approx(ref["chisq"], rel=1e-9)
    np.testing.assert_allclose(list(plain.observed), ref["observed"], rtol=1e-10)
    np.testing.assert_allclose(list(plain.expected), ref["expected"], rtol=1e-10)
    strat = logrank.survdiff(DATA["time"], DATA["event"], DATA[group], rho, strata=DATA["centre"])
    assert strat.chi2 == pytest.approx(ref["strata_chisq"], rel=1e-9)


def _dense(t, e, g, rho):
    """The groups × subjects × event-times formulation it replaces."""
    levels = np.unique(g)
    times = np.unique(t[e == 1])
    member = (g[None, :] == levels[:, None]).astype(float)
    at_risk = member @ (t[:, None] >= times[None, :]).astype(float)
    deaths = member @ ((t[:, None] == times[None, :]) & (e[:, None] == 1)).astype(float)
    n, d = at_risk.sum(axis=0), deaths.sum(axis=0)
    w = np.concatenate(([1.0], np.cumprod(1 - d / n)[:-1])) ** rho
    obs, exp = (w * deaths).sum(axis=1), (w * at_risk * d / n).sum(axis=1)
    factor = np.where(n > 1, w * w * d * (n - d) / (n * n * np.maximum(n - 1, 1)), 0.0)
    var = np.diag((factor * at_risk * n).sum(axis=1)) - (factor * at_risk) @ at_risk.T
    diff = (obs - exp)[:-1]
    return float(diff @ np.linalg.pinv(var[:-1, :-1]) @ diff)


def test_equals_the_dense_formulation_to_1e_10():
    rng = np.random.default_rng(11)
    for _ in range(60):
        n = int(rng.integers(4, 150))
        t = rng.integers(1, 20, n).astype(float)
        e = (rng.random(n) < 0.6).astype(float)
        g = rng.integers(0, int(rng.integers(2, 5)), n)
        if e.sum() == 0 or len(np.unique(g)) < 2:
            continue
        for rho in (0, 1):
            assert logrank.survdiff(t, e, g, rho).chi2 == pytest.approx(_dense(t, e, g, rho), rel=1e-10, abs=1e-12)


def test_one_group_or_no_events_is_not_estimable():
    assert np.isnan(logrank.survdiff([1, 2, 3], [1, 0, 1], [1, 1, 1]).p)
    assert np.isnan(logrank.survdiff([1, 2, 3], [0, 0, 0], [0, 1, 1]).p)


def test_replicate_chi2_equals_survdiff_on_each_sample_with_empty_and_single_subject_risk_sets():
    """Small samples on a common grid of times 1..8: late times with nobody at risk (n = 0), a last subject alone
    (n = 1) and pairs from both groups (n = 2) occur in most rows; each row is survdiff on its sample (NaN where a
    group is empty or there is no event), computed without a floating-point warning."""
    rng = np.random.default_rng(23)
    grid = np.arange(1.0, 9.0)
    samples, rows = [], []
    for _ in range(300):
        m = int(rng.integers(2, 9))
        t, e, g = rng.integers(1, 9, m).astype(float), (rng.random(m) < 0.7).astype(float), rng.integers(0, 2, m)
        at_risk, died = t[None, :] >= grid[:, None], (t[None, :] == grid[:, None]) & (e[None, :] == 1)
        rows.append(
            [at_risk.sum(axis=1), died.sum(axis=1), (at_risk & (g == 1)).sum(axis=1), (died & (g == 1)).sum(axis=1)]
        )
        samples.append((t, e, g))
    n, d, n1, d1 = (np.array([r[i] for r in rows]) for i in range(4))
    assert (n == 0).any() and (n == 1).any() and ((n == 2) & (n1 == 1)).any()
    # raise whatever numpy's process-wide state: lifelines' KaplanMeierFitter calls
    # np.seterr(divide="ignore", invalid="ignore") and leaves it so for every later test
    with np.errstate(divide="raise", invalid="raise"):
        chi2 = logrank.replicate_chi2(n, d, n1, d1)
    estimable = 0
    for b, (t, e, g) in enumerate(samples):
        if len(np.unique(g)) < 2 or e.sum() == 0:
            assert np.isnan(chi2[b])
            continue
        assert chi2[b] == pytest.approx(logrank.survdiff(t, e, g).chi2, rel=1e-12, abs=1e-12)
        estimable += 1
    assert estimable > 150


def test_two_sample_p_with_one_group_empty_is_not_estimable():
    t, e = [1, 2, 3, 4], [1, 1, 0, 1]
    for in_group in ([True] * 4, [False] * 4, [1, 1, 1, 1], [0, 0, 0, 0]):
        assert np.isnan(logrank.two_sample_p(t, e, in_group))
        assert np.isnan(logrank.survdiff(t, e, in_group).p)


def test_bad_group_strata_or_mask_is_refused_naming_the_argument():
    t, e = [1, 2, 3], [1, 0, 1]
    with pytest.raises(ValueError, match=r"^in_group has 2 values but time has 3: give one in_group label"):
        logrank.two_sample_p(t, e, [True, False])
    with pytest.raises(ValueError, match=r"^group\[0\] is missing: every subject needs a group label"):
        logrank.survdiff(t, e, [None, "a", "b"])
    with pytest.raises(ValueError, match=r"^strata\[2\] is missing: every subject needs a strata label"):
        logrank.survdiff(t, e, [0, 1, 1], strata=[1.0, 2.0, np.nan])


def test_to_frame_is_one_row_per_group():
    """The docstring example: O = (2, 2), E = (0.9, 3.1), χ² = 1.1² / 0.49 on 1 df."""
    r = logrank.survdiff([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], ["a", "a", "a", "b", "b", "b"])
    frame = r.to_frame()
    assert frame.columns.tolist() == ["group", "observed", "expected", "chi2", "df", "p"]
    assert frame["group"].tolist() == ["a", "b"] and frame["observed"].tolist() == [2.0, 2.0]
    np.testing.assert_allclose(frame["expected"], [0.9, 3.1], rtol=1e-14)
    np.testing.assert_allclose(frame["chi2"], [1.21 / 0.49] * 2, rtol=1e-14)
    assert frame["df"].tolist() == [1, 1] and frame["p"].tolist() == [r.p, r.p]


def test_fleming_harrington_weight_is_the_pooled_survival_to_the_power_rho():
    """rho = 0.5 and 2 (not only 0 and 1, where S^rho and S·rho agree): equal to the dense formulation."""
    rng = np.random.default_rng(29)
    for _ in range(15):
        n = int(rng.integers(6, 80))
        t = rng.integers(1, 15, n).astype(float)
        e = (rng.random(n) < 0.7).astype(float)
        g = rng.integers(0, int(rng.integers(2, 4)), n)
        if e.sum() == 0 or len(np.unique(g)) < 2:
            continue
        for rho in (0.5, 2.0):
            assert logrank.survdiff(t, e, g, rho).chi2 == pytest.approx(_dense(t, e, g, rho), rel=1e-10, abs=1e-12)


def test_p_value_on_one_degree_of_freedom_is_erfc_bit_for_bit():
    """The module's definition, p = erfc(√(χ²/2)) for two groups (the arithmetic the synthetic calibration uses);
    scipy's chdtrc for more groups."""
    import math

    from scipy import stats

    rng = np.random.default_rng(31)
    for _ in range(20):
        t, e = rng.integers(1, 30, 50).astype(float), (rng.random(50) < 0.7).astype(float)
        two = logrank.survdiff(t, e, rng.integers(0, 2, 50))
        assert two.p == math.erfc(math.sqrt(two.chi2 / 2))
        three = logrank.survdiff(t, e, rng.integers(0, 3, 50))
        assert three.df == 2 and three.p == pytest.approx(stats.chi2.sf(three.chi2, 2), rel=1e-12)


def test_each_degenerate_case_says_why():
    t = [1, 2, 3, 4, 5, 6]
    assert logrank.survdiff(t, [0] * 6, [0, 0, 0, 1, 1, 1]).note == logrank.NO_EVENTS
    assert logrank.survdiff(t, [0] * 6, [0, 0, 1, 1, 2, 2]).note == logrank.NO_EVENTS
    assert logrank.survdiff(t, [0] * 6, [0] * 6).note == logrank.NO_GROUPS
    assert logrank.survdiff(t, [1, 1, 0, 1, 1, 0], [0] * 6).note == logrank.NO_GROUPS
    both_die = logrank.survdiff([1, 1], [1, 1], [0, 1])  # n = d = 2: a hypergeometric variance of 0
    assert (both_die.chi2, both_die.p, both_die.note) == (0.0, 1.0, logrank.NO_VARIANCE)
    # the docstring example, V = 0.49 (< 1): a test, with no note
    assert logrank.survdiff(t, [1, 1, 0, 1, 1, 0], [0, 0, 0, 1, 1, 1]).note == ""


def test_a_group_censored_before_the_first_event_adds_nothing_to_the_statistic():
    """Three groups, group 0 censored at 0.5: its rows of V are 0 but the others have variance (no note), and χ² is
    the two-group statistic of groups 1 and 2 (the docstring example, 1.1² / 0.49)."""
    r = logrank.survdiff([0.5, 0.5, 1, 2, 3, 4, 5, 6], [0, 0, 1, 1, 0, 1, 1, 0], [0, 0, 1, 1, 1, 2, 2, 2])
    assert r.note == "" and r.chi2 == pytest.approx(1.21 / 0.49, rel=1e-12)
    assert r.observed == (0.0, 2.0, 2.0) and r.expected == pytest.approx((0.0, 0.9, 3.1), rel=1e-12)


def test_a_last_subject_alone_at_risk_raises_no_floating_point_error():
    """n = 1 at the last event time: its variance term is 0 (not 0/0 warned about), with and without weights."""
    t, e, g = [1, 2, 3, 4, 5], [1, 0, 1, 1, 1], [0, 1, 0, 1, 0]
    # raise whatever numpy's process-wide state: lifelines' KaplanMeierFitter calls
    # np.seterr(divide="ignore", invalid="ignore") and leaves it so for every later test
    with np.errstate(divide="raise", invalid="raise"):
        for rho in (0, 1):
            assert logrank.survdiff(t, e, g, rho).chi2 == pytest.approx(_dense(*map(np.asarray, (t, e, g)), rho))


def test_replicate_chi2_takes_any_leading_shape():
    """One sample as 1-D arrays (times), and replicates arranged as a 2 × 3 grid: each the survdiff χ² of its sample."""
    rng = np.random.default_rng(37)
    grid = np.arange(1.0, 7.0)
    tables, chi2 = [], []
    for _ in range(6):
        t, e, g = rng.integers(1, 7, 12).astype(float), (rng.random(12) < 0.7).astype(float), np.arange(12) % 2
        e[0] = 1.0
        at_risk, died = t[None, :] >= grid[:, None], (t[None, :] == grid[:, None]) & (e[None, :] == 1)
        tables.append(
            [at_risk.sum(axis=1), died.sum(axis=1), (at_risk & (g == 1)).sum(axis=1), (died & (g == 1)).sum(axis=1)]
        )
        chi2.append(logrank.survdiff(t, e, g).chi2)
    one = logrank.replicate_chi2(*tables[0])
    assert one.shape == () and float(one) == pytest.approx(chi2[0], rel=1e-12)
    stacked = logrank.replicate_chi2(*(np.array([tab[i] for tab in tables]).reshape(2, 3, -1) for i in range(4)))
    assert stacked.shape == (2, 3)
    np.testing.assert_allclose(stacked.ravel(), chi2, rtol=1e-12)


def test_two_sample_p_takes_in_group_as_truth_values():
    """Any non-zero code is in the group (a count of sites 0/1/2, or a 0/2 coding): the p-value of the 0/1 mask, the
    docstring example's χ² = 1.1² / 0.49, p = erfc(√(χ²/2)) = 0.1161."""
    import math

    t, e = [1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0]
    p = logrank.two_sample_p(t, e, [False, False, False, True, True, True])
    assert p == pytest.approx(math.erfc(math.sqrt(1.21 / 0.49 / 2)), rel=1e-12)
    assert logrank.two_sample_p(t, e, [0, 0, 0, 1, 2, 2]) == p
    assert logrank.two_sample_p(t, e, [0, 0, 0, 2, 2, 2]) == p


def test_two_group_statistic_is_summed_over_the_event_times_alone_bit_for_bit():
    """χ² = U²/V with U = Σ d₁ − Σ n₁·d/n and V = Σ_{n>1} d(n − d)·n₁(n − n₁)/(n²(n − 1)), each a numpy sum over the
    event times alone in time order: the arithmetic the synthetic cohort was calibrated with (two_sample_p in
    analysis/paper/synthetic/times.py), so its bits are pinned. Times with censorings only add no term — not even a
    zero, which would regroup numpy's pairwise sums and move the last bits."""
    import math

    rng = np.random.default_rng(1)
    t = rng.integers(1, 80, 300).astype(float)
    e = (rng.random(300) < 0.5).astype(float)
    g = rng.random(300) < 0.5
    times = np.unique(t[e == 1])
    assert len(np.unique(t)) > len(times) > 50  # censoring-only times among many event times
    at_risk, died = t[None, :] >= times[:, None], (t[None, :] == times[:, None]) & (e[None, :] == 1)
    n, d = at_risk.sum(axis=1).astype(float), died.sum(axis=1).astype(float)
    n1, d1 = (at_risk & g).sum(axis=1).astype(float), (died & g).sum(axis=1).astype(float)
    ok = n > 1
    u = d1.sum() - np.sum(n1 * d / n)
    v = np.sum(d[ok] * (n[ok] - d[ok]) * n1[ok] * (n[ok] - n1[ok]) / (n[ok] ** 2 * (n[ok] - 1.0)))
    chi2 = float(u**2 / v)
    assert logrank.survdiff(t, e, g).chi2 == chi2
    assert logrank.two_sample_p(t, e, g) == math.erfc(math.sqrt(chi2 / 2))
