"""Building blocks of the synthetic-cohort generator, on hand-made targets (no registry needed)."""
import numpy as np
import pytest

from analysis import km
from analysis.synthetic.attributes import exact_median_sample
from analysis.synthetic.milp import Model
from analysis.synthetic.times import (Calibrator, MedianTarget, TimeState, TimeTargets, _scale_to_count,
                                      cycle_status)


def test_milp_counts_and_implications_hold_and_seeds_differ():
    picks = []
    for seed in (1, 2):
        m = Model(10, np.random.default_rng(seed))
        a, b = m.var("a"), m.var("b")
        m.count("a", a, 4)
        m.count("b", b, 2)
        for i in range(10):
            m.implies(b[i], a[i])                    # b only where a
        sol = m.solve()
        assert sol["a"].sum() == 4 and sol["b"].sum() == 2 and not sol.missed()
        assert np.all(sol["b"] <= sol["a"])
        picks.append(tuple(sol["a"]))
    assert picks[0] != picks[1]


def test_milp_soft_count_reports_the_shortfall_instead_of_failing():
    m = Model(5, np.random.default_rng(0))
    a = m.var("a")
    m.count("too many", a, 7)
    sol = m.solve()
    assert sol["a"].sum() == 5 and sol.missed() == {"too many": -2.0}


@pytest.mark.parametrize("n, median, lo, hi", [(44, 66.5, 45, 82), (44, 4, 2, 9), (43, 28, 4, 197), (8, 10, 1, 20)])
def test_exact_median_sample_has_the_requested_median_min_and_max(n, median, lo, hi):
    v = exact_median_sample(n, median, lo, hi, np.random.default_rng(5))
    assert len(v) == n and np.median(v) == median and v.min() == lo and v.max() == hi


def test_scale_to_count_gives_exactly_k_events():
    rng = np.random.default_rng(1)
    latent, limit = rng.exponential(100, 40), rng.uniform(50, 300, 40)
    for k in (0, 5, 19, 40):
        assert (_scale_to_count(latent, limit, k) < limit).sum() == k


def _state():
    # 4 patients, entry day 0, cut-off day 400: progression day 30 (cycle 2), death day 100, alive, PD in cycle 1
    return TimeState(entry=np.array([0, 0, 0, 0]), cutoff=400, prog_day=np.array([30, -1, -1, 20]),
                     death_day=np.array([-1, 100, -1, -1]), cause=np.array(["", "other", "", ""], dtype=object))


def test_cycle_status_free_and_pd_windows():
    st = cycle_status(_state())
    free1, pd1 = st[1]
    assert list(free1) == [True, True, True, False]        # patient 0 progresses on day 30 > 28
    assert list(pd1) == [False, False, False, True]        # progression on day 20 is within cycle 1
    free3, pd3 = st[3]
    assert list(free3) == [False, True, True, False] and not pd3.any()   # day 30 is in cycle 2: no PD at C3
    free6, _ = st[6]
    assert list(free6) == [False, False, True, False]       # death on day 100 < 168


def test_calibrator_statistics_equal_the_km_module():
    rng = np.random.default_rng(0)
    n = 30
    s = TimeState(entry=rng.integers(0, 300, n), cutoff=900, prog_day=np.where(rng.random(n) < .6,
                  rng.integers(14, 400, n), -1), death_day=-np.ones(n, int), cause=np.array([""] * n, dtype=object))
    emd = np.array([0, 1] * 15)
    targets = TimeTargets(medians=(MedianTarget("PFS", "all", 10, 5, None),), pvalues={}, deaths_by_cause={},
                          followup_median=12, followup_min=1, followup_max=31, accrual_days=300)
    cal = Calibrator(targets, emd, np.zeros(n, int), rng)
    stats = cal.statistics(s)
    pfs_d, pfs_e, *_ = s.endpoint_arrays()
    expected = km.median_ci(pfs_d / 30.4375, pfs_e)
    np.testing.assert_allclose(stats[("PFS", "all")][:3], expected, equal_nan=True)
    p = km.logrank_test(pfs_d / 30.4375, pfs_e, emd)["p"]
    assert stats[("PFS", "emd")] == pytest.approx(p, rel=1e-9)


def test_responses_can_deepen_across_cycles_regression():
    # Regression: the depth constraint once forbade two non-PD assessments in one patient
    # (its coefficients were overwritten in a dict merge), so C1 and C3 could not both be assessed.
    from analysis.synthetic.responses import ResponseTargets, assign_responses
    n = 4
    s = TimeState(entry=np.zeros(n, int), cutoff=500, prog_day=-np.ones(n, int), death_day=-np.ones(n, int),
                  cause=np.array([""] * n, dtype=object))
    targets = ResponseTargets(cycle={(1, "all"): {"evaluable": 4, "responders": 2},
                                     (3, "all"): {"evaluable": 4, "responders": 4, "cr": 1}},
                              best={"CR": 1, "VGPR": 0, "PR": 3}, chemo={}, conversion={})
    res = assign_responses(s, np.zeros(n, int), np.zeros(n, int), targets, np.random.default_rng(0))
    assert res.missed == {}
    rank = {"sCR": 0, "CR": 0, "VGPR": 1, "PR": 2, "MR": 3, "SD": 3}
    for i in range(n):
        assert rank[res.cycles[3][i]] <= rank[res.cycles[1][i]]          # never shallower at C3
        assert rank[res.best[i]] <= rank[res.cycles[3][i]]              # best at least every recorded one


def test_delays_by_cycles_keep_median_range_and_grow_with_cycles():
    from analysis.synthetic.attributes import delays_by_cycles
    rng = np.random.default_rng(3)
    cycles = np.array([1] * 30 + [2] * 7 + [3] * 4 + [4] * 3)
    d = delays_by_cycles(cycles, 28, 4, 197, rng)
    assert np.median(d) == 28 and d.min() == 4 and d.max() == 197
    assert d[cycles == 2].min() >= d[cycles == 1].max() - 0
    assert d[cycles >= 3].min() >= 49                     # 3 cycles take at least ~7 weeks
