"""load_cohort = read + validate + label: a typed error carrying the full report."""

import pytest

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.exceptions import DataValidationError


def test_load_cohort_raises_a_typed_error_carrying_the_full_report():
    with pytest.raises(DataValidationError) as info:
        load_cohort(paths.TESTS / "fixtures" / "malformed" / "chemo_before_bsab.csv")
    assert info.value.report.rules_broken() == {"chemo_before_bsab"}
    assert "FX01" in str(info.value)
