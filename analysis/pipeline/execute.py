"""Executing one notebook: its Jupytext source converted, run by Papermill in a kernel, its outputs staged.

:func:`run_notebook` converts ``notebooks/NN_name.py`` to a notebook (:func:`to_notebook`),
executes it with Papermill in a ``python3`` kernel whose environment is fixed
(:func:`analysis.pipeline.environment.kernel_environment`: backend, hash seed, locale, threads,
CPU dispatch) and whose settings (:mod:`analysis.settings`) send its figures and tables to a
private staging folder and log every write. Only when the notebook succeeds are its outputs moved
into place and the cleaned executed notebook written, with its input hash, its outputs' hashes and
the cell that made each file (:mod:`analysis.pipeline.provenance`). A failing notebook is reported
(its cell and error), leaves the previous outputs intact, and keeps its kernel's log.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths, settings
from ..data.inputs import file_sha256
from . import environment, provenance

KERNEL = "python3"
#: Folder (under the output root, git-ignored) of each notebook's kernel log.
LOGS = ".logs"


@dataclass
class NotebookRun:
    name: str
    ok: bool
    seconds: float
    executed: Path | None = None
    error: str = ""
    cached: bool = False
    input_hash: str = ""
    outputs: dict = field(default_factory=dict)
    log: Path | None = None  # the kernel's standard error, kept for a failed notebook


def skip_slow_imports() -> None:
    """Keep ``jsonschema`` from importing ``rfc3987_syntax`` (pulled in by Jupyter's extras).

    Papermill and Jupytext import nbformat, which imports jsonschema, whose format
    checkers import ``rfc3987_syntax`` when it is installed; that module builds a
    Lark grammar at import time (~1.3 s of a 1.7 s import here). jsonschema
    imports it inside ``contextlib.suppress(ImportError)``, and a ``None`` entry
    in ``sys.modules`` makes the import raise ImportError (Python's documented
    way to block one), so only the IRI format checker is lost, which nbformat
    never uses. Called before Papermill or Jupytext is imported in the runner;
    kernels are separate processes and unaffected.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def to_notebook(source: Path):
    """Jupytext percent source -> notebook with an explicit ``python3`` kernelspec.

    The kernel is named explicitly: ``jupytext --set-kernel -`` can pick another
    virtual environment's kernel that shares the base interpreter.
    """
    skip_slow_imports()
    import jupytext

    nb = jupytext.read(source)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _move_outputs(staging: Path, output_root: Path) -> dict:
    """Move staged files into place; returns {relative path: sha256} of what was written."""
    written = {}
    for sub in ("figures", "results"):
        src = staging / sub
        if not src.is_dir():
            continue
        dest = output_root / sub
        dest.mkdir(parents=True, exist_ok=True)
        for f in sorted(src.iterdir()):
            written[f"{sub}/{f.name}"] = file_sha256(f)
            os.replace(f, dest / f.name)
    return written


def _describe_failure(exc: Exception) -> str:
    import papermill as pm

    if isinstance(exc, pm.PapermillExecutionError):
        return f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


@contextlib.contextmanager
def _environment(variables: dict[str, str]):
    """These variables set in this process (inherited by the kernel it starts), the previous values back after."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _stderr_to(log: Path):
    """Send this process's standard error (file descriptor 2) to ``log`` while the kernel runs.

    The kernel inherits descriptor 2 when it starts, so its start-up chatter ("Kernel is
    running over TCP without encryption", shutdown messages) lands in the log instead of
    the user's terminal; the run prints one line per notebook. The log is overwritten by the
    notebook's next run and named in the failure message.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "wb") as f:
        os.dup2(f.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def run_notebook(
    source: Path,
    output_root: Path,
    executed_dir: Path,
    parameters: dict,
    key: str = "",
    figure_formats: tuple[str, ...] | None = None,
) -> NotebookRun:
    """Execute one notebook; outputs land under ``output_root`` only on success (module docstring).

    Runs in its own process when called by :func:`analysis.pipeline.orchestrate.run`, so the
    settings set here for the kernel cannot leak into another notebook.
    """
    skip_slow_imports()
    import papermill as pm

    from .notebook_clean import clean_notebook, write_notebook

    t0 = time.perf_counter()
    output_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{source.stem}-", dir=output_root))
    write_log = staging / ".writes.jsonl"
    kernel_log = output_root / LOGS / f"{source.stem}.log"
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    run = settings.Settings(output_root=staging, write_log=write_log, figure_formats=",".join(figure_formats or ()))
    # a draft run's formats are set; a full run clears any the caller's shell may have set
    variables = {**environment.kernel_environment(), settings.VARIABLES["figure_formats"]: "", **run.environment()}
    try:
        with _environment(variables), _stderr_to(kernel_log):
            nb = pm.execute_notebook(
                to_notebook(source),
                None,
                parameters=parameters or None,
                kernel_name=KERNEL,
                language="python",
                progress_bar=False,
                cwd=str(paths.NOTEBOOKS),
                request_save_on_cell_execute=False,
                # every output has arrived and every file is written (atomically) once the
                # last cell has returned: kill the kernel rather than wait for a clean exit
                shutdown_kernel="immediate",
            )
        executed = executed_dir / f"{source.stem}.ipynb"
        made_by = provenance.cells_that_wrote(nb, write_log, staging)
        written = _move_outputs(staging, output_root)
        nb = clean_notebook(nb)
        nb.metadata["compendium"] = {
            "input_hash": key,
            "outputs": written,
            "made_by": {rel: made_by[rel] for rel in written if rel in made_by},
        }
        write_notebook(nb, executed)
        return NotebookRun(source.stem, True, time.perf_counter() - t0, executed, input_hash=key, outputs=written)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, the other notebooks still run
        return NotebookRun(
            source.stem, False, time.perf_counter() - t0, error=_describe_failure(exc), input_hash=key, log=kernel_log
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["KERNEL", "LOGS", "NotebookRun", "run_notebook", "skip_slow_imports", "to_notebook"]
