"""The patient table in: the first stage of the data flow.

* :mod:`~analysis.data.dictionary` — the data dictionary, the one source of truth for columns and codes
* :mod:`~analysis.data.io` — reading a patient table (CSV/XLSX) as text; provenance (synthetic or not)
* :mod:`~analysis.data.readers` — CSV in any delimiter/encoding, XLSX, SPSS/Stata/SAS, as text
* :mod:`~analysis.data.diagnose` — export mistakes, one line each with the fix, before any cell check
* :mod:`~analysis.data.validate` — every validation rule (vectorised); every problem at once
* :mod:`~analysis.data.cross_rules` — the cross-field rules
* :mod:`~analysis.data.pool` — several centres' files as one cohort (cross-file checks, ``source_file``)
* :mod:`~analysis.data.cohort` — :func:`~analysis.data.cohort.load_cohort` = read + validate + label
  (one file, several, or a folder)
* :mod:`~analysis.data.derive` — the ADSL / ADTTE / ADRS analysis tables
* :mod:`~analysis.data.readme` — generates ``data/README.md``'s tables from the dictionary
* for centres: :mod:`~analysis.data.intake.template` (the data-entry workbook),
  :mod:`~analysis.data.intake.redcap` and :mod:`~analysis.data.intake.table_schema` (the dictionary for REDCap
  and Frictionless), :mod:`~analysis.data.intake.mapping` (declared import mappings),
  :mod:`~analysis.data.intake.remap` (applying them), :mod:`~analysis.data.intake.derivations` (their
  ``derive:`` columns), :mod:`~analysis.data.intake.identifiers` (direct identifiers recognised),
  :mod:`~analysis.data.intake.map_report` (what a mapping did and refused),
  :mod:`~analysis.data.intake.source_terms` (validation problems in the export's own terms),
  :mod:`~analysis.data.intake.importer` (``python -m analysis import``),
  :mod:`~analysis.data.intake.draft_mapping` (``--draft-mapping``)

Imports nothing of the package but :mod:`analysis.paths`, :mod:`analysis.exceptions` and
:mod:`analysis.atomic` (the import contract in ``pyproject.toml``).
"""
