"""Build benchmark (issue #8): cold sequential vs parallel build, no-op rebuild, one-notebook rebuild, floor.

    .venv/bin/python benchmarks/bench_build.py

Builds into a temporary output folder (the committed outputs are not touched), on the default
cohort. Each measurement is repeated (``--repeat``, default 3; sequential and parallel builds
interleaved, so that a slow spell of a shared machine hits both) and the median is reported with
every sample; report them with the machine. Per-notebook times are those of the sequential builds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths


def run(out: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--data", str(paths.DEFAULT_DATA), "--output-dir", str(out), *extra],
        check=True,
        capture_output=True,
        cwd=paths.ROOT,
    )
    return time.perf_counter() - t0


def floor() -> float:
    """A bare kernel start plus the imports every notebook makes, through Papermill."""
    import nbformat
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import analysis as an, pandas, matplotlib.pyplot, lifelines\n"
            "from analysis.study import centres, overview, regimens, table1, versus_published"
        )
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    t0 = time.perf_counter()
    pm.execute_notebook(nb, None, kernel_name="python3", progress_bar=False, cwd=str(paths.NOTEBOOKS))
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="samples of each measurement (default 3)")
    repeat = parser.parse_args().repeat
    seq, par, noop, one, per = [], [], [], [], {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "o"
        for _ in range(repeat):
            seq.append(run(out, "--force", "--jobs", "1"))
            manifest = json.loads((out / "results" / "run_manifest.json").read_text())
            for n in manifest["notebooks"]:
                per.setdefault(n["name"], []).append(n["seconds"])
            par.append(run(out, "--force", "--jobs", "2"))
            noop.append(run(out))
            one.append(run(out, "--only", "02_safety", "--force"))
            per.setdefault("02_safety (in the one-notebook rebuild)", []).append(
                next(
                    n["seconds"]
                    for n in json.loads((out / "results" / "run_manifest.json").read_text())["notebooks"]
                    if n["name"] == "02_safety"
                )
            )
    fl = [floor() for _ in range(repeat)]
    med = statistics.median

    def show(label, xs, fmt="6.1f"):
        print(f"{label:<36} {med(xs):{fmt}} s   samples: {', '.join(f'{x:.2f}' for x in xs)}")

    show("cold build, sequential (1 worker)", seq)
    show("cold build, parallel (2 workers)", par)
    print(
        f"{'  ratio of medians':<36} {med(par) / med(seq):6.2f}     per pair: "
        f"{', '.join(f'{p / s:.2f}' for p, s in zip(par, seq))}"
    )
    show("no-op rebuild", noop, "6.2f")
    show("one-notebook rebuild (02_safety)", one)
    show("floor (kernel start + imports)", fl)
    for name, xs in per.items():
        show(f"  {name}", xs)


if __name__ == "__main__":
    main()
