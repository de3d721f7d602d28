"""Validation: every rule caught, every problem reported at once, nothing dropped.

Each file in tests/fixtures/malformed/ is the valid fixture with one rule
broken (tests/fixtures/make_fixtures.py says which cell was changed).
"""

import importlib.util

import pandas as pd
import pytest

from analysis import paths
from analysis.data.cohort import validate_file
from analysis.data.io import read_table
from analysis.data.validate import RULES, validate_table

MALFORMED = sorted((paths.TESTS / "fixtures" / "malformed").glob("*.csv"))


def _make_fixtures_module():
    spec = importlib.util.spec_from_file_location("make_fixtures", paths.TESTS / "fixtures" / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _edit(**cells_by_line):
    """The fixture as text with {column: value} edits on given rows (0-based)."""
    raw = read_table(paths.FIXTURE)
    for key, edits in cells_by_line.items():
        for col, value in edits.items():
            raw.loc[int(key[1:]), col] = value
    return raw


def test_fixture_is_valid_and_typed(fixture_cohort):
    df = fixture_cohort.patients
    assert len(df) == 8
    assert str(df["age_years"].dtype) == "Int64"
    assert str(df["extramedullary"].dtype) == "Int8"
    assert str(df["bsab_start_date"].dtype) == "datetime64[ns]"
    assert df["best_response"].cat.ordered and df["best_response"].iloc[4] > df["best_response"].iloc[0]


def test_every_rule_has_exactly_one_malformed_file():
    assert {p.stem for p in MALFORMED} == set(RULES)


def test_committed_fixture_files_are_what_make_fixtures_writes(tmp_path):
    _make_fixtures_module().main(tmp_path)
    for path in [paths.FIXTURE, *MALFORMED]:
        rel = path.relative_to(paths.TESTS / "fixtures")
        assert (tmp_path / rel).read_bytes() == path.read_bytes(), f"{rel}: run tests/fixtures/make_fixtures.py"


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.stem)
def test_malformed_file_breaks_exactly_its_rule_naming_patient_and_column(path):
    _, report = validate_file(path)
    assert not report.ok
    assert report.rules_broken() == {path.stem}
    for problem in report.problems:
        assert problem.column or problem.rule == "table_empty"
        text = problem.to_text()
        assert problem.rule in text and repr(problem.column) in text
        if problem.line is not None:
            assert problem.patient_id and f"patient {problem.patient_id!r}" in text


def test_cell_level_problem_reports_line_patient_column_and_value():
    _, report = validate_file(paths.TESTS / "fixtures" / "malformed" / "flag_is_0_or_1.csv")
    (p,) = report.problems
    assert (p.line, p.patient_id, p.column, p.value, p.rule) == (4, "FX03", "hypercalcemia", "yes", "flag_is_0_or_1")


def test_all_problems_are_reported_at_once_and_no_row_is_dropped():
    raw = _edit(
        r0={"sex": "X", "age_years": "abc"},
        r3={"death_date": "2024-10-01"},
        r5={"emd_muscle": "1", "bsab_agent": "talquetamab"},
    )
    typed, report = validate_table(raw)
    assert len(typed) == len(raw) == 8
    found = {(p.patient_id, p.column, p.rule) for p in report.problems}
    assert found == {
        ("FX01", "sex", "in_codes"),
        ("FX01", "age_years", "is_integer"),
        ("FX04", "death_cause", "death_date_iff_cause"),
        ("FX06", "emd_muscle", "emd_detail_requires_emd"),
        ("FX06", "bsab_agent", "in_codes"),
    }
    assert pd.isna(typed.loc[0, "sex"]) and typed.loc[1, "sex"] == "M"  # bad cell missing, others kept


@pytest.mark.parametrize("header", ["Nom", "prenom", "Date de naissance", "DOB", "NIR", "e-mail", "IPP"])
def test_direct_identifier_columns_are_refused(header):
    raw = read_table(paths.FIXTURE)
    raw[header] = "x"
    _, report = validate_table(raw)
    assert "direct_identifier_column" in report.rules_broken()


@pytest.mark.parametrize("pid", ["1850775123456", "Jean Dupont", "", "a" * 33])
def test_patient_ids_that_could_identify_or_are_malformed_are_refused(pid):
    _, report = validate_table(_edit(r0={"patient_id": pid}))
    assert report.rules_broken() & {"id_format", "not_null"}


@pytest.mark.parametrize("text", ["2023-02-30", "2023-2-3", "1999-12-31", "23/01/2023"])
def test_impossible_or_misformatted_dates_are_refused(text):
    _, report = validate_table(_edit(r7={"chemo_start_date": text}))
    assert report.rules_broken() == {"is_iso_date"}


@pytest.mark.parametrize("text", ["true", "Yes", "2", "1.0"])
def test_flags_accept_only_0_and_1(text):
    _, report = validate_table(_edit(r1={"paramedullary": text}))
    assert report.rules_broken() == {"flag_is_0_or_1"}


def test_response_reachability_counts_from_the_start_of_the_cycle():
    # FX05: bispecific 2023-05-30, follow-up to day 124; cycle 6 begins on day 140, cycle 5 would be day 112.
    ok = _edit(r4={"last_followup_date": "2023-10-17"})  # day 140: cycle 6 reached
    assert validate_table(_edit(r4={"last_followup_date": "2023-10-17", "response_c6": "CR"}))[1].ok
    assert validate_table(ok)[1].ok
    bad = _edit(r4={"last_followup_date": "2023-10-16", "response_c6": "CR"})  # day 139
    assert validate_table(bad)[1].rules_broken() == {"response_cycle_reached"}


def test_messages_are_those_of_the_row_by_row_validator_on_every_malformed_file_and_multi_problem_table():
    """The vectorised validator writes, byte for byte, the reports the row-by-row one wrote (frozen in
    tests/fixtures/validation_reference.txt by make_validation_reference.py at commit 6a131fb)."""
    spec = importlib.util.spec_from_file_location("mvr", paths.TESTS / "fixtures" / "make_validation_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.reference_text() == mod.REFERENCE.read_text(encoding="utf-8")


def test_each_distinct_value_is_judged_as_alone():
    # the same bad text on many rows: one problem per row, each with its own line and patient
    raw = _edit(r1={"sex": "X"}, r4={"sex": "X"}, r6={"sex": "X"})
    _, report = validate_table(raw)
    assert [(p.line, p.patient_id) for p in report.problems] == [(3, "FX02"), (6, "FX05"), (8, "FX07")]
