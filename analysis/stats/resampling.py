"""Kaplan–Meier statistics for thousands of bootstrap resamples at once.

A bootstrap resample of N patients draws N of them with replacement. Kaplan–Meier
statistics depend on a resample only through how many times each **cell** —
each distinct (time, event, group) combination — is drawn, and the counts of the
C cells of a resample are multinomial(N; n_c / N), n_c the patients in cell c
(aggregating a multinomial over patients into cells gives exactly this
distribution). So a block of B resamples is a B × C matrix W of cell counts,
drawn directly: O(B·C) random numbers instead of O(B·N) — a registry of 50,000
patients has ~1,000–3,000 cells, not 50,000 columns. Up to
:data:`PATIENT_DRAWS_UP_TO` patients the counts are drawn patient by patient and
then summed into cells (:func:`bootstrap_weights`): the same distribution, and
the random stream this engine has always used, so a seeded bootstrap of a
clinical-size cohort keeps its published digits; there, drawing N patients costs
no more than drawing ~N cells. With the C × K indicator
matrices of "cell c has an event / is at distinct time k", W @ E and W @ T give
every replicate's events and exits at every distinct time in one product. From
these, vectorised over replicates:

* Kaplan–Meier S_b(t_k) = Π_{j ≤ k} (1 − d_bj / n_bj) (a time absent from a
  replicate has d = 0 and leaves S unchanged);
* the median, by lifelines' rule (first time S ≤ 0.5) or R's printed rule
  (:func:`analysis.stats.km.minmin`, ``survival:::survmean``: first time
  S < 0.5 + tol; on an exact 0.5 followed by a drop, the midpoint with the
  time of that drop);
* S at fixed times (value at the last distinct time ≤ t, as lifelines'
  ``survival_function_at_times``);
* the two-group log-rank χ² (``survdiff``, rho = 0).

Each replicate equals lifelines / :mod:`analysis.stats.km` fitted on the expanded
resample (tested replicate by replicate). Blocks keep memory bounded
(``block`` replicates × K times); :func:`bootstrap` runs blocks in parallel
with joblib — with a Dask cluster, ``joblib.parallel_backend("dask")`` runs
them there unchanged. Seeded: each block draws from its own
``numpy.random.SeedSequence`` child, so results do not depend on the number
of workers.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from . import checks, logrank
from .km import TOLERANCE


class Design:
    """Cells (distinct time × event × group), their sizes and indicator matrices, shared by every replicate.

    ``observed`` (1 × C) is the data itself as cell counts: the weights of the
    original sample, e.g. ``medians(design, design.observed)``.

    Examples
    --------
    Four patients in four cells, (time, event) = (1, 1), (2, 0), (2, 1), (3, 0):

    >>> design = Design([1, 2, 2, 3], [1, 1, 0, 0])
    >>> design.n, design.grid.tolist(), design.sizes.tolist()
    (4, [1.0, 2.0, 3.0], [1.0, 1.0, 1.0, 1.0])
    >>> design.cell_time.tolist(), design.cell_event.tolist()
    ([0, 1, 1, 2], [1, 0, 1, 0])
    >>> [x.tolist() for x in design.expand([0, 0, 2, 1])]
    [[2.0, 2.0, 3.0], [1, 1, 0], [0, 0, 0]]
    """

    def __init__(self, time, event, group=None):
        time, event = checks.survival_data(time, event)
        if group is not None:
            group = checks.labels(group, "group", len(time))
        self.n = len(time)
        self.grid, inv = np.unique(time, return_inverse=True)
        k = len(self.grid)
        g = np.zeros(self.n, dtype=np.int64) if group is None else np.asarray(group).astype(bool).astype(np.int64)
        keys, cell_of, sizes = np.unique(
            np.stack([inv, event.astype(np.int64), g]), axis=1, return_inverse=True, return_counts=True
        )
        self.cell_time, self.cell_event, self.cell_group = keys
        self.cell_of = np.ravel(cell_of)  # each patient's cell (input order)
        self.sizes = sizes.astype(np.float64)
        self.observed = self.sizes[None, :]
        c = len(self.sizes)
        cells = np.arange(c)
        self.patient_cells = sparse.csr_matrix((np.ones(self.n), (np.arange(self.n), self.cell_of)), shape=(self.n, c))
        self.exits = sparse.csr_matrix((np.ones(c), (cells, self.cell_time)), shape=(c, k))
        self.events = sparse.csr_matrix((self.cell_event.astype(float), (cells, self.cell_time)), shape=(c, k))
        self.group = None if group is None else True
        if group is not None:
            gc = self.cell_group.astype(float)
            self.exits1 = sparse.csr_matrix((gc, (cells, self.cell_time)), shape=(c, k))
            self.events1 = sparse.csr_matrix((self.cell_event * gc, (cells, self.cell_time)), shape=(c, k))

    def expand(self, weights_row: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(time, event, group) of the patients a row of cell counts stands for (for tests and checks)."""
        w = np.asarray(weights_row).astype(np.int64)
        cells = np.repeat(np.arange(len(w)), w)
        return self.grid[self.cell_time[cells]], self.cell_event[cells], self.cell_group[cells]

    def counts(self, weights: np.ndarray):
        """(d, n): events and numbers at risk, replicates × distinct times (``weights``: replicates × cells)."""
        W = sparse.csr_matrix(weights)
        d = np.asarray((W @ self.events).todense())
        exits = np.asarray((W @ self.exits).todense())
        n = np.cumsum(exits[:, ::-1], axis=1)[:, ::-1]
        return d, n, exits


