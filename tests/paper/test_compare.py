"""This cohort vs the published study, on the 8-patient fixture and on the synthetic cohort read as real data.

Fixture facts used below (tests/fixtures/make_fixtures.py): 4 of 8 women; ages 45 55 60 66 67 70 72 82 (median
66.5; with n = 8 the order-statistic interval is [x(1), x(8)] = 45–82, coverage 1 − 2/256 = 99.2%); ICANS in 4
of 8 (published 3/44); C1 ORR 4 of 7 evaluable (published 64% of 39 → 25/39).
"""

import re
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
from analysis.paper import compare, multiplicity, quantities
from analysis.stats import km
from analysis.stats.ratio_from_ci import ratio_of_medians

REGISTRY_ID = re.compile(r"\b(?:t1|txt|disc|ext)\.[a-z0-9_]")

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
def test_one_row_per_quantity_each_labelled_in_words_with_population_and_unit(centre_values):
    v = centre_values
    committed = quantities.load()
    assert len(v) == len(committed) and v["quantity"].is_unique
    assert list(v["quantity"]) == [q.id for q in committed]
    for r, q in zip(v.itertuples(), committed):
        assert r.claim_id == q.primary and r.label.startswith(f"{q.label}, {q.population}, ")
        assert not REGISTRY_ID.search(r.label), r.label
    assert v.set_index("claim_id").loc["t1.delay", "label"].endswith(", days")
    orr = v.set_index("claim_id").loc["txt.orr_c3_hrca", "label"]
    assert orr == "ORR after cycle 3, patients with HRCA evaluable after cycle 3, %"
    stated = set(v["claim_id"]) | {p.split(" (")[0] for s in v["also_stated_in"] for p in s.split("; ") if p}
    assert stated == {c.id for c in claims_mod.load_claims()}  # every claim is somewhere, once


def test_no_row_is_a_bare_mark_on_a_centre_cohort(centre_values):
    v = centre_values
    assert (v["published"].str.len() > 0).all()
    tested = v[v["comparison"] == compare.TESTED]
    assert len(tested) > 90
    columns = ["published_value", "cohort_value", "difference", "difference_lower", "difference_upper"]
    assert np.isfinite(tested[[*columns, "p_value", "p_holm"]].to_numpy(dtype=float)).all()
    described = v[v["comparison"] == compare.DESCRIPTIVE]
    assert (described["cohort_n"] > 0).all() and described["note"].str.startswith("no test").all()
    assert (v.loc[v["comparison"] == compare.NOT_COMPARABLE, "note"].str.len() > 0).all()
    assert (v.loc[v["comparison"] == compare.CONTEXT, "note"].str.contains("another population")).all()


def _paper_text():
    raw = paths.PAPER_TEXT.read_text(encoding="utf-8")
    return raw, re.sub(r"\s+", " ", raw.replace("\\geq ", "≥").replace("$", ""))


def test_every_published_cell_is_the_papers_printed_text(centre_values):
    raw, text = _paper_text()
    for r in centre_values.itertuples():
        place, printed = r.published.split(": ", 1)
        if place == "Table 1":
            assert re.search(rf"\|\s*{re.escape(printed)}\s*\|", raw), (r.claim_id, printed)
        else:
            assert printed.startswith("“") and printed.endswith("”") and printed[1:-1] in text, r.claim_id


def test_a_printed_percentage_its_own_count_cannot_give_is_flagged_with_the_audit_finding(centre_values):
    v = centre_values.set_index("claim_id")
    hrca = v.loc["txt.orr_c3_hrca"]
    assert hrca["published"] == "Results: “73% after C3 (n = 12/15)”"
    assert hrca["published_compared"].startswith("12/15") and (hrca["published_k"], hrca["published_n"]) == (12, 15)
    assert hrca["flag"].startswith("inconsistent: the paper prints 73% but 12/15 = 80.0%")
    assert "overall C3 ORR, apparently copied" in hrca["flag"]
    c6 = v.loc["txt.orr_c6"]
    assert c6["flag"].startswith("inconsistent: the paper prints 87% but 18/21 = 85.7%")
    assert v.loc["t1.female", "flag"] == "" and v.loc["txt.orr_c1", "flag"] == ""  # consistent rows carry none
    assert "printed differently elsewhere: txt.age" in v.loc["t1.age", "flag"]  # 66 in Table 1, 67 in the text
    assert v.loc["t1.crs_grade3", "flag"] == ""  # 1/28 = 3.57% prints 3.6%


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


