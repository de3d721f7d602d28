"""Which dictionary column each raw column holds — decided only where the name and the values agree.

For every raw column of an export, :func:`match_columns` returns a :class:`Match`: mapped to a
dictionary column, proposed for ``drop`` (an identifier, or a variable the study does not use, with
the reason), read by a derivation (a birth date, when the file has no age: ``age_years`` is derived
from it), or left *open* with its ranked candidates. The rules, in order:

1. a raw column named exactly as a dictionary column is that column;
2. a direct identifier (:func:`analysis.data.intake.identifiers.identifier_reason`: a birth date, a
   person's name, a hospital or social-security number, free-text comments) is dropped with its
   reason — before any name is compared, so that a column of names is never offered as ``patient_id``
   — except a birth date, which is read by the derivation of ``age_years`` when no column holds the
   age (the import reads it there and never copies it);
3. otherwise the lexicon ranks the concepts by name (:func:`analysis.data.intake.lexicon.rank`,
   variable label included) and the values veto the ones they cannot be
   (:func:`analysis.data.intake.evidence.fits`). The best concept is taken only when it is clear:
   a score of at least :data:`ACCEPT`, :data:`MARGIN` ahead of the next concept the values allow,
   and not :data:`MARGIN` behind a concept the values forbid (then name and values disagree, and a
   person should look). Anything else stays open;
4. never two raw columns on one target: the clearly better one (by :data:`MARGIN`) keeps it, else
   both are left open;
5. a column that can feed a derivation (a worst cytopenia grade, 0–5 → ``cytopenia_grade3plus`` =
   grade ≥ 3) does so when no raw column holds the derived column, else it is dropped — and is left
   open when an open column's best candidate is that column (the person chooses which holds it).

A wrong target is worse than an open one — it imports without complaint — so every threshold errs
towards open. The thresholds were set on the dictionary's own names and the worked examples
(``benchmarks/bench_draft.py`` prints how the draft does on each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..dictionary import BY_NAME
from .evidence import Evidence, evidence, fits
from .lexicon import Candidate, concept, rank, stated_unit

#: The lowest name score a target is taken at.
ACCEPT = 0.75
#: How far ahead of every other allowed concept the chosen one must be.
MARGIN = 0.15
#: Candidates shown in an open column's comment.
SHOWN = 3
#: The highest grade of a grading scale (CTCAE v5.0: 5 = death).
MAX_GRADE = 5


@dataclass(frozen=True)
class Match:
    """What the draft does with one raw column.

    ``action``: ``map`` (to ``target``), ``drop`` (``reason`` says why), ``derive`` (read by the
    derivation of ``target``, as ``derives`` says) or ``open`` (``candidates`` ranked, each with
    whether the values allow it).
    """

    raw: str
    label: str | None
    evidence: Evidence
    action: str
    target: str | None = None
    reason: str = ""
    score: float = 0.0
    candidates: tuple[tuple[Candidate, bool], ...] = field(default_factory=tuple)
    derives: tuple[str, str, str, str] | None = None  # what it can feed: (column, rule, setting, value)


def _identifier_reason(names: Sequence[str], cells: Sequence[str]) -> str | None:
    """The identifiers module's verdict on the column under any of its names (``None`` until it exists)."""
    try:
        from .identifiers import identifier_reason
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.identifiers":
            raise
        return None
    return next((r for r in (identifier_reason(n, list(cells)) for n in names if n) if r), None)


def _allowed(c: Candidate, ev: Evidence, box_file: bool) -> bool:
    kind = c.concept.kind
    if kind == "column":
        return fits(BY_NAME[c.key], ev, box_file=box_file)
    if kind == "birth_date":
        return ev.dates or ev.empty
    if kind == "grade":
        numbers = ev.numbers()
        return numbers is not None and all(n == n.to_integral_value() and 0 <= n <= MAX_GRADE for n in numbers)
    return True


