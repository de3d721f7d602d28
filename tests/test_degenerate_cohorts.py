"""The degenerate family (tests/fixtures/degenerate.py): valid, as promised, deterministic — and every notebook on it.

Fast: each member passes the validator with no problem, has the property its name promises
(checked on the derived tables, ADSL / ADTTE / ADRS, not on the edits that made it), and the
generator gives the same bytes every time, without a provenance note.

Then all five notebooks run on each member, in this process (200 bootstrap resamples, five
reconstructions, figures as PNG only), and must complete; every figure of the default run is drawn or
says why not, carries the cohort's note, every table is written, and every "not estimable" (and
every missing test in a table) states its reason. A failure names the notebook, its cell and the
traceback. One member also runs through the real runner and its kernels (slow).
"""

import json
import re
from pathlib import Path

import degenerate  # tests/fixtures/degenerate.py, registered by tests/conftest.py
import in_process  # tests/fixtures/in_process.py, registered by tests/conftest.py
import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data import derive
from analysis.data.dictionary import CYTOGENETICS, NAMES
from analysis.data.io import read_table, source_of
from analysis.data.validate import validate_table

FAMILY = degenerate.FAMILY
_DERIVED = {}


def derived(name):
    """(raw, ADSL, ADTTE, ADRS) of one member, validated."""
    if name not in _DERIVED:
        raw = FAMILY[name]()
        typed, report = validate_table(raw, source=name)
        assert report.ok, report.to_text()
        _DERIVED[name] = raw, derive.subject_level(typed), derive.time_to_event(typed), derive.response(typed)
    return _DERIVED[name]


def _events(adtte, endpoint):
    return adtte.loc[adtte["endpoint"] == endpoint, "event"].to_numpy()


@pytest.mark.parametrize("name", FAMILY)
def test_member_is_a_table_of_strings_in_dictionary_order_that_validates(name):
    raw = FAMILY[name]()
    assert list(raw.columns) == list(NAMES)
    assert all(isinstance(v, str) for v in raw.to_numpy().ravel())
    assert raw["patient_id"].is_unique
    _, report = validate_table(raw, source=name)
    assert report.ok, report.to_text()


# each member's promise, checked on what the analysis sees
PROMISES = {
    "one_patient": lambda raw, adsl, adtte, adrs: len(adsl) == 1,
    "two_patients": lambda raw, adsl, adtte, adrs: len(adsl) == 2 and adsl["extramedullary"].nunique() == 2,
    "three_patients": lambda raw, adsl, adtte, adrs: len(adsl) == 3,
    "no_emd": lambda raw, adsl, adtte, adrs: (
        (adsl["extramedullary"] == 0).all() and adsl["emd_localisations"].eq(0).all()
    ),
    "all_emd": lambda raw, adsl, adtte, adrs: (adsl["extramedullary"] == 1).all(),
    "no_events": lambda raw, adsl, adtte, adrs: (
        _events(adtte, "PFS").sum() == 0 and _events(adtte, "OS").sum() == 0 and (_events(adtte, "FOLLOWUP") == 1).all()
    ),
    "all_events": lambda raw, adsl, adtte, adrs: (
        (_events(adtte, "PFS") == 1).all()
        and (_events(adtte, "OS") == 1).all()
        and adsl["progressed"].eq(1).all()
        and _events(adtte, "FOLLOWUP").sum() == 0
    ),
    "no_cytogenetics": lambda raw, adsl, adtte, adrs: (
        (adsl["cyto_tested"] == 0).all() and adsl["hrca"].isna().all() and adsl["any_cyto_abnormality"].isna().all()
    ),
    "optional_empty": lambda raw, adsl, adtte, adrs: (
        all((raw[c] == "").all() for c in degenerate.NULLABLE) and adrs["evaluable"].sum() == 0
    ),
    "one_centre": lambda raw, adsl, adtte, adrs: adsl["center_id"].nunique() == 1,
    "one_agent": lambda raw, adsl, adtte, adrs: adsl["bsab_agent"].astype(object).nunique() == 1,
    "no_crs_icans": lambda raw, adsl, adtte, adrs: (adsl["crs_grade"] == 0).all() and (adsl["icans_grade"] == 0).all(),
    "short_followup": lambda raw, adsl, adtte, adrs: (
        adsl["followup_days"].max() < 140
        and adrs.loc[adrs["timepoint"].isin(["C6", "C12"]), "evaluable"].sum() == 0
        and adrs.loc[adrs["timepoint"] == "C3", "evaluable"].sum() > 0
    ),
    "tied_times": lambda raw, adsl, adtte, adrs: set(adtte["time_days"]) <= set(degenerate.TIE_DAYS),
    "single_patient_groups": lambda raw, adsl, adtte, adrs: (
        (adsl["extramedullary"] == 1).sum() == 1
        and (adsl["any_cyto_abnormality"] == 1).sum() == 1
        and (adsl["hrca"] == 1).sum() == 1
        and (adsl["any_cyto_abnormality"] == 0).sum() > 1
    ),
}


