"""Consistency audit of the claims registry: does the paper agree with itself?

:func:`audit` runs every check below on ``data/published/claims.yaml`` and
returns one row per check (``python -m analysis audit`` prints it). A failing
check is a place where the printed numbers cannot all be true at once; each
involved claim then carries a ``resolution:`` saying what the synthetic cohort
reproduces, and the audit reports whether one is recorded.

Checks
------
* ``grim`` — granularity of percentages (:func:`analysis.paper.grim.grim`): can
  ``n`` out of the denominator print as the percentage under half-up, half-even
  or truncation? Lists every denominator 1–60 that would fit; derives the count
  when only a percentage is printed.
* ``fraction`` — the same for subgroup results printed as "k/N" and a
  percentage, naming any other claim whose printed value the percentage equals.
* ``rounding`` — is there one rounding rule that prints every percentage?
* ``typo`` — a count printed with a percent sign, "(n = 10%)".
* ``sum`` — sub-categories against totals (:data:`SUM_CHECKS`).
* ``same_quantity`` — text vs Table 1, and other repeats (:data:`PAIRS`).
* ``definition`` — the methods' definitions against the reported group sizes.
* ``km_position``, ``km_ci``, ``km_order`` — Kaplan–Meier medians: the overall
  median between its subgroup medians, each CI containing its median, PFS ≤ OS.
* ``followup`` — follow-up against the study window.
* ``units`` — a threshold whose printed unit cannot be meant (the methods'
  "peak >30 g/dl" M-protein; :data:`READINGS`): a WARN with the reading
  :mod:`analysis.data.derive` follows.

Each row has a ``status``: PASS; FAIL (the printed numbers cannot all be true);
or WARN, a check that holds only under a reading the paper does not state — a
unit, or patients left outside every printed category (the extramedullary
site counts, 4 + 5 + 10 of 22) — listed with the reading the cohort follows.

:func:`implied_counts` lists every count the printed numbers imply;
:func:`findings_markdown` renders the failures and implied counts into
``data/published/README.md`` (``python -m analysis audit --write-readme``).
"""
from __future__ import annotations

import math
import re
from datetime import date
from fractions import Fraction

import pandas as pd

from ..exceptions import ClaimsError
from .audit_checks import HRCA_SUBGROUP, KM_SETS, PAIRS, READINGS, SUM_CHECKS
from .claims import Claim, load_claims, target_count
from .grim import grim
from .rounding import (
    ROUNDING_RULES,
    RULE_NAMES,
    fraction_text,
    printed_text,
    printed_value,
    rules_fitting,
)

#: "a cycle of conventional chemotherapy within the preceding month" (methods).
INCLUSION_WINDOW_DAYS = 31
#: "Received: 7 June 2025": no follow-up can extend beyond it.
PAPER_RECEIVED = date(2025, 6, 7)
DAYS_PER_MONTH = 365.25 / 12
TYPO_PATTERN = re.compile(r"\(n = (\d+)%\)")
COLUMNS = ("check_id", "claim_ids", "check", "passed", "explanation", "implied", "resolved", "resolution", "status")
STATUSES = ("PASS", "WARN", "FAIL")



# ----------------------------------------------------------------------------- GRIM rows
def _is_fraction(c: Claim) -> bool:
    """A subgroup result printed as "k/N" next to its percentage."""
    return c.kind == "proportion" and c.pct is not None and c.n is not None and c.denominator_source == "stated"


def _grim_rows(claims: list[Claim]) -> list[dict]:
    rows = []
    for c in claims:
        if c.kind != "proportion" or c.pct is None:
            continue
        g = grim(c.n, c.pct, c.pct_decimals, c.denominator)
        if not _is_fraction(c):
            rows.append(_row(f"grim.{c.id}", "grim", [c.id], g["passed"], g["explanation"], g["implied"]))
            continue
        expl = g["explanation"]
        if not g["passed"]:
            same = [o.id for o in claims if o.id != c.id and o.kind == "proportion" and o.pct == c.pct
                    and o.section == c.section and not _is_fraction(o)]
            if same:
                expl += f"; {printed_text(c.pct, c.pct_decimals)} is the printed value of {', '.join(same)} (copied?)"
        rows.append(_row(f"fraction.{c.id}", "fraction", [c.id], g["passed"], expl))
    return rows


