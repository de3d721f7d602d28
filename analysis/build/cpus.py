"""Each notebook's share of the cores in a parallel build.

The runner executes several notebooks at once; each kernel gets
``cores // workers`` cores, announced in ``COMPENDIUM_CPUS`` (read by
:func:`analysis.stats.parallel.available`, so that ``n_jobs=0`` means "my
share"). Only the time depends on it: every parallel computation is seeded per
task, and the BLAS/OpenMP thread pools are held at one thread whatever the
share (:mod:`analysis.build.environment`).
"""
from __future__ import annotations

from ..stats.parallel import CPUS_ENV, machine_cpus

__all__ = ["CPUS_ENV", "machine_cpus", "share_environment"]


def share_environment(cpus: int) -> dict[str, str]:
    """Environment variables giving a notebook process ``cpus`` cores (at least 1)."""
    return {CPUS_ENV: str(max(1, int(cpus)))}
