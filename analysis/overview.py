"""Study population at a glance: size, centres, accrual, cut-off, follow-up.

The first table of ``01_cohort``; Table 1 proper is built in its own module.
Conventions: n (%) over all patients; median (min–max) for continuous
variables; observed follow-up is ``last_followup_date − bsab_start_date`` for
every patient (the paper's "median follow-up 12 months (range 1–31)" is of this
kind; the reverse Kaplan–Meier follow-up is in the survival notebook).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .derive import DAYS_PER_MONTH


def _n_pct(k: int, n: int) -> str:
    return f"{k} ({100 * k / n:.0f}%)" if n else "0"


def _median_range(values: pd.Series, fmt: str = "{:g}") -> str:
    v = values.dropna()
    if v.empty:
        return "—"
    return f"{fmt.format(v.median())} ({fmt.format(v.min())}–{fmt.format(v.max())})"


def cohort_overview(adsl: pd.DataFrame) -> pd.DataFrame:
    """Tidy two-column table (``item``, ``value``) describing the cohort.

    Rows: patients, centres, first and last bispecific start (accrual), data
    cut-off (latest ``last_followup_date``), age, female, extramedullary
    disease, agent, deaths, observed follow-up in months.
    """
    n = len(adsl)
    fu_months = adsl["followup_days"] / DAYS_PER_MONTH
    agents = adsl["bsab_agent"].astype(object).value_counts()
    rows = [
        ("Patients", str(n)),
        ("Centres", str(adsl["center_id"].nunique())),
        ("First bispecific start", adsl["bsab_start_date"].min().strftime("%Y-%m-%d")),
        ("Last bispecific start", adsl["bsab_start_date"].max().strftime("%Y-%m-%d")),
        ("Data cut-off (latest follow-up)", adsl["last_followup_date"].max().strftime("%Y-%m-%d")),
        ("Age, years, median (min–max)", _median_range(adsl["age_years"].astype("float64"))),
        ("Female, n (%)", _n_pct(int((adsl["sex"] == "F").sum()), n)),
        ("Extramedullary disease, n (%)", _n_pct(int((adsl["extramedullary"] == 1).sum()), n)),
        *((f"{agent.capitalize()}, n (%)", _n_pct(int(agents.get(agent, 0)), n))
          for agent in ("teclistamab", "elranatamab")),
        ("Deaths, n (%)", _n_pct(int(adsl["died"].sum()), n)),
        ("Observed follow-up, months, median (min–max)", _median_range(fu_months, "{:.1f}")),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


def plot_accrual(adsl: pd.DataFrame, ax=None):
    """Cumulative number of patients by date of first bispecific dose (step plot).

    ax : matplotlib Axes, optional (default=None)
        Pre-existing axes for the plot; otherwise ``plt.gca()``.
    Returns the axes.
    """
    ax = ax or plt.gca()
    dates = adsl["bsab_start_date"].sort_values().reset_index(drop=True)
    ax.step(dates, range(1, len(dates) + 1), where="post", color="#0072B2")
    ax.set_xlabel("Date of first bispecific dose")
    ax.set_ylabel("Patients included (cumulative)")
    ax.set_ylim(0, len(dates) + 1)
    ax.tick_params(axis="x", labelrotation=30)
    return ax
