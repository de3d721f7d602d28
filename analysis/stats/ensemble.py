"""One sample's survival against an ensemble of reference samples (e.g. reconstructions of a published cohort).

A published cohort is available here only as reconstructions — simulated
cohorts calibrated to its printed numbers, several of which fit equally well.
Comparing a cohort with *one* of them would mistake a reconstruction for the
data, so each quantity is computed against every reference and reported as
its spread:

* :func:`survival_on_grid` — the Kaplan–Meier S(t) of one sample at given times:
  the estimate at the last distinct time ≤ t (1 before the first), ``nan``
  beyond the last observed time (where R's ``summary(fit, times = t)`` gives
  nothing, as :func:`analysis.stats.survival.survival_at`).
* :func:`ensemble_band` — pointwise quantiles of S(t) over the references on a
  common grid: the central ``coverage`` share (default 0.95, i.e. the 2.5 and
  97.5 percentiles, numpy's default linear interpolation = R
  ``quantile(type = 7)``), or the min–max with ``coverage=1``. A band, not a
  confidence interval: it shows how much the reconstruction itself varies,
  not sampling error. At a time beyond the follow-up of some references the
  quantiles are over those still observed, and the band is left out where
  fewer than ``min_share`` (default one half) of them are.
* :func:`logrank_against` — the two-sample log-rank test (R ``survdiff``,
  rho = 0; :func:`analysis.stats.logrank.two_sample_p`) of the sample against each
  reference, one row per reference; :func:`p_range` summarises it (min,
  median, max, and how many p < 0.05). The p-values are not independent
  replicates and their spread is no test: it says whether the conclusion
  depends on which reconstruction stands in for the published cohort.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import checks, km, logrank

BAND_COLUMNS = ["time", "lower", "middle", "upper", "n_curves"]


def survival_on_grid(time, event, grid) -> np.ndarray:
    """Kaplan–Meier S(t) at each time of ``grid`` (see the module docstring for the edges).

    Examples
    --------
    1 before the first time, the step value between times, ``nan`` past the last (3):

    >>> survival_on_grid([1, 2, 2, 3], [1, 1, 0, 0], [0, 1.5, 2, 3, 4]).tolist()
    [1.0, 0.75, 0.5, 0.5, nan]
    >>> survival_on_grid([], [], [0, 1]).tolist()
    [nan, nan]
    """
    g = np.asarray(grid, dtype="float64")
    time, event = checks.survival_data(time, event, allow_empty=True)
    if len(time) == 0:
        return np.full(len(g), np.nan)
    table = km.kaplan_meier(time, event)
    steps = table["time"].to_numpy()
    surv = table["surv"].to_numpy()
    at = np.searchsorted(steps, g, side="right") - 1  # last distinct time ≤ t
    out = np.where(at >= 0, surv[np.clip(at, 0, None)], 1.0)
    last = float(steps[-1])
    return np.where(g > last, np.nan, out)


def common_grid(samples) -> np.ndarray:
    """0 and every distinct time of the given (time, event) samples, sorted: where any step curve may jump.

    Examples
    --------
    >>> common_grid([([2, 1], [1, 0]), ([3, 1], [0, 1])]).tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    times = [checks.times(t, allow_empty=True) for t, _ in samples]
    return np.unique(np.concatenate([np.zeros(1), *times]))


def nanquantile_columns(a: np.ndarray, qs) -> np.ndarray:
    """``numpy.nanquantile(a, qs, axis=0)``, column by column, with the same bits — fast on step curves.

    numpy applies its 1-D routine to each column in Python (~0.2 ms a column: ~2 s for the
    ~10,000 grid times of an overlay). A column's result is the quantile of its observed
    values, so the columns are grouped by their pattern of missing values (a curve is
    missing after its last time: at most one pattern per reference) and each group goes
    to ``numpy.quantile`` on its observed rows at once. Every column needs one observed value.

    Examples
    --------
    >>> nanquantile_columns([[0.0, 1.0], [1.0, float("nan")], [0.5, 3.0]], (0.5,)).tolist()
    [[0.5, 2.0]]
    """
    a = np.asarray(a, dtype="float64")
    missing = np.isnan(a)
    patterns, which = np.unique(missing, axis=1, return_inverse=True)
    which = np.ravel(which)
    out = np.empty((len(qs), a.shape[1]))
    for k in range(patterns.shape[1]):
        cols = np.flatnonzero(which == k)
        out[:, cols] = np.quantile(a[np.ix_(~patterns[:, k], cols)], qs, axis=0)
    return out


