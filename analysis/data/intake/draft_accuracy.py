"""How good a draft mapping is: its decisions against what a person who knows the file would write.

A draft (:mod:`analysis.data.intake.draft_mapping`) decides two kinds of things: each raw column's
*target* (a dictionary column, ``drop``, or the source of a ``derive:``) and each *recode* (what a
raw value of a flag or category becomes). Each decision is

* **right** — what the person would write;
* **open** — left to the person: ``TODO``, or anything the import would refuse rather than accept
  (a raw column neither mapped nor dropped, a value no recode turns into a code); harmless, it costs
  an edit;
* **wrong** — anything else: a different target, a drop of a column the study needs, a value
  recoded to the wrong code. A wrong decision imports without complaint, so the draft must make none.

The truth (:func:`score`'s ``truth``) is written down by whoever knows the file — for the worked
examples, by the generator that made them (``data/examples/spreadsheet_exports.py``, :func:`truth`) —
as plain data: ``columns`` (raw → dictionary column), ``drop`` (raw columns), ``derive``
(dictionary column → raw column it is computed from), ``centre`` (the raw column naming the centre,
whose value a person replaces by the centre's code: not scored) and ``values`` (for each raw column
of a flag or category, raw value → dictionary code, ``""`` for empty).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from ..dictionary import BY_NAME
from ..validate import parse_cell
from .mapping import PLACEHOLDER

OUTCOMES = ("right", "open", "wrong")


@dataclass
class Accuracy:
    """Counts of right/open/wrong targets and recodes, and one line for every item not right."""

    targets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    recodes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    notes: list[str] = field(default_factory=list)

    @property
    def open(self) -> int:
        return self.targets["open"] + self.recodes["open"]

    @property
    def wrong(self) -> int:
        return self.targets["wrong"] + self.recodes["wrong"]

    def line(self) -> str:
        t, r = self.targets, self.recodes
        return (
            f"targets {t['right']}/{t['open']}/{t['wrong']}, recodes {r['right']}/{r['open']}/{r['wrong']} "
            "(right/open/wrong)"
        )


def _spec(text: str) -> dict:
    """The draft as plain data, every scalar text (a draft quotes its values; ``BaseLoader`` keeps them so)."""
    spec = yaml.load(text, Loader=yaml.BaseLoader) or {}
    return {k: (v if v not in ("", None) else {}) for k, v in spec.items()}


def _target(spec: dict, raw: str) -> str | None:
    """What the draft does with ``raw``: a dictionary column, ``TODO``, ``drop``, ``derive:<column>``, or None."""
    if raw in (spec.get("drop") or []):
        return "drop"
    for target, d in (spec.get("derive") or {}).items():
        sources = d.get("from") if isinstance(d, dict) else None
        if raw == sources or (isinstance(sources, list) and raw in sources):
            return f"derive:{target}"
    entry = (spec.get("columns") or {}).get(raw)
    if entry is None:
        return raw if raw in BY_NAME else None
    return entry if isinstance(entry, str) else entry.get("to")


def score(draft_text: str, truth: dict) -> Accuracy:
    """Score the draft mapping ``draft_text`` (YAML) against ``truth`` (see the module docstring)."""
    spec, acc = _spec(draft_text), Accuracy()
    expected = dict(truth["columns"])
    expected.update(dict.fromkeys(truth["drop"], "drop"))
    expected.update({raw: f"derive:{target}" for target, raw in truth["derive"].items()})
    for raw, want in expected.items():
        got = _target(spec, raw)
        outcome = "right" if got == want else ("open" if got in (None, PLACEHOLDER) else "wrong")
        acc.targets[outcome] += 1
        if outcome != "right":
            acc.notes.append(f"target {outcome}: {raw!r} is {want}, the draft says {got or 'nothing'}")
    read_missing = list(((spec.get("read") or {}).get("missing")) or [])
    for raw, meanings in truth["values"].items():
        entry = (spec.get("columns") or {}).get(raw)
        entry = entry if isinstance(entry, dict) else {}
        recode, missing = entry.get("recode") or {}, list(entry.get("missing") or []) + read_missing
        col = BY_NAME[truth["columns"][raw]]
        for text, want in meanings.items():
            got = "" if text and text in missing else recode.get(text, text)
            if got == text == want:
                continue
            if got == PLACEHOLDER or (got != want and parse_cell(col, got)[1] is not None):
                outcome = "open"
            else:
                outcome = "right" if got == want else "wrong"
            acc.recodes[outcome] += 1
            if outcome != "right":
                acc.notes.append(f"recode {outcome}: {raw!r} = {text!r} means {want!r}, the draft gives {got!r}")
    return acc


__all__ = ["OUTCOMES", "Accuracy", "score"]
