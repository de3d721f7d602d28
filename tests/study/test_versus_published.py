"""The notebook-facing comparison: one call per section, the exported files, the forest plot and the KM overlay."""

import shutil

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.paper import compare, reconcile
from analysis.render import save_figure
from analysis.render.legend_overlap import legend_overlaps
from analysis.stats import ensemble
from analysis.study import versus_published as vp


@pytest.fixture(scope="module")
def centre(tmp_path_factory):
    path = tmp_path_factory.mktemp("centre") / "export.csv"
    shutil.copyfile(paths.FIXTURE, path)  # no provenance note: treated as real data
    return load_cohort(path)


def _frame(seed, n=24):
    """A time/event/extramedullary frame of ``n`` patients (small synthetic arrays, tied times)."""
    rng = np.random.default_rng(seed)
    t = np.round(rng.exponential(10, n), 1) + 0.1
    c = rng.uniform(4, 28, n)
    return pd.DataFrame({"time": np.minimum(t, c), "event": (t <= c).astype(int), "extramedullary": np.arange(n) % 2})


# ----------------------------------------------------------------------------- the section
def test_the_default_run_still_shows_the_reproduction_check(synthetic_cohort, capsys):
    shown = vp.section(synthetic_cohort, ["safety"])
    pd.testing.assert_frame_equal(shown, reconcile.published_vs_reproduced(synthetic_cohort.patients, ["safety"]))
    assert capsys.readouterr().out == ""


def test_any_other_data_get_the_comparison_with_its_framing(centre, capsys):
    shown = vp.section(centre, ["safety"])
    assert list(shown.columns) == vp.DISPLAY_COLUMNS
    safety = compare.cohort_vs_published(centre.patients, sections=["safety"])
    assert shown["Quantity"].tolist() == safety["label"].tolist() and len(shown) < len(
        reconcile.select(None, ["safety"])
    )
    out = capsys.readouterr().out
    assert "not a test of the debulking strategy" in out and "Holm-adjusted within each domain's family" in out


# ----------------------------------------------------------------------------- display
def test_display_shows_both_values_a_difference_and_a_p_on_every_tested_row(centre):
    values = compare.cohort_vs_published(centre.patients)
    shown = vp.display(values).set_index("Registry id")
    shown.index = shown.index.str.split(" ").str[0]
    assert not shown.isin(["✔", "✘"]).any().any() and not shown.isna().any().any()
    tested = values.loc[values["comparison"] == compare.TESTED, "claim_id"]
    assert shown.loc[tested, "Difference or ratio (95% CI)"].str.contains(r" points \(").all()
    assert (shown.loc[tested, "p (unadjusted)"] != "—").all() and (shown.loc[tested, "p (Holm)"] != "—").all()
    assert shown.loc[tested, "Holm family"].str.fullmatch(r"(baseline|safety|response|survival), \d+ tests").all()
    off = values.loc[values["comparison"] == compare.NOT_COMPARABLE, "claim_id"]
    assert (shown.loc[off, "Difference or ratio (95% CI)"] == "not comparable").all()
    approximate = values.loc[values["comparison"] == compare.APPROXIMATE, "claim_id"]
    assert shown.loc[approximate, "p (unadjusted)"].str.endswith("(approximate)").all()


