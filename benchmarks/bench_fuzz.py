"""The fuzzing harness, long profile: ≥ 5,000 mutated files through every reader, counted (issue 26).

    .venv/bin/python benchmarks/bench_fuzz.py                 # 6,000 cases over the 12 targets
    .venv/bin/python benchmarks/bench_fuzz.py --cases 600 --keep /tmp/fuzz-failures

The harness is tests/fixtures/fuzz_files.py (targets, mutations, the strict readings); the short
profile of ``make test`` is tests/data/test_fuzz_readers.py. Here each target gets its share of
``--cases`` (weighted by :data:`WEIGHTS`), drawn by Hypothesis with fresh randomness from ``--seed``
(every run its own cases; the seed printed reproduces them), and every case's outcome is counted
instead of stopping at the first failure: accepted (read exactly as the strict reading), refused
(with a message), uncaught exception (any other exception: a crash), silent change (accepted but
read otherwise than the strict reading). ``--keep DIR`` writes each failing file there with its
recipe. Never a timed test: figures go to benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_spec = importlib.util.spec_from_file_location("fuzz_files", ROOT / "tests" / "fixtures" / "fuzz_files.py")
fuzz_files = importlib.util.module_from_spec(_spec)
sys.modules["fuzz_files"] = fuzz_files
_spec.loader.exec_module(fuzz_files)

#: Relative share of the cases per target (the readers users hand files to most get most).
WEIGHTS = {
    "validate_csv": 4,
    "validate_xlsx": 2,
    "import_csv": 2,
    "import_xlsx": 1,
    "import_sav": 1,
    "import_dta": 1,
    "draft_csv": 1,
    "draft_sav": 0.5,
    "mapping": 1,
    "provenance": 1,
    "cache": 0.5,
    "run_manifest": 1,
}


def run_target(ws, target: str, n: int, base_seed: int, keep: Path | None) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    failures: list[str] = []

    @seed(base_seed + sum(map(ord, target)))
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[p for p in __import__("hypothesis").Phase if p.name in ("generate",)],
    )
    @given(st.data())
    def case(data):
        drawn = data.draw(fuzz_files.cases(ws, target))
        counts["cases"] += 1
        try:
            outcome = fuzz_files.run_case(ws, target, drawn)
        except fuzz_files.SilentChange as exc:
            counts["silent changes"] += 1
            failures.append(f"SILENT {exc}")
            _keep(keep, target, counts["cases"], drawn, str(exc))
        except Exception as exc:  # noqa: BLE001 - a crash is what is counted
            counts["uncaught exceptions"] += 1
            failures.append(f"CRASH {type(exc).__name__}: {exc}")
            _keep(keep, target, counts["cases"], drawn, traceback.format_exc())
        else:
            counts["accepted" if outcome.accepted else "refused"] += 1
            if "crashed on it" in outcome.message:  # a C reader's crash, contained in its child process
                counts["contained reader crashes"] += 1
                _keep(keep, target, counts["cases"], drawn, outcome.message)

    case()
    for f in failures[:3]:
        print(f"    {target}: {f[:300]}")
    return counts


def _keep(keep: Path | None, target: str, k: int, drawn, why: str) -> None:
    if keep is None:
        return
    keep.mkdir(parents=True, exist_ok=True)
    data, recipe = drawn if isinstance(drawn[0], bytes) else drawn[1]
    (keep / f"{target}-{k}.bin").write_bytes(data)
    (keep / f"{target}-{k}.txt").write_text(f"{recipe}\n{why}\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=6000, help="cases over all targets (default 6,000)")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100000, help="Hypothesis seed")
    parser.add_argument("--keep", type=Path, help="folder to write each failing file to, with its recipe")
    parser.add_argument("--only", nargs="+", choices=fuzz_files.TARGETS, help="targets to fuzz")
    args = parser.parse_args(argv)
    targets = args.only or list(fuzz_files.TARGETS)
    total_weight = sum(WEIGHTS[t] for t in targets)
    print(f"seed {args.seed}; {args.cases} cases over {len(targets)} targets")
    print(f"{'target':<14} {'cases':>6} {'accepted':>9} {'refused':>8} {'crashes':>8} {'silent':>7} {'s':>7}")
    ws = fuzz_files.Workspace()
    grand: collections.Counter = collections.Counter()
    t0 = time.perf_counter()
    try:
        for target in targets:
            n = max(1, round(args.cases * WEIGHTS[target] / total_weight))
            t = time.perf_counter()
            c = run_target(ws, target, n, args.seed, args.keep)
            grand.update(c)
            print(
                f"{target:<14} {c['cases']:>6} {c['accepted']:>9} {c['refused']:>8} {c['uncaught exceptions']:>8} "
                f"{c['silent changes']:>7} {time.perf_counter() - t:>7.1f}",
                flush=True,
            )
    finally:
        ws.close()
    print(
        f"{'all':<14} {grand['cases']:>6} {grand['accepted']:>9} {grand['refused']:>8} "
        f"{grand['uncaught exceptions']:>8} {grand['silent changes']:>7} {time.perf_counter() - t0:>7.1f}"
    )
    print(f"refusals that were a C reader's crash, contained in its child process: {grand['contained reader crashes']}")
    return 1 if grand["uncaught exceptions"] or grand["silent changes"] else 0


if __name__ == "__main__":
    sys.exit(main())
