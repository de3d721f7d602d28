"""Applying a declared mapping to a raw export, cell by cell, counting every change.

The mapping's format and meaning are in :mod:`analysis.data.intake.mapping`; this module carries them
out (:func:`apply_mapping`) and says what it could not: an undeclared column or value becomes a
:class:`MapProblem` naming the raw file's rows, column and value with the YAML line that would
declare it; what it did is counted in a :class:`MapReport`, per column (the import summary and the
output's provenance note). Numbers are converted with ``decimal.Decimal`` so that ``2,24`` g/dL is
written ``22.4`` g/L, never ``22.400000000000002``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd

from ..dictionary import BY_NAME, NAMES, Column
from ..validate import DATE_PATTERN, parse_cell
from .mapping import ColumnMap, Mapping, allowed_codes


@dataclass(frozen=True)
class MapProblem:
    """An undeclared column or value of the raw file, with the YAML line that would declare it."""

    rows: tuple[int, ...]  # row numbers in the raw file's own numbering (see ``row_word``)
    column: str  # raw column ("" for a missing dictionary column)
    value: str
    message: str

    def to_text(self, row_word: str = "line") -> str:
        if not self.rows:
            return self.message
        shown = ", ".join(str(r) for r in self.rows[:5]) + (
            f" (+{len(self.rows) - 5} more)" if len(self.rows) > 5 else ""
        )
        word = row_word + ("s" if len(self.rows) > 1 else "")
        return f"{word} {shown}, column {self.column!r} = {self.value!r}: {self.message}"


@dataclass
class MapReport:
    """What applying a mapping did, counted per column (the summary and the provenance note)."""

    renamed: dict[str, str] = field(default_factory=dict)
    identity: list[str] = field(default_factory=list)
    constants: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    recodes: dict[str, dict[str, int]] = field(default_factory=dict)
    missing: dict[str, dict[str, int]] = field(default_factory=dict)
    dates: dict[str, dict] = field(default_factory=dict)
    units: dict[str, dict] = field(default_factory=dict)
    decimals: dict[str, int] = field(default_factory=dict)
    dropped_rows: int = 0
    dropped_columns: int = 0

    def summary_lines(self) -> list[str]:
        out = []
        for target, counts in self.recodes.items():
            items = ", ".join(f"{k} {n}" for k, n in counts.items())
            out.append(f"recoded {target}: {items}")
        for target, counts in self.missing.items():
            out.append(f"empty (declared missing) {target}: " + ", ".join(f"{k!r} {n}" for k, n in counts.items()))
        for target, d in self.dates.items():
            out.append(f"dates {target}: {d['cells']} cell(s) read as {d['format']}")
        for target, d in self.units.items():
            out.append(f"unit {target}: {d['cells']} cell(s) {d['from']} → {d['to']} (× {d['factor']})")
        for target, n in self.decimals.items():
            out.append(f"decimal comma {target}: {n} cell(s)")
        if self.constants:
            out.append("constant: " + ", ".join(f"{k} = {v!r}" for k, v in self.constants.items()))
        if self.dropped:
            out.append("dropped column(s): " + ", ".join(self.dropped))
        if self.dropped_rows or self.dropped_columns:
            out.append(
                f"dropped {self.dropped_rows} empty row(s), {self.dropped_columns} empty column(s) "
                f"(read: drop_empty_rows/drop_empty_columns)"
            )
        return out


def _number(text: str, decimal: str, thousands: str) -> tuple[str, bool]:
    changed = False
    if thousands and thousands in text:
        text, changed = text.replace(thousands, ""), True
    if decimal == "," and "," in text and "." not in text:
        text, changed = text.replace(",", "."), True
    return text, changed


def _convert(text: str, factor: Decimal) -> str | None:
    try:
        value = Decimal(text) * factor
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    out = format(value.normalize(), "f")
    return "0" if out in ("-0", "") else out


def _date(text: str, fmt: str) -> str | None:
    try:
        return _dt.datetime.strptime(text, fmt).date().isoformat()
    except ValueError:
        return None


_COMMA_NUMBER = re.compile(r"^[+-]?\d+,\d+$")


def _fix_hint(m: Mapping, cm: ColumnMap | None, raw: str, col: Column, value: str, rule: str) -> str:
    block = f"`columns:` → `{raw}:`" if cm is not None else f"`columns:` the block `{raw}: {{to: {col.name}, …}}` and"
    if rule in ("in_codes", "flag_is_0_or_1"):
        return (
            f"not a code of {col.name} ({allowed_codes(col).replace('|', ', ')}) and no recode; add to {m.name} under "
            f"{block} `recode:` the line `{_yaml_key(value)}: <{allowed_codes(col)}>` (or `{_yaml_key(value)}: ''` "
            f"if it means missing)"
        )
    if rule == "is_iso_date":
        fmt = (cm.date_format if cm else None) or m.option("date_format")
        said = (
            f"does not match date_format {fmt!r}" if fmt else "is not a YYYY-MM-DD date and no date_format is declared"
        )
        return (
            f"{said}; declare its format in {m.name}: under {block} the line `date_format: '%d/%m/%Y'` (the "
            f"codes of this column's dates), or `read: date_format:` for every date column"
        )
    if _COMMA_NUMBER.match(value) and m.option("decimal", ".") != ",":
        return f"a decimal comma; set `decimal: ','` under `read:` in {m.name}"
    return (
        f"not a number for {col.name}; if it means missing, add it to {m.name} under {block} `missing:` (or "
        f"`read: missing:` for every column), else correct it in the source"
    )


def _unmapped(col: Column, text: str) -> bool:
    """Whether a converted cell is one the mapping does not account for (not a data error to validate).

    Unmapped: a category or flag value that is not a code; a date not written YYYY-MM-DD; text that is
    not a number at all in a numeric column. Out-of-range numbers, impossible ISO dates or a
    fractional integer are data, reported by the validation of the output.
    """
    _, rule, _ = parse_cell(col, text)
    if rule in ("in_codes", "flag_is_0_or_1"):
        return True
    if rule == "is_iso_date":
        return not DATE_PATTERN.match(text)
    if rule in ("is_number", "is_integer"):
        try:
            float(text)
        except ValueError:
            return True
    return False


def _yaml_key(value: str) -> str:
    return repr(value) if (value == "" or not re.match(r"^[\w.+-][\w .+/-]*$", value)) else value


def apply_mapping(
    table: pd.DataFrame, m: Mapping, row_numbers: list[int], variable_labels: dict[str, str] | None = None
) -> tuple[pd.DataFrame, MapReport, list[MapProblem]]:
    """Map a raw table (all text, header = raw names) to the dictionary's columns.

    ``row_numbers`` are the raw file's numbers of the rows (lines, or cases of a statistical file),
    used in the problems; ``variable_labels`` (a statistical file's) are shown beside unmapped
    column names. Returns (table in dictionary order, report, problems); with problems the
    table is not to be used.
    """
    report, problems = MapReport(), []
    sources = _sources([str(c) for c in table.columns], m, report, problems, variable_labels or {})
    problems += _unsourced(m, sources)
    report.constants = dict(m.constants)
    out: dict[str, list[str]] = {}
    for name in NAMES:
        if name in m.constants:
            out[name] = [m.constants[name]] * len(table)
        elif name in sources:
            raw, cm = sources[name]
            cells = table[raw]
            cells = cells.iloc[:, 0] if isinstance(cells, pd.DataFrame) else cells
            out[name] = _converted(name, raw, cm, cells, m, row_numbers, report, problems)
    if problems:
        return pd.DataFrame(), report, problems
    return pd.DataFrame(out, columns=list(NAMES), dtype=object), report, problems


def _sources(
    raw_names: list[str], m: Mapping, report: MapReport, problems: list[MapProblem], variable_labels: dict[str, str]
) -> dict[str, tuple[str, ColumnMap | None]]:
    """Each dictionary column's raw source (renamed by the mapping, or by its own name), and why not."""
    for name in sorted({c for c in raw_names if raw_names.count(c) > 1}):
        problems.append(
            MapProblem(
                (),
                name,
                "",
                f"column {name!r} appears more than once in the raw file; rename "
                f"one copy in the source, or drop it there",
            )
        )
    sources: dict[str, tuple[str, ColumnMap | None]] = {}
    for raw in dict.fromkeys(raw_names):
        if raw in m.drop:
            report.dropped.append(raw)
        elif raw in m.columns:
            sources[m.columns[raw].to] = (raw, m.columns[raw])
            report.renamed[raw] = m.columns[raw].to
        elif raw in BY_NAME and raw not in m.constants:
            if raw in sources:
                problems.append(
                    MapProblem(
                        (),
                        raw,
                        "",
                        f"dictionary column {raw!r} is both in the file and the "
                        f"target of raw column {sources[raw][0]!r}; drop one",
                    )
                )
                continue
            sources[raw] = (raw, None)
            report.identity.append(raw)
        else:
            close = difflib.get_close_matches(raw, NAMES, n=1)
            hint = f" (perhaps `{_yaml_key(raw)}: {close[0]}`)" if close else ""
            label = variable_labels.get(raw)
            said = f" ({label})" if label else ""
            problems.append(
                MapProblem(
                    (),
                    raw,
                    "",
                    (
                        f"raw column {raw!r}{said} is neither mapped nor dropped: add to {m.name} under `columns:` the line "
                        f"`{_yaml_key(raw)}: <dictionary column>`{hint}, or add {_yaml_key(raw)} to `drop:`"
                    ),
                )
            )
    return sources


def _unsourced(m: Mapping, sources: dict) -> list[MapProblem]:
    """A problem for each dictionary column that neither a raw column nor a constant provides."""
    problems = []
    for name in NAMES:
        if name not in sources and name not in m.constants:
            col = BY_NAME[name]
            empty = (
                f" (or `{name}: ''` under `constants:` if it is unknown for every patient: {col.empty_means})"
                if col.nullable
                else ""
            )
            problems.append(
                MapProblem(
                    (),
                    "",
                    "",
                    (
                        f"dictionary column {name!r} has no source in {m.name}: map the raw column that holds it under "
                        f"`columns:`{empty}"
                    ),
                )
            )
    return problems


def _converted(
    name: str,
    raw: str,
    cm: ColumnMap | None,
    cells: pd.Series,
    m: Mapping,
    row_numbers: list[int],
    report: MapReport,
    problems: list[MapProblem],
) -> list[str]:
    """One raw column's cells in the dictionary's notation: missing codes, recodes, dates, decimals, units.

    Every conversion is counted in ``report``; each cell the column's rule still refuses is a
    problem (one per distinct value, with all its rows).
    """
    col = BY_NAME[name]
    missing = set(m.option("missing", ())) | set(cm.missing if cm else ())
    decimal, thousands = m.option("decimal", "."), m.option("thousands", "") or ""
    recode = cm.recode if cm else {}
    fmt = (cm.date_format if cm else None) or m.option("date_format")
    factor = cm.unit[1] if cm and cm.unit else None
    bad: dict[tuple[str, str], list[int]] = {}
    values = []
    for k, text in enumerate(cells.tolist()):
        if text in missing and text != "":
            report.missing.setdefault(name, {}).setdefault(text, 0)
            report.missing[name][text] += 1
            values.append("")
            continue
        if text in recode:
            new = recode[text]
            key = f"{text} → {new if new != '' else 'empty'}"
            report.recodes.setdefault(name, {}).setdefault(key, 0)
            report.recodes[name][key] += 1
            text = new
        elif text != "" and col.kind == "date" and fmt and not DATE_PATTERN.match(text):
            iso = _date(text, fmt)
            if iso is not None:
                d = report.dates.setdefault(name, {"format": fmt, "cells": 0})
                d["cells"] += 1
                text = iso
        elif text != "" and col.kind in ("number", "integer"):
            text, changed = _number(text, decimal, thousands)
            if changed:
                report.decimals[name] = report.decimals.get(name, 0) + 1
            if factor is not None:
                converted = _convert(text, factor)
                if converted is not None:
                    u = report.units.setdefault(
                        name, {"from": cm.unit[0], "to": col.unit, "factor": str(factor), "cells": 0}
                    )
                    u["cells"] += 1
                    text = converted
        if text != "" and _unmapped(col, text):
            original = cells.iloc[k]
            bad.setdefault((original, parse_cell(col, text)[1]), []).append(row_numbers[k])
        values.append(text)
    for (original, rule), rows in bad.items():
        problems.append(MapProblem(tuple(rows), raw, original, _fix_hint(m, cm, raw, col, original, rule)))
    return values
