"""Benchmark of the vectorised bootstrap engine (issue #7): B resamples of KM medians vs a lifelines loop.

    .venv/bin/python benchmarks/bench_resampling.py

Reports, in one run: seconds per lifelines KaplanMeierFitter fit (median of a loop of 500 fits on
44 patients, extrapolated to B = 10,000 — the full loop would take minutes), the engine's time for
B = 10,000 (one worker, then two), the ratio, and the engine's scaling in N and B.
"""

from __future__ import annotations

import time

import numpy as np
from lifelines import KaplanMeierFitter

from analysis.stats import resampling


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.exponential(10, n) * 30.4375).round() / 30.4375, (rng.random(n) < 0.65).astype(int)


def timed(fn, repeat=3):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    t, e = data(44)
    rng = np.random.default_rng(1)
    idx = [rng.integers(0, 44, 44) for _ in range(500)]
    t0 = time.perf_counter()
    for i in idx:
        _ = KaplanMeierFitter().fit(t[i], e[i]).median_survival_time_
    per_fit = (time.perf_counter() - t0) / len(idx)
    loop_10k = per_fit * 10_000
    eng1 = timed(lambda: resampling.bootstrap(t, e, replicates=10_000, seed=1, n_jobs=1))
    eng2 = timed(lambda: resampling.bootstrap(t, e, replicates=10_000, seed=1, n_jobs=2))
    print(f"lifelines loop: {1000 * per_fit:.2f} ms per fit -> {loop_10k:.1f} s for B = 10,000 (extrapolated)")
    print(f"engine, B = 10,000, N = 44: {eng1:.3f} s (1 worker), {eng2:.3f} s (2 workers)")
    print(f"speed-up vs the lifelines loop: {loop_10k / eng1:.0f}x (1 worker), {loop_10k / eng2:.0f}x (2 workers)")
    print("scaling (1 worker, seconds):")
    for n, b, block in (
        (44, 1_000, 500),
        (44, 10_000, 500),
        (44, 100_000, 2000),
        (500, 10_000, 500),
        (5_000, 10_000, 200),
        (50_000, 1_000, 50),
    ):
        tn, en = data(n, seed=n)
        s = timed(lambda: resampling.bootstrap(tn, en, replicates=b, seed=2, block=block), repeat=1)
        print(f"  N = {n:>6,}  B = {b:>7,}: {s:8.2f} s")


if __name__ == "__main__":
    main()
