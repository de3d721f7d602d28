"""The paper as data, beside the analysis stages.

* :mod:`~analysis.paper.claims` — the claims registry (every published number, with its quote);
  :mod:`~analysis.paper.claim_fields` its field table and parser, :mod:`~analysis.paper.registry` the
  file (top level, the digest the synthetic cohort records)
* :mod:`~analysis.paper.rounding` — how a count prints as a percentage (half up, half even, truncation)
* :mod:`~analysis.paper.audit` — the consistency audit of the paper's numbers: its declarations
  (:mod:`~analysis.paper.audit_spec`, the registry's ``audit:`` section), its checks
  (:mod:`~analysis.paper.audit_percentages`, :mod:`~analysis.paper.grim`, :mod:`~analysis.paper.audit_sums`,
  :mod:`~analysis.paper.audit_quantities`, :mod:`~analysis.paper.audit_survival`), its table
  (:mod:`~analysis.paper.audit_table`) and its findings as text (:mod:`~analysis.paper.audit_readme`)
* :mod:`~analysis.paper.reconcile` — published vs reproduced, per claim
* :mod:`~analysis.paper.compare` — this cohort vs the published study (real data), and which of the two to ask
* :mod:`~analysis.paper.synthetic` — the calibrated synthetic cohort generator

Uses :mod:`analysis.data` and :mod:`analysis.stats`; never :mod:`analysis.render`,
:mod:`analysis.study` or :mod:`analysis.pipeline`.
"""
