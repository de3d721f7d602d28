"""Kaplan–Meier estimates, medians and log-rank tests that equal R's ``survival``.

The paper was most likely analysed in R, so every default here is R's:

* **Variance**: Greenwood, on the log scale — ``std_err`` is the standard error
  of −log S(t), ``sqrt(Σ d / (n (n − d)))`` as ``survfit``'s ``std.err``
  (infinite once n = d sets S to 0, as in R).
* **Pointwise 95% CI**, ``conf_type`` (default ``"log"``, R's default):
  ``"log"`` exp(log S ± z·se), upper clipped at 1, missing where S = 0;
  ``"log-log"`` exp(−exp(log(−log S) ∓ z·se/log S)), missing where S ∈ {0, 1}
  (lifelines' only choice, and SAS's default); ``"plain"`` S ± z·se·S
  clipped to [0, 1]. Formulas as in R's ``survfit_confint``.
* **Median and its CI** (:func:`median_ci`, :func:`median_summary`): the
  values R *prints* — ``print(survfit(...))``, ``summary(fit)$table``, and
  survminer's ``surv_median`` — computed by ``survival:::survmean``'s helper
  ``minmin`` (:func:`minmin`): the first time t_i at which the curve is below
  0.5 + tol (tol = sqrt(machine eps)); if S(t_i) equals 0.5 within tol and
  the curve falls lower later, the midpoint of t_i and the first later time
  where it is lower, else t_i itself. The limits apply the same rule to the
  pointwise lower and upper bands (Brookmeyer & Crowley), skipping missing
  band values; ``nan`` = "not reached" (R prints ``NA``). This is the rule
  because papers, reviewers and survminer report the printed numbers.
  ``quantile.survfit`` (below) can differ in two ways: on a non-monotone
  "log" band it may pick a later crossing (R's ``aml``: printed 0.95UCL 45,
  ``quantile`` 48), and on a curve that ends flat at exactly 0.5 it takes the
  midpoint with the last follow-up time where ``survmean`` keeps the time the
  curve reached 0.5 (the CAMIS fixture: printed 87, ``quantile`` 102.5).
  lifelines instead takes the first time S ≤ 0.5 (no midpoint) and only
  log-log bands.
* **Other quantiles** (:func:`survival_quantile`, :func:`findq`): a port of
  R's ``quantile.survfit``/``findq``: the time where a horizontal line at
  1 − p meets the step curve; on a flat segment exactly at that height (same
  tolerance) the midpoint of the flat, or of the flat and the last follow-up
  time at the end of the curve; the limits where the line meets the bands,
  with ``approx`` over the sorted band values when a band is not monotone.
  Kept for p ≠ 0.5 and to show where it differs from the printed median.

Results are frozen objects with ``to_frame()``: :class:`KaplanMeierEstimate` and
:class:`MedianSummary` (dataclasses), :class:`MedianCI` and :class:`Quantile` (named tuples,
which unpack as the triples they are); the log-rank test is
:mod:`analysis.stats.logrank`, the risk sets :mod:`analysis.stats.risksets`. Every public
function checks its inputs (:mod:`analysis.stats.checks`).

References: Kaplan & Meier, JASA 1958;53:457. Greenwood 1926. Brookmeyer &
Crowley, Biometrics 1982;38:29 (median CI from the bands). Therneau, survival
package 3.5: ``R/print.survfit.R`` (``survmean`` and its ``minmin``: the printed
median and limits, used by ``print.survfit`` and ``summary.survfit``),
``R/quantile.survfit.R``, ``R/survfit.R``.

Times are used as given: pass whole days, or months computed from whole days,
so that equal times compare equal (R's ``aeqSurv`` merging then has nothing
to merge).

Why one module of over 400 lines: the estimator and the R rules that read its curve (``survfit``,
``survmean``'s ``minmin``, ``quantile.survfit``'s ``findq``) are one port, checked against R together
(``tests/stats/test_km.py``, ``tests/stats/test_against_R_datasets.py``); about a third of the lines
are the worked examples, run as doctests.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from . import checks, risksets

CONF_TYPES = ("log", "log-log", "plain")
TOLERANCE = float(np.sqrt(np.finfo(float).eps))  # R: sqrt(.Machine$double.eps)


@lru_cache(maxsize=8)
def _z(level: float) -> float:
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def _greenwood(n_risk, n_event):
    # n = d (everyone at risk dies, S drops to 0): the variance is infinite, as R's std.err = Inf,
    # which leaves every band missing there
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(n_risk > n_event, n_event / (n_risk * (n_risk - n_event)), np.inf)
    return np.sqrt(np.cumsum(term))


def confidence_band(surv, std_err, conf_type: str = "log", level: float = 0.95):
    """Pointwise (lower, upper) band for S(t); ``nan`` where R gives ``NA``.

    Parameters
    ----------
    surv, std_err : array
        Survival and the standard error of −log S (Greenwood).
    conf_type : {"log", "log-log", "plain"}, optional (default="log", R's default)
    level : float, optional (default=0.95)

    Examples
    --------
    S = 0.5 with se = 0.5 (:func:`estimate`'s example at time 2): "log" gives 0.5·exp(∓1.96·0.5),
    the upper limit clipped at 1:

    >>> lower, upper = confidence_band([0.5], [0.5])
    >>> round(float(lower[0]), 4), float(upper[0])
    (0.1877, 1.0)
    >>> lower, upper = confidence_band([0.5], [0.5], "plain")
    >>> round(float(lower[0]), 4), round(float(upper[0]), 4)
    (0.01, 0.99)
    """
    if conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type must be one of {CONF_TYPES}, not {conf_type!r}")
    s = np.asarray(surv, dtype="float64")
    se = np.asarray(std_err, dtype="float64")
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "log":
            xx = np.where(s == 0, np.nan, s)
            return np.exp(np.log(xx) - z * se), np.minimum(np.exp(np.log(xx) + z * se), 1.0)
        if conf_type == "log-log":
            xx = np.where((s == 0) | (s == 1), np.nan, s)
            se2 = z * se / np.log(xx)
            return np.exp(-np.exp(np.log(-np.log(xx)) - se2)), np.exp(-np.exp(np.log(-np.log(xx)) + se2))
        se2 = z * se * s
        return np.maximum(s - se2, 0.0), np.minimum(s + se2, 1.0)


class MedianCI(NamedTuple):
    """The median and its confidence limits as R prints them; ``nan`` = not reached.

    A named tuple — frozen, and it unpacks: ``median, lower, upper = median_ci(t, e)``.

    Examples
    --------
    >>> median, lower, upper = median_ci([1, 2, 2, 3], [1, 1, 0, 0])
    >>> median, lower, upper
    (2.0, 1.0, nan)
    >>> MedianCI(2.0, 1.0, float("nan")).to_frame().columns.tolist()
    ['median', 'lower', 'upper']
    """

    median: float
    lower: float
    upper: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([list(self)], columns=list(self._fields))


class Quantile(NamedTuple):
    """A survival quantile (R ``quantile.survfit``): the time by which a fraction ``p`` had the event, and its
    limits; ``nan`` = not reached. A named tuple: it unpacks as (quantile, lower, upper).

    Examples
    --------
    >>> q, lower, upper = estimate([1, 2, 2, 3], [1, 1, 0, 0]).quantile(0.25)
    >>> q, lower, upper
    (1.5, 1.0, nan)
    """

    quantile: float
    lower: float
    upper: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([list(self)], columns=list(self._fields))


@dataclass(frozen=True)
class MedianSummary:
    """One group's line of R's ``print(survfit(...))``: n, events, median and its limits.

    Examples
    --------
    >>> median_summary([1, 2, 2, 3], [1, 1, 0, 0])
    MedianSummary(n=4, events=2, median=2.0, lower=1.0, upper=nan)
    """

    n: int
    events: int
    median: float
    lower: float
    upper: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [[self.n, self.events, self.median, self.lower, self.upper]],
            columns=["n", "events", "median", "lower", "upper"],
        )


@dataclass(frozen=True, eq=False)
class KaplanMeierEstimate:
    """The Kaplan–Meier estimate at every distinct time (R ``survfit``'s rows), as arrays.

    ``std_err`` is the Greenwood standard error of −log S; ``lower``/``upper`` the pointwise band of
    ``conf_type`` at ``level``. :meth:`to_frame` is :func:`kaplan_meier`'s table; :meth:`median` the
    printed median and CI (:func:`minmin`); :meth:`quantile` R's ``quantile.survfit``.

    Examples
    --------
    >>> fit = estimate([1, 2, 2, 3], [1, 1, 0, 0])
    >>> fit.time.tolist(), fit.n_risk.tolist(), fit.surv.tolist()
    ([1.0, 2.0, 3.0], [4.0, 3.0, 1.0], [0.75, 0.5, 0.5])
    >>> fit.median(), fit.quantile()
    (MedianCI(median=2.0, lower=1.0, upper=nan), Quantile(quantile=2.5, lower=1.0, upper=nan))
    """

    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray
    surv: np.ndarray
    std_err: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    conf_type: str = "log"
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "time": self.time,
                "n_risk": self.n_risk.astype("int64"),
                "n_event": self.n_event.astype("int64"),
                "n_censor": self.n_censor.astype("int64"),
                "surv": self.surv,
                "std_err": self.std_err,
                "lower": self.lower,
                "upper": self.upper,
            }
        )

    def median(self, tol: float = TOLERANCE) -> MedianCI:
        """The median and its limits as R prints them (:func:`minmin` on the curve and the bands)."""
        return MedianCI(*(minmin(self.time, c, tol) for c in (self.surv, self.lower, self.upper)))

    def quantile(self, p: float = 0.5, tol: float = TOLERANCE) -> Quantile:
        """R ``quantile.survfit``: where a horizontal line at 1 − p meets the curve and its bands (:func:`findq`)."""
        return Quantile(*_quantiles(self.time, (self.surv, self.lower, self.upper), p, tol))


def estimate(time, event, conf_type: str = "log", level: float = 0.95) -> KaplanMeierEstimate:
    """Kaplan–Meier estimate of (``time``, ``event``) with Greenwood variance and a pointwise band.

    Parameters
    ----------
    time, event : array-like
        Follow-up times (finite, ≥ 0) and event indicators (1 event, 0 censored); checked.
    conf_type : {"log", "log-log", "plain"}, optional (default="log", R's default; see the module notes)
    level : float, optional (default=0.95)

    Returns
    -------
    KaplanMeierEstimate
        Every distinct time, censoring-only times included (``survfit``'s rows; risk sets from
        :func:`analysis.stats.risksets.counts`). R: ``survfit(Surv(time, event) ~ 1, conf.type = conf_type)``.

    Examples
    --------
    S(1) = 1 − 1/4 = 0.75, S(2) = 0.75·(1 − 1/3) = 0.5, flat to the censored time 3; Greenwood
    se(2) = √(1/(4·3) + 1/(3·2)) = 0.5. The printed median is 2 (the curve reaches 0.5 there and
    falls no lower), the lower limit 1 (the band 0.75·exp(−1.96·√(1/12)) = 0.426 is below 0.5
    from time 1), the upper not reached:

    >>> fit = estimate([1, 2, 2, 3], [1, 1, 0, 0])
    >>> fit.surv.tolist(), fit.std_err.round(4).tolist()
    ([0.75, 0.5, 0.5], [0.2887, 0.5, 0.5])
    >>> fit.median()
    MedianCI(median=2.0, lower=1.0, upper=nan)
    """
    t, e = checks.survival_data(time, event)
    c = risksets.counts(t, e, check=False)
    surv = np.cumprod(1.0 - c.n_event / c.n_risk)
    std_err = _greenwood(c.n_risk, c.n_event)
    lower, upper = confidence_band(surv, std_err, conf_type, level)
    return KaplanMeierEstimate(c.times, c.n_risk, c.n_event, c.n_censor, surv, std_err, lower, upper, conf_type, level)


def kaplan_meier(time, event, conf_type: str = "log", level: float = 0.95) -> pd.DataFrame:
    """Kaplan–Meier estimate at every distinct time (R ``survfit`` rows): :func:`estimate` as a table.

    Returns a DataFrame with columns ``time``, ``n_risk``, ``n_event``,
    ``n_censor``, ``surv``, ``std_err`` (of −log S), ``lower``, ``upper``.

    Examples
    --------
    >>> table = kaplan_meier([1, 2, 2, 3], [1, 1, 0, 0])
    >>> table[["time", "n_risk", "n_event", "n_censor", "surv"]].to_dict("list")
    {'time': [1.0, 2.0, 3.0], 'n_risk': [4, 3, 1], 'n_event': [1, 1, 0], 'n_censor': [0, 1, 1], 'surv': [0.75, 0.5, 0.5]}
    >>> table["lower"].round(4).tolist()
    [0.4259, 0.1877, 0.1877]
    """
    return estimate(time, event, conf_type, level).to_frame()


def _approx_constant_right(xs, ys, v):
    """R ``approx(xs, ys, v, method="constant", f=1, rule=1)`` for one point."""
    if len(xs) > 1 and not np.all(xs[1:] > xs[:-1]):  # approx sorts its knots first
        order = np.argsort(xs, kind="stable")
        xs, ys = xs[order], ys[order]
    if len(xs) == 0 or v < xs[0] or v > xs[-1]:
        return np.nan
    hit = np.flatnonzero(xs == v)
    if hit.size:
        return ys[hit[0]]
    return ys[np.searchsorted(xs, v, side="right")]


def findq(x, y, p: float, tol: float = TOLERANCE) -> float:
    """Port of R's internal ``findq``: where the CDF ``y`` (at times ``x``) reaches ``p``.

    ``y`` may contain ``nan`` (missing band values). Returns ``nan`` when the
    curve never reaches ``p``.

    Examples
    --------
    The CDF 1 − S of :func:`estimate`'s example, from time 0: it is flat at 0.25 from 1 to 2 (the
    midpoint, 1.5) and ends flat at 0.5 from 2 (the midpoint with the last time 3, 2.5):

    >>> x, y = [0, 1, 2, 3], [0, 0.25, 0.5, 0.5]
    >>> findq(x, y, 0.25), findq(x, y, 0.5), findq(x, y, 0.75)
    (1.5, 2.5, nan)
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if not np.any(~np.isnan(y)) or np.nanmax(y) < p:
        return np.nan
    xmax = x[-1]
    # R's duplicated(): the first occurrence of each value is kept (NA included)
    step = y[1:] - y[:-1]
    if len(y) > 1 and not np.all(step > 0):  # only then can there be duplicates
        if np.all(step >= 0):  # monotone: duplicates are consecutive
            keep = np.concatenate(([True], step > 0))
            x, y = x[keep], y[keep]
        else:
            keys = np.where(np.isnan(y), np.inf, y)
            _, first = np.unique(keys, return_index=True)
            keep = np.sort(first)
            x, y = x[keep], y[keep]
    idx = np.arange(len(y), dtype="float64")
    ok = ~np.isnan(y)
    i1 = _approx_constant_right(y[ok] + tol, idx[ok], p)
    i2 = _approx_constant_right(y[ok] - tol, idx[ok], p)
    q1 = x[int(i1)] if not np.isnan(i1) else np.nan
    q2 = x[int(i2)] if not np.isnan(i2) else np.nan
    quant = (q1 + q2) / 2
    if p == 0:
        quant = x[0]
    if not np.isnan(y[-1]) and abs(p - y[-1]) < tol:
        quant = (q1 + xmax) / 2
    return float(quant)


def _approx_constant_right_list(xs: list, ys: list, v: float):
    """:func:`_approx_constant_right` on Python lists (``None`` for R's NA)."""
    n = len(xs)
    if n == 0:
        return None
    if any(xs[i + 1] <= xs[i] for i in range(n - 1)):
        order = sorted(range(n), key=xs.__getitem__)  # stable, as argsort(kind="stable")
        xs, ys = [xs[i] for i in order], [ys[i] for i in order]
    if v < xs[0] or v > xs[-1]:
        return None
    for i in range(n):
        if xs[i] == v:
            return ys[i]
    return ys[bisect.bisect_right(xs, v)]


def findq_list(x: list, y: list, p: float, tol: float = TOLERANCE) -> float:
    """:func:`findq` in plain Python, for short curves (≤ 256 points), where it is ~3× faster.

    Same operations on the same IEEE doubles, so the same result bit for bit
    (``tests/test_km.py`` compares the two on thousands of random curves); the
    synthetic-cohort calibration evaluates a few hundred thousand medians and CIs.

    Examples
    --------
    >>> x, y = [0.0, 1.0, 2.0, 3.0], [0.0, 0.25, 0.5, 0.5]
    >>> findq_list(x, y, 0.25), findq_list(x, y, 0.5), findq(x, y, 0.5)
    (1.5, 2.5, 2.5)
    """
    values = [v for v in y if v == v]
    if not values or max(values) < p:
        return math.nan
    xmax = x[-1]
    seen, kx, ky, nan_kept = set(), [], [], False  # R's duplicated(): first occurrence kept, NA once
    for xi, yi in zip(x, y):
        if yi != yi:
            if nan_kept:
                continue
            nan_kept = True
        elif yi in seen:
            continue
        else:
            seen.add(yi)
        kx.append(xi)
        ky.append(yi)
    idx = [i for i, v in enumerate(ky) if v == v]
    i1 = _approx_constant_right_list([ky[i] + tol for i in idx], idx, p)
    i2 = _approx_constant_right_list([ky[i] - tol for i in idx], idx, p)
    q1 = kx[i1] if i1 is not None else math.nan
    q2 = kx[i2] if i2 is not None else math.nan
    quant = (q1 + q2) / 2
    if p == 0:
        quant = kx[0]
    if ky[-1] == ky[-1] and abs(p - ky[-1]) < tol:
        quant = (q1 + xmax) / 2
    return float(quant)


#: Curves up to this many points go through :func:`findq_list` (~3× faster at 44 points; numpy wins on long curves).
SHORT_CURVE = 256


def _quantiles(times, curves, p: float = 0.5, tol: float = TOLERANCE) -> tuple[float, ...]:
    """:func:`findq` on each survival curve (surv, lower, upper, …) at the distinct ``times``, from time 0."""
    x = np.concatenate(([0.0], np.asarray(times, dtype="float64")))
    ys = [np.concatenate(([0.0], 1.0 - np.asarray(s, dtype="float64"))) for s in curves]
    if len(x) <= SHORT_CURVE:
        xl = x.tolist()
        return tuple(findq_list(xl, y.tolist(), p, tol) for y in ys)
    return tuple(findq(x, y, p, tol) for y in ys)


def survival_quantile(km: pd.DataFrame, p: float = 0.5, tol: float = TOLERANCE) -> Quantile:
    """(quantile, lower, upper) of the time by which a fraction ``p`` had the event (R ``quantile.survfit``).

    ``km`` is a :func:`kaplan_meier` table; its ``lower``/``upper`` columns
    carry the conf_type chosen there. ``nan`` = not reached. As R, the curve
    starts at time 0 (``firstx``). For the median, R prints (and
    :func:`median_ci` returns) :func:`minmin`'s values, which can differ:
    see the module notes. Unpacks as ``(quantile, lower, upper)``.

    Examples
    --------
    A curve that ends flat at exactly 0.5: ``quantile.survfit`` takes the midpoint with the last
    time (2.5), the printed median (:func:`median_ci`) the time it reached 0.5 (2):

    >>> table = kaplan_meier([1, 2, 2, 3], [1, 1, 0, 0])
    >>> survival_quantile(table)
    Quantile(quantile=2.5, lower=1.0, upper=nan)
    >>> survival_quantile(table, p=0.25).quantile
    1.5
    """
    return Quantile(*_quantiles(km["time"], (km["surv"], km["lower"], km["upper"]), p, tol))


def minmin(x, y, tol: float = TOLERANCE) -> float:
    """Port of ``minmin`` in R's ``survival:::survmean``: the printed median of curve ``y`` at times ``x``.

    The first ``x[i]`` with ``y[i] < 0.5 + tol``; if ``|y[i] − 0.5| < tol``
    and some later ``y`` is smaller, the midpoint of ``x[i]`` and the first
    such later time. ``y`` is a survival curve or a pointwise band (possibly
    non-monotone); ``nan`` values are skipped, as R's ``!is.na(y)``. Returns
    ``nan`` when no value is below 0.5 + tol ("not reached").

    Parameters
    ----------
    x : array
        Distinct times, increasing (``survfit``'s ``time``: censoring-only times included).
    y : array
        S(t) or a band at those times.
    tol : float, optional (default=sqrt(machine eps), R's ``.Machine$double.eps^0.5``)

    R: ``survival:::survmean`` (``R/print.survfit.R``), used by ``print.survfit``
    and ``summary.survfit(...)$table``.

    Examples
    --------
    At 0.5 with no later drop: that time; at 0.5 with a later drop: the midpoint with it;
    never below 0.5: not reached.

    >>> minmin([1, 2, 3], [0.75, 0.5, 0.5]), minmin([1, 2, 3, 4], [0.75, 0.5, 0.5, 0.25]), minmin([1, 2], [0.9, 0.8])
    (2.0, 3.0, nan)
    """
    y = np.asarray(y, dtype="float64")
    below = y < 0.5 + tol  # nan compares False: skipped
    if not below.any():
        return np.nan
    i = int(below.argmax())
    if abs(y[i] - 0.5) < tol:
        lower = y[i + 1 :] < y[i]  # earlier values are all ≥ 0.5 + tol or nan
        if lower.any():
            return float((x[i] + x[i + 1 + int(lower.argmax())]) / 2)
    return float(x[i])


def median_summary(time, event, conf_type: str = "log", level: float = 0.95) -> MedianSummary:
    """n, events, median and its CI for one group, as R prints them (``print(survfit(...))``).

    The median and limits are :func:`minmin` on the curve and its bands
    (``survival:::survmean``; see the module notes). ``nan`` = not reached.

    Examples
    --------
    Ten deaths at 1, …, 10: S(5) = 0.5 exactly and S drops at 6, so R prints the midpoint 5.5
    (lifelines' first time S ≤ 0.5 would give 5); the lower band is below 0.5 from time 3
    (0.7·exp(−1.96·√(1/7 − 1/10)) = 0.47), the upper never:

    >>> median_summary(range(1, 11), [1] * 10)
    MedianSummary(n=10, events=10, median=5.5, lower=3.0, upper=nan)
    """
    fit = estimate(time, event, conf_type, level)
    return MedianSummary(int(fit.n_risk[0]), int(fit.n_event.sum()), *fit.median())


def median_ci(time, event, conf_type: str = "log", level: float = 0.95) -> MedianCI:
    """(median, lower, upper) as R prints them — :func:`median_summary` without the counts (used in loops).

    R: ``summary(survfit(Surv(time, event) ~ 1, conf.type = conf_type))$table[c("median", "0.95LCL", "0.95UCL")]``.

    Examples
    --------
    >>> median_ci([1, 2, 2, 3], [1, 1, 0, 0])
    MedianCI(median=2.0, lower=1.0, upper=nan)
    >>> median_ci([1, 2, 2, 3], [1, 1, 0, 0], conf_type="log-log").lower
    1.0
    >>> median_ci([1, 2, float("nan")], [1, 1, 0])
    Traceback (most recent call last):
    ...
    ValueError: time[2] is nan: every time must be a finite number ≥ 0
    """
    return estimate(time, event, conf_type, level).median()


__all__ = [
    "CONF_TYPES",
    "TOLERANCE",
    "KaplanMeierEstimate",
    "MedianCI",
    "MedianSummary",
    "Quantile",
    "confidence_band",
    "estimate",
    "findq",
    "findq_list",
    "kaplan_meier",
    "median_ci",
    "median_summary",
    "minmin",
    "survival_quantile",
]
