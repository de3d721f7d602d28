"""Validation problems of the converted table, translated back to the export's own column, row and value."""

import datetime as dt
from pathlib import Path

import yaml

from analysis.data.intake.derivations import age_in_years
from analysis.data.intake.mapping import _TextLoader, parse_mapping
from analysis.data.intake.remap import apply_mapping
from analysis.data.intake.source_terms import validation_problems
from analysis.data.validate import validate_table


def _check(raw, text, rows=None):
    m = parse_mapping(yaml.load(text, Loader=_TextLoader), Path("map.yaml"), "0" * 64)
    rows = rows or list(range(10, 10 + len(raw)))  # the export's own numbering, not the converted table's
    table, report, problems = apply_mapping(raw, m, rows)
    _, validation = validate_table(table)
    return problems, [p.to_text("row") for p in validation_problems(validation.problems, raw, rows, report)]


def test_a_renamed_column_a_derived_one_and_a_constant_are_named_as_the_export_has_them(synthetic_raw):
    raw = synthetic_raw.head(3).rename(columns={"progression_date": "Date progression"}).drop(columns="center_id")
    raw["DDN"] = ["1950-01-01", "2012-01-01", "1960-01-01"]
    raw = raw.drop(columns="age_years")
    raw.loc[0, "Date progression"] = "1999-12-31"
    mapping_problems, texts = _check(
        raw,
        "constants: {center_id: C15}\ncolumns: {Date progression: progression_date}\n"
        "derive: {age_years: {rule: age_in_years, from: DDN, at: bsab_start_date}}",
    )
    assert mapping_problems == []
    pid = synthetic_raw.loc[:2, "patient_id"].tolist()
    age = age_in_years(dt.date(2012, 1, 1), dt.date.fromisoformat(raw.loc[1, "bsab_start_date"]))
    assert (
        f"row 10, column 'Date progression' (progression_date) = '1999-12-31', patient {pid[0]!r}: write a real date "
        f"as YYYY-MM-DD between 2000 and 2099 (rule is_iso_date)" in texts
    )
    assert (
        f"row 11, column 'DDN' (derive: age_years) = '2012-01-01' (as age_years: '{age}'), patient {pid[1]!r}: must lie "
        f"in [18, 100] years (rule in_range)" in texts
    )


def test_cells_the_mapping_refused_are_not_reported_twice(synthetic_raw):
    raw = synthetic_raw.head(3).rename(columns={"sex": "Sexe"})
    raw["Sexe"] = ["Homme", "?", "Femme"]
    mapping_problems, texts = _check(raw, "columns: {Sexe: {to: sex, recode: {Homme: M, Femme: F}}}")
    assert [p.to_text("row") for p in mapping_problems][0].startswith("row 11, column 'Sexe' (sex) = '?': not a code")
    assert texts == []  # validation would say in_codes on row 11 again


def test_an_export_without_patient_rows(synthetic_raw):
    _, texts = _check(synthetic_raw.head(0), "{}")
    assert texts == ["the table has a header but no patient rows (rule table_empty)"]
