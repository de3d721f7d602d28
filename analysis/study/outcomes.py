"""The survival analyses ``04_survival`` narrates: follow-up, PFS and OS summaries, Fig. 1C–1F, causes of death.

Built on :mod:`analysis.stats.survival` (R's conventions: log CI, midpoint median
rule, ``survdiff``, ``coxph`` with Efron ties) applied to the study's tables
(ADTTE: one row per patient × endpoint, times in months from the first
bispecific dose; ADSL: one row per patient). Groupings are the paper's:
extramedullary disease (EMD) and any cytogenetic abnormality among tested
patients (untested patients are left out of that comparison, as in the paper's
Fig. S-panels). Everything printed goes through :mod:`analysis.render.numbers`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..render import km_plot
from ..render import numbers as fmt
from ..render.figures import SINGLE_COLUMN, NotDrawn
from ..stats import survival

#: (column, labels) of each comparison: EMD, and any abnormality among tested patients.
EMD = ("extramedullary", {1: "EMD", 0: "No EMD"})
CYTO = ("any_cyto_abnormality", {1: "Cytogenetic abnormality", 0: "No abnormality (tested)"})
GROUPINGS = (None, EMD, CYTO)
ENDPOINT_LABELS = {"PFS": "Progression-free survival", "OS": "Overall survival"}
#: Causes of death in the data dictionary's codes, in the order they are stacked.
DEATH_CAUSES = ("progression", "infection", "other")


@dataclass(frozen=True)
class Panel:
    """One Kaplan–Meier figure: an endpoint, overall or by a grouping."""

    name: str
    endpoint: str
    grouping: tuple | None = None

    @property
    def by(self):
        return self.grouping[0] if self.grouping else None

    @property
    def labels(self):
        return self.grouping[1] if self.grouping else None


#: The paper's Fig. 1C–1F and the two cytogenetic panels, by figure file name.
PANELS = {
    p.name: p
    for p in (
        Panel("fig1c_pfs", "PFS"),
        Panel("fig1d_pfs_by_emd", "PFS", EMD),
        Panel("fig1e_os", "OS"),
        Panel("fig1f_os_by_emd", "OS", EMD),
        Panel("pfs_by_cytogenetics", "PFS", CYTO),
        Panel("os_by_cytogenetics", "OS", CYTO),
    )
}


def endpoint_frame(adtte: pd.DataFrame, adsl: pd.DataFrame, endpoint: str) -> pd.DataFrame:
    """One endpoint's rows with ``time`` (months) and ``event``, and every subject-level column."""
    d = adtte[adtte["endpoint"] == endpoint].merge(adsl, on="patient_id", how="left", suffixes=("", "_adsl"))
    return d.assign(time=d["time_months"]).reset_index(drop=True)


def endpoint_summary(
    frame: pd.DataFrame,
    endpoint: str,
    by: str | None = None,
    labels: dict | None = None,
    landmarks=(6.0, 12.0),
    conf_type: str = "log",
) -> pd.DataFrame:
    """:func:`analysis.stats.survival.group_summary` of one endpoint's :func:`endpoint_frame`.

    Adds ``endpoint`` and ``grouping`` (the ``by`` column, or ``"all"``) in front.
    Patients with ``by`` missing are left out (e.g. untested for cytogenetics).
    """
    out = survival.group_summary(frame, by, labels, landmarks, conf_type)
    out.insert(0, "grouping", by or "all")
    out.insert(0, "endpoint", endpoint)
    return out


def survival_summary(adtte: pd.DataFrame, adsl: pd.DataFrame, conf_type: str = "log") -> pd.DataFrame:
    """PFS and OS, overall, by EMD and by cytogenetic abnormality: one row per group (unrounded)."""
    parts = []
    for endpoint in ENDPOINT_LABELS:
        frame = endpoint_frame(adtte, adsl, endpoint)
        for grouping in GROUPINGS:
            by, labels = grouping or (None, None)
            parts.append(endpoint_summary(frame, endpoint, by, labels, conf_type=conf_type))
    return pd.concat(parts, ignore_index=True)


