"""Safety profile: CRS, ICANS, their treatment, infections, cytopenias, prophylaxis.

:func:`safety_rates` returns one row per event with its count, its denominator
and an exact 95% confidence interval; :func:`grade_distribution` the patients
by worst grade for CRS, ICANS and infection; :func:`plot_grade_distribution`
draws the latter as stacked bars.

Method choices:

* **Denominator** — the patients with a known value of that item (a patient
  without recorded safety data is excluded, never counted as "no event");
  nested items (CRS grade among patients with CRS, documented among grade ≥ 3
  infections) are over their parent. Each row says which.
* **Confidence interval** — Clopper–Pearson exact interval
  (:func:`analysis.stats.proportions.clopper_pearson`), the convention of pivotal
  trials for response and toxicity rates; conservative (coverage ≥ 95%).
  Equivalent: R ``binom.test(k, n)$conf.int``.
* **Grades** — CRS and ICANS by ASTCT 2019 (0 = none, 1–4); infections by
  CTCAE v5.0 (0–5, 5 = fatal).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..data import query
from ..render import numbers as fmt
from ..render.figures import PALETTE
from ..stats.proportions import clopper_pearson


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    numerator: str
    denominator: str | None  # None: every patient
    denominator_label: str


_KNOWN_INF = "infection_max_grade.notna()"
ITEMS: tuple[Item, ...] = (
    Item("crs", "CRS, any grade", "crs_grade >= 1", None, "all patients"),
    *(
        Item(f"crs_{g}", f"CRS grade {g}", f"crs_grade == {g}", "crs_grade >= 1", "patients with CRS")
        for g in (1, 2, 3, 4)
    ),
    Item("crs_ge2", "CRS grade ≥ 2", "crs_grade >= 2", None, "all patients"),
    Item("icans", "ICANS, any grade", "icans_grade >= 1", None, "all patients"),
    *(
        Item(f"icans_{g}", f"ICANS grade {g}", f"icans_grade == {g}", "icans_grade >= 1", "patients with ICANS")
        for g in (1, 2, 3, 4)
    ),
    Item("tocilizumab", "Tocilizumab", "tocilizumab == 1", None, "all patients"),
    Item("corticosteroids", "Corticosteroids (dexamethasone)", "corticosteroids == 1", None, "all patients"),
    Item("anakinra", "Anakinra", "anakinra == 1", None, "all patients"),
    Item(
        "infection_ge3", "Infection grade ≥ 3", "infection_max_grade >= 3", _KNOWN_INF, "patients with infection data"
    ),
    Item(
        "infection_3",
        "Infection grade 3",
        "infection_max_grade == 3",
        "infection_max_grade >= 3",
        "patients with grade ≥ 3 infection",
    ),
    Item(
        "infection_5",
        "Infection grade 5 (fatal)",
        "infection_max_grade == 5",
        _KNOWN_INF,
        "patients with infection data",
    ),
    Item(
        "infection_documented",
        "Grade ≥ 3 infection documented",
        "infection_documented == 1",
        "infection_max_grade >= 3",
        "patients with grade ≥ 3 infection",
    ),
    Item(
        "cytopenia",
        "Cytopenia grade ≥ 3",
        "cytopenia_grade3plus == 1",
        "cytopenia_grade3plus.notna()",
        "patients with cytopenia data",
    ),
    Item(
        "ig",
        "Immunoglobulin supplementation",
        "ig_supplementation == 1",
        "ig_supplementation.notna()",
        "patients with data",
    ),
    Item(
        "pjp", "Anti-pneumocystis prophylaxis", "pjp_prophylaxis == 1", "pjp_prophylaxis.notna()", "patients with data"
    ),
    Item(
        "antibacterial",
        "Antibacterial prophylaxis",
        "antibacterial_prophylaxis == 1",
        "antibacterial_prophylaxis.notna()",
        "patients with data",
    ),
    Item(
        "antiviral",
        "Antiviral prophylaxis",
        "antiviral_prophylaxis == 1",
        "antiviral_prophylaxis.notna()",
        "patients with data",
    ),
)
COLUMNS = ["key", "event", "n", "denominator", "of", "percent", "ci_lower", "ci_upper"]


def safety_rates(adsl: pd.DataFrame, items: tuple[Item, ...] = ITEMS, level: float = 0.95) -> pd.DataFrame:
    """One row per safety item: n, denominator (and what it is), %, exact CI bounds in %."""
    rows = []
    for it in items:
        base = query.rows(adsl, it.denominator)
        k, n = query.count(base, it.numerator), len(base)
        lo, hi = clopper_pearson(k, n, level)
        rows.append([it.key, it.label, k, n, it.denominator_label, 100 * k / n if n else np.nan, 100 * lo, 100 * hi])
    return pd.DataFrame(rows, columns=COLUMNS)


def display_rates(rates: pd.DataFrame) -> pd.DataFrame:
    """Rendered view: 'n/N (x%)' and '95% CI a–b%' (one decimal)."""
    return pd.DataFrame(
        {
            "Event": rates["event"],
            "n/N (%)": [
                fmt.count_percent(k, n, denominator=True, decimals=1) for k, n in zip(rates["n"], rates["denominator"])
            ],
            "95% CI (exact)": [
                f"{fmt.interval(lo, hi, 1)}%" if n else fmt.MISSING
                for lo, hi, n in zip(rates["ci_lower"], rates["ci_upper"], rates["denominator"])
            ],
            "Denominator": rates["of"],
        }
    )


GRADES = {
    "CRS": ("crs_grade", range(5)),
    "ICANS": ("icans_grade", range(5)),
    "Infection": ("infection_max_grade", range(6)),
}


def grade_distribution(adsl: pd.DataFrame) -> pd.DataFrame:
    """Patients by worst grade: columns toxicity, grade, n, known (patients with a grade), percent."""
    rows = []
    for tox, (col, grades) in GRADES.items():
        v = adsl[col].dropna().astype(int)
        for g in grades:
            k = int((v == g).sum())
            rows.append([tox, g, k, len(v), 100 * k / len(v) if len(v) else np.nan])
    return pd.DataFrame(rows, columns=["toxicity", "grade", "n", "known", "percent"])


#: Grade colours: none in grey, then the palette from mild to severe.
GRADE_COLOURS = ("#DDDDDD", PALETTE[1], PALETTE[0], PALETTE[5], PALETTE[6], "#000000")


def plot_grade_distribution(dist: pd.DataFrame, ax=None):
    """Horizontal stacked bars of the worst grade per toxicity (percent of patients with data).

    ax : matplotlib Axes, optional (default=None)
        Pre-existing axes for the plot; otherwise ``plt.gca()``. Returns the axes.
    """
    ax = ax or plt.gca()
    toxicities = list(dict.fromkeys(dist["toxicity"]))
    for y, tox in enumerate(toxicities):
        sub = dist[dist["toxicity"] == tox].sort_values("grade")
        left = 0.0
        for _, r in sub.iterrows():
            if r["n"] == 0:
                continue
            ax.barh(
                y,
                r["percent"],
                left=left,
                color=GRADE_COLOURS[int(r["grade"])],
                edgecolor="white",
                linewidth=0.5,
                label=f"Grade {int(r['grade'])}" if int(r["grade"]) else "None",
            )
            if r["percent"] >= 6:
                ax.text(
                    left + r["percent"] / 2,
                    y,
                    str(int(r["n"])),
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="white" if int(r["grade"]) >= 3 else "black",
                )
            left += r["percent"]
    ax.set_yticks(range(len(toxicities)))
    ax.set_yticklabels([f"{t}\n(n = {int(dist.loc[dist['toxicity'] == t, 'known'].iloc[0])})" for t in toxicities])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Patients (%) by worst grade")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    order = sorted(unique, key=lambda s: -1 if s == "None" else int(s.split()[-1]))
    ax.legend(
        [unique[k] for k in order],
        order,
        ncol=3,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        frameon=False,
        fontsize=6,
        handlelength=1.2,
        columnspacing=1.0,
    )
    return ax
