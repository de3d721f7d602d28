"""Executing the numbered notebooks with Papermill.

``python -m analysis run`` (what ``make all`` calls) converts each Jupytext
source ``notebooks/NN_name.py`` to a notebook, executes it with Papermill and
writes the cleaned, executed ``.ipynb``.

Where things go:

* **default run** (no ``--data``, no ``--output-dir``): figures and tables in
  the project's ``figures/`` and ``results/``; executed notebooks in
  ``notebooks/executed/`` — the committed record that nbval re-checks. No
  parameter is injected, so the committed notebooks show the default values.
* **another dataset** (``--data FILE``): everything under
  ``--output-dir`` (default ``data/private/runs/<file stem>/``, git-ignored),
  so a centre's results never overwrite the committed ones nor enter git.

Each notebook writes into a private staging folder (through the
``COMPENDIUM_OUTPUT_ROOT`` variable its kernel inherits); only when it succeeds
are its figures, tables and executed notebook moved into place. A failing
notebook is reported (notebook, cell, error), leaves the previous outputs
intact, and the others still run; the exit status is then non-zero.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jupytext
import papermill as pm

from . import paths
from .notebook_clean import clean_notebook, write_notebook

KERNEL = "python3"


@dataclass
class NotebookRun:
    name: str
    ok: bool
    seconds: float
    executed: Path | None = None
    error: str = ""


def notebook_sources() -> list[Path]:
    """The numbered Jupytext sources, in order (``notebooks/NN_*.py``)."""
    return sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def select(only: list[str] | None) -> list[Path]:
    sources = notebook_sources()
    if not only:
        return sources
    chosen = [s for s in sources if s.stem in only or s.stem[:2] in only]
    unknown = set(only) - {s.stem for s in chosen} - {s.stem[:2] for s in chosen}
    if unknown:
        names = ", ".join(s.stem for s in sources)
        raise ValueError(f"unknown notebook(s) {', '.join(sorted(unknown))}; choose from {names}")
    return chosen


def to_notebook(source: Path):
    """Jupytext percent source -> notebook with an explicit ``python3`` kernelspec.

    The kernel is named explicitly: ``jupytext --set-kernel -`` can pick another
    virtual environment's kernel that shares the base interpreter.
    """
    nb = jupytext.read(source)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _move_outputs(staging: Path, output_root: Path) -> None:
    for sub in ("figures", "results"):
        src = staging / sub
        if not src.is_dir():
            continue
        dest = output_root / sub
        dest.mkdir(parents=True, exist_ok=True)
        for f in sorted(src.iterdir()):
            os.replace(f, dest / f.name)


def _describe_failure(exc: Exception) -> str:
    if isinstance(exc, pm.PapermillExecutionError):
        return f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def run_notebook(source: Path, output_root: Path, executed_dir: Path, parameters: dict) -> NotebookRun:
    """Execute one notebook; outputs land under ``output_root`` only on success."""
    t0 = time.perf_counter()
    output_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{source.stem}-", dir=output_root))
    previous = os.environ.get(paths.OUTPUT_ROOT_ENV)
    os.environ[paths.OUTPUT_ROOT_ENV] = str(staging)
    try:
        nb = pm.execute_notebook(to_notebook(source), None, parameters=parameters or None, kernel_name=KERNEL,
                                 language="python", progress_bar=False, cwd=str(paths.NOTEBOOKS),
                                 request_save_on_cell_execute=False)
        executed = executed_dir / f"{source.stem}.ipynb"
        _move_outputs(staging, output_root)
        write_notebook(clean_notebook(nb), executed)
        return NotebookRun(source.stem, True, time.perf_counter() - t0, executed)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, the other notebooks still run
        return NotebookRun(source.stem, False, time.perf_counter() - t0, error=_describe_failure(exc))
    finally:
        if previous is None:
            os.environ.pop(paths.OUTPUT_ROOT_ENV, None)
        else:
            os.environ[paths.OUTPUT_ROOT_ENV] = previous
        shutil.rmtree(staging, ignore_errors=True)


def plan(data: str | None, output_dir: str | None) -> tuple[Path, Path, dict]:
    """(output root, executed-notebook folder, parameters) for a run.

    Paths given on the command line are resolved against the current
    directory, as a shell user expects, and passed to the notebooks as
    absolute paths.
    """
    params: dict = {}
    if data:
        data_path = Path(data).expanduser().resolve()
        params["data_path"] = str(data_path)
    if output_dir:
        root = Path(output_dir).expanduser().resolve()
    elif data:
        root = paths.PRIVATE / "runs" / Path(data).stem
    else:
        root = paths.ROOT
    if root != paths.ROOT:
        params["output_dir"] = str(root)
        return root, root / "notebooks", params
    return root, paths.EXECUTED, params


def run(only: list[str] | None = None, data: str | None = None, output_dir: str | None = None,
        parameters: dict | None = None, log=print) -> list[NotebookRun]:
    """Execute the selected notebooks in order; returns one :class:`NotebookRun` each."""
    sources = select(only)
    root, executed_dir, params = plan(data, output_dir)
    params.update(parameters or {})
    log(f"Running {len(sources)} notebook(s); outputs under {paths.relative_to_root(root) or '.'}")
    results = []
    for source in sources:
        result = run_notebook(source, root, executed_dir, params)
        status = "ok" if result.ok else f"FAILED ({result.error})"
        log(f"  {source.stem:<16} {result.seconds:6.1f} s  {status}")
        results.append(result)
    return results