def display_summary(summary: pd.DataFrame, landmarks=(6, 12)) -> pd.DataFrame:
    """The results table as printed: median (95% CI), landmark % (CI), log-rank p and HR (CI).

    The HR names its reference group on the compared group's row ("2.10 (0.98–4.49) vs No EMD"),
    and the reference group's row says "reference": the HR is one number, relative to one group, and
    printed on both rows it would read as a property of each. ``NR``: not reached; ``—``: not
    estimable (its reason is in :func:`summary_notes`).
    """
    out = pd.DataFrame(
        {
            "Endpoint": summary["endpoint"],
            "Group": summary["group"],
            "n (events)": [f"{n} ({e})" for n, e in zip(summary["n"], summary["events"])],
            "Median, months (95% CI)": [
                fmt.estimate_ci(m, lo, hi)
                for m, lo, hi in zip(summary["median"], summary["median_lower"], summary["median_upper"])
            ],
        }
    )
    for t in landmarks:
        s, lo, hi = (summary[f"surv_{t:g}m{x}"] for x in ("", "_lower", "_upper"))
        out[f"{t}-month, % (95% CI)"] = [
            fmt.estimate_ci(100 * a, 100 * b, 100 * c, 0, missing=fmt.MISSING) for a, b, c in zip(s, lo, hi)
        ]
    grouped = summary["grouping"] != "all"
    out["Log-rank p"] = [fmt.p_value(p) if g else "" for p, g in zip(summary["logrank_p"], grouped)]
    out["HR (95% CI)"] = [_hr_text(r) if g else "" for (_, r), g in zip(summary.iterrows(), grouped)]
    return out


def _hr_text(r) -> str:
    """One row's HR cell: "h (lo–hi) vs <reference>", "reference" on the reference's own row, "—" if none."""
    if pd.isna(r["hr"]):
        return fmt.MISSING
    if r["group"] == r["hr_reference"]:
        return "reference"
    return f"{fmt.estimate_ci(r['hr'], r['hr_lower'], r['hr_upper'], 2, missing=fmt.MISSING)} vs {r['hr_reference']}"


def summary_notes(summary: pd.DataFrame, label: str = "") -> str:
    """Footnote of the results table: ``label`` (the data statement), NR, and each comparison that
    could not be made, with why."""
    notes = ([label] if label else []) + ["NR: not reached."]
    seen = set()
    for _, r in summary.iterrows():
        key = (r["endpoint"], r["grouping"], r["test_note"])
        if r["test_note"] and key not in seen:
            seen.add(key)
            notes.append(f"{r['endpoint']} by {r['grouping']}: {r['test_note']}.")
    return " ".join(notes)


def followup(os_frame: pd.DataFrame, conf_type: str = "log") -> pd.DataFrame:
    """Observed follow-up, median (min–max), and the reverse Kaplan–Meier median (95% CI), in months.

    Observed: first bispecific dose to last contact or death, for every patient (the
    paper's "12 months (range 1–31)"); reverse KM: potential follow-up, deaths censored
    (:func:`analysis.stats.survival.reverse_km_followup`).
    """
    if os_frame.empty:
        observed, reverse = fmt.MISSING, fmt.MISSING
    else:
        observed = fmt.median_range(os_frame["time"], decimals=1)
        reverse = fmt.estimate_ci(*survival.reverse_km_followup(os_frame["time"], os_frame["event"], conf_type))
    return pd.DataFrame(
        {
            "measure": ["observed follow-up, median (min–max)", "reverse Kaplan–Meier median (95% CI)"],
            "months": [observed, reverse],
        }
    )


def panel_frame(pfs: pd.DataFrame, os_frame: pd.DataFrame, panel: Panel) -> pd.DataFrame:
    """The rows a panel draws: its endpoint, without the patients whose grouping is missing."""
    frame = pfs if panel.endpoint == "PFS" else os_frame
    return frame if panel.by is None else frame[frame[panel.by].notna()]