def km_surv(d: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Kaplan–Meier S per row from events ``d`` and numbers at risk ``n`` (replicates × times); a time
    nobody is at risk at leaves S unchanged.

    Examples
    --------
    >>> km_surv(np.array([[1.0, 1.0, 0.0], [2.0, 0.0, 0.0]]), np.array([[4.0, 3.0, 1.0], [4.0, 2.0, 0.0]])).tolist()
    [[0.75, 0.5, 0.5], [0.5, 0.5, 0.5]]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 0, 1.0 - d / n, 1.0)
    return np.cumprod(factor, axis=1)


def medians(design: Design, weights: np.ndarray, rule: str = "R", tol: float = TOLERANCE) -> np.ndarray:
    """Median survival time of each replicate; ``nan`` (R) or ``inf`` (lifelines) when not reached.

    Examples
    --------
    Cells as in :class:`Design`'s example; the rows are the sample itself, both deaths at 1 with
    both censorings at 3 (S(1) = 1/2), and no death at all:

    >>> design = Design([1, 2, 2, 3], [1, 1, 0, 0])
    >>> w = [[1, 1, 1, 1], [2, 0, 0, 2], [0, 1, 0, 3]]
    >>> medians(design, w).tolist(), medians(design, w, rule="lifelines").tolist()
    ([2.0, 1.0, nan], [2.0, 1.0, inf])
    """
    d, n, _ = design.counts(weights)
    s = km_surv(d, n)
    grid = design.grid
    b = np.arange(len(s))
    if rule == "lifelines":
        hit = s <= 0.5
        first = hit.argmax(axis=1)
        return np.where(hit.any(axis=1), grid[first], np.inf)
    if rule != "R":
        raise ValueError("rule must be 'R' or 'lifelines'")
    below = s < 0.5 + tol  # the first time the curve is below 0.5 (+ tol)
    first = below.argmax(axis=1)
    reached = below.any(axis=1)
    s_first = s[b, first]
    # on an exact 0.5, the midpoint with the first later time the curve is lower (S is non-increasing,
    # so "lower than S there" is "later"); with no such drop, the time 0.5 was reached (survmean)
    drop = s < s_first[:, None]
    has_drop = drop.any(axis=1)
    at_half = np.abs(s_first - 0.5) < tol
    out = np.where(at_half & has_drop, (grid[first] + grid[drop.argmax(axis=1)]) / 2, grid[first])
    return np.where(reached, out, np.nan)


def survival_at(design: Design, weights: np.ndarray, times) -> np.ndarray:
    """S(t) per replicate (rows) and time (columns): value at the last distinct time ≤ t.

    Examples
    --------
    Past the last time the last value is kept (lifelines' ``survival_function_at_times``):

    >>> design = Design([1, 2, 2, 3], [1, 1, 0, 0])
    >>> survival_at(design, design.observed, [0.5, 2, 10]).tolist()
    [[1.0, 0.5, 0.5]]
    """
    d, n, _ = design.counts(weights)
    s = km_surv(d, n)
    idx = np.searchsorted(design.grid, np.asarray(times, dtype=float), side="right") - 1
    out = np.ones((len(s), len(idx)))
    ok = idx >= 0
    out[:, ok] = s[:, idx[ok]]
    return out


