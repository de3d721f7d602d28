"""The comparison with the paper from pooled summaries equals the one from the patients' rows (issue 25)."""

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.paper import compare
from analysis.study.federated import pooled, summary
from analysis.study.federated.measurements import PooledMeasurements


def _pooled(patients, min_cell):
    return pooled.pool(summary.centre_summaries(patients, min_cell))


@pytest.fixture(scope="module")
def centre_patients(tmp_path_factory):
    """The synthetic cohort as a centre's export (no provenance): the comparison, not the reproduction."""
    import shutil

    path = tmp_path_factory.mktemp("c") / "export.csv"
    shutil.copyfile(paths.DEFAULT_SYNTHETIC, path)
    return load_cohort(path).patients


def test_the_14_centres_summaries_give_the_patient_level_comparison_row_for_row(centre_patients):
    rows = compare.cohort_vs_published(centre_patients)
    summaries = compare.cohort_vs_published(None, measurements=PooledMeasurements(_pooled(centre_patients, 1)))
    assert list(summaries["quantity"]) == list(rows["quantity"])
    period = rows["kind"] == "period"  # the one row that needs dates
    assert summaries.loc[period, "note"].str.contains("no date leaves a centre").all()
    a, b = rows[~period], summaries[~period]
    for column in compare.VALUE_COLUMNS:
        if a[column].dtype.kind == "f":
            np.testing.assert_allclose(b[column].to_numpy(float), a[column].to_numpy(float), rtol=1e-10, err_msg=column)
        else:
            pd.testing.assert_series_equal(b[column], a[column], obj=column)


def test_with_suppression_rows_say_not_estimable_naming_the_centres_and_no_partial_count_is_shown(centre_patients):
    v = compare.cohort_vs_published(None, measurements=PooledMeasurements(_pooled(centre_patients, 3)))
    hidden = v[v["note"].str.startswith("not estimable: centre(s)")]
    assert len(hidden) > 50 and hidden["p_value"].isna().all() and hidden["cohort_k"].isna().all()
    female = v.set_index("claim_id").loc["t1.female"]
    assert "suppressed these counts (the pooled count lies in" in female["note"]
