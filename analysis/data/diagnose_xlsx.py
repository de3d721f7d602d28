"""The shape of an XLSX sheet, each export mistake in one line with its fix (see :mod:`analysis.data.diagnose`).

What only a workbook can get wrong: the table on another sheet or below a title, formulas without
a stored value (a formula with one is read as that value, :func:`analysis.data.readers.read_xlsx`),
merged cells, Excel error cells; then the checks every grid shares (empty rows and
columns, a repeated header, the cell conventions, a centre's own columns) from
:mod:`analysis.data.diagnose`.
"""

from __future__ import annotations

from pathlib import Path

from .cell_conventions import systematic
from .diagnose import (
    Expect,
    Finding,
    as_table,
    column_letter,
    dictionary_share,
    excel_errors,
    format_findings,
    grid_findings,
    named,
    not_dictionary,
)
from .readers import Sheet


def diagnose_sheet(path: Path, sheet: Sheet, expect: Expect = Expect(), check_cells: bool = True) -> list[Finding]:
    """The shape of an XLSX sheet: formulas, error cells, merged cells, the table elsewhere, empty rows."""
    grid = sheet.grid
    if check_cells:
        elsewhere = _table_elsewhere(path, sheet, expect)
        if elsewhere:
            return named(path, [elsewhere])
    findings = _formulas(path, sheet) + _merged(path, sheet)
    if sheet.errors:
        header = [str(v) for v in grid.iloc[0]] if not grid.empty else []
        places = [
            f"{column_letter(c)}{r + 1}" + (f" ({header[c]})" if r > 0 and c < len(header) else "")
            for r, c, _ in sheet.errors
        ]
        findings.append(excel_errors(path, sheet.errors, places))
    findings += grid_findings(path, grid, expect, text_errors=False)
    if check_cells and not findings and not grid.empty:
        table = as_table(grid)
        findings += format_findings(path, table, systematic(table), expect)
        if not findings:
            findings += not_dictionary(path, grid.iloc[0].tolist() if not grid.empty else [], expect)
    return named(path, findings)


def _table_elsewhere(path: Path, sheet: Sheet, expect: Expect) -> Finding | None:
    """The patient table on another sheet, or below title rows, when the sheet read is not it."""
    grid = sheet.grid
    share = dictionary_share(grid.iloc[0].tolist()) if not grid.empty else 0.0
    if share >= 0.5:
        return None
    elsewhere = [
        name
        for name, head in sheet.other_sheets.items()
        if not head.empty and dictionary_share(head.iloc[0].tolist()) >= 0.5
    ]
    below = next((r for r in range(1, min(20, len(grid))) if dictionary_share(grid.iloc[r].tolist()) >= 0.5), None)
    if elsewhere:
        rule = (
            "the sheet named 'patients' when there is one, else the first sheet"
            if not expect.mapping
            else "the sheet named under `read: sheet:`"
        )
        setting = (
            f"rename sheet '{elsewhere[0]}' to 'patients' (right-click its tab → Rename) or move it first"
            if not expect.mapping
            else f"set `sheet: '{elsewhere[0]}'` under `read:` in {expect.mapping}"
        )
        return Finding(
            "other_sheet",
            f"{path.name}: the patient table is on sheet '{elsewhere[0]}', but sheet '{sheet.name}' is read "
            f"({rule}). Fix: {setting}.",
        )
    if below is not None:
        return Finding(
            "other_sheet",
            f"{path.name}: on sheet '{sheet.name}', the column names are on row {below + 1}, below "
            f"{'a title row' if below == 1 else f'{below} title rows'}. Fix: delete row(s) 1–{below} so that "
            f"the column names are in row 1, and save again.",
        )
    return None


def _formulas(path: Path, sheet: Sheet) -> list[Finding]:
    """Formula cells with no stored value (a formula with one is read as that value, with a note)."""
    if not sheet.formulas:
        return []
    shown = "; ".join(f"{cell} {formula}" for cell, formula in sheet.formulas[:3])
    return [
        Finding(
            "formulas",
            (
                f"{path.name}: {len(sheet.formulas)} cell(s) of sheet '{sheet.name}' hold formulas with no stored value "
                f"({shown}{' …' if len(sheet.formulas) > 3 else ''}): the compendium reads the value Excel stores with "
                f"each formula and computes none, and a workbook written by another program stores none. Fix: open "
                f"the workbook in Excel and save it again (Excel stores every result), or replace the formulas by "
                f"their values (select the cells, Copy, then Paste Special → Values)."
            ),
        )
    ]


def _merged(path: Path, sheet: Sheet) -> list[Finding]:
    """Merged header cells (one title over several columns) and merged data cells."""
    findings = []
    header_merged = [m for m in sheet.merged if m[0] == 0]
    data_merged = [m for m in sheet.merged if m[0] > 0]
    if header_merged:
        findings.append(
            Finding(
                "merged_cells",
                (
                    f"{path.name}: header cells {', '.join(m[4] for m in header_merged[:4])} of sheet '{sheet.name}' are "
                    f"merged (one title over several columns); each column needs its own name in row 1. Fix: select them, "
                    f"Home → Merge & Center → Unmerge Cells, write each column's dictionary name, and save again."
                ),
            )
        )
    if data_merged:
        findings.append(
            Finding(
                "merged_cells",
                (
                    f"{path.name}: cells {', '.join(m[4] for m in data_merged[:4])} of sheet '{sheet.name}' are merged: "
                    f"only the first cell of each holds the value, the others read as empty. Fix: unmerge them (Home → "
                    f"Merge & Center → Unmerge Cells), fill every cell, and save again."
                ),
            )
        )
    return findings
