"""Derived columns of a mapping (``derive:``): their format, their arithmetic, and applying them row by row.

A centre's export often holds what the dictionary needs in another form: a birth date where the
dictionary wants the age at the first bispecific dose, a maximal cytopenia grade where it wants the
flag "grade 3 or more", a peak in g/dL to scale. A ``derive:`` entry of the mapping
(:mod:`analysis.data.intake.mapping`) declares the computation; nothing is derived unless declared.
The rules, for a row whose sources are all present:

* ``age_in_years`` — completed years from the birth date ``from`` to the date ``at``::

      at.year − birth.year − ((at.month, at.day) < (birth.month, birth.day))

  so the age goes up on the birthday itself, and a 29 February birth has its birthday on 1 March in a
  non-leap year (28 February is still the day before). Written as a whole number.
* ``days_between`` — ``second − first`` in days (negative if the second date is earlier).
* ``months_between`` — days / :data:`~analysis.data.derive.DAYS_PER_MONTH` (365.25 / 12 = 30.4375
  days, the analysis's one month). Written as the shortest decimal that reads back as exactly that
  floating-point quotient (Python's ``repr``: 365 days → ``11.991786447638603``), so the cell and a
  time computed by :mod:`analysis.data.derive` from the same days agree to the last bit; a whole
  number is written without a decimal point. An integer column takes only whole numbers: any other
  result is a problem, never rounded.
* ``at_least`` — ``1`` when the number is at least ``value``, ``0`` when below (a grade 3 cytopenia
  for ``value: 3`` gives 1, grade 2 gives 0).
* ``times`` — the number × ``factor`` in exact decimal arithmetic (``decimal.Decimal``, as the unit
  conversions of :mod:`analysis.data.intake.remap`): ``2,24`` g/dL × 10 is ``22.4``, never
  ``22.400000000000002``. An integer column refuses a fractional product.

An empty source (or one declared missing: ``read: missing``, the column's own ``missing:``, a
statistical file's user-missing codes) leaves the derived cell empty, counted with its reason; the
validation of the converted table then says whether the column may be empty. A source that is not a
date (or number) is a :class:`~analysis.data.intake.map_report.MapProblem` naming the raw file's
rows, column and value. Dates are read as ISO ``YYYY-MM-DD`` always, else with the source column's
``date_format`` (when it is also under ``columns:``) or ``read: date_format``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

import pandas as pd

from ..derive import DAYS_PER_MONTH
from ..dictionary import BY_NAME, NAMES
from ..validate import DATE_PATTERN
from .map_report import MapProblem, MapReport


class Mapping(Protocol):
    """What the derivations read of a parsed mapping (:class:`analysis.data.intake.mapping.Mapping`, which
    imports this module to parse ``derive:``; named here by its shape so that the import runs one way)."""

    name: str
    columns: dict

    def option(self, key: str, default=None): ...


DERIVE_KEYS = {"rule", "from", "at", "value", "factor"}
#: derive rule -> (number of dates or numbers it reads, the kinds of column it can fill, its extra setting).
#: ``months_between``/``days_between`` read two dates: ``from: [A, B]``, or ``from: A`` with ``at: B``.
DERIVE_RULES: dict[str, tuple[int, tuple[str, ...], str | None]] = {
    "age_in_years": (2, ("integer", "number"), None),
    "days_between": (2, ("integer", "number"), None),
    "months_between": (2, ("number", "integer"), None),
    "at_least": (1, ("flag",), "value"),
    "times": (1, ("number", "integer"), "factor"),
}


# ----------------------------------------------------------------------------- the arithmetic
def age_in_years(birth: _dt.date, at: _dt.date) -> int:
    """Completed years from ``birth`` to ``at`` (the age goes up on the birthday; 29 February → 1 March)."""
    return at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))


def days_between(first: _dt.date, second: _dt.date) -> int:
    """``second − first`` in days."""
    return (second - first).days


def months_text(days: int) -> str:
    """``days`` / DAYS_PER_MONTH as the shortest decimal that reads back as that float (see the module docstring)."""
    months = days / DAYS_PER_MONTH
    return str(int(months)) if months.is_integer() else repr(months)


def plain_number(text: str, decimal: str, thousands: str) -> tuple[str, bool]:
    """A number cell with its thousands separator removed and a decimal comma made ``.``; (text, changed)."""
    changed = False
    if thousands and thousands in text:
        text, changed = text.replace(thousands, ""), True
    if decimal == "," and "," in text and "." not in text:
        text, changed = text.replace(",", "."), True
    return text, changed


def times(text: str, factor: Decimal) -> str | None:
    """``text`` × ``factor`` in exact decimals, written plainly (``22.4``, ``0``); ``None`` if not a number."""
    try:
        value = Decimal(text) * factor
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    out = format(value.normalize(), "f")
    return "0" if out in ("-0", "") else out


def at_least(text: str, threshold: Decimal) -> str | None:
    """``"1"`` if the number ``text`` is at least ``threshold``, ``"0"`` if below; ``None`` if not a number."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return "1" if value >= threshold else "0"


