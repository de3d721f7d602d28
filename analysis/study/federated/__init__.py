"""Pooled analysis from per-centre summaries: no patient row leaves a centre.

* :mod:`~analysis.study.federated.summary` — what a centre summary holds (aggregates only)
* :mod:`~analysis.study.federated.disclosure` — small-cell suppression, declared and reported
* :mod:`~analysis.study.federated.pooled` — the pooled estimates, exact from the summed counts
* :mod:`~analysis.study.federated.measurements` — the comparison with the paper from pooled summaries

The files and their checks on reading are :mod:`analysis.data.summary_files`; the method and what leaves a
centre are in ``docs/federated.md``.
"""
