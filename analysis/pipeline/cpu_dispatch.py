"""Importing this module fixes numpy's and OpenBLAS's CPU dispatch for this process, before numpy loads.

numpy reads ``NPY_DISABLE_CPU_FEATURES`` once, when it is first imported, so the setting must be in
the environment before anything imports numpy (:func:`analysis.pipeline.environment.cpu_environment`
says why and which settings). Three entry points import this module first:

* ``python -m analysis`` (:mod:`analysis.__main__`): ``synthesize`` and ``fit-report`` compute
  committed outputs in that very process;
* pytest, as an early plugin (``-p analysis.pipeline.cpu_dispatch`` in ``pyproject.toml``'s
  ``addopts``): plugins such as pytest-randomly import numpy when pytest loads them, before any
  ``conftest.py`` runs, and xdist workers and nbval kernels inherit the environment;
* the notebooks' kernels get the same settings from the runner
  (:func:`~analysis.pipeline.environment.kernel_environment`).

It raises if numpy is already loaded under other settings: a silent mismatch would change
the last bit of some results on some machines.
"""

from __future__ import annotations

import os
import sys

from .environment import cpu_environment

_SETTINGS = cpu_environment()
if "numpy" in sys.modules and any(os.environ.get(k) != v for k, v in _SETTINGS.items()):
    raise RuntimeError(
        "numpy was imported before analysis.pipeline.cpu_dispatch could fix its CPU dispatch: import "
        "this module first (see its docstring)"
    )
os.environ.update(_SETTINGS)
