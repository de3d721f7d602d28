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

**Data read once.** Before any notebook starts, the run reads, validates and
derives the patient table once (:func:`_data_loaded_once`); invalid data stop
the run there with the full report. Each notebook then reads the cached tables.

**Same bytes however launched.** Every notebook runs with the settings of
:mod:`analysis.build.environment` (backend, hash seed, locale, time zone,
threads, CPU dispatch), whatever the shell that started the run says; the
kernel's own messages go to ``<output root>/.logs/<notebook>.log``.

Each notebook writes into a private staging folder (through the
``COMPENDIUM_OUTPUT_ROOT`` variable its kernel inherits); only when it succeeds
are its figures, tables and executed notebook moved into place. A failing
notebook is reported (notebook, cell, error), leaves the previous outputs
intact, and the others still run; the exit status is then non-zero.

**Parallel and cached.** Notebooks are independent, so they run in a process
pool (``--jobs``, default 2; one process per notebook, each with its own
environment), longest first (durations of the previous run). Each notebook in
a parallel build gets its share of the cores (:mod:`analysis.build.cpus`), so one
that parallelises internally does not oversubscribe the machine. Each executed
notebook records, in ``metadata.compendium``, the SHA-256 of everything it depends on (:func:`input_hash`: its source, every
file of ``analysis/``, the data file and its provenance note, the claims
registry, the parameters, ``requirements.lock``) and of every file it wrote. A
notebook whose inputs and outputs are unchanged is skipped (``--force``
reruns it), so a no-op rebuild takes well under a second. Every run writes
``results/run_manifest.json`` (input hashes, parameters, package versions,
git commit, timings); it is a per-run record, git-ignored, and not part of the
byte-identical outputs.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path

from .. import paths
from ..atomic import WRITE_LOG_ENV, write_text
from ..data.inputs import expand
from . import cpus, environment

KERNEL = "python3"


MANIFEST = "run_manifest.json"
#: Folder (under the output root, git-ignored) of each notebook's kernel log.
LOGS = ".logs"
PACKAGES = ("pandas", "numpy", "scipy", "lifelines", "matplotlib", "papermill", "nbclient", "ipykernel", "jupytext",
            "statsmodels", "openpyxl")


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
    log: Path | None = None       # the kernel's standard error, kept for a failed notebook


def _skip_slow_imports() -> None:
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


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def input_hash(source: Path, data_path, parameters: dict) -> str:
    """SHA-256 over everything a notebook's outputs depend on (see the module docstring).

    File contents only (never times), in a fixed order, with paths relative to
    the project root, so the hash is the same on every machine. ``data_path`` is
    a file, a folder or a list of them (a pool): every table it names counts, with
    its provenance note, and so does the calibrated ensemble the sensitivity
    notebook reads.
    """
    h = hashlib.sha256()
    files = [source, paths.ROOT / "requirements.lock", paths.PUBLISHED / "claims.yaml",
             *sorted(p for p in (paths.ROOT / "analysis").rglob("*.py")),
             *([paths.ENSEMBLE_MANIFEST] if paths.ENSEMBLE_MANIFEST.exists() else [])]
    for f in files:
        h.update(paths.relative_to_root(f).encode() + b"\0" + Path(f).read_bytes() + b"\0")
    for f in expand(data_path):
        note = f.with_name(f.name + ".provenance.yaml")
        h.update(b"<data>\0" + f.read_bytes() + b"\0" + (note.read_bytes() if note.exists() else b"") + b"\0")
    h.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    return h.hexdigest()


def _is_current(executed: Path, output_root: Path, key: str) -> bool:
    """The executed notebook records ``key`` and every output it wrote is still there, unchanged."""
    if not executed.exists():
        return False
    # plain json, not nbformat: importing nbformat alone takes ~2 s (jsonschema format checkers)
    meta = json.loads(executed.read_text(encoding="utf-8")).get("metadata", {}).get("compendium", {})
    if meta.get("input_hash") != key:
        return False
    return all((output_root / rel).exists() and _sha256(output_root / rel) == sha
               for rel, sha in meta.get("outputs", {}).items())


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
    _skip_slow_imports()
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
            written[f"{sub}/{f.name}"] = _sha256(f)
            os.replace(f, dest / f.name)
    return written


