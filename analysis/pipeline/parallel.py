"""How many cores a computation may use, and task farms on Dask — the pipeline's, above every stage.

A computation that parallelises (the calibrated ensemble of ``python -m analysis synthesize
--ensemble N``) should use the whole machine when it runs alone, but only its share when several
notebooks run at once: three busy processes on two cores are slower than two. Whoever starts a
process says how many cores it may use in its ``cpus`` setting (:mod:`analysis.settings`; the runner
gives each notebook its share, :func:`share_environment`); :func:`available` reads it. Results never
depend on the number of workers (every parallel computation is seeded per task), only the time does.

:func:`farm` runs a task farm on ``dask.distributed``: a ``LocalCluster`` on this machine by
default, or any running cluster by its scheduler address (``--scheduler``, or the ``scheduler``
setting). Dask does the scheduling; nothing here is a scheduler. The stages below know nothing of
cores or clusters: a function that farms work out takes the farm as an argument
(:func:`analysis.paper.synthetic.ensemble.generate`), and the command line passes this one.
"""

from __future__ import annotations

import logging
import os

from .. import settings


def machine_cpus() -> int:
    """Cores available to this process (its CPU affinity, which containers restrict), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def available() -> int:
    """The ``cpus`` setting if set (a positive integer), else :func:`machine_cpus`."""
    return settings.current().cpus or machine_cpus()


def share_environment(cpus: int) -> dict[str, str]:
    """Environment variables giving a notebook process ``cpus`` cores (at least 1)."""
    return settings.Settings(cpus=max(1, int(cpus))).environment()


def resolve_jobs(n_jobs: int) -> int:
    """Worker count for joblib: ``n_jobs`` if positive, ``0`` = auto (:func:`available`).

    Negative values keep joblib's meaning (-1 = all cores) and are returned unchanged.
    """
    if n_jobs == 0:
        return available()
    return n_jobs


def farm(
    function, tasks, scheduler: str | None = None, workers: int = 0, progress: bool = False, description: str = "tasks"
) -> list:
    """``[function(task) for task in tasks]``, computed on Dask (``dask.distributed``), in task order.

    Parameters
    ----------
    function : callable
        A module-level function (workers import it by name).
    tasks : iterable
        One argument per call. Each task must carry its own seed (e.g. from
        ``numpy.random.SeedSequence(seed).spawn(n)``), so that the results do not depend on
        how many workers there are or which one ran which task.
    scheduler : str, optional (default=None)
        Address of a running cluster's scheduler (``tcp://host:8786``); ``None`` takes the
        ``scheduler`` setting, and without it a ``LocalCluster`` is started for this call and stopped after it.
    workers : int, optional (default=0)
        Processes of the local cluster; 0 = the cores this process may use (:func:`available`).
        Each worker runs one task at a time (one thread), numpy's own threads being held at one.
    progress : bool, optional (default=False)
        A ``tqdm`` bar as tasks complete.

    Returns
    -------
    list
        The results, in the order of ``tasks`` (``Client.gather`` keeps the order of the futures).
    """
    from contextlib import ExitStack

    from dask.distributed import Client, LocalCluster, as_completed

    tasks = list(tasks)
    if not tasks:
        return []
    address = scheduler or settings.current().scheduler
    with ExitStack() as stack:
        if address is None:
            # a free port for the dashboard (no clash with another cluster), only errors in the log
            address = stack.enter_context(
                LocalCluster(
                    n_workers=resolve_jobs(workers) if workers >= 0 else available(),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )
            )
        client = stack.enter_context(Client(address, set_as_default=False))
        stack.enter_context(client.as_current())
        futures = client.map(function, tasks, pure=False)
        if progress:
            from tqdm import tqdm  # not tqdm.auto: its ipywidgets probe warns with a machine path

            for _ in tqdm(as_completed(futures), total=len(futures), desc=description):
                pass
        return client.gather(futures)
