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


def test_a_key_written_twice_is_refused_with_both_lines(tmp_path):
    (tmp_path / "m.yaml").write_text("read: {delimiter: ';'}\ncolumns: {}\nread:\n  decimal: ','\n")
    with pytest.raises(DataFileError) as info:
        load_mapping(tmp_path / "m.yaml")
    assert str(info.value) == (
        f"{tmp_path / 'm.yaml'}: the mapping has mistakes; correct them:\n"
        "  key 'read' appears twice (lines 1 and 3); YAML would keep only the second: merge them into one"
    )
    (tmp_path / "n.yaml").write_text("columns:\n  Sexe: sex\n  Age: age_years\n  Sexe: {to: sex}\n")
    with pytest.raises(DataFileError, match=r"key 'Sexe' appears twice \(lines 2 and 4\)"):
        load_mapping(tmp_path / "n.yaml")
    (tmp_path / "f.yaml").write_text("columns: {Sexe: {to: sex, recode: {Homme: M, Homme: F}}}\n")
    with pytest.raises(DataFileError, match=r"key 'Homme' appears twice \(line 1, twice\)"):
        load_mapping(tmp_path / "f.yaml")
    # anchors and aliases are not repeats
    (tmp_path / "ok.yaml").write_text(
        "columns:\n  A: {to: paramedullary, recode: &on {Oui: '1', Non: '0'}}\n  B: {to: extramedullary, recode: *on}\n"
    )
    assert load_mapping(tmp_path / "ok.yaml").columns["B"].recode == {"Oui": "1", "Non": "0"}


def test_derive_entries_are_parsed_and_checked():
    m = _map(
        "derive:\n"
        "  age_years: {rule: age_in_years, from: Date de naissance, at: bsab_start_date}\n"
        "  cytopenia_grade3plus: {rule: at_least, from: Grade max, value: 3}\n"
        "  bm_plasma_cell_pct: {rule: months_between, from: [Diag, J1]}\n"
        "  m_protein_g_l: {rule: times, from: Pic (g/dL), factor: '10'}\n"
    )
    age = m.derive["age_years"]
    assert (age.rule, age.sources, age.at, age.raw_columns) == (
        "age_in_years",
        ("Date de naissance",),
        "bsab_start_date",
        ("Date de naissance",),
    )
    assert m.derive["bm_plasma_cell_pct"].sources == ("Diag", "J1") and str(m.derive["m_protein_g_l"].number) == "10"
    with pytest.raises(ValueError) as info:
        _map(
            "constants: {center_id: C1}\ncolumns: {Age: age_years}\nderive:\n"
            "  age_years: {rule: age_in_years, from: DDN, at: bsab_start_date}\n"
            "  center_id: {rule: times, from: X, factor: 2}\n"
            "  sex: {rule: at_least, from: X, value: 3}\n"
            "  prior_lines: {rule: percentile, from: X}\n"
            "  chemo_cycles: {rule: days_between, from: [A, B, C]}\n"
            "  crs_grade: {rule: age_in_years, from: DDN}\n"
            "  icans_grade: {rule: at_least, from: G, value: three}\n"
            "  emd_site_count: {rule: times, from: X, factor: 2, at: bsab_start_date}\n"
            "  infection_max_grade: {rule: days_between, from: A, at: sex}\n"
            "  agee: {rule: times, from: X, factor: 2}\n"
        )
    text = str(info.value)
    for expected in (
        "derive: age_years: 'age_years' is also mapped from raw column 'Age' under `columns:`; a column is either "
        "derived or mapped: remove one",
        "derive: center_id: 'center_id' is also given under `constants:`; a column is either derived or constant",
        "derive: sex: rule at_least gives flag values, but sex is a category column",
        "derive: prior_lines: unknown rule 'percentile' (rules: age_in_years, days_between, months_between, at_least, "
        "times)",
        "derive: chemo_cycles: rule days_between reads two dates: `from: [FIRST, SECOND]` (raw columns), or "
        "`from: FIRST` and `at: SECOND`",
        "derive: crs_grade: age_in_years needs `at:`, the date the age is taken at",
        "derive: icans_grade: rule at_least gives flag values, but icans_grade is an integer column",
        "derive: icans_grade: rule at_least needs `value:` a number, not 'three'",
        "derive: emd_site_count: rule times reads one raw column under `from:` (no `at:`)",
        "derive: infection_max_grade: at: 'sex' is a dictionary category column, not a date",
        "derive: agee: 'agee' is not a dictionary column (did you mean age_years?)",
    ):
        assert expected in text, expected


def test_a_todo_constant_is_refused_although_todo_is_a_valid_id():
    with pytest.raises(ValueError, match=r"constants: center_id: TODO — write the value for every row"):
        parse_mapping({"constants": {"center_id": "TODO"}})