def _describe_failure(exc: Exception) -> str:
    import papermill as pm

    if isinstance(exc, pm.PapermillExecutionError):
        return f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def run_notebook(source: Path, output_root: Path, executed_dir: Path, parameters: dict, key: str = "",
                 figure_formats: tuple[str, ...] | None = None) -> NotebookRun:
    """Execute one notebook; outputs land under ``output_root`` only on success.

    Runs in its own process when called through :func:`run`, so setting the
    output-root variable here cannot leak into another notebook.
    """
    _skip_slow_imports()
    import papermill as pm

    from .notebook_clean import clean_notebook, write_notebook

    t0 = time.perf_counter()
    output_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{source.stem}-", dir=output_root))
    write_log = staging / ".writes.jsonl"
    kernel_log = output_root / LOGS / f"{source.stem}.log"
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    settings = {**environment.kernel_environment(), paths.OUTPUT_ROOT_ENV: str(staging), WRITE_LOG_ENV: str(write_log),
                paths.FIGURE_FORMATS_ENV: ",".join(figure_formats or ())}     # empty: every format
    previous = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        with _stderr_to(kernel_log):
            nb = pm.execute_notebook(to_notebook(source), None, parameters=parameters or None, kernel_name=KERNEL,
                                     language="python", progress_bar=False, cwd=str(paths.NOTEBOOKS),
                                     request_save_on_cell_execute=False,
                                     # every output has arrived and every file is written (atomically) once the
                                     # last cell has returned: kill the kernel rather than wait for a clean exit
                                     shutdown_kernel="immediate")
        executed = executed_dir / f"{source.stem}.ipynb"
        made_by = _cells_that_wrote(nb, write_log, staging)
        written = _move_outputs(staging, output_root)
        nb = clean_notebook(nb)
        nb.metadata["compendium"] = {"input_hash": key, "outputs": written,
                                     "made_by": {rel: made_by[rel] for rel in written if rel in made_by}}
        write_notebook(nb, executed)
        return NotebookRun(source.stem, True, time.perf_counter() - t0, executed, input_hash=key, outputs=written)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, the other notebooks still run
        return NotebookRun(source.stem, False, time.perf_counter() - t0, error=_describe_failure(exc), input_hash=key,
                           log=kernel_log)
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(staging, ignore_errors=True)


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


def _cells_that_wrote(nb, write_log: Path, staging: Path) -> dict[str, str]:
    """{output path relative to the output root: id of the cell that wrote it}.

    Matches each logged write time (:mod:`analysis.atomic`) with the start and
    end times Papermill records for every cell. Cell ids are the ones
    :func:`~analysis.build.notebook_clean.clean_notebook` gives (``cell-<index>``).
    """
    from datetime import datetime

    if not write_log.exists():
        return {}
    spans = []
    for i, cell in enumerate(nb.cells):
        pm_meta = cell.get("metadata", {}).get("papermill", {})
        if pm_meta.get("start_time") and pm_meta.get("end_time"):
            spans.append((datetime.fromisoformat(pm_meta["start_time"]).timestamp(),
                          datetime.fromisoformat(pm_meta["end_time"]).timestamp(), f"cell-{i}"))
    made_by = {}
    for line in write_log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        try:
            rel = Path(entry["path"]).relative_to(staging.resolve()).as_posix()
        except ValueError:
            continue                          # written outside this notebook's outputs
        for start, end, cell_id in spans:
            if start <= entry["time"] <= end:
                made_by[rel] = cell_id
                break
    return made_by


@contextlib.contextmanager
def _data_loaded_once(data_file, root: Path):
    """Read, validate and derive the patient table once for the whole run (:mod:`analysis.data.cache`).

    The tables go to a staging folder under ``root``, named to every kernel by
    ``COMPENDIUM_DATA_CACHE``, and are removed when the run ends. Invalid data stop the
    run here, with the full report, before any notebook starts.
    """
    from ..data import cache

    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".staging-data-", dir=root))
    previous = os.environ.get(cache.CACHE_ENV)
    try:
        cache.store(data_file, folder)
        os.environ[cache.CACHE_ENV] = str(folder)
        yield folder
    finally:
        if previous is None:
            os.environ.pop(cache.CACHE_ENV, None)
        else:
            os.environ[cache.CACHE_ENV] = previous
        shutil.rmtree(folder, ignore_errors=True)


def _worker_init(settings: dict) -> None:
    """Pool-worker start: this notebook's share of the cores (inherited by its kernel)."""
    os.environ.update(settings)


def plan(data, output_dir: str | None) -> tuple[Path, Path, dict]:
    """(output root, executed-notebook folder, parameters) for a run.

    ``data``: a file or folder, or a list of them to pool (``--data A --data B``).
    Paths given on the command line are resolved against the current directory, as
    a shell user expects, and passed to the notebooks as absolute paths (a list for
    a pool). Without ``output_dir``, a centre's outputs go to
    ``data/private/runs/<name>/``: the file's stem, the folder's name, or
    ``pooled-<stem>-<stem>…`` for several.
    """
    params: dict = {}
    items = [] if not data else ([data] if isinstance(data, (str, os.PathLike)) else list(data))
    given = [Path(d).expanduser().resolve() for d in items]
    if given:
        params["data_path"] = str(given[0]) if len(given) == 1 else [str(g) for g in given]
    if output_dir:
        root = Path(output_dir).expanduser().resolve()
    elif given:
        stems = [g.stem if g.suffix else g.name for g in given]
        name = stems[0] if len(stems) == 1 else "pooled-" + "-".join(stems[:3]) + ("-etc" if len(stems) > 3 else "")
        root = paths.PRIVATE / "runs" / name
    else:
        root = paths.ROOT
    if root != paths.ROOT:
        params["output_dir"] = str(root)
    return root, executed_dir_for(root), params


