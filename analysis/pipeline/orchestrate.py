"""Running the numbered notebooks: which, on which data, where, in what order, how many at once.

``python -m analysis run`` (what ``make all`` calls) executes each Jupytext source
``notebooks/NN_name.py`` (:func:`analysis.pipeline.execute.run_notebook`) and writes the cleaned,
executed ``.ipynb``.

Where things go:

* **default run** (no ``--data``, no ``--output-dir``): figures and tables in the project's
  ``figures/`` and ``results/``; executed notebooks in ``notebooks/executed/`` — the committed
  record that nbval re-checks. No parameter is injected, so the committed notebooks show the
  default values.
* **another dataset** (``--data FILE``): everything under ``--output-dir`` (default
  ``data/private/runs/<file stem>/``, git-ignored), so a centre's results never overwrite the
  committed ones nor enter git.

**Data read once, hashed once.** Before any notebook starts, the run resolves its data to files
(:func:`analysis.data.inputs.resolve`), digests them once (:func:`analysis.data.inputs.digest`,
part of every notebook's input hash), and reads, validates and derives them once into a cache
(:mod:`analysis.data.cache`) that each kernel is told about by its settings; invalid data stop
the run there with the full report.

**Parallel and cached.** Notebooks are independent, so they run in a process pool (``--jobs``,
default 2; one process per notebook, each with its own environment), longest first (durations of
the previous run). Each notebook in a parallel build gets its share of the cores
(:func:`analysis.pipeline.parallel.share_environment`), so one that parallelises internally does
not oversubscribe the machine. A notebook whose input hash and outputs are unchanged is skipped
(:func:`analysis.pipeline.provenance.is_current`; ``--force`` reruns it), so a no-op rebuild takes
well under a second. Every run writes ``results/run_manifest.json``.

**Same bytes however launched**: every kernel gets the settings of
:mod:`analysis.pipeline.environment`, whatever the shell that started the run says; its own
messages go to ``<output root>/.logs/<notebook>.log``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .. import paths, settings
from ..data import inputs
from ..exceptions import UsageError
from . import parallel, provenance
from .execute import NotebookRun, run_notebook, skip_slow_imports


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
        raise UsageError(f"unknown notebook(s) {', '.join(sorted(unknown))}; choose from {names}")
    return chosen


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


@contextlib.contextmanager
def _data_loaded_once(files: list[Path], digest: str, root: Path):
    """Read, validate and derive the run's data once (:func:`analysis.data.cache.store`) into a staging folder
    under ``root``, named to every kernel by the ``data_cache`` setting, removed when the run ends. Invalid
    data stop the run here, with the full report, before any notebook starts."""
    from ..data import cache

    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".staging-data-", dir=root))
    variable = settings.VARIABLES["data_cache"]
    previous = os.environ.get(variable)
    try:
        cache.store(files, folder, digest)
        os.environ[variable] = str(folder)
        yield folder
    finally:
        if previous is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = previous
        shutil.rmtree(folder, ignore_errors=True)


def _worker_init(variables: dict) -> None:
    """Pool-worker start: this notebook's share of the cores (inherited by its kernel)."""
    os.environ.update(variables)


def _execute(todo, root, executed_dir, params, keys, formats, workers, done) -> None:
    if workers > 1:
        share = parallel.share_environment(max(1, parallel.machine_cpus() // workers))
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(share,)) as pool:
            futures = [pool.submit(run_notebook, s, root, executed_dir, params, keys[s.stem], formats) for s in todo]
            for k, fut in enumerate(as_completed(futures), 1):
                done(fut.result(), k)
    else:
        for k, s in enumerate(todo, 1):
            done(run_notebook(s, root, executed_dir, params, keys[s.stem], formats), k)


def run(
    only: list[str] | None = None,
    data=None,
    output_dir: str | None = None,
    parameters: dict | None = None,
    jobs: int = 2,
    force: bool = False,
    figure_formats: str | None = None,
    log=print,
) -> list[NotebookRun]:
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
    files = inputs.resolve(params.get("data_path"))
    digest = inputs.digest(files)
    formats = None
    if figure_formats:
        from ..render.figures import figure_formats as parse_formats  # matplotlib: only for a draft run

        formats = parse_formats(figure_formats)
    # the default leaves the hash as it always was; a subset of formats is another set of outputs
    hashed = {**params, "figure formats": list(formats)} if formats else params
    keys = {s.stem: provenance.input_hash(s, digest, hashed) for s in sources}
    results: dict[str, NotebookRun] = {}
    todo = []
    for s in sources:
        if not force and provenance.is_current(executed_dir / f"{s.stem}.ipynb", root, keys[s.stem]):
            results[s.stem] = NotebookRun(
                s.stem, True, 0.0, executed_dir / f"{s.stem}.ipynb", cached=True, input_hash=keys[s.stem]
            )
        else:
            todo.append(s)
    for stale in root.glob(".staging-*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    last = provenance.last_seconds(root)
    todo.sort(key=lambda s: -last.get(s.stem, s.stat().st_size / 1e4))  # longest first (size: no history yet)
    workers = min(jobs, max(1, len(todo)))
    log(
        f"Running {len(todo)} of {len(sources)} notebook(s) ({len(sources) - len(todo)} unchanged) with "
        f"{workers} worker(s); outputs under {paths.relative_to_root(root) or '.'}"
    )

    def done(r: NotebookRun, k: int) -> None:
        results[r.name] = r
        log(f"  [{k}/{len(todo)}] {r.name:<16} {r.seconds:6.1f} s  {'ok' if r.ok else 'FAILED: ' + r.error}")

    if todo:
        with _data_loaded_once(files, digest, root):
            skip_slow_imports()
            import papermill  # noqa: F401 - imported once here, inherited by the forked workers

            _execute(todo, root, executed_dir, params, keys, formats, workers, done)
    ordered = [results[s.stem] for s in sources]
    log("Summary")
    for r in ordered:
        status = "unchanged (cached)" if r.cached else ("ok" if r.ok else f"FAILED ({r.error})")
        log(f"  {r.name:<16} {r.seconds:6.1f} s  {status}")
    total = time.perf_counter() - t_start
    provenance.write_manifest(root, params, files, ordered, total)
    log(f"  {'total':<16} {total:6.1f} s")
    return ordered


__all__ = ["executed_dir_for", "notebook_sources", "plan", "run", "select"]
