"""How many cores a computation may use.

A notebook that parallelises internally (the reconstruction sweep of
``05_sensitivity``) should use the whole machine when it runs alone, but only
its share when ``python -m analysis run`` executes several notebooks at once:
three busy processes on two cores are slower than two. The runner therefore
sets ``COMPENDIUM_CPUS`` to each notebook's share (cores // workers) and caps
the BLAS/OpenMP thread pools to the same number; ``n_jobs=0`` ("auto") reads it.
Results never depend on the number of workers (every parallel computation here
is seeded per task), only the time does.
"""
from __future__ import annotations

import os

#: Cores this process may use, set by the runner for each notebook it executes.
CPUS_ENV = "COMPENDIUM_CPUS"
#: Thread pools capped to the same share (numpy's OpenBLAS spins while waiting, which
#: steals the other notebook's core when two kernels share a 2-core machine).
THREAD_ENVS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


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


def share_environment(cpus: int) -> dict[str, str]:
    """Environment variables giving a notebook process ``cpus`` cores."""
    value = str(max(1, int(cpus)))
    return {CPUS_ENV: value, **{name: value for name in THREAD_ENVS}}