def executed_dir_for(root: Path) -> Path:
    """Where a run whose outputs are under ``root`` keeps its executed notebooks."""
    return paths.EXECUTED if Path(root) == paths.ROOT else Path(root) / "notebooks"


def _last_seconds(root: Path) -> dict:
    """Each notebook's duration in the previous run's manifest ({} if none)."""
    try:
        notebooks = json.loads((root / "results" / MANIFEST).read_text(encoding="utf-8"))["notebooks"]
        return {n["name"]: n["seconds"] for n in notebooks if n["status"] == "ok"}
    except (OSError, ValueError, KeyError):
        return {}


def _data_path(params: dict):
    """The run's data: a path, or a list of paths for a pool (the default cohort if none was given)."""
    data = params.get("data_path")
    if data is None or data == "":
        return paths.DEFAULT_DATA
    return Path(data) if isinstance(data, str) else [Path(d) for d in data]


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _write_manifest(root: Path, params: dict, results: list[NotebookRun], seconds: float) -> Path:
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = importlib_metadata.version(p)
        except importlib_metadata.PackageNotFoundError:
            versions[p] = None
    data = _data_path(params)
    manifest = {
        "git_commit": _git_commit(),
        "parameters": params,
        "data": [{"path": paths.relative_to_root(f), "sha256": _sha256(f)} for f in expand(data)],
        "packages": versions,
        "total_seconds": round(seconds, 3),
        "notebooks": [{"name": r.name, "status": "cached" if r.cached else ("ok" if r.ok else "failed"),
                       "seconds": round(r.seconds, 3), "input_hash": r.input_hash, "outputs": r.outputs,
                       "error": r.error} for r in results],
    }
    return write_text(root / "results" / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def run(only: list[str] | None = None, data=None, output_dir: str | None = None,
        parameters: dict | None = None, jobs: int = 2, force: bool = False, figure_formats: str | None = None,
        log=print) -> list[NotebookRun]:
    """Execute the selected notebooks (in parallel, skipping those whose inputs and outputs are unchanged).

    ``figure_formats`` (default: all, :data:`analysis.render.figures.FORMATS`): e.g. ``"png"`` for a
    draft run (see :mod:`analysis.render.figures`); a subset is part of the input hash, so a later
    full run does not take the draft for current. Returns one :class:`NotebookRun` per notebook,
    in notebook order.
    """
    t_start = time.perf_counter()
    sources = select(only)
    root, executed_dir, params = plan(data, output_dir)
    params.update(parameters or {})
    data_file = _data_path(params)
    formats = None
    if figure_formats:
        from ..render.figures import figure_formats as parse_formats     # matplotlib: only for a draft run

        formats = parse_formats(figure_formats)
    # the default leaves the hash as it always was; a subset of formats is another set of outputs
    hashed = {**params, "figure formats": list(formats)} if formats else params
    keys = {s.stem: input_hash(s, data_file, hashed) for s in sources}
    results: dict[str, NotebookRun] = {}
    todo = []
    for s in sources:
        if not force and _is_current(executed_dir / f"{s.stem}.ipynb", root, keys[s.stem]):
            results[s.stem] = NotebookRun(s.stem, True, 0.0, executed_dir / f"{s.stem}.ipynb", cached=True,
                                          input_hash=keys[s.stem])
        else:
            todo.append(s)
    for stale in root.glob(".staging-*"):             # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    last = _last_seconds(root)
    todo.sort(key=lambda s: -last.get(s.stem, s.stat().st_size / 1e4))   # longest first (size: no history yet)
    workers = min(jobs, max(1, len(todo)))
    log(f"Running {len(todo)} of {len(sources)} notebook(s) ({len(sources) - len(todo)} unchanged) with "
        f"{workers} worker(s); outputs under {paths.relative_to_root(root) or '.'}")

    def done(r: NotebookRun, k: int) -> None:
        results[r.name] = r
        log(f"  [{k}/{len(todo)}] {r.name:<16} {r.seconds:6.1f} s  {'ok' if r.ok else 'FAILED: ' + r.error}")

    if todo:
        with _data_loaded_once(data_file, root):
            _skip_slow_imports()
            import papermill  # noqa: F401 - imported once here, inherited by the forked workers
            if workers > 1:
                share = cpus.share_environment(max(1, cpus.machine_cpus() // workers))
                with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(share,)) as pool:
                    futures = [pool.submit(run_notebook, s, root, executed_dir, params, keys[s.stem], formats)
                               for s in todo]
                    for k, fut in enumerate(as_completed(futures), 1):
                        done(fut.result(), k)
            else:
                for k, s in enumerate(todo, 1):
                    done(run_notebook(s, root, executed_dir, params, keys[s.stem], formats), k)
    ordered = [results[s.stem] for s in sources]
    log("Summary")
    for r in ordered:
        status = "unchanged (cached)" if r.cached else ("ok" if r.ok else f"FAILED ({r.error})")
        log(f"  {r.name:<16} {r.seconds:6.1f} s  {status}")
    total = time.perf_counter() - t_start
    _write_manifest(root, params, ordered, total)
    log(f"  {'total':<16} {total:6.1f} s")
    return ordered
