"""Baseline, regimen and delay assignment of the synthetic cohort, on hand-made targets."""

import numpy as np
import pytest

from analysis.paper.synthetic.attributes import exact_median_sample


@pytest.mark.parametrize("n, median, lo, hi", [(44, 66.5, 45, 82), (44, 4, 2, 9), (43, 28, 4, 197), (8, 10, 1, 20)])
def test_exact_median_sample_has_the_requested_median_min_and_max(n, median, lo, hi):
    v = exact_median_sample(n, median, lo, hi, np.random.default_rng(5))
    assert len(v) == n and np.median(v) == median and v.min() == lo and v.max() == hi


def test_delays_by_cycles_keep_median_range_and_grow_with_cycles():
    from analysis.paper.synthetic.attributes import delays_by_cycles

    rng = np.random.default_rng(3)
    cycles = np.array([1] * 30 + [2] * 7 + [3] * 4 + [4] * 3)
    d = delays_by_cycles(cycles, 28, 4, 197, rng)
    assert np.median(d) == 28 and d.min() == 4 and d.max() == 197
    assert d[cycles == 2].min() >= d[cycles == 1].max() - 0
    assert d[cycles >= 3].min() >= 49  # 3 cycles take at least ~7 weeks