def test_display_numbers_on_the_fixture(fixture_cohort):
    shown = vp.display(compare.cohort_vs_published(fixture_cohort.patients))
    shown.index = shown["Registry id"].str.split(" ").str[0]
    icans = shown.loc["t1.icans"]
    assert icans["Quantity"] == "Neurotoxicity (ICANS), any grade, all patients, %"
    assert (icans["Paper (as printed)"], icans["Compared (paper)"], icans["This cohort"]) == (
        "Table 1: 3 (7)",
        "3/44",
        "4/8 (50.0%)",
    )
    assert icans["Registry id"] == "t1.icans (also txt.icans, disc.icans)"
    assert icans["Difference or ratio (95% CI)"].startswith("+43.2 points (")
    assert icans["p (unadjusted)"] == "0.007" and icans["Holm family"].startswith("safety, ")
    orr = shown.loc["txt.orr_c1"]
    assert orr["Paper (as printed)"] == "Results: “ORR after cycle 1 of BsAb was 64% (n = 39)”"
    assert orr["Compared (paper)"] == "25/39 (published count implied by the printed 64% of 39)"
    c6 = shown.loc["txt.orr_c6"]  # printed 87%, though 18/21 is 85.7%: said, not hidden
    assert c6["Compared (paper)"].startswith("18/21") and c6["Flag"].startswith("inconsistent: the paper prints 87%")
    assert shown.loc["txt.pet_c1", "Compared (paper)"].startswith("4/44")  # a count over all patients
    assert shown.loc["t1.female", "Difference or ratio (95% CI)"].startswith("0.0 points (")
    assert shown.loc["t1.age", "This cohort"] == "66.5 (45–82); 95% CI 45–82"
    assert shown.loc["t1.age", "p (unadjusted)"] == "—" and shown.loc["t1.age", "Note"].startswith("no test: ")
    assert shown.loc["txt.pfs_median_all", "Paper (as printed)"].startswith("Results: “In the overall population")
    assert shown.loc["txt.pfs_median_all", "This cohort"].endswith(", n = 8")
    assert shown.loc["txt.pfs_logrank_emd", "This cohort"].startswith("p = 0.")
    assert shown.loc["t1.n_patients", "This cohort"] == "8"
    assert shown.loc["ext.majestec1_orr", "Difference or ratio (95% CI)"] == "other population: no test"


# ----------------------------------------------------------------------------- export
def test_export_writes_the_display_table_and_the_unrounded_values_identically_twice(centre, tmp_path):
    values = compare.cohort_vs_published(centre.patients, sections=["safety"])
    first = vp.export(values, tmp_path / "a", note="Data: export.csv (n = 8)")
    second = vp.export(values, tmp_path / "b", note="Data: export.csv (n = 8)")
    assert [p.name for p in first] == [
        "cohort_vs_published.csv",
        "cohort_vs_published.md",
        "cohort_vs_published.html",
        "cohort_vs_published.xlsx",
        "cohort_vs_published_values.csv",
    ]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    md = first[1].read_text(encoding="utf-8")
    assert compare.framing(values) in md and "Data: export.csv (n = 8)" in md
    back = pd.read_csv(first[-1], keep_default_na=False, na_values=[""], float_precision="round_trip")
    assert list(back.columns) == compare.VALUE_COLUMNS and len(back) == len(values)
    np.testing.assert_array_equal(back["difference_lower"].to_numpy(), values["difference_lower"].to_numpy(float))
    assert (
        vp.export(values, tmp_path / "c", name="cohort_vs_published_safety")[0].name == "cohort_vs_published_safety.csv"
    )


# ----------------------------------------------------------------------------- figures
# The key rates of the fixture, counted by hand from tests/fixtures/make_fixtures.py (ORR over the
# patients evaluable at the timepoint; the others over all 8), and the published counts of the registry.
FIXTURE_RATES = [(4, 7), (4, 5), (3, 4), (2, 7), (6, 8), (4, 8), (4, 8), (4, 8), (5, 8)]
PUBLISHED_RATES = [(25, 39), (25, 34), (18, 21), (18, 39), (28, 44), (15, 43), (3, 44), (22, 44), (22, 44)]


