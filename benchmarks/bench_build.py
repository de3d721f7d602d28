"""Build benchmark (issue #8): cold sequential vs parallel build, no-op rebuild, one-notebook rebuild, floor.

    .venv/bin/python benchmarks/bench_build.py

Builds into a temporary output folder (the committed outputs are not touched), on the default
cohort. Wall-clock seconds of one run each, measured in this one run; report them with the machine.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths


def run(out: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "run", "--data", str(paths.DEFAULT_DATA), "--output-dir",
                    str(out), *extra], check=True, capture_output=True, cwd=paths.ROOT)
    return time.perf_counter() - t0


def floor() -> float:
    """A bare kernel start plus the imports every notebook makes, through Papermill."""
    import nbformat
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import analysis as an, pandas, matplotlib.pyplot, lifelines\n"
                                          "from analysis import notebook, survival, table1")]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    t0 = time.perf_counter()
    pm.execute_notebook(nb, None, kernel_name="python3", progress_bar=False, cwd=str(paths.NOTEBOOKS))
    return time.perf_counter() - t0


def main():
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "o"
        seq = run(out, "--force", "--jobs", "1")
        per = {n["name"]: n["seconds"] for n in json.loads((out / "results" / "run_manifest.json").read_text())["notebooks"]}
        par = run(out, "--force", "--jobs", "2")
        noop = run(out)
        one = run(out, "--only", "02_safety", "--force")
    fl = floor()
    print(f"cold build, sequential (1 worker): {seq:6.1f} s")
    print(f"cold build, parallel (2 workers):  {par:6.1f} s   ratio {par / seq:.2f}")
    print(f"no-op rebuild:                     {noop:6.2f} s")
    print(f"one-notebook rebuild (02_safety):  {one:6.1f} s   (its own time in the sequential build {per['02_safety']:.1f} s)")
    print(f"floor (kernel start + imports):    {fl:6.1f} s")
    for name, s in per.items():
        print(f"  {name:<16} {s:6.1f} s")


if __name__ == "__main__":
    main()
