"""04_survival's analyses (analysis.study.outcomes): summaries with their reasons, panels, follow-up, strata."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data import derive
from analysis.render import NotDrawn
from analysis.study import outcomes


@pytest.fixture(scope="module")
def frames(synthetic_cohort):
    p = synthetic_cohort.patients
    adsl, adtte = derive.subject_level(p), derive.time_to_event(p)
    return adsl, adtte, outcomes.endpoint_frame(adtte, adsl, "PFS"), outcomes.endpoint_frame(adtte, adsl, "OS")


def test_summary_has_every_endpoint_and_grouping_and_prints_nr(frames):
    adsl, adtte, _, _ = frames
    summary = outcomes.survival_summary(adtte, adsl)
    assert list(dict.fromkeys(summary["grouping"])) == ["all", "extramedullary", "any_cyto_abnormality"]
    assert len(summary) == 2 * 5 and (summary["test_note"] == "").all()
    view = outcomes.display_summary(summary)
    no_emd_os = view[(view["Endpoint"] == "OS") & (view["Group"] == "No EMD")]["Median, months (95% CI)"].iloc[0]
    assert no_emd_os.startswith("NR (")  # not reached, its lower limit shown
    assert outcomes.summary_notes(summary, "label") == "label NR: not reached."


def test_the_hazard_ratio_names_its_reference_group_and_the_reference_row_says_so(frames):
    adsl, adtte, _, _ = frames
    summary = outcomes.survival_summary(adtte, adsl)
    grouped = summary[summary["grouping"] != "all"]
    assert set(grouped["hr_reference"]) == {"No EMD", "No abnormality (tested)"}
    assert (summary.loc[summary["grouping"] == "all", "hr_reference"] == "").all()
    view = outcomes.display_summary(summary).set_index(["Endpoint", "Group"])["HR (95% CI)"]
    for endpoint in ("PFS", "OS"):
        assert view[endpoint, "EMD"].endswith(" vs No EMD") and view[endpoint, "EMD"][0].isdigit()
        assert view[endpoint, "No EMD"] == "reference"
        assert view[endpoint, "Cytogenetic abnormality"].endswith(" vs No abnormality (tested)")
        assert view[endpoint, "No abnormality (tested)"] == "reference"
        assert view[endpoint, "all"] == ""


def test_a_comparison_that_cannot_be_made_is_a_dash_with_its_reason_in_the_note(frames):
    adsl, adtte, _, _ = frames
    one_group = adsl.assign(extramedullary=1)
    summary = outcomes.survival_summary(adtte, one_group)
    emd = summary[summary["grouping"] == "extramedullary"]
    assert emd["logrank_p"].isna().all() and (emd["test_note"] != "").all()
    assert "PFS by extramedullary: no comparison: 1 group of extramedullary with data" in outcomes.summary_notes(
        summary
    )
    row = outcomes.display_summary(summary).iloc[int(emd.index[0])]
    assert row["Log-rank p"] == "—" and row["HR (95% CI)"] == "—"


def test_followup_is_observed_and_reverse_km(frames):
    followup = outcomes.followup(frames[3])
    assert list(followup["measure"]) == ["observed follow-up, median (min–max)", "reverse Kaplan–Meier median (95% CI)"]
    assert outcomes.followup(frames[3].iloc[:0])["months"].tolist() == ["—", "—"]


def test_an_empty_panel_is_not_drawn_and_says_why(frames):
    _, _, pfs, os_ = frames
    nobody = pfs.assign(any_cyto_abnormality=np.nan)
    fig, at_risk = outcomes.km_panel(nobody, os_, "pfs_by_cytogenetics")
    assert isinstance(fig, NotDrawn) and "any_cyto_abnormality" in fig.reason and at_risk.empty


def test_centre_stratified_equals_r_on_the_frozen_strata_reference():
    ref = json.loads((paths.TESTS / "r" / "strata_reference.json").read_text())
    data = pd.read_csv(paths.TESTS / "r" / "strata_input.csv").rename(
        columns={"x": "extramedullary", "centre": "center_id"}
    )
    table = outcomes.centre_stratified(data, data).set_index(["endpoint", "analysis"])
    strat = table.loc[("PFS", "stratified by center_id")]
    assert strat["hr"] == pytest.approx(math.exp(ref["cox_strata_efron"]["beta"]), rel=1e-9)
    assert table.loc[("PFS", "pooled"), "hr"] == pytest.approx(math.exp(ref["cox_plain_efron"]["beta"]), rel=1e-9)
    from scipy import stats

    assert strat["logrank_p"] == pytest.approx(stats.chi2.sf(ref["survdiff_x_rho0"]["strata_chisq"], 1), rel=1e-8)
    assert (table["centres"] == 6).all()


def test_with_one_centre_stratified_equals_pooled(frames):
    _, _, pfs, os_ = frames
    one = outcomes.centre_stratified(pfs.assign(center_id="C01"), os_.assign(center_id="C01"))
    pooled, strat = one[one["analysis"] == "pooled"], one[one["analysis"] != "pooled"]
    np.testing.assert_allclose(
        pooled[["logrank_p", "hr"]].to_numpy(), strat[["logrank_p", "hr"]].to_numpy(), rtol=1e-12
    )
    assert outcomes.display_stratified(one)["HR, EMD vs no EMD (95% CI)"].str.match(r"\d\.\d\d \(").all()
