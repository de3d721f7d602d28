"""Table 1 — patient and treatment characteristics and safety, in the paper's row order.

:data:`ROWS` lists the rows of the paper's Table 1 as data (label, nesting
level, statistic); :func:`table1` evaluates them on a subject-level table
(:func:`analysis.data.derive.subject_level`) and returns a tidy DataFrame;
:mod:`analysis.render.table_export` renders it. No row, label or number depends on
the cohort size.

Conventions (stated once, used for every row):

* **n (%)** — the percentage is over the patients with a known value of that
  row (its *denominator*); when some patients are missing, the cell shows
  ``n/N (%)`` so the denominator is visible (e.g. ISS stage). Nested rows under
  a count (CRS grades, ICANS grades, grade 3 among grade ≥ 3 infections) are
  percentages of their parent, as in the paper.
* **Percentages** are rounded half up to whole numbers, with one decimal below
  10 % (a common journal style; the paper itself mixes rules, see the audit).
* **median (min–max)** for continuous rows, over non-missing values.
* **Cytogenetic rows** are over all patients, untested ones counted as "not
  detected", as in the paper; :func:`missing_data` shows how many were untested.

The rows are exactly the paper's; the full safety profile (CRS grade 4,
anakinra, documented infections, CIs) is :mod:`analysis.study.safety`.

Equivalent in R: ``gtsummary::tbl_summary(statistic = list(all_continuous() ~
"{median} ({min}–{max})", all_categorical() ~ "{n} ({p}%)"), missing = "no")``
with the denominators made explicit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data import query
from ..render import numbers as fmt


@dataclass(frozen=True)
class Row:
    """One row of Table 1.

    ``numerator`` / ``denominator`` are ``DataFrame.query`` expressions on the
    subject-level table (``denominator=None``: every patient); ``of_parent``
    marks a denominator that is the parent row's count (CRS grades among CRS),
    as opposed to the patients with a known value; ``column`` makes a median
    (min–max) row; neither makes a section header.
    """

    key: str
    label: str
    level: int = 0
    numerator: str | None = None
    denominator: str | None = None
    of_parent: bool = False
    column: str | None = None
    unit: str = ""


def _n(key, label, numerator, denominator=None, level=0):
    """A count row; its percentage is over the patients with a known value (``denominator``)."""
    return Row(key, label, level, numerator=numerator, denominator=denominator)


def _sub(key, label, numerator, parent):
    """A nested count whose percentage is over its parent row's patients."""
    return Row(key, label, 1, numerator=numerator, denominator=parent, of_parent=True)


def _header(key, label, level=0):
    return Row(key, label, level)


_SITES = (
    ("emd_cerebral", "Cerebral"),
    ("emd_lung", "Lung"),
    ("emd_liver", "Liver"),
    ("emd_kidney", "Kidney"),
    ("emd_digestive", "Digestive"),
    ("emd_cutaneous", "Cutaneous"),
    ("emd_muscle", "Muscle"),
    ("emd_orl", "ORL"),
)
_CYTO = (
    ("del17p", "17p deletion"),
    ("gain_1q21", "1q21 gain"),
    ("t_4_14", "t(4;14)"),
    ("t_14_16", "t(14;16)"),
    ("del_1p32", "Del1p32"),
    ("amp_1q21", "1q21 amplification"),
)

