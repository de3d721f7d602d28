"""How a count over its denominator prints under each rounding rule (hand-computed)."""

from decimal import Decimal

from analysis.paper import rounding


def test_printed_percent_follows_each_rounding_rule():
    assert rounding.printed_percent(2, 44, 0, "half_up") == 5
    assert rounding.printed_percent(2, 44, 0, "truncate") == 4
    assert rounding.printed_percent(1, 8, 0, "half_up") == 13 and rounding.printed_percent(1, 8, 0, "half_even") == 12
    assert rounding.printed_percent(4, 44, 1) == Decimal("9.1")
    assert rounding.rules_fitting(25, 34, 73, 0) == ("truncate",)