def _rounding_row(claims: list[Claim]) -> dict:
    """One rule for all? Uses the resolved denominators and counts; claims no rule fits are left to grim."""
    by_rule: dict[str, list[tuple[Claim, str]]] = {"truncate": [], "round": []}
    for c in claims:
        if c.kind != "proportion" or c.pct is None:
            continue
        d = c.effective_denominator
        if d is None:
            continue
        k = c.n if c.n is not None else (c.resolution.n if c.resolution and c.resolution.n is not None else None)
        ks = [k] if k is not None else list(range(d + 1))
        fits = {(kk, r) for kk in ks for r in rules_fitting(kk, d, c.pct, c.pct_decimals)}
        rules = {r for _, r in fits}
        if not rules:
            continue
        kk = min(kk for kk, _ in fits)
        shown = f"{c.id} {fraction_text(kk, d, c.pct_decimals)} → {printed_text(c.pct, c.pct_decimals)}"
        if rules == {"truncate"}:
            by_rule["truncate"].append((c, shown))
        elif "truncate" not in rules:
            by_rule["round"].append((c, shown))
    trunc = by_rule["truncate"]
    rnd = sorted(by_rule["round"], key=lambda cs: cs[0].n is not None)   # derived counts first
    passed = not (trunc and rnd)
    examples = rnd[:3]
    expl = ("no single rounding rule prints every percentage: " if not passed else "one rule fits: ") + \
        f"truncation only — {'; '.join(s for _, s in trunc) or 'none'}; rounding only — {len(rnd)} claims" + \
        (f", e.g. {'; '.join(s for _, s in examples)}" if examples else "")
    implied = "; ".join(f"{c.id} = {target_count(c)}" for c, _ in trunc if c.n is None)
    return _row("rounding.single_rule", "rounding", [c.id for c, _ in trunc], passed, expl, implied)


def _typo_rows(claims: list[Claim]) -> list[dict]:
    rows = []
    for c in claims:
        m = TYPO_PATTERN.search(c.quote)
        if not m:
            continue
        k = int(m.group(1))
        fits = c.pct is not None and c.denominator and rules_fitting(k, c.denominator, c.pct, c.pct_decimals)
        why = f" ({fraction_text(k, c.denominator, c.pct_decimals)} → {printed_text(c.pct, c.pct_decimals)})" if fits else ""
        rows.append(_row(f"typo.{c.id}", "typo", [c.id], False,
                         f"'{m.group(0)}' prints a percent sign after the count; read as n = {k}{why}", f"n = {k}"))
    return rows


# ----------------------------------------------------------------------------- sums
_TERM = re.compile(r"^(?P<sign>-)?(?P<id>[a-z0-9_.]+?)(?::(?P<field>denominator))?$")
_OPS = {"==": ("=", "≠", lambda a, b: a == b), "<=": ("≤", ">", lambda a, b: a <= b),
        ">=": ("≥", "<", lambda a, b: a >= b)}


def _term_value(term: str, by_id: dict[str, Claim]) -> int | None:
    """Value of one term; None when the claim has no unique count (the check then fails)."""
    if term.lstrip("-").isdigit():
        return int(term)
    m = _TERM.match(term)
    if not m:
        raise ValueError(f"sum-check term {term!r} is malformed; write [-]claim_id[:denominator]")
    c = by_id[m["id"]]
    v = c.effective_denominator if m["field"] else target_count(c)
    return None if v is None else (-v if m["sign"] else v)


def _side_text(values: list[int]) -> str:
    total = sum(values)
    if len(values) == 1:
        return str(total)
    text = str(values[0]) + "".join(f" − {-v}" if v < 0 else f" + {v}" for v in values[1:])
    return f"{text} = {total}"


def _claim_ids(terms) -> list[str]:
    return [m["id"] for t in terms if (m := _TERM.match(t)) and not t.lstrip("-").isdigit()]


