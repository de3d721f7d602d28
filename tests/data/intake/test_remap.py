"""Applying a mapping: every transformation as declared, every undeclared column or value named."""

from pathlib import Path

import pandas as pd
import yaml

from analysis.data.intake.mapping import _TextLoader, parse_mapping
from analysis.data.intake.remap import apply_mapping


def _map(text):
    return parse_mapping(yaml.load(text, Loader=_TextLoader), Path("map.yaml"), "0" * 64)


def test_renames_recodes_units_dates_constants_drops_and_missing(synthetic_raw):
    raw = synthetic_raw.rename(columns={"sex": "Sexe", "m_protein_g_l": "Pic (g/dL)", "bsab_start_date": "J1"})
    raw["Sexe"] = raw["Sexe"].map({"M": "Homme", "F": "Femme"})
    raw["Pic (g/dL)"] = [f"{float(v) / 10:g}".replace(".", ",") if v else "ND" for v in raw["Pic (g/dL)"]]
    raw["J1"] = [f"{v[8:]}.{v[5:7]}.{v[:4]}" for v in raw["J1"]]
    raw = raw.drop(columns="center_id").assign(Commentaire="x")
    m = _map(
        "read: {decimal: ','}\nconstants: {center_id: C15}\ndrop: [Commentaire]\ncolumns:\n"
        "  Sexe: {to: sex, recode: {Homme: M, Femme: F}}\n"
        "  Pic (g/dL): {to: m_protein_g_l, unit: g/dL, missing: [ND]}\n"
        "  J1: {to: bsab_start_date, date_format: '%d.%m.%Y'}\n"
    )
    table, report, problems = apply_mapping(raw, m, list(range(2, 46)))
    assert problems == []
    expected = synthetic_raw.assign(center_id="C15")
    pd.testing.assert_frame_equal(table.drop(columns="m_protein_g_l"), expected.drop(columns="m_protein_g_l"))
    # exact decimal arithmetic: '2,24' g/dL -> '22.4' g/L, never 22.400000000000002
    assert table["m_protein_g_l"].tolist() == [f"{float(v):g}" if v else "" for v in expected["m_protein_g_l"]]
    assert report.recodes["sex"] == {"Homme → M": 22, "Femme → F": 22}
    assert report.units["m_protein_g_l"]["cells"] == 44 - synthetic_raw["m_protein_g_l"].eq("").sum()
    assert report.dates["bsab_start_date"] == {"format": "%d.%m.%Y", "cells": 44}
    assert report.dropped == ["Commentaire"] and report.constants == {"center_id": "C15"}


def test_an_unmapped_column_and_unmapped_values_name_row_column_value_and_the_yaml_line(synthetic_raw):
    raw = synthetic_raw.rename(columns={"sex": "Sexe"}).assign(Service="hémato")
    raw["Sexe"] = raw["Sexe"].map({"M": "Homme", "F": "Femme"})
    raw.loc[[3, 9], "Sexe"] = "Inconnu"
    raw.loc[5, "best_response"] = "RC"
    raw.loc[6, "chemo_start_date"] = "2022/01/03"
    m = _map("columns: {Sexe: {to: sex, recode: {Homme: M, Femme: F}}}")
    table, report, problems = apply_mapping(raw, m, list(range(2, 46)))
    # the table is kept for validating everything else; the refused cells keep their text and are skipped
    assert table.loc[3, "sex"] == "Inconnu" and {(3, "sex"), (9, "sex"), (5, "best_response")} <= report.skip
    texts = [p.to_text() for p in problems]
    assert any(
        "raw column 'Service' is neither mapped nor dropped" in t and "`Service: <dictionary column>`" in t
        for t in texts
    )
    # first correct the source, then declare; '' offered only where the column may be empty
    assert (
        "lines 5, 11, column 'Sexe' (sex) = 'Inconnu': not a code of sex (F, M) and no recode. If it is a typing mistake, "
        "correct it in the source; if it is one of the centre's own codes, declare it: add to map.yaml under "
        "`columns:` → `Sexe:` `recode:` the line `Inconnu: <F|M>` (sex may not be empty)" in texts
    )
    assert (
        "line 7, column 'best_response' = 'RC': not a code of best_response (sCR, CR, VGPR, PR, MR, SD, PD) and no "
        "recode. If it is a typing mistake, correct it in the source; if it is one of the centre's own codes, declare "
        "it: add to map.yaml under `columns:` the block `best_response: {to: best_response, …}` and `recode:` the line "
        "`RC: <sCR|CR|VGPR|PR|MR|SD|PD>` (or `RC: ''` if it means missing: best_response may be empty)" in texts
    )
    assert any(t.startswith("line 8, column 'chemo_start_date' = '2022/01/03'") and "date_format" in t for t in texts)


def test_a_missing_dictionary_column_is_named(synthetic_raw):
    _, _, problems = apply_mapping(synthetic_raw.drop(columns=["iss_stage"]), _map("{}"), list(range(2, 46)))
    (p,) = problems
    assert (
        "dictionary column 'iss_stage' has no source" in p.message and "`iss_stage: ''` under `constants:`" in p.message
    )


