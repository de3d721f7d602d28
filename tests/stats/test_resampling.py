"""The vectorised bootstrap engine equals lifelines and analysis.stats.km replicate by replicate.

Random datasets on a coarse time grid (many ties between events and censorings), 200 replicates each:
every replicate is expanded to its resampled patients and fitted independently.
"""

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test

from analysis.stats import km, resampling


def _data(seed, n=44):
    rng = np.random.default_rng(seed)
    t = rng.integers(1, 25, n).astype(float) / 2  # half-month grid: ties
    e = (rng.random(n) < 0.65).astype(int)
    g = rng.integers(0, 2, n)
    return t, e, g


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_medians_equal_lifelines_and_R_rule_replicate_by_replicate(seed):
    t, e, _ = _data(seed)
    design = resampling.Design(t, e)
    w = resampling.bootstrap_weights(design, 200, np.random.default_rng(seed))
    life = resampling.medians(design, w, rule="lifelines")
    r_rule = resampling.medians(design, w, rule="R")
    for b in range(len(w)):
        tb, eb, _ = design.expand(w[b])
        assert life[b] == KaplanMeierFitter().fit(tb, eb).median_survival_time_
        expected = km.median_ci(tb, eb)[0]
        assert (np.isnan(expected) and np.isnan(r_rule[b])) or r_rule[b] == pytest.approx(expected, abs=1e-12)


def test_flat_at_half_uses_the_printed_midpoint_rule():
    design = resampling.Design([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 1, 1, 0, 0, 0, 0])
    w = design.observed
    assert resampling.medians(design, w, rule="R")[0] == 4.0  # ends flat at 0.5: R prints 4 (quantile(): 6)
    assert resampling.medians(design, w, rule="lifelines")[0] == 4.0
    design = resampling.Design([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 1, 1, 0, 0, 1, 0])
    assert resampling.medians(design, design.observed, rule="R")[0] == 5.5  # flat at 0.5 from 4 to the drop at 7


def test_survival_at_fixed_times_equals_lifelines():
    t, e, _ = _data(7)
    design = resampling.Design(t, e)
    w = resampling.bootstrap_weights(design, 100, np.random.default_rng(7))
    times = [0.25, 3.0, 6.0, 9.5, 30.0]
    s = resampling.survival_at(design, w, times)
    for b in range(len(w)):
        tb, eb, _ = design.expand(w[b])
        ref = KaplanMeierFitter().fit(tb, eb).survival_function_at_times(times).to_numpy()
        np.testing.assert_allclose(s[b], ref, rtol=1e-12)


def test_logrank_chi2_equals_lifelines():
    t, e, g = _data(11)
    design = resampling.Design(t, e, g)
    w = resampling.bootstrap_weights(design, 100, np.random.default_rng(11))
    chi2 = resampling.logrank_chi2(design, w)
    for b in range(len(w)):
        tb, eb, gb = design.expand(w[b])
        if gb.min() == gb.max() or eb.sum() == 0:
            assert np.isnan(chi2[b])
            continue
        ref = logrank_test(tb[gb == 0], tb[gb == 1], eb[gb == 0], eb[gb == 1]).test_statistic
        assert chi2[b] == pytest.approx(ref, rel=1e-9)


def test_bootstrap_is_seeded_and_independent_of_workers():
    t, e, _ = _data(5)
    a = resampling.bootstrap(t, e, replicates=700, seed=42, block=200, n_jobs=1)
    b = resampling.bootstrap(t, e, replicates=700, seed=42, block=200, n_jobs=2)
    c = resampling.bootstrap(t, e, replicates=700, seed=43, block=200, n_jobs=1)
    np.testing.assert_array_equal(a, b)
    assert len(a) == 700 and not np.array_equal(a, c)
    lo, hi = resampling.percentile_ci(a)
    assert lo <= np.nanmedian(a) <= hi


def test_cell_counts_are_the_patients_multinomial_aggregated():
    # the distribution of a cell's count over resamples: binomial(N, n_c / N), as drawing patients gives
    t, e, g = _data(3, n=60)
    design = resampling.Design(t, e, g)
    assert design.observed.sum() == 60 and len(design.sizes) < 60
    w = resampling.bootstrap_weights(design, 20000, np.random.default_rng(0))
    assert (w.sum(axis=1) == 60).all()
    np.testing.assert_allclose(w.mean(axis=0), design.sizes, rtol=0.03)
    np.testing.assert_allclose(w.var(axis=0), 60 * (design.sizes / 60) * (1 - design.sizes / 60), rtol=0.08)
    tb, eb, gb = design.expand(design.observed[0])
    assert sorted(zip(tb, eb, gb)) == sorted(zip(t, e, g.astype(bool).astype(int)))


def test_small_cohorts_keep_the_patient_level_stream_summed_into_cells():
    # up to PATIENT_DRAWS_UP_TO patients a seed gives the replicates of the patient-level engine exactly
    t, e, g = _data(4, n=44)
    design = resampling.Design(t, e, g)
    w = resampling.bootstrap_weights(design, 300, np.random.default_rng(9))
    per_patient = np.random.default_rng(9).multinomial(44, np.full(44, 1 / 44), size=300)
    expected = np.stack([np.bincount(design.cell_of, weights=row, minlength=len(design.sizes)) for row in per_patient])
    np.testing.assert_array_equal(w, expected)


def test_large_cohorts_draw_cells_directly():
    n = resampling.PATIENT_DRAWS_UP_TO + 1
    t, e, _ = _data(5, n=n)
    design = resampling.Design(np.round(t), e)  # whole days: ties, fewer cells than patients
    assert len(design.sizes) < n
    w = resampling.bootstrap_weights(design, 5, np.random.default_rng(2))
    np.testing.assert_array_equal(w, np.random.default_rng(2).multinomial(n, design.sizes / n, size=5))
    assert (w.sum(axis=1) == n).all()
