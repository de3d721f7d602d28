"""Registry scale (issue #15), side by side in one run: the whole run at N patients, the statistics against
lifelines and R, and the calibrated-ensemble throughput on Dask.

    .venv/bin/python benchmarks/bench_scale.py                 # everything (~15 min on 2 cores)
    .venv/bin/python benchmarks/bench_scale.py --only stats    # or: run, ensemble

* **run** — ``python -m analysis run --force`` on a valid SYNTHETIC table of N patients
  (:func:`benchmarks.big_cohort.make_cohort`, seed 1) for N = 44, 1,000, 10,000, 50,000: wall time, each
  notebook's time (from the run manifest), and the peak resident memory of the largest process of the run
  (``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the runner, its workers and every kernel are waited-for
  descendants), and the growth from 10,000 to 50,000.
* **stats** — on (time, event, group) arrays of 5,000 to 200,000 subjects with ties (whole days): log-rank,
  Cox (Efron), Kaplan–Meier median + CI, by :mod:`analysis.stats`, lifelines, and R ``survival``
  (``survdiff``, ``coxph``, ``survfit`` + ``summary()$table``) when ``Rscript`` is installed — each the
  median of ``--repeat`` timings, R's measured inside R with ``system.time`` on data already read — and
  the ratios.
* **ensemble** — ``python -m analysis synthesize --ensemble 6`` with 1 and 2 local Dask workers:
  cohorts per minute, and whether the two ensembles are byte-identical.

Timings are measurements on a shared machine, never assertions; the figures go in
``benchmarks/README.md`` with the machine's description.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.pipeline import provenance  # noqa: E402
from benchmarks.big_cohort import make_cohort  # noqa: E402

RUN_SIZES = (44, 1_000, 10_000, 50_000)
STAT_SIZES = (5_000, 20_000, 50_000, 200_000)


def _median_time(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def bench_run(folder: Path) -> list[dict]:
    rows = []
    for n in RUN_SIZES:
        data = folder / f"cohort_{n}.csv"
        make_cohort(n, seed=1).to_csv(data, index=False, lineterminator="\n")
        out = folder / f"run_{n}"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "analysis", "run", "--data", str(data), "--output-dir", str(out), "--force"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kB, the largest descendant so far
        manifest = json.loads((out / "results" / provenance.MANIFEST).read_text()) if done.returncode == 0 else {}
        rows.append(
            {
                "patients": n,
                "wall_s": round(wall, 1),
                "ok": done.returncode == 0,
                "peak_rss_mb": round(peak / 1024) if peak > before else None,
                **{nb["name"]: nb["seconds"] for nb in manifest.get("notebooks", [])},
            }
        )
        print(rows[-1], flush=True)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
    return rows


def _arrays(n: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    group = (rng.random(n) < 0.45).astype(float)
    days = np.ceil(rng.exponential(400 / np.exp(0.4 * group))).clip(1, 1500)
    censor = np.ceil(rng.uniform(30, 1500, n))
    time_ = np.minimum(days, censor)
    event = (days <= censor).astype(float)
    return time_, event, group


R_SCRIPT = r"""
suppressPackageStartupMessages(library(survival))
d <- read.csv(commandArgs(TRUE)[1]); reps <- as.integer(commandArgs(TRUE)[2])
med <- function(f) { x <- replicate(reps, system.time(f())[["elapsed"]]); median(x) }
cat(sprintf("%.6f %.6f %.6f\n",
    med(function() survdiff(Surv(time, event) ~ group, data = d)),
    med(function() coxph(Surv(time, event) ~ group, data = d, ties = "efron")),
    med(function() summary(survfit(Surv(time, event) ~ 1, data = d))$table)))
"""


def bench_stats(folder: Path, repeat: int) -> list[dict]:
    import pandas as pd
    from lifelines import CoxPHFitter, KaplanMeierFitter
    from lifelines.statistics import logrank_test

    from analysis.stats import km, survival

    rscript = shutil.which("Rscript")
    script = folder / "stats.R"
    script.write_text(R_SCRIPT)
    rows = []
    for n in STAT_SIZES:
        t, e, g = _arrays(n)
        df = pd.DataFrame({"time": t, "event": e, "group": g})
        ours = {
            "logrank": _median_time(lambda: survival.logrank(t, e, g), repeat),
            "cox": _median_time(lambda: survival.cox(t, e, g, ph=False), repeat),
            "km_median_ci": _median_time(lambda: km.median_ci(t, e), repeat),
        }
        life = {
            "logrank": _median_time(lambda: logrank_test(t[g == 1], t[g == 0], e[g == 1], e[g == 0]), repeat),
            "cox": _median_time(lambda: CoxPHFitter().fit(df, "time", "event"), max(1, repeat // 2)),
            "km_median_ci": _median_time(lambda: KaplanMeierFitter().fit(t, e).median_survival_time_, repeat),
        }
        r = {}
        if rscript:
            csv = folder / f"stats_{n}.csv"
            df.to_csv(csv, index=False)
            out = subprocess.run([rscript, str(script), str(csv), str(repeat)], capture_output=True, text=True)
            if out.returncode == 0:
                r = dict(zip(("logrank", "cox", "km_median_ci"), map(float, out.stdout.split())))
        for stat in ours:
            row = {
                "n": n,
                "statistic": stat,
                "ours_s": ours[stat],
                "lifelines_s": life[stat],
                "lifelines_over_ours": life[stat] / ours[stat],
            }
            if r:
                row.update(R_s=r[stat], ours_over_R=ours[stat] / max(r[stat], 1e-4))
            rows.append(row)
            print(row, flush=True)
    return rows


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def bench_ensemble(folder: Path, size: int = 6) -> list[dict]:
    rows, digests = [], []
    for workers in (1, 2):
        out = folder / f"ensemble_{workers}"
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "analysis",
                "synthesize",
                "--ensemble",
                str(size),
                "--out",
                str(out),
                "--workers",
                str(workers),
                "--first-seed",
                "501",
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        wall = time.perf_counter() - t0
        digests.append(_digest(out))
        rows.append(
            {
                "workers": workers,
                "cohorts": size,
                "wall_s": round(wall, 1),
                "cohorts_per_minute": round(60 * size / wall, 2),
            }
        )
        print(rows[-1], flush=True)
    rows.append({"identical_for_1_and_2_workers": digests[0] == digests[1]})
    print(rows[-1])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("run", "stats", "ensemble"), action="append")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    parts = args.only or ["stats", "ensemble", "run"]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        result = {}
        if "stats" in parts:
            result["stats"] = bench_stats(folder, args.repeat)
        if "ensemble" in parts:
            result["ensemble"] = bench_ensemble(folder)
        if "run" in parts:
            result["run"] = bench_run(folder)
            by_n = {r["patients"]: r["wall_s"] for r in result["run"]}
            print(f"growth 10,000 -> 50,000 patients: {by_n[50_000] / by_n[10_000]:.2f}x")
        print(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()
