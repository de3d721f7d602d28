"""The data-entry template: an XLSX workbook generated from the data dictionary.

``python -m analysis template OUT.xlsx`` writes three sheets:

* ``patients`` — one column per dictionary column, in dictionary order, header frozen; each header
  cell carries a comment with the column's meaning, unit, allowed values and what an empty cell
  means; every column has an Excel data validation (:func:`validation_for`): a drop-down list for
  codes and flags, whole numbers or decimals within the range, dates between 2000-01-01 and
  2099-12-31, 1–32 characters for identifiers. Date columns display ``yyyy-mm-dd``; identifier
  columns are text cells (Excel would otherwise turn ``007`` into ``7``);
* ``dictionary`` — the dictionary as a table (the same rows as ``data/README.md``);
* ``how to`` — how to fill it in, and how to check and analyse it.

The validator reads the ``patients`` sheet (:data:`analysis.data.io.XLSX_SHEET`), so a filled-in
template is checked and analysed as it is. Excel checks a typed cell against its validation, not
a pasted one: ``python -m analysis validate`` stays the check that counts.

Same dictionary, same bytes: the workbook's zip is made reproducible by
:func:`analysis.atomic.reproducible_zip`. R equivalent: none in ``survival``; REDCap and
``openxlsx::dataValidation`` offer the same idea.
"""

from __future__ import annotations

import io
from pathlib import Path

from ...atomic import DOCUMENT_STAMP, reproducible_zip, write_bytes
from ..dictionary import COLUMNS, Column
from ..validate import DATE_RANGE

SHEET = "patients"
#: Last worksheet row the validations cover (Excel's last row: the whole column).
LAST_ROW = 1_048_576
#: Excel caps a validation's input message at 255 characters and its title at 32.
PROMPT_MAX, TITLE_MAX = 255, 32
CREATOR = "debulking-bsab-compendium"
#: Header fill by dictionary group (colour-blind-safe light tints).
GROUP_FILL = {
    "identity": "D9D9D9",
    "baseline": "DDEBF7",
    "cytogenetics": "E2EFDA",
    "debulking": "FCE4D6",
    "bispecific": "FFF2CC",
    "safety": "EDE1F5",
    "outcome": "F2F2F2",
}

HOW_TO = (
    "How to fill in this template (generated from the compendium's data dictionary)",
    "",
    "1. One row per patient on sheet 'patients', from row 2. Do not rename, reorder, delete or add columns.",
    "2. Hover over a column name to read what it means, its unit, its allowed values and what an empty cell means.",
    "3. Flags: 1 = yes, 0 = no. Categories: pick a code from the drop-down list (codes are case-sensitive).",
    "4. Dates: type them as dates (they show as yyyy-mm-dd). Numbers: in the unit named in the column's comment.",
    "5. An empty cell means missing. Columns marked 'required' in sheet 'dictionary' may not be empty.",
    "6. Never enter names, initials, birth dates, hospital or social-security numbers: patient_id is a study "
    "pseudonym.",
    "7. Save as .xlsx under data/private/ (git-ignored: real data never enter git).",
    "8. Check it: python -m analysis validate data/private/FILE.xlsx  (every problem at once, with line and "
    "column; Excel checks typed cells, not pasted ones, so always validate).",
    "9. Analyse it: python -m analysis run --data data/private/FILE.xlsx",
    "",
    "The data dictionary, validation rules and codes are described in data/README.md.",
)


def _excel_serial(ts) -> int:
    from openpyxl.utils.datetime import to_excel

    return int(to_excel(ts.to_pydatetime()))