def _sum_rows(by_id: dict[str, Claim]) -> tuple[list[dict], list[dict]]:
    rows, implied = [], []
    for spec in SUM_CHECKS:
        left = [_term_value(t, by_id) for t in spec["left"]]
        right = [_term_value(t, by_id) for t in spec["right"]]
        ids = list(dict.fromkeys(_claim_ids(spec["left"]) + _claim_ids(spec["right"])))
        if None in left + right:
            unknown = [t.lstrip("-").split(":")[0] for t, v in zip(spec["left"] + spec["right"], left + right)
                       if v is None]
            rows.append(_row(spec["id"], "sum", ids, False, f"{spec['what']}: cannot be evaluated, "
                             f"{', '.join(unknown)} has no unique count (record a resolution with n)"))
            continue
        lt, rt = sum(left), sum(right)
        ok_sym, bad_sym, holds = _OPS[spec["op"]]
        passed = holds(lt, rt) and lt >= 0 and rt >= 0
        expl = f"{spec['what']}: {_side_text(left)} {ok_sym if holds(lt, rt) else bad_sym} {_side_text(right)}"
        if lt < 0 or rt < 0:
            expl += " (a negative count)"
        imp = ""
        if "implies" in spec:
            value = {"left": lt, "right": rt, "right-left": rt - lt, "left-right": lt - rt}[spec["value"]]
            imp = f"{spec['implies']} = {value}"
            implied.append({"quantity": spec["implies"], "count": value, "of": None, "claim_ids": ", ".join(ids),
                            "derivation": expl})
            expl += f" → {imp}"
        warn = spec["warn"].format(gap=abs(rt - lt)) if "warn" in spec and passed and lt != rt else ""
        rows.append(_row(spec["id"], "sum", ids, passed, expl, imp, warn=warn))
    return rows, implied


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
        return f"{c.id} {_nr(c.value)} ({_nr(c.ci_lower)}–{_nr(c.ci_upper)})"
    return f"{c.id} {_nr(c.value)}"


def _half_explanation(a: float, b: float, n_patients: int) -> tuple[str, str]:
    """How two printed medians one unit apart can both come from one median (mean of two middle values)."""
    mid = Fraction(a + b) / 2
    prints = {r: printed_value(mid, 0, r) for r in ROUNDING_RULES}
    by_value: dict = {}
    for r, v in prints.items():
        by_value.setdefault(v, []).append(RULE_NAMES[r])
    text = " and ".join(f"{v} by {' or '.join(rs)}" for v, rs in sorted(by_value.items(), reverse=True))
    why = (f"with {n_patients} patients the median is the mean of the {_ordinal(n_patients // 2)} and "
           f"{_ordinal(n_patients // 2 + 1)} values; a median of {float(mid):g} prints {text}")
    return why, f"median = {float(mid):g}"


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _pair_rows(by_id: dict[str, Claim]) -> list[dict]:
    rows = []
    n_patients = target_count(by_id["t1.n_patients"])
    for check_id, ia, ib in PAIRS:
        a, b = by_id[ia], by_id[ib]
        implied = ""
        if a.kind in ("proportion", "count"):
            passed = target_count(a) == target_count(b)
            verdict = f"same count {target_count(a)}" if passed else "counts differ"
        else:
            keys = ["value"] + (["min", "max"] if a.min is not None and b.min is not None else []) + \
                (["ci_lower", "ci_upper"] if a.has_ci and b.has_ci else [])
            differ = [k for k in keys if getattr(a, k) != getattr(b, k)]
            passed = not differ
            verdict = "same values" if passed else f"{', '.join(differ)} differ{'s' if len(differ) == 1 else ''}"
            if differ == ["value"] and a.kind == "median_range" and abs(a.value - b.value) == 1 \
                    and n_patients % 2 == 0:
                why, implied = _half_explanation(a.value, b.value, n_patients)
                verdict += f": {why}"
        rows.append(_row(check_id, "same_quantity", [ia, ib], passed,
                         f"{_describe(a)}; {_describe(b)}: {verdict}", implied))
    return rows


