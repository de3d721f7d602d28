"""Estimators and tests that know nothing of this study.

* :mod:`~analysis.stats.km` — Kaplan–Meier, its confidence bands, the printed median and CI, quantiles and log-rank
  exactly as R ``survival``
* :mod:`~analysis.stats.survival` — landmarks, risk tables, Fleming–Harrington log-rank, Cox (Efron),
  follow-up (reverse KM), competing risks (Aalen–Johansen)
* :mod:`~analysis.stats.resampling` — the vectorised bootstrap engine
* :mod:`~analysis.stats.proportions` — exact confidence intervals for proportions
* :mod:`~analysis.stats.compare` — two independent samples: difference of proportions (Newcombe, Fisher),
  distribution-free median CI, Holm adjustment
* :mod:`~analysis.stats.ensemble` — one sample's survival against an ensemble of reference samples
  (pointwise band, log-rank range)
* :mod:`~analysis.stats.parallel` — how many cores a computation may use

Takes arrays and tidy DataFrames with generic columns (``time``, ``event``, ``group``), never
the study's tables, and imports nothing of the package but :mod:`analysis.exceptions`.
"""
