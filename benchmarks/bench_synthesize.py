"""Benchmark of the synthetic-cohort generator (issue #3: one calibrated cohort in < 60 s on 2 cores).

    .venv/bin/python benchmarks/bench_synthesize.py            # stage timings of the default cohort
    .venv/bin/python benchmarks/bench_synthesize.py --scan 17  # calibration loss of seeds 1..17

Times are wall-clock seconds of one run on an otherwise idle machine; report them with the machine
(`nproc`, CPU model) in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from analysis.data.validate import validate_table
from analysis.paper.synthetic.attributes import assign_attributes
from analysis.paper.synthetic.generate import (
    DEFAULT_ITERATIONS,
    DEFAULT_SEED,
    DEFAULT_UNTESTED,
    _build_table,
    _labels,
    calibrate_times,
)
from analysis.paper.synthetic.responses import assign_responses
from analysis.paper.synthetic.targets import build_targets


def stages(seed: int) -> dict[str, float]:
    clock = {}
    t0 = time.perf_counter()
    t = build_targets()
    clock["targets from the registry"] = time.perf_counter() - t0
    rng = np.random.default_rng(seed)
    emd, cyto, kind = _labels(t, DEFAULT_UNTESTED, rng)
    t1 = time.perf_counter()
    times, loss, _ = calibrate_times(t, emd, cyto, rng, DEFAULT_ITERATIONS)
    clock[f"survival calibration ({DEFAULT_ITERATIONS} iterations, loss {loss:.2f})"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    resp = assign_responses(times, emd, cyto, t.responses, rng)
    clock["response MILP"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    attr, _ = assign_attributes(emd, np.array([c == "infection" for c in times.cause]), t.attributes, rng)
    clock["attribute MILP"] = time.perf_counter() - t3
    t4 = time.perf_counter()
    table = _build_table(t, times, emd, cyto, kind, resp, attr, rng)
    validate_table(table)
    clock["table + validation"] = time.perf_counter() - t4
    clock["total"] = time.perf_counter() - t0
    return clock


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--scan", type=int, metavar="K", help="report the calibration loss of seeds 1..K")
    args = ap.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    if args.scan:
        t = build_targets()
        for seed in range(1, args.scan + 1):
            rng = np.random.default_rng(seed)
            emd, cyto, _ = _labels(t, DEFAULT_UNTESTED, rng)
            t0 = time.perf_counter()
            _, loss, _ = calibrate_times(t, emd, cyto, rng, DEFAULT_ITERATIONS)
            print(f"seed {seed:3d}  loss {loss:7.2f}  {time.perf_counter() - t0:5.1f} s", flush=True)
        return
    for stage, seconds in stages(args.seed).items():
        print(f"{stage:<58} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
