"""Response tables on the hand-made fixture (states worked out from tests/fixtures/make_fixtures.py).

Fixture responses (debulking | C1 | C3 | C6 | C12 | best), with why a cell is empty:
FX01 PR | VGPR | CR | CR | progressed | CR        FX05 VGPR | CR | sCR | f/u ended | f/u ended | sCR
FX02 SD | PR | PD | progressed | progressed | PR  FX06 CR | MR | not assessed | PD | progressed | MR
FX03 —  | died | died | died | died | —           FX07 MR | PR | VGPR | VGPR | CR | CR
FX04 PD | SD | PR | VGPR | VGPR | VGPR            FX08 PR | PD | progressed | progressed | progressed | PD
"""

import pytest

from analysis import paths
from analysis.data import derive
from analysis.data.cohort import load_cohort
from analysis.study import response

STATE_COUNTS = {
    "debulking": {"CR": 1, "VGPR": 1, "PR": 2, "MR/SD": 2, "PD": 1, "not assessed": 1},
    "C1": {"CR": 1, "VGPR": 1, "PR": 2, "MR/SD": 2, "PD": 1, "died before": 1},
    "C3": {"CR": 2, "VGPR": 1, "PR": 1, "PD": 1, "progressed before": 1, "died before": 1, "not assessed": 1},
    "C6": {"CR": 1, "VGPR": 2, "PD": 1, "progressed before": 2, "died before": 1, "follow-up ended before": 1},
    "C12": {"CR": 1, "VGPR": 1, "progressed before": 4, "died before": 1, "follow-up ended before": 1},
    "best": {"CR": 3, "VGPR": 1, "PR": 1, "MR/SD": 1, "PD": 1, "not assessed": 1},
}


@pytest.fixture(scope="module")
def tables(fixture_cohort):
    p = fixture_cohort.patients
    adsl, adrs = derive.subject_level(p), derive.response(p)
    return adsl, adrs, adrs.merge(adsl, on="patient_id", suffixes=("", "_adsl"))


def test_state_counts_on_the_fixture(tables):
    counts = response.state_counts(tables[1])
    for tp, expected in STATE_COUNTS.items():
        got = {s: int(v) for s, v in counts.loc[tp].items() if v}
        assert got == expected, tp


@pytest.mark.parametrize("which", ["fixture", "synthetic"])
def test_patients_are_conserved_at_every_timepoint(which, tables):
    adrs = tables[1] if which == "fixture" else derive.response(load_cohort(paths.DEFAULT_SYNTHETIC).patients)
    n = adrs["patient_id"].nunique()
    counts = response.state_counts(adrs)
    assert (counts.sum(axis=1) == n).all() and len(counts) == 6


def test_rates_over_evaluable_and_all_patients(tables):
    r = response.response_rates(tables[1]).set_index(["timepoint", "measure"])
    assert tuple(r.loc[("C1", "ORR"), ["n", "evaluable", "patients"]]) == (4, 7, 8)
    assert tuple(r.loc[("best", "ORR"), ["n", "evaluable", "patients"]]) == (5, 7, 8)
    assert tuple(r.loc[("C3", "≥CR"), ["n", "evaluable"]]) == (2, 5)  # FX01 CR, FX05 sCR of 5 assessed
    assert r.loc[("C12", "ORR"), "percent"] == 100.0


def test_conversion_matrix_debulking_to_best(tables):
    m = response.conversion_matrix(tables[1], "debulking", "best")
    assert m.to_numpy().sum() == 8
    assert m.loc["PD", "VGPR"] == 1 and m.loc["CR", "MR/SD"] == 1 and m.loc["not assessed", "not assessed"] == 1


def test_response_by_debulking(tables):
    t = response.response_by_debulking(tables[0]).set_index("debulking_response")
    expect = {"CR": (1, 0), "VGPR": (1, 1), "PR": (2, 1), "MR/SD": (2, 2), "PD": (1, 1), "not evaluated": (1, 0)}
    assert {k: (int(t.loc[k, "patients"]), int(t.loc[k, "bispecific_responders"])) for k in expect} == expect


def test_subgroup_orr_fractions(tables):
    s = response.subgroup_orr(tables[2], "extramedullary", {1: "EMD", 0: "no EMD"}).set_index(["subgroup", "timepoint"])
    assert tuple(s.loc[("EMD", "C1"), ["responders", "evaluable", "patients"]]) == (3, 3, 4)
    assert tuple(s.loc[("no EMD", "C1"), ["responders", "evaluable"]]) == (1, 4)


def test_pet_counts(tables):
    pet = response.pet_counts(tables[0]).set_index("timepoint")
    assert pet.loc["C1"].tolist() == [2, 1, 1] and pet.loc["C6"].tolist() == [2, 2, 0]


