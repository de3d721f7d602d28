"""Derived tables against values worked out by hand from tests/fixtures/cohort_fixture.csv.

Day counts (bispecific start -> event), computed on the calendar:
  FX01 2023-01-30: progression 2023-10-27 = 270 d; last contact 2024-01-29 = 364 d (alive)
  FX02 2023-03-15: progression 2023-06-01 = 78 d; death 2023-09-10 = 179 d (progression)
  FX03 2023-03-05: death 2023-03-20 = 15 d (infection), no progression
  FX04 2023-03-17: alive, no progression at 2024-10-01 = 564 d (crosses 29 Feb 2024)
  FX05 2023-05-30: alive, no progression at 2023-10-01 = 124 d
  FX06 2023-06-29: progression 2023-12-14 = 168 d; death 2024-02-01 = 217 d (other)
  FX07 2023-08-29: progression 2024-08-15 = 352 d; alive at 2024-09-30 = 398 d (leap year: 366 d to 2024-08-29)
  FX08 2023-10-31: progression 2023-11-28 = 28 d; alive at 2024-01-31 = 92 d
Delays chemo -> bispecific: 28, 42 (2023 is not a leap year), 4, 197 (2022-09-01 -> 2023-03-17), 28, 28, 28, 28.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.data import derive

IDS = ["FX01", "FX02", "FX03", "FX04", "FX05", "FX06", "FX07", "FX08"]
NA = pd.NA


@pytest.fixture(scope="module")
def adsl(fixture_cohort):
    return derive.subject_level(fixture_cohort.patients).set_index("patient_id")


@pytest.fixture(scope="module")
def adtte(fixture_cohort):
    return derive.time_to_event(fixture_cohort.patients)


@pytest.fixture(scope="module")
def adrs(fixture_cohort):
    return derive.response(fixture_cohort.patients)


def _col(frame, name):
    return [None if pd.isna(v) else v for v in frame.loc[IDS, name]]


def test_month_is_a_twelfth_of_a_julian_year():
    assert derive.DAYS_PER_MONTH == pytest.approx(30.4375, abs=0)


def test_delay_and_followup_days(adsl):
    assert _col(adsl, "delay_days") == [28, 42, 4, 197, 28, 28, 28, 28]
    assert _col(adsl, "followup_days") == [364, 179, 15, 564, 124, 217, 398, 92]


def test_high_risk_cytogenetics_methods_definition(adsl):
    # FX03 untested; FX07 del(17p) detected with t(14;16) untested -> still high risk;
    # FX04 has only amp(1q21)+del(1p32) -> not high risk by the paper's definition.
    assert _col(adsl, "hrca") == [1, 1, None, 0, 1, 0, 1, 0]
    assert _col(adsl, "any_cyto_abnormality") == [1, 1, None, 1, 1, 0, 1, 0]
    assert _col(adsl, "cyto_tested") == [1, 1, 0, 1, 1, 1, 1, 1]


def test_high_tumour_burden_components(adsl):
    # FX07: FLC exactly 5000 mg/L is not > 5000; FX03 has no measured component.
    assert _col(adsl, "htb_bm_pc") == [1, 0, None, 1, 0, 1, 0, 0]
    assert _col(adsl, "htb_m_protein") == [1, 0, None, 0, 1, 0, 0, 0]
    assert _col(adsl, "htb_flc") == [0, 1, None, 0, None, 0, 0, 0]
    assert _col(adsl, "high_tumour_burden") == [1, 1, None, 1, 1, 1, 0, 0]


def test_regimen_classes_and_categories(adsl):
    assert _col(adsl, "alkylating") == [1, 1, 0, 1, 1, 1, 1, 1]
    assert _col(adsl, "anthracycline_alkylating") == [1, 0, 0, 0, 1, 0, 0, 0]
    assert _col(adsl, "chemo_cycles_cat") == ["1", "2", "≥3", "≥3", "1", "1", "2", "1"]
    assert _col(adsl, "emd_site_count_cat") == ["2", None, None, None, "≥3", None, "1", None]
    assert _col(adsl, "emd_localisations") == [2, 0, 1, 0, 4, 0, 1, 0]


@pytest.mark.parametrize(
    "endpoint, days, events",
    [
        ("PFS", [270, 78, 15, 564, 124, 168, 352, 28], [1, 1, 1, 0, 0, 1, 1, 1]),
        ("OS", [364, 179, 15, 564, 124, 217, 398, 92], [0, 1, 1, 0, 0, 1, 0, 0]),
        ("FOLLOWUP", [364, 179, 15, 564, 124, 217, 398, 92], [1, 0, 0, 1, 1, 0, 1, 1]),
    ],
)
def test_time_to_event_days_events_and_months(adtte, endpoint, days, events):
    rows = adtte[adtte["endpoint"] == endpoint].set_index("patient_id").loc[IDS]
    assert rows["time_days"].tolist() == days
    assert rows["event"].tolist() == events
    np.testing.assert_allclose(rows["time_months"], np.array(days) / 30.4375, rtol=0, atol=0)


def test_event_and_censoring_reasons(adtte):
    pfs = adtte[adtte["endpoint"] == "PFS"].set_index("patient_id")["reason"]
    assert pfs["FX02"] == "progression"  # progression before death: PFS ends at progression
    assert pfs["FX03"] == "death without progression"
    assert pfs["FX04"] == "censored: alive without progression at last follow-up"
    os_ = adtte[adtte["endpoint"] == "OS"].set_index("patient_id")["reason"]
    assert (os_["FX02"], os_["FX03"], os_["FX06"]) == ("death (progression)", "death (infection)", "death (other)")
    assert os_["FX01"] == "censored: alive at last follow-up"


def test_time_to_event_has_one_row_per_patient_and_endpoint(adtte):
    assert len(adtte) == 3 * 8
    assert not adtte.duplicated(["patient_id", "endpoint"]).any()


def test_response_status_explains_every_missing_assessment(adrs):
    status = adrs.pivot(index="patient_id", columns="timepoint", values="status").loc[IDS]
    assert status["C1"].tolist() == ["assessed"] * 2 + ["died before"] + ["assessed"] * 5
    assert status["C3"].tolist() == [
        "assessed",
        "assessed",
        "died before",
        "assessed",
        "assessed",
        "not assessed",
        "assessed",
        "progressed before",
    ]
    assert status["C6"].tolist() == [
        "assessed",
        "progressed before",
        "died before",
        "assessed",
        "follow-up ended before",
        "assessed",
        "assessed",
        "progressed before",
    ]
    assert status["C12"].tolist() == [
        "progressed before",
        "progressed before",
        "died before",
        "assessed",
        "follow-up ended before",
        "progressed before",
        "assessed",
        "progressed before",
    ]
    assert status["debulking"].tolist() == ["assessed", "assessed", "not assessed"] + ["assessed"] * 5


def test_response_flags_on_evaluable_rows_only(adrs):
    c1 = adrs[adrs["timepoint"] == "C1"].set_index("patient_id").loc[IDS]
    # C1: VGPR, PR, -, SD, CR, MR, PR, PD
    assert [None if pd.isna(v) else int(v) for v in c1["orr"]] == [1, 1, None, 0, 1, 0, 1, 0]
    assert [None if pd.isna(v) else int(v) for v in c1["vgpr_or_better"]] == [1, 0, None, 0, 1, 0, 0, 0]
    assert [None if pd.isna(v) else int(v) for v in c1["cr_or_better"]] == [0, 0, None, 0, 1, 0, 0, 0]
    best = adrs[adrs["timepoint"] == "best"].set_index("patient_id").loc[IDS]
    # best: CR, PR, -, VGPR, sCR, MR, CR, PD -> ORR over all 8 patients = 5/8
    assert int(best["orr"].fillna(0).sum()) == 5


def test_patients_are_conserved_at_every_timepoint(adrs):
    counts = adrs.groupby("timepoint", observed=True)["patient_id"].nunique()
    assert (counts == 8).all() and len(counts) == 6
