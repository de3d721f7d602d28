"""Risk sets from one sort (analysis.stats.risksets) equal the subject × time comparison they replace."""

import numpy as np
import pytest

from analysis.stats import risksets


def test_counts_overall_and_per_group_equal_brute_force():
    rng = np.random.default_rng(5)
    t = rng.integers(0, 30, 400).astype(float)
    e = (rng.random(400) < 0.5).astype(float)
    g = rng.choice(["a", "b", "c"], 400)
    c = risksets.counts(t, e, g)
    assert list(c.times) == sorted(set(t))
    for k, u in enumerate(c.times):
        assert c.n_risk[k] == (t >= u).sum() and c.n_event[k] == ((t == u) & (e == 1)).sum()
        assert c.n_censor[k] == ((t == u) & (e == 0)).sum()
        for j, level in enumerate(c.levels):
            assert c.risk_by[j, k] == ((t >= u) & (g == level)).sum()
            assert c.event_by[j, k] == ((t == u) & (e == 1) & (g == level)).sum()


def test_at_risk_and_cumulative_counts_at_any_time():
    t = np.array([1, 2, 2, 3, 5, 8.0])
    e = np.array([1, 0, 1, 1, 0, 1])
    assert risksets.at_risk(t, [0, 2, 2.5, 8, 9]).tolist() == [6, 5, 3, 1, 0]
    assert risksets.cumulative_at(t, e == 1, [0, 2, 8]).tolist() == [0, 2, 4]
    assert risksets.cumulative_at(t, e == 0, [2, 5]).tolist() == [1, 2]


def test_counts_at_times_are_integers_and_a_0_1_mask_is_a_mask():
    """Numbers at risk and cumulative counts are int64 (as R's n.risk prints them); the mask may be the 0/1 event
    column itself, taken as truth values, not as positions."""
    t = np.array([1, 2, 2, 3, 5, 8.0])
    e = [1, 0, 1, 1, 0, 1]
    assert risksets.at_risk(t, [0, 2, 9]).dtype == np.int64
    events = risksets.cumulative_at(t, e, [0, 2, 8])
    assert events.dtype == np.int64 and events.tolist() == [0, 2, 4]
    assert risksets.cumulative_at(t, [0, 0, 0, 0, 0, 1], [7, 8]).tolist() == [0, 1]


def test_a_mask_of_the_wrong_length_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"^mask has 2 values but time has 3: give one mask label per subject$"):
        risksets.cumulative_at([1, 2, 3], [True, False], [2])


def test_counts_without_the_checks_is_the_same_table():
    """check=False skips the input checks and nothing else: integer times and 0/1 events given as lists still give
    the float64 table (times 1.0, 2.0, 3.0), overall and per group."""
    checked = risksets.counts([1, 2, 2, 3], [1, 1, 0, 0], group=["a", "b", "a", "b"])
    unchecked = risksets.counts([1, 2, 2, 3], [1, 1, 0, 0], group=["a", "b", "a", "b"], check=False)
    for c in (checked, unchecked):
        assert c.times.dtype == c.n_risk.dtype == c.n_event.dtype == c.n_censor.dtype == np.float64
        assert c.times.tolist() == [1.0, 2.0, 3.0] and c.n_risk.tolist() == [4.0, 3.0, 1.0]
        assert c.n_event.tolist() == [1.0, 1.0, 0.0] and c.n_censor.tolist() == [0.0, 1.0, 1.0]
        assert c.levels.tolist() == ["a", "b"] and c.risk_by.tolist() == [[2.0, 1.0, 0.0], [2.0, 2.0, 1.0]]
        assert c.event_by.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
