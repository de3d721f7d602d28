"""How many cores a computation may use.

A computation that parallelises internally (the reconstruction sweep of
``05_sensitivity``, bootstrap blocks) should use the whole machine when it runs
alone, but only its share when several notebooks run at once: three busy
processes on two cores are slower than two. Whoever starts this process says
how many cores it may use in ``COMPENDIUM_CPUS`` (the runner sets it to each
notebook's share, :func:`analysis.build.cpus.share_environment`); ``n_jobs=0``
("auto") reads it. Results never depend on the number of workers (every
parallel computation here is seeded per task), only the time does.
"""
from __future__ import annotations

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