# ----------------------------------------------------------------------------- definitions
def _definition_rows(by_id: dict[str, Claim]) -> tuple[list[dict], list[dict]]:
    strict_ids = ("t1.del17p", "t1.t_4_14", "t1.t_14_16")
    strict = [target_count(by_id[i]) for i in strict_ids]
    hrca_n = target_count(by_id["txt.hrca"])
    largest_sub = max(by_id[i].effective_denominator for i in HRCA_SUBGROUP)
    any_n = target_count(by_id["t1.cyto_abnormalities"])
    passed = hrca_n <= sum(strict) and largest_sub <= sum(strict)
    expl = (f"methods: HRCA = del(17p), t(4;14) or t(14;16) → at most {' + '.join(map(str, strict))} = {sum(strict)} "
            f"patients (Table 1); the text counts {hrca_n} with an HRCA and the HRCA subgroup has {largest_sub} "
            f"evaluable at C1" + (f", both > {sum(strict)}" if not passed else "") +
            f"; Table 1 has {any_n} with any of its six abnormalities → the HRCA groups are 'any cytogenetic "
            f"abnormality' (any_cyto_abnormality)")
    rows = [_row("definition.hrca", "definition", ["txt.hrca", "t1.cyto_abnormalities", *strict_ids, HRCA_SUBGROUP[0]],
                 passed, expl, f"high-risk abnormality (methods' definition) ≤ {sum(strict)}", judged=["txt.hrca"])]
    implied = [{"quantity": "patients with a high-risk abnormality as the methods define it (at most)",
                "count": sum(strict), "of": None, "claim_ids": ", ".join(strict_ids), "derivation": expl}]

    delays = [by_id["txt.delay"], by_id["t1.delay"]]
    longest = max(c.max for c in delays)
    multi = target_count(by_id["t1.chemo_cycles_2"]) + target_count(by_id["t1.chemo_cycles_3plus"])
    passed = longest <= INCLUSION_WINDOW_DAYS
    expl = (f"methods: 'a cycle of conventional chemotherapy within the preceding month' (≤ {INCLUSION_WINDOW_DAYS} "
            f"days), delay median {delays[0].value:g}, maximum {longest:g} days" +
            ("" if passed else f" > {INCLUSION_WINDOW_DAYS}: consistent only if the delay is counted from the first "
             f"debulking cycle (chemo_start_date) and delays over {INCLUSION_WINDOW_DAYS} days belong to the {multi} "
             f"patients given ≥ 2 cycles"))
    rows.append(_row("definition.inclusion_window", "definition",
                     ["txt.delay", "t1.delay", "t1.chemo_cycles_2", "t1.chemo_cycles_3plus"], passed, expl,
                     f"delay > {INCLUSION_WINDOW_DAYS} d only with ≥ 2 cycles ({multi} patients)",
                     judged=["txt.delay", "t1.delay"]))
    implied.append({"quantity": f"patients given ≥ 2 debulking cycles (the only ones whose delay may exceed "
                                f"{INCLUSION_WINDOW_DAYS} days)", "count": multi, "of": None,
                    "claim_ids": "t1.chemo_cycles_2, t1.chemo_cycles_3plus, t1.delay", "derivation": expl})
    return rows, implied


# ----------------------------------------------------------------------------- Kaplan–Meier
def _nr(x) -> str:
    return "NR" if x is None else f"{x:g}"


def _inf(x) -> float:
    return math.inf if x is None else float(x)


