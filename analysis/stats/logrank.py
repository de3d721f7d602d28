"""The weighted log-rank test of R's ``survdiff``, for k groups and optional strata, in O(N log N).

The one implementation of the test in this package: :func:`survdiff` (a result object),
:func:`two_sample_p` (its p-value alone, for loops: the same computation, bit for bit) and
:func:`replicate_chi2` (the same statistic for many weighted samples at once, for the bootstrap).

At each distinct event time u (within a stratum), with n(u) at risk, d(u) events,
and n_g(u), d_g(u) in group g, the Fleming–Harrington weight is
w(u) = S(u−)^rho, S the Kaplan–Meier of the stratum's pooled sample (rho = 0: the
log-rank test, Mantel–Haenszel; rho = 1: Peto–Peto's modification). Then

* observed O_g = Σ_u w d_g, expected E_g = Σ_u w n_g d / n;
* variance V_gh = Σ_u w² d (n − d) / (n² (n − 1)) · n_g (δ_gh n − n_h) (hypergeometric);
* χ² = (O − E)ᵀ V⁻ (O − E) over the first k − 1 groups, on k − 1 degrees of freedom
  (V⁻ the Moore–Penrose inverse); for two groups, its closed form U² / V with U = O₂ − E₂ and V = V₂₂
  (the higher group: ``True``, 1), and p = erfc(√(χ²/2)).

With strata (R ``survdiff(Surv(t, e) ~ g + strata(s))``), O, E and V are summed over
the strata, each with its own risk sets and weights. The risk sets come from
:func:`analysis.stats.risksets.counts` (one sort, no subject × time matrix). Equal to
R's ``survdiff`` (frozen references in ``tests/r/``) to 1e-10.

**Not estimable** (``chi2``, ``p`` NaN, and ``note`` says why): fewer than two groups, or no
event. **Zero variance** — events, but at no event time both groups at risk with a survivor
(e.g. everyone at risk dies at once, or one group has left before the first event): the
statistic is χ² = 0, p = 1, with a note. This is R's answer where R gives one (groups with no
expected events are dropped, ``survdiff`` then prints χ² = 0) and lifelines' everywhere; R's
``solve`` stops on the singular variance in the remaining case.

Reference: Harrington & Fleming, Biometrika 1982;69:553. Therneau, survival package,
``R/survdiff.R``, ``src/survdiff2.c``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from . import checks, risksets

NO_GROUPS = "log-rank not estimable: fewer than two groups"
NO_EVENTS = "log-rank not estimable: no events"
NO_VARIANCE = (
    "zero variance: at no event time were two groups at risk with a survivor; chi2 = 0, p = 1 (R survdiff, lifelines)"
)


@dataclass(frozen=True)
class LogrankResult:
    """R ``survdiff``'s answer: ``chi2`` on ``df`` degrees of freedom, its ``p``, and per group (sorted
    ``groups``) the weighted ``observed`` and ``expected`` event counts; ``note`` is empty or says why the
    test is not estimable or degenerate (module notes).

    Examples
    --------
    >>> r = survdiff([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [0, 0, 0, 1, 1, 1])
    >>> r.groups, r.observed, [round(x, 4) for x in r.expected]
    ((0, 1), (2.0, 2.0), [0.9, 3.1])
    >>> r.to_frame().columns.tolist()
    ['group', 'observed', 'expected', 'chi2', 'df', 'p']
    >>> survdiff([1, 2], [0, 0], [0, 1]).note
    'log-rank not estimable: no events'
    """

    chi2: float
    df: int
    p: float
    groups: tuple
    observed: tuple
    expected: tuple
    note: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per group: ``group``, ``observed``, ``expected``, with ``chi2``, ``df``, ``p`` repeated."""
        return pd.DataFrame(
            {
                "group": list(self.groups),
                "observed": list(self.observed),
                "expected": list(self.expected),
                "chi2": self.chi2,
                "df": self.df,
                "p": self.p,
            }
        )


def _weights(c: risksets.Counts, keep: np.ndarray, rho: float) -> np.ndarray:
    if not rho:
        return np.ones(int(keep.sum()))
    surv_before = np.concatenate(([1.0], np.cumprod(1 - c.n_event / c.n_risk)[:-1]))[keep]
    return surv_before**rho


def _stratum(t, e, g_index, k, rho):
    """One stratum at its event times: numbers at risk and events per group (k × T), and the weights."""
    c = risksets.counts(t, e, g_index, check=False)  # t, e checked by the caller
    keep = c.n_event > 0
    # groups absent from the stratum still need their rows (zeros)
    risk = np.zeros((k, keep.sum()))
    deaths = np.zeros((k, keep.sum()))
    risk[c.levels] = c.risk_by[:, keep]
    deaths[c.levels] = c.event_by[:, keep]
    return risk, deaths, _weights(c, keep, rho)


def _moments(risk, deaths, w):
    """Observed, expected (per group) and the hypergeometric variance matrix over all event times."""
    n, d = risk.sum(axis=0), deaths.sum(axis=0)
    observed = (w * deaths).sum(axis=1)
    expected = (w * risk * d / n).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 1, w * w * d * (n - d) / (n * n * (n - 1)), 0.0)
    variance = np.diag((factor * risk * n).sum(axis=1)) - (factor * risk) @ risk.T
    return observed, expected, variance