def test_patient_level_figures_only_for_synthetic_data_unless_allowed(fixture_cohort, tmp_path):
    from analysis import notebook

    ctx = notebook.setup(str(paths.FIXTURE))
    assert notebook.allow_patient_level(ctx) and not notebook.allow_patient_level(ctx, "no")
    real = tmp_path / "export.csv"
    real.write_bytes(paths.FIXTURE.read_bytes())  # no provenance note: treated as real data
    ctx_real = notebook.setup(str(real))
    assert not notebook.allow_patient_level(ctx_real) and notebook.allow_patient_level(ctx_real, "yes")
    with pytest.raises(ValueError, match="patient_level_figures"):
        notebook.allow_patient_level(ctx_real, "maybe")


# Fig. 1A on the fixture: percentages of the evaluable patients (all patients for best response), stacked
# best state on top, ORR and n above each bar (worked out from STATE_COUNTS above)
FIG1A_TEXTS = [
    "ORR 57%\nn = 7",
    "ORR 57%\nn = 7",
    "ORR 80%\nn = 5",
    "ORR 75%\nn = 4",
    "ORR 100%\nn = 2",
    "ORR 63%\nn = 8",
]


def test_response_bars_stack_each_state_share_with_orr_and_n_on_top(tables):
    import matplotlib.pyplot as plt

    counts = response.state_counts(tables[1])
    fig, ax = plt.subplots()
    assert response.plot_response_bars(counts, ax=ax) is ax
    assert [t.get_text() for t in ax.texts] == FIG1A_TEXTS
    for x, (tp, expected) in enumerate(STATE_COUNTS.items()):
        shown = {s: c for s, c in expected.items() if s in response.RESPONSE_STATES or tp == "best"}
        bars = [b for b in ax.patches if b.get_x() + b.get_width() / 2 == pytest.approx(x)]
        assert [b.get_height() for b in bars] == pytest.approx(
            [100 * c / sum(shown.values()) for s, c in reversed(list(shown.items()))]
        ), tp
        assert bars[0].get_y() == 0 and bars[-1].get_y() + bars[-1].get_height() == pytest.approx(100)
        assert [b.get_facecolor() for b in bars] == [
            plt.matplotlib.colors.to_rgba(response.STATE_COLOURS[s]) for s in reversed(list(shown))
        ]
    plt.close(fig)


def test_alluvial_columns_hold_every_patient_and_bands_carry_each_transition(tables):
    import matplotlib.pyplot as plt

    adrs = tables[1]
    timepoints = ("debulking", "C1", "C3", "C6", "C12")
    fig, ax = plt.subplots()
    assert response.plot_alluvial(adrs, ax=ax) is ax
    for x, tp in enumerate(timepoints):
        column = [b for b in ax.patches if b.get_x() + b.get_width() / 2 == pytest.approx(x)]
        # stacked from the last state (bottom) to the best (top)
        assert [b.get_height() for b in column] == [
            STATE_COUNTS[tp][s] for s in reversed(response.STATES) if s in STATE_COUNTS[tp]
        ], tp
        assert sum(b.get_height() for b in column) == 8  # every patient in one state
    # one band per (state at a, state at b) pair that some patient took, over each interval
    flows = sum(
        int((response.conversion_matrix(adrs, a, b) > 0).to_numpy().sum())
        for a, b in zip(timepoints[:-1], timepoints[1:])
    )
    assert len(ax.collections) == flows
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(response.STATES)
    plt.close(fig)


def test_swimmer_draws_one_bar_per_patient_sorted_by_follow_up_with_its_events(tables):
    import matplotlib.pyplot as plt

    adsl, adrs, _ = tables
    fig, ax = plt.subplots()
    assert response.plot_swimmer(adsl, adrs, ax=ax) is ax
    widths = [b.get_width() for b in ax.patches]
    assert widths == pytest.approx(sorted(adsl["followup_days"] / response.DAYS_PER_MONTH))
    markers = [line.get_marker() for line in ax.lines]
    assert markers.count("x") == int(adsl["progression_date"].notna().sum())  # progressions
    assert markers.count("|") == int(adsl["died"].sum())  # deaths at the bar's end
    assert len([a for a in ax.texts if hasattr(a, "arrow_patch")]) == int((adsl["died"] == 0).sum())
    assessed = adrs[adrs["timepoint"].isin(response.BISPECIFIC_TIMEPOINTS) & (adrs["evaluable"] == 1)]
    assert len(markers) - markers.count("x") - markers.count("|") == len(assessed)
    assert ax.get_ylabel() == "Patients (n = 8)" and ax.get_yticks().size == 0  # no patient identifiers
    plt.close(fig)
