"""Two-sample comparisons against independent implementations and hand-worked cases.

Hand-worked cases:
  Newcombe (Stat Med 1998;17:873), Table II, method 10 (hybrid score), 95%:
    56/70 − 48/80: 0.0524 to 0.3339      9/10 − 3/10: 0.1705 to 0.8090     5/56 − 0/29: −0.0381 to 0.1926
    0/10 − 0/20: −0.1611 to 0.2775       0/10 − 0/10: −0.2775 to 0.2775    10/10 − 0/20: 0.6791 to 1.0000
    10/10 − 0/10: 0.6075 to 1.0000
  Fisher's tea-tasting table [[3, 1], [1, 3]]: two-sided p = 34/70 = 0.4857.
  Median CI, n = 10: P(B ≤ 1) = 11/1024 < 0.025 ≤ P(B ≤ 2) = 56/1024, so l = 2: [x(2), x(9)], coverage
    1 − 2·11/1024 = 0.978515625. n = 44: P(B ≤ 15) = 0.02438 < 0.025 ≤ P(B ≤ 16) = 0.04807, so l = 16:
    [x(16), x(29)], coverage 0.95123. n = 5: even [x(1), x(5)] covers 1 − 2/32 = 93.75% < 95%: not estimable.
  Holm: [0.01, 0.04, 0.03, 0.005] → sorted ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 → running max → [0.03, 0.06, 0.06, 0.02].
"""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

from analysis.stats import compare

NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0)),
    ((10, 10, 0, 10), (0.6075, 1.0)),
]
#: Denominators of a case series and of the paper (44 patients, 39 evaluable at C1, 3 with ICANS, …), edges included.
SIZES = (1, 2, 3, 7, 15, 21, 39, 44)