def test_holm_is_within_each_domain_family_and_its_size_is_given(fixture_values):
    v = fixture_values
    for family, sections in multiplicity.FAMILIES.items():
        members = v[v["family"] == family]
        tested = members[members["p_value"].notna()]
        assert set(members["section"]) <= set(sections) and len(tested) > 5
        np.testing.assert_array_equal(tested["p_holm"], multipletests(tested["p_value"], method="holm")[1])
        assert (members["family_size"] == len(tested)).all()
        assert f"{family} {len(tested)}" in compare.framing(v)
    outside = v[v["family"] == ""]
    assert (outside["section"] == "external").all() and outside["p_holm"].isna().all()
    assert "unadjusted" in compare.framing(v) and "Holm" in compare.framing(v)
    assert "not a test of the debulking strategy" in compare.framing(v)


def test_a_quantity_printed_twice_is_one_row_naming_the_other_places(fixture_values):
    v = fixture_values.set_index("claim_id")
    assert "txt.female" not in v.index and v.loc["t1.female", "also_stated_in"].startswith("txt.female (Results: “")
    assert "disc.cyclophosphamide" in v.loc["t1.cyclophosphamide", "also_stated_in"]
    assert "txt.icans" in v.loc["t1.icans", "also_stated_in"] and "disc.icans" in v.loc["t1.icans", "also_stated_in"]
    assert "txt.del17p" in v.index  # 9/22 in the text, 9/44 in Table 1: two quantities
    assert v.loc["txt.del17p", "population"] != v.loc["t1.del17p", "population"]


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
    assert orr["published"] == "Results: “ORR after cycle 1 of BsAb was 64% (n = 39)”"
    assert orr["published_compared"] == "25/39 (published count implied by the printed 64% of 39)"
    assert (orr["published_pct"], orr["published_pct_decimals"]) == (64, 0)
    c6 = v.loc["txt.orr_c6"]  # printed 87%, the audit's 18 responders
    assert (c6["published_k"], c6["published_n"], c6["published_pct"]) == (18, 21, 87) and "resolution" in c6["note"]
    assert (v.loc["t1.iss3", "published_k"], v.loc["t1.iss3", "published_n"]) == (20, 42)
    deaths = v.loc["txt.deaths_progression"]  # a count, read over all patients
    assert (deaths["published_k"], deaths["published_n"], deaths["cohort_k"], deaths["cohort_n"]) == (14, 44, 1, 8)
    assert "share of all 44 patients" in deaths["note"] and deaths["label"].endswith(", n (%)")


def test_not_comparable_rows_say_why(fixture_values):
    v = fixture_values.set_index("claim_id")
    assert v.loc["t1.n_patients", "comparison"] == compare.NOT_COMPARABLE
    assert "size rather than a rate" in v.loc["t1.n_patients", "note"] and v.loc["t1.n_patients", "cohort_k"] == 8
    assert "centres" in v.loc["txt.centres", "note"]
    lr = v.loc["txt.pfs_logrank_emd"]
    assert "a test inside each cohort" in lr["note"] and lr["published_value"] == 0.05 and 0 <= lr["cohort_value"] <= 1
    assert "calendar period" in v.loc["txt.period", "note"]
    assert v.loc["txt.radiotherapy", "note"].startswith("Radiotherapy is not a column")
    ext = v.loc["ext.majestec1_orr"]
    assert ext["comparison"] == compare.CONTEXT and ext["label"].startswith("ORR, MajesTEC-1")
    assert ext["published_compared"] == "63 % in MajesTEC-1 (teclistamab)" and ext["published_value"] == 63
    best = v.loc["txt.best_orr"]  # this cohort's nearest quantity, beside the trial's figure, no test
    assert (ext["cohort_k"], ext["cohort_n"]) == (best["cohort_k"], best["cohort_n"]) and pd.isna(ext["p_value"])
    assert "another population" in ext["note"] and "txt.best_orr" in ext["note"]


