"""How a count over a denominator prints as a percentage, under each rounding rule.

A percentage printed with ``d`` decimals is reproduced from a count ``k`` over a
denominator ``N`` by one of three rules applied to ``x = 100·k/N`` (computed
exactly, with fractions, so no binary floating-point tie is lost):

* ``half_up`` — ``floor(x·10^d + 1/2) / 10^d`` (the school rule; SAS, Excel);
* ``half_even`` — ties go to the even last digit (R's ``round``, Python's
  ``round``, IEC 60559);
* ``truncate`` — ``floor(x·10^d) / 10^d`` (digits dropped).

Used by the claims registry (:func:`analysis.paper.claims.target_count`) and the GRIM
check of the audit (:mod:`analysis.paper.grim`).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

ROUNDING_RULES = ("half_up", "half_even", "truncate")
RULE_NAMES = {"half_up": "half-up", "half_even": "half-even", "truncate": "truncation"}


def printed_percent(k: int, denominator: int, decimals: int, rule: str = "half_up") -> Decimal:
    """``100·k/denominator`` as printed with ``decimals`` decimals under ``rule``.

    Parameters
    ----------
    k, denominator : int
        Count and denominator (``denominator`` ≥ 1).
    decimals : int
        Decimals printed (0 for "35%", 1 for "9.1%").
    rule : {"half_up", "half_even", "truncate"}, optional (default="half_up")
        Rounding rule; see the module docstring.

    Returns
    -------
    decimal.Decimal
        Exact printed value, e.g. ``printed_percent(2, 44, 0, "truncate") == Decimal("4")``.
    """
    return printed_value(Fraction(100 * k, denominator), decimals, rule)


def printed_value(x: Fraction | float, decimals: int, rule: str = "half_up") -> Decimal:
    """Any non-negative number ``x`` as printed with ``decimals`` decimals under ``rule``."""
    if rule not in ROUNDING_RULES:
        raise ValueError(f"unknown rounding rule {rule!r}; use one of {', '.join(ROUNDING_RULES)}")
    scaled = Fraction(x) * 10**decimals
    low = math.floor(scaled)
    rest = scaled - low
    if rule == "truncate":
        q = low
    elif rule == "half_up":
        q = low + (rest >= Fraction(1, 2))
    else:
        q = low + (rest > Fraction(1, 2) or (rest == Fraction(1, 2) and low % 2 == 1))
    return Decimal(q).scaleb(-decimals)


def as_decimal(x: float | int) -> Decimal:
    """A printed number (as loaded from YAML) as an exact decimal: 9.1 -> Decimal('9.1')."""
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def rules_fitting(k: int, denominator: int, pct: float, decimals: int) -> tuple[str, ...]:
    """The rounding rules under which ``k/denominator`` prints as ``pct``."""
    target = as_decimal(pct)
    return tuple(r for r in ROUNDING_RULES if printed_percent(k, denominator, decimals, r) == target)


def counts_fitting(pct: float, decimals: int, denominator: int, rule: str = "half_up") -> tuple[int, ...]:
    """Every count ``k`` in 0..denominator with ``k/denominator`` printing as ``pct`` under ``rule``."""
    target = as_decimal(pct)
    return tuple(k for k in range(denominator + 1) if printed_percent(k, denominator, decimals, rule) == target)


def fraction_text(k: int, d: int, decimals: int) -> str:
    """``k/d`` and its percentage with one decimal more than printed: ``"15/44 = 34.1%"``."""
    return f"{k}/{d} = {100 * k / d:.{decimals + 1}f}%"


def rules_text(rules) -> str:
    """Rule names as a reader says them: ``"half-up, truncation"``."""
    return ", ".join(RULE_NAMES[r] for r in rules)


def printed_text(pct: float, decimals: int) -> str:
    """A printed percentage as it was printed: ``printed_text(9.1, 1) == "9.1%"``."""
    return f"{as_decimal(pct):.{decimals}f}%"
