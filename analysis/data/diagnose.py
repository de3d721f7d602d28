"""Export mistakes, each diagnosed in one line before any cell is checked.

A table saved the way a French-locale Excel saves "CSV" (``;``-separated, decimal commas,
``DD/MM/YYYY`` dates) would otherwise be reported cell by cell — 66 "column absent" lines for a
one-column header named ``patient_id;center_id;…``. Here the *file* is looked at first: each
mistake of :data:`KINDS` found gives one :class:`Finding`, a single line saying what the file looks
like and the exact fix (how to re-save it, or the mapping setting that reads it as it is). The
cell-level report (:mod:`analysis.data.validate`) follows only when there is no finding, and the
command line exits 2 ("the file's shape is wrong") when there is one.

Two contexts (:class:`Expect`): a table in the dictionary's own format (``validate``, ``run``,
``load_cohort``: CSV in UTF-8 with ``,``; or XLSX), where every kind is checked and the fixes name
both the re-save and a mapping; and a centre's export read under a mapping's ``read:`` settings
(``import``), where only the file's shape is checked (cell values are then converted and checked
by the mapping itself) and the fixes name the mapping's settings.

Systematic patterns in the cells (decimal commas, ``DD/MM/YYYY`` dates, ``TRUE``/``Oui`` flags) are
export mistakes only when they are the file's convention (:mod:`analysis.data.cell_conventions`):
at least two cells and more than half of the cells that show a convention. One stray ``"12,5"``
among numbers written with ``.`` is a cell problem, reported by the validator with its line and
patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import control_bytes, signatures
from .cell_conventions import DELIMITER_NAMES, example, header_delimiter, systematic
from .dictionary import BY_NAME
from .readers import EXCEL_ERRORS, parse_csv, text_of

KINDS: dict[str, str] = {
    "not_a_table": "the file is empty, blank, binary, or another format (a workbook, PDF, web page, SPSS …)",
    "control_bytes": "cells hold control characters that are not text (NUL, …), which readers cut or drop",
    "encoding": "the text is not in the expected encoding (e.g. Windows-1252/Latin-1 accents, UTF-16)",
    "delimiter": "the columns are separated by another character (';', a tab or a vertical bar)",
    "decimal_comma": "numbers are written with a decimal comma",
    "date_format": "dates are written DD/MM/YYYY (or MM/DD/YYYY), or carry a time of day",
    "flag_words": "flags are written TRUE/FALSE, Oui/Non, yes/no instead of 1/0",
    "excel_errors": "cells hold Excel error values (#N/A, #VALUE!, …)",
    "formulas": "XLSX cells hold formulas with no stored value",
    "merged_cells": "XLSX header or data cells are merged",
    "other_sheet": "the XLSX table is on another sheet, or below a title",
    "empty_rows": "empty rows (separators or blank cells only), typically trailing",
    "empty_columns": "empty columns without a name, typically trailing",
    "repeated_header": "the header appears again inside the data (files pasted together; a BOM inside)",
    "not_dictionary_format": "the columns are not the data dictionary's (a centre's own export)",
}
DRAFT = "python -m analysis import FILE --draft-mapping > MAP.yaml"
#: The ``encoding:`` a message proposes, by what it says the text is (else utf-8).
_SETTING = {"Windows-1252": "cp1252", "UTF-16 text": "utf-16", "UTF-32 text": "utf-32", "UTF-8 text": "utf-8"}


@dataclass(frozen=True)
class Finding:
    """One export mistake: its kind (a key of :data:`KINDS`) and the one-line message with the fix."""

    kind: str
    message: str


@dataclass(frozen=True)
class Expect:
    """How the file is meant to be read.

    ``mapping`` is the mapping file's name when reading under a mapping (``import``), ``None`` for a
    table in the dictionary's format; ``delimiter``/``encoding`` are the mapping's ``read:`` settings.
    """

    delimiter: str = ","
    encoding: str = "utf-8"
    mapping: str | None = None

    def fix(self, settings: dict[str, str], resave: str = "") -> str:
        """The fix sentence: re-save as …, or the mapping settings that read the file as it is."""
        declared = ", ".join(f"`{k}: {v}`" for k, v in settings.items())
        if self.mapping:
            return f"Fix: set {declared} under `read:` in {self.mapping}."
        via = (
            f"import it with a mapping that declares {declared} under `read:` ({DRAFT} writes one to start "
            f"from; then python -m analysis import FILE --mapping MAP.yaml --out data/private/NAME.csv)"
        )
        return f"Fix: {resave}, or {via}." if resave else f"Fix: {via}."


# ----------------------------------------------------------------------------- file-level messages
def _locale_message(path: Path, expect: Expect, delimiter: str | None, encoding: str | None, conv: dict) -> Finding:
    """The delimiter and/or encoding mistake, with the cell conventions that come with it, as one line."""
    parts, settings = [], {}
    if delimiter:
        parts.append(
            f"its columns are separated by {DELIMITER_NAMES[delimiter]}, not "
            f"{DELIMITER_NAMES.get(expect.delimiter, repr(expect.delimiter))}"
        )
        settings["delimiter"] = '"\\t"' if delimiter == "\t" else f"'{delimiter}'"
    if encoding:
        parts.append(encoding)
    if "decimal_comma" in conv:
        parts.append(f"numbers have decimal commas ({example(conv['decimal_comma'])})")
        settings["decimal"] = "','"
    if "date_format" in conv:
        cells, order, fmt = conv["date_format"]
        parts.append(f"dates are written {order} ({example(cells)})")
        settings["date_format"] = f"'{fmt}'"
    if encoding:
        settings["encoding"] = next((e for k, e in _SETTING.items() if k in encoding), "utf-8")
    french = delimiter == ";"
    looks = ' — the way a French-locale Excel saves "CSV"' if french else ""
    what = "; ".join(parts)
    expected = (
        ""
        if expect.mapping
        else (" The compendium reads CSV as UTF-8, comma-separated, '.' decimals and YYYY-MM-DD dates.")
    )
    resave = (
        'in Excel, save it as "Excel Workbook (.xlsx)" and use that file (cells keep their own types: '
        "nothing to declare)"
    )
    kind = "delimiter" if delimiter else "encoding"
    return Finding(kind, f"{path.name}: {what}{looks}.{expected} {expect.fix(settings, resave)}")


def _sniff(header: str, expected: str) -> str | None:
    """The separator the header line uses, when it is not the expected one."""
    best = header_delimiter(header, expected)
    return None if best == expected else best


# ----------------------------------------------------------------------------- whole-grid checks
def grid_findings(path: Path, grid: pd.DataFrame, expect: Expect, text_errors: bool) -> list[Finding]:
    """Empty rows and columns, a repeated header, Excel error values written as text (grid row r = line r + 1)."""
    findings = []
    if grid.empty:
        return findings
    values = grid.to_numpy(dtype=object)
    header = [str(v) for v in values[0]]
    blank = values == ""
    empty_rows = (np.flatnonzero(blank[1:].all(axis=1)) + 1).tolist()
    empty_cols = np.flatnonzero(blank.all(axis=0)).tolist()
    if empty_rows:
        lines = [r + 1 for r in empty_rows]
        trailing = empty_rows == list(range(len(values) - len(empty_rows), len(values)))
        span = f"lines {lines[0]}–{lines[-1]}" if trailing and len(lines) > 1 else _lines(lines, "line")
        drop = "" if not expect.mapping else f", or set `drop_empty_rows: true` under `read:` in {expect.mapping}"
        findings.append(
            Finding(
                "empty_rows",
                (
                    f"{path.name}: {len(lines)} empty row(s){' at the end' if trailing else ''} ({span}: separators or "
                    f"blank cells only, as Excel writes rows that once held formatting). Fix: delete those rows (in Excel: "
                    f"select them, right-click → Delete) and save again{drop}."
                ),
            )
        )
    if empty_cols:
        letters = [column_letter(c) for c in empty_cols]
        drop = "" if not expect.mapping else f", or set `drop_empty_columns: true` under `read:` in {expect.mapping}"
        findings.append(
            Finding(
                "empty_columns",
                (
                    f"{path.name}: {len(empty_cols)} empty column(s) without a name (column {', '.join(letters[:6])}"
                    f"{' …' if len(letters) > 6 else ''}). Fix: delete those columns (in Excel: select them, right-click → "
                    f"Delete) and save again{drop}."
                ),
            )
        )
    first = values[1:, 0].astype(str)
    candidates = np.flatnonzero((first == header[0]) | np.char.startswith(first, "\ufeff")) + 1
    bom_header = ["\ufeff" + header[0].lstrip("\ufeff")] + header[1:]
    repeats = [
        int(r)
        for r in candidates
        if [str(v) for v in values[r]] in (header, bom_header) or str(values[r][0]).startswith("\ufeff")
    ]
    if repeats:
        findings.append(
            Finding(
                "repeated_header",
                (
                    f"{path.name}: {_lines([r + 1 for r in repeats], 'line')} repeat(s) the header or start(s) with a "
                    f"byte-order mark: two exports were pasted together. Fix: keep one header row and delete the other, or "
                    f"keep the files apart and give both (python -m analysis validate A.csv B.csv)."
                ),
            )
        )
    if text_errors:
        errors = [
            (int(r), int(c), str(values[r, c]))
            for r, c in zip(*np.nonzero(np.isin(values, list(EXCEL_ERRORS))))
            if r > 0
        ]
        if errors:
            findings.append(excel_errors(path, errors, [f"line {r + 1}, column {header[c]!r}" for r, c, _ in errors]))
    return findings


def excel_errors(path: Path, errors: list[tuple[int, int, str]], places: list[str]) -> Finding:
    shown = "; ".join(f"{e} at {where}" for (_, _, e), where in zip(errors[:3], places[:3]))
    more = f" and {len(errors) - 3} more" if len(errors) > 3 else ""
    return Finding(
        "excel_errors",
        (
            f"{path.name}: {len(errors)} cell(s) hold Excel error values ({shown}{more}): the formulas behind them "
            f"failed. Fix: correct them in Excel, or clear them where the value is unknown (an empty cell means "
            f"missing), then save again."
        ),
    )


def _lines(lines: list[int], word: str) -> str:
    shown = ", ".join(str(x) for x in lines[:5])
    return f"{word}s {shown}{' …' if len(lines) > 5 else ''}" if len(lines) > 1 else f"{word} {shown}"


def column_letter(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c + 1)


def dictionary_share(names) -> float:
    names = [str(n) for n in names if str(n)]
    return sum(n in BY_NAME for n in names) / max(1, len(BY_NAME))


def format_findings(path: Path, table: pd.DataFrame, conv: dict, expect: Expect) -> list[Finding]:
    """Findings on the cell conventions of a table read with the right separator and encoding."""
    findings = []
    if "decimal_comma" in conv:
        findings.append(
            Finding(
                "decimal_comma",
                (
                    f"{path.name}: numbers are written with a decimal comma ({example(conv['decimal_comma'])}, "
                    f"{len(conv['decimal_comma'])} cells); the dictionary writes them with '.'. "
                    + expect.fix(
                        {"decimal": "','"},
                        'save it as "Excel Workbook (.xlsx)" (numbers are then read as '
                        "numbers) or write the numbers with '.'",
                    )
                ),
            )
        )
    if "date_format" in conv:
        cells, order, fmt = conv["date_format"]
        findings.append(
            Finding(
                "date_format",
                (
                    f"{path.name}: dates are written {order} ({example(cells)}, {len(cells)} cells); the dictionary "
                    f"writes YYYY-MM-DD. "
                    + expect.fix(
                        {"date_format": f"'{fmt}'"},
                        (
                            "format the date columns as yyyy-mm-dd (Excel: Format Cells → Custom → yyyy-mm-dd) and save "
                            'again, or save it as "Excel Workbook (.xlsx)" (date cells are then read as dates)'
                        ),
                    )
                ),
            )
        )
    if "date_time" in conv:
        cells = conv["date_time"]
        findings.append(
            Finding(
                "date_format",
                (
                    f"{path.name}: dates carry a time of day ({example(cells)}, {len(cells)} cells); the dictionary "
                    f"writes the date alone, YYYY-MM-DD. Fix: format the date columns as yyyy-mm-dd (Excel: Format Cells "
                    f'→ Custom → yyyy-mm-dd) and save again, or save it as "Excel Workbook (.xlsx)".'
                ),
            )
        )
    if "flag_words" in conv:
        words = conv["flag_words"]
        families = " and ".join(sorted(words))
        cells = [c for family in sorted(words) for c in words[family]]
        columns = sorted({name for _, name in cells})
        findings.append(
            Finding(
                "flag_words",
                (
                    f"{path.name}: flags are written {families} ({example(cells)}; {len(cells)} cells in {len(columns)} "
                    f"column(s)); the dictionary codes yes as 1 and no as 0. Fix: replace them by 1 and 0 (Excel: select "
                    f"the columns, Find & Select → Replace) and save again, or import it with a mapping that recodes them "
                    f"(under `columns:`, e.g. `{columns[0]}: {{to: {columns[0]}, recode: {_recode_hint(words)}}}`; "
                    f"{DRAFT} lists every column's values)."
                ),
            )
        )
    return findings


def _recode_hint(words) -> str:
    family = sorted(words)[0]
    yes, no = family.split("/")
    return f"{{{yes}: 1, {no}: 0}}"


def not_dictionary(path: Path, header, expect: Expect) -> list[Finding]:
    names = [str(n) for n in header if str(n)]
    if expect.mapping or not names or dictionary_share(names) >= 0.5:
        return []
    foreign = [n for n in names if n not in BY_NAME]
    if len(foreign) * 2 < len(names):
        return []
    shown = ", ".join(repr(n) for n in foreign[:3])
    return [
        Finding(
            "not_dictionary_format",
            (
                f"{path.name}: {len(foreign)} of its {len(names)} columns are not data-dictionary columns ({shown} …): "
                f"this is a centre's own export, not a table in the dictionary's format. Fix: write a mapping and "
                f"convert it ({DRAFT}; edit MAP.yaml; python -m analysis import FILE --mapping MAP.yaml --out "
                f"data/private/NAME.csv), or start from the template (python -m analysis template OUT.xlsx)."
            ),
        )
    ]


# ----------------------------------------------------------------------------- entry points
def diagnose_csv(
    path: Path, data: bytes, expect: Expect = Expect(), check_cells: bool = True
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Read a CSV's bytes as ``expect`` says and diagnose its shape; returns (grid or None, findings).

    The grid is the file parsed with the expected separator and encoding (``None`` when those are
    wrong: the findings then say so). ``check_cells``: also look for the dictionary's cell
    conventions (decimal commas, dates, flags) and a header that is not the dictionary's.
    """
    refused = signatures.problem(path, data, "csv", importing=expect.mapping is not None)
    if refused:
        return None, [Finding("not_a_table", refused)]
    try:
        text, wrong_encoding = text_of(data, expect.encoding)
    except LookupError:
        return None, [
            Finding(
                "encoding",
                f"{path.name}: unknown encoding {expect.encoding!r} in {expect.mapping}. "
                f"Fix: use e.g. utf-8, cp1252, latin-1 or utf-16.",
            )
        ]
    header_line = text.lstrip("\ufeff").split("\n", 1)[0]
    seen = _sniff(header_line, expect.delimiter)
    if control_bytes.CONTROL.search(text):
        hits = control_bytes.csv_hits(text, seen or expect.delimiter)
        return None, [Finding("control_bytes", control_bytes.message(path.name, hits, control_bytes.count(text)))]
    try:
        grid = parse_csv(text, seen or expect.delimiter)
    except ValueError as exc:
        if seen or wrong_encoding:
            grid = None
        else:
            return None, [
                Finding(
                    "delimiter",
                    f"{path.name}: cannot be read as CSV separated by "
                    f"{DELIMITER_NAMES.get(expect.delimiter, repr(expect.delimiter))}: {exc}.",
                )
            ]
    table = as_table(grid)
    conv = systematic(table) if (check_cells and table is not None) else {}
    findings = []
    if seen or wrong_encoding:
        findings.append(_locale_message(path, expect, seen, wrong_encoding, conv))
        conv = {k: v for k, v in conv.items() if k not in ("decimal_comma", "date_format")}
    if grid is not None:
        findings += grid_findings(path, grid, expect, text_errors="#" in text)
        if check_cells:
            findings += format_findings(path, table, conv, expect)
            if not findings:
                findings += not_dictionary(path, grid.iloc[0].tolist(), expect)
    return (None if (seen or wrong_encoding) else grid), named(path, findings)


def named(path: Path, findings: list[Finding]) -> list[Finding]:
    """The fixes' commands name the file itself."""
    return [Finding(f.kind, f.message.replace(" FILE ", f" {path.name} ")) for f in findings]


def as_table(grid: pd.DataFrame | None) -> pd.DataFrame | None:
    """The grid as a table: its first row the header, ``None`` for an empty grid."""
    if grid is None or grid.empty:
        return None
    table = grid.iloc[1:].reset_index(drop=True)
    table.columns = [str(v) for v in grid.iloc[0]]
    return table
