"""This cohort vs the published study, on the 8-patient fixture and on the synthetic cohort read as real data.

Fixture facts used below (tests/fixtures/make_fixtures.py): 4 of 8 women; ages 45 55 60 66 67 70 72 82 (median
66.5; with n = 8 the order-statistic interval is [x(1), x(8)] = 45–82, coverage 1 − 2/256 = 99.2%); ICANS in 4
of 8 (published 3/44); C1 ORR 4 of 7 evaluable (published 64% of 39 → 25/39).
"""

import shutil

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.paper import claims as claims_mod
from analysis.paper import compare
from analysis.stats import km

NOTEBOOK_SECTIONS = (
    ["cohort", "baseline", "cytogenetics", "emd", "debulking", "bispecific"],
    ["safety"],
    ["response"],
    ["survival"],
)


@pytest.fixture(scope="module")
def centre(tmp_path_factory):
    """The synthetic cohort copied without its provenance note: what a centre's own export looks like."""
    path = tmp_path_factory.mktemp("centre") / "centre_export.csv"
    shutil.copyfile(paths.DEFAULT_SYNTHETIC, path)
    return load_cohort(path)


@pytest.fixture(scope="module")
def fixture_values(fixture_cohort):
    return compare.cohort_vs_published(fixture_cohort.patients)


@pytest.fixture(scope="module")
def centre_values(centre):
    return compare.cohort_vs_published(centre.patients)


def _write_with_provenance(tmp_path, provenance):
    path = tmp_path / "cohort.csv"
    shutil.copyfile(paths.FIXTURE, path)
    if provenance is not None:
        path.with_name(path.name + ".provenance.yaml").write_text(yaml.safe_dump(provenance), encoding="utf-8")
    return load_cohort(path)


# ----------------------------------------------------------------------------- mode
def test_mode_reproduces_on_the_default_and_compares_on_anything_else(synthetic_cohort, fixture_cohort, centre):
    assert compare.mode(synthetic_cohort) == "reproduction"
    assert compare.mode(synthetic_cohort.source) == "reproduction"  # a Source is enough
    assert compare.mode(fixture_cohort) == "comparison"  # synthetic, but a reconstruction of no paper
    assert compare.mode(centre) == "comparison"  # no provenance: real data


@pytest.mark.parametrize(
    "provenance, expected",
    [
        ({"synthetic": True, "reconstruction_of": "10.1038/s41408-025-01365-y"}, "reproduction"),
        ({"synthetic": True, "reconstruction_of": "10.1038/S41408-025-01365-Y "}, "reproduction"),  # DOIs ignore case
        ({"synthetic": True, "generator": "analysis.paper.synthetic.generate"}, "reproduction"),
        ({"reconstruction_of": "10.1038/s41408-025-01365-y"}, "comparison"),  # not declared synthetic
        ({"synthetic": True, "reconstruction_of": "10.1000/another-paper"}, "comparison"),
        ({"synthetic": "yes", "generator": "analysis.paper.synthetic.generate"}, "comparison"),  # only `true` counts
        ({}, "comparison"),
        (None, "comparison"),
    ],
)
def test_mode_reads_the_provenance(tmp_path, provenance, expected):
    assert compare.mode(_write_with_provenance(tmp_path, provenance)) == expected


# ----------------------------------------------------------------------------- the acceptance criteria
def test_no_row_is_a_bare_mark_on_a_centre_cohort(centre_values):
    v = centre_values
    assert len(v) == len(claims_mod.load_claims())
    assert (v["published"].str.len() > 0).all()
    tested = v[v["comparison"] == compare.TESTED]
    assert len(tested) > 90
    assert np.isfinite(
        tested[
            [
                "published_value",
                "cohort_value",
                "difference",
                "difference_lower",
                "difference_upper",
                "p_value",
                "p_holm",
            ]
        ].to_numpy(dtype=float)
    ).all()
    described = v[v["comparison"] == compare.DESCRIPTIVE]
    assert (described["cohort_n"] > 0).all() and (described["note"].str.len() > 0).all()  # a median may be NR
    assert (v.loc[v["comparison"] == compare.NOT_COMPARABLE, "note"].str.len() > 0).all()


@pytest.mark.parametrize("which", ["fixture", "centre"])
def test_interval_and_p_equal_statsmodels_and_scipy_on_every_row(which, fixture_values, centre_values):
    v = fixture_values if which == "fixture" else centre_values
    tested = v[(v["comparison"] == compare.TESTED) & v["p_value"].notna()]
    assert len(tested) > 90
    for r in tested.itertuples():
        k1, n1, k2, n2 = int(r.cohort_k), int(r.cohort_n), int(r.published_k), int(r.published_n)
        lo, hi = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb")
        assert (r.difference_lower, r.difference_upper) == (float(lo), float(hi)), r.claim_id
        assert r.p_value == stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue, r.claim_id
        assert r.difference == pytest.approx(k1 / n1 - k2 / n2, abs=1e-15)


