"""Applying a declared mapping to a raw export, cell by cell, counting every change.

The mapping's format and meaning are in :mod:`analysis.data.intake.mapping`; this module carries them
out (:func:`apply_mapping`) and says what it could not: an undeclared column or value becomes a
:class:`~analysis.data.intake.map_report.MapProblem` naming the raw file's rows, column and value
with the YAML line that would declare it; what it did is counted in a
:class:`~analysis.data.intake.map_report.MapReport`, per column (the import summary and the
output's provenance note). Numbers are converted with ``decimal.Decimal`` so that ``2,24`` g/dL is
written ``22.4`` g/L, never ``22.400000000000002``; derived columns are computed by
:mod:`analysis.data.intake.derivations`.

Two refusals protect the patients: a raw column that looks like a direct identifier
(:func:`analysis.data.intake.identifiers.identifier_reason`) may not be mapped under ``columns:``
(a birth date may be a ``derive:`` source); and a statistical file's own user-missing codes
(:class:`analysis.data.stat_files.UserMissing`) become empty cells only counted, each with its label.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re

import pandas as pd

from ..dictionary import BY_NAME, NAMES, Column
from ..stat_files import UserMissing
from ..validate import DATE_PATTERN, parse_cell
from .derivations import derive_column, plain_number, times
from .identifiers import BIRTH, identifier_reason
from .map_report import MapProblem, MapReport
from .mapping import ColumnMap, Mapping, allowed_codes


def _date(text: str, fmt: str) -> str | None:
    try:
        return _dt.datetime.strptime(text, fmt).date().isoformat()
    except ValueError:
        return None


_COMMA_NUMBER = re.compile(r"^[+-]?\d+,\d+$")


def _fix_hint(m: Mapping, cm: ColumnMap | None, raw: str, col: Column, value: str, rule: str) -> str:
    block = f"`columns:` → `{raw}:`" if cm is not None else f"`columns:` the block `{raw}: {{to: {col.name}, …}}` and"
    if rule in ("in_codes", "flag_is_0_or_1"):
        key = _yaml_key(value)
        empty = (
            f" (or `{key}: ''` if it means missing: {col.name} may be empty)"
            if col.nullable
            else f" ({col.name} may not be empty)"
        )
        return (
            f"not a code of {col.name} ({allowed_codes(col).replace('|', ', ')}) and no recode. If it is a typing "
            f"mistake, correct it in the source; if it is one of the centre's own codes, declare it: add to {m.name} "
            f"under {block} `recode:` the line `{key}: <{allowed_codes(col)}>`{empty}"
        )
    if rule == "is_iso_date":
        fmt = (cm.date_format if cm else None) or m.option("date_format")
        said = (
            f"is not a date written {fmt!r} (its declared date_format)"
            if fmt
            else "is not a YYYY-MM-DD date and no date_format is declared"
        )
        return (
            f"{said}; if it is a typing mistake, correct it in the source; else declare how this column's dates are "
            f"written in {m.name}: under {block} the line `date_format: '%d/%m/%Y'` (with this column's codes), or "
            f"`read: date_format:` for every date column"
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
    table: pd.DataFrame,
    m: Mapping,
    row_numbers: list[int],
    variable_labels: dict[str, str] | None = None,
    value_labels: dict[str, dict[str, str]] | None = None,
    user_missing: dict[str, UserMissing] | None = None,
) -> tuple[pd.DataFrame, MapReport, list[MapProblem]]:
    """Map a raw table (all text, header = raw names) to the dictionary's columns.

    ``row_numbers`` are the raw file's numbers of the rows (lines, rows of a sheet, or cases of a
    statistical file), used in the problems; ``variable_labels``, ``value_labels`` and
    ``user_missing`` (a statistical file's) are shown beside unmapped column names, beside
    user-missing codes, and turn those codes empty. Returns (table, report, problems): the table
    holds the dictionary columns that have a source, in dictionary order (all of them when there is
    no problem); a refused cell keeps its raw text and is listed in ``report.skip``, so that the
    table can still be validated for everything else (:mod:`analysis.data.intake.source_terms`).
    """
    report, problems = MapReport(), []
    raw_names = [str(c) for c in table.columns]
    sources = _sources(raw_names, m, report, problems, variable_labels or {})
    problems += _identifiers(table, m, sources, report)
    present = _derive_sources_present(raw_names, m, problems)
    problems += _unsourced(m, sources)
    report.constants = dict(m.constants)
    missing_of = _missing_of(m, user_missing or {}, value_labels or {})
    out: dict[str, list[str]] = {}
    for name in NAMES:
        if name in m.constants:
            out[name] = [m.constants[name]] * len(table)
        elif name in sources:
            raw, cm = sources[name]
            cells = table[raw]
            cells = cells.iloc[:, 0] if isinstance(cells, pd.DataFrame) else cells
            out[name] = _converted(
                name, raw, cm, cells, m, row_numbers, report, problems, user_missing or {}, value_labels or {}
            )
    for name, d in m.derive.items():  # after the mapped columns: an `at:` dictionary date is read converted
        if name in present:
            out[name], derived_problems = derive_column(d, table, m, out, row_numbers, report, missing_of)
            problems += derived_problems
    columns = [n for n in NAMES if n in out]
    return pd.DataFrame({n: out[n] for n in columns}, columns=columns, dtype=object), report, problems


def _sources(
    raw_names: list[str], m: Mapping, report: MapReport, problems: list[MapProblem], variable_labels: dict[str, str]
) -> dict[str, tuple[str, ColumnMap | None]]:
    """Each dictionary column's raw source (renamed by the mapping, or by its own name), and why not.

    A raw column read by a ``derive:`` entry is accounted for without being a source: it never
    reaches the output.
    """
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
    derive_raw = {c for d in m.derive.values() for c in d.raw_columns}
    sources: dict[str, tuple[str, ColumnMap | None]] = {}
    for raw in dict.fromkeys(raw_names):
        if raw in m.drop:
            report.dropped.append(raw)
        elif raw in m.columns:
            sources[m.columns[raw].to] = (raw, m.columns[raw])
            report.renamed[raw] = m.columns[raw].to
        elif raw in derive_raw:
            continue
        elif raw in BY_NAME and raw not in m.constants:
            clash = (
                f"the target of raw column {sources[raw][0]!r}"
                if raw in sources
                else ("derived (`derive:`)" if raw in m.derive else "")
            )
            if clash:
                problems.append(
                    MapProblem((), raw, "", f"dictionary column {raw!r} is both in the file and {clash}; drop one")
                )
                continue
            sources[raw] = (raw, None)
            report.identity.append(raw)
        else:
            problems.append(MapProblem((), raw, "", _unaccounted(raw, m, variable_labels.get(raw))))
    return sources


def _unaccounted(raw: str, m: Mapping, label: str | None) -> str:
    """The message for a raw column neither mapped nor dropped (only `drop:` for one that looks like an identifier)."""
    said = f" ({label})" if label else ""
    reason = identifier_reason(raw, ())
    if reason:
        return (
            f"raw column {raw!r}{said} is neither mapped nor dropped, and looks like {reason}: identifiers never "
            f"reach the converted table; add {_yaml_key(raw)} to `drop:` in {m.name}"
        )
    close = difflib.get_close_matches(raw, NAMES, n=1)
    hint = f" (perhaps `{_yaml_key(raw)}: {close[0]}`)" if close else ""
    return (
        f"raw column {raw!r}{said} is neither mapped nor dropped: add to {m.name} under `columns:` the line "
        f"`{_yaml_key(raw)}: <dictionary column>`{hint}, or add {_yaml_key(raw)} to `drop:`"
    )


def _identifiers(
    table: pd.DataFrame, m: Mapping, sources: dict[str, tuple[str, ColumnMap | None]], report: MapReport
) -> list[MapProblem]:
    """A problem for each raw column mapped to the output that looks like a direct identifier.

    Its cells are then not validated (``report.skip``): the column itself is the problem.
    """
    problems = []
    for target, (raw, _) in sources.items():
        cells = table[raw]
        cells = cells.iloc[:, 0] if isinstance(cells, pd.DataFrame) else cells
        reason = identifier_reason(raw, cells.tolist())
        if reason is None:
            continue
        message = (
            f"raw column {raw!r} looks like {reason}: identifiers never reach the converted table; drop it (`drop:`)"
        )
        if target == "patient_id":
            message += " and use a study pseudonym for patient_id"
        elif reason == BIRTH:
            message += (
                f"; for the age, read it only under `derive:`: `age_years: {{rule: age_in_years, from: "
                f"{_yaml_key(raw)}, at: bsab_start_date}}`"
            )
        problems.append(MapProblem((), raw, "", f"{message} (in {m.name})", target=target))
        report.skip.update((k, target) for k in range(len(table)))
    return problems


def _derive_sources_present(raw_names: list[str], m: Mapping, problems: list[MapProblem]) -> set[str]:
    """The ``derive:`` targets whose raw columns are all in the file; a problem for each one missing."""
    present = set()
    for name, d in m.derive.items():
        absent = [c for c in d.raw_columns if c not in raw_names]
        for c in absent:
            close = difflib.get_close_matches(c, raw_names, n=1)
            hint = f" (perhaps {close[0]!r})" if close else ""
            problems.append(
                MapProblem(
                    (),
                    c,
                    "",
                    f"`derive: {name}` reads raw column {c!r}, which is not in the file{hint}: correct the name "
                    f"under `from:`/`at:` in {m.name}",
                )
            )
        if not absent:
            present.add(name)
    return present


def _unsourced(m: Mapping, sources: dict) -> list[MapProblem]:
    """A problem for each dictionary column that neither a raw column, a constant nor a derivation provides."""
    problems = []
    for name in NAMES:
        if name not in sources and name not in m.constants and name not in m.derive:
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
                    target=name,
                )
            )
    return problems


def _missing_of(m: Mapping, user_missing: dict[str, UserMissing], value_labels: dict[str, dict[str, str]]):
    """(raw column, text) -> why the text is declared missing, or None (for ``derive:`` sources)."""

    def missing_of(raw: str, text: str) -> str | None:
        um = user_missing.get(raw)
        if um is not None and um.matches(text):
            label = value_labels.get(raw, {}).get(text)
            return f"{text!r}" + (f" ({label})" if label else "") + f" {um.source}"
        cm = m.columns.get(raw)
        if text in m.option("missing", ()) or (cm is not None and text in cm.missing):
            return f"{text!r} declared missing"
        return None

    return missing_of


def _converted(
    name: str,
    raw: str,
    cm: ColumnMap | None,
    cells: pd.Series,
    m: Mapping,
    row_numbers: list[int],
    report: MapReport,
    problems: list[MapProblem],
    user_missing: dict[str, UserMissing],
    value_labels: dict[str, dict[str, str]],
) -> list[str]:
    """One raw column's cells in the dictionary's notation: missing codes, recodes, dates, decimals, units.

    Every conversion is counted in ``report``; each cell the column's rule still refuses is a
    problem (one per distinct value, with all its rows), its cell kept as it is and listed in
    ``report.skip``.
    """
    col = BY_NAME[name]
    declared = user_missing.get(raw)
    labels = value_labels.get(raw, {})
    read_missing, own_missing = set(m.option("missing", ())), set(cm.missing if cm else ())
    decimal, thousands = m.option("decimal", "."), m.option("thousands", "") or ""
    recode = cm.recode if cm else {}
    fmt = (cm.date_format if cm else None) or m.option("date_format")
    factor = cm.unit[1] if cm and cm.unit else None
    bad: dict[tuple[str, str], list[int]] = {}
    values = []
    for k, text in enumerate(cells.tolist()):
        if declared is not None and declared.matches(text):
            report.count_missing(name, text, declared.source, labels.get(text, ""))
            values.append("")
            continue
        if text != "" and (text in own_missing or text in read_missing):
            where = f"columns: {raw}: missing" if text in own_missing else "read: missing"
            report.count_missing(name, text, f"mapping ({where})")
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
            text, changed = plain_number(text, decimal, thousands)
            if changed:
                report.decimals[name] = report.decimals.get(name, 0) + 1
            if factor is not None:
                converted = times(text, factor)
                if converted is not None:
                    u = report.units.setdefault(
                        name, {"from": cm.unit[0], "to": col.unit, "factor": str(factor), "cells": 0}
                    )
                    u["cells"] += 1
                    text = converted
        if text != "" and _unmapped(col, text):
            original = cells.iloc[k]
            bad.setdefault((original, parse_cell(col, text)[1]), []).append(row_numbers[k])
            report.skip.add((k, name))
        values.append(text)
    for (original, rule), rows in bad.items():
        problems.append(MapProblem(tuple(rows), raw, original, _fix_hint(m, cm, raw, col, original, rule), target=name))
    return values