def _by_name(raw: str, label: str | None, ev: Evidence, box_file: bool) -> Match:
    """Rule 3: the lexicon's clear best concept that the values allow, else open."""
    ranked = rank(raw, label or "")
    judged = tuple((c, _allowed(c, ev, box_file)) for c in ranked)
    allowed = [c for c, ok in judged if ok]
    shown = judged[:SHOWN]
    if not allowed:
        return Match(raw, label, ev, "open", candidates=shown)
    best = allowed[0]
    runner = allowed[1].score if len(allowed) > 1 else 0.0
    top = ranked[0].score
    if best.score < ACCEPT or best.score - runner < MARGIN or top - best.score >= MARGIN:
        return Match(raw, label, ev, "open", score=best.score, candidates=shown)
    c = best.concept
    if c.kind == "column":
        return Match(raw, label, ev, "map", best.key, score=best.score, candidates=shown)
    action = "derivable" if c.derives else "drop"
    return Match(raw, label, ev, action, reason=c.reason, score=best.score, derives=c.derives)


def match_columns(
    cells: Mapping[str, Sequence[str]],
    value_labels: Mapping[str, Mapping[str, str]] | None = None,
    variable_labels: Mapping[str, str] | None = None,
) -> list[Match]:
    """A :class:`Match` for every raw column (``cells``: raw name → its cells as text), in the file's order."""
    value_labels, variable_labels = value_labels or {}, variable_labels or {}
    evidences = {
        raw: evidence(c, value_labels.get(raw), stated_unit(raw, variable_labels.get(raw) or ""))
        for raw, c in cells.items()
    }
    box_file = any(ev.box for ev in evidences.values())
    matches = []
    for raw, ev in evidences.items():
        label = variable_labels.get(raw)
        if raw in BY_NAME:
            matches.append(Match(raw, label, ev, "map", raw, score=1.0))
            continue
        reason = _identifier_reason((raw, label or ""), cells[raw])
        if reason and "birth" in reason and ev.dates:
            matches.append(
                Match(raw, label, ev, "derivable", reason=reason, score=1.0, derives=concept("birth_date").derives)
            )
        elif reason:
            matches.append(Match(raw, label, ev, "drop", reason=reason, score=1.0))
        else:
            matches.append(_by_name(raw, label, ev, box_file))
    return _derivations(_one_per_target(matches))


def _one_per_target(matches: list[Match]) -> list[Match]:
    """Rule 4: a target claimed by several raw columns goes to the clearly best one, else to none."""
    claims: dict[str, list[Match]] = {}
    for m in matches:
        if m.action == "map":
            claims.setdefault(m.target, []).append(m)
    reopened: dict[str, Match] = {}
    for target, ms in claims.items():
        if len(ms) < 2:
            continue
        ms = sorted(ms, key=lambda m: -m.score)
        keep = ms[0] if ms[0].score - ms[1].score >= MARGIN else None
        for m in ms:
            if m is not keep:
                others = ", ".join(repr(o.raw) for o in ms if o is not m)
                reopened[m.raw] = replace(m, action="open", reason=f"{target} is also the best match of {others}")
    return [reopened.get(m.raw, m) for m in matches]


def _best_allowed(m: Match) -> str | None:
    return next((c.key for c, ok in m.candidates if ok), None)


def _derivations(matches: list[Match]) -> list[Match]:
    """A column that can feed a derivation (a birth date → ``age_years``, a worst cytopenia grade →
    ``cytopenia_grade3plus``) does so when no raw column holds that dictionary column; else it is dropped."""
    done = {m.target for m in matches if m.action == "map"}
    maybe = {_best_allowed(m): m.raw for m in matches if m.action == "open" and _best_allowed(m)}
    out = []
    for m in matches:
        if m.action == "derivable":
            target = m.derives[0]
            if target in done:
                m = replace(m, action="drop", reason=f"{m.reason} ({target} is mapped from another column)")
            elif target in maybe:
                why = f"{m.reason}: derive {target} from it, or drop it if {maybe[target]!r} holds {target}"
                m = replace(m, action="open", reason=why)
            else:
                m = replace(m, action="derive", target=target)
                done.add(target)
        out.append(m)
    return out


__all__ = ["ACCEPT", "MARGIN", "Match", "match_columns"]
