"""analysis.stats.ratio_from_ci: hand-computed cases of the Altman & Bland approximate test, NR limits, refusals."""

import math

import numpy as np
import pytest
from scipy import stats

from analysis.stats.ratio_from_ci import log_se, ratio_of_medians

Z = 1.959963984540054  # Φ⁻¹(0.975)


def test_se_from_both_limits_is_the_log_width_over_2z():
    se, how = log_se(10.2, 6.87, 18.0)
    assert se == pytest.approx((math.log(18.0) - math.log(6.87)) / (2 * Z), rel=1e-12) and how == "both limits"


def test_an_unreached_upper_limit_uses_the_lower_half_interval_and_says_so():
    se, how = log_se(14.1, 6.47, None)
    assert se == pytest.approx(math.log(14.1 / 6.47) / Z, rel=1e-12)
    assert how == "lower limit only (upper not reached)"
    assert log_se(14.1, 6.47, float("nan"))[0] == se  # nan and None both mean not reached
    se_up, how_up = log_se(5.0, None, 9.0)
    assert se_up == pytest.approx(math.log(9.0 / 5.0) / Z, rel=1e-12) and how_up.startswith("upper limit only")


@pytest.mark.parametrize(
    ("median", "lower", "upper", "reason"),
    [
        (None, 13.8, None, "median not reached"),
        (5.0, None, None, "no confidence limit reached"),
        (5.0, 0.0, 9.0, "a value ≤ 0 has no logarithm"),
        (5.0, 6.0, 9.0, "does not contain the median"),
        (5.0, 1.0, 4.0, "does not contain the median"),
    ],
)
def test_unreadable_intervals_are_not_estimable_with_the_reason(median, lower, upper, reason):
    se, how = log_se(median, lower, upper)
    assert math.isnan(se) and reason in how
    r = ratio_of_medians(median, lower, upper, 10.0, 5.0, 20.0)
    assert not r.estimable and math.isnan(r.p_value) and reason in r.reason and r.reason.startswith("first:")


def test_the_statistic_p_and_ratio_interval_by_hand():
    """10.2 (6.87–18.0) vs 9.3 (3.7–NR), every step written out."""
    se1 = (math.log(18.0) - math.log(6.87)) / (2 * Z)
    se2 = math.log(9.3 / 3.7) / Z
    delta, se = math.log(10.2 / 9.3), math.sqrt(se1**2 + se2**2)
    r = ratio_of_medians(10.2, 6.87, 18.0, 9.3, 3.7, None)
    assert r.estimable and r.reason == ""
    assert r.ratio == pytest.approx(10.2 / 9.3, rel=1e-12)
    assert r.z == pytest.approx(delta / se, rel=1e-12)
    assert r.p_value == pytest.approx(2 * stats.norm.sf(delta / se), rel=1e-12)
    assert (r.lower, r.upper) == pytest.approx((math.exp(delta - Z * se), math.exp(delta + Z * se)), rel=1e-12)
    assert (r.se_log_first, r.se_log_second) == pytest.approx((se1, se2), rel=1e-12)
    assert r.method_second == "lower limit only (upper not reached)"


def test_altman_bland_worked_example():
    """Altman & Bland 2011's example: a ratio 0.81 (95% CI 0.70 to 0.94): SE = ln(0.94/0.70)/3.92 = 0.075, z = ln 0.81 / SE = −2.80, p = 0.005.

    Expressed here as two medians whose ratio and interval are those (the second one known exactly:
    an interval of zero width), so the test reduces to theirs."""
    r = ratio_of_medians(0.81, 0.70, 0.94, 1.0, 1.0, 1.0)
    assert r.z == pytest.approx(-2.80, abs=0.005) and r.p_value == pytest.approx(0.005, abs=0.001)


def test_symmetry_swapping_the_sides_inverts_the_ratio_and_keeps_p():
    a = ratio_of_medians(10.2, 6.87, 18.0, 14.1, 6.47, None)
    b = ratio_of_medians(14.1, 6.47, None, 10.2, 6.87, 18.0)
    assert a.ratio * b.ratio == pytest.approx(1.0) and a.p_value == pytest.approx(b.p_value)
    assert a.lower * b.upper == pytest.approx(1.0) and a.z == pytest.approx(-b.z)


def test_the_p_value_is_uniform_under_the_null_when_the_intervals_are_log_normal():
    """Medians drawn log-normal with the SE their intervals state: the test rejects ~5% at 0.05."""
    rng = np.random.default_rng(3)
    se1, se2 = 0.25, 0.4
    m1 = np.exp(rng.normal(2.0, se1, 4000))
    m2 = np.exp(rng.normal(2.0, se2, 4000))
    p = np.array(
        [
            ratio_of_medians(a, a * math.exp(-Z * se1), a * math.exp(Z * se1), b, b * math.exp(-Z * se2), None).p_value
            for a, b in zip(m1, m2)
        ]
    )
    assert 0.04 < (p < 0.05).mean() < 0.06


def test_zero_width_on_both_sides_is_not_estimable():
    r = ratio_of_medians(5.0, 5.0, 5.0, 4.0, 4.0, 4.0)
    assert not r.estimable and r.reason == "both intervals have zero width" and r.ratio == pytest.approx(1.25)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": 1.0}, "level must lie strictly between 0 and 1"),
        ({"ci_level": 0.0}, "ci_level must lie strictly between 0 and 1"),
    ],
)
def test_levels_outside_0_1_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ratio_of_medians(10.0, 5.0, 20.0, 10.0, 5.0, 20.0, **kwargs)


@pytest.mark.parametrize(("value", "name"), [("ten", "median"), (float("inf"), "lower"), (True, "upper")])
def test_non_numbers_are_refused_naming_the_argument(value, name):
    args = {"median": 10.0, "lower": 5.0, "upper": 20.0, name: value}
    with pytest.raises(ValueError, match=f"^{name} must be"):
        log_se(**args)