def _km_rows(claims: list[Claim], by_id: dict[str, Claim]) -> list[dict]:
    rows = []
    for spec in KM_SETS:
        o = by_id[spec["overall"]]
        g = [by_id[i] for i in spec["groups"]]
        lo, hi = sorted(_inf(c.value) for c in g)
        passed = lo <= _inf(o.value) <= hi
        groups = " and ".join(f"{_nr(c.value)} ({c.group})" for c in g)
        if passed:
            expl = f"{o.endpoint} overall median {_nr(o.value)} lies between {groups}"
            equal = [c.group for c in g if c.value == o.value]
            if equal:
                expl += f" (equal to the {equal[0]} median)"
        else:
            side = "above" if _inf(o.value) > hi else "below"
            expl = (f"{o.endpoint} overall median {_nr(o.value)} lies {side} both {groups}: two groups that partition "
                    f"the cohort normally bracket the pooled median (its survival curve mixes theirs); consistent if "
                    f"some patients are in neither group (not tested)")
        rows.append(_row(spec["id"], "km_position", [o.id, *spec["groups"]], passed, expl, judged=spec["groups"]))
    for c in claims:
        if c.kind == "km_median" and c.has_ci:
            lower = -math.inf if c.ci_lower is None else c.ci_lower
            passed = lower <= _inf(c.value) <= _inf(c.ci_upper)
            rows.append(_row(f"km_ci.{c.id}", "km_ci", [c.id], passed,
                             f"{c.endpoint} {c.group}: {_nr(c.ci_lower)} ≤ {_nr(c.value)} ≤ {_nr(c.ci_upper)}"
                             + ("" if passed else " does not hold")))
    medians = {(c.endpoint, c.group): c for c in claims if c.kind == "km_median" and c.source == "text"}
    for (endpoint, group), pfs in medians.items():
        os_ = medians.get(("OS", group))
        if endpoint != "PFS" or os_ is None:
            continue
        passed = _inf(pfs.value) <= _inf(os_.value)
        rows.append(_row(f"km_order.{group.lower().replace(' ', '_')}", "km_order", [pfs.id, os_.id], passed,
                         f"{group}: median PFS {_nr(pfs.value)} {'≤' if passed else '>'} median OS {_nr(os_.value)} "
                         f"(PFS can never exceed OS)"))
    return rows


def _followup_rows(claims: list[Claim], by_id: dict[str, Claim]) -> list[dict]:
    fu, period = by_id["txt.followup"], by_id["txt.period"]
    first = date.fromisoformat(period.start + "-01")
    window = (PAPER_RECEIVED - first).days / DAYS_PER_MONTH
    rows = [_row("followup.window", "followup", [fu.id, period.id], fu.max <= window,
                 f"longest follow-up {fu.max:g} months ≤ {window:.1f} months from the first inclusion month "
                 f"({period.start}) to the paper's reception ({PAPER_RECEIVED.isoformat()})")]
    km = [c for c in claims if c.kind == "km_median" and c.value is not None]
    longest = max(km, key=lambda c: c.value)
    rows.append(_row("followup.medians_observed", "followup", [fu.id, longest.id], longest.value <= fu.max,
                     f"every reached KM median ≤ longest follow-up: largest {longest.value:g} ({longest.id}) "
                     f"{'≤' if longest.value <= fu.max else '>'} {fu.max:g} months"))
    return rows


# ----------------------------------------------------------------------------- audit
class _Registry(dict):
    """Claims by id; a claim the checks need but the registry lacks is a ClaimsError, not a KeyError."""

    def __missing__(self, claim_id):
        raise ClaimsError(f"the audit needs claim {claim_id!r}, which data/published/claims.yaml lacks; restore it "
                          f"or update the check definitions in analysis/paper/audit.py")


def _row(check_id, check, claim_ids, passed, explanation, implied="", judged=None, warn="") -> dict:
    """One check result. ``judged``: the claims whose resolution answers a failure (default: all of them);
    ``warn``: for a check that holds, the reading the cohort follows where the paper leaves a doubt (WARN)."""
    return {"check_id": check_id, "claim_ids": ", ".join(claim_ids), "check": check, "passed": bool(passed),
            "explanation": explanation, "implied": implied, "_judged": list(judged or claim_ids), "_warn": warn}


def _resolution_text(c: Claim) -> str:
    r = c.resolution
    parts = [f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}"
             for k, v in (("n", r.n), ("denominator", r.denominator), ("value", r.value)) if v is not None]
    return f"{c.id}: {', '.join(parts) + ' — ' if parts else ''}{r.why}"


