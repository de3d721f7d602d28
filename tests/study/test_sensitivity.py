"""Sensitivity analyses on the hand-made fixture.

IMS/IMWG 2025 (approximate) by hand: FX01 del(17p) -> 1; FX02 t(4;14) + 1q gain -> 1; FX03 untested -> NA;
FX04 del(1p32) + 1q amplification -> 1 (not high risk by the paper's methods); FX05 t(14;16) alone -> 0;
FX06 tested, nothing -> 0; FX07 del(17p) -> 1; FX08 partial panel, nothing -> 0.
Landmark at day 28: FX03 (died day 15) and FX08 (progressed day 28) excluded; C1 responders FX01, FX02,
FX05, FX07; non-responders FX04 (SD), FX06 (MR).
"""

import numpy as np
import pandas as pd
import pytest

from analysis.data import derive
from analysis.study import sensitivity


@pytest.fixture(scope="module")
def tables(fixture_cohort):
    p = fixture_cohort.patients
    return derive.subject_level(p), derive.time_to_event(p), derive.response(p)


def test_high_risk_definitions(tables):
    d = sensitivity.definitions(tables[0])
    ims = [None if pd.isna(v) else int(v) for v in d["hrca_ims2025"]]
    assert ims == [1, 1, None, 1, 0, 0, 1, 0]
    assert [None if pd.isna(v) else int(v) for v in d["hrca_methods"]] == [1, 1, None, 0, 1, 0, 1, 0]


def test_by_definition_group_sizes(tables):
    t = sensitivity.by_definition(*tables).set_index(["column", "endpoint"])
    assert tuple(t.loc[("hrca_ims2025", "PFS"), ["n_with", "n_without"]]) == (4, 3)
    assert tuple(t.loc[("extramedullary", "OS"), ["n_with", "n_without"]]) == (4, 4)
    assert t.loc[("extramedullary", "PFS"), "orr_with"] == pytest.approx(3 / 4)  # FX01, FX05, FX07 of 4


def test_landmark_excludes_events_before_the_landmark(tables):
    lm = sensitivity.landmark(*tables).set_index("group")
    assert lm["n"].tolist() == [4, 2] and int(lm["excluded"].iloc[0]) == 2
    # FX04 (no progression, 564 d) and FX06 (progression 168 d): times counted from day 28
    assert lm.loc["C1 non-responder", "events"] == 1


def test_method_choices_report_each_choice(tables):
    m = sensitivity.method_choices(*tables, replicates=200, seed=1)
    assert {
        "R rule, log CI (Brookmeyer–Crowley)",
        "lifelines rule (first S ≤ 0.5)",
        "time origin: start of debulking",
        "over all patients",
    } <= set(m["choice"])
    row = m[(m["quantity"] == "ORR at C1") & (m["choice"] == "over all patients")]
    assert row["estimate"].item() == "4/8 (50%)"


def test_external_context_uses_the_registry(tables):
    ext = sensitivity.external_context(*tables)
    assert "MajesTEC-1 (teclistamab)" in set(ext["source"])
    assert ext.loc[ext["source"] == "this cohort (all)", "measure"].tolist() == ["ORR", "median PFS"]


def test_forest_and_external_plots_return_axes(tables):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert sensitivity.plot_forest(sensitivity.by_definition(*tables), "PFS", ax=ax) is ax
    fig2, axes = plt.subplots(1, 2)
    assert sensitivity.plot_external(sensitivity.external_context(*tables), axes=axes) is axes
    plt.close("all")


def test_the_sweep_reads_the_committed_reconstructions():
    table = sensitivity.ensemble(limit=3)
    assert len(table) == 3 and table["seed"].is_monotonic_increasing
    assert np.isfinite(table["PFS HR EMD"]).all() and list(sensitivity.spread(table)["quantity"])[0] == "PFS HR EMD"
    assert sensitivity.ensemble(limit=0).empty
    assert "skipped" in sensitivity.describe_ensemble(sensitivity.ensemble(limit=0))


def test_the_sweep_over_the_stacked_members_equals_one_member_at_a_time():
    from analysis.data.cohort import load_cohort
    from analysis.data.derive import response, subject_level, time_to_event
    from analysis.paper.synthetic import ensemble as reconstruction

    table = sensitivity.ensemble(limit=3)
    one_by_one = []
    for path in reconstruction.members(limit=3):
        p = load_cohort(path).patients
        one_by_one.append(sensitivity.member_statistics(subject_level(p), time_to_event(p), response(p)))
    pd.testing.assert_frame_equal(
        table.drop(columns=["seed", "calibration_loss"]), pd.DataFrame(one_by_one), check_exact=True
    )
