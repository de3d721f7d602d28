"""What applying a mapping did, and what it could not do: :class:`MapReport` and :class:`MapProblem`.

A :class:`MapProblem` is one thing the import refuses, said in the export's own terms: its raw
column, its rows in the file's own numbering (lines of a CSV, rows of a sheet, cases of a
statistical file), its value, and what to do. Two kinds share the class: an undeclared column or
value of the mapping (:mod:`analysis.data.intake.remap`, with the YAML line that would declare it),
and a rule of the data dictionary broken by the converted table (:mod:`analysis.data.validate`,
translated back to the centre's column and row by :mod:`analysis.data.intake.source_terms`; these
carry the dictionary column, the converted value, the patient and the rule).

A :class:`MapReport` counts every change per dictionary column, for the import summary and the
output's provenance note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: How many row numbers a problem line shows before "(+N more)".
SHOWN_ROWS = 5


@dataclass(frozen=True)
class MapProblem:
    """One refused column or value of the raw file, and what to do about it.

    ``rows`` are row numbers in the raw file's own numbering (see ``to_text``'s ``row_word``);
    empty for a problem of a whole column. ``target`` (the dictionary column), ``converted`` (the
    value after the mapping), ``patient`` and ``rule`` are given for the validation problems of the
    converted table; they are empty for the mapping's own.
    """

    rows: tuple[int, ...]
    column: str  # raw column ("" for a missing dictionary column)
    value: str
    message: str
    target: str = ""
    converted: str | None = None
    patient: str = ""
    rule: str = ""

    def to_text(self, row_word: str = "line") -> str:
        rule = f" (rule {self.rule})" if self.rule else ""
        if not self.rows:
            return self.message + rule
        shown = ", ".join(str(r) for r in self.rows[:SHOWN_ROWS]) + (
            f" (+{len(self.rows) - SHOWN_ROWS} more)" if len(self.rows) > SHOWN_ROWS else ""
        )
        word = row_word + ("s" if len(self.rows) > 1 else "")
        target = f" ({self.target})" if self.target and self.target != self.column else ""
        converted = (
            f" (as {self.target.removeprefix('derive: ')}: {self.converted!r})"
            if self.converted is not None and self.converted != self.value
            else ""
        )
        patient = f", patient {self.patient!r}" if self.patient else ""
        return (
            f"{word} {shown}, column {self.column!r}{target} = {self.value!r}{converted}{patient}: {self.message}{rule}"
        )


@dataclass
class MapReport:
    """What applying a mapping did, counted per dictionary column (the summary and the provenance note).

    ``missing`` holds every cell made empty as declared missing: per column, per raw value, its
    count and where the declaration came from (the mapping's ``missing:``, or the statistical file's
    own user-missing codes, with the code's label). ``derived`` holds each ``derive:`` entry's rule,
    sources, cells computed and cells left empty (why). ``skip`` lists the (row index, dictionary
    column) cells already refused by a problem, so that validating the converted table does not
    report them a second time.
    """

    renamed: dict[str, str] = field(default_factory=dict)
    identity: list[str] = field(default_factory=list)
    constants: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    recodes: dict[str, dict[str, int]] = field(default_factory=dict)
    missing: dict[str, dict[str, dict]] = field(default_factory=dict)
    dates: dict[str, dict] = field(default_factory=dict)
    units: dict[str, dict] = field(default_factory=dict)
    decimals: dict[str, int] = field(default_factory=dict)
    derived: dict[str, dict] = field(default_factory=dict)
    dropped_rows: int = 0
    dropped_columns: int = 0
    skip: set[tuple[int, str]] = field(default_factory=set, repr=False)

    def count_missing(self, target: str, value: str, source: str, label: str = "") -> None:
        """One cell of ``target`` made empty: raw ``value`` declared missing by ``source``."""
        entry = self.missing.setdefault(target, {}).setdefault(value, {"cells": 0, "source": source})
        if label:
            entry["label"] = label
        entry["cells"] += 1

    def origin(self, target: str) -> tuple[str, str]:
        """Where dictionary column ``target`` came from: (raw column or description, kind).

        kind is ``"raw"`` (a raw column, renamed or used as it is), ``"derived"`` (its sources,
        joined) or ``"constant"``.
        """
        if target in self.derived:
            return ", ".join(self.derived[target]["from"]), "derived"
        if target in self.constants:
            return f"constants: {target}", "constant"
        for raw, to in self.renamed.items():
            if to == target:
                return raw, "raw"
        return target, "raw"

    def summary_lines(self) -> list[str]:
        out = []
        for target, counts in self.recodes.items():
            items = ", ".join(f"{k} {n}" for k, n in counts.items())
            out.append(f"recoded {target}: {items}")
        for target, values in self.missing.items():
            items = ", ".join(
                f"{v!r}" + (f" ({e['label']})" if e.get("label") else "") + f" {e['cells']} [{e['source']}]"
                for v, e in values.items()
            )
            out.append(f"empty (declared missing) {target}: {items}")
        for target, d in self.dates.items():
            out.append(f"dates {target}: {d['cells']} cell(s) read as {d['format']}")
        for target, d in self.units.items():
            out.append(f"unit {target}: {d['cells']} cell(s) {d['from']} → {d['to']} (× {d['factor']})")
        for target, n in self.decimals.items():
            out.append(f"decimal comma {target}: {n} cell(s)")
        for target, d in self.derived.items():
            at = f" at {d['at']}" if d.get("at") else ""
            empty = sum(d["empty"].values())
            why = f" ({', '.join(f'{k} {n}' for k, n in d['empty'].items())})" if empty else ""
            out.append(
                f"derived {target} ({d['rule']} from {', '.join(map(repr, d['from']))}{at}): {d['cells']} cell(s), "
                f"{empty} left empty{why}"
            )
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


__all__ = ["MapProblem", "MapReport"]