def test_data_errors_are_left_to_validation(synthetic_raw):
    raw = synthetic_raw.copy()
    raw.loc[0, "age_years"] = "12"  # out of range: data, not an unmapped value
    raw.loc[1, "chemo_start_date"] = "2023-02-30"  # impossible ISO date: data
    table, _, problems = apply_mapping(raw, _map("{}"), list(range(2, 46)))
    assert problems == [] and table.loc[0, "age_years"] == "12"


def _export(synthetic_raw, **renames):
    return synthetic_raw.rename(columns={v: k for k, v in renames.items()})


def test_an_identifier_mapped_under_columns_is_refused(synthetic_raw):
    raw = _export(synthetic_raw, IPP="patient_id", **{"Date de naissance": "chemo_start_date"})
    m = _map("columns: {IPP: patient_id, Date de naissance: chemo_start_date}")
    table, report, problems = apply_mapping(raw, m, list(range(2, 46)))
    assert [p.to_text() for p in problems] == [
        "raw column 'IPP' looks like a hospital or social-security number: identifiers never reach the converted "
        "table; drop it (`drop:`) and use a study pseudonym for patient_id (in map.yaml)",
        "raw column 'Date de naissance' looks like a birth date: identifiers never reach the converted table; drop "
        "it (`drop:`); for the age, read it only under `derive:`: `age_years: {rule: age_in_years, from: Date de "
        "naissance, at: bsab_start_date}` (in map.yaml)",
    ]
    assert (0, "patient_id") in report.skip and (43, "chemo_start_date") in report.skip


def test_an_identifier_neither_mapped_nor_dropped_is_to_be_dropped(synthetic_raw):
    _, _, problems = apply_mapping(synthetic_raw.assign(Téléphone="06 12 34 56 78"), _map("{}"), list(range(2, 46)))
    (p,) = problems
    assert p.to_text() == (
        "raw column 'Téléphone' is neither mapped nor dropped, and looks like a phone number: identifiers never reach "
        "the converted table; add Téléphone to `drop:` in map.yaml"
    )


def test_derive_sources_are_accounted_for_and_never_reach_the_output(synthetic_raw):
    birth = [
        f"{int(a[:4]) - int(age) - 1}-12-31"
        for a, age in zip(synthetic_raw["bsab_start_date"], synthetic_raw["age_years"])
    ]
    raw = synthetic_raw.drop(columns="age_years").assign(DDN=birth)
    m = _map("derive: {age_years: {rule: age_in_years, from: DDN, at: bsab_start_date}}")
    table, report, problems = apply_mapping(raw, m, list(range(2, 46)))
    assert problems == [] and "DDN" not in table.columns and list(table.columns) == list(synthetic_raw.columns)
    assert table["age_years"].tolist() == synthetic_raw["age_years"].tolist()
    assert report.derived["age_years"]["cells"] == 44 and "DDN" not in report.dropped
    assert "derived age_years (age_in_years from 'DDN' at bsab_start_date): 44 cell(s), 0 left empty" in (
        report.summary_lines()
    )
    # the derived column also present in the file: one of them must go
    _, _, problems = apply_mapping(raw.assign(age_years="70"), m, list(range(2, 46)))
    assert [p.message for p in problems] == [
        "dictionary column 'age_years' is both in the file and derived (`derive:`); drop one"
    ]
    _, _, problems = apply_mapping(raw.drop(columns="DDN"), m, list(range(2, 46)))
    assert [p.message for p in problems] == [
        "`derive: age_years` reads raw column 'DDN', which is not in the file: correct the name under `from:`/`at:` "
        "in map.yaml"
    ]


def test_user_missing_codes_of_the_file_become_empty_counted_with_their_label(synthetic_raw):
    from analysis.data.stat_files import UserMissing

    raw = synthetic_raw.copy()
    raw.loc[[0, 1], "del17p"] = "9"
    raw.loc[2, "infection_max_grade"] = "98"
    user_missing = {
        "del17p": UserMissing(("9",), (), "SPSS user-missing"),
        "infection_max_grade": UserMissing((), ((97.0, 99.0),), "SPSS user-missing"),
    }
    labels = {"del17p": {"0": "Non", "1": "Oui", "9": "Non fait"}}
    table, report, problems = apply_mapping(raw, _map("{}"), list(range(1, 45)), {}, labels, user_missing)
    assert (
        problems == []
        and table.loc[[0, 1], "del17p"].tolist() == ["", ""]
        and table.loc[2, "infection_max_grade"] == ""
    )
    assert report.missing == {
        "del17p": {"9": {"cells": 2, "source": "SPSS user-missing", "label": "Non fait"}},
        "infection_max_grade": {"98": {"cells": 1, "source": "SPSS user-missing"}},
    }
    assert "empty (declared missing) del17p: '9' (Non fait) 2 [SPSS user-missing]" in report.summary_lines()
