"""GRIM: can a printed percentage come from a whole count over its denominator?

Granularity-related inconsistency of means (Brown & Heathers, Soc Psychol Personal
Sci 2017;8:363, doi:10.1177/1948550616673876), applied to percentages: ``n`` out of
``N`` must print as the stated percentage under at least one rounding rule of
:mod:`analysis.paper.rounding`. :func:`grim` also lists every other denominator that
would fit, and derives the count when only a percentage is printed. The audit
(:mod:`analysis.paper.audit`) runs it on every proportion of the claims registry.
"""

from __future__ import annotations

import math

from .rounding import (
    ROUNDING_RULES,
    counts_fitting,
    fraction_text,
    printed_text,
    rules_fitting,
    rules_text,
)

#: Largest denominator searched for alternatives (the study has 44 patients).
MAX_DENOMINATOR = 60


def grim(
    n: int | None, pct: float, decimals: int, denominator: int | None = None, max_denominator: int = MAX_DENOMINATOR
) -> dict:
    """GRIM test of one printed percentage.

    Parameters
    ----------
    n : int or None
        Printed count; ``None`` when only the percentage is printed.
    pct : float
        Printed percentage, e.g. 35 or 9.1.
    decimals : int
        Decimals printed.
    denominator : int, optional (default=None)
        Stated or population denominator; ``None`` if unknown.
    max_denominator : int, optional (default=60)
        Largest denominator searched for alternatives.

    Returns
    -------
    dict
        ``passed`` (bool); ``rules`` (rules under which ``n/denominator``
        prints ``pct``); ``counts`` (rule -> counts over ``denominator`` that
        print ``pct``, when ``n`` is None); ``alternatives`` (list of
        ``(d, rules)``, every ``d`` in ``max(n, 1)..max_denominator`` for which
        ``n/d`` prints ``pct``); ``explanation``; ``implied``.

    Notes
    -----
    Passes when the given count and denominator fit under at least one rule
    (or, with ``n`` None, when some count does). Example: ``grim(15, 35, 0, 44)``
    fails (15/44 = 34.1%) and names 15/43 = 34.9% as the denominator that fits.
    """
    target = printed_text(pct, decimals)
    out = {"passed": False, "rules": (), "counts": {}, "alternatives": [], "explanation": "", "implied": ""}
    if n is None:
        if denominator is None:
            raise ValueError("grim needs a count, a denominator, or both")
        return _percentage_only(out, pct, decimals, denominator, target)
    out["alternatives"] = [
        (d, rules_fitting(n, d, pct, decimals))
        for d in range(max(n, 1), max_denominator + 1)
        if rules_fitting(n, d, pct, decimals)
    ]
    alt_text = (
        "; ".join(f"{n}/{d} ({rules_text(r)})" for d, r in out["alternatives"][:4])
        or f"no denominator {max(n, 1)}–{max_denominator} under any rule"
    )
    if denominator is None:
        out["passed"] = bool(out["alternatives"])
        out["explanation"] = f"{n} at {target}, denominator not printed: {alt_text}"
        return out
    out["rules"] = rules_fitting(n, denominator, pct, decimals)
    out["passed"] = bool(out["rules"])
    shown = fraction_text(n, denominator, decimals)
    if out["passed"]:
        only = " — truncation only" if out["rules"] == ("truncate",) else ""
        out["explanation"] = f"{shown} → {target} ({rules_text(out['rules'])}){only}"
    else:
        over = sorted({k for r in ROUNDING_RULES for k in counts_fitting(pct, decimals, denominator, r)})
        over_text = (
            (f"; over {denominator}, {target} needs " + " or ".join(str(k) for k in over))
            if over
            else f"; no count over {denominator} gives {target}"
        )
        out["explanation"] = f"{shown} ≠ {target}; {target} fits {alt_text}{over_text}"
    return out


def _percentage_only(out: dict, pct: float, decimals: int, denominator: int, target: str) -> dict:
    """GRIM of a percentage printed without its count: the counts over ``denominator`` that print it."""
    counts = {r: counts_fitting(pct, decimals, denominator, r) for r in ROUNDING_RULES}
    ks = sorted({k for v in counts.values() for k in v})
    out["counts"] = counts
    out["passed"] = bool(ks)
    if ks:
        parts = [
            f"{k} ({fraction_text(k, denominator, decimals)}; "
            f"{rules_text(rules_fitting(k, denominator, pct, decimals))})"
            for k in ks
        ]
        out["explanation"] = f"{target} of {denominator} → " + "; or ".join(parts)
        out["implied"] = " or ".join(str(k) for k in ks) + f" of {denominator}"
    else:
        x = pct * denominator / 100
        near = sorted({math.floor(x), math.ceil(x)})
        out["explanation"] = (
            f"{target} of {denominator}: no count fits under any rule ("
            + ", ".join(fraction_text(k, denominator, decimals) for k in near)
            + ")"
        )
    return out