def test_rates_figure_draws_every_key_rate_at_its_percentage_with_the_exact_interval(fixture_cohort):
    from statsmodels.stats.proportion import proportion_confint

    fig, ax, rows = vp.rates_figure(fixture_cohort.patients)
    assert [t.get_text() for t in ax.get_yticklabels()] == [label for label, _ in compare.KEY_RATES]
    assert ax.get_xlim() == (0, 100)
    cohort, published = ax.containers  # one errorbar series each, cohort first
    for series, counts, offset in ((cohort, FIXTURE_RATES, -0.18), (published, PUBLISHED_RATES, 0.18)):
        marker, _, (bars,) = series.lines
        np.testing.assert_allclose(marker.get_xdata(), [100 * k / n for k, n in counts], rtol=1e-12)
        np.testing.assert_allclose(marker.get_ydata(), np.arange(len(counts)) + offset)
        exact = [100 * np.array(proportion_confint(k, n, method="beta")) for k, n in counts]
        np.testing.assert_allclose([seg[:, 0] for seg in bars.get_segments()], exact, rtol=1e-9)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["This cohort", "Published study"]
    # k/n on every row, both series: the denominators differ (ORR after C6: 3/4 here, 18/21 published)
    shown = [t.get_text() for t in ax.texts]
    assert shown == [f"{k}/{n}" for k, n in FIXTURE_RATES] + [f"{k}/{n}" for k, n in PUBLISHED_RATES] + ["k/n"]
    assert list(zip(rows["k"], rows["n"])) == [pair for pairs in zip(FIXTURE_RATES, PUBLISHED_RATES) for pair in pairs]
    plt.close(fig)


def test_logrank_summary_is_the_range_over_the_references_per_panel():
    cohort, refs = _frame(1), [_frame(s, 30) for s in range(2, 8)]
    table = vp.logrank_summary(cohort, refs, by="extramedullary", labels={1: "EMD", 0: "No EMD"})
    assert list(table.columns) == vp.LOGRANK_COLUMNS and list(table["panel"]) == ["All patients", "EMD", "No EMD"]
    p = ensemble.logrank_against(
        cohort["time"], cohort["event"], [(r["time"].to_numpy(), r["event"].to_numpy()) for r in refs]
    )["p"]
    overall = table.iloc[0]
    assert (overall["n_references"], overall["p_min"], overall["p_max"]) == (6, p.min(), p.max())
    assert overall["p_median"] == pytest.approx(np.median(p)) and overall["p_below_0.05"] == int((p < 0.05).sum())


def test_km_figure_overlays_each_panel_with_numbers_at_risk_for_both(tmp_path):
    cohort, refs = _frame(1), [_frame(s, 30) for s in range(2, 8)]
    fig, axes, logrank = vp.km_figure(
        cohort, refs, by="extramedullary", labels={1: "EMD", 0: "No EMD"}, reference=_frame(99, 44), coverage=1
    )
    assert axes.shape == (2, 3) and len(logrank) == 3
    assert [ax.get_title(loc="left") for ax in axes[0]] == ["All patients", "EMD", "No EMD"]
    for ax, risk_ax in zip(axes[0], axes[1]):
        assert ax.collections[0].get_label() == "6 reconstructions,\nrange"
        assert {round(t.get_position()[1]) for t in risk_ax.texts} == {0, 1}  # this cohort and the published
        assert any(t.get_text().startswith("log-rank vs 6 reconstructions") for t in ax.texts)
    # the published curve and its numbers at risk are a reconstruction's, and say so
    assert axes[0, 0].get_legend().get_texts()[1].get_text().startswith(f"{vp.PUBLISHED_LABEL}\nn = 44")
    assert [t.get_text() for t in axes[1, 0].get_yticklabels()] == ["This cohort", "Published\n(reconstruction)"]
    note = vp.reconstruction_note("Data: export.csv (n = 24)", fig)
    assert note.startswith("Data: export.csv (n = 24)\nPublished curves: a reconstruction")
    assert "A reconstruction is not data" in note.replace("\n", " ")
    save_figure(fig, "km_vs_published_pfs", tmp_path, note=note)
    assert (tmp_path / "figures" / "km_vs_published_pfs.png").exists()
    assert any("not data" in t.get_text().replace("\n", " ") for t in fig.texts)
    assert legend_overlaps(fig) == []  # legends above the curves, as saved
    plt.close(fig)


