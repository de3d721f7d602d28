"""The audit's checks of one quantity printed twice, of the methods' definitions, and of printed units.

* ``same_quantity`` — claims printing the same quantity (the text against Table 1, and other
  repeats; the ``pairs`` of the registry's ``audit:`` section) give the same count or values. Two
  medians one unit apart are explained when the cohort is even (the mean of the two middle values).
* ``definition`` — the methods' definitions against the reported group sizes: the HRCA definition
  (``definitions.hrca``) and the inclusion window (``definitions.inclusion_window``).
* ``units`` — a threshold whose printed unit cannot be meant (``readings``): a WARN with the
  threshold :mod:`analysis.data.derive` reads instead.

Which claims, and the paper's words and numbers these checks quote, are the registry's; the
prose and the method constants (unit conversion, the normal serum protein) are here.
"""

from __future__ import annotations

from fractions import Fraction

from ..data import derive
from .audit_spec import AuditSpec, HrcaDefinition, InclusionWindow, Reading
from .audit_table import Registry, nr, row
from .claims import Claim, target_count
from .rounding import ROUNDING_RULES, RULE_NAMES, fraction_text, printed_text, printed_value

#: 1 g/dL = 10 g/L, and the normal total serum protein (g/L, all proteins together): a monoclonal
#: peak cannot exceed it several-fold.
G_L_PER_G_DL, TOTAL_PROTEIN_NORMAL_G_L = 10, (60, 80)
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


# ----------------------------------------------------------------------------- same quantity
def _describe(c: Claim) -> str:
    if c.kind == "proportion" and c.pct is not None and c.effective_denominator and target_count(c) is not None:
        k = target_count(c)
        return f"{c.id} {fraction_text(k, c.effective_denominator, c.pct_decimals)} → {printed_text(c.pct, c.pct_decimals)}"
    if c.kind in ("proportion", "count"):
        return f"{c.id} {target_count(c)}"
    if c.kind == "median_range" and c.min is not None:
        return f"{c.id} {c.value:g} ({c.min:g}–{c.max:g})"
    if c.kind == "km_median" and c.has_ci:
        return f"{c.id} {nr(c.value)} ({nr(c.ci_lower)}–{nr(c.ci_upper)})"
    return f"{c.id} {nr(c.value)}"


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _half_explanation(a: float, b: float, n_patients: int) -> tuple[str, str]:
    """How two printed medians one unit apart can both come from one median (mean of two middle values)."""
    mid = Fraction(a + b) / 2
    prints = {r: printed_value(mid, 0, r) for r in ROUNDING_RULES}
    by_value: dict = {}
    for r, v in prints.items():
        by_value.setdefault(v, []).append(RULE_NAMES[r])
    text = " and ".join(f"{v} by {' or '.join(rs)}" for v, rs in sorted(by_value.items(), reverse=True))
    why = (
        f"with {n_patients} patients the median is the mean of the {_ordinal(n_patients // 2)} and "
        f"{_ordinal(n_patients // 2 + 1)} values; a median of {float(mid):g} prints {text}"
    )
    return why, f"median = {float(mid):g}"


def pair_rows(by_id: Registry, spec: AuditSpec) -> list[dict]:
    """One ``same_quantity`` row per declared pair."""
    rows = []
    n_patients = target_count(by_id[spec.cohort])
    for pair in spec.pairs:
        ia, ib = pair.claims
        a, b = by_id[ia], by_id[ib]
        implied = ""
        if a.kind in ("proportion", "count"):
            passed = target_count(a) == target_count(b)
            verdict = f"same count {target_count(a)}" if passed else "counts differ"
        else:
            keys = (
                ["value"]
                + (["min", "max"] if a.min is not None and b.min is not None else [])
                + (["ci_lower", "ci_upper"] if a.has_ci and b.has_ci else [])
            )
            differ = [k for k in keys if getattr(a, k) != getattr(b, k)]
            passed = not differ
            verdict = "same values" if passed else f"{', '.join(differ)} differ{'s' if len(differ) == 1 else ''}"
            if differ == ["value"] and a.kind == "median_range" and abs(a.value - b.value) == 1 and n_patients % 2 == 0:
                why, implied = _half_explanation(a.value, b.value, n_patients)
                verdict += f": {why}"
        rows.append(
            row(pair.id, "same_quantity", [ia, ib], passed, f"{_describe(a)}; {_describe(b)}: {verdict}", implied)
        )
    return rows


