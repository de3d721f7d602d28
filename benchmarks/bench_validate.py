"""Benchmark of reading and validating large patient tables (issue #15 item 2: 50,000 rows in under 2 s).

    .venv/bin/python benchmarks/bench_validate.py            # N = 44, 1,000, 10,000, 50,000
    .venv/bin/python benchmarks/bench_validate.py --rowwise  # also the row-by-row validator it replaced

Valid SYNTHETIC tables from ``benchmarks/big_cohort.py`` (seed 1), written as CSV to a temporary
folder. For each N, best of 3: ``read_table`` (parse + export diagnosis), ``validate_table`` (cell and
cross-field rules), their sum (what ``load_cohort`` pays before labelling), and the whole command
``python -m analysis validate FILE`` (interpreter start and imports included, one run). With
``--rowwise``, the row-by-row validator of commit 6a131fb (read from git) on the same table, once,
and a check that both write the same report. Never a timed test: figures go to benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.data.io import read_table  # noqa: E402
from analysis.data.validate import validate_table  # noqa: E402
from benchmarks.big_cohort import make_cohort  # noqa: E402

ROWWISE_COMMIT = "6a131fb"


def best(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def rowwise_validator():
    """The row-by-row validator of commit 6a131fb, loaded from git as a module of analysis.data."""
    source = subprocess.run(
        ["git", "show", f"{ROWWISE_COMMIT}:analysis/data/validate.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "rowwise_validate.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("analysis.data._rowwise_validate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[44, 1_000, 10_000, 50_000])
    parser.add_argument("--rowwise", action="store_true", help="also time the row-by-row validator")
    args = parser.parse_args(argv)
    old = rowwise_validator() if args.rowwise else None
    print(
        "| N | read_table, s | validate_table, s | read + validate, s | `python -m analysis validate`, s |"
        + (" row-by-row validate_table, s | same report |" if old else "")
    )
    print("|---:|---:|---:|---:|---:|" + ("---:|---|" if old else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"big{n}.csv"
            make_cohort(n, seed=1).to_csv(path, index=False, lineterminator="\n")
            t_read, raw = best(lambda: read_table(path))
            t_val, (_, report) = best(lambda: validate_table(raw))
            assert report.ok, report.to_text()[:500]
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "analysis", "validate", str(path)], cwd=ROOT, check=True, capture_output=True
            )
            t_cli = time.perf_counter() - t0
            row = f"| {n:,} | {t_read:.3f} | {t_val:.3f} | {t_read + t_val:.3f} | {t_cli:.2f} |"
            if old:
                t_old, (_, old_report) = best(lambda: old.validate_table(raw), repeat=1)
                row += f" {t_old:.2f} | {old_report.to_text() == report.to_text()} |"
            print(row, flush=True)


if __name__ == "__main__":
    main()
