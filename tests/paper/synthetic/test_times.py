"""Survival-time calibration of the synthetic cohort (annealing), on hand-made targets (no registry needed)."""

import numpy as np
import pytest

from analysis.paper.synthetic.times import (
    Calibrator,
    MedianTarget,
    TimeState,
    TimeTargets,
    _curve_stats,
    _scale_to_count,
    cycle_status,
)
from analysis.stats import km, logrank


def test_scale_to_count_gives_exactly_k_events():
    rng = np.random.default_rng(1)
    latent, limit = rng.exponential(100, 40), rng.uniform(50, 300, 40)
    for k in (0, 5, 19, 40):
        assert (_scale_to_count(latent, limit, k) < limit).sum() == k


def _state():
    # 4 patients, entry day 0, cut-off day 400: progression day 30 (cycle 2), death day 100, alive, PD in cycle 1
    return TimeState(
        entry=np.array([0, 0, 0, 0]),
        cutoff=400,
        prog_day=np.array([30, -1, -1, 20]),
        death_day=np.array([-1, 100, -1, -1]),
        cause=np.array(["", "other", "", ""], dtype=object),
    )


def test_cycle_status_free_and_pd_windows():
    st = cycle_status(_state())
    free1, pd1 = st[1]
    assert list(free1) == [True, True, True, False]  # patient 0 progresses on day 30 > 28
    assert list(pd1) == [False, False, False, True]  # progression on day 20 is within cycle 1
    free3, pd3 = st[3]
    assert list(free3) == [False, True, True, False] and not pd3.any()  # day 30 is in cycle 2: no PD at C3
    free6, _ = st[6]
    assert list(free6) == [False, False, True, False]  # death on day 100 < 168


def test_calibrator_statistics_equal_the_km_module():
    rng = np.random.default_rng(0)
    n = 30
    s = TimeState(
        entry=rng.integers(0, 300, n),
        cutoff=900,
        prog_day=np.where(rng.random(n) < 0.6, rng.integers(14, 400, n), -1),
        death_day=-np.ones(n, int),
        cause=np.array([""] * n, dtype=object),
    )
    emd = np.array([0, 1] * 15)
    targets = TimeTargets(
        medians=(MedianTarget("PFS", "all", 10, 5, None),),
        pvalues={},
        deaths_by_cause={},
        followup_median=12,
        followup_min=1,
        followup_max=31,
        accrual_days=300,
    )
    cal = Calibrator(targets, emd, np.zeros(n, int), rng)
    stats = cal.statistics(s)
    pfs_d, pfs_e, *_ = s.endpoint_arrays()
    expected = km.survival_quantile(km.kaplan_meier(pfs_d / 30.4375, pfs_e))  # see the next test
    np.testing.assert_allclose(stats[("PFS", "all")][:3], expected, equal_nan=True)
    p = logrank.survdiff(pfs_d / 30.4375, pfs_e, emd).p
    assert stats[("PFS", "emd")] == pytest.approx(p, rel=1e-9)


def test_calibrator_still_judges_medians_by_quantile_survfit():
    # sim44 (tests/r/make_reference.R): the "log" upper band is not monotone; quantile() gives 15.5, R prints 8.0
    # (km.median_ci). Switching the calibrator to the printed rule changes the committed cohort (see _curve_stats).
    t = np.array(
        [
            8.5,
            2.0,
            3.0,
            4.0,
            1.0,
            0.5,
            8.5,
            0.5,
            2.5,
            1.5,
            8.0,
            7.0,
            10.5,
            3.5,
            8.5,
            1.5,
            8.0,
            2.5,
            22.5,
            0.5,
            5.0,
            5.0,
            10.5,
            0.5,
            5.0,
            1.5,
            0.5,
            15.5,
            11.0,
            5.0,
            0.5,
            1.5,
            6.5,
            2.5,
            1.0,
            7.0,
            3.5,
            1.5,
            6.5,
            4.0,
            11.0,
            5.0,
            2.0,
            1.5,
        ]
    )
    e = np.array(
        [
            0,
            1,
            1,
            1,
            1,
            1,
            0,
            1,
            1,
            1,
            1,
            0,
            0,
            1,
            0,
            1,
            1,
            0,
            0,
            1,
            1,
            0,
            0,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            0,
            1,
            0,
            1,
            1,
            1,
        ],
        dtype=float,
    )
    med, lo, hi, _ = _curve_stats(t, e)
    assert (med, lo, hi) == (4.0, 2.5, 15.5) == km.survival_quantile(km.kaplan_meier(t, e))
    assert km.median_ci(t, e) == (4.0, 2.5, 8.0)
