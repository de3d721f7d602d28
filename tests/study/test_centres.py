"""Per-centre table against values worked out by hand from tests/fixtures/cohort_fixture.csv.

Centres: C01 = FX01, FX02, FX07; C02 = FX03, FX04, FX08; C03 = FX05, FX06.
Bispecific starts: C01 2023-01-30 … 2023-08-29; C02 2023-03-05 … 2023-10-31; C03 2023-05-30 … 2023-06-29.
Follow-up days: C01 364, 179, 398 (median 364); C02 15, 564, 92 (median 92); C03 124, 217 (median 170.5);
all eight: 15, 92, 124, 179, 217, 364, 398, 564 (median 198).
EMD: C01 FX01, FX07 = 2/3; C02 FX03 = 1/3; C03 FX05 = 1/2.
hrca (methods): FX01 1, FX02 1, FX07 1 -> 3/3; FX03 untested, FX04 0, FX08 0 -> 0/2; FX05 1, FX06 0 -> 1/2.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.data import derive
from analysis.data.cohort import load_cohort
from analysis.study import centres

M = derive.DAYS_PER_MONTH


@pytest.fixture(scope="module")
def table(fixture_cohort):
    return centres.per_centre(derive.subject_level(fixture_cohort.patients)).set_index("center_id")


def test_one_row_per_centre_then_the_total(table):
    assert table.index.tolist() == ["C01", "C02", "C03", centres.TOTAL]
    assert table["patients"].tolist() == [3, 3, 2, 8]


def test_accrual_period_is_first_and_last_bispecific_start(table):
    assert table["first_bsab_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-01-30",
        "2023-03-05",
        "2023-05-30",
        "2023-01-30",
    ]
    assert table["last_bsab_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-08-29",
        "2023-10-31",
        "2023-06-29",
        "2023-10-31",
    ]


def test_followup_median_min_max_in_months(table):
    np.testing.assert_allclose(table["followup_months_median"], np.array([364, 92, 170.5, 198]) / M, rtol=0, atol=1e-12)
    np.testing.assert_allclose(table["followup_months_min"], np.array([179, 15, 124, 15]) / M, rtol=0, atol=1e-12)
    np.testing.assert_allclose(table["followup_months_max"], np.array([398, 564, 217, 564]) / M, rtol=0, atol=1e-12)


def test_emd_over_patients_and_hrca_over_tested(table):
    assert table["emd_n"].tolist() == [2, 1, 1, 4]
    np.testing.assert_allclose(table["emd_percent"], [200 / 3, 100 / 3, 50, 50])
    assert table["hrca_n"].tolist() == [3, 0, 1, 4] and table["hrca_tested"].tolist() == [3, 2, 2, 7]
    np.testing.assert_allclose(table["hrca_percent"], [100, 0, 50, 400 / 7])


def test_a_centre_without_testing_is_not_estimable_not_zero(fixture_cohort):
    adsl = derive.subject_level(fixture_cohort.patients)
    only = centres.per_centre(adsl[adsl["patient_id"] == "FX03"], total=False)
    assert only["hrca_tested"].tolist() == [0] and np.isnan(only["hrca_percent"].iloc[0])
    assert centres.display(only)["HRCA, n (% of tested)"].iloc[0] == "not estimable: none tested"
    assert centres.per_centre(adsl.iloc[0:0]).empty


def test_pooled_files_name_each_centres_file(tmp_path, fixture_cohort):
    from analysis import paths
    from analysis.data.io import read_table

    raw = read_table(paths.FIXTURE)
    for centre in ("C01", "C02", "C03"):
        raw[raw["center_id"] == centre].to_csv(tmp_path / f"{centre}.csv", index=False)
    pooled = load_cohort(tmp_path)
    table = centres.per_centre(derive.subject_level(pooled.patients)).set_index("center_id")
    assert table.loc["C02", "source_files"] == "C02.csv"
    assert table.loc[centres.TOTAL, "source_files"] == "C01.csv, C02.csv, C03.csv"
    single = centres.per_centre(derive.subject_level(fixture_cohort.patients)).set_index("center_id")
    cols = [c for c in centres.COLUMNS if c not in ("center_id", "source_files")]
    pd.testing.assert_frame_equal(table[cols], single[cols])
    shown = centres.display(table.reset_index())
    assert shown.loc[0, "Follow-up, months, median (min–max)"] == f"{364 / M:.1f} ({179 / M:.1f}–{398 / M:.1f})"
    assert "File(s)" in shown