def km_panel(pfs: pd.DataFrame, os_frame: pd.DataFrame, name: str, conf_type: str = "log"):
    """(figure, numbers-at-risk table) of the Kaplan–Meier panel ``name`` of :data:`PANELS`.

    A panel with no patient at all (e.g. nobody tested for cytogenetics) is :class:`NotDrawn`, with why;
    a grouped panel with one group only is drawn and says the comparison is not estimable.
    """
    panel = PANELS[name]
    frame = panel_frame(pfs, os_frame, panel)
    if frame.empty:
        what = f"no patient has {panel.by} recorded" if panel.by else "no patient"
        return NotDrawn(f"{what}: nothing to compare"), survival.risk_tables(frame, panel.by, panel.labels)
    fig, (ax, risk_ax) = km_plot.km_axes(SINGLE_COLUMN, 3.3)
    km_plot.plot_km(
        frame,
        panel.by,
        panel.labels,
        ax=ax,
        risk_ax=risk_ax,
        conf_type=conf_type,
        ylabel=ENDPOINT_LABELS[panel.endpoint],
    )
    return fig, survival.risk_tables(frame, panel.by, panel.labels)


def death_causes(os_frame: pd.DataFrame, at=(6, 12, 24)) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(deaths per cause, cause-specific cumulative incidence curve, incidence at ``at`` months rounded to 3).

    Aalen–Johansen with the three causes of the data dictionary competing
    (:func:`analysis.stats.survival.cumulative_incidence`).
    """
    dead = os_frame.loc[os_frame["event"] == 1, "death_cause"].astype(str)
    counts = dead.value_counts().rename_axis("cause").reset_index(name="deaths")
    cif = survival.cumulative_incidence(os_frame["time"], os_frame["death_cause"].astype(object), DEATH_CAUSES)
    return counts, cif, survival.incidence_at(cif, list(at)).round(3)


def centre_stratified(
    pfs: pd.DataFrame, os_frame: pd.DataFrame, grouping=EMD, strata: str = "center_id"
) -> pd.DataFrame:
    """The EMD comparison of PFS and OS, pooled and stratified by centre (unrounded).

    Stratified: each centre has its own risk sets — R ``survdiff(Surv(t, e) ~ x + strata(center_id))``
    and ``coxph(Surv(t, e) ~ x + strata(center_id))`` (:func:`analysis.stats.logrank.survdiff`,
    :func:`analysis.stats.cox.coxph`, equal to R on a frozen reference). A pooled multi-centre
    cohort compares patients within centres this way, so that a centre with more EMD and a
    different follow-up practice does not drive the HR. With one centre both analyses coincide.
    One row per endpoint × analysis; ``note`` says why a number is not estimable.
    """
    by, _ = grouping
    rows = []
    for endpoint, frame in (("PFS", pfs), ("OS", os_frame)):
        f = frame[frame[by].notna()]
        for analysis, s in (("pooled", None), (f"stratified by {strata}", f[strata].astype(str))):
            values = f[by].nunique()
            if values != 2:
                rows.append(
                    {
                        "endpoint": endpoint,
                        "analysis": analysis,
                        "centres": int(f[strata].nunique()),
                        "logrank_p": np.nan,
                        "hr": np.nan,
                        "hr_lower": np.nan,
                        "hr_upper": np.nan,
                        "note": f"no comparison: {values} group(s) of {by} with data",
                    }
                )
                continue
            lr = survival.logrank(f["time"], f["event"], f[by], strata=s)
            hr = survival.cox(f["time"], f["event"], f[by], strata=s, ph=False)
            rows.append(
                {
                    "endpoint": endpoint,
                    "analysis": analysis,
                    "centres": int(f[strata].nunique()),
                    "logrank_p": lr.p,
                    "hr": hr.hr,
                    "hr_lower": hr.lower,
                    "hr_upper": hr.upper,
                    "note": hr.reason or ("" if not np.isnan(lr.p) else "log-rank not estimable: no events"),
                }
            )
    return pd.DataFrame(rows)


def display_stratified(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`centre_stratified` as printed: log-rank p and HR (95% CI), "—" with the note when not estimable."""
    return pd.DataFrame(
        {
            "Endpoint": table["endpoint"],
            "Analysis": table["analysis"],
            "Centres": table["centres"],
            "Log-rank p": [fmt.p_value(p) for p in table["logrank_p"]],
            "HR, EMD vs no EMD (95% CI)": [
                fmt.estimate_ci(h, a, b, 2, missing=fmt.MISSING)
                for h, a, b in zip(table["hr"], table["hr_lower"], table["hr_upper"])
            ],
            "Note": table["note"],
        }
    )
