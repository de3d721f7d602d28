"""The paper as data, beside the analysis stages.

* :mod:`~analysis.paper.claims` — the claims registry (every published number, with its quote)
* :mod:`~analysis.paper.rounding` — how a count prints as a percentage (half up, half even, truncation)
* :mod:`~analysis.paper.audit`, :mod:`~analysis.paper.audit_checks`, :mod:`~analysis.paper.grim` — the
  consistency audit of the paper's numbers
* :mod:`~analysis.paper.reconcile` — published vs reproduced, per claim
* :mod:`~analysis.paper.compare` — this cohort vs the published study (real data), and which of the two to ask
* :mod:`~analysis.paper.synthetic` — the calibrated synthetic cohort generator

Uses :mod:`analysis.data` and :mod:`analysis.stats`; never :mod:`analysis.render`,
:mod:`analysis.study` or :mod:`analysis.pipeline`.
"""
