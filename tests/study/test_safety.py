"""Safety rates with their denominators and exact intervals (the interval itself: tests/stats/test_proportions.py)."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.data import derive
from analysis.study import safety


@pytest.fixture(scope="module")
def adsl(fixture_cohort):
    return derive.subject_level(fixture_cohort.patients)


def test_rates_on_the_fixture_with_their_denominators(adsl):
    r = safety.safety_rates(adsl).set_index("key")
    expect = {
        "crs": (6, 8),
        "crs_1": (3, 6),
        "crs_2": (2, 6),
        "crs_3": (1, 6),
        "crs_4": (0, 6),
        "crs_ge2": (3, 8),
        "icans": (4, 8),
        "icans_2": (1, 4),
        "icans_4": (1, 4),
        "tocilizumab": (4, 8),
        "corticosteroids": (2, 8),
        "anakinra": (1, 8),
        "infection_ge3": (4, 8),
        "infection_3": (2, 4),
        "infection_5": (1, 8),
        "infection_documented": (2, 4),
        "cytopenia": (3, 7),
        "ig": (5, 7),
        "pjp": (6, 7),
        "antibacterial": (3, 7),
        "antiviral": (6, 7),
    }
    assert {k: (int(r.loc[k, "n"]), int(r.loc[k, "denominator"])) for k in expect} == expect
    assert r.loc["crs", "percent"] == 75.0
    np.testing.assert_allclose(
        r.loc["crs", ["ci_lower", "ci_upper"]].astype(float),
        100 * np.array(proportion_confint(6, 8, method="beta")),
        rtol=1e-10,
    )


def test_display_shows_denominator_and_ci(adsl):
    view = safety.display_rates(safety.safety_rates(adsl)).set_index("Event")
    assert view.loc["CRS, any grade", "n/N (%)"] == "6/8 (75.0%)"
    assert view.loc["CRS, any grade", "95% CI (exact)"] == "34.9–96.8%"


def test_grade_distribution_sums_to_patients_with_data(adsl):
    d = safety.grade_distribution(adsl)
    for tox, known in (("CRS", 8), ("ICANS", 8), ("Infection", 8)):
        sub = d[d["toxicity"] == tox]
        assert sub["n"].sum() == known and (sub["known"] == known).all()
    inf = d[d["toxicity"] == "Infection"].set_index("grade")["n"]
    assert list(inf) == [2, 1, 1, 2, 1, 1]  # grades 0..5 in the fixture


def test_plot_draws_one_bar_segment_per_grade_with_its_share_and_count(adsl):
    import matplotlib.pyplot as plt

    d = safety.grade_distribution(adsl)
    fig, ax = plt.subplots()
    assert safety.plot_grade_distribution(d, ax=ax) is ax
    toxicities = list(dict.fromkeys(d["toxicity"]))
    drawn = pd.concat([d[(d["toxicity"] == t) & (d["n"] > 0)].sort_values("grade") for t in toxicities])
    bars = ax.patches
    assert len(bars) == len(drawn)
    # each segment: the grade's percentage of patients with data, stacked left to right, on its toxicity's row
    for bar, (_, r) in zip(bars, drawn.iterrows()):
        assert bar.get_width() == pytest.approx(r["percent"])
        assert bar.get_y() + bar.get_height() / 2 == toxicities.index(r["toxicity"])
    rows = {}
    for bar in bars:
        rows.setdefault(bar.get_y(), []).append(bar)
    for segments in rows.values():
        assert segments[0].get_x() == 0
        assert sum(b.get_width() for b in segments) == pytest.approx(100)  # the grades add up to everyone
        assert all(b.get_x() == pytest.approx(a.get_x() + a.get_width()) for a, b in zip(segments, segments[1:]))
    # counts printed inside segments of at least 6%, tick labels with the patients with data
    assert sorted(t.get_text() for t in ax.texts) == sorted(str(int(n)) for n in drawn.loc[drawn["percent"] >= 6, "n"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["CRS\n(n = 8)", "ICANS\n(n = 8)", "Infection\n(n = 8)"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["None"] + [f"Grade {g}" for g in range(1, 6)]
    plt.close(fig)