def test_holm_is_over_the_distinct_comparisons_and_their_number_is_given(fixture_values):
    v = fixture_values
    family = v[(v["comparison"] == compare.TESTED) & (v["duplicate_of"] == "") & v["p_value"].notna()]
    np.testing.assert_array_equal(family["p_holm"], multipletests(family["p_value"], method="holm")[1])
    assert (v["n_comparisons"] == len(family)).all()
    assert f"{len(family)} comparisons of proportions" in compare.framing(v)
    assert "unadjusted" in compare.framing(v) and "Holm" in compare.framing(v)
    assert "not a test of the debulking strategy" in compare.framing(v)


def test_a_claim_printed_twice_is_one_comparison(fixture_values):
    v = fixture_values.set_index("claim_id")
    assert v.loc["txt.female", "duplicate_of"] == "t1.female"
    assert v.loc["disc.cyclophosphamide", "duplicate_of"] == "t1.cyclophosphamide"  # 84% of 44 → 37/44 printed
    assert v.loc["txt.female", "p_holm"] == v.loc["t1.female", "p_holm"]
    assert "the same comparison as t1.female" in v.loc["txt.female", "note"]
    assert v.loc["txt.del17p", "duplicate_of"] == ""  # 9/22 in the text, 9/44 in Table 1: two comparisons
    assert v.loc["txt.age", "duplicate_of"] == ""  # printed 67 vs 66


# ----------------------------------------------------------------------------- values, hand-worked on the fixture
def test_proportion_rows_on_the_fixture(fixture_cohort, fixture_values):
    v = fixture_values.set_index("claim_id")
    p = fixture_cohort.patients
    female = v.loc["t1.female"]
    assert (female["cohort_k"], female["cohort_n"]) == (int((p["sex"] == "F").sum()), len(p)) == (4, 8)
    assert (female["published_k"], female["published_n"]) == (22, 44) and female["difference"] == 0
    icans = v.loc["t1.icans"]
    assert (icans["cohort_k"], icans["cohort_n"], icans["published_k"], icans["published_n"]) == (4, 8, 3, 44)
    assert icans["p_value"] == pytest.approx(stats.fisher_exact([[4, 4], [3, 41]]).pvalue) and icans["p_value"] < 0.01
    orr = v.loc["txt.orr_c1"]
    assert (orr["cohort_k"], orr["cohort_n"], orr["published_k"], orr["published_n"]) == (4, 7, 25, 39)
    assert orr["published"] == "(64%) of 39" and "implied by the printed 64% of 39" in orr["note"]
    assert (orr["published_pct"], orr["published_pct_decimals"]) == (64, 0)
    c6 = v.loc["txt.orr_c6"]  # printed 87%, the audit's 18 responders
    assert (c6["published_k"], c6["published_n"], c6["published_pct"]) == (18, 21, 87) and "resolution" in c6["note"]
    assert (v.loc["t1.iss3", "published_k"], v.loc["t1.iss3", "published_n"]) == (20, 42)
    deaths = v.loc["txt.deaths_progression"]  # a count, read over all patients
    assert (deaths["published_k"], deaths["published_n"], deaths["cohort_k"], deaths["cohort_n"]) == (14, 44, 1, 8)
    assert "share of all 44 patients" in deaths["note"]


def test_not_comparable_rows_say_why(fixture_values):
    v = fixture_values.set_index("claim_id")
    assert v.loc["t1.n_patients", "comparison"] == compare.NOT_COMPARABLE
    assert "size rather than a rate" in v.loc["t1.n_patients", "note"] and v.loc["t1.n_patients", "cohort_k"] == 8
    assert "centres" in v.loc["txt.centres", "note"]
    lr = v.loc["txt.pfs_logrank_emd"]
    assert "a test inside each cohort" in lr["note"] and lr["published_value"] == 0.05 and 0 <= lr["cohort_value"] <= 1
    assert "calendar period" in v.loc["txt.period", "note"]
    assert v.loc["txt.radiotherapy", "note"].startswith("Radiotherapy is not a column")
    assert v.loc["ext.majestec1_orr", "note"] == "external study, not this cohort"


def test_median_rows_give_the_order_statistic_interval(fixture_values):
    age = fixture_values.set_index("claim_id").loc["t1.age"]
    assert (age["cohort_value"], age["cohort_lower"], age["cohort_upper"]) == (66.5, 45.0, 82.0)
    assert (age["cohort_min"], age["cohort_max"], age["published_value"]) == (45.0, 82.0, 66)
    assert (age["published_lower"], age["published_upper"]) == (45, 82)
    assert age["ci_coverage"] == pytest.approx(1 - 2 / 256)
    assert "published median lies inside" in age["note"] and "x(1)–x(8)" in age["note"] and "66.5" in age["note"]
    assert pd.isna(age["p_value"]) and pd.isna(age["difference"])


