"""Helper package of the debulking → anti-BCMA bispecific compendium.

Chalopin et al., Blood Cancer J 2025;15:174. One stage package per step of the
data flow; imports only ever point down this list (an import-linter contract in
``pyproject.toml``, checked by ``tests/test_layers.py``):

* :mod:`analysis.pipeline` — running and publishing: orchestration, executing a notebook,
  provenance, cores and task farms, notebook cleaning, the HTML report
* :mod:`analysis.study` — the study's analyses, one module per topic the notebooks narrate
* :mod:`analysis.paper` — the paper as data: claims registry, consistency audit,
  published vs reproduced, the calibrated synthetic cohort
* :mod:`analysis.render` — figure style and saving, the Kaplan–Meier figure, table exports
* :mod:`analysis.stats` — estimators and tests that know nothing of this study
* :mod:`analysis.data` — the patient table in: dictionary, reading, validation, derived
  ADSL/ADTTE/ADRS; :mod:`analysis.data.intake` — a centre's export onboarded (template,
  REDCap and Table Schema dictionaries, import mappings)

``paper`` and ``render`` are independent of each other, as are ``stats`` and ``data``.
Across every stage: :mod:`analysis.paths` (every path), :mod:`analysis.exceptions`,
:mod:`analysis.atomic` (the one atomic writer), :mod:`analysis.settings` (a run's settings, the
one module that reads them from the environment); on top: :mod:`analysis.notebook` (the
one-line set-up of every notebook) and :mod:`analysis.cli` (``python -m analysis``).
"""

import importlib

from . import paths
from .exceptions import CompendiumError, DataFileError, DataValidationError

# Submodules and names load on first use, so that `python -m analysis run` with nothing to do
# does not pay for pandas, matplotlib or lifelines.
_LAZY_MODULES = {"notebook": ".notebook"}
_LAZY_NAMES = {
    "Cohort": ".data.cohort",
    "data_label": ".data.cohort",
    "load_cohort": ".data.cohort",
    "validate_file": ".data.cohort",
}

__all__ = [
    "Cohort",
    "CompendiumError",
    "DataFileError",
    "DataValidationError",
    "data_label",
    "load_cohort",
    "notebook",
    "paths",
    "validate_file",
]


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(_LAZY_MODULES[name], __name__)
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(_LAZY_NAMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