def _two_group_chi2(n, d, n1, d1, w) -> float:
    """χ² = U² / V of two groups at their event times (every stratum's, concatenated), U = O₁ − E₁.

    The k = 2 case of the matrix form in closed form: U = Σ w (d₁ − n₁ d / n),
    V = Σ_{n > 1} w² d (n − d) n₁ (n − n₁) / (n² (n − 1)); 0 when V is 0 (module notes). Written
    as the sums are written here so that every two-group answer of the package is the same bits.
    """
    ok = n > 1
    if w is None:
        u = d1.sum() - np.sum(n1 * d / n)
        v = np.sum(d[ok] * (n[ok] - d[ok]) * n1[ok] * (n[ok] - n1[ok]) / (n[ok] ** 2 * (n[ok] - 1.0)))
    else:
        u = np.sum(w * d1) - np.sum(w * n1 * d / n)
        v = np.sum((w * w)[ok] * d[ok] * (n[ok] - d[ok]) * n1[ok] * (n[ok] - n1[ok]) / (n[ok] ** 2 * (n[ok] - 1.0)))
    return float(u**2 / v) if v > 0 else 0.0


def _test(t, e, g, k, rho, strata) -> tuple:
    """(chi2, observed, expected, note) on checked arrays, groups coded 0..k−1."""
    if strata is None:
        parts = [np.arange(len(t))]
    else:
        _, s = np.unique(strata, return_inverse=True)
        order = np.argsort(s, kind="stable")
        parts = np.split(order, np.flatnonzero(np.diff(s[order])) + 1)
    pieces = [_stratum(t[idx], e[idx], g[idx], k, rho) for idx in parts if e[idx].sum() > 0]
    if not pieces:
        observed = np.zeros(k)
        return np.nan, observed, observed, NO_GROUPS if k < 2 else NO_EVENTS
    risk, deaths = np.hstack([p[0] for p in pieces]), np.hstack([p[1] for p in pieces])
    w = np.concatenate([p[2] for p in pieces])
    observed, expected, variance = _moments(risk, deaths, w)
    if k < 2:
        return np.nan, observed, expected, NO_GROUPS
    note = "" if np.abs(variance[:-1, :-1]).sum() > 0 else NO_VARIANCE
    if k == 2:
        chi2 = _two_group_chi2(risk.sum(axis=0), deaths.sum(axis=0), risk[1], deaths[1], w if rho else None)
    else:
        diff = (observed - expected)[:-1]
        chi2 = float(diff @ np.linalg.pinv(variance[:-1, :-1]) @ diff)
    return chi2, observed, expected, note


def _p_value(chi2: float, df: int) -> float:
    """P(χ²_df > chi2): erfc(√(chi2/2)) for one degree of freedom (exact there), scipy's ``chi2.sf`` otherwise."""
    if np.isnan(chi2):
        return np.nan
    return math.erfc(math.sqrt(chi2 / 2)) if df == 1 else float(special.chdtrc(df, chi2))


def survdiff(time, event, group, rho: float = 0.0, strata=None) -> LogrankResult:
    """R ``survdiff(Surv(time, event) ~ group [+ strata(strata)], rho = rho)``.

    Parameters
    ----------
    time, event : array-like
        Follow-up times (finite, ≥ 0) and event indicators (1 event, 0 censored); checked
        (:func:`analysis.stats.checks.survival_data`).
    group : array-like
        Group labels (any type, none missing; sorted order is R's factor order for numbers and strings).
    rho : float, optional (default=0, the log-rank test)
        Fleming–Harrington exponent of the weight S(t−)^rho.
    strata : array-like, optional (default=None)
        Stratum labels: the test compares groups within strata.

    Returns
    -------
    LogrankResult
        ``chi2``, ``df`` (k − 1), ``p``, and ``observed``/``expected`` per group; NaN with a note when
        not estimable (module notes).

    Examples
    --------
    Group 1 (times 4, 5, 6) against group 0 (1, 2, 3), events at 1, 2, 4, 5. At the event times
    (n, n₁, d) = (6, 3, 1), (5, 3, 1), (3, 3, 1), (2, 2, 1): E₁ = 1/2 + 3/5 + 1 + 1 = 3.1 against
    O₁ = 2, V = 1/4 + 6/25 + 0 + 0 = 0.49, so χ² = 1.1² / 0.49 = 2.4694 (lifelines' ``logrank_test`` gives
    the same):

    >>> r = survdiff([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [0, 0, 0, 1, 1, 1])
    >>> round(r.chi2, 4), round(r.p, 4), r.df
    (2.4694, 0.1161, 1)

    Peto–Peto (rho = 1) weighs the event times by the pooled S(t−) = 1, 5/6, 2/3, 4/9: U = −1/2 − 1/2,
    V = 1/4 + (25/36)·(6/25) = 5/12, χ² = 2.4 (lifelines:
    ``weightings="fleming-harrington", p=1, q=0``):

    >>> round(survdiff([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [0, 0, 0, 1, 1, 1], rho=1).chi2, 4)
    2.4
    >>> survdiff([1, 2, 3], [1, 2, 0], [0, 0, 1])
    Traceback (most recent call last):
    ...
    ValueError: event[1] is 2: events are coded 1 (event) or 0 (censored), or True/False
    """
    t, e = checks.survival_data(time, event)
    levels, g = np.unique(checks.labels(group, "group", len(t)), return_inverse=True)
    s = None if strata is None else checks.labels(strata, "strata", len(t))
    k = len(levels)
    chi2, observed, expected, note = _test(t, e, g, k, rho, s)
    return LogrankResult(
        chi2,
        k - 1,
        _p_value(chi2, k - 1),
        tuple(levels.tolist()),
        tuple(observed.tolist()),
        tuple(expected.tolist()),
        note,
    )