def logrank_chi2(design: Design, weights: np.ndarray) -> np.ndarray:
    """Two-group log-rank χ² per replicate (:func:`analysis.stats.logrank.replicate_chi2`: ``nan`` if a replicate
    has no events or one group, 0 if its variance is zero, as :func:`analysis.stats.logrank.survdiff`).

    Examples
    --------
    The observed sample gives :func:`analysis.stats.logrank.survdiff`'s χ² (its example: 2.4694):

    >>> design = Design([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], group=[0, 0, 0, 1, 1, 1])
    >>> logrank_chi2(design, design.observed).round(4).tolist()
    [2.4694]
    """
    if design.group is None:
        raise ValueError("the design has no group")
    W = sparse.csr_matrix(weights)
    d, n, _ = design.counts(weights)
    d1 = np.asarray((W @ design.events1).todense())
    e1 = np.asarray((W @ design.exits1).todense())
    n1 = np.cumsum(e1[:, ::-1], axis=1)[:, ::-1]
    return logrank.replicate_chi2(n, d, n1, d1)


#: Cohorts up to this size draw their resamples patient by patient (see the module docstring).
PATIENT_DRAWS_UP_TO = 2_000


def bootstrap_weights(design: Design, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """Cell counts of ``replicates`` bootstrap resamples: multinomial(N; n_c / N), replicates × cells (rows sum to N).

    Up to :data:`PATIENT_DRAWS_UP_TO` patients: multinomial(N; 1/N, …, 1/N) over the
    patients (in input order), summed into their cells — exactly the replicates of
    the patient-level engine for the same ``rng`` (integer counts: the sums are
    exact). Above: multinomial(N; n_c / N) over the cells directly, O(C) draws per
    replicate instead of O(N). Both are the same distribution; the seeded stream
    differs between them, so results for one seed are comparable within a size
    class, and equal across machines and worker counts always.

    Examples
    --------
    >>> design = Design([1, 2, 2, 3], [1, 1, 0, 0])
    >>> w = bootstrap_weights(design, 3, np.random.default_rng(0))
    >>> w.shape, w.sum(axis=1).tolist()
    ((3, 4), [4.0, 4.0, 4.0])
    """
    if design.n <= PATIENT_DRAWS_UP_TO:
        per_patient = rng.multinomial(design.n, np.full(design.n, 1.0 / design.n), size=replicates)
        return np.asarray(per_patient.astype(np.float64) @ design.patient_cells)
    return rng.multinomial(design.n, design.sizes / design.n, size=replicates).astype(np.float64)


def _block(design, statistic, replicates, seed, kwargs):
    rng = np.random.default_rng(seed)
    w = bootstrap_weights(design, replicates, rng)
    return statistic(design, w, **kwargs)


def bootstrap(
    time,
    event,
    statistic=medians,
    replicates: int = 1000,
    seed: int = 0,
    group=None,
    block: int = 500,
    n_jobs: int = 1,
    **kwargs,
) -> np.ndarray:
    """``statistic`` over ``replicates`` bootstrap resamples, in blocks, optionally in parallel (joblib).

    ``statistic`` is :func:`medians`, :func:`survival_at` (pass ``times=``) or
    :func:`logrank_chi2` (pass ``group``). Reproducible for a given ``seed``
    whatever ``n_jobs``.

    Examples
    --------
    A resample of this sample can only die at 1 or 2, so its median is 1, 2, their midpoint 1.5
    (S(1) = 1/2 exactly, then a death at 2) or not reached:

    >>> b = bootstrap([1, 2, 2, 3], [1, 1, 0, 0], replicates=20, seed=1, block=8)
    >>> b.shape, set(b[~np.isnan(b)].tolist()) <= {1.0, 1.5, 2.0}
    ((20,), True)
    >>> np.array_equal(b, bootstrap([1, 2, 2, 3], [1, 1, 0, 0], replicates=20, seed=1, block=8), equal_nan=True)
    True
    """
    from joblib import Parallel, delayed

    design = Design(time, event, group)
    sizes = [min(block, replicates - i) for i in range(0, replicates, block)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    parts = Parallel(n_jobs=n_jobs)(delayed(_block)(design, statistic, s, sd, kwargs) for s, sd in zip(sizes, seeds))
    return np.concatenate(parts, axis=0)


def percentile_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval (Efron & Tibshirani 1993, §13.3); infinities kept, NaN = not reached.

    Examples
    --------
    numpy's (R's type 7) quantiles of 1, …, 101 at 2.5 % and 97.5 % are 3.5 and 98.5; a median not
    reached counts as +∞:

    >>> [round(x, 4) for x in percentile_ci(np.arange(1.0, 102.0))]
    [3.5, 98.5]
    >>> percentile_ci(np.array([1.0, 2.0, np.nan, np.nan]), level=0.5)
    (1.75, inf)
    """
    v = np.where(np.isnan(values), np.inf, values)
    a = (1 - level) / 2
    with np.errstate(invalid="ignore"):  # between two infinite values the interpolation is inf − inf
        q = np.quantile(v, [a, 1 - a])
    q = np.where(np.isnan(q), np.inf, q)
    return float(q[0]), float(q[1])
