"""Confidence intervals for a proportion.

:func:`clopper_pearson` is the exact interval (Clopper & Pearson, Biometrika
1934;26:404), the convention of pivotal trials for response and toxicity rates;
conservative (coverage ≥ 95%). Computed from the beta quantiles:
lower = B(α/2; k, n − k + 1), upper = B(1 − α/2; k + 1, n − k), with the closed
forms 0 at k = 0 and 1 at k = n. Equivalent: R ``binom.test(k, n)$conf.int``;
statsmodels ``proportion_confint(k, n, method="beta")``.
"""

from __future__ import annotations

from scipy import stats


def _count(value, name: str) -> float:
    try:
        whole = float(value).is_integer()
    except (TypeError, ValueError):
        whole = False
    if not whole or value < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, got {value!r}")
    return value


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval for k successes in n trials; (nan, nan) when n = 0.

    ``k`` and ``n`` are whole numbers, 0 ≤ k ≤ n (else a ``ValueError`` naming the argument).

    Examples
    --------
    At k = 0 the upper limit is 1 − (α/2)^(1/n), at k = n the lower (α/2)^(1/n): 0.025^(1/10) = 0.6915.
    3 of 10 is R's ``binom.test(3, 10)$conf.int``, 0.0667 to 0.6525:

    >>> lo, hi = clopper_pearson(0, 10)
    >>> lo, round(hi, 4)
    (0.0, 0.3085)
    >>> lo, hi = clopper_pearson(10, 10)
    >>> round(lo, 4), hi
    (0.6915, 1.0)
    >>> [round(x, 4) for x in clopper_pearson(3, 10)]
    [0.0667, 0.6525]
    >>> clopper_pearson(0, 0)
    (nan, nan)
    >>> clopper_pearson(4, 3)
    Traceback (most recent call last):
    ...
    ValueError: k = 4 exceeds its denominator n = 3
    """
    _count(k, "k")
    _count(n, "n")
    if k > n:
        raise ValueError(f"k = {k} exceeds its denominator n = {n}")
    if n == 0:
        return float("nan"), float("nan")
    a = 1 - level
    lo = 0.0 if k == 0 else float(stats.beta.ppf(a / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(stats.beta.ppf(1 - a / 2, k + 1, n - k))
    return lo, hi