def test_every_member_has_a_promise():
    assert set(PROMISES) == set(FAMILY)


@pytest.mark.parametrize("name", FAMILY)
def test_member_has_the_property_its_name_promises(name):
    assert PROMISES[name](*derived(name))


@pytest.mark.parametrize("name", FAMILY)
def test_member_is_still_a_cohort_worth_analysing(name):
    # the edit makes one thing degenerate, not everything: baseline and debulking columns are the source's
    raw, adsl, adtte, adrs = derived(name)
    source = read_table(paths.DEFAULT_SYNTHETIC).iloc[: len(raw)]
    kept = ["patient_id", "sex", "age_years", "prior_lines", "chemo_start_date", "chemo_cycles", "bsab_start_date"]
    assert raw[kept].equals(source[kept].reset_index(drop=True))
    assert (adtte["time_days"] >= 0).all()


def test_short_followup_keeps_what_happened_before_the_cut_off():
    raw, adsl, adtte, _ = derived("short_followup")
    _, original, original_tte, _ = derived_source()
    before = original["followup_days"].to_numpy() <= degenerate.SHORT_CUTOFF_DAY
    np.testing.assert_array_equal(
        adsl["followup_days"], np.minimum(original["followup_days"], degenerate.SHORT_CUTOFF_DAY)
    )
    pfs, original_pfs = _events(adtte, "PFS"), _events(original_tte, "PFS")
    assert (pfs[before] == original_pfs[before]).all() and 0 < pfs.sum() < original_pfs.sum()


def derived_source():
    typed, report = validate_table(read_table(paths.DEFAULT_SYNTHETIC))
    return typed, derive.subject_level(typed), derive.time_to_event(typed), derive.response(typed)


def test_single_patient_groups_keep_the_others_tested():
    _, adsl, _, _ = derived("single_patient_groups")
    _, original, _, _ = derived_source()
    np.testing.assert_array_equal(adsl["cyto_tested"], original["cyto_tested"])
    assert (adsl[list(CYTOGENETICS)].isna() == original[list(CYTOGENETICS)].isna()).all().all()


def test_edits_refuse_impossible_outcomes():
    row = degenerate.source_rows()[0]
    with pytest.raises(ValueError, match="prog_day"):
        degenerate.with_outcome(row, fu_day=10, prog_day=20)
    with pytest.raises(ValueError, match="prog_day"):
        degenerate.with_outcome(row, fu_day=-1)


def test_generator_is_deterministic_and_writes_centre_data_without_provenance(tmp_path):
    first, second = degenerate.write_family(tmp_path / "a"), degenerate.write_family(tmp_path / "b")
    assert list(first) == list(FAMILY)
    for name, path in first.items():
        assert path.name == f"{name}.csv"
        assert path.read_bytes() == second[name].read_bytes()
        assert read_table(path).equals(FAMILY[name]())
        assert not source_of(path).synthetic and not source_of(path).provenance
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(f"{n}.csv" for n in FAMILY)


# ----------------------------------------------------------------------------- every notebook on every member
#: A draft run's parameters: 200 bootstrap resamples and five reconstructions instead of 2,000 and 40.
DRAFT = {"n_bootstrap": 200, "max_cohorts": 5}
#: "not estimable" is always followed by its reason ("not estimable: no events …").
NO_REASON = re.compile(r"not estimable(?!: \S)", re.IGNORECASE)
#: Tables whose rows carry a test and the note saying why it is missing (column of the note).
TESTED_TABLES = {
    "survival_summary_values.csv": "test_note",
    "sensitivity_landmark_c1.csv": "test_note",
    "centre_stratified.csv": "note",
}


def _default_outputs() -> dict[str, list[str]]:
    """{notebook: the files the default run made}, from the committed executed notebooks."""
    return {
        nb.stem: sorted(json.loads(nb.read_text(encoding="utf-8"))["metadata"]["compendium"]["outputs"])
        for nb in sorted(paths.EXECUTED.glob("*.ipynb"))
    }


@pytest.fixture(scope="module")
def family_files(tmp_path_factory):
    return degenerate.write_family(tmp_path_factory.mktemp("degenerate"))