def test_median_rows_give_the_order_statistic_interval(fixture_values):
    age = fixture_values.set_index("claim_id").loc["t1.age"]
    assert (age["cohort_value"], age["cohort_lower"], age["cohort_upper"]) == (66.5, 45.0, 82.0)
    assert (age["cohort_min"], age["cohort_max"], age["published_value"]) == (45.0, 82.0, 66)
    assert (age["published_lower"], age["published_upper"]) == (45, 82)
    assert age["ci_coverage"] == pytest.approx(1 - 2 / 256)
    assert "published median lies inside" in age["note"] and "x(1)–x(8)" in age["note"] and "66.5" in age["note"]
    assert age["note"].startswith("no test: the paper prints a median and range, neither a CI nor a standard error")
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
    assert row["cohort_n"] == 8 and row["published"].startswith("Results: “In the overall population, median PFS")
    assert "disc.pfs_median_all" in row["also_stated_in"]
    assert np.isnan(v.loc["txt.os_median_no_emd", "published_value"])  # printed "not reached"
    assert "median not reached" in v.loc["txt.os_median_no_emd", "note"]
    assert pd.isna(v.loc["txt.os_median_no_emd", "p_value"])


def test_survival_medians_get_the_approximate_p_from_the_two_cis(centre_values):
    """The ratio test of analysis.stats.ratio_from_ci on each row's own numbers, labelled approximate."""
    v = centre_values.set_index("claim_id")
    rows = v[v["kind"] == "km_median"]
    tested = rows[rows["comparison"] == compare.APPROXIMATE]
    assert len(tested) >= 6
    for cid, r in tested.iterrows():
        c = claims_mod.get(cid)
        expect = ratio_of_medians(r.cohort_value, r.cohort_lower, r.cohort_upper, c.value, c.ci_lower, c.ci_upper)
        assert (r.p_value, r.ratio, r.ratio_lower, r.ratio_upper) == pytest.approx(
            (expect.p_value, expect.ratio, expect.lower, expect.upper), rel=1e-12
        ), cid
        assert r.p_method.startswith("approximate") and r.family == "survival"
    emd = v.loc["txt.pfs_median_emd"]  # 9.3 (3.7–NR): the paper's upper limit is not reached
    assert "the paper: lower limit only (upper not reached)" in emd["note"]
    untested = rows[rows["comparison"] != compare.APPROXIMATE]
    assert untested["note"].str.startswith("no test").all() and untested["p_value"].isna().all()


def test_on_the_reconstruction_every_difference_is_zero(synthetic_cohort):
    """The calibrated cohort reproduces every count exactly, so each difference is 0 and Fisher's p is 1."""
    v = compare.cohort_vs_published(synthetic_cohort.patients)
    tested = v[v["comparison"] == compare.TESTED]
    assert (tested["difference"] == 0).all() and (tested["p_value"] == 1).all()


# ----------------------------------------------------------------------------- sections, degenerate data, determinism
def test_the_notebook_sections_partition_the_quantities_with_the_same_adjusted_p(fixture_cohort, fixture_values):
    whole = fixture_values.set_index("quantity")
    parts = [compare.cohort_vs_published(fixture_cohort.patients, sections=s) for s in NOTEBOOK_SECTIONS]
    ids = [q for part in parts for q in part["quantity"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(fixture_values.loc[fixture_values["section"] != "external", "quantity"])
    for part in parts:  # the same row, the same adjusted p and family, wherever it is shown
        pd.testing.assert_frame_equal(part.set_index("quantity"), whole.loc[part["quantity"]], check_names=False)
    one = compare.cohort_vs_published(fixture_cohort.patients, ids=["txt.icans"])  # found through its quantity
    assert list(one["claim_id"]) == ["t1.icans"] and one["p_holm"].iloc[0] == whole.loc["q.icans", "p_holm"]


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
