"""``python -m analysis import RAW --draft-mapping``: a starting mapping for a person to edit.

The draft is read from the raw file itself: the ``read:`` settings it appears to need (encoding,
separator, decimal comma, day-first dates — proposed, and written down for a person to confirm,
never applied silently), then one entry per raw column with its distinct values and, for columns
with few distinct values, a ``recode:`` skeleton. Every choice the file cannot make is the
placeholder ``TODO``, which the mapping check refuses (:func:`analysis.data.intake.mapping.parse_mapping`),
so a draft cannot be used before someone has decided. A raw column named as a dictionary column is
listed as used as it is (with a recode skeleton for values that are not its codes). A statistical
file's value labels are shown beside its codes.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pandas as pd

from ..cell_conventions import DECIMAL_COMMA, DMY, header_delimiter
from ..dictionary import BY_NAME, NAMES
from ..readers import STAT_SUFFIXES, bom_encoding, read_stat, read_xlsx, to_table
from ..validate import parse_cell
from .mapping import PLACEHOLDER

#: A column with at most this many distinct values gets a recode skeleton.
MAX_RECODE = 12


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _sniff_csv(data: bytes) -> tuple[dict[str, str], list[str], str]:
    settings, notes = {}, []
    bom = bom_encoding(data)
    if bom in ("utf-16", "utf-32"):
        text = data.decode(bom)
        settings["encoding"] = bom
        notes.append(f"{bom.upper()} byte-order mark")
    else:
        try:
            text = data.decode("utf-8-sig")
            settings["encoding"] = "utf-8"
            if bom:
                notes.append("UTF-8 with a byte-order mark")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            settings["encoding"] = "cp1252"
            notes.append("not UTF-8; Windows-1252 assumed — check the accents")
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = header_delimiter(header)
    settings["delimiter"] = "\\t" if delimiter == "\t" else delimiter
    return settings, notes, text


def _values(cells: pd.Series) -> list[tuple[str, int]]:
    counts = cells[cells != ""].value_counts(sort=False)
    return sorted(((str(v), int(n)) for v, n in counts.items()), key=lambda vn: (-vn[1], vn[0]))


def draft(path: str | Path) -> str:
    """The draft mapping of the raw export at ``path``, as YAML text with comments."""
    path = Path(path)
    table, read, notes, labels, var_labels = _load(path)
    columns = [str(c) for c in table.columns]
    cells = {
        c: (table[c].iloc[:, 0] if isinstance(table[c], pd.DataFrame) else table[c]) for c in dict.fromkeys(columns)
    }
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        read.update(_cell_settings(cells))
    lines = [
        f"# Draft mapping for {path.name} (python -m analysis import {path.name} --draft-mapping).",
        f"# Replace every {PLACEHOLDER}, check every setting, then:",
        f"#   python -m analysis import {path.name} --mapping THIS.yaml --out data/private/NAME.csv",
        *(f"# Seen: {n}" for n in notes),
        "compendium_mapping: 1",
        f"description: {_q('')}",
        "read:",
    ]
    lines += [f"  {k}: {_q(v)}" for k, v in read.items()] or ["  {}"]
    if not read:
        lines[-1] = "read: {}"
    present = [n for n in NAMES if n in columns]
    lines += [
        "constants:",
        "  # a dictionary column absent from the file, the same for every row, e.g.:",
        '  # center_id: "C15"' if "center_id" not in present else "  # (none needed?)",
        "drop: []",
        "columns:",
    ]
    for raw in dict.fromkeys(columns):
        lines += _column_lines(raw, cells[raw], labels.get(raw, {}), var_labels.get(raw))
    missing = [n for n in NAMES if n not in columns]
    if missing:
        lines.append("# Dictionary columns not (yet) mapped: " + ", ".join(missing))
    return "\n".join(lines) + "\n"


def _load(path: Path) -> tuple[pd.DataFrame, dict[str, str], list[str], dict, dict[str, str]]:
    """The export as a text table, with the ``read:`` settings, notes, value and variable labels seen."""
    from ..diagnose import Expect, diagnose_csv

    suffix = path.suffix.lower()
    read: dict[str, str] = {}
    notes: list[str] = []
    if suffix in (".csv", ".txt", ".tsv"):
        data = path.read_bytes()
        read, notes, _ = _sniff_csv(data)
        delim = "\t" if read["delimiter"] == "\\t" else read["delimiter"]
        grid, _ = diagnose_csv(
            path, data, Expect(delimiter=delim, encoding=read["encoding"], mapping="MAP.yaml"), check_cells=False
        )
        return (to_table(grid) if grid is not None else pd.DataFrame()), read, notes, {}, {}
    if suffix == ".xlsx":
        sheet = read_xlsx(path)
        read["sheet"] = sheet.name
        if len(sheet.sheets) > 1:
            notes.append("sheets: " + ", ".join(sheet.sheets))
        return to_table(sheet.grid), read, notes, {}, {}
    if suffix in STAT_SUFFIXES:
        stat = read_stat(path)
        notes.append(f"{stat.kind} file: stored codes are read (value labels shown as comments)")
        return to_table(stat.grid), read, notes, stat.value_labels, stat.variable_labels
    raise ValueError(f"{path}: cannot draft a mapping for {suffix!r} files")


def _cell_settings(cells: dict[str, pd.Series]) -> dict[str, str]:
    """``decimal`` and ``date_format`` read settings from a CSV's cells (decimal commas, DMY dates)."""
    read = {}
    if any(DECIMAL_COMMA.match(v) for c in cells.values() for v in c.unique()):
        read["decimal"] = ","
    dmy = [v for c in cells.values() for v in c.unique() if DMY.match(v)]
    if dmy:
        day_first = any(int(DMY.match(v).group(1)) > 12 for v in dmy)
        sep = DMY.match(dmy[0]).group(2)
        read["date_format"] = (
            "%d{0}%m{0}%Y" if day_first or not any(int(DMY.match(v).group(3)) > 12 for v in dmy) else "%m{0}%d{0}%Y"
        ).format(sep)
    return read