def _missing_reasons(out) -> list[str]:
    """Every row of a written table where a test or an estimate is missing and no reason is given."""
    found = []
    for name, column in TESTED_TABLES.items():
        table = pd.read_csv(out / "results" / name, keep_default_na=False, dtype=str)
        tests = [c for c in ("logrank_p", "hr") if c in table.columns]
        grouped = table[table["grouping"] != "all"] if "grouping" in table.columns else table
        for _, row in grouped.iterrows():
            if any(row[c] == "" for c in tests) and not row[column].strip():
                found.append(f"{name}: {dict(row)}")
    values = pd.read_csv(out / "results" / "cohort_vs_published_values.csv", keep_default_na=False, dtype=str)
    untested = values[(values["comparison"] != "difference of proportions") | (values["p_value"] == "")]
    found += [
        f"cohort_vs_published_values.csv: {r.claim_id} has no note" for r in untested.itertuples() if not r.note.strip()
    ]
    for f in sorted((out / "results").iterdir()):
        if f.suffix in (".csv", ".md", ".html"):
            found += [f"{f.name}: {m.group(0)!r} without a reason" for m in NO_REASON.finditer(f.read_text("utf-8"))]
    return found


# In `make test` (issue #21): each member's five notebooks run in this process (tests/fixtures/in_process.py:
# Papermill's parameter injection, every cell, figures drawn and saved as PNG — at 50 dpi, which draws every
# artist as 300 dpi does, for a fifth of the pixels to encode), ~6 s a member; the real runner and its
# kernels on one member are in the slow test below.
@pytest.mark.parametrize("name", FAMILY)
def test_every_notebook_completes_on_the_member_and_says_what_it_could_not_estimate(
    name, family_files, tmp_path, monkeypatch
):
    from analysis.data.cohort import data_label, figure_note, load_cohort
    from analysis.pipeline import orchestrate
    from analysis.render import figures

    monkeypatch.setattr(figures, "PNG_DPI", 50)
    monkeypatch.setattr(figures, "INLINE_DPI", 50)
    out = tmp_path / "run"
    cohort = load_cohort(family_files[name])
    expected = _default_outputs()
    for source in orchestrate.notebook_sources():
        run = in_process.execute(source, {"data_path": str(family_files[name]), **DRAFT}, out, monkeypatch)
        assert run.ok, f"{name} / {run.notebook}, {run.error}"
        setup = next(c for c in run.cells if "notebook.setup(" in c.source)
        assert data_label(cohort) in setup.output  # the setup cell prints the data statement
        # every figure of the default run is drawn (PNG only) or states why not; each carries the cohort's note
        figures = {Path(f).stem for f in expected[source.stem] if f.startswith("figures/")}
        assert set(run.figures) | set(run.not_drawn) == figures, source.stem
        assert all(run.not_drawn.values()), run.not_drawn
        assert all(f"Not drawn ({fig}): {why}" in run.text for fig, why in run.not_drawn.items())
        assert all(note.startswith(figure_note(cohort)) for note in run.figures.values()), run.figures
        assert {f"figures/{fig}.png" for fig in run.figures} <= {
            p.relative_to(out).as_posix() for p in (out / "figures").glob("*")
        }
        tables = [f for f in expected[source.stem] if f.startswith("results/")]
        assert [f for f in tables if not (out / f).exists()] == [], source.stem
        assert not NO_REASON.search(run.text), f"{source.stem}: {NO_REASON.search(run.text)}"
    assert {p.suffix for p in (out / "figures").iterdir()} == {".png"}
    # tables with notes carry the data statement
    labelled = [f.name for f in (out / "results").glob("*.md") if data_label(cohort) not in f.read_text("utf-8")]
    assert labelled == []
    assert _missing_reasons(out) == []


@pytest.mark.slow
def test_the_real_runner_and_kernels_complete_every_notebook_on_one_member(family_files, tmp_path):
    """One member through ``orchestrate.run`` (Papermill, a kernel per notebook, two in parallel)."""
    from analysis.pipeline import orchestrate

    lines = []
    results = orchestrate.run(
        data=str(family_files["single_patient_groups"]),
        output_dir=str(tmp_path / "run"),
        parameters=DRAFT,
        jobs=2,
        force=True,
        figure_formats="png",
        log=lines.append,
    )
    failed = [f"{r.name}: {r.error} (log: {r.log})" for r in results if not r.ok]
    assert len(results) == 5 and not failed, "\n".join(failed)
    assert {p.suffix for p in (tmp_path / "run" / "figures").iterdir()} == {".png"}
    assert _missing_reasons(tmp_path / "run") == []
