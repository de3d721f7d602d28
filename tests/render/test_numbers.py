"""One rounding rule for every printed number: half up, from the exact value (hand-computed cases)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from analysis.render import numbers


@pytest.mark.parametrize(
    "k, n, text",
    [
        (21, 40, "53"),  # 52.5: half up (Python's round and f"{52.5:.0f}" give 52)
        (1, 8, "13"),  # 12.5
        (7, 8, "88"),  # 87.5
        (4, 44, "9.1"),  # below 10%: one decimal
        (1, 40, "2.5"),
        (1, 400, "0.3"),  # 0.25 -> 0.3
        (0, 44, "0.0"),  # the rule holds at 0 too (Table 1 prints "0 (0.0)")
        (44, 44, "100"),
        (2, 3, "67"),
    ],
)
def test_percent_rounds_half_up_from_the_exact_fraction(k, n, text):
    assert numbers.percent(k, n) == text


def test_fixed_decimals_and_the_missing_denominator():
    assert numbers.percent(21, 40, 1) == "52.5" and numbers.percent(1, 3, 1) == "33.3"
    assert numbers.percent(3, 0) == "—" and numbers.count_percent(3, 0) == "3/0"
    assert (
        numbers.count_percent(21, 40) == "21 (53%)" and numbers.count_percent(21, 40, denominator=True) == "21/40 (53%)"
    )


@pytest.mark.parametrize(
    "x, d, text",
    [
        (2.675, 2, "2.68"),
        (0.125, 2, "0.13"),
        (2.5, 0, "3"),
        (-0.04, 1, "0.0"),
        (10.25, 1, "10.3"),
        (7, 1, "7.0"),
        (1e-9, 3, "0.000"),
    ],
)
def test_fixed_rounds_the_stored_decimal_half_up(x, d, text):
    assert numbers.fixed(x, d) == text
    assert text == str(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-d), ROUND_HALF_UP)).replace("-0.0", "0.0")


def test_months_intervals_and_p_values():
    nan = float("nan")
    assert numbers.months(10.25) == "10.3" and numbers.months(nan) == "NR"
    assert numbers.estimate_ci(10.2, 7.03, nan) == "10.2 (7.0–NR)" and numbers.estimate_ci(nan, nan, nan) == "NR"
    assert numbers.estimate_ci(nan, 13.86, nan) == "NR (13.9–NR)"
    assert numbers.p_value(0.0499) == "0.050" and numbers.p_value(0.0004) == "<0.001" and numbers.p_value(nan) == "—"
    assert numbers.p_value(0.0009) == "<0.001" and numbers.p_value(0.001) == "0.001"


def test_median_range_counts_and_months():
    assert numbers.median_range([45, 66, 67, 82]) == "66.5 (45–82)"
    assert numbers.median_range([1.25, 3.0, None, float("nan")], decimals=1) == "2.1 (1.3–3.0)"
    assert numbers.median_range([]) == "—" and numbers.number(3.0) == "3" and numbers.number(2.25) == "2.3"