def _column_lines(raw: str, cells: pd.Series, codes: dict[str, str], var_label: str | None) -> list[str]:
    """The draft's lines for one raw column: what it holds (as a comment), then its entry."""
    values = _values(cells)
    shown = ", ".join(f"{_q(v)} ({n})" for v, n in values[:6]) + (" …" if len(values) > 6 else "")
    label = f" — {var_label}" if var_label else ""
    lines = [f"  # {_q(raw)}{label}: {len(values)} distinct value(s): {shown or 'all empty'}"]
    if codes:
        lines.append("  #   value labels: " + ", ".join(f"{k} = {v}" for k, v in codes.items()))
    if raw in BY_NAME:
        col = BY_NAME[raw]
        invalid = [v for v, _ in values if parse_cell(col, v)[1] in ("in_codes", "flag_is_0_or_1")]
        if invalid and len(invalid) <= MAX_RECODE:
            recode = ", ".join(f"{_q(v)}: {PLACEHOLDER}" for v in invalid)
            return [*lines, f"  {_q(raw)}: {{to: {raw}, recode: {{{recode}}}}}"]
        return [*lines, f"  # {_q(raw)} is a dictionary column: used as it is"]
    close = difflib.get_close_matches(raw.lower(), NAMES, n=3, cutoff=0.5)
    hint = f"   # closest dictionary names: {', '.join(close)}" if close else "   # dictionary column, or drop"
    textual = [v for v, _ in values if not _number_like(v)]
    if values and len(values) <= MAX_RECODE and textual or (codes and len(values) <= MAX_RECODE):
        recode = ", ".join(f"{_q(v)}: {PLACEHOLDER}" for v, _ in values)
        return [*lines, f"  {_q(raw)}: {{to: {PLACEHOLDER}, recode: {{{recode}}}}}{hint}"]
    return [*lines, f"  {_q(raw)}: {PLACEHOLDER}{hint}"]


def _number_like(text: str) -> bool:
    try:
        float(text.replace(",", "."))
        return True
    except ValueError:
        return False


__all__ = ["MAX_RECODE", "draft"]
