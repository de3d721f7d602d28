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
    table, _, problems = apply_mapping(raw, m, list(range(2, 46)))
    assert table.empty
    texts = [p.to_text() for p in problems]
    assert any(
        "raw column 'Service' is neither mapped nor dropped" in t and "`Service: <dictionary column>`" in t
        for t in texts
    )
    assert (
        "lines 5, 11, column 'Sexe' = 'Inconnu': not a code of sex (F, M) and no recode; add to map.yaml under "
        "`columns:` → `Sexe:` `recode:` the line `Inconnu: <F|M>`" in "\n".join(texts)
    )
    assert any(
        t.startswith("line 7, column 'best_response' = 'RC'")
        and "`columns:` the block `best_response: {to: best_response, …}`" in t
        for t in texts
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
