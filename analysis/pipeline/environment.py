"""Everything in a kernel's environment that can change the bytes it writes, fixed by the runner.

``make all``, ``python -m analysis run`` from any shell (``env -i PATH=… HOME=…``
included) and a run inside CI must give identical executed notebooks, figures
and tables, so the runner does not inherit these settings from whoever launched
it: :func:`kernel_environment` is applied to every notebook it executes, whatever
the caller's environment says.

* ``MPLBACKEND=Agg`` — no display is ever needed: :func:`analysis.render.save_figure`
  shows each figure inline itself, as a PNG it renders at a fixed resolution,
  so what a notebook holds does not depend on the backend the launching shell
  would pick (``make`` used to export Agg, which turned the inline display off).
* ``PYTHONHASHSEED=0`` — iteration order of sets of strings.
* ``SOURCE_DATE_EPOCH=0`` — any date a writer would stamp (the figure and table
  writers strip them anyway).
* ``LC_ALL=LANG=C.UTF-8``, ``TZ=UTC`` — locale-dependent formatting and sorting,
  and local times, are the same on every machine.
* ``OMP_NUM_THREADS`` / ``OPENBLAS_NUM_THREADS`` / ``MKL_NUM_THREADS`` = 1 — a
  multi-threaded BLAS reduction can round differently with another thread
  count; the notebooks' linear algebra is tiny, and the parallel parts
  (bootstrap blocks, reconstruction ensembles) run in processes seeded per task.
* ``NPY_DISABLE_CPU_FEATURES`` (x86-64) — numpy dispatches float64 ``exp``/``log``
  to AVX-512 kernels where the CPU has them, and those round differently in the
  last bit from the C library used elsewhere (seen here: the committed results
  made on an AVX-512 machine differed from this one's in the 16th digit of a
  few confidence limits). Disabling the AVX-512 groups gives every x86-64
  machine the same code paths. ``OPENBLAS_CORETYPE=Haswell`` does the same for
  OpenBLAS's kernels on CPUs with AVX2 (it would pick its AVX-512 ones on newer
  CPUs).

Each notebook's share of the cores (``COMPENDIUM_CPUS``) is added by
:func:`analysis.pipeline.parallel.share_environment`; results never depend on it.
"""

from __future__ import annotations

import platform
from pathlib import Path

FIXED = {
    "MPLBACKEND": "Agg",
    "PYTHONHASHSEED": "0",
    "SOURCE_DATE_EPOCH": "0",
    "LC_ALL": "C.UTF-8",
    "LANG": "C.UTF-8",
    "TZ": "UTC",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
#: numpy's dispatch groups beyond AVX2 (numpy ≥ 2.4 names; unknown names are ignored by numpy).
NUMPY_DISABLED = "X86_V4 AVX512_ICL AVX512_SPR"


def _cpu_flags() -> set[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_environment() -> dict[str, str]:
    """The CPU-dispatch settings above, for this machine (empty where they do not apply)."""
    if platform.machine() not in ("x86_64", "AMD64"):
        return {}
    env = {"NPY_DISABLE_CPU_FEATURES": NUMPY_DISABLED}
    if "avx2" in _cpu_flags():
        env["OPENBLAS_CORETYPE"] = "Haswell"
    return env


def kernel_environment() -> dict[str, str]:
    """Every variable the runner sets for the kernels it starts (see the module docstring)."""
    return {**FIXED, **cpu_environment()}