def read_date(text: str, fmt: str | None) -> _dt.date | None:
    """A date cell: ISO ``YYYY-MM-DD`` always, else ``fmt`` (strptime); ``None`` if neither reads it."""
    try:
        if DATE_PATTERN.match(text):
            return _dt.date.fromisoformat(text)
        return _dt.datetime.strptime(text, fmt).date() if fmt else None
    except ValueError:
        return None


# ----------------------------------------------------------------------------- the format
def _text(value) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Derivation:
    """One ``derive:`` entry: ``target`` computed by ``rule`` from raw columns ``sources`` (and ``at``)."""

    target: str
    rule: str
    sources: tuple[str, ...]
    at: str | None = None  # a dictionary date column (its converted value), or a raw column
    number: Decimal | None = None  # at_least's ``value``, times's ``factor``

    @property
    def raw_columns(self) -> tuple[str, ...]:
        """The raw columns read: the sources, and ``at`` unless it names a dictionary column."""
        return self.sources + ((self.at,) if self.at and self.at not in BY_NAME else ())

    @property
    def dates(self) -> tuple[str, ...]:
        """The names of the two dates a date rule reads, first to second (sources, then ``at``)."""
        return self.sources + ((self.at,) if self.at else ())


def parse_derivation(target: str, entry, constants: dict, targets: dict[str, str], errors: list[str]):
    """One ``derive:`` entry as a :class:`Derivation`, or ``None``; its mistakes appended to ``errors``.

    ``targets`` (dictionary column -> raw column) holds the ``columns:`` entries already parsed: a
    column is derived or mapped, not both; nor derived and constant.
    """
    where = f"derive: {target}"
    if not isinstance(entry, dict):
        errors.append(f"{where}: write {{rule: RULE, from: RAW COLUMN, …}} (rules: {', '.join(DERIVE_RULES)})")
        return None
    for key in sorted(set(entry) - DERIVE_KEYS):
        errors.append(f"{where}: unknown setting {key!r} (settings: {', '.join(sorted(DERIVE_KEYS))})")
    if target not in BY_NAME:
        close = difflib.get_close_matches(target, NAMES, n=3)
        errors.append(
            f"{where}: {target!r} is not a dictionary column"
            + (f" (did you mean {', '.join(close)}?)" if close else "")
        )
        return None
    if target in targets:
        errors.append(
            f"{where}: {target!r} is also mapped from raw column {targets[target]!r} under `columns:`; a column is "
            f"either derived or mapped: remove one"
        )
    if target in constants:
        errors.append(f"{where}: {target!r} is also given under `constants:`; a column is either derived or constant")
    rule = _text(entry.get("rule"))
    if rule not in DERIVE_RULES:
        errors.append(f"{where}: unknown rule {rule!r} (rules: {', '.join(DERIVE_RULES)})")
        return None
    n_read, kinds, extra = DERIVE_RULES[rule]
    kind = BY_NAME[target].kind
    if kind not in kinds:
        article = "an" if kind[0] in "aeiou" else "a"
        errors.append(
            f"{where}: rule {rule} gives {' or '.join(kinds)} values, but {target} is {article} {kind} column"
        )
    raw = entry.get("from")
    sources = tuple(_text(v) for v in raw) if isinstance(raw, list) else ((_text(raw),) if raw is not None else ())
    at = _text(entry.get("at")) or None
    if rule == "age_in_years" and at is None:
        errors.append(
            f"{where}: age_in_years needs `at:`, the date the age is taken at (a dictionary date column such as "
            f"bsab_start_date, or a raw column)"
        )
        return None
    if len(sources) + (at is not None) != n_read or "" in sources:
        said = {
            "age_in_years": "the raw birth-date column under `from:` and the date under `at:`",
            "at_least": "one raw column under `from:` (no `at:`)",
            "times": "one raw column under `from:` (no `at:`)",
        }.get(rule, "two dates: `from: [FIRST, SECOND]` (raw columns), or `from: FIRST` and `at: SECOND`")
        errors.append(f"{where}: rule {rule} reads {said}")
        return None
    if at in BY_NAME and BY_NAME[at].kind != "date":
        errors.append(f"{where}: at: {at!r} is a dictionary {BY_NAME[at].kind} column, not a date")
    number = None
    if extra is not None:
        try:
            number = Decimal(_text(entry.get(extra)))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(f"{where}: rule {rule} needs `{extra}:` a number, not {entry.get(extra)!r}")
    elif any(entry.get(k) is not None for k in ("value", "factor")):
        errors.append(f"{where}: rule {rule} takes no `value:` or `factor:`")
    return Derivation(target, rule, sources, at, number)


