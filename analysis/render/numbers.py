"""How every number the compendium prints is rounded and written: one rule, one place.

Two outputs must never print the same value differently (a count of 21/40 once
as "52%" and once as "53%"), so every display table, figure label and printed
line formats its numbers here.

Rounding rule: **half up** on the decimal value — 52.5% prints as 53%, 2.675 as
2.68 — as SAS, Excel and the paper's tables do (R's ``round`` and Python's
``round``/``format`` round half to even, and on the binary value, so that 2.675
prints as 2.67). A proportion ``k/n`` is rounded from the exact fraction; any
other float from its shortest decimal representation (``repr``), which is the
number as stored, so a value is rounded exactly once.

Percentages follow the paper's convention: whole numbers, and one decimal below
10% (``4/44`` prints "9.1", ``21/40`` "53"); a caller may ask for fixed decimals.
Missing values print as ``—``; a survival median or limit not reached (NaN or
infinite) as ``NR``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd

MISSING = "—"
NOT_REACHED = "NR"


def _is_missing(x) -> bool:
    """None, NaN or ±inf (an infinite bound is one that was not reached)."""
    if x is None or x is pd.NA:
        return True
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _quantize(d: Decimal, decimals: int) -> str:
    q = Decimal(1).scaleb(-decimals)
    out = d.quantize(q, rounding=ROUND_HALF_UP)
    return "0" + ("." + "0" * decimals if decimals else "") if out.is_zero() else str(out)


def fixed(x, decimals: int = 1, missing: str = MISSING) -> str:
    """``x`` with ``decimals`` decimals, rounded half up; ``missing`` for None/NaN.

    ``fixed(2.675, 2) == "2.68"``; ``fixed(0.125, 2) == "0.13"``; ``fixed(-0.04, 1) == "0.0"``.
    """
    if _is_missing(x):
        return missing
    if isinstance(x, Fraction):
        d = Decimal(x.numerator) / Decimal(x.denominator)
    else:
        d = Decimal(repr(float(x))) if not isinstance(x, int) else Decimal(x)
    return _quantize(d, decimals)


def rounded(table, decimals: int):
    """``table`` (DataFrame, Series or number) with every float rounded half up to ``decimals`` — the rule above.

    What a notebook shows or writes as rounded numbers (``pandas.DataFrame.round`` and ``numpy.round``
    round half to even, on the binary value: 0.125 → 0.12, 2.675 → 2.67; here 0.13 and 2.68, as
    :func:`fixed` prints them). Floats stay floats (the shortest decimal of the rounded value), NaN stays
    NaN; integers and text are left as they are.

    >>> rounded(pd.Series([0.125, 2.675, float("nan")]), 2).tolist()
    [0.13, 2.68, nan]
    """

    def one(x):
        if isinstance(x, float) and math.isfinite(x):
            return float(_quantize(Decimal(repr(x)), decimals))
        return x

    if isinstance(table, pd.DataFrame):
        out = table.copy()
        for col in out.columns:
            if pd.api.types.is_float_dtype(out[col]):
                out[col] = out[col].map(one).astype(out[col].dtype)
        return out
    if isinstance(table, pd.Series):
        return table.map(one).astype(table.dtype) if pd.api.types.is_float_dtype(table) else table.copy()
    return one(float(table)) if isinstance(table, float) else table


def percent(k: int, n: int, decimals: int | None = None) -> str:
    """``100·k/n`` rounded half up from the exact fraction, without the % sign.

    ``decimals=None`` (default): the paper's convention — one decimal below 10%, else
    none. ``n = 0`` gives ``—`` (no denominator, no percentage).
    """
    if not n:
        return MISSING
    p = Fraction(100 * int(k), int(n))
    if decimals is None:
        decimals = 1 if p < 10 else 0
    return fixed(p, decimals)


def count_percent(k: int, n: int, denominator: bool = False, decimals: int | None = None) -> str:
    """``"21 (53%)"``, or ``"21/40 (53%)"`` with ``denominator=True``; ``"0/0"`` when ``n = 0``."""
    if not n:
        return f"{int(k)}/0"
    head = f"{int(k)}/{int(n)}" if denominator else f"{int(k)}"
    return f"{head} ({percent(k, n, decimals)}%)"


def thousands(n) -> str:
    """A count with thousands separators: ``12,345`` (risk tables and captions of large cohorts)."""
    return MISSING if _is_missing(n) else f"{int(n):,}"


def number(x, missing: str = MISSING) -> str:
    """A count or a measurement as recorded: integers without decimals, else one decimal."""
    if _is_missing(x):
        return missing
    return str(int(x)) if float(x).is_integer() else fixed(x, 1)


def median_range(values, decimals: int | None = None) -> str:
    """``"66 (45–82)"``: median (min–max) of the non-missing values; ``—`` if there are none.

    ``decimals=None`` prints whole values without decimals and others with one
    (:func:`number`); otherwise fixed decimals (e.g. 1 for months).
    """
    v = [float(x) for x in values if not _is_missing(x)]
    if not v:
        return MISSING
    v.sort()
    m = len(v) // 2
    med = v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2
    show = number if decimals is None else (lambda x: fixed(x, decimals))
    return f"{show(med)} ({show(v[0])}–{show(v[-1])})"


def months(x) -> str:
    """A time in months with one decimal; ``NR`` when not reached (NaN)."""
    return fixed(x, 1, missing=NOT_REACHED)


def interval(lower, upper, decimals: int = 1, missing: str = NOT_REACHED) -> str:
    """``"7.0–18.5"``; a bound that does not exist prints as ``missing`` (``NR`` by default)."""
    return f"{fixed(lower, decimals, missing)}–{fixed(upper, decimals, missing)}"


def estimate_ci(estimate, lower, upper, decimals: int = 1, missing: str = NOT_REACHED) -> str:
    """``"10.2 (7.0–18.5)"``; ``"NR (13.9–NR)"`` for a median not reached whose lower limit is;
    ``missing`` alone when neither the estimate nor a limit exists."""
    if _is_missing(estimate) and _is_missing(lower) and _is_missing(upper):
        return missing
    return f"{fixed(estimate, decimals, missing)} ({interval(lower, upper, decimals, missing)})"


def p_value(p, missing: str = MISSING) -> str:
    """Three decimals, rounded half up; ``"<0.001"`` below 0.001; ``missing`` for NaN."""
    if _is_missing(p):
        return missing
    return "<0.001" if p < 0.001 else fixed(p, 3)
