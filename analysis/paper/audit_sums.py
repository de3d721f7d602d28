"""The audit's ``sum`` checks: sub-categories against totals, as declared in the registry.

Each :class:`~analysis.paper.audit_spec.SumCheck` of the ``audit:`` section (``sums`` and the
expanded ``subgroup_sums``) compares two sums of terms — a claim's target count
(:func:`analysis.paper.claims.target_count`), its resolved denominator, a constant — and may name
the count it implies. A term without a unique count fails the check and says which claim needs a
``resolution`` with ``n``.
"""

from __future__ import annotations

from .audit_spec import SumCheck, Term
from .audit_table import Registry, row
from .claims import target_count

_OPS = {
    "==": ("=", "≠", lambda a, b: a == b),
    "<=": ("≤", ">", lambda a, b: a <= b),
    ">=": ("≥", "<", lambda a, b: a >= b),
}
_VALUES = {
    "left": lambda lt, rt: lt,
    "right": lambda lt, rt: rt,
    "right-left": lambda lt, rt: rt - lt,
    "left-right": lambda lt, rt: lt - rt,
}


def _term_value(term: Term, by_id: Registry) -> int | None:
    """Value of one term; None when the claim has no unique count (the check then fails)."""
    if term.claim is None:
        return term.constant
    c = by_id[term.claim]
    v = c.effective_denominator if term.denominator else target_count(c)
    return None if v is None else (-v if term.negative else v)


def _side_text(values: list[int]) -> str:
    total = sum(values)
    if len(values) == 1:
        return str(total)
    text = str(values[0]) + "".join(f" − {-v}" if v < 0 else f" + {v}" for v in values[1:])
    return f"{text} = {total}"


def sum_rows(by_id: Registry, checks: tuple[SumCheck, ...]) -> tuple[list[dict], list[dict]]:
    """The ``sum`` rows, and the counts implied by the checks that name one (see ``audit.implied_counts``)."""
    rows, implied = [], []
    for spec in checks:
        left = [_term_value(t, by_id) for t in spec.left]
        right = [_term_value(t, by_id) for t in spec.right]
        ids = list(dict.fromkeys(t.claim for t in spec.left + spec.right if t.claim is not None))
        if None in left + right:
            unknown = [t.claim for t, v in zip(spec.left + spec.right, left + right) if v is None]
            rows.append(
                row(
                    spec.id,
                    "sum",
                    ids,
                    False,
                    f"{spec.what}: cannot be evaluated, "
                    f"{', '.join(unknown)} has no unique count (record a resolution with n)",
                )
            )
            continue
        lt, rt = sum(left), sum(right)
        ok_sym, bad_sym, holds = _OPS[spec.op]
        passed = holds(lt, rt) and lt >= 0 and rt >= 0
        expl = f"{spec.what}: {_side_text(left)} {ok_sym if holds(lt, rt) else bad_sym} {_side_text(right)}"
        if lt < 0 or rt < 0:
            expl += " (a negative count)"
        imp = ""
        if spec.implies is not None:
            value = _VALUES[spec.value](lt, rt)
            imp = f"{spec.implies} = {value}"
            implied.append(
                {"quantity": spec.implies, "count": value, "of": None, "claim_ids": ", ".join(ids), "derivation": expl}
            )
            expl += f" → {imp}"
        warn = spec.warn.format(gap=abs(rt - lt)) if spec.warn is not None and passed and lt != rt else ""
        rows.append(row(spec.id, "sum", ids, passed, expl, imp, warn=warn))
    return rows, implied
