"""The patient table in: the first stage of the data flow.

* :mod:`~analysis.data.dictionary` — the data dictionary, the one source of truth for columns and codes
* :mod:`~analysis.data.io` — reading CSV/XLSX as text; provenance (synthetic or not)
* :mod:`~analysis.data.validate` — every validation rule; every problem at once
* :mod:`~analysis.data.cohort` — :func:`~analysis.data.cohort.load_cohort` = read + validate + label
* :mod:`~analysis.data.derive` — the ADSL / ADTTE / ADRS analysis tables
* :mod:`~analysis.data.readme` — generates ``data/README.md``'s tables from the dictionary

Imports nothing of the package but :mod:`analysis.paths`, :mod:`analysis.exceptions` and
:mod:`analysis.atomic` (the import contract in ``pyproject.toml``).
"""
