"""The data dictionary as a REDCap project, and REDCap's raw exports read without a mapping.

:func:`data_dictionary` writes a REDCap *Data Dictionary* CSV (Project Setup → Data Dictionary →
upload) in REDCap's 18 standard columns (:data:`HEADER`), one field per dictionary column, in
dictionary order, with the field name equal to the dictionary name (so a raw export has the
dictionary's column names):

* **forms by topic** (:data:`FORMS`): ``baseline`` (identity, baseline, cytogenetics),
  ``debulking``, ``bispecific``, ``safety``, ``outcome`` — each form's fields contiguous, as
  REDCap requires; ``patient_id`` first, the record identifier;
* **field types**: flags ``yesno`` (REDCap's raw export writes 1/0, the dictionary's codes);
  categories ``dropdown`` with choices ``code, label | …`` (raw export writes the code); integers,
  numbers and dates ``text`` with validation ``integer``/``number`` (with the range as min/max)
  and ``date_ymd`` (2000-01-01 to 2099-12-31; raw export writes YYYY-MM-DD); identifiers ``text``;
* **Required Field?** ``y`` where the dictionary forbids an empty cell; **Field Note** the unit and
  what an empty cell means; **Section Header** where a form's topic changes (cytogenetics);
* **Branching logic** only on fields that may be empty (a hidden field exports empty):
  ``emd_site_count`` when ``[extramedullary] = '1'``, ``death_cause`` when a death date is given,
  ``infection_documented`` when the infection grade is above 0.

:func:`strip_bookkeeping` recognises the columns a raw (coded) REDCap export adds —
``redcap_event_name``, ``redcap_repeat_instrument``, ``redcap_repeat_instance``,
``redcap_data_access_group``, ``redcap_survey_identifier``, ``<form>_timestamp`` and
``<form>_complete`` — and drops them with a note, so such an export is validated as it is. It
refuses (rather than guesses) an export with several rows per record: several events of a
longitudinal project, or rows of a repeating instrument.

Reference: REDCap's Data Dictionary and export format (Vanderbilt University; Harris et al., J
Biomed Inform 2009;42:377). R equivalent: ``REDCapR``/``redcapAPI`` read the same exports.
"""
from __future__ import annotations

import csv
import io

import pandas as pd

from ..exceptions import DataFileError
from .dictionary import COLUMNS, Column
from .validate import DATE_RANGE

HEADER: tuple[str, ...] = (
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note", "Text Validation Type OR Show Slider Number",
    "Text Validation Min", "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
    "Required Field?", "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
    "Matrix Ranking?", "Field Annotation",
)
#: Dictionary group -> REDCap form (instrument).
FORMS: dict[str, str] = {"identity": "baseline", "baseline": "baseline", "cytogenetics": "baseline",
                         "debulking": "debulking", "bispecific": "bispecific", "safety": "safety",
                         "outcome": "outcome"}
SECTIONS = {"cytogenetics": "Cytogenetics (FISH)"}
BRANCHING = {
    "emd_site_count": "[extramedullary] = '1'",
    "death_cause": "[death_date] <> ''",
    "infection_documented": "[infection_max_grade] > 0",
}
#: Columns a REDCap raw export adds that are not patient data.
BOOKKEEPING = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance",
               "redcap_data_access_group", "redcap_survey_identifier")


def _field(col: Column, previous_group: str | None) -> dict[str, str]:
    row = dict.fromkeys(HEADER, "")
    row["Variable / Field Name"] = col.name
    row["Form Name"] = FORMS[col.group]
    if col.group in SECTIONS and previous_group != col.group:
        row["Section Header"] = SECTIONS[col.group]
    row["Field Label"] = col.description
    notes = [f"unit: {col.unit}" if col.unit else "",
             f"empty = {col.empty_means}" if col.nullable else ""]
    row["Field Note"] = "; ".join(n for n in notes if n)
    if col.kind == "flag":
        row["Field Type"] = "yesno"
    elif col.kind == "category":
        row["Field Type"] = "dropdown"
        row["Choices, Calculations, OR Slider Labels"] = " | ".join(f"{k}, {v}" for k, v in col.codes.items())
    else:
        row["Field Type"] = "text"
        if col.kind in ("integer", "number"):
            row["Text Validation Type OR Show Slider Number"] = col.kind
            row["Text Validation Min"] = f"{col.minimum:g}"
            row["Text Validation Max"] = f"{col.maximum:g}"
        elif col.kind == "date":
            row["Text Validation Type OR Show Slider Number"] = "date_ymd"
            row["Text Validation Min"] = DATE_RANGE[0].strftime("%Y-%m-%d")
            row["Text Validation Max"] = DATE_RANGE[1].strftime("%Y-%m-%d")
    row["Branching Logic (Show field only if...)"] = BRANCHING.get(col.name, "")
    row["Required Field?"] = "" if col.nullable else "y"
    return row


def data_dictionary_frame() -> pd.DataFrame:
    """The REDCap data dictionary as a table: one row per field, REDCap's 18 columns."""
    rows, previous = [], None
    for col in COLUMNS:
        rows.append(_field(col, previous))
        previous = col.group
    return pd.DataFrame(rows, columns=list(HEADER))


def data_dictionary() -> str:
    """The REDCap data dictionary CSV (UTF-8, comma-separated, ``\\n`` line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    for row in data_dictionary_frame().itertuples(index=False):
        writer.writerow(row)
    return buf.getvalue()


def bookkeeping_columns(columns) -> list[str]:
    """The columns of ``columns`` that a raw REDCap export adds (see the module docstring)."""
    forms = set(FORMS.values())
    extra = {f"{form}_{suffix}" for form in forms for suffix in ("complete", "timestamp")}
    return [c for c in dict.fromkeys(columns) if c in BOOKKEEPING or c in extra]


def strip_bookkeeping(raw: pd.DataFrame, name: str = "") -> tuple[pd.DataFrame, list[str]]:
    """Drop a REDCap export's bookkeeping columns; returns (table, notes).

    Raises
    ------
    DataFileError
        the export has several rows per record (several events, or repeating-instrument rows).
    """
    found = bookkeeping_columns(raw.columns)
    if not found:
        return raw, []
    where = f"{name}: " if name else ""
    if "redcap_repeat_instrument" in raw.columns:
        repeated = raw["redcap_repeat_instrument"].astype(str) != ""
        if repeated.any():
            lines = ", ".join(str(i + 2) for i in repeated.to_numpy().nonzero()[0][:5])
            raise DataFileError(f"{where}this REDCap export has rows of repeating instruments (lines {lines}): the "
                                f"compendium needs one row per patient. Fix: export the project without repeating "
                                f"instruments (the dictionary's fields are all one per patient).")
    if "redcap_event_name" in raw.columns:
        events = sorted(set(raw["redcap_event_name"].astype(str)) - {""})
        if len(events) > 1:
            raise DataFileError(f"{where}this REDCap export has several rows per record, one per event "
                                f"({', '.join(events[:4])}): the compendium needs one row per patient. Fix: export "
                                f"a single event (Data Exports → a report filtered on one event).")
    note = (f"{where}REDCap export: dropped its bookkeeping column(s) {', '.join(found)} (not patient data).")
    return raw.drop(columns=found), [note]