def two_sample_p(time, event, in_group) -> float:
    """The two-group log-rank p-value (rho = 0) alone: ``survdiff(time, event, in_group).p``, bit for bit.

    For loops (an ensemble of reconstructions, a calibration): no result object is built.
    ``in_group`` is boolean (or 0/1): the two groups are its two values; NaN when one is empty or
    there is no event.

    Examples
    --------
    >>> t, e, g = [1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [False, False, False, True, True, True]
    >>> round(two_sample_p(t, e, g), 4)
    0.1161
    >>> two_sample_p(t, e, g) == survdiff(t, e, g).p
    True
    >>> two_sample_p(t, e, [True] * 6)
    nan
    """
    t, e = checks.survival_data(time, event)
    g = checks.labels(in_group, "in_group", len(t)).astype(bool).astype(np.int64)
    k = 2 if 0 < g.sum() < len(g) else 1
    chi2 = _test(t, e, g if k == 2 else np.zeros_like(g), k, 0.0, None)[0]
    return _p_value(chi2, 1)


def replicate_chi2(n_risk, n_event, n_risk1, n_event1) -> np.ndarray:
    """The two-group log-rank χ² (rho = 0) of many weighted samples at once: one per row.

    Each argument is replicates × times (every distinct time of the data; a time without events adds
    nothing): at risk and events overall, and in group 1. These are :func:`survdiff`'s moments for
    k = 2 in closed form, U = O₁ − E₁ = Σ (d₁ − n₁ d / n) and V = V₁₁ = Σ d (n − d) n₁ (n − n₁) / (n² (n − 1)),
    χ² = U² / V, vectorised over the rows (the bootstrap, :func:`analysis.stats.resampling.logrank_chi2`);
    the same conventions: NaN for a row without events or with a group empty, 0 for zero variance.
    Equal to :func:`survdiff` on each expanded sample to 1e-12 (the order of the sums differs).
    The four arrays are checked: one shape, finite counts ≥ 0 (:func:`analysis.stats.checks.counts`).

    Examples
    --------
    :func:`survdiff`'s example as one replicate (its event times 1, 2, 4, 5), and a replicate
    without events:

    >>> replicate_chi2([[6, 5, 3, 2], [6, 5, 3, 2]], [[1, 1, 1, 1], [0, 0, 0, 0]],
    ...                [[3, 3, 3, 2], [3, 3, 3, 2]], [[0, 0, 1, 1], [0, 0, 0, 0]]).round(4).tolist()
    [2.4694, nan]
    """
    n = checks.counts(n_risk, "n_risk")
    d, n1, d1 = (
        checks.counts(a, name, n.shape, "n_risk")
        for a, name in ((n_event, "n_event"), (n_risk1, "n_risk1"), (n_event1, "n_event1"))
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        expected1 = np.where(n > 0, n1 * d / n, 0.0)
        factor = np.where(n > 1, d * (n - d) / (n * n * (n - 1)), 0.0)
    u = d1.sum(axis=-1) - expected1.sum(axis=-1)
    v = (factor * n1 * (n - n1)).sum(axis=-1)
    chi2 = np.where(v > 0, u * u / np.where(v > 0, v, 1.0), 0.0)
    empty = (n1[..., 0] == 0) | ((n - n1)[..., 0] == 0) | (d.sum(axis=-1) == 0)
    return np.where(empty, np.nan, chi2)


__all__ = ["LogrankResult", "NO_EVENTS", "NO_GROUPS", "NO_VARIANCE", "replicate_chi2", "survdiff", "two_sample_p"]
