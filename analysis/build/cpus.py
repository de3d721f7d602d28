"""Each notebook's share of the cores in a parallel build.

The runner executes several notebooks at once; each kernel gets
``cores // workers`` cores, announced in ``COMPENDIUM_CPUS`` (read by
:func:`analysis.stats.parallel.available`, so that ``n_jobs=0`` means "my
share"), and its BLAS/OpenMP thread pools are capped to the same number.
"""
from __future__ import annotations

from ..stats.parallel import CPUS_ENV, machine_cpus

__all__ = ["CPUS_ENV", "THREAD_ENVS", "machine_cpus", "share_environment"]

#: Thread pools capped to the same share (numpy's OpenBLAS spins while waiting, which
#: steals the other notebook's core when two kernels share a 2-core machine).
THREAD_ENVS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def share_environment(cpus: int) -> dict[str, str]:
    """Environment variables giving a notebook process ``cpus`` cores."""
    value = str(max(1, int(cpus)))
    return {CPUS_ENV: value, **{name: value for name in THREAD_ENVS}}
