"""Two independent samples side by side: a difference of proportions, a median's CI, multiplicity.

* :func:`difference_of_proportions` — p1 − p2 with the **Newcombe hybrid score
  interval** (Newcombe, Stat Med 1998;17:873, method 10) and **Fisher's exact
  test**, two-sided. With Wilson score limits [l_i, u_i] for each proportion
  p_i = k_i / n_i, δ = p1 − p2 has limits

      L = δ − sqrt((p1 − l1)² + (u2 − p2)²),   U = δ + sqrt((u1 − p1)² + (p2 − l2)²).

  Computed by statsmodels ``confint_proportions_2indep(k1, n1, k2, n2,
  method="newcomb")``; R ``Epi::ci.pd(method = "Nc")`` or
  ``DescTools::BinomDiffCI(method = "score")``. Chosen over Wald because it
  keeps its coverage at the sizes of a case series (tens of patients) and at
  0 % or 100 %, where Wald collapses to a zero-width interval. Fisher's test
  conditions on the margins of the 2 × 2 table ((k1, n1 − k1), (k2, n2 − k2))
  and sums the hypergeometric probabilities of every table no more probable
  than the observed one (R ``fisher.test``; ``scipy.stats.fisher_exact``), so
  it is exact at any size and needs no expected-count rule.
* :func:`median_ci` — the distribution-free interval of a median from order
  statistics (Conover, *Practical Nonparametric Statistics*, 3rd ed. 1999,
  §3.2; Hollander & Wolfe). The number of observations below the population
  median is B ~ Binomial(n, 1/2), so with x₍₁₎ ≤ … ≤ x₍ₙ₎ the interval
  [x₍ₗ₎, x₍ₙ₋ₗ₊₁₎] covers the median with probability 1 − 2·P(B ≤ l − 1). The
  rule: l = the smallest integer with P(B ≤ l) ≥ α/2 (R ``qbinom(α/2, n,
  0.5)``), which makes the coverage the smallest attainable ≥ 1 − α. Equal to
  R ``DescTools::MedianCI(method = "exact")`` and to scipy's
  ``quantile_test(...).confidence_interval()``. At 95 % there is no such
  interval for n ≤ 5 (even [x₍₁₎, x₍ₙ₎] covers only 1 − 2^(1−n) = 93.75 % at
  n = 5): "not estimable".
* :func:`holm` — Holm's step-down adjustment (Holm, Scand J Stat 1979;6:65):
  the i-th smallest of m p-values becomes max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎).
  It controls the family-wise error rate under any dependence, which suits a
  table of comparisons drawn from the same patients. statsmodels
  ``multipletests(method="holm")``; R ``p.adjust(method = "holm")``.

Degenerate but valid input (an empty denominator, too few values for an
interval) is not an error: the result says ``estimable = False`` and gives the
reason. Invalid input (negative counts, a count above its denominator, missing
values) raises ``ValueError`` naming the argument.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

NAN = math.nan


@dataclass(frozen=True)
class ProportionDifference:
    """:func:`difference_of_proportions`'s answer: both proportions, p1 − p2 with its Newcombe limits, Fisher's
    two-sided p; ``estimable`` False with the ``reason`` when a denominator is empty (the rest NaN).

    Examples
    --------
    >>> d = difference_of_proportions(1, 2, 0, 0)
    >>> d.estimable, d.reason, d.p1
    (False, 'no patients in the second denominator', 0.5)
    >>> d.to_frame().columns.tolist()
    ['p1', 'p2', 'difference', 'lower', 'upper', 'p_value', 'estimable', 'reason']
    """

    p1: float = NAN
    p2: float = NAN
    difference: float = NAN
    lower: float = NAN
    upper: float = NAN
    p_value: float = NAN
    estimable: bool = False
    reason: str = ""

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([dataclasses.asdict(self)])


@dataclass(frozen=True)
class MedianInterval:
    """:func:`median_ci`'s answer: ``n``, the sample median, its order-statistic limits x₍ₗ₎ and x₍ₙ₋ₗ₊₁₎
    (``rank_lower`` = l, ``rank_upper`` = n − l + 1) and their exact ``coverage``; ``estimable`` False with
    the ``reason`` when there are too few values for an interval (the limits NaN).

    Examples
    --------
    >>> m = median_ci([1, 2, 3])
    >>> m.estimable, m.median, m.lower
    (False, 2.0, nan)
    >>> m.reason
    'n = 3 is too few for a 95% distribution-free interval (even the range covers only 75.00%)'
    """

    n: int = 0
    median: float = NAN
    lower: float = NAN
    upper: float = NAN
    rank_lower: float = NAN
    rank_upper: float = NAN
    coverage: float = NAN
    estimable: bool = False
    reason: str = ""

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([dataclasses.asdict(self)])


def _alpha(level: float) -> float:
    """1 − level as written: 0.95 gives exactly 0.05 (float subtraction gives 0.050000000000000044)."""
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    return float(Decimal(1) - Decimal(repr(float(level))))


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not float(value).is_integer() or value < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, got {value!r}")
    return int(value)


def difference_of_proportions(k1: int, n1: int, k2: int, n2: int, level: float = 0.95) -> ProportionDifference:
    """Difference p1 − p2 of two independent proportions, its Newcombe interval and Fisher's p.

    Parameters
    ----------
    k1, n1 : int
        Successes and denominator of the first sample (e.g. this cohort).
    k2, n2 : int
        The same for the second sample (e.g. the published study).
    level : float, optional (default=0.95)
        Confidence level of the interval; the test does not depend on it.

    Returns
    -------
    ProportionDifference
        ``p1``, ``p2``, ``difference`` (p1 − p2, as a fraction), ``lower``,
        ``upper`` (Newcombe hybrid score limits), ``p_value`` (Fisher's exact
        test, two-sided), ``estimable`` (bool) and ``reason`` ("" when
        estimable). A zero denominator gives ``estimable = False`` and ``nan``
        for everything it makes undefined. n = 1 and 0 % or 100 % are
        estimable: Wilson's limits exist there (Wald's do not).

    Raises
    ------
    ValueError
        A count that is negative, not whole, or larger than its denominator.

    Examples
    --------
    Newcombe's (1998) example (a), 56/70 vs 48/80: δ = 0.2000, 95% CI 0.0524 to 0.3339.

    >>> d = difference_of_proportions(56, 70, 48, 80)
    >>> round(d.difference, 4), round(d.lower, 4), round(d.upper, 4)
    (0.2, 0.0524, 0.3339)
    """
    k1, n1, k2, n2 = (_count(v, name) for v, name in ((k1, "k1"), (n1, "n1"), (k2, "k2"), (n2, "n2")))
    for k, n, name in ((k1, n1, "k1"), (k2, n2, "k2")):
        if k > n:
            raise ValueError(f"{name} = {k} exceeds its denominator {n}")
    p1 = k1 / n1 if n1 else math.nan
    p2 = k2 / n2 if n2 else math.nan
    empty = [name for n, name in ((n1, "first"), (n2, "second")) if n == 0]
    if empty:
        return ProportionDifference(p1, p2, reason=f"no patients in the {' and '.join(empty)} denominator")
    lower, upper = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=_alpha(level))
    # the table's rows are the two samples: (successes, failures)
    _, p = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]], alternative="two-sided")
    return ProportionDifference(p1, p2, p1 - p2, float(lower), float(upper), float(p), estimable=True)


def median_rank(n: int, level: float = 0.95) -> int:
    """The order-statistic rank l of the distribution-free median interval [x₍ₗ₎, x₍ₙ₋ₗ₊₁₎].

    l = min{k : P(B ≤ k) ≥ α/2}, B ~ Binomial(n, 1/2) (R ``qbinom((1 - level)/2, n, 0.5)``).
    0 means that no order-statistic interval reaches ``level`` (n ≤ 5 at 95 %).

    Examples
    --------
    n = 10: P(B ≤ 1) = 11/1024 < 0.025 ≤ P(B ≤ 2) = 56/1024, so l = 2; n = 6: P(B ≤ 0) = 1/64 <
    0.025 ≤ 7/64, l = 1; n = 5: already P(B ≤ 0) = 1/32 ≥ 0.025, no interval (0):

    >>> median_rank(10), median_rank(6), median_rank(5)
    (2, 1, 0)
    """
    n = _count(n, "n")
    if n == 0:
        return 0
    half_alpha = _alpha(level) / 2
    rank = int(stats.binom.ppf(half_alpha, n, 0.5))
    # guard the float quantile against an off-by-one at the boundary: the definition, exactly
    while rank > 0 and stats.binom.cdf(rank - 1, n, 0.5) >= half_alpha:
        rank -= 1
    while stats.binom.cdf(rank, n, 0.5) < half_alpha:
        rank += 1
    return rank


def median_ci(values, level: float = 0.95) -> MedianInterval:
    """The sample median with its distribution-free (order-statistic) confidence interval.

    Parameters
    ----------
    values : array-like of float
        The observations, without missing values (drop them first and say how many).
    level : float, optional (default=0.95)
        Nominal confidence level; the attained ``coverage`` is at least this.

    Returns
    -------
    MedianInterval
        ``n``, ``median`` (the usual sample median: the mean of the two middle
        values for even n), ``lower`` = x₍ₗ₎, ``upper`` = x₍ₙ₋ₗ₊₁₎,
        ``rank_lower`` = l, ``rank_upper`` = n − l + 1, ``coverage`` =
        1 − 2·P(B ≤ l − 1) (exact, ≥ ``level``), ``estimable`` and ``reason``.
        With too few values for an interval (n ≤ 5 at 95 %) the median is still
        given and the limits are ``nan``; with no values everything is ``nan``.

    Raises
    ------
    ValueError
        ``values`` is not one-dimensional or contains missing or infinite values (the message
        names the first position).

    Examples
    --------
    n = 10: l = 2, so [x₍₂₎, x₍₉₎] with coverage 1 − 2·11/1024 = 97.85 %.

    >>> m = median_ci(range(1, 11))
    >>> m.median, m.lower, m.upper, round(m.coverage, 4)
    (5.5, 2.0, 9.0, 0.9785)
    >>> median_ci([1.0, float("nan"), 3.0])
    Traceback (most recent call last):
    ...
    ValueError: values[1] is nan: values contain 1 missing value(s); drop them before calling median_ci and report how many were dropped
    """
    x = np.asarray(values, dtype="float64")
    if x.ndim != 1:
        raise ValueError("values must be one-dimensional")
    missing = np.isnan(x)
    if missing.any():
        raise ValueError(
            f"values[{int(np.flatnonzero(missing)[0])}] is nan: values contain {int(missing.sum())} "
            f"missing value(s); drop them before calling median_ci and report how many were dropped"
        )
    infinite = np.isinf(x)
    if infinite.any():
        i = int(np.flatnonzero(infinite)[0])
        raise ValueError(f"values[{i}] is {x[i]:g}: values must be finite numbers")
    n = len(x)
    if n == 0:
        return MedianInterval(0, rank_lower=0, rank_upper=0, reason="no values")
    x = np.sort(x)
    median = float(np.median(x))
    rank = median_rank(n, level)
    if rank == 0:
        widest = 1 - 2 * 0.5**n
        return MedianInterval(
            n,
            median,
            rank_lower=0,
            rank_upper=0,
            reason=f"n = {n} is too few for a {100 * level:g}% distribution-free interval (even "
            f"the range covers only {100 * widest:.2f}%)",
        )
    return MedianInterval(
        n,
        median,
        float(x[rank - 1]),
        float(x[n - rank]),
        rank,
        n - rank + 1,
        float(1 - 2 * stats.binom.cdf(rank - 1, n, 0.5)),
        estimable=True,
    )


def holm(p_values) -> np.ndarray:
    """Holm-adjusted p-values, in the input order; ``nan`` stays ``nan`` and is not counted in the family.

    With the m non-missing p-values sorted, p_(1) ≤ … ≤ p_(m), the adjusted value of p_(i) is
    min(1, max_{j ≤ i} (m − j + 1) p_(j)) (Holm 1979, Scand J Statist 6:65-70; R ``p.adjust(p,
    "holm")``). Computed here with numpy in the very operations of statsmodels
    ``multipletests(p, method="holm")[1]`` (sort, multiply by m, m − 1, …, 1, running maximum, clip
    at 1), to which it is equal bit for bit (tests/stats/test_compare.py): statsmodels' version
    calls ``gc.collect()`` on every call, ~0.25 s in a process holding a few hundred MB of objects,
    and every notebook section adjusts a family.

    Parameters
    ----------
    p_values : array-like of float
        Unadjusted p-values in [0, 1]; ``nan`` for a comparison that was not made.

    Returns
    -------
    numpy.ndarray
        The adjusted values over the non-missing entries.

    Examples
    --------
    Sorted, 0.005, 0.01, 0.03, 0.04 become 4·0.005, 3·0.01, 2·0.03 and max(0.06, 1·0.04):

    >>> holm([0.01, 0.04, 0.03, 0.005]).round(4).tolist()
    [0.03, 0.06, 0.06, 0.02]
    >>> holm([0.01, float("nan"), 0.04]).round(4).tolist()
    [0.02, nan, 0.04]
    """
    p = np.asarray(p_values, dtype="float64")
    if p.ndim != 1:
        raise ValueError("p_values must be one-dimensional")
    outside = ~np.isnan(p) & ((p < 0) | (p > 1))
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise ValueError(f"p_values[{i}] is {p[i]:g}: p-values must lie in [0, 1]")
    finite = ~np.isnan(p)
    out = np.full(p.shape, np.nan)
    values = p[finite]
    if values.size:
        order = np.argsort(values)
        adjusted = np.maximum.accumulate(values[order] * np.arange(values.size, 0, -1))
        adjusted[adjusted > 1] = 1
        unsorted = np.empty_like(adjusted)
        unsorted[order] = adjusted
        out[finite] = unsorted
    return out


__all__ = ["MedianInterval", "ProportionDifference", "difference_of_proportions", "holm", "median_ci", "median_rank"]