# ----------------------------------------------------------------------------- definitions
def _hrca_rows(by_id: Registry, d: HrcaDefinition) -> tuple[list[dict], list[dict]]:
    strict = [target_count(by_id[i]) for i in d.strict]
    hrca_n = target_count(by_id[d.reported])
    cycle, largest_id = max(d.subgroup, key=lambda tp: by_id[tp[1]].effective_denominator)  # first of equals
    largest_sub = by_id[largest_id].effective_denominator
    any_n = target_count(by_id[d.any_abnormality])
    count = len(d.abnormalities)
    how_many = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)
    passed = hrca_n <= sum(strict) and largest_sub <= sum(strict)
    expl = (
        f"methods: HRCA = {d.methods} → at most {' + '.join(map(str, strict))} = {sum(strict)} "
        f"patients (Table 1); the text counts {hrca_n} with an HRCA and the HRCA subgroup has {largest_sub} "
        f"evaluable at {cycle}"
        + (f", both > {sum(strict)}" if not passed else "")
        + f"; Table 1 has {any_n} with any of its {how_many} abnormalities → the HRCA groups are 'any cytogenetic "
        f"abnormality' (any_cyto_abnormality)"
    )
    rows = [
        row(
            "definition.hrca",
            "definition",
            [d.reported, d.any_abnormality, *d.strict, largest_id],
            passed,
            expl,
            f"high-risk abnormality (methods' definition) ≤ {sum(strict)}",
            judged=[d.reported],
        )
    ]
    implied = [
        {
            "quantity": "patients with a high-risk abnormality as the methods define it (at most)",
            "count": sum(strict),
            "of": None,
            "claim_ids": ", ".join(d.strict),
            "derivation": expl,
        }
    ]
    return rows, implied


def _inclusion_window_rows(by_id: Registry, w: InclusionWindow) -> tuple[list[dict], list[dict]]:
    delays = [by_id[i] for i in w.delays]
    longest = max(c.max for c in delays)
    multi = sum(target_count(by_id[i]) for i in w.multi_cycle)
    days, cycles = w.days, f"≥ {w.multi_cycle_min} cycles"
    passed = longest <= days
    expl = f"methods: '{w.quote}' (≤ {days} days), delay median {delays[0].value:g}, maximum {longest:g} days" + (
        ""
        if passed
        else f" > {days}: consistent only if the delay is counted from the first debulking cycle "
        f"(chemo_start_date) and delays over {days} days belong to the {multi} patients given {cycles}"
    )
    rows = [
        row(
            "definition.inclusion_window",
            "definition",
            [*w.delays, *w.multi_cycle],
            passed,
            expl,
            f"delay > {days} d only with {cycles} ({multi} patients)",
            judged=list(w.delays),
        )
    ]
    table1 = [c.id for c in delays if c.source == "table1"]  # the count is Table 1's: its cycle and delay rows
    implied = [
        {
            "quantity": f"patients given ≥ {w.multi_cycle_min} debulking cycles (the only ones whose delay may "
            f"exceed {days} days)",
            "count": multi,
            "of": None,
            "claim_ids": ", ".join([*w.multi_cycle, *table1]),
            "derivation": expl,
        }
    ]
    return rows, implied


def definition_rows(by_id: Registry, spec: AuditSpec) -> tuple[list[dict], list[dict]]:
    """The ``definition`` rows (HRCA, inclusion window) and the counts they imply."""
    hrca_rows, hrca_implied = _hrca_rows(by_id, spec.hrca)
    window_rows, window_implied = _inclusion_window_rows(by_id, spec.inclusion_window)
    return hrca_rows + window_rows, hrca_implied + window_implied


# ----------------------------------------------------------------------------- readings (WARN)
def _unit_reading(r: Reading) -> dict:
    """The methods' M-protein threshold as printed (g/dl) against the one :mod:`analysis.data.derive` reads (g/L)."""
    read = derive.M_PROTEIN_THRESHOLD
    low, high = TOTAL_PROTEIN_NORMAL_G_L
    explanation = (
        f'methods: high tumour burden includes "{r.quote}"; {r.printed:g} {r.unit} = '
        f"{r.printed * G_L_PER_G_DL:g} g/L, several times the normal total serum protein "
        f"({low}–{high} g/L), so as printed the criterion could never be met; {read:g} g/L "
        f"({read / G_L_PER_G_DL:g} {r.unit}) is the usual cut"
    )
    reading = (
        f"analysis.data.derive reads the threshold as serum M-protein > {read:g} g/L (M_PROTEIN_THRESHOLD), "
        f"i.e. '{r.unit}' as a misprint of g/L; high_tumour_burden and htb_m_protein follow it for every "
        f"cohort."
    )
    return row(r.id, r.check, list(r.claims), True, explanation, warn=reading)


_READERS = {"units": _unit_reading}


def reading_rows(spec: AuditSpec) -> list[dict]:
    """One WARN row per reading: the threshold read is the compendium's own constant, so the finding cannot drift."""
    return [_READERS[r.check](r) for r in spec.readings]
