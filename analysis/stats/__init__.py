"""Estimators and tests that know nothing of this study.

* :mod:`~analysis.stats.km` — Kaplan–Meier, its confidence bands, the printed median and CI, quantiles,
  exactly as R ``survival``
* :mod:`~analysis.stats.logrank` — the weighted log-rank test (``survdiff``: k groups, rho, strata), the one
  implementation in the package
* :mod:`~analysis.stats.cox` — Cox proportional hazards for one covariate (``coxph``: Efron/Breslow, strata)
  and the proportional-hazards test
* :mod:`~analysis.stats.risksets` — risk sets in O(N log N), under every estimator above
* :mod:`~analysis.stats.survival` — tidy summaries over groups: landmarks, risk tables, follow-up (reverse KM),
  competing risks (Aalen–Johansen)
* :mod:`~analysis.stats.resampling` — the vectorised bootstrap engine
* :mod:`~analysis.stats.proportions` — exact confidence intervals for proportions
* :mod:`~analysis.stats.ratio_from_ci` — two medians compared from their CIs alone (Altman & Bland, approximate)
* :mod:`~analysis.stats.compare` — two independent samples: difference of proportions (Newcombe, Fisher),
  distribution-free median CI, Holm adjustment
* :mod:`~analysis.stats.ensemble` — one sample's survival against an ensemble of reference samples
  (pointwise band, log-rank range)
* :mod:`~analysis.stats.checks` — the input checks every public estimator applies

Takes arrays and tidy DataFrames with generic columns (``time``, ``event``, ``group``), never the
study's tables; returns frozen result objects with ``to_frame()`` or tidy DataFrames; imports no
module of the package (an import-linter contract in ``pyproject.toml``).
"""