def validation_for(col: Column):
    """The Excel data validation of one dictionary column (an ``openpyxl`` DataValidation)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if col.kind == "flag":
        dv = DataValidation(type="list", formula1='"1,0"')
        rule = "1 = yes, 0 = no"
    elif col.kind == "category":
        dv = DataValidation(type="list", formula1='"' + ",".join(col.codes) + '"')
        rule = "one of " + ", ".join(col.codes)
    elif col.kind in ("integer", "number"):
        dv = DataValidation(
            type="whole" if col.kind == "integer" else "decimal",
            operator="between",
            formula1=f"{col.minimum:g}",
            formula2=f"{col.maximum:g}",
        )
        what = "a whole number" if col.kind == "integer" else "a number"
        rule = f"{what} from {col.minimum:g} to {col.maximum:g} {col.unit}".rstrip()
    elif col.kind == "date":
        dv = DataValidation(
            type="date",
            operator="between",
            formula1=str(_excel_serial(DATE_RANGE[0])),
            formula2=str(_excel_serial(DATE_RANGE[1])),
        )
        rule = "a date between 2000-01-01 and 2099-12-31"
    else:
        dv = DataValidation(type="textLength", operator="between", formula1="1", formula2="32")
        rule = "1–32 letters, digits, '-' or '_'"
    dv.allow_blank = True  # Excel cannot require a cell; the validator does (not_null)
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorTitle = col.name[:TITLE_MAX]
    dv.error = f"{col.name}: {rule}."[:PROMPT_MAX]
    dv.promptTitle = col.name[:TITLE_MAX]
    dv.prompt = f"{col.description} {rule}."[:PROMPT_MAX]
    return dv


def header_comment(col: Column) -> str:
    """The text of a header cell's comment: meaning, unit, allowed values, empty cell."""
    allowed = col.allowed_text().replace("`", "")
    if col.kind == "category":
        allowed = "; ".join(f"{k} = {v}" for k, v in col.codes.items())
    empty = f"empty = {col.empty_means}" if col.nullable else "required: may not be empty"
    unit = f"\nUnit: {col.unit}" if col.unit else ""
    return f"{col.name}\n{col.description}{unit}\nAllowed: {allowed}\n{empty.capitalize()}"


def dictionary_rows() -> list[list[str]]:
    """The rows of sheet ``dictionary`` (header first)."""
    rows = [["column", "group", "type", "unit", "allowed values", "required", "empty cell means", "meaning"]]
    for c in COLUMNS:
        allowed = c.allowed_text().replace("`", "")
        if c.kind == "category":
            allowed = "; ".join(f"{k} = {v}" for k, v in c.codes.items())
        rows.append(
            [c.name, c.group, c.kind, c.unit, allowed, "no" if c.nullable else "required", c.empty_means, c.description]
        )
    return rows


def template_bytes() -> bytes:
    """The template workbook's bytes (same dictionary, same bytes)."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = SHEET
    bold = Font(bold=True)
    for j, col in enumerate(COLUMNS, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j, value=col.name)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=GROUP_FILL.get(col.group, "FFFFFF"))
        comment = Comment(header_comment(col), CREATOR)
        comment.width, comment.height = 320, 160
        cell.comment = comment
        dv = validation_for(col)
        dv.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.add_data_validation(dv)
        ws.column_dimensions[letter].width = max(10, min(28, len(col.name) + 2))
        if col.kind == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif col.kind == "id":
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"

    dic = book.create_sheet("dictionary")
    for row in dictionary_rows():
        dic.append(row)
    for cell in dic[1]:
        cell.font = bold
    for letter, width in zip("ABCDEFGH", (26, 12, 9, 8, 40, 9, 36, 80)):
        dic.column_dimensions[letter].width = width
    dic.freeze_panes = "A2"

    how = book.create_sheet("how to")
    for line in HOW_TO:
        how.append([line])
    how["A1"].font = bold
    how.column_dimensions["A"].width = 120
    for row in how.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    book.properties.created = book.properties.modified = DOCUMENT_STAMP
    book.properties.creator = CREATOR
    buf = io.BytesIO()
    book.save(buf)
    return reproducible_zip(buf.getvalue())


def write_template(path: str | Path) -> Path:
    """Write the template to ``path`` (atomically); returns the path."""
    return write_bytes(Path(path), template_bytes())
