"""The REDCap data dictionary, and raw REDCap exports loaded without a mapping."""

import csv
import io

import pandas as pd
import pytest

from analysis.data.cohort import load_cohort
from analysis.data.dictionary import COLUMNS, NAMES
from analysis.data.intake.redcap import FORMS, HEADER, data_dictionary, data_dictionary_frame
from analysis.exceptions import DataFileError


def test_redcap_dictionary_has_the_18_standard_columns_and_one_field_per_column():
    rows = list(csv.reader(io.StringIO(data_dictionary())))
    assert rows[0] == list(HEADER) and len(HEADER) == 18
    assert rows[0][0] == "Variable / Field Name" and rows[0][-1] == "Field Annotation"
    assert [r[0] for r in rows[1:]] == list(NAMES)
    assert all(len(r) == 18 for r in rows)


def test_field_types_choices_validation_and_required_flags():
    d = data_dictionary_frame().set_index("Variable / Field Name")
    assert d.index[0] == "patient_id"  # the record identifier
    assert d.loc["hypercalcemia", "Field Type"] == "yesno"
    assert d.loc["sex", "Field Type"] == "dropdown"
    assert d.loc["sex", "Choices, Calculations, OR Slider Labels"] == "F, female | M, male"
    assert tuple(
        d.loc["age_years", ["Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max"]]
    ) == ("integer", "18", "100")
    assert d.loc["m_protein_g_l", "Text Validation Type OR Show Slider Number"] == "number"
    assert tuple(d.loc["bsab_start_date", ["Text Validation Type OR Show Slider Number", "Text Validation Min"]]) == (
        "date_ymd",
        "2000-01-01",
    )
    assert d.loc["sex", "Required Field?"] == "y" and d.loc["iss_stage", "Required Field?"] == ""
    assert d.loc["del17p", "Section Header"] == "Cytogenetics (FISH)"
    names = "".join(d.index)
    assert names == names.lower() and all(len(n) <= 26 and n[0].isalpha() for n in d.index)


def test_forms_are_the_five_topics_each_contiguous():
    forms = data_dictionary_frame()["Form Name"].tolist()
    order = list(dict.fromkeys(forms))
    assert order == ["baseline", "debulking", "bispecific", "safety", "outcome"] == list(dict.fromkeys(FORMS.values()))
    assert all(forms.index(f) + forms.count(f) - 1 == len(forms) - 1 - forms[::-1].index(f) for f in order)


def test_branching_only_on_fields_that_may_be_empty():
    d = data_dictionary_frame().set_index("Variable / Field Name")
    nullable = {c.name: c.nullable for c in COLUMNS}
    for name, logic in d["Branching Logic (Show field only if...)"].items():
        assert not logic or nullable[name]


def simulated_raw_export(raw: pd.DataFrame, longitudinal=True) -> pd.DataFrame:
    """What REDCap's "CSV (raw data)" export of a project built from the dictionary looks like."""
    out = {"patient_id": raw["patient_id"]}
    if longitudinal:
        out["redcap_event_name"] = "baseline_arm_1"
        out["redcap_repeat_instrument"] = ""
        out["redcap_repeat_instance"] = ""
        out["redcap_data_access_group"] = raw["center_id"].str.lower()
    form_of = {c.name: FORMS[c.group] for c in COLUMNS}
    names = list(NAMES)[1:]
    for k, name in enumerate(names):
        out[name] = raw[name]
        if k + 1 == len(names) or form_of[names[k + 1]] != form_of[name]:
            out[f"{form_of[name]}_complete"] = "2"
    return pd.DataFrame(out)


@pytest.mark.parametrize("longitudinal", [True, False])
def test_a_raw_redcap_export_loads_without_a_mapping(tmp_path, synthetic_raw, longitudinal):
    path = tmp_path / "redcap_export.csv"
    simulated_raw_export(synthetic_raw, longitudinal).to_csv(path, index=False)
    cohort = load_cohort(path)
    assert cohort.n == 44 and list(cohort.patients.columns[:-1]) == list(NAMES)
    (note,) = cohort.notes
    assert "REDCap export: dropped its bookkeeping column(s)" in note and "outcome_complete" in note
    assert ("redcap_event_name" in note) == longitudinal


def test_several_rows_per_record_are_refused(tmp_path, synthetic_raw):
    export = simulated_raw_export(synthetic_raw)
    export.loc[3, "redcap_event_name"] = "month_6_arm_1"
    export.to_csv(tmp_path / "e.csv", index=False)
    with pytest.raises(DataFileError, match="several rows per record, one per event"):
        load_cohort(tmp_path / "e.csv")
    export = simulated_raw_export(synthetic_raw)
    export.loc[5, "redcap_repeat_instrument"] = "safety"
    export.to_csv(tmp_path / "r.csv", index=False)
    with pytest.raises(DataFileError, match="repeating instruments \\(lines 7\\)"):
        load_cohort(tmp_path / "r.csv")
