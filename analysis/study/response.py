"""Response to debulking and to the bispecific: rates, states, conversions, subgroups.

Works on the response table (ADRS, :func:`analysis.data.derive.response`): one row
per patient × timepoint (debulking, C1, C3, C6, C12, best).

Method choices:

* **Categories** — IMWG 2016 (Kumar et al., Lancet Oncol 2016;17:e328). ORR = PR
  or better; ≥ VGPR; ≥ CR includes sCR. MR and SD are non-responses.
* **Denominators** — at each timepoint the *evaluable* patients (assessed
  there), as the paper reports C1–C12; and, as a second column, *all patients*
  (non-evaluable counted as non-responders, intention to treat), which is how
  the paper reports best response. Both are given so that no patient
  disappears silently.
* **States** — every patient has exactly one state at every timepoint: a
  response category, or why there is none (progressed before, died before,
  follow-up ended before, not assessed). :func:`state_counts` sums to the
  cohort size at every timepoint (tested).
* **CIs** — exact Clopper–Pearson (:func:`analysis.stats.proportions.clopper_pearson`).

Why one module of over 400 lines: the response rates, state counts and conversions and the three
figures of ``03_response`` (bars, alluvial, swimmer) read the same response table (ADRS) and states.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..data.derive import DAYS_PER_MONTH, TIMEPOINTS
from ..render import numbers as fmt
from ..render.figures import DOUBLE_COLUMN, PALETTE, NotDrawn, new_figure
from ..stats.proportions import clopper_pearson

BISPECIFIC_TIMEPOINTS = ("C1", "C3", "C6", "C12")
#: One state per patient and timepoint, best first, then the reasons for no assessment.
STATES = (
    "CR",
    "VGPR",
    "PR",
    "MR/SD",
    "PD",
    "progressed before",
    "died before",
    "follow-up ended before",
    "not assessed",
)
RESPONSE_STATES = STATES[:5]
STATE_COLOURS = dict(
    zip(STATES, ("#009E73", "#56B4E9", "#0072B2", "#F0E442", "#D55E00", "#CC79A7", "#000000", "#BBBBBB", "#E5E5E5"))
)
MEASURES = (("ORR", "orr"), ("≥VGPR", "vgpr_or_better"), ("≥CR", "cr_or_better"))


def states(adrs: pd.DataFrame) -> pd.Series:
    """The state of each ADRS row (see the module docstring)."""
    resp = adrs["response"].astype(object)
    grouped = resp.map({"sCR": "CR", "CR": "CR", "VGPR": "VGPR", "PR": "PR", "MR": "MR/SD", "SD": "MR/SD", "PD": "PD"})
    out = grouped.where(adrs["evaluable"] == 1, adrs["status"].astype(object))
    return pd.Series(pd.Categorical(out, categories=list(STATES)), index=adrs.index)


def state_counts(adrs: pd.DataFrame) -> pd.DataFrame:
    """Timepoint × state counts (rows sum to the number of patients)."""
    s = adrs.assign(state=states(adrs))
    table = pd.crosstab(s["timepoint"], s["state"], dropna=False).reindex(columns=list(STATES), fill_value=0)
    table.columns.name, table.index.name = None, "timepoint"
    return table.reindex(list(TIMEPOINTS))


def response_rates(adrs: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """ORR, ≥VGPR, ≥CR per timepoint over evaluable and over all patients, with exact CIs (%)."""
    rows = []
    for tp in TIMEPOINTS:
        sub = adrs[adrs["timepoint"] == tp]
        n_all, n_eval = len(sub), int(sub["evaluable"].sum())
        for label, col in MEASURES:
            k = int((sub[col] == 1).sum())
            lo, hi = clopper_pearson(k, n_eval, level)
            lo_all, hi_all = clopper_pearson(k, n_all, level)
            rows.append(
                [
                    tp,
                    label,
                    k,
                    n_eval,
                    100 * k / n_eval if n_eval else np.nan,
                    100 * lo,
                    100 * hi,
                    n_all,
                    100 * k / n_all if n_all else np.nan,
                    100 * lo_all,
                    100 * hi_all,
                ]
            )
    return pd.DataFrame(
        rows,
        columns=[
            "timepoint",
            "measure",
            "n",
            "evaluable",
            "percent",
            "ci_lower",
            "ci_upper",
            "patients",
            "percent_all",
            "ci_lower_all",
            "ci_upper_all",
        ],
    )


def display_rates(rates: pd.DataFrame) -> pd.DataFrame:
    """Rendered ORR/≥VGPR/≥CR table: 'k/evaluable (x%, 95% CI)' and the same over all patients."""

    def cell(k, n, p, lo, hi):
        return f"{k}/{n} ({fmt.percent(k, n, 0)}%; {fmt.interval(lo, hi, 0)})" if n else fmt.MISSING

    wide = {}
    for measure in dict(MEASURES):
        sub = rates[rates["measure"] == measure].set_index("timepoint")
        wide[f"{measure}, evaluable"] = [
            cell(*sub.loc[tp, ["n", "evaluable", "percent", "ci_lower", "ci_upper"]]) for tp in sub.index
        ]
        wide[f"{measure}, all patients"] = [
            cell(*sub.loc[tp, ["n", "patients", "percent_all", "ci_lower_all", "ci_upper_all"]]) for tp in sub.index
        ]
    return pd.DataFrame(wide, index=pd.Index(list(dict.fromkeys(rates["timepoint"])), name="timepoint"))


def conversion_matrix(adrs: pd.DataFrame, source: str, target: str) -> pd.DataFrame:
    """Patients by state at ``source`` (rows) and at ``target`` (columns), every state listed."""
    a = adrs[adrs["timepoint"] == source].set_index("patient_id")
    b = adrs[adrs["timepoint"] == target].set_index("patient_id")
    sa, sb = states(a), states(b.loc[a.index])
    table = pd.crosstab(sa, sb, dropna=False).reindex(index=list(STATES), columns=list(STATES), fill_value=0)
    table.index.name, table.columns.name = source, target
    return table


#: The response conversions tabulated (Fig. 1B's transitions, and debulking → best).
CONVERSIONS = (("debulking", "best"), ("debulking", "C1"), ("C1", "C3"), ("C3", "C6"), ("C6", "C12"))


def conversion_matrices(adrs: pd.DataFrame, pairs=CONVERSIONS) -> dict[str, pd.DataFrame]:
    """{``conversion_<from>_to_<to>``: :func:`conversion_matrix` with the source states as a column}."""
    return {f"conversion_{a}_to_{b}": conversion_matrix(adrs, a, b).reset_index() for a, b in pairs}


def response_by_debulking(adsl: pd.DataFrame) -> pd.DataFrame:
    """Best response to the bispecific by response to debulking: patients and responders (ORR)."""
    rank = {"sCR": 0, "CR": 0, "VGPR": 1, "PR": 2}
    deb = (
        adsl["chemo_response"]
        .astype(object)
        .map(lambda r: {"sCR": "CR", "MR": "MR/SD", "SD": "MR/SD"}.get(r, r) if isinstance(r, str) else "not evaluated")
    )
    resp = adsl["best_response"].astype(object).map(lambda r: isinstance(r, str) and r in rank)
    rows = []
    for state in [s for s in RESPONSE_STATES if s in set(deb)] + (
        ["not evaluated"] if "not evaluated" in set(deb) else []
    ):
        m = deb == state
        k, n = int(resp[m].sum()), int(m.sum())
        lo, hi = clopper_pearson(k, n)
        rows.append([state, n, k, 100 * k / n if n else np.nan, 100 * lo, 100 * hi])
    return pd.DataFrame(
        rows, columns=["debulking_response", "patients", "bispecific_responders", "percent", "ci_lower", "ci_upper"]
    )


def subgroup_orr(adrs_merged: pd.DataFrame, column: str, labels: dict) -> pd.DataFrame:
    """ORR per bispecific timepoint within each subgroup value (``labels``: value -> name), as k/evaluable."""
    rows = []
    for value, name in labels.items():
        sub = adrs_merged[adrs_merged[column] == value]
        for tp in BISPECIFIC_TIMEPOINTS + ("best",):
            s = sub[sub["timepoint"] == tp]
            k, n = int((s["orr"] == 1).sum()), int(s["evaluable"].sum())
            lo, hi = clopper_pearson(k, n)
            rows.append(
                [name, tp, int(s["patient_id"].nunique()), k, n, 100 * k / n if n else np.nan, 100 * lo, 100 * hi]
            )
    return pd.DataFrame(
        rows,
        columns=["subgroup", "timepoint", "patients", "responders", "evaluable", "percent", "ci_lower", "ci_upper"],
    )


#: (column, labels) of the subgroups of the paper's response results.
SUBGROUPS = (
    ("extramedullary", {1: "EMD", 0: "no EMD"}),
    ("any_cyto_abnormality", {1: "cytogenetic abnormality", 0: "no abnormality (tested)"}),
)


def subgroups(adrs: pd.DataFrame, adsl: pd.DataFrame) -> pd.DataFrame:
    """:func:`subgroup_orr` for every subgroup of :data:`SUBGROUPS`, stacked."""
    merged = adrs.merge(adsl, on="patient_id", suffixes=("", "_adsl"))
    return pd.concat([subgroup_orr(merged, column, labels) for column, labels in SUBGROUPS], ignore_index=True)


def pet_counts(adsl: pd.DataFrame) -> pd.DataFrame:
    """PET-CT performed after C1, C3, C6, and how many showed a complete metabolic response."""
    rows = []
    for c in ("c1", "c3", "c6"):
        col = adsl[f"pet_{c}"].astype(object)
        rows.append([c.upper(), int(col.notna().sum()), int((col == "negative").sum()), int((col == "positive").sum())])
    return pd.DataFrame(rows, columns=["timepoint", "performed", "complete metabolic response", "residual uptake"])


# ----------------------------------------------------------------------------- plots
def plot_response_bars(counts: pd.DataFrame, ax=None, timepoints=("debulking", "C1", "C3", "C6", "C12", "best")):
    """Fig. 1A: evaluable patients by response category per timepoint (stacked %), ORR and n on top.

    ``counts`` is :func:`state_counts`. Best response is over all patients
    (never-assessed patients shown as "not assessed"), as in the paper.
    ax : matplotlib Axes, optional (default=None). Returns the axes.
    """
    ax = ax or plt.gca()
    for x, tp in enumerate(timepoints):
        row = counts.loc[tp]
        shown = list(RESPONSE_STATES) + (
            ["progressed before", "died before", "follow-up ended before", "not assessed"] if tp == "best" else []
        )
        total = row[shown].sum()
        bottom = 0.0
        for st in reversed(shown):
            if row[st] == 0 or total == 0:
                continue
            h = 100 * row[st] / total
            ax.bar(x, h, bottom=bottom, color=STATE_COLOURS[st], width=0.7, edgecolor="white", linewidth=0.4, label=st)
            bottom += h
        orr = row[["CR", "VGPR", "PR"]].sum()
        if total:
            ax.text(
                x,
                101,
                f"ORR {fmt.percent(int(orr), int(total), 0)}%\nn = {int(total)}",
                ha="center",
                va="bottom",
                fontsize=6,
            )
    ax.set_xticks(range(len(timepoints)))
    ax.set_xticklabels(["After\ndebulking" if t == "debulking" else ("Best" if t == "best" else t) for t in timepoints])
    ax.set_ylim(0, 118)
    ax.set_yticks(range(0, 101, 25))
    ax.set_ylabel("Patients (%)")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(
        [unique[s] for s in STATES if s in unique],
        [s for s in STATES if s in unique],
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
        fontsize=6,
    )
    return ax


def _band(ax, x0, x1, y0a, y0b, y1a, y1b, colour):
    t = np.linspace(0, 1, 30)
    s = (1 - np.cos(np.pi * t)) / 2
    x = x0 + (x1 - x0) * t
    ax.fill_between(x, y0a + (y1a - y0a) * s, y0b + (y1b - y0b) * s, color=colour, alpha=0.45, linewidth=0)


def plot_alluvial(adrs: pd.DataFrame, timepoints=("debulking", "C1", "C3", "C6", "C12"), ax=None):
    """Fig. 1B: response conversion across timepoints as an alluvial diagram.

    One column per timepoint, stacked by state (every patient in one state, so
    all columns have the same height); bands show how many patients moved
    from each state to each state, coloured by their origin.
    ax : matplotlib Axes, optional (default=None). Returns the axes.
    """
    ax = ax or plt.gca()
    st = adrs.assign(state=states(adrs)).pivot(index="patient_id", columns="timepoint", values="state")
    n = len(st)
    gap = 0.01 * n
    pos = {}
    for x, tp in enumerate(timepoints):
        y = 0.0
        counts = st[tp].value_counts().reindex(list(STATES), fill_value=0)
        for s in reversed(STATES):
            c = counts[s]
            if c:
                pos[(tp, s)] = [y, y + c]
                ax.bar(x, c, bottom=y, width=0.12, color=STATE_COLOURS[s], edgecolor="white", linewidth=0.3)
                if c >= 0.04 * n:
                    ax.text(x + 0.08, y + c / 2, str(c), va="center", fontsize=5)
                y += c + gap
    for x, (a, b) in enumerate(zip(timepoints[:-1], timepoints[1:])):
        out_cursor = {s: pos[(a, s)][0] for s in STATES if (a, s) in pos}
        in_cursor = {s: pos[(b, s)][0] for s in STATES if (b, s) in pos}
        flows = pd.crosstab(st[a], st[b])
        for sa in reversed(STATES):
            for sb in reversed(STATES):
                if sa in flows.index and sb in flows.columns and flows.loc[sa, sb]:
                    f = flows.loc[sa, sb]
                    _band(
                        ax,
                        x + 0.06,
                        x + 1 - 0.06,
                        out_cursor[sa],
                        out_cursor[sa] + f,
                        in_cursor[sb],
                        in_cursor[sb] + f,
                        STATE_COLOURS[sa],
                    )
                    out_cursor[sa] += f
                    in_cursor[sb] += f
    ax.set_xticks(range(len(timepoints)))
    ax.set_xticklabels(["After\ndebulking" if t == "debulking" else t for t in timepoints])
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)
    ax.set_xlim(-0.3, len(timepoints) - 0.7)
    handles = [plt.Rectangle((0, 0), 1, 1, color=STATE_COLOURS[s]) for s in STATES]
    ax.legend(handles, STATES, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=6)
    return ax


_MARKERS = {
    "CR": ("o", STATE_COLOURS["CR"]),
    "VGPR": ("o", STATE_COLOURS["VGPR"]),
    "PR": ("o", STATE_COLOURS["PR"]),
    "MR/SD": ("s", "#999999"),
    "PD": ("X", STATE_COLOURS["PD"]),
}


#: Most bars a swimmer plot draws: beyond, one bar per patient is unreadable (and slow to save).
SWIMMER_MAX = 60
SWIMMER_SEED = 2025


def swimmer_sample(adsl: pd.DataFrame, limit: int = SWIMMER_MAX, seed: int = SWIMMER_SEED) -> tuple[pd.DataFrame, str]:
    """(patients to draw, caption): all of them up to ``limit``, else a seeded random sample of ``limit``.

    The sample is drawn without replacement with ``numpy.random.default_rng(seed)``, so the
    same cohort always gives the same figure; the caption says it is a sample and of how many.
    """
    if len(adsl) <= limit:
        return adsl, f"all {len(adsl)} patients"
    rows = np.sort(np.random.default_rng(seed).choice(len(adsl), size=limit, replace=False))
    return adsl.iloc[rows], f"random sample of {limit} of {fmt.thousands(len(adsl))} patients (seed {seed})"


def swimmer_figure(adsl: pd.DataFrame, adrs: pd.DataFrame, allowed: bool, limit: int = SWIMMER_MAX):
    """The swimmer plot as a figure, or :class:`~analysis.render.figures.NotDrawn` when it may not be drawn.

    ``allowed`` comes from :func:`analysis.notebook.allow_patient_level`: a figure with one bar per
    patient is drawn from real data only when the user asked for it. Cohorts larger than
    ``limit`` (default :data:`SWIMMER_MAX`) are drawn as a labelled, seeded sample (:func:`swimmer_sample`).
    """
    if not allowed:
        return NotDrawn("a patient-level figure on real data (run with patient_level_figures = 'yes' to draw it)")
    shown, caption = swimmer_sample(adsl, limit)
    fig, ax = new_figure(DOUBLE_COLUMN, 4.2)
    plot_swimmer(shown, adrs[adrs["patient_id"].isin(shown["patient_id"])], ax=ax)
    if len(shown) < len(adsl):
        ax.set_title(f"Swimmer plot: {caption}", fontsize=7, loc="left")
    return fig


def plot_swimmer(adsl: pd.DataFrame, adrs: pd.DataFrame, ax=None):
    """One bar per patient from the first bispecific dose to last contact (months).

    Bars are coloured by extramedullary disease and sorted by follow-up;
    markers show the response at each assessment, a red cross progression,
    a black bar end death, and an arrow a patient alive at last contact.
    Patient identifiers are not shown. ax : matplotlib Axes, optional (default=None). Returns the axes.
    """
    ax = ax or plt.gca()
    d = adsl.assign(fu=adsl["followup_days"] / DAYS_PER_MONTH).sort_values("fu", ascending=True).reset_index(drop=True)
    st = adrs.assign(state=states(adrs))
    st = st[st["timepoint"].isin(BISPECIFIC_TIMEPOINTS) & (st["evaluable"] == 1)]
    y_of = {pid: y for y, pid in enumerate(d["patient_id"])}
    colours = {1: PALETTE[5], 0: PALETTE[1]}
    for y, r in d.iterrows():
        ax.barh(y, r["fu"], color=colours[int(r["extramedullary"])], height=0.6, alpha=0.55)
        if pd.notna(r["progression_date"]):
            t = (r["progression_date"] - r["bsab_start_date"]).days / DAYS_PER_MONTH
            ax.plot(t, y, marker="x", color="#D55E00", markersize=4, mew=1.2)
        if r["died"] == 1:
            ax.plot(r["fu"], y, marker="|", color="#000000", markersize=7, mew=1.5)
        else:
            ax.annotate(
                "",
                xy=(r["fu"] + 0.9, y),
                xytext=(r["fu"], y),
                arrowprops=dict(arrowstyle="->", color="#555555", lw=0.6),
            )
    for _, r in st.iterrows():
        marker, colour = _MARKERS[r["state"]]
        ax.plot(
            r["nominal_day"] / DAYS_PER_MONTH,
            y_of[r["patient_id"]],
            marker=marker,
            color=colour,
            markersize=3,
            linestyle="none",
        )
    ax.set_yticks([])
    ax.set_ylim(-1, len(d))
    ax.set_xlabel("Months from first bispecific dose")
    ax.set_ylabel(f"Patients (n = {len(d)})")
    legend = [
        plt.Rectangle((0, 0), 1, 1, color=colours[1], alpha=0.55),
        plt.Rectangle((0, 0), 1, 1, color=colours[0], alpha=0.55),
    ]
    names = ["EMD", "No EMD"]
    for s, (m, c) in _MARKERS.items():
        legend.append(plt.Line2D([], [], marker=m, color=c, linestyle="none", markersize=4))
        names.append(s)
    legend += [
        plt.Line2D([], [], marker="x", color="#D55E00", linestyle="none"),
        plt.Line2D([], [], marker="|", color="#000000", linestyle="none", markersize=7),
    ]
    names += ["progression", "death"]
    ax.legend(legend, names, loc="lower right", frameon=False, fontsize=6, ncol=2)
    return ax
