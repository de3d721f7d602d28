"""A sample against an ensemble of references, checked against lifelines and hand-worked cases.

Hand-worked curves (time: events / at risk):
  A = times 1, 2, 3, all events        → S = 1, 2/3, 1/3, 0 after 0, 1, 2, 3; observed to 3
  B = times 1 (censored), 2, 4 (events) → S = 1 until 2, then 1/2, 0 at 4; observed to 4
  C = times 2, 2, 2, all events        → S = 1 until 2, then 0; observed to 2
  Pointwise min / median / max at t = 0: 1/1/1; t = 1: 2/3, 1, 1; t = 2: 0, 1/3, 1/2; t = 3 (C ended): over A, B
  0, 1/4, 1/2; t = 4: only B observed (1 of 3 < half) → no band.
"""

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test

from analysis.stats import ensemble, logrank

A = ([1, 2, 3], [1, 1, 1])
B = ([1, 2, 4], [0, 1, 1])
C = ([2, 2, 2], [1, 1, 1])


def _random_samples(seed, k, n=30):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(k):
        t = np.round(rng.exponential(12, n), 1) + 0.1  # rounded: tied times, as months from days
        c = rng.uniform(3, 30, n)
        out.append((np.minimum(t, c), (t <= c).astype(float)))
    return out


def test_survival_on_grid_hand_computed_edges():
    grid = [0, 0.5, 1, 1.5, 2, 3, 3.5]
    s = ensemble.survival_on_grid([1, 2, 2, 3], [1, 1, 0, 1], grid)
    np.testing.assert_allclose(s[:6], [1, 1, 0.75, 0.75, 0.5, 0], rtol=1e-15)
    assert np.isnan(s[6])  # beyond the last observed time
    assert np.isnan(ensemble.survival_on_grid([], [], [0, 1])).all()


def test_survival_on_grid_equals_lifelines_within_follow_up():
    for t, e in _random_samples(3, 5):
        grid = np.linspace(0, t.max(), 97)
        kmf = KaplanMeierFitter().fit(t, e)
        want = kmf.survival_function_at_times(grid).to_numpy()
        np.testing.assert_allclose(ensemble.survival_on_grid(t, e, grid), want, rtol=1e-12)


def test_band_hand_computed_min_max_and_median():
    band = ensemble.ensemble_band([A, B, C], coverage=1).set_index("time")
    assert list(band.index) == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(
        band.loc[[0, 1, 2, 3], ["lower", "middle", "upper"]].to_numpy(),
        [[1, 1, 1], [2 / 3, 1, 1], [0, 1 / 3, 1 / 2], [0, 1 / 4, 1 / 2]],
        rtol=1e-15,
    )
    assert list(band["n_curves"]) == [3, 3, 3, 2, 1]
    assert band.loc[4, ["lower", "middle", "upper"]].isna().all()
    everyone = ensemble.ensemble_band([A, B, C], coverage=1, min_share=0).set_index("time")
    assert everyone.loc[4, "lower"] == everyone.loc[4, "upper"] == 0.0


def test_band_quantiles_equal_numpy_on_lifelines_curves():
    refs = _random_samples(11, 40)
    grid = np.linspace(0, 20, 81)
    band = ensemble.ensemble_band(refs, grid, coverage=0.95)
    curves = np.vstack([KaplanMeierFitter().fit(t, e).survival_function_at_times(grid).to_numpy() for t, e in refs])
    for i, (t, _) in enumerate(refs):  # lifelines carries S on past follow-up; R stops
        curves[i, grid > t.max()] = np.nan
    observed = (~np.isnan(curves)).sum(axis=0)
    keep = observed >= 20
    np.testing.assert_allclose(band["lower"][keep], np.nanquantile(curves[:, keep], 0.025, axis=0), rtol=1e-12)
    np.testing.assert_allclose(band["upper"][keep], np.nanquantile(curves[:, keep], 0.975, axis=0), rtol=1e-12)
    np.testing.assert_allclose(band["middle"][keep], np.nanmedian(curves[:, keep], axis=0), rtol=1e-12)
    assert band.loc[~keep, "lower"].isna().all()
    assert (band["lower"][keep] <= band["middle"][keep]).all() and (band["middle"][keep] <= band["upper"][keep]).all()


@pytest.mark.parametrize("kwargs, message", [({"coverage": 0}, "coverage"), ({"coverage": 1.5}, "coverage")])
def test_band_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ensemble.ensemble_band([A], **kwargs)
    with pytest.raises(ValueError, match="references is empty"):
        ensemble.ensemble_band([])


def test_logrank_against_each_reference_equals_lifelines_and_survdiff():
    (t, e), *refs = _random_samples(5, 9)
    table = ensemble.logrank_against(t, e, refs)
    assert list(table["reference"]) == list(range(8)) and (table["n"] == 30).all()
    for (rt, re_), p in zip(refs, table["p"]):
        assert p == pytest.approx(logrank_test(t, rt, e, re_).p_value, rel=1e-9)
        pooled = logrank.survdiff(
            np.concatenate([t, rt]), np.concatenate([e, re_]), np.r_[np.zeros(len(t)), np.ones(len(rt))]
        )
        assert p == pytest.approx(pooled.p, rel=1e-9)
    r = ensemble.p_range(table)
    assert r.n == 8 and r.min == table["p"].min() and r.max == table["p"].max()
    assert r.median == pytest.approx(float(np.median(table["p"]))) and r.below_alpha == int((table["p"] < 0.05).sum())


def test_logrank_without_events_is_not_estimable_and_left_out_of_the_range():
    table = ensemble.logrank_against([1, 2, 3], [0, 0, 0], [([1, 2], [0, 0]), A])
    assert np.isnan(table["p"].iloc[0]) and not np.isnan(table["p"].iloc[1])
    assert ensemble.p_range(table).n == 1
    empty = ensemble.p_range(pd.DataFrame({"p": [np.nan]}))
    assert empty.n == 0 and np.isnan(empty.min)


def test_nanquantile_columns_equals_numpy_bit_for_bit():
    rng = np.random.default_rng(5)
    curves = np.sort(rng.random((40, 3000)), axis=1)[:, ::-1]
    for row, last in enumerate(rng.integers(100, 3000, 40)):  # each curve missing after its last time
        curves[row, last:] = np.nan
    keep = (~np.isnan(curves)).sum(axis=0) > 0
    part = curves[:, keep]
    qs = (0.025, 0.5, 0.975)
    np.testing.assert_array_equal(ensemble.nanquantile_columns(part, qs), np.nanquantile(part, qs, axis=0))
