"""The data dictionary as a REDCap project (a centre enters its patients there and exports them).

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

A raw export read back without a mapping is the input pipeline's
(:mod:`analysis.data.bookkeeping`).

Reference: REDCap's Data Dictionary and export format (Vanderbilt University; Harris et al., J
Biomed Inform 2009;42:377). R equivalent: ``REDCapR``/``redcapAPI`` read the same exports.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from ..bookkeeping import FORMS
from ..dictionary import COLUMNS, Column
from ..validate import DATE_RANGE

HEADER: tuple[str, ...] = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
SECTIONS = {"cytogenetics": "Cytogenetics (FISH)"}
BRANCHING = {
    "emd_site_count": "[extramedullary] = '1'",
    "death_cause": "[death_date] <> ''",
    "infection_documented": "[infection_max_grade] > 0",
}


def _field(col: Column, previous_group: str | None) -> dict[str, str]:
    row = dict.fromkeys(HEADER, "")
    row["Variable / Field Name"] = col.name
    row["Form Name"] = FORMS[col.group]
    if col.group in SECTIONS and previous_group != col.group:
        row["Section Header"] = SECTIONS[col.group]
    row["Field Label"] = col.description
    notes = [f"unit: {col.unit}" if col.unit else "", f"empty = {col.empty_means}" if col.nullable else ""]
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