def _cases():
    for n1, n2 in itertools.product(SIZES, SIZES):
        for k1 in sorted({0, 1, n1 // 2, n1 - 1, n1} - {-1}):
            for k2 in sorted({0, n2 // 3, n2} - {-1}):
                yield k1, n1, k2, n2


CASES = list(_cases())


def _wilson(k, n, z):
    """Wilson score interval, written out (Wilson, JASA 1927;22:209) — independent of statsmodels."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _newcombe(k1, n1, k2, n2, level=0.95):
    z = stats.norm.ppf(1 - (1 - level) / 2)
    (l1, u1), (l2, u2) = _wilson(k1, n1, z), _wilson(k2, n2, z)
    p1, p2 = k1 / n1, k2 / n2
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


# ----------------------------------------------------------------------------- difference of proportions
@pytest.mark.parametrize("counts, expected", NEWCOMBE_TABLE_II)
def test_newcombe_interval_reproduces_newcombes_table(counts, expected):
    r = compare.difference_of_proportions(*counts)
    assert (round(r.lower, 4), round(r.upper, 4)) == expected
    assert r.difference == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])


@pytest.fixture(scope="module")
def results():
    return {case: compare.difference_of_proportions(*case) for case in CASES}


def test_newcombe_interval_equals_statsmodels_and_the_written_out_formula_on_every_case(results):
    assert len(CASES) > 700
    for (k1, n1, k2, n2), r in results.items():
        want = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb")
        assert (r.lower, r.upper) == (float(want[0]), float(want[1])), (k1, n1, k2, n2)
        np.testing.assert_allclose((r.lower, r.upper), _newcombe(k1, n1, k2, n2), rtol=0, atol=1e-12)
        # statsmodels' limits can pass ±1 by a rounding error (−1.0000000000000002 at 0/1 vs 0/1): kept as is
        assert -1 - 1e-12 <= r.lower <= r.difference <= r.upper <= 1 + 1e-12


def test_interval_follows_the_level():
    r90, r99 = (compare.difference_of_proportions(12, 19, 25, 39, level) for level in (0.90, 0.99))
    np.testing.assert_allclose((r90.lower, r90.upper), _newcombe(12, 19, 25, 39, 0.90), atol=1e-12)
    assert r99.lower < r90.lower and r99.upper > r90.upper
    assert r90.p_value == r99.p_value


def test_fisher_p_equals_scipy_on_every_case_and_the_tea_tasting_value(results):
    assert compare.difference_of_proportions(3, 4, 1, 4).p_value == pytest.approx(34 / 70, abs=1e-12)
    for (k1, n1, k2, n2), r in results.items():
        want = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]], alternative="two-sided").pvalue
        assert r.p_value == float(want), (k1, n1, k2, n2)
        assert 0 <= r.p_value <= 1


@pytest.mark.parametrize(
    "counts, empty", [((0, 0, 3, 10), "first"), ((3, 10, 0, 0), "second"), ((0, 0, 0, 0), "first and second")]
)
def test_an_empty_denominator_is_not_estimable_with_the_reason(counts, empty):
    r = compare.difference_of_proportions(*counts)
    assert r.estimable is False and r.reason == f"no patients in the {empty} denominator"
    assert math.isnan(r.difference) and math.isnan(r.lower) and math.isnan(r.p_value)
    assert isinstance(r, compare.ProportionDifference) and r.to_frame().shape == (1, 8)


@pytest.mark.parametrize("counts", [(1, 1, 0, 1), (1, 1, 1, 1), (7, 7, 21, 21), (0, 1, 0, 44), (44, 44, 0, 44)])
def test_one_patient_and_all_successes_are_estimable(counts):
    """Wilson's limits exist at 0% and 100% and for n = 1 (Wald's would be zero-width): a finite interval."""
    r = compare.difference_of_proportions(*counts)
    assert r.estimable and r.reason == ""
    assert np.isfinite([r.lower, r.upper, r.p_value]).all()
    assert r.lower < r.difference or r.difference == -1
    assert r.upper > r.difference or r.difference == 1


@pytest.mark.parametrize(
    "counts, message",
    [
        ((5, 4, 1, 2), "k1 = 5 exceeds its denominator 4"),
        ((-1, 4, 1, 2), "k1 must be a whole number"),
        ((1, 4, 1.5, 2), "k2 must be a whole number"),
        ((1, 4, True, 2), "k2 must be a whole number"),
    ],
)
def test_invalid_counts_are_refused_with_the_argument_named(counts, message):
    with pytest.raises(ValueError, match=message):
        compare.difference_of_proportions(*counts)


# ----------------------------------------------------------------------------- median CI
def _exact_rank(n, level=0.95):
    """l = min{k : P(B ≤ k) ≥ α/2}, B ~ Bin(n, 1/2), in exact rational arithmetic."""
    half_alpha = (1 - Fraction(str(level))) / 2
    total = 0
    for k in range(n + 1):
        total += math.comb(n, k)
        if Fraction(total, 2**n) >= half_alpha:
            return k
    return n


def test_median_ci_hand_computed_n10_and_n44():
    r = compare.median_ci(np.arange(10, 0, -1) * 1.5)  # unsorted on purpose
    assert (r.lower, r.upper, r.rank_lower, r.rank_upper) == (3.0, 13.5, 2, 9)
    assert r.median == 8.25 and r.coverage == pytest.approx(1 - 2 * 11 / 1024, abs=1e-15)
    r = compare.median_ci(np.arange(1, 45))
    assert (r.lower, r.upper, r.rank_lower) == (16.0, 29.0, 16)
    f15 = Fraction(sum(math.comb(44, i) for i in range(16)), 2**44)
    assert r.coverage == pytest.approx(float(1 - 2 * f15), abs=1e-14) and r.coverage >= 0.95


@pytest.mark.parametrize("level", [0.90, 0.95, 0.99])
def test_median_rank_equals_exact_arithmetic_for_every_n_up_to_400(level):
    for n in range(1, 401):
        want = _exact_rank(n, level)
        assert compare.median_rank(n, level) == want, n
        if want:
            coverage = 1 - 2 * Fraction(sum(math.comb(n, i) for i in range(want)), 2**n)
            assert coverage >= Fraction(str(level))


def test_median_ci_equals_scipy_quantile_test_interval_on_random_samples():
    """scipy's ``quantile_test(...).confidence_interval()`` builds the same order-statistic interval its own way."""
    rng = np.random.default_rng(20250617)
    for n in list(range(1, 60)) + [99, 100, 250]:
        x = np.round(rng.lognormal(3, 0.6, n), 1)  # rounding makes ties, as in real data
        r = compare.median_ci(x)
        ci = stats.quantile_test(x, q=float(np.median(x)), p=0.5).confidence_interval(0.95)
        if n <= 5:
            assert not r.estimable and np.isnan(ci.low) and np.isnan(ci.high)
        else:
            assert (r.lower, r.upper) == (float(ci.low), float(ci.high)), n
        assert r.median == float(np.median(x))


@pytest.mark.parametrize(
    "values, reason",
    [
        ([], "no values"),
        ([7.0], "n = 1 is too few for a 95% distribution-free interval (even the range covers only 0.00%)"),
        ([1, 2, 3, 4, 5], "n = 5 is too few for a 95% distribution-free interval (even the range covers only 93.75%)"),
    ],
)
def test_too_few_values_give_the_median_without_an_interval(values, reason):
    r = compare.median_ci(values)
    assert r.estimable is False and r.reason == reason
    assert math.isnan(r.lower) and math.isnan(r.upper) and r.n == len(values)
    assert math.isnan(r.median) if not values else r.median == float(np.median(values))
    assert compare.median_ci([1, 2, 3, 4, 5, 6]).estimable  # n = 6: [x(1), x(6)], 96.9%


def test_median_ci_refuses_missing_values_and_names_how_many():
    with pytest.raises(ValueError, match="2 missing value"):
        compare.median_ci([1.0, np.nan, 3.0, np.nan])


# ----------------------------------------------------------------------------- Holm
def test_holm_hand_computed_and_missing_values_kept_out_of_the_family():
    np.testing.assert_allclose(compare.holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02], rtol=1e-12)
    out = compare.holm([np.nan, 0.01, 0.04, np.nan, 0.03, 0.005])
    assert np.isnan(out[[0, 3]]).all()
    np.testing.assert_allclose(out[[1, 2, 4, 5]], [0.03, 0.06, 0.06, 0.02], rtol=1e-12)
    assert compare.holm([]).shape == (0,) and np.isnan(compare.holm([np.nan])).all()


def test_holm_equals_statsmodels_on_random_families(monkeypatch):
    import gc

    # multipletests runs gc.collect() on every call (the reason holm() does not call it), which
    # changes no number; skipped here. Rounded families have ties; large p-values reach the clip at 1.
    monkeypatch.setattr(gc, "collect", lambda *a: 0)
    rng = np.random.default_rng(7)
    for m in (1, 2, 5, 38, 96):
        for p in (rng.uniform(0, 1, m) ** 3, np.round(rng.uniform(0, 0.2, m), 2), rng.uniform(0.3, 1, m)):
            got = compare.holm(p)
            np.testing.assert_array_equal(got, multipletests(p, method="holm")[1])
            assert (got >= p).all() and (got <= 1).all()


def test_holm_refuses_values_outside_0_1():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        compare.holm([0.2, 1.5])