# ----------------------------------------------------------------------------- applying one entry
#: (raw column, cell text) -> why it is declared missing (e.g. "'9' (Non fait) SPSS user-missing"), or None.
MissingOf = Callable[[str, str], str | None]


@dataclass
class _Cells:
    """The inputs of one derivation, row by row: raw cells, or an ``at`` dictionary column's converted cells."""

    name: str
    texts: list[str]
    raw: bool


def derive_column(
    d: Derivation,
    table: pd.DataFrame,
    m: Mapping,
    converted: dict[str, list[str]],
    row_numbers: list[int],
    report: MapReport,
    missing_of: MissingOf,
) -> tuple[list[str], list[MapProblem]]:
    """The cells of ``d.target`` for every row of ``table``, and the problems (one per distinct bad value).

    ``converted`` holds the dictionary columns already converted (an ``at:`` dictionary column is
    read from there). Counts go to ``report.derived[d.target]``; refused cells to ``report.skip``
    (and so do cells whose ``at:`` dictionary date is itself refused: that is reported on its own
    column).
    """
    inputs = [_raw_cells(name, table) for name in d.sources]
    if d.at:
        at_converted = d.at in BY_NAME
        inputs.append(
            _Cells(d.at, converted.get(d.at, [""] * len(table)), False) if at_converted else _raw_cells(d.at, table)
        )
    entry = {"rule": d.rule, "from": list(d.sources)}
    if d.at:
        entry["at"] = d.at
    if d.number is not None:
        entry["value" if d.rule == "at_least" else "factor"] = str(d.number)
    entry.update(cells=0, empty={})
    report.derived[d.target] = entry
    bad: dict[tuple[str, str], list[int]] = {}
    messages: dict[tuple[str, str], str] = {}
    values = []
    for k in range(len(table)):
        texts = [c.texts[k] for c in inputs]
        why = None
        for c, text in zip(inputs, texts):
            why = why or _empty_reason(c, text, missing_of)
        if why:
            entry["empty"][why] = entry["empty"].get(why, 0) + 1
            values.append("")
            continue
        value, failed, message = _one(d, m, inputs, texts)
        if failed is not None:
            key = (failed.name, texts[inputs.index(failed)])
            bad.setdefault(key, []).append(row_numbers[k])
            messages[key] = message
        if value is None:
            report.skip.add((k, d.target))
            value = ""
        else:
            entry["cells"] += 1
        values.append(value)
    problems = [MapProblem(tuple(rows), raw, value, messages[(raw, value)]) for (raw, value), rows in bad.items()]
    return values, problems


