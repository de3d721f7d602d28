"""The cohort centre by centre: who was included where, when, followed how long, with what disease.

The per-centre table of ``01_cohort`` (issue #16): a pooled multi-centre cohort is only as
comparable as its centres, so each centre's size, accrual period, follow-up and the two subgroups
the survival analyses compare (extramedullary disease, high-risk cytogenetics) are shown side by
side. Conventions as in :mod:`analysis.study.overview`: observed follow-up is
``last_followup_date − bsab_start_date`` in months of 30.4375 days, median (min–max); EMD is
``extramedullary == 1`` over all the centre's patients; HRCA is ``hrca`` (the methods' del(17p),
t(4;14) or t(14;16)) over the patients *tested* (``hrca`` known), so a centre without testing shows
0 tested and no percentage ("not estimable: none tested", never 0%). ``hrca="any_cyto_abnormality"`` gives the
paper's reported grouping instead. R equivalent: ``dplyr::group_by(center_id) |> summarise(...)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.derive import DAYS_PER_MONTH
from ..render import numbers as fmt

COLUMNS = [
    "center_id",
    "patients",
    "first_bsab_start",
    "last_bsab_start",
    "followup_months_median",
    "followup_months_min",
    "followup_months_max",
    "emd_n",
    "emd_percent",
    "hrca_n",
    "hrca_tested",
    "hrca_percent",
    "source_files",
]
TOTAL = "All centres"


def _row(label: str, g: pd.DataFrame, hrca: str) -> dict:
    fu = g["followup_days"].astype("float64") / DAYS_PER_MONTH
    emd = int((g["extramedullary"] == 1).sum())
    known = g[hrca].notna()
    hrca_n = int((g.loc[known, hrca] == 1).sum())
    tested = int(known.sum())
    files = ", ".join(dict.fromkeys(g["source_file"].astype(str))) if "source_file" in g else ""
    return {
        "center_id": label,
        "patients": len(g),
        "first_bsab_start": g["bsab_start_date"].min(),
        "last_bsab_start": g["bsab_start_date"].max(),
        "followup_months_median": float(fu.median()),
        "followup_months_min": float(fu.min()),
        "followup_months_max": float(fu.max()),
        "emd_n": emd,
        "emd_percent": 100 * emd / len(g),
        "hrca_n": hrca_n,
        "hrca_tested": tested,
        "hrca_percent": 100 * hrca_n / tested if tested else np.nan,
        "source_files": files,
    }


def per_centre(adsl: pd.DataFrame, hrca: str = "hrca", total: bool = True) -> pd.DataFrame:
    """One row per centre (``center_id`` in sorted order), then an "All centres" row.

    Parameters
    ----------
    adsl : DataFrame
        :func:`analysis.data.derive.subject_level` of the cohort (pooled or not); when it has the
        ``source_file`` column of a pooled load, ``source_files`` names each centre's file(s).
    hrca : str, optional (default="hrca")
        The 0/1 column of high-risk cytogenetics: ``"hrca"`` (methods) or ``"any_cyto_abnormality"``.
    total : bool, optional (default=True)
        Append the row over all centres.

    Returns
    -------
    DataFrame with :data:`COLUMNS`: counts, accrual dates (first and last bispecific start),
    follow-up in months (median, min, max), EMD n and % of patients, HRCA n, patients tested and %
    of those tested (NaN when none was tested). An empty table gives no centre row.
    """
    rows = [_row(str(centre), g, hrca) for centre, g in adsl.groupby("center_id", sort=True, observed=True)]
    if total and len(adsl):
        rows.append(_row(TOTAL, adsl, hrca))
    return pd.DataFrame(rows, columns=COLUMNS)


def display(table: pd.DataFrame) -> pd.DataFrame:
    """The per-centre table as printed: accrual "first – last", follow-up "median (min–max)", n (%)."""
    out = pd.DataFrame(
        {
            "Centre": table["center_id"],
            "Patients": table["patients"].astype(int),
            "Accrual (first – last bispecific start)": [
                f"{a:%Y-%m-%d} – {b:%Y-%m-%d}" for a, b in zip(table["first_bsab_start"], table["last_bsab_start"])
            ],
            "Follow-up, months, median (min–max)": [
                fmt.estimate_ci(m, lo, hi, missing=fmt.MISSING)
                for m, lo, hi in zip(
                    table["followup_months_median"], table["followup_months_min"], table["followup_months_max"]
                )
            ],
            "EMD, n (%)": [fmt.count_percent(k, n, decimals=0) for k, n in zip(table["emd_n"], table["patients"])],
            "HRCA, n (% of tested)": [
                "not estimable: none tested" if not n else f"{k} ({fmt.percent(k, n, 0)}% of {n})"
                for k, n in zip(table["hrca_n"], table["hrca_tested"])
            ],
        }
    )
    if table["source_files"].astype(str).str.len().gt(0).any() and table["source_files"].nunique() > 1:
        out["File(s)"] = table["source_files"]
    return out


__all__ = ["COLUMNS", "TOTAL", "display", "per_centre"]
