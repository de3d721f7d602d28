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

from ..data.derive import DAYS_PER_MONTH
from ..render import numbers as fmt

#: Above this many patients, patient-level marks are aggregated or rasterized (files stay small, saving fast).
LARGE = 2000


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
        ("Age, years, median (min–max)", fmt.median_range(adsl["age_years"].astype("float64"))),
        ("Female, n (%)", fmt.count_percent(int((adsl["sex"] == "F").sum()), n)),
        ("Extramedullary disease, n (%)", fmt.count_percent(int((adsl["extramedullary"] == 1).sum()), n)),
        *(
            (f"{agent.capitalize()}, n (%)", fmt.count_percent(int(agents.get(agent, 0)), n))
            for agent in ("teclistamab", "elranatamab")
        ),
        ("Deaths, n (%)", fmt.count_percent(int(adsl["died"].sum()), n)),
        ("Observed follow-up, months, median (min–max)", fmt.median_range(fu_months, decimals=1)),
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
    if len(dates) > LARGE:  # one vertex per day, not per patient: same curve, light files
        per_day = dates.value_counts().sort_index().cumsum()
        ax.step(per_day.index, per_day.to_numpy(), where="post", color="#0072B2")
    else:
        ax.step(dates, range(1, len(dates) + 1), where="post", color="#0072B2")
    ax.set_xlabel("Date of first bispecific dose")
    ax.set_ylabel("Patients included (cumulative)")
    ax.set_ylim(0, len(dates) + 1)
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def emd_localisations(adsl: pd.DataFrame) -> pd.DataFrame:
    """Patients per extramedullary localisation (n, out of ``of_emd`` patients with EMD, %), most frequent first."""
    from ..data.dictionary import EMD_SITES

    n_emd = int((adsl["extramedullary"] == 1).sum())
    rows = [
        (label.split(" /")[0].split(" (")[0].capitalize(), int((adsl[col] == 1).sum()))
        for col, label in EMD_SITES.items()
    ]
    table = pd.DataFrame(rows, columns=["localisation", "n"])
    table["of_emd"] = n_emd
    table["percent_of_emd"] = 100 * table["n"] / n_emd if n_emd else float("nan")
    return table.sort_values(["n", "localisation"], ascending=[False, True]).reset_index(drop=True)


def plot_emd_localisations(table: pd.DataFrame, ax=None):
    """Horizontal bars of :func:`emd_localisations` (n and % of EMD patients). Returns the axes."""
    ax = ax or plt.gca()
    y = range(len(table))
    ax.barh(y, table["n"], color="#0072B2")
    for k, (n, of) in enumerate(zip(table["n"], table["of_emd"])):
        ax.text(n + 0.1, k, fmt.count_percent(int(n), int(of), decimals=0), va="center", fontsize=6)
    ax.set_yticks(list(y))
    ax.set_yticklabels(table["localisation"])
    ax.invert_yaxis()
    ax.set_xlabel("Patients (n, % of those with EMD)")
    ax.set_xlim(0, max(1, table["n"].max()) * 1.3)
    return ax


def plot_delay(adsl: pd.DataFrame, ax=None):
    """Chemotherapy → bispecific delay (days, from the first debulking cycle) by number of cycles.

    Jittered points with the median of each group as a bar; the dashed line is
    31 days, the methods' "within the preceding month". Returns the axes.
    """
    import numpy as np

    ax = ax or plt.gca()
    groups = [g for g in adsl["chemo_cycles_cat"].cat.categories if (adsl["chemo_cycles_cat"] == g).any()]
    offsets = np.linspace(-0.25, 0.25, 9)
    for x, g in enumerate(groups):
        d = adsl.loc[adsl["chemo_cycles_cat"] == g, "delay_days"].sort_values().to_numpy()
        jitter = offsets[np.arange(len(d)) % len(offsets)]
        # thousands of points are drawn as an image inside the SVG/PDF (vector text and axes kept)
        ax.scatter(x + jitter, d, s=8, color="#0072B2", alpha=0.8, linewidths=0, rasterized=len(d) > LARGE)
        ax.hlines(np.median(d), x - 0.3, x + 0.3, color="#D55E00", linewidth=1.2)
    ax.axhline(31, color="#555555", linestyle="--", linewidth=0.6)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(
        [f"{g} cycle{'s' if g != '1' else ''}\n(n = {int((adsl['chemo_cycles_cat'] == g).sum())})" for g in groups]
    )
    ax.set_ylabel("Delay, days")
    return ax