def ensemble_band(references, grid=None, coverage: float = 0.95, min_share: float = 0.5) -> pd.DataFrame:
    """Pointwise spread of S(t) over an ensemble of (time, event) samples.

    Parameters
    ----------
    references : sequence of (time, event) pairs
        The reference samples (at least one).
    grid : array-like, optional (default=None: :func:`common_grid` of the references)
        Times at which to evaluate every curve.
    coverage : float, optional (default=0.95)
        Central share of the curves inside the band; 1 gives the pointwise min–max.
    min_share : float, optional (default=0.5)
        The band is ``nan`` where fewer than this share of the references are still observed.

    Returns
    -------
    pandas.DataFrame
        ``time``, ``lower``, ``middle`` (pointwise median), ``upper``,
        ``n_curves`` (references observed at that time).

    Examples
    --------
    Two references: S = 2/3, 1/3, 0 at 1, 2, 3 (three deaths) and 3/4, 3/4, 3/8, 3/8 at 1–4; with
    ``coverage=1`` the band is their pointwise min and max, the middle their mean:

    >>> a, b = ([1, 2, 3], [1, 1, 1]), ([1, 2, 3, 4], [1, 0, 1, 0])
    >>> ensemble_band([a, b], grid=[0, 1, 3], coverage=1).round(4).to_dict("list")
    {'time': [0.0, 1.0, 3.0], 'lower': [1.0, 0.6667, 0.0], 'middle': [1.0, 0.7083, 0.1875], 'upper': [1.0, 0.75, 0.375], 'n_curves': [2, 2, 2]}
    """
    references = list(references)
    if not references:
        raise ValueError("references is empty; give at least one (time, event) sample")
    if not 0 < coverage <= 1:
        raise ValueError(f"coverage must lie in (0, 1], got {coverage}")
    g = common_grid(references) if grid is None else np.asarray(grid, dtype="float64")
    curves = np.vstack([survival_on_grid(t, e, g) for t, e in references])
    observed = (~np.isnan(curves)).sum(axis=0)
    enough = observed >= max(1, min_share * len(references))
    lo_q, hi_q = (1 - coverage) / 2, 1 - (1 - coverage) / 2
    lower, middle, upper = (np.full(len(g), np.nan) for _ in range(3))
    if enough.any():
        lower[enough], middle[enough], upper[enough] = nanquantile_columns(curves[:, enough], (lo_q, 0.5, hi_q))
    return pd.DataFrame(
        {"time": g, "lower": lower, "middle": middle, "upper": upper, "n_curves": observed.astype("int64")},
        columns=BAND_COLUMNS,
    )


def logrank_against(time, event, references) -> pd.DataFrame:
    """Log-rank test of one sample against each reference sample (pooled, two groups).

    Returns
    -------
    pandas.DataFrame
        One row per reference: ``reference`` (its position), ``n``, ``events``
        (of the reference) and ``p`` (``nan`` when not estimable: no events in
        the pooled sample; 1 when its variance is zero, :mod:`analysis.stats.logrank`).

    A bad reference is named by its position (``references[1].time[3] is nan: …``).

    Examples
    --------
    lifelines' ``logrank_test`` of the sample against each reference gives 0.0976 and 0.8153:

    >>> a, b = ([1, 2, 3], [1, 1, 1]), ([1, 2, 3, 4], [1, 0, 1, 0])
    >>> table = logrank_against([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [a, b])
    >>> table[["reference", "n", "events"]].to_dict("list"), table["p"].round(4).tolist()
    ({'reference': [0, 1], 'n': [3, 4], 'events': [3, 2]}, [0.0976, 0.8153])
    """
    t, e = checks.survival_data(time, event, allow_empty=True)
    rows = []
    for i, (rt, re_) in enumerate(references):
        rt, re_ = checks.survival_data(
            rt, re_, allow_empty=True, names=(f"references[{i}].time", f"references[{i}].event")
        )
        pooled_t = np.concatenate([t, rt])
        pooled_e = np.concatenate([e, re_])
        is_sample = np.concatenate([np.ones(len(t), bool), np.zeros(len(rt), bool)])
        rows.append(
            {
                "reference": i,
                "n": len(rt),
                "events": int(re_.sum()),
                "p": logrank.two_sample_p(pooled_t, pooled_e, is_sample) if len(pooled_t) else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["reference", "n", "events", "p"])


@dataclass(frozen=True)
class PRange:
    """The spread of :func:`logrank_against`'s p-values: ``n`` estimable ones, ``min``, ``median``, ``max``, and
    how many are below ``alpha`` (``below_alpha``); NaN and 0 when none is estimable.

    Examples
    --------
    >>> p_range(pd.DataFrame({"p": [float("nan")]}))
    PRange(n=0, min=nan, median=nan, max=nan, below_alpha=0)
    >>> p_range(pd.DataFrame({"p": [0.01, 0.2]})).to_frame().columns.tolist()
    ['n', 'min', 'median', 'max', 'below_alpha']
    """

    n: int
    min: float
    median: float
    max: float
    below_alpha: int

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([dataclasses.asdict(self)])


def p_range(table: pd.DataFrame, alpha: float = 0.05) -> PRange:
    """Spread of :func:`logrank_against`'s p-values (:class:`PRange`).

    ``n`` counts the references with an estimable p; the others are left out.

    Examples
    --------
    >>> p_range(pd.DataFrame({"p": [0.01, 0.2, float("nan"), 0.5]}))
    PRange(n=3, min=0.01, median=0.2, max=0.5, below_alpha=1)
    """
    p = table["p"].dropna().to_numpy()
    if len(p) == 0:
        return PRange(0, np.nan, np.nan, np.nan, 0)
    return PRange(int(len(p)), float(p.min()), float(np.median(p)), float(p.max()), int((p < alpha).sum()))


__all__ = ["BAND_COLUMNS", "PRange", "common_grid", "ensemble_band", "logrank_against", "p_range", "survival_on_grid"]
