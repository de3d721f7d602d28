"""Writing a display table in the formats a co-author or a journal asks for.

:func:`export_table` writes ``results/<name>.{csv,md,html,tex,xlsx}`` from one
DataFrame, with a caption and a footnote (the data statement, e.g. SYNTHETIC
DATA). Byte-identical for identical input: CSV/Markdown/HTML/LaTeX are plain
text; the XLSX zip is rewritten by :func:`analysis.atomic.reproducible_zip`
(fixed entry dates, the workbook's created/modified stamps fixed to 2000-01-01),
as openpyxl otherwise writes the current time.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pandas as pd

from ..atomic import DOCUMENT_STAMP, reproducible_zip, write_bytes

FORMATS = ("csv", "md", "html", "tex", "xlsx")


def _xlsx_bytes(table: pd.DataFrame, caption: str, note: str) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        levels = [len(str(v)) - len(str(v).lstrip(_MARK)) for v in table.iloc[:, 0]]
        table = table.copy()
        table.iloc[:, 0] = [str(v).lstrip(_MARK) for v in table.iloc[:, 0]]
        table.to_excel(writer, sheet_name="table", index=False, startrow=1)
        sheet = writer.sheets["table"]
        from openpyxl.styles import Alignment

        for k, level in enumerate(levels):
            if level:
                sheet.cell(row=k + 3, column=1).alignment = Alignment(indent=2 * level)
        sheet.cell(row=1, column=1, value=caption)
        sheet.cell(row=len(table) + 3, column=1, value=note)
        sheet.column_dimensions["A"].width = max(12, min(70, int(table.iloc[:, 0].astype(str).str.len().max() + 2)))
        book = writer.book
        book.properties.created = book.properties.modified = DOCUMENT_STAMP
        book.properties.creator = "debulking-bsab-compendium"
    return reproducible_zip(buf.getvalue())


_INDENT = re.compile(r"^((?:    )+)")
_MARK = "\u2063"  # invisible separator: placeholder for one indentation level


def _mark_indent(table: pd.DataFrame) -> pd.DataFrame:
    """Leading 4-space groups of the first column become placeholders each format renders its way."""
    first = table.columns[0]
    out = table.copy()
    out[first] = [
        (_MARK * (len(m.group(1)) // 4) + v[m.end() :]) if (m := _INDENT.match(str(v))) else v for v in table[first]
    ]
    return out


def render(table: pd.DataFrame, fmt: str, caption: str = "", note: str = "") -> bytes:
    """One format's bytes (see the module docstring). Nested rows (a label starting with 4 spaces
    per level) are indented with ``&emsp;`` in Markdown and HTML, ``\\quad`` in LaTeX, the cell
    indent in XLSX, and kept as spaces in CSV."""
    if fmt in ("md", "html", "tex", "xlsx"):
        table = _mark_indent(table)
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "md":
        md = table.to_markdown(index=False).replace(_MARK, "&emsp;")
        parts = [f"**{caption}**\n" if caption else "", md, f"\n\n{note}" if note else ""]
        return ("\n".join(p for p in parts if p) + "\n").encode("utf-8")
    if fmt == "html":
        body = table.to_html(index=False, border=0, classes="table", escape=True).replace(_MARK, "&emsp;")
        cap = f"<p><strong>{html.escape(caption)}</strong></p>\n" if caption else ""
        foot = f"\n<p><small>{html.escape(note)}</small></p>" if note else ""
        return (cap + body + foot + "\n").encode("utf-8")
    if fmt == "tex":
        tex = table.to_latex(index=False, caption=caption or None, escape=True, longtable=False)
        tex = tex.replace(_MARK, "\\quad ")
        return (tex + (f"% {note}\n" if note else "")).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx_bytes(table, caption, note)
    raise ValueError(f"unknown format {fmt!r}; choose from {FORMATS}")


def export_table(
    table: pd.DataFrame, name: str, output_root: Path, caption: str = "", note: str = "", formats=FORMATS
) -> list[Path]:
    """Write ``results/<name>.<fmt>`` for each format (atomically); returns the paths."""
    folder = Path(output_root) / "results"
    return [write_bytes(folder / f"{name}.{fmt}", render(table, fmt, caption, note)) for fmt in formats]
