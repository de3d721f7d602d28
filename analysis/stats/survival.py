"""Survival analyses that match R's ``survival`` package: summaries, tests, models, follow-up.

Built on :mod:`analysis.stats.km` (Kaplan–Meier, R's medians and bands) and lifelines
(Cox model). Every function equals the R call named in its docstring to 1e-6
on the frozen references in ``tests/r/`` (R 4.2, survival 3.5): this project's
cohorts and R's own datasets (``tests/stats/test_against_R_datasets.py``).

Conventions (the compendium's defaults, each R's):

* times in **months** = days / 30.4375, computed from whole days;
* pointwise CI ``conf_type="log"`` (R's default; "log-log" and "plain" available);
* **median** and its limits as R prints them (``survival:::survmean``: first time
  the curve, or the band, is below 0.5; midpoint of an exact 0.5 and the next
  drop; see :mod:`analysis.stats.km`); "NR" when not reached;
* **log-rank**: ``survdiff``, with optional Fleming–Harrington weight
  S(t−)^rho (rho = 1: Peto–Peto);
* **Cox**: Efron ties, Wald CI exp(β ± z·se) (``coxph`` defaults);
* **follow-up**: reverse Kaplan–Meier (Schemper & Smith, Control Clin Trials
  1996;17:343) as ``survfit(Surv(time, 1 - status) ~ 1)`` — deaths and
  end-of-follow-up tied at one time are handled as R's naive flip (prodlim
  instead removes the deaths first); plus the median (min–max) of observed
  follow-up, the paper's "12 months (range 1–31)";
* **numbers at risk** at a tick t: patients with time ≥ t (R
  ``summary(fit, times = t)$n.risk``, survminer's table), cumulative events
  and censorings up to and including t — computed here, not with lifelines'
  ``add_at_risk_counts`` (which differs at ticks that coincide with a time);
* **cause-specific cumulative incidence**: Aalen–Johansen, exact (lifelines'
  fitter jitters tied times at random), equal to R ``survfit`` with a factor
  status (``pstate``).

Every function that takes follow-up data checks it (:mod:`analysis.stats.checks`): a missing,
infinite or negative time, an event coded other than 0/1, or arrays of different lengths raise a
``ValueError`` naming the argument and the first bad position. An empty group is not bad input:
tables skip it or give zeros (:func:`median_table`, :func:`risk_table`, :func:`risk_tables`).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from . import checks, km, risksets
from . import cox as _cox
from . import logrank as _logrank

LANDMARKS = (6.0, 12.0, 24.0)


# ----------------------------------------------------------------------------- summaries
def groups(frame: pd.DataFrame, by: str | None = None, labels: dict | None = None) -> list[tuple]:
    """[(label, rows)] of a frame: ``[("all", frame)]`` without ``by``, else one entry per value of
    ``by`` (missing values left out), highest value first (e.g. EMD before no EMD), labelled by ``labels``.

    Examples
    --------
    >>> frame = pd.DataFrame({"time": [1, 2, 3, 4, 5, 6], "event": [1, 1, 0, 1, 1, 0], "arm": [0, 1, 0, 1, 0, 1]})
    >>> [(name, len(rows)) for name, rows in groups(frame, "arm", {1: "B", 0: "A"})]
    [('B', 3), ('A', 3)]
    >>> [(name, len(rows)) for name, rows in groups(frame)]
    [('all', 6)]
    """
    if by is None:
        return [("all", frame)]
    return [
        ((labels or {}).get(v, v), frame[frame[by] == v]) for v in sorted(frame[by].dropna().unique(), reverse=True)
    ]


def median_table(
    frame: pd.DataFrame, by: str | None = None, labels: dict | None = None, conf_type: str = "log"
) -> pd.DataFrame:
    """n, events, median (lower, upper) per group of a ``time``/``event`` table (R ``print(survfit)``).

    Groups without rows are left out.

    Examples
    --------
    Arm B dies at 2 and 4 (S = 2/3, 1/3: median 4), arm A at 1 and 5 (S = 2/3, then 0 at 5: median 5):

    >>> frame = pd.DataFrame({"time": [1, 2, 3, 4, 5, 6], "event": [1, 1, 0, 1, 1, 0], "arm": [0, 1, 0, 1, 0, 1]})
    >>> median_table(frame, "arm", {1: "B", 0: "A"}).to_dict("records")
    [{'group': 'B', 'n': 3, 'events': 2, 'median': 4.0, 'lower': 2.0, 'upper': nan}, {'group': 'A', 'n': 3, 'events': 2, 'median': 5.0, 'lower': 1.0, 'upper': nan}]
    """
    rows = []
    for name, g in groups(frame, by, labels):
        if len(g) == 0:
            continue
        s = km.median_summary(g["time"].to_numpy(), g["event"].to_numpy(), conf_type)
        rows.append([name, s.n, s.events, s.median, s.lower, s.upper])
    return pd.DataFrame(rows, columns=["group", "n", "events", "median", "lower", "upper"])


def survival_at(time, event, times=LANDMARKS, conf_type: str = "log", level: float = 0.95) -> pd.DataFrame:
    """S(t) with its CI and the number at risk at each t (R ``summary(survfit(...), times = t)``).

    S(t) is the estimate at the last distinct time ≤ t (1 before the first);
    a t beyond the last observed time gives missing values (R drops it).

    Examples
    --------
    >>> table = survival_at([1, 2, 2, 3], [1, 1, 0, 0], times=[0.5, 2, 5])
    >>> table["n_risk"].tolist(), table["surv"].tolist(), table["lower"].round(4).tolist()
    ([4, 3, 0], [1.0, 0.5, nan], [1.0, 0.1877, nan])
    """
    t_all, e = checks.survival_data(time, event)
    table = km.kaplan_meier(t_all, e, conf_type, level)
    rows = []
    for t in times:
        if t > t_all.max():
            rows.append([t, int((t_all >= t).sum()), np.nan, np.nan, np.nan])
            continue
        prior = table[table["time"] <= t]
        if prior.empty:  # before the first time: R's time-0 row, S = 1 with CI 1–1
            rows.append([t, len(t_all), 1.0, 1.0, 1.0])
        else:
            last = prior.iloc[-1]
            rows.append([t, int((t_all >= t).sum()), last["surv"], last["lower"], last["upper"]])
    return pd.DataFrame(rows, columns=["time", "n_risk", "surv", "lower", "upper"])


def risk_table(time, event, ticks) -> pd.DataFrame:
    """At each tick: at risk (time ≥ tick), cumulative events and censorings (time ≤ tick); by binary search.

    An empty sample gives zeros at every tick (a group nobody is in).

    Examples
    --------
    >>> risk_table([1, 2, 2, 3], [1, 1, 0, 0], ticks=[0, 2, 4]).to_dict("list")
    {'tick': [0, 2, 4], 'at_risk': [4, 3, 0], 'events': [0, 2, 2], 'censored': [0, 1, 2]}
    >>> risk_table([], [], ticks=[0, 6]).to_dict("list")
    {'tick': [0, 6], 'at_risk': [0, 0], 'events': [0, 0], 'censored': [0, 0]}
    """
    time, e = checks.survival_data(time, event, allow_empty=True)
    return pd.DataFrame(
        {
            "tick": list(ticks),
            "at_risk": risksets.at_risk(time, ticks),
            "events": risksets.cumulative_at(time, e == 1, ticks),
            "censored": risksets.cumulative_at(time, e == 0, ticks),
        }
    )


# ----------------------------------------------------------------------------- tests and models
def logrank(time, event, group, rho: float = 0.0, strata=None) -> _logrank.LogrankResult:
    """Weighted log-rank test (R ``survdiff(..., rho = rho)``); rho = 0 is the log-rank test.

    Fleming–Harrington G-rho weight S(t−)^rho, S the pooled Kaplan–Meier just
    before t; ``strata`` compares the groups within strata (R ``+ strata(s)``)
    (:func:`analysis.stats.logrank.survdiff`, O(N log N)). Returns its
    :class:`~analysis.stats.logrank.LogrankResult` (chi2, df, p, observed/expected per group, note).

    Examples
    --------
    At the event times 1, 2, 4, 5 arm 1 has (n₁, n) = (3, 6), (3, 5), (2, 3), (1, 2): E₁ = 1/2 + 3/5
    + 2/3 + 1/2 = 2.2667 against O₁ = 2 (lifelines' ``logrank_test``: p = 0.7857):

    >>> r = logrank([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [0, 1, 0, 1, 0, 1])
    >>> [round(x, 4) for x in r.expected], round(r.chi2, 4), round(r.p, 4)
    ([1.7333, 2.2667], 0.0739, 0.7857)

    A missing time or an event coded 2 is refused, not tested:

    >>> logrank([1, 2, float("nan")], [1, 0, 1], [0, 1, 1])
    Traceback (most recent call last):
    ...
    ValueError: time[2] is nan: every time must be a finite number ≥ 0
    >>> logrank([1, 2, 3], [1, 2, 1], [0, 1, 1])
    Traceback (most recent call last):
    ...
    ValueError: event[1] is 2: events are coded 1 (event) or 0 (censored), or True/False
    """
    return _logrank.survdiff(time, event, group, rho, strata)


def cox(time, event, covariate, level: float = 0.95, strata=None, ties: str = "efron", ph: bool = True) -> _cox.CoxFit:
    """Cox proportional hazards for one covariate (R ``coxph(Surv(time, event) ~ x)``, Efron ties).

    :func:`analysis.stats.cox.coxph` (full Newton–Raphson convergence, O(N log N);
    ``strata`` and ``ties="breslow"`` as in R), plus ``ph_p``
    (:func:`analysis.stats.cox.ph_test`): the Grambsch–Therneau test on
    Kaplan–Meier-transformed time, as lifelines' ``proportional_hazard_test``; R's
    ``cox.zph`` uses a different score-based form, so ph_p is not claimed equal to
    R; not computed with strata, nor with ``ph=False``. Returns hr, lower, upper
    (Wald, exp(β ± z·se)), p (Wald), ph_p and ``reason``: empty, or why the HR is
    not estimable — no events, no variation in the covariate, a group without
    events, or any other monotone likelihood (|β| > 15) — in which case the
    numbers are ``nan``.

    Examples
    --------
    lifelines' ``CoxPHFitter`` and ``proportional_hazard_test(..., time_transform="km")`` give the same:

    >>> fit = cox([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [0, 1, 0, 1, 0, 1])
    >>> round(fit.hr, 4), round(fit.p, 4), round(fit.ph_p, 4)
    (0.7604, 0.7863, 0.8889)
    """
    fit = _cox.coxph(time, event, covariate, strata=strata, ties=ties, level=level)
    if ph and fit.estimable and strata is None:
        fit = dataclasses.replace(fit, ph_p=_cox.ph_test(time, event, covariate, fit.beta, fit.se))
    return fit


# ----------------------------------------------------------------------------- follow-up
def reverse_km_followup(time, died, conf_type: str = "log") -> km.MedianCI:
    """Median potential follow-up with CI as R prints it: ``survfit(Surv(time, 1 - died) ~ 1)`` (see module notes).

    Examples
    --------
    Deaths at 1 and 2, follow-up ending at 2 and 3: the censoring "survival" is 1, 2/3, 0 at 1, 2, 3,
    so the median is 3 and the lower limit 2 (the band (2/3)·exp(−1.96·√(1/6)) = 0.30):

    >>> reverse_km_followup([1, 2, 2, 3], [1, 1, 0, 0])
    MedianCI(median=3.0, lower=2.0, upper=nan)
    >>> reverse_km_followup([1, 2], [1, 3])
    Traceback (most recent call last):
    ...
    ValueError: died[1] is 3: events are coded 1 (event) or 0 (censored), or True/False
    """
    time, died = checks.survival_data(time, died, names=("time", "died"))
    return km.median_ci(time, 1.0 - died, conf_type)


# ----------------------------------------------------------------------------- competing risks
def cumulative_incidence(time, cause, causes=None) -> pd.DataFrame:
    """Aalen–Johansen cumulative incidence of each cause (R ``survfit(Surv(time, factor(cause)) ~ 1)``).

    ``cause`` is "" (or None) for censored, else the cause label. At each
    distinct time u: CIF_k(u) = CIF_k(u−) + S(u−) · d_k(u) / n(u), with S the
    all-cause Kaplan–Meier. Returns one row per distinct time and a column per cause.

    Examples
    --------
    Four patients, n = 4, 3, 2, 1 at times 1–4: relapse 1/4 at 1; death (3/4)·(1/3) = 1/4 at 2;
    censored at 3; relapse at 4 adds S(4−)·1/1 = 1/2:

    >>> cif = cumulative_incidence([1, 2, 3, 4], ["relapse", "death", "", "relapse"])
    >>> cif.round(4).to_dict("list")
    {'time': [1.0, 2.0, 3.0, 4.0], 'death': [0.0, 0.25, 0.25, 0.25], 'relapse': [0.25, 0.25, 0.25, 0.75]}
    """
    t = checks.times(time)
    c = np.array(
        ["" if (x is None or (isinstance(x, float) and math.isnan(x))) else str(x) for x in cause], dtype=object
    )
    if len(c) != len(t):
        raise ValueError(f"cause has {len(c)} values but time has {len(t)}: give one cause (or '') per subject")
    causes = list(causes) if causes is not None else sorted({x for x in c if x})
    times, inverse = np.unique(t, return_inverse=True)
    n = np.bincount(inverse, minlength=len(times))[::-1].cumsum()[::-1].astype(float)
    d_k = {k: np.bincount(inverse, weights=(c == k).astype(float), minlength=len(times)) for k in causes}
    d = sum(d_k.values()) if causes else np.zeros_like(n)
    s_before = np.concatenate(([1.0], np.cumprod(1 - d / n)[:-1]))
    out = pd.DataFrame({"time": times})
    for k in causes:
        out[k] = np.cumsum(s_before * d_k[k] / n)
    return out


def incidence_at(cif: pd.DataFrame, times) -> pd.DataFrame:
    """Cumulative incidence of each cause at the given times (last value at or before t).

    Examples
    --------
    >>> cif = cumulative_incidence([1, 2, 3, 4], ["relapse", "death", "", "relapse"])
    >>> incidence_at(cif, [0, 2.5, 10]).round(4).to_dict("list")
    {'time': [0.0, 2.5, 10.0], 'death': [0.0, 0.25, 0.25], 'relapse': [0.0, 0.25, 0.75]}
    """
    rows = []
    for x in times:
        prior = cif[cif["time"] <= x]
        rows.append([x] + ([0.0] * (cif.shape[1] - 1) if prior.empty else list(prior.iloc[-1, 1:])))
    return pd.DataFrame(rows, columns=["time"] + list(cif.columns[1:]))


# ----------------------------------------------------------------------------- results table
def group_summary(
    frame: pd.DataFrame,
    by: str | None = None,
    labels: dict | None = None,
    landmarks=(6.0, 12.0),
    conf_type: str = "log",
) -> pd.DataFrame:
    """Per group of a ``time``/``event`` table: n, events, median (CI), landmark survival (CI);
    for a grouping with two values, the log-rank p and the Cox HR (highest value vs the other,
    e.g. 1 vs 0) with its CI and PH-test p on every row, and ``hr_reference``: the label of the
    other group, the HR's reference (empty without a comparison), so that a table printing the HR
    on both rows can say which group it is relative to.

    Rows with ``by`` missing are left out. The test columns are always present: where a
    test or the HR cannot be estimated they are NaN and ``test_note`` says why (one group,
    more than two groups, no events, a group without events, a monotone likelihood); empty
    otherwise.

    Examples
    --------
    >>> frame = pd.DataFrame({"time": [1, 2, 3, 4, 5, 6], "event": [1, 1, 0, 1, 1, 0], "arm": [0, 1, 0, 1, 0, 1]})
    >>> table = group_summary(frame, "arm", {1: "B", 0: "A"}, landmarks=(3.0,))
    >>> table[["group", "n", "events", "median", "surv_3m"]].round(4).to_dict("records")
    [{'group': 'B', 'n': 3, 'events': 2, 'median': 4.0, 'surv_3m': 0.6667}, {'group': 'A', 'n': 3, 'events': 2, 'median': 5.0, 'surv_3m': 0.6667}]
    >>> [round(float(table[c][0]), 4) for c in ("logrank_p", "hr", "ph_p")]
    [0.7857, 0.7604, 0.8889]
    >>> table["hr_reference"].tolist()
    ['A', 'A']
    >>> group_summary(frame.assign(event=[0, 1, 0, 1, 0, 0]), "arm")["test_note"][0]
    'HR not estimable: no events where the covariate is 0'
    """
    if by is not None:
        frame = frame[frame[by].notna()]
    med = median_table(frame, by, labels, conf_type)
    rows = []
    for name, g in groups(frame, by, labels):
        land = survival_at(g["time"], g["event"], landmarks, conf_type)
        m = med[med["group"] == name].iloc[0]
        rec = {
            "group": name,
            "n": int(m["n"]),
            "events": int(m["events"]),
            "median": m["median"],
            "median_lower": m["lower"],
            "median_upper": m["upper"],
        }
        for _, r in land.iterrows():
            rec[f"surv_{r['time']:g}m"] = r["surv"]
            rec[f"surv_{r['time']:g}m_lower"] = r["lower"]
            rec[f"surv_{r['time']:g}m_upper"] = r["upper"]
        rows.append(rec)
    out = pd.DataFrame(
        rows,
        columns=[
            "group",
            "n",
            "events",
            "median",
            "median_lower",
            "median_upper",
            *(f"surv_{t:g}m{x}" for t in landmarks for x in ("", "_lower", "_upper")),
        ],
    )
    for k, v in _two_group_test(frame, by, labels).items():
        out[k] = v if len(out) else pd.Series(dtype=object if k in ("hr_reference", "test_note") else float)
    return out


def _two_group_test(frame: pd.DataFrame, by: str | None, labels: dict | None) -> dict:
    """:func:`group_summary`'s test columns: log-rank p, Cox HR (CI), its reference group's label, PH p, note."""
    test = {"logrank_p": np.nan, "hr": np.nan, "hr_lower": np.nan, "hr_upper": np.nan, "hr_reference": ""}
    test.update(ph_p=np.nan, test_note="")
    if by is None:
        return test
    values = frame[by].nunique()
    if values != 2:
        test["test_note"] = (
            f"no comparison: {values} group{'s' if values != 1 else ''} of {by} with data (two are needed)"
        )
        return test
    lr = logrank(frame["time"], frame["event"], frame[by])
    hr = cox(frame["time"], frame["event"], frame[by])
    reference = min(frame[by].unique())  # the Cox covariate's lowest value: the HR is per unit above it
    test.update(logrank_p=lr.p, hr=hr.hr, hr_lower=hr.lower, hr_upper=hr.upper, ph_p=hr.ph_p, test_note=hr.reason)
    test["hr_reference"] = (labels or {}).get(reference, reference)
    if np.isnan(lr.p):
        test["test_note"] = "log-rank not estimable: no events"
    return test


def default_ticks(time, step: float = 6.0) -> list[float]:
    """Ticks every ``step`` (months) from 0 up to the last time; ``[0]`` when there is no time at all.

    Examples
    --------
    >>> [float(x) for x in default_ticks([1, 7, 13.5])], [float(x) for x in default_ticks([])]
    ([0.0, 6.0, 12.0], [0.0])
    """
    t = checks.times(time, allow_empty=True)
    last = float(t.max()) if t.size else 0.0
    return list(np.arange(0, last + 1e-9, step))


def risk_tables(frame: pd.DataFrame, by: str | None = None, labels: dict | None = None, ticks=None) -> pd.DataFrame:
    """:func:`risk_table` per group (long format with a ``group`` column); ticks every 6 months by default.

    A frame without rows (e.g. nobody with the grouping recorded) gives an empty table.

    Examples
    --------
    >>> frame = pd.DataFrame({"time": [1, 2, 3, 4, 5, 6], "event": [1, 1, 0, 1, 1, 0], "arm": [0, 1, 0, 1, 0, 1]})
    >>> risk_tables(frame, "arm", {1: "B", 0: "A"}, ticks=[0, 3]).to_dict("list")
    {'group': ['B', 'B', 'A', 'A'], 'tick': [0, 3, 0, 3], 'at_risk': [3, 2, 3, 2], 'events': [0, 1, 0, 1], 'censored': [0, 0, 0, 1]}
    >>> len(risk_tables(frame.iloc[:0]))
    0
    """
    ticks = list(ticks) if ticks is not None else default_ticks(frame["time"])
    columns = ["group", "tick", "at_risk", "events", "censored"]
    parts = [
        risk_table(g["time"], g["event"], ticks).assign(group=name) for name, g in groups(frame, by, labels) if len(g)
    ]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
