"""GRIM on hand-worked cases (percentages printed with 0 decimals):
15/44 = 34.09% -> 34, not 35;  15/43 = 34.88% -> 35 (half-up, half-even)
38 at 89%: 38/43 = 88.37%, 38/42 = 90.48% -> no denominator 38..60 works under any rule (39/44 = 88.6% would)
9/17 = 52.94% -> 53;  2/44 = 4.55% -> 4 only by truncation
33% of 39 -> 13 (13/39 = 33.33%);  87% of 21 -> none (18/21 = 85.71%, 19/21 = 90.48%)
"""

from analysis.paper.grim import grim


def test_grim_rejects_15_of_44_at_35_percent_and_names_43():
    g = grim(15, 35, 0, 44)
    assert not g["passed"]
    assert (43, ("half_up", "half_even")) in g["alternatives"]
    assert (
        g["explanation"].startswith("15/44 = 34.1% ≠ 35%; 35% fits")
        and "15/43 (half-up, half-even)" in g["explanation"]
    )
    assert grim(15, 35, 0, 43)["rules"] == ("half_up", "half_even")


def test_grim_finds_no_denominator_for_38_at_89_percent():
    g = grim(38, 89, 0)
    assert not g["passed"] and g["alternatives"] == []
    assert "needs 39" in grim(38, 89, 0, 44)["explanation"]


def test_grim_accepts_subgroup_fractions_and_truncated_rows():
    assert grim(9, 53, 0, 17)["passed"]
    assert grim(7, 77.8, 1, 9)["passed"]
    g = grim(2, 4, 0, 44)
    assert g["passed"] and g["rules"] == ("truncate",) and "truncation only" in g["explanation"]


def test_grim_derives_counts_when_only_a_percentage_is_printed():
    assert grim(None, 33, 0, 39)["counts"]["half_up"] == (13,)
    assert grim(None, 39, 0, 44)["counts"] == {"half_up": (17,), "half_even": (17,), "truncate": ()}
    g = grim(None, 87, 0, 21)
    assert not g["passed"] and "18/21 = 85.7%, 19/21 = 90.5%" in g["explanation"]
