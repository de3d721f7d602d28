"""How many cores a computation may use, and task farms on Dask.

A computation that parallelises internally (the reconstruction sweep of
``05_sensitivity``, bootstrap blocks) should use the whole machine when it runs
alone, but only its share when several notebooks run at once: three busy
processes on two cores are slower than two. Whoever starts this process says
how many cores it may use in ``COMPENDIUM_CPUS`` (the runner sets it to each
notebook's share, :func:`analysis.build.cpus.share_environment`); ``n_jobs=0``
("auto") reads it. Results never depend on the number of workers (every
parallel computation here is seeded per task), only the time does.

:func:`farm` runs a task farm (calibrated synthetic ensembles, bootstrap sweeps of large
cohorts) on ``dask.distributed``: a ``LocalCluster`` on this machine by default, or any
running cluster by its scheduler address (``--scheduler``, ``COMPENDIUM_DASK_SCHEDULER``
or a notebook parameter). Dask does the scheduling; nothing here is a scheduler.
"""
from __future__ import annotations

import logging
import os

#: Cores this process may use, set by the runner for each notebook it executes.
CPUS_ENV = "COMPENDIUM_CPUS"


def machine_cpus() -> int:
    """Cores available to this process (its CPU affinity, which containers restrict), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:              # not on Linux
        return max(1, os.cpu_count() or 1)


def available() -> int:
    """``COMPENDIUM_CPUS`` if set (a positive integer), else :func:`machine_cpus`."""
    value = os.environ.get(CPUS_ENV, "")
    try:
        n = int(value)
    except ValueError:
        return machine_cpus()
    return n if n > 0 else machine_cpus()


def resolve_jobs(n_jobs: int) -> int:
    """Worker count for joblib: ``n_jobs`` if positive, ``0`` = auto (:func:`available`).

    Negative values keep joblib's meaning (-1 = all cores) and are returned unchanged.
    """
    if n_jobs == 0:
        return available()
    return n_jobs


#: Address of a running Dask scheduler (``tcp://host:8786``) to send task farms to; unset: a local cluster.
SCHEDULER_ENV = "COMPENDIUM_DASK_SCHEDULER"


def farm(function, tasks, scheduler: str | None = None, workers: int = 0, progress: bool = False,
         description: str = "tasks") -> list:
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
        Address of a running cluster's scheduler; ``None`` reads ``COMPENDIUM_DASK_SCHEDULER``,
        and without it a ``LocalCluster`` is started for this call and stopped after it.
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
    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    with ExitStack() as stack:
        if address is None:
            # a free port for the dashboard (no clash with another cluster), only errors in the log
            address = stack.enter_context(LocalCluster(
                n_workers=resolve_jobs(workers) if workers >= 0 else available(), threads_per_worker=1,
                processes=True, dashboard_address=":0", silence_logs=logging.ERROR))
        client = stack.enter_context(Client(address, set_as_default=False))
        stack.enter_context(client.as_current())
        futures = client.map(function, tasks, pure=False)
        if progress:
            from tqdm import tqdm   # not tqdm.auto: its ipywidgets probe warns with a machine path

            for _ in tqdm(as_completed(futures), total=len(futures), desc=description):
                pass
        return client.gather(futures)