def audit(claims: list[Claim] | None = None) -> pd.DataFrame:
    """Run every consistency check on the claims registry.

    Parameters
    ----------
    claims : list of Claim, optional (default=None)
        The registry (default: :func:`analysis.paper.claims.load_claims`).

    Returns
    -------
    pandas.DataFrame
        One row per check: ``check_id``, ``claim_ids`` (comma-joined),
        ``check`` (type), ``passed`` (bool: no inconsistency found — True for
        PASS and WARN), ``explanation`` (one line), ``implied`` (derived
        counts, may be empty), ``resolved`` (for a failing check: whether the
        claims it judges record a ``resolution``; True for a WARN, whose
        reading is recorded with the check; missing for a PASS),
        ``resolution`` (a failure's resolutions, ``id: fields — why``, or a
        WARN's reading) and ``status``: "PASS", "WARN" (the numbers hold
        together, but only under a reading the paper does not state: a unit,
        patients outside every printed category) or "FAIL". ``status`` is the
        last column so that readers of the earlier columns are unaffected.
        A check judges all its claims except where stated: ``definition.hrca``
        judges ``txt.hrca``, the inclusion window the two delays, the KM
        position check the two subgroup medians.
    """
    claims = load_claims() if claims is None else claims
    by_id = _Registry((c.id, c) for c in claims)
    sum_rows, _ = _sum_rows(by_id)
    def_rows, _ = _definition_rows(by_id)
    rows = (_grim_rows(claims) + [_rounding_row(claims)] + _typo_rows(claims) + sum_rows + _pair_rows(by_id)
            + def_rows + _km_rows(claims, by_id) + _followup_rows(claims, by_id)
            + [_row(r["id"], r["check"], r["claim_ids"], True, r["explanation"], warn=r["reading"]) for r in READINGS])
    for row in rows:
        with_resolution = [by_id[i] for i in row.pop("_judged") if by_id[i].resolution]
        warn = row.pop("_warn")
        if not row["passed"]:
            row.update(status="FAIL", resolved=bool(with_resolution),
                       resolution=" | ".join(_resolution_text(c) for c in with_resolution))
        elif warn:
            row.update(status="WARN", resolved=True, resolution=warn)
        else:
            row.update(status="PASS", resolved=pd.NA, resolution="")
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["resolved"] = frame["resolved"].astype("boolean")
    return frame


def implied_counts(claims: list[Claim] | None = None) -> pd.DataFrame:
    """Every count the printed numbers imply but do not print.

    Returns
    -------
    pandas.DataFrame
        ``quantity``, ``count``, ``of`` (denominator, if any), ``claim_ids``,
        ``derivation``. Rows come from (1) percentages printed without their
        count (:func:`analysis.paper.claims.target_count`, resolutions applied),
        (2) the sum checks that name a derived quantity, (3) the methods'
        HRCA definition, (4) denominators smaller than the population
        (patients with the variable missing).
    """
    claims = load_claims() if claims is None else claims
    by_id = _Registry((c.id, c) for c in claims)
    rows = []
    for c in claims:
        if c.kind == "proportion" and c.n is None and c.pct is not None:
            k, d = target_count(c), c.effective_denominator
            how = f"{printed_text(c.pct, c.pct_decimals)} of {d} → {fraction_text(k, d, c.pct_decimals)}"
            if c.resolution is not None and c.resolution.n is not None:
                how += " (resolution)"
            rows.append({"quantity": c.quote, "count": k, "of": d, "claim_ids": c.id, "derivation": how})
    rows += _sum_rows(by_id)[1] + _definition_rows(by_id)[1]
    missing: dict[str, dict] = {}
    for c in claims:
        if c.kind == "proportion" and c.denominator_source == "population" and c.effective_denominator \
                and c.effective_denominator < c.denominator:
            m = re.fullmatch(r"(\w+)\.notna\(\)", (c.metric or {}).get("denominator", ""))
            what = m.group(1) if m else "the denominator variable"
            entry = missing.setdefault(what, {"quantity": f"patients with {what} missing",
                                              "count": c.denominator - c.effective_denominator, "of": c.denominator,
                                              "claim_ids": [], "derivation": f"{c.denominator} − "
                                              f"{c.effective_denominator} (denominator that prints the percentage)"})
            entry["claim_ids"].append(c.id)
    rows += [{**e, "claim_ids": ", ".join(e["claim_ids"])} for e in missing.values()]
    frame = pd.DataFrame(rows, columns=["quantity", "count", "of", "claim_ids", "derivation"])
    frame["count"] = frame["count"].astype("Int64")
    frame["of"] = frame["of"].astype("Int64")
    return frame
