"""The paper's metrics measured on pooled centre summaries: the comparison with the paper without rows.

:func:`analysis.paper.compare.cohort_vs_published` asks its data for five measurements
(:class:`analysis.paper.compare_rows.RowMeasurements`); :class:`PooledMeasurements` answers them from
a :class:`~analysis.study.federated.pooled.Pooled`:

* a proportion's counts — the summed ``claim_counts`` (exact);
* a continuous variable's values — its pooled histogram expanded (exact at the recording resolution;
  ``followup_months`` from ``followup_days`` as the patient-level table computes it);
* a Kaplan–Meier sample of an endpoint in "all" or a ``column == value`` group — the pooled per-time
  counts expanded (:func:`~analysis.study.federated.pooled.survival_frame`);
* a log-rank p by a grouping — :func:`analysis.stats.logrank.two_sample_p` on the same frame;
* a calendar period — **not measurable**: dates do not leave a centre.

Where a centre suppressed a needed cell the measurement raises
:class:`~analysis.paper.compare_rows.NotMeasurable`, and the comparison row says "not estimable" with
the centres named. Where nothing was suppressed, the comparison table equals the patient-level one
(``tests/study/federated/test_measurements.py``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...data import derive
from ...paper.compare_rows import NotMeasurable
from ...stats import logrank
from . import pooled as pooled_mod
from .summary import value_text

_GROUP = re.compile(r"^\s*(?P<column>[a-z_0-9]+)\s*==\s*(?P<value>[0-9]+)\s*$")
#: Columns the patient-level tables derive from a summarised one: name -> (summarised column, divisor).
_DERIVED = {"followup_months": ("followup_days", derive.DAYS_PER_MONTH)}


class PooledMeasurements:
    """The five measurements of the comparison, from pooled summaries (see the module docstring)."""

    def __init__(self, pooled: pooled_mod.Pooled):
        self.pooled = pooled
        self.claims = pooled_mod.claim_counts(pooled).set_index("claim_id")

    def proportion_counts(self, c) -> tuple[int, int]:
        if c.id not in self.claims.index:
            raise NotMeasurable(f"the summaries hold no counts for {c.id}")
        row = self.claims.loc[c.id]
        if row["suppressed_centres"]:
            raise NotMeasurable(
                f"centre(s) {row['suppressed_centres']} suppressed these counts (the pooled count lies in "
                f"{row['numerator_min']}–{row['numerator_max']} of {row['denominator_min']}–{row['denominator_max']})"
            )
        return int(row["numerator"]), int(row["denominator"])

    def median_values(self, c) -> pd.Series:
        column = c.metric["column"]
        source, divisor = _DERIVED.get(column, (column, 1.0))
        rows = pooled_mod.histogram_rows(self.pooled, source)
        rows = rows[rows["value"] != "missing"]
        hidden = sorted(rows.loc[rows["n"].isna(), "centre"].unique())
        if hidden:
            raise NotMeasurable(f"centre(s) {', '.join(hidden)} suppressed the histogram of {source}")
        values = np.repeat(rows["value"].astype(float).to_numpy(), rows["n"].astype(int).to_numpy())
        return pd.Series(np.sort(values) / divisor if divisor != 1.0 else np.sort(values), dtype="float64")

    def _frame(self, endpoint: str, grouping: str) -> pd.DataFrame:
        try:
            return pooled_mod.survival_frame(self.pooled, endpoint, grouping)
        except pooled_mod.NotEstimable as exc:
            raise NotMeasurable(str(exc)) from None

    def km_sample(self, c):
        group = c.metric.get("group", "all")
        if group in (None, "", "all"):
            f = self._frame(c.metric["endpoint"], "all")
        else:
            m = _GROUP.match(group)
            if not m:
                raise NotMeasurable(f"the group {group!r} is not one the summaries break the counts down by")
            f = self._frame(c.metric["endpoint"], m["column"])
            f = f[f["group"] == value_text(int(m["value"]))]
        return f["time"].to_numpy(), f["event"].to_numpy()

    def logrank_value(self, c) -> float:
        f = self._frame(c.metric["endpoint"], c.metric["by"])
        if f.empty:
            return float("nan")
        return logrank.two_sample_p(f["time"].to_numpy(), f["event"].to_numpy(), (f["group"] == "1").to_numpy())

    def period_months(self, c) -> tuple[str, str]:
        raise NotMeasurable("the inclusion period needs dates, and no date leaves a centre")


__all__ = ["PooledMeasurements"]
