"""Row filters on the named columns only (analysis.data.query) select exactly what DataFrame.query selects."""

import pandas as pd
import pytest

from analysis.data import query


@pytest.mark.parametrize(
    "expr",
    [
        "crs_grade >= 2",
        "crs_grade.notna()",
        "(sex == 'F') & (age_years > 60)",
        "infection_max_grade.isna() | (crs_grade == 0)",
        "age_years in [45, 82]",
    ],
)
def test_same_rows_as_dataframe_query(adsl_table, expr):
    expected = adsl_table.query(expr, engine="python")
    pd.testing.assert_frame_equal(query.rows(adsl_table, expr), expected)
    assert query.count(adsl_table, expr) == len(expected)


def test_everyone_for_an_empty_filter(adsl_table):
    for expr in (None, "", "all"):
        assert query.rows(adsl_table, expr) is adsl_table and query.count(adsl_table, expr) == len(adsl_table)


@pytest.fixture(scope="module")
def adsl_table(synthetic_cohort):
    from analysis.data import derive

    return derive.subject_level(synthetic_cohort.patients)