def test_km_figure_overall_only_and_without_references():
    fig, axes, logrank = vp.km_figure(_frame(1), [_frame(2), _frame(3)])
    assert axes.shape == (2, 1) and list(logrank["panel"]) == ["All patients"]
    plt.close(fig)
    with pytest.raises(ValueError, match="no reference cohorts"):
        vp.km_figure(_frame(1), [])


def test_reference_frames_from_patient_tables(fixture_cohort, synthetic_cohort):
    frames = vp.reference_frames([fixture_cohort.patients, synthetic_cohort.patients], "OS")
    assert [len(f) for f in frames] == [8, 44]
    assert {"time", "event", "extramedullary", "any_cyto_abnormality"} <= set(frames[0].columns)
    assert (frames[0]["endpoint"] == "OS").all()


def test_landmark_summary_puts_this_cohorts_survival_beside_the_reconstructions():
    from analysis.stats import survival

    cohort, refs = _frame(1), [_frame(s, 30) for s in range(2, 12)]
    table = vp.landmark_summary(cohort, refs, times=(6.0, 12.0), by="extramedullary", labels={1: "EMD", 0: "No EMD"})
    assert list(table.columns) == vp.LANDMARK_COLUMNS and len(table) == 6
    row = table[(table["panel"] == "All patients") & (table["time"] == 12.0)].iloc[0]
    own = survival.survival_at(cohort["time"], cohort["event"], [12.0]).iloc[0]
    assert (row["n_risk"], row["cohort_surv"], row["cohort_lower"], row["cohort_upper"]) == (
        own["n_risk"],
        own["surv"],
        own["lower"],
        own["upper"],
    )
    at12 = [ensemble.survival_on_grid(r["time"], r["event"], [12.0])[0] for r in refs]
    assert row["n_references"] == sum(~np.isnan(at12))
    assert row["reference_middle"] == pytest.approx(np.nanmedian(at12))
    assert (row["reference_lower"], row["reference_upper"]) == (
        pytest.approx(np.nanquantile(at12, 0.025)),
        pytest.approx(np.nanquantile(at12, 0.975)),
    )
    empty = vp.landmark_summary(cohort.iloc[:0], refs, times=(6.0,))
    assert empty["cohort_surv"].isna().all() and empty["reference_middle"].notna().all()


def test_reconstructions_are_the_ensemble_members_frames_for_both_endpoints():
    refs = vp.reconstructions(limit=3)
    assert set(refs) == {"PFS", "OS"} and len(refs["PFS"]) == len(refs["OS"]) == 3
    assert all(len(f) == 44 and {"time", "event", "extramedullary"} <= set(f) for f in refs["PFS"])
    assert vp.reconstructions(limit=0) == {"PFS": [], "OS": []}


def test_km_vs_published_returns_the_figure_and_the_logrank_range(centre):
    import matplotlib.pyplot as plt

    from analysis.data import derive
    from analysis.study import outcomes

    p = centre.patients
    pfs = outcomes.endpoint_frame(derive.time_to_event(p), derive.subject_level(p), "PFS")
    fig, logrank = vp.km_vs_published(pfs, "PFS", vp.reconstructions(limit=4), outcomes.EMD)
    assert list(logrank["panel"]) == ["All patients", "EMD", "No EMD"] and (logrank["n_references"] == 4).all()
    assert (logrank["endpoint"] == "PFS").all() and len(fig.axes) == 6
    plt.close(fig)


def test_the_comparison_table_is_written_only_for_a_centre(centre, synthetic_cohort, tmp_path, capsys):
    assert vp.export_comparison(synthetic_cohort, tmp_path / "a") == []
    assert "Reproduction run" in capsys.readouterr().out and not (tmp_path / "a").exists()
    written = vp.export_comparison(centre, tmp_path / "b", note="a centre")
    assert sorted(p.name for p in written) == [
        "cohort_vs_published.csv",
        "cohort_vs_published.html",
        "cohort_vs_published.md",
        "cohort_vs_published.xlsx",
        "cohort_vs_published_values.csv",
    ]
    assert "Holm-adjusted within each domain's family" in capsys.readouterr().out
