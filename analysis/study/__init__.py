"""The study's analyses, one module per topic the notebooks narrate.

* :mod:`~analysis.study.overview` — the study population at a glance (``01_cohort``)
* :mod:`~analysis.study.table1` — Table 1 in the paper's row order (``01_cohort``)
* :mod:`~analysis.study.regimens` — debulking agent combinations (``01_cohort``)
* :mod:`~analysis.study.centres` — the per-centre table: size, accrual, follow-up, EMD, HRCA (``01_cohort``)
* :mod:`~analysis.study.safety` — CRS, ICANS, infections, cytopenias (``02_safety``)
* :mod:`~analysis.study.response` — response states, rates, conversions, subgroups (``03_response``)
* :mod:`~analysis.study.sensitivity` — definitions, method choices, landmark, reconstruction
  sweep, external context (``05_sensitivity``)
* :mod:`~analysis.study.versus_published` — each notebook's published-claims section (reproduction
  check or comparison with the published study), its exported table, forest plot and KM overlay

``04_survival`` calls :mod:`analysis.stats.survival` and :mod:`analysis.render.km_plot` directly.
Uses :mod:`analysis.data`, :mod:`analysis.stats`, :mod:`analysis.render` and :mod:`analysis.paper`.
"""
