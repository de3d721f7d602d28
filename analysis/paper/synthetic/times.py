"""Calibrating entry dates, progressions and deaths to the published survival claims.

Given each patient's subgroup labels (EMD; cytogenetics: abnormal, tested
negative, untested) and the number of deaths by cause, find whole-day times
such that, judged with R's conventions (:mod:`analysis.stats.km`: "log" CI, midpoint
rule), the PFS and OS medians and 95% CI bounds overall and by subgroup, the
log-rank p-values, the observed follow-up (median, min, max) and the numbers of
patients who can be assessed at C1, C3, C6 and C12 are as close as possible to
the targets.

Method: simulated annealing (Kirkpatrick et al., Science 1983;220:671) over
single-patient moves — shift a progression or death day, move an entry date,
add or remove a progression in a survivor, exchange the event histories of two
patients in different EMD groups. The loss is a sum of squared errors scaled
by the tolerance of each claim (see :class:`TimeTargets`); a move is accepted
with the Metropolis rule under a geometric cooling schedule. Only the curves a
move touches are recomputed. Deterministic for a given seed: the number of
iterations is fixed, never time-based.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ...data.derive import DAYS_PER_MONTH
from ...data.dictionary import CYCLE_DAYS
from ...stats import km, logrank

GROUPS = ("all", "emd1", "emd0", "cyto1", "cyto0")
ENDPOINTS = ("PFS", "OS")
NR = None  # "not reached"
CYCLES = (1, 3, 6, 12)


@dataclass(frozen=True)
class MedianTarget:
    """A published median with its CI (months; ``None`` = not reached)."""

    endpoint: str
    group: str
    median: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class TimeTargets:
    """Everything the time calibration aims at (built from the claims registry).

    ``reach[(cycle, group)] = (evaluable, responders)``: the published
    evaluable count and ORR numerator at that cycle, used as lower bounds on
    the patients who can be assessed there. Scales (the error that counts as
    one unit of loss): medians 0.3 months, CI bounds 1 month, p-values 0.01
    (printed with 2 decimals) or 0.05 (1 decimal), follow-up 0.5 months.
    """

    medians: tuple[MedianTarget, ...]
    pvalues: dict  # (endpoint, "emd" | "cyto") -> (p, decimals)
    deaths_by_cause: dict  # cause -> count
    followup_median: float
    followup_min: float
    followup_max: float
    accrual_days: int  # length of the accrual window, days
    reach: dict = field(default_factory=dict)


@dataclass
class TimeState:
    entry: np.ndarray  # day of first bispecific dose, from the start of the accrual window
    cutoff: int  # data cut-off, same origin
    prog_day: np.ndarray  # days from entry to progression; -1 = none
    death_day: np.ndarray  # days from entry to death; -1 = alive at cut-off
    cause: np.ndarray  # "" | progression | infection | other

    def copy(self) -> TimeState:
        return TimeState(self.entry.copy(), self.cutoff, self.prog_day.copy(), self.death_day.copy(), self.cause.copy())

    @property
    def potential(self) -> np.ndarray:
        return self.cutoff - self.entry

    def endpoint_arrays(self):
        """(pfs_days, pfs_event, os_days, os_event, last_contact_days)."""
        last = np.where(self.death_day >= 0, self.death_day, self.potential)
        os_e = (self.death_day >= 0).astype(float)
        pfs_d = np.where(self.prog_day >= 0, self.prog_day, last)
        pfs_e = ((self.prog_day >= 0) | (self.death_day >= 0)).astype(float)
        return pfs_d, pfs_e, last, os_e, last


def _median_error(stat, target, scale_med=0.3, scale_ci=1.0):
    """Squared, scaled error between (median, lower, upper, lowest S) and a target.

    A median that should be reached but is not (or the reverse) costs 9 plus a
    graded term in the curve's lowest survival, so that the search is led
    towards the 0.5 line rather than facing a plateau.
    """
    med, lo, hi, floor = stat
    loss = 0.0
    if target.median is None and not math.isnan(med):
        loss += 9.0 + 40.0 * max(0.0, 0.5 - floor)
    elif target.median is not None and math.isnan(med):
        loss += 9.0 + 40.0 * max(0.0, floor - 0.5)
    for value, want, scale in zip(
        (med, lo, hi), (target.median, target.lower, target.upper), (scale_med, scale_ci, scale_ci)
    ):
        reached = not math.isnan(value)
        if want is None:
            if reached:
                loss += 9.0
        elif not reached:
            loss += 9.0
        else:
            loss += ((value - want) / scale) ** 2
    return loss


def _curve_stats(t, e):
    """(median, lower, upper, lowest S) with R's conventions (log CI, midpoint rule).

    The median and limits are still R's ``quantile.survfit`` (:func:`km.survival_quantile`),
    not the printed ones that :func:`km.median_ci` and the reconciliation use: the two differ
    only on a non-monotone band or a curve ending flat at exactly 0.5. Switching (``fit.median()``
    for ``fit.quantile()``) changes the annealing path, so it goes with regenerating the
    committed cohort, which is then no longer the one its seed reproduces today.
    """
    fit = km.estimate(t, e, "log", 0.95)
    return (*fit.quantile(0.5), float(fit.surv[-1]))


class Calibrator:
    """Holds the group masks and targets; evaluates and anneals a :class:`TimeState`."""

    def __init__(self, targets: TimeTargets, emd: np.ndarray, cyto: np.ndarray, rng: np.random.Generator):
        self.t = targets
        self.rng = rng
        self.n = len(emd)
        self.masks = {
            "all": np.ones(self.n, bool),
            "emd1": emd == 1,
            "emd0": emd == 0,
            "cyto1": cyto == 1,
            "cyto0": cyto == 0,
        }
        self.medians = {(m.endpoint, m.group): m for m in targets.medians}
        self._cache: dict = {}

    def _cached(self, kind, t, e, g=None):
        """Statistics of one curve or one test, memoised on its data (a move changes few curves)."""
        key = (kind, t.tobytes(), e.tobytes(), None if g is None else g.tobytes())
        hit = self._cache.get(key)
        if hit is None:
            hit = _curve_stats(t, e) if kind == "median" else logrank.two_sample_p(t, e, g)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    # ------------------------------------------------------------------ statistics
    def statistics(self, s: TimeState) -> dict:
        pfs_d, pfs_e, os_d, os_e, last = s.endpoint_arrays()
        out = {}
        data = {"PFS": (pfs_d / DAYS_PER_MONTH, pfs_e), "OS": (os_d / DAYS_PER_MONTH, os_e)}
        for ep, (t, e) in data.items():
            for g, m in self.masks.items():
                out[(ep, g)] = self._cached("median", t[m], e[m]) if m.any() else (np.nan, np.nan, np.nan, 1.0)
            for by, (g1, g0) in {"emd": ("emd1", "emd0"), "cyto": ("cyto1", "cyto0")}.items():
                sel = self.masks[g1] | self.masks[g0]
                out[(ep, by)] = self._cached("logrank", t[sel], e[sel], self.masks[g1][sel])
        fu = last / DAYS_PER_MONTH
        out["followup"] = (float(np.median(fu)), float(fu.min()), float(fu.max()))
        out["reach"] = self.reach_counts(s)
        return out

    def reach_counts(self, s: TimeState) -> dict:
        """(cycle, group) -> (assessable without PD, assessable as PD) at each cycle.

        Assessable without PD at Cn: alive, followed and progression-free on day
        n × 28. Assessable as PD at Cn: progression during cycle n (days
        (n − 1) × 28 to n × 28), so that the PD is the cycle-n assessment.
        """
        return reach_counts(s, self.masks)

    def loss(self, stats_: dict) -> float:
        total = 0.0
        for key, target in self.medians.items():
            total += _median_error(stats_[key], target)
        for (ep, by), (p, dec) in self.t.pvalues.items():
            got = stats_[(ep, by)]
            scale = 0.01 if dec >= 2 else 0.05
            total += 9.0 if math.isnan(got) else ((got - p) / scale) ** 2
        med, lo, hi = stats_["followup"]
        total += ((med - self.t.followup_median) / 0.5) ** 2
        total += ((lo - self.t.followup_min) / 0.5) ** 2 + ((hi - self.t.followup_max) / 0.5) ** 2
        for key, (evaluable, responders) in self.t.reach.items():
            free, window = stats_["reach"][key]
            short = max(0, evaluable - free - window) + max(0, responders - free)
            total += 4.0 * short * short
        return total

    # ------------------------------------------------------------------ moves
    def _propose(self, s: TimeState) -> TimeState | None:
        rng = self.rng
        new = s.copy()
        i = int(rng.integers(self.n))
        P = int(new.potential[i])
        kind = rng.random()
        if kind < 0.30 and new.prog_day[i] >= 0:  # move a progression
            hi = (new.death_day[i] - 1) if new.death_day[i] >= 0 else P - 1
            step = int(round(rng.normal(0, 20 if rng.random() < 0.7 else 90)))
            new.prog_day[i] = int(np.clip(new.prog_day[i] + step, 14, max(14, hi)))
        elif kind < 0.55 and new.death_day[i] >= 0:  # move a death
            lo = new.prog_day[i] + 1 if new.prog_day[i] >= 0 else 10
            step = int(round(rng.normal(0, 20 if rng.random() < 0.7 else 90)))
            new.death_day[i] = int(np.clip(new.death_day[i] + step, lo, P))
        elif kind < 0.70:  # move an entry date
            step = int(round(rng.normal(0, 30)))
            e = int(np.clip(new.entry[i] + step, 0, self.t.accrual_days))
            span = max(new.prog_day[i], new.death_day[i])
            if new.cutoff - e < max(span, 1):
                return None
            new.entry[i] = e
            # the first and last inclusions stay in the published first and last months
            if new.entry.min() > 27 or new.entry.max() < self.t.accrual_days - 27:
                return None
        elif kind < 0.82 and new.death_day[i] < 0:  # add/remove a progression in a survivor
            if new.prog_day[i] >= 0:
                new.prog_day[i] = -1
            elif P > 20:
                new.prog_day[i] = int(rng.integers(14, P))
        else:  # exchange histories across EMD groups
            j = int(rng.integers(self.n))
            if i == j:
                return None
            a = (new.prog_day[i], new.death_day[i], new.cause[i])
            b = (new.prog_day[j], new.death_day[j], new.cause[j])
            if max(b[0], b[1]) > new.potential[i] or max(a[0], a[1]) > new.potential[j]:
                return None
            new.prog_day[i], new.death_day[i], new.cause[i] = b
            new.prog_day[j], new.death_day[j], new.cause[j] = a
        return new

    def anneal(self, s: TimeState, iterations: int, t0: float = 2.0, t1: float = 0.01) -> tuple[TimeState, float]:
        cur, cur_loss = s, self.loss(self.statistics(s))
        best, best_loss = cur, cur_loss
        for k in range(iterations):
            temp = t0 * (t1 / t0) ** (k / max(1, iterations - 1))
            cand = self._propose(cur)
            if cand is None:
                continue
            cand_loss = self.loss(self.statistics(cand))
            if cand_loss <= cur_loss or self.rng.random() < math.exp((cur_loss - cand_loss) / temp):
                cur, cur_loss = cand, cand_loss
                if cur_loss < best_loss:
                    best, best_loss = cur, cur_loss
        return best, best_loss


def cycle_status(s: TimeState) -> dict:
    """cycle -> (free, pd_window) boolean arrays over patients (see :meth:`Calibrator.reach_counts`)."""
    _, _, _, _, last = s.endpoint_arrays()
    prog = s.prog_day
    out = {}
    for c in CYCLES:
        day = c * CYCLE_DAYS
        free = ((prog < 0) | (prog > day)) & (last >= day)
        window = (prog >= (c - 1) * CYCLE_DAYS) & (prog <= day)
        out[c] = (free, window)
    return out


def reach_counts(s: TimeState, masks: dict) -> dict:
    status = cycle_status(s)
    return {
        (c, g): (int((free & m).sum()), int((window & m).sum()))
        for c, (free, window) in status.items()
        for g, m in masks.items()
    }


def _scale_to_count(latent: np.ndarray, limit: np.ndarray, count: int) -> np.ndarray:
    """Multiply ``latent`` by the factor that makes exactly ``count`` values fall below ``limit``.

    The number of events is monotone in the factor, so bisection on the log
    scale finds it; ties are broken by the order of ``latent / limit``.
    """
    ratio = latent / limit
    order = np.argsort(ratio, kind="stable")
    if count == 0:
        return latent * (1.0 / ratio.min()) * 1.01
    k = ratio[order[count - 1]]
    nxt = ratio[order[count]] if count < len(ratio) else k * 2
    factor = 1.0 / ((k + nxt) / 2)
    return latent * factor


def initial_state(
    targets: TimeTargets, emd: np.ndarray, cyto: np.ndarray, rng: np.random.Generator, medians_months: dict
) -> TimeState:
    """A plausible starting point: staggered entry, Weibull latent times, exact death counts.

    ``medians_months[(endpoint, group)]`` gives the latent median used for each
    patient (its EMD group for PFS and OS; untested patients get the longer of
    the two). Entry dates are spread uniformly over the accrual window with the
    first and last in its first and last month; the cut-off is set so that the
    first patient, kept alive, reaches the published maximum follow-up.
    """
    n = len(emd)
    W = targets.accrual_days
    entry = np.sort(rng.uniform(0, W, n)).round().astype(int)
    entry[0], entry[-1] = int(rng.integers(0, 20)), W - int(rng.integers(0, 20))
    entry = entry[rng.permutation(n)]
    first = int(np.argmin(entry))
    cutoff = int(entry[first] + round(targets.followup_max * DAYS_PER_MONTH))
    potential = cutoff - entry

    def latent(endpoint):
        med = np.array([medians_months[(endpoint, "emd1" if emd[i] == 1 else "emd0")] for i in range(n)])
        shape = 1.2
        scale = med / (math.log(2) ** (1 / shape))
        return scale * rng.weibull(shape, n) * DAYS_PER_MONTH

    n_deaths = int(sum(targets.deaths_by_cause.values()))
    os_latent = latent("OS")
    os_latent[first] = potential[first] * 10  # the longest follow-up is a survivor
    os_latent = _scale_to_count(os_latent, potential.astype(float), n_deaths)
    dead = os_latent < potential
    death_day = np.where(dead, np.maximum(10, os_latent.round()), -1).astype(int)

    pfs_latent = latent("PFS")
    prog_day = np.where(pfs_latent < np.where(dead, death_day, potential), pfs_latent.round(), -1).astype(int)
    prog_day = np.where(prog_day >= 0, np.maximum(prog_day, 14), -1)

    cause = np.array([""] * n, dtype=object)
    dead_idx = np.flatnonzero(dead)
    # progression deaths: the dead patients who progressed first; others die without progression
    with_prog = [i for i in dead_idx if prog_day[i] >= 0 and prog_day[i] < death_day[i]]
    without = [i for i in dead_idx if i not in with_prog]
    n_prog_deaths = targets.deaths_by_cause.get("progression", 0)
    rng.shuffle(with_prog)
    rng.shuffle(without)
    while len(with_prog) < n_prog_deaths and without:  # give a progression before death
        i = without.pop()
        prog_day[i] = max(14, int(death_day[i] * rng.uniform(0.4, 0.9)))
        death_day[i] = max(death_day[i], prog_day[i] + 1)
        with_prog.append(i)
    while len(with_prog) > n_prog_deaths:  # or take it away
        i = with_prog.pop()
        prog_day[i] = -1
        without.append(i)
    for i in with_prog:
        cause[i] = "progression"
    others = [c for c, k in targets.deaths_by_cause.items() if c != "progression" for _ in range(k)]
    for i, c in zip(sorted(without, key=lambda i: death_day[i]), others):
        cause[i] = c
    return TimeState(entry.astype(int), cutoff, prog_day.astype(int), death_day.astype(int), cause)