def _raw_cells(name: str, table: pd.DataFrame) -> _Cells:
    cells = table[name]
    cells = cells.iloc[:, 0] if isinstance(cells, pd.DataFrame) else cells
    return _Cells(name, cells.tolist(), True)


def _empty_reason(c: _Cells, text: str, missing_of: MissingOf) -> str | None:
    if text == "":
        return f"{c.name!r} empty" if c.raw else f"{c.name} empty"
    declared = missing_of(c.name, text) if c.raw else None
    return f"{c.name!r} {declared}" if declared else None


def _one(d: Derivation, m: Mapping, inputs: list[_Cells], texts: list[str]) -> tuple[str | None, _Cells | None, str]:
    """One row: (value or None, the raw input that failed or None, its message).

    ``(None, None, "")`` when an ``at:`` dictionary date is itself refused (its own column says why).
    """
    if d.rule in ("at_least", "times"):
        text, _ = plain_number(texts[0], m.option("decimal", "."), m.option("thousands", "") or "")
        value = at_least(text, d.number) if d.rule == "at_least" else times(text, d.number)
        if value is None:
            return None, inputs[0], _not_a_number(d, m)
    else:
        dates = []
        for c, text in zip(inputs, texts):
            fmt = _date_format(c.name, m) if c.raw else None
            day = read_date(text, fmt)
            if day is None:
                return None, (c if c.raw else None), (_not_a_date(d, m, fmt) if c.raw else "")
            dates.append(day)
        if d.rule == "age_in_years":
            value = str(age_in_years(*dates))
        elif d.rule == "days_between":
            value = str(days_between(*dates))
        else:
            value = months_text(days_between(*dates))
    if BY_NAME[d.target].kind == "integer" and not _whole(value):
        return (
            None,
            inputs[0],
            f"{d.rule} gives {value} here, but {d.target} is an integer column (whole numbers only; nothing is "
            f"rounded): correct the source, or derive a number column",
        )
    return value, None, ""


def _whole(text: str) -> bool:
    return Decimal(text) == Decimal(text).to_integral_value()


def _date_format(raw: str, m: Mapping) -> str | None:
    cm = m.columns.get(raw)
    return (cm.date_format if cm else None) or m.option("date_format")


def _not_a_date(d: Derivation, m: Mapping, fmt: str | None) -> str:
    said = (
        f"is not a real date or does not match date_format {fmt!r} (nor YYYY-MM-DD)"
        if fmt
        else "is not a YYYY-MM-DD date and no date_format is declared"
    )
    return (
        f"{said}, so `derive: {d.target}` ({d.rule}) cannot read it; declare the format of this column's dates "
        f"(`read: date_format:` in {m.name}, or `date_format:` of its `columns:` entry), add the value to "
        f"`read: missing:` if it means missing, or correct it in the source"
    )


def _not_a_number(d: Derivation, m: Mapping) -> str:
    return (
        f"not a number, so `derive: {d.target}` ({d.rule}) cannot use it; if it means missing, add it to "
        f"`read: missing:` in {m.name}, else correct it in the source"
    )


__all__ = [
    "DERIVE_RULES",
    "Derivation",
    "age_in_years",
    "at_least",
    "days_between",
    "derive_column",
    "months_text",
    "parse_derivation",
    "plain_number",
    "read_date",
    "times",
]
