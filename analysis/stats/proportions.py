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


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval for k successes in n trials; (nan, nan) when n = 0."""
    if n == 0:
        return float("nan"), float("nan")
    a = 1 - level
    lo = 0.0 if k == 0 else float(stats.beta.ppf(a / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(stats.beta.ppf(1 - a / 2, k + 1, n - k))
    return lo, hi
