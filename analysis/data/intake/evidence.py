"""What a raw column's values say it can be: a flag, a date, a number in some range, a coded category.

A name can mislead (``Infection`` may be a grade or a yes/no); values rarely do. The draft mapping
(:mod:`analysis.data.intake.draft_mapping`) accepts the lexicon's best name match
(:mod:`analysis.data.intake.lexicon`) only where the values agree with it (:func:`fits`):

* a ``Oui``/``Non``, X-or-blank, ``0``/``1`` column (or one whose value labels say yes/no) fits a
  flag, never a category or a date;
* a column of dates fits only a date column — and its date format is read here (:func:`date_format`),
  so that a date column with few values is never drafted as a recode list of dates;
* a column of numbers fits an integer or number column when every value, converted from the unit
  its name states (``Pic (g/dL)`` → × 10 to g/L, :data:`analysis.data.intake.mapping.UNITS`), lies
  in the dictionary's range, and integers are whole; a unit with no known conversion fits nothing;
* coded values fit a category whose vocabulary (:mod:`analysis.data.intake.vocabularies`) knows
  every one of them (through the value labels of a statistical file);
* a column that is all empty fits any column that may be empty, and a non-nullable flag when the
  file's other boxes are X-or-blank (its blanks are then "no").

Missing words (``NF``, ``inconnu`` …) are set aside before any of these checks.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property

from ..cell_conventions import DMY
from ..dictionary import Column
from ..validate import ID_PATTERN
from . import vocabularies as vocab

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: A column with more distinct values than this is not a centre code.
MAX_CENTRES = 5


@dataclass(frozen=True)
class Evidence:
    """A raw column's values: distinct non-empty ``values`` (most frequent first), blanks, labels, unit."""

    values: tuple[str, ...]
    rows: int
    blanks: int
    labels: Mapping[str, str] = field(default_factory=dict)
    unit: str | None = None

    @cached_property
    def core(self) -> tuple[str, ...]:
        """The values that are not missing words (by themselves or by their label)."""
        return tuple(v for v in self.values if not vocab.is_missing(self.labels.get(v, v)))

    @property
    def empty(self) -> bool:
        return not self.core

    @property
    def box(self) -> bool:
        """An X-or-blank box: only box marks, and blanks."""
        return vocab.is_box(self.core) and not self.labels

    @property
    def yes_no(self) -> bool:
        return not self.empty and vocab.fits(vocab.YES_NO, self.core, self.labels)

    @property
    def dates(self) -> bool:
        return not self.empty and date_format(self.core) is not None

    @property
    def labelled_words(self) -> bool:
        """Whether value labels turn the stored numbers into words (codes, not quantities)."""
        return any(not _is_number(self.labels[v]) for v in self.core if v in self.labels)

    def numbers(self) -> list[Decimal] | None:
        """The values as numbers (decimal comma allowed), or ``None`` if any is not one."""
        out = []
        for v in self.core:
            try:
                out.append(Decimal(v.replace(",", ".")))
            except InvalidOperation:
                return None
        return out if out and not self.labelled_words else None

    def vocabularies(self) -> list[vocab.Vocabulary]:
        """The category vocabularies that know every value."""
        return [v for v in vocab.CATEGORIES if not self.empty and vocab.fits(v, self.core, self.labels)]


def _is_number(text: str) -> bool:
    try:
        Decimal(text.replace(",", "."))
        return True
    except InvalidOperation:
        return False


def date_format(values) -> str | None:
    """The strptime format every value is written in (``"%Y-%m-%d"`` for ISO), else ``None``.

    ISO dates among others are fine (the import always reads them: an XLSX column of date cells with
    a few dates typed as text). Day-first unless a second number above 12 says month-first; both orders possible → day-first
    (the French default; the draft asks for a check either way).
    """
    values = list(values)
    if not values:
        return None
    if all(ISO_DATE.match(v) for v in values):
        return "%Y-%m-%d"
    values = [v for v in values if not ISO_DATE.match(v)]  # ISO is always read: the others decide
    matches = [DMY.match(v) for v in values]
    if not all(matches) or len({m.group(2) for m in matches}) != 1:
        return None
    sep = matches[0].group(2)
    month_first = any(int(m.group(3)) > 12 for m in matches) and not any(int(m.group(1)) > 12 for m in matches)
    fmt = f"%m{sep}%d{sep}%Y" if month_first else f"%d{sep}%m{sep}%Y"
    try:
        for v in values:
            _dt.datetime.strptime(v, fmt)
    except ValueError:
        return None
    return fmt


def unit_factor(col: Column, ev: Evidence) -> tuple[str | None, Decimal | None]:
    """(unit to declare, factor) for a numeric column: ``(None, 1)`` if the name states none or the
    dictionary's own, ``(unit, factor)`` for a known conversion, ``(unit, None)`` for an unknown one."""
    from .mapping import UNITS

    if not ev.unit or ev.unit == col.unit:
        return None, Decimal(1)
    factor = UNITS.get((ev.unit, col.unit))
    return ev.unit, (Decimal(factor) if factor else None)


def fits(col: Column, ev: Evidence, *, box_file: bool = False) -> bool:
    """Whether the values of ``ev`` can be the dictionary column ``col`` (see the module docstring)."""
    if ev.empty:
        return col.nullable or (col.kind == "flag" and box_file)
    if col.kind == "flag":
        return ev.box or ev.yes_no
    if col.kind == "date":
        return ev.dates
    if col.kind in ("integer", "number"):
        return _fits_number(col, ev)
    if col.kind == "category":
        known = vocab.for_column(col)
        return known is not None and vocab.fits(known, ev.core, ev.labels) or all(v in col.codes for v in ev.core)
    if col.name == "patient_id":
        return ev.blanks == 0 and len(ev.values) == ev.rows and all(ID_PATTERN.match(v) for v in ev.values)
    return not ev.dates and len(ev.core) <= MAX_CENTRES  # center_id: a few codes or names


def _fits_number(col: Column, ev: Evidence) -> bool:
    numbers = ev.numbers()
    if numbers is None:
        return False
    _, factor = unit_factor(col, ev)
    if factor is None:
        return False
    numbers = [n * factor for n in numbers]
    if col.kind == "integer" and any(n != n.to_integral_value() for n in numbers):
        return False
    lo = Decimal(str(col.minimum)) if col.minimum is not None else None
    hi = Decimal(str(col.maximum)) if col.maximum is not None else None
    return all((lo is None or n >= lo) and (hi is None or n <= hi) for n in numbers)


def evidence(cells, labels: Mapping[str, str] | None = None, unit: str | None = None) -> Evidence:
    """The :class:`Evidence` of a column given as its cells (text, ``""`` empty)."""
    counts: dict[str, int] = {}
    for c in cells:
        counts[c] = counts.get(c, 0) + 1
    blanks = counts.pop("", 0)
    values = tuple(sorted(counts, key=lambda v: (-counts[v], v)))
    return Evidence(values, sum(counts.values()) + blanks, blanks, dict(labels or {}), unit)


__all__ = ["Evidence", "MAX_CENTRES", "date_format", "evidence", "fits", "unit_factor"]
