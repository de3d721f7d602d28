"""The Table Schema, checked with the frictionless library itself."""

import json

import pytest
from frictionless import Resource, Schema

from analysis import paths
from analysis.data.dictionary import NAMES
from analysis.data.intake.table_schema import table_schema, to_json


def _validate(path):
    schema = Schema.from_descriptor(table_schema())
    return Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()


def test_schema_is_a_valid_descriptor_with_one_field_per_column():
    descriptor = json.loads(to_json())
    assert [f["name"] for f in descriptor["fields"]] == list(NAMES)
    assert Schema.from_descriptor(descriptor).primary_key == ["patient_id"]
    assert Schema.validate_descriptor(descriptor).valid


def test_the_synthetic_cohort_validates_against_the_schema():
    report = _validate(paths.DEFAULT_SYNTHETIC)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize(
    "rule, row, field, error",
    [
        ("in_range", 6, "age_years", "constraint-error"),
        ("flag_is_0_or_1", 4, "hypercalcemia", "type-error"),
        ("is_iso_date", 6, "chemo_start_date", "type-error"),
        ("not_null", 2, "sex", "constraint-error"),
        ("in_codes", 7, "best_response", "constraint-error"),
        ("patient_id_unique", 3, "patient_id", "unique-error"),
    ],
)
def test_malformed_cells_break_the_schema_where_the_validator_does(rule, row, field, error):
    errors = _validate(paths.TESTS / "fixtures" / "malformed" / f"{rule}.csv").flatten(
        ["rowNumber", "fieldName", "type"]
    )
    assert [row, field, error] in errors
