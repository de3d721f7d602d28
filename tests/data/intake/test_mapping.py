"""Declared mappings: read as text, checked whole (every mistake at once)."""

from pathlib import Path

import pytest
import yaml

from analysis.data.intake.mapping import UNITS, _TextLoader, load_mapping, parse_mapping
from analysis.exceptions import DataFileError


def _map(text):
    return parse_mapping(yaml.load(text, Loader=_TextLoader), Path("map.yaml"), "0" * 64)


def test_yaml_values_stay_text():
    m = _map("columns: {x: {to: sex, recode: {TRUE: M, no: F, 01: M}}}\nread: {missing: [NA, null_text]}")
    assert m.columns["x"].recode == {"TRUE": "M", "no": "F", "01": "M"}
    assert m.option("missing") == ("NA", "null_text")


def test_mapping_mistakes_are_all_listed():
    with pytest.raises(ValueError) as info:
        _map(
            "colums: {}\nread: {delimitter: ';', decimal: ';'}\nconstants: {center: C1, sex: X}\n"
            "columns: {a: sexe, b: {to: age_years, unit: stone}, c: TODO, d: {to: sex}, e: {to: sex}}"
        )
    text = str(info.value)
    for expected in (
        "unknown key 'colums'",
        "unknown setting 'delimitter'",
        "decimal must be '.' or ','",
        "'center' is not a dictionary column",
        "sex: 'X' is not valid",
        "'sexe' is not a dictionary column (did you mean sex",
        "no known conversion from 'stone' to 'years'",
        "columns: c: give the dictionary column",
        "'sex' is already the target of column 'd'",
    ):
        assert expected in text


def test_known_unit_conversions_go_to_the_dictionary_units():
    from analysis.data.dictionary import COLUMNS

    units = {c.unit for c in COLUMNS}
    assert all(to in units for _, to in UNITS)


def test_load_mapping_errors_are_file_level(tmp_path):
    with pytest.raises(DataFileError, match="--draft-mapping"):
        load_mapping(tmp_path / "absent.yaml")
    (tmp_path / "bad.yaml").write_text("columns: {a: b")
    with pytest.raises(DataFileError, match="not a readable YAML"):
        load_mapping(tmp_path / "bad.yaml")
    (tmp_path / "wrong.yaml").write_text("columns: {a: nothing}\n")
    with pytest.raises(DataFileError, match="'nothing' is not a dictionary column"):
        load_mapping(tmp_path / "wrong.yaml")
