"""The study population at a glance: localisations, delay."""

from analysis.data import derive
from analysis.study import overview


def test_localisations_are_counted_over_emd_patients(fixture_cohort):
    loc = overview.emd_localisations(derive.subject_level(fixture_cohort.patients))
    assert loc["n"].tolist() == [1] * 8 and (loc["percent_of_emd"] == 25.0).all()