def test_survival_rows_give_this_cohorts_median_and_ci_beside_the_published(fixture_cohort, fixture_values):
    from analysis.data import derive

    v = fixture_values.set_index("claim_id")
    adtte = derive.time_to_event(fixture_cohort.patients)
    pfs = adtte[adtte["endpoint"] == "PFS"]
    med, lo, hi = km.median_ci(pfs["time_months"], pfs["event"])
    row = v.loc["txt.pfs_median_all"]
    np.testing.assert_equal([row["cohort_value"], row["cohort_lower"], row["cohort_upper"]], [med, lo, hi])
    assert (row["published_value"], row["published_lower"], row["published_upper"]) == (10.2, 6.87, 18.6)
    assert row["cohort_n"] == 8 and row["published"] == "10.2 (95% CI 6.87–18.6)"
    assert np.isnan(v.loc["txt.os_median_no_emd", "published_value"])  # printed "not reached"
    assert v.loc["txt.os_median_no_emd", "published"] == "NR (95% CI 13.8–NR)"
    assert "no CI here" in v.loc["disc.pfs_median_all", "note"]


def test_on_the_reconstruction_every_difference_is_zero(synthetic_cohort):
    """The calibrated cohort reproduces every count exactly, so each difference is 0 and Fisher's p is 1."""
    v = compare.cohort_vs_published(synthetic_cohort.patients)
    tested = v[v["comparison"] == compare.TESTED]
    assert (tested["difference"] == 0).all() and (tested["p_value"] == 1).all()


# ----------------------------------------------------------------------------- sections, degenerate data, determinism
def test_the_notebook_sections_partition_the_comparable_claims(fixture_cohort, fixture_values):
    parts = [compare.cohort_vs_published(fixture_cohort.patients, sections=s) for s in NOTEBOOK_SECTIONS]
    ids = [cid for part in parts for cid in part["claim_id"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(fixture_values.loc[fixture_values["section"] != "external", "claim_id"])
    assert all(part["n_comparisons"].nunique() == 1 for part in parts)
    one = compare.cohort_vs_published(fixture_cohort.patients, ids=["t1.crs"])
    assert len(one) == 1 and one["n_comparisons"].iloc[0] == 1 and one["p_holm"].iloc[0] == one["p_value"].iloc[0]


def test_one_patient_is_not_an_error(fixture_cohort):
    one = fixture_cohort.patients.iloc[[1]].reset_index(drop=True)  # FX02: progressed and died
    v = compare.cohort_vs_published(one).set_index("claim_id")
    assert (v.loc["t1.age", "cohort_n"], v.loc["t1.age", "cohort_value"]) == (1, 72)
    assert "CI not estimable: n = 1 is too few" in v.loc["t1.age", "note"]
    empty = v.loc["txt.orr_c1_emd"]  # FX02 has no EMD: 0 evaluable
    assert empty["cohort_n"] == 0 and pd.isna(empty["p_value"])
    assert "not estimable: no patients in the first denominator" in empty["note"]
    assert v.loc["txt.pfs_median_emd", "cohort_n"] == 0 and "no patients" in v.loc["txt.pfs_median_emd", "note"]


def test_same_cohort_same_table(fixture_cohort, fixture_values):
    again = compare.cohort_vs_published(fixture_cohort.patients)
    pd.testing.assert_frame_equal(again, fixture_values)
    assert list(again.columns) == compare.VALUE_COLUMNS


# ----------------------------------------------------------------------------- forest rows
def test_key_rates_pair_each_rate_with_its_published_value(fixture_cohort):
    rows = compare.key_rates(fixture_cohort.patients)
    assert list(rows.columns) == compare.RATE_COLUMNS and len(rows) == 2 * len(compare.KEY_RATES)
    assert list(dict.fromkeys(rows["label"])) == [label for label, _ in compare.KEY_RATES]
    orr = rows[rows["claim_id"] == "txt.orr_c1"].set_index("series")
    assert (orr.loc["This cohort", "k"], orr.loc["This cohort", "n"]) == (4, 7)
    assert (orr.loc["Published study", "k"], orr.loc["Published study", "n"]) == (25, 39)
    for r in rows.itertuples():
        np.testing.assert_allclose((r.lower, r.upper), proportion_confint(r.k, r.n, method="beta"), rtol=1e-10)
        assert r.estimate == r.k / r.n
    infections = rows[rows["claim_id"] == "txt.infections_g3plus"].set_index("series")
    assert infections.loc["Published study", "n"] == 43  # the audit's denominator
