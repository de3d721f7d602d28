"""Helper package of the debulking → anti-BCMA bispecific compendium.

Chalopin et al., Blood Cancer J 2025;15:174. One module per idea:

* :mod:`analysis.paths` — every path, from the project root
* :mod:`analysis.dictionary` — the data dictionary (one source of truth)
* :mod:`analysis.io` — reading CSV/XLSX as text; provenance
* :mod:`analysis.validate` — every rule, every problem at once
* :mod:`analysis.cohort` — read + validate + label (:func:`load_cohort`)
* :mod:`analysis.derive` — ADSL, ADTTE, ADRS analysis tables
* :mod:`analysis.km` — Kaplan–Meier, medians and log-rank as R ``survival``
* :mod:`analysis.claims`, :mod:`analysis.audit` — the paper as data, and its consistency
* :mod:`analysis.reconcile` — published vs reproduced
* :mod:`analysis.synthetic` — the calibrated synthetic cohort
* :mod:`analysis.notebook` — the one-line set-up of every notebook
* :mod:`analysis.overview` — the cohort at a glance
* :mod:`analysis.table1`, :mod:`analysis.table_export` — Table 1 and its exports
* :mod:`analysis.regimens` — which debulking agents were combined
* :mod:`analysis.safety` — CRS, ICANS, infections, cytopenias with exact CIs
* :mod:`analysis.figures`, :mod:`analysis.tables` — style and saving
* :mod:`analysis.runner`, :mod:`analysis.notebook_clean` — Papermill pipeline
"""
import importlib

from . import paths
from .exceptions import CompendiumError, DataFileError, DataValidationError

# Submodules and names load on first use, so that `python -m analysis run` with nothing to do
# does not pay for pandas, matplotlib or lifelines.
_LAZY_MODULES = {"derive", "notebook"}
_LAZY_NAMES = {"Cohort": "cohort", "data_label": "cohort", "load_cohort": "cohort", "validate_file": "cohort"}

__all__ = ["Cohort", "CompendiumError", "DataFileError", "DataValidationError", "data_label", "derive",
           "load_cohort", "notebook", "paths", "validate_file"]


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