#: The rows of the paper's Table 1, in its order.
ROWS: tuple[Row, ...] = (
    Row("age", "Median age, years (min–max)", column="age_years", unit="years"),
    _n("female", "Female", "sex == 'F'"),
    Row("prior_lines", "Median of prior lines (min–max)", column="prior_lines"),
    _n("tcr", "Triple class refractory", "triple_class_refractory == 1"),
    _n("iss3", "ISS score III", "iss_stage == 'III'", "iss_stage.notna()"),
    _n("cyto_any", "Cytogenetic abnormalities", "any_cyto_abnormality == 1"),
    *(_n(k, label, f"{k} == 1", level=1) for k, label in _CYTO),
    _n("emd", "Extramedullary disease", "extramedullary == 1"),
    _header("emd_sites", "Number of involved sites"),
    _n("sites_1", "1", "emd_site_count_cat == '1'", level=1),
    _n("sites_2", "2", "emd_site_count_cat == '2'", level=1),
    _n("sites_3", "≥3", "emd_site_count_cat == '≥3'", level=1),
    _header("emd_loc", "Type of localization"),
    *(_n(k, label, f"{k} == 1", level=1) for k, label in _SITES),
    _n("high_pc", "High plasma cell infiltration (> 60%)", "htb_bm_pc == 1", "htb_bm_pc.notna()"),
    _n("aki", "Acute kidney failure", "acute_kidney_injury == 1"),
    _n("hypercalcemia", "Hypercalcemia", "hypercalcemia == 1"),
    _header("cycles", "Number of cycles of chemotherapy"),
    _n("cycles_1", "1", "chemo_cycles_cat == '1'", level=1),
    _n("cycles_2", "2", "chemo_cycles_cat == '2'", level=1),
    _n("cycles_3", "≥3", "chemo_cycles_cat == '≥3'", level=1),
    _n("alkylating", "Alkylating agent", "alkylating == 1"),
    _n("cyclophosphamide", "Cyclophosphamide", "chemo_cyclophosphamide == 1", level=1),
    _n("bendamustine", "Bendamustine", "chemo_bendamustine == 1", level=1),
    _n("lomustine", "Belustine (lomustine)", "chemo_lomustine == 1", level=1),
    _n("anthracycline", "Anthracycline agent", "chemo_anthracycline == 1"),
    _n("etoposide", "Etoposide", "chemo_etoposide == 1"),
    _n("vincristine", "Vincristine", "chemo_vincristine == 1"),
    _n("cisplatin", "Cisplatin", "chemo_cisplatin == 1"),
    _n("chemo_other", "Other", "chemo_other == 1"),
    _header("bsab", "Anti-BCMA bispecific"),
    _n("teclistamab", "Teclistamab", "bsab_agent == 'teclistamab'", level=1),
    _n("elranatamab", "Elranatamab", "bsab_agent == 'elranatamab'", level=1),
    Row("delay", "Delay between chemotherapy and bispecific, median days (min–max)", column="delay_days", unit="days"),
    _n("crs", "CRS rate", "crs_grade >= 1"),
    _sub("crs_1", "Grade 1", "crs_grade == 1", "crs_grade >= 1"),
    _sub("crs_2", "Grade 2", "crs_grade == 2", "crs_grade >= 1"),
    _sub("crs_3", "Grade 3", "crs_grade == 3", "crs_grade >= 1"),
    _n("icans", "ICANS rate", "icans_grade >= 1"),
    _sub("icans_1", "Grade 1", "icans_grade == 1", "icans_grade >= 1"),
    _sub("icans_23", "Grade 2–3", "icans_grade in [2, 3]", "icans_grade >= 1"),
    _sub("icans_4", "Grade 4", "icans_grade == 4", "icans_grade >= 1"),
    _n("tocilizumab", "Tocilizumab use", "tocilizumab == 1"),
    _n("dexamethasone", "Dexamethasone use", "corticosteroids == 1"),
    _n("infection_ge3", "Grade ≥3 infection", "infection_max_grade >= 3", "infection_max_grade.notna()"),
    _sub("infection_3", "Grade 3", "infection_max_grade == 3", "infection_max_grade >= 3"),
    _n("ig", "Ig supplementation therapy", "ig_supplementation == 1", "ig_supplementation.notna()"),
    _n("pjp", "Antipneumocystosis agent", "pjp_prophylaxis == 1", "pjp_prophylaxis.notna()"),
    _n("antibacterial", "Antibioprophylaxis", "antibacterial_prophylaxis == 1", "antibacterial_prophylaxis.notna()"),
    _n("antiviral", "Antiviral agent", "antiviral_prophylaxis == 1", "antiviral_prophylaxis.notna()"),
    _n("cytopenia", "Grade ≥3 cytopenias", "cytopenia_grade3plus == 1", "cytopenia_grade3plus.notna()"),
)

COLUMNS = ["key", "label", "level", "n", "denominator", "missing", "percent", "median", "min", "max", "cell"]


def table1(adsl: pd.DataFrame, rows: tuple[Row, ...] = ROWS) -> pd.DataFrame:
    """Evaluate the rows on a subject-level table.

    Returns one row per :class:`Row` with ``n``, ``denominator``, ``missing``
    (patients outside the denominator because their value is unknown — not
    for nested rows, whose denominator is their parent), ``percent``,
    ``median``/``min``/``max`` and the rendered ``cell``.
    """
    n_all = len(adsl)
    out = []
    for r in rows:
        rec = dict.fromkeys(COLUMNS)
        rec.update(key=r.key, label=r.label, level=r.level)
        if r.column is not None:
            v = adsl[r.column].dropna().astype("float64")
            rec.update(denominator=len(v), missing=n_all - len(v))
            if len(v):
                rec.update(median=float(v.median()), min=float(v.min()), max=float(v.max()))
                rec["cell"] = fmt.median_range(v)
            else:
                rec["cell"] = "—"
        elif r.numerator is not None:
            base = query.rows(adsl, r.denominator)
            n = query.count(base, r.numerator)
            d = len(base)
            missing = 0 if (r.denominator is None or r.of_parent) else n_all - d
            pct = fmt.percent(n, d)
            rec.update(n=n, denominator=d, missing=missing, percent=None if d == 0 else 100 * n / d)
            rec["cell"] = f"{n}/{d} ({pct})" if missing else f"{n} ({pct})"
        else:
            rec["cell"] = ""
        out.append(rec)
    table = pd.DataFrame(out, columns=COLUMNS)
    for c in ("n", "denominator", "missing"):
        table[c] = table[c].astype("Int64")
    return table


def missing_data(patients: pd.DataFrame) -> pd.DataFrame:
    """Count of missing values per dictionary column (only columns with any), with what missing means."""
    from ..data.dictionary import BY_NAME

    counts = patients.isna().sum()
    counts = counts[counts > 0]
    return pd.DataFrame(
        {
            "column": counts.index,
            "missing": counts.to_numpy().astype(int),
            "of": len(patients),
            "meaning": [BY_NAME[c].empty_means if c in BY_NAME else "" for c in counts.index],
        }
    ).reset_index(drop=True)


def display(table: pd.DataFrame, title: str = "N = {n} patients", n: int | None = None) -> pd.DataFrame:
    """Two-column view (indented label, cell) as printed in the paper."""
    label = [("    " * int(lv)) + lab for lv, lab in zip(table["level"], table["label"])]
    header = title.format(n=n if n is not None else "")
    return pd.DataFrame({"Characteristic": label, header: table["cell"].fillna("")})


__all__ = ["ROWS", "Row", "display", "missing_data", "table1"]
