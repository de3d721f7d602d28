"""How robust are the conclusions: other definitions, other methods, other plausible data.

* :func:`definitions` — high-risk groupings: (a) the paper's methods, del(17p),
  t(4;14) or t(14;16); (b) any abnormality of Table 1 (matches the reported
  group sizes); (c) IMS/IMWG 2025 (Avet-Loiseau et al., JCO 2025;43:2739) as far
  as the data allow: del(17p); t(4;14) or t(14;16) with 1q gain/amplification
  or del(1p32); del(1p32) with 1q gain/amplification — TP53 mutation, clonal
  fraction, biallelic del(1p32) and β2-microglobulin are not recorded; and the
  high-tumour-burden components. 1 if met, 0 if tested/known and not met,
  missing otherwise.
* :func:`by_definition` — PFS/OS median, HR (Cox, Efron) and log-rank p, and
  best-response ORR, per definition; :func:`plot_forest` draws the HRs.
* :func:`method_choices` — the same data under other reasonable choices: CI
  transform (log vs log-log), median rule (R vs lifelines), median CI
  (Brookmeyer–Crowley from the bands vs bootstrap percentile), ORR denominator
  (evaluable vs all), time origin (bispecific vs debulking start).
* :func:`landmark` — PFS from the C1 assessment (day 28) by C1 response, among
  patients progression-free, alive and followed at day 28: comparing
  responders with non-responders from time 0 would credit responders with the
  time they had to survive to respond (guarantee-time bias; Anderson et al.,
  J Clin Oncol 1983;1:710).
* :func:`ensemble` — quantities the paper does not report, over many
  calibrated synthetic cohorts (different seeds): what the published summary
  can and cannot pin down.
* :func:`external_context` — this cohort beside the trials the paper quotes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.derive import CYCLE_DAYS, DAYS_PER_MONTH
from ..paper import claims as claims_mod
from ..render import numbers as fmt
from ..stats import km, resampling, survival
from . import outcomes

DEFINITIONS = {
    "hrca_methods": "HRCA, methods: del(17p), t(4;14), t(14;16)",
    "any_cyto_abnormality": "Any cytogenetic abnormality (paper's groups)",
    "hrca_ims2025": "High risk, IMS/IMWG 2025 (approximate)",
    "extramedullary": "Extramedullary disease",
    "paramedullary": "Paramedullary disease",
    "htb_bm_pc": "Marrow plasma cells > 60%",
    "htb_m_protein": "M-protein > 30 g/L",
    "htb_flc": "Involved FLC > 5000 mg/L",
}


def definitions(adsl: pd.DataFrame) -> pd.DataFrame:
    """ADSL with ``hrca_methods`` and ``hrca_ims2025`` added (see the module docstring)."""
    d = adsl.copy()
    d["hrca_methods"] = d["hrca"]
    one = lambda c: (d[c] == 1).fillna(False)  # noqa: E731
    q1 = one("gain_1q21") | one("amp_1q21")
    met = one("del17p") | ((one("t_4_14") | one("t_14_16")) & (q1 | one("del_1p32"))) | (one("del_1p32") & q1)
    tested = d["cyto_tested"] == 1
    d["hrca_ims2025"] = pd.array(np.where(met, 1, np.where(tested, 0, -1)), dtype="Int8")
    d.loc[d["hrca_ims2025"] == -1, "hrca_ims2025"] = pd.NA
    return d


def by_definition(adsl: pd.DataFrame, adtte: pd.DataFrame, adrs: pd.DataFrame) -> pd.DataFrame:
    """Per definition × endpoint: group sizes, medians (R), HR (1 vs 0) with CI, log-rank p, best ORR."""
    d = definitions(adsl)
    best = adrs[adrs["timepoint"] == "best"].set_index("patient_id")["orr"].fillna(0)
    rows = []
    for col, label in DEFINITIONS.items():
        for ep in ("PFS", "OS"):
            f = outcomes.endpoint_frame(adtte, d, ep)
            f = f[f[col].notna()]
            g = f[col].astype(int).to_numpy()
            med1 = km.median_ci(f["time"][g == 1], f["event"][g == 1])[0] if (g == 1).any() else np.nan
            med0 = km.median_ci(f["time"][g == 0], f["event"][g == 0])[0] if (g == 0).any() else np.nan
            two = len(set(g)) == 2
            hr = survival.cox(f["time"], f["event"], g) if two else None
            p = survival.logrank(f["time"], f["event"], g).p if two else np.nan
            ids1, ids0 = f.loc[g == 1, "patient_id"], f.loc[g == 0, "patient_id"]
            rows.append(
                {
                    "definition": label,
                    "column": col,
                    "endpoint": ep,
                    "n_with": int((g == 1).sum()),
                    "n_without": int((g == 0).sum()),
                    "median_with": med1,
                    "median_without": med0,
                    "hr": hr.hr if two else np.nan,
                    "hr_lower": hr.lower if two else np.nan,
                    "hr_upper": hr.upper if two else np.nan,
                    "logrank_p": p,
                    "orr_with": float(best.reindex(ids1).mean()) if len(ids1) else np.nan,
                    "orr_without": float(best.reindex(ids0).mean()) if len(ids0) else np.nan,
                }
            )
    return pd.DataFrame(rows)


#: The columns of :func:`by_definition` a reader needs (the full table is exported).
DEFINITION_VIEW = [
    "definition",
    "endpoint",
    "n_with",
    "n_without",
    "median_with",
    "median_without",
    "hr",
    "hr_lower",
    "hr_upper",
    "logrank_p",
    "orr_with",
    "orr_without",
]
LANDMARK_VIEW = [
    "group",
    "n",
    "events",
    "median",
    "median_lower",
    "median_upper",
    "logrank_p",
    "hr",
    "hr_lower",
    "hr_upper",
    "hr_reference",
    "excluded",
]


def plot_forests(table: pd.DataFrame, axes, endpoints=("PFS", "OS")):
    """:func:`plot_forest` of each endpoint on its own axes (one panel per endpoint). Returns the axes."""
    for ax, endpoint in zip(axes, endpoints):
        plot_forest(table, endpoint, ax=ax)
    return axes


def plot_forest(table: pd.DataFrame, endpoint: str, ax=None):
    """Hazard ratios (log scale) with 95% CI per definition for one endpoint. Returns the axes.

    Each HR is of the patients with the feature against those without it, the reference, as the
    axis says; the counts beside it are "n = with/without".
    """
    import matplotlib.pyplot as plt

    ax = ax or plt.gca()
    t = table[table["endpoint"] == endpoint].reset_index(drop=True)
    y = np.arange(len(t))[::-1]
    ok = t["hr"].notna().to_numpy()
    ax.errorbar(
        t.loc[ok, "hr"],
        y[ok],
        xerr=[t.loc[ok, "hr"] - t.loc[ok, "hr_lower"], t.loc[ok, "hr_upper"] - t.loc[ok, "hr"]],
        fmt="s",
        color="#0072B2",
        ecolor="#0072B2",
        markersize=4,
        capsize=2,
        linewidth=1,
    )
    for yi, (_, r) in zip(y, t.iterrows()):
        text = fmt.estimate_ci(r["hr"], r["hr_lower"], r["hr_upper"], 2, missing="not estimable")
        ax.text(
            1.02,
            yi,
            f"{text}  n = {r['n_with']}/{r['n_without']}",
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=6,
        )
    ax.axvline(1, color="#777777", linewidth=0.7, linestyle="--")
    ax.set_xscale("log")
    ax.set_xlim(0.03, 30)
    ax.set_xticks([0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20])
    ax.set_xticklabels(["0.05", "0.1", "0.25", "0.5", "1", "2", "4", "10", "20"])
    ax.minorticks_off()
    ax.set_yticks(y)
    ax.set_yticklabels(t["definition"], fontsize=6)
    ax.set_xlabel(f"Hazard ratio for {endpoint}, with vs without (reference), 95% CI; n = with/without")
    return ax


def method_choices(
    adsl: pd.DataFrame, adtte: pd.DataFrame, adrs: pd.DataFrame, replicates: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """One row per (quantity, choice): the estimate under that choice, as text."""

    def months(m, lo=None, hi=None):
        return fmt.months(m) if lo is None else fmt.estimate_ci(m, lo, hi)

    rows = []
    for ep in ("PFS", "OS"):
        f = outcomes.endpoint_frame(adtte, adsl, ep)
        t, e = f["time"].to_numpy(), f["event"].to_numpy()
        for ct in ("log", "log-log"):
            rows.append(
                [f"{ep} median (95% CI)", f"R rule, {ct} CI (Brookmeyer–Crowley)", months(*km.median_ci(t, e, ct))]
            )
        design = resampling.Design(t, e)
        life = resampling.medians(design, design.observed, rule="lifelines")[0]
        rows.append([f"{ep} median (95% CI)", "lifelines rule (first S ≤ 0.5)", months(life)])
        boot = resampling.bootstrap(t, e, replicates=replicates, seed=seed)
        lo, hi = resampling.percentile_ci(boot)
        rows.append(
            [
                f"{ep} median (95% CI)",
                f"bootstrap percentile CI ({replicates} resamples)",
                months(km.median_ci(t, e)[0], lo, hi),
            ]
        )
        shifted = t + f["delay_days"].to_numpy() / DAYS_PER_MONTH
        rows.append([f"{ep} median (95% CI)", "time origin: start of debulking", months(*km.median_ci(shifted, e))])
    for tp in ("C1", "best"):
        sub = adrs[adrs["timepoint"] == tp]
        k, n_eval, n_all = int((sub["orr"] == 1).sum()), int(sub["evaluable"].sum()), len(sub)
        rows.append([f"ORR at {tp}", "over evaluable patients", fmt.count_percent(k, n_eval, True, 0)])
        rows.append([f"ORR at {tp}", "over all patients", fmt.count_percent(k, n_all, True, 0)])
    return pd.DataFrame(rows, columns=["quantity", "choice", "estimate"])


def landmark(adsl: pd.DataFrame, adtte: pd.DataFrame, adrs: pd.DataFrame, day: int = CYCLE_DAYS) -> pd.DataFrame:
    """PFS from ``day`` by response at C1, among patients progression-free, alive and followed at ``day``."""
    f = outcomes.endpoint_frame(adtte, adsl, "PFS")
    c1 = adrs[adrs["timepoint"] == "C1"].set_index("patient_id")["orr"]
    f = f[f["time_days"] > day].copy()
    f["responder"] = c1.reindex(f["patient_id"]).to_numpy()
    f = f[f["responder"].notna()]
    f["time"] = (f["time_days"] - day) / DAYS_PER_MONTH
    f["responder"] = f["responder"].astype(int)
    out = outcomes.endpoint_summary(f, "PFS", by="responder", labels={1: "C1 responder (≥PR)", 0: "C1 non-responder"})
    return out.assign(landmark_day=day, excluded=len(adsl) - len(f))


def member_statistics(adsl: pd.DataFrame, adtte: pd.DataFrame, adrs: pd.DataFrame) -> dict:
    """The sweep's statistics of one reconstruction (a member of the calibrated ensemble)."""
    out = {}
    for ep in ("PFS", "OS"):
        f = outcomes.endpoint_frame(adtte, adsl, ep)
        hr = survival.cox(f["time"], f["event"], f["extramedullary"], ph=False)
        out[f"{ep} HR EMD"] = hr.hr
        out[f"{ep} log-rank p EMD"] = survival.logrank(f["time"], f["event"], f["extramedullary"]).p
        out[f"{ep} 12-month"] = float(survival.survival_at(f["time"], f["event"], [12.0])["surv"].iloc[0])
        out[f"{ep} median"] = km.median_ci(f["time"], f["event"])[0]
    best = adrs[adrs["timepoint"] == "best"]
    out["best ORR"] = float(best["orr"].fillna(0).astype(float).mean())
    return out


def ensemble(folder: str = "", limit: int | None = None) -> pd.DataFrame:
    """:func:`member_statistics` of every reconstruction of the calibrated ensemble, one row per member
    in seed order, with its seed and calibration loss; no rows for ``limit = 0``.

    The reconstructions are calibrated beforehand (``python -m analysis synthesize --ensemble N``, on
    Dask); here they are read, validated and derived in one pass
    (:func:`analysis.paper.synthetic.ensemble.load`). ``folder`` empty: the committed ensemble (a
    relative folder is taken from the project root).
    """
    from .. import paths
    from ..data.derive import response, subject_level, time_to_event
    from ..paper.synthetic import ensemble as reconstruction

    folder = paths.resolve(folder, paths.ENSEMBLE)
    patients = reconstruction.load(folder, limit)
    if patients.empty:
        return pd.DataFrame()
    losses = {m["seed"]: m["calibration_loss"] for m in reconstruction.manifest(folder)["members"]}
    adsl, adtte, adrs = subject_level(patients), time_to_event(patients), response(patients)
    member_of = dict(zip(adsl["patient_id"], adsl[reconstruction.MEMBER]))
    tte, rs = adtte.groupby(adtte["patient_id"].map(member_of)), adrs.groupby(adrs["patient_id"].map(member_of))
    rows = []
    for seed, a in adsl.groupby(reconstruction.MEMBER, sort=True):
        rows.append(
            {
                "seed": int(seed),
                "calibration_loss": losses[seed],
                **member_statistics(a, tte.get_group(seed), rs.get_group(seed)),
            }
        )
    return pd.DataFrame(rows)


def describe_ensemble(table: pd.DataFrame) -> str:
    """One line: how many cohorts and their calibration losses, or that the sweep was skipped."""
    if table.empty:
        return "Sweep skipped (no reconstruction used: max_cohorts = 0, or no ensemble): no uncertainty ranges."
    loss = table["calibration_loss"]
    return f"{len(table)} cohorts, calibration loss {fmt.fixed(loss.min(), 1)}–{fmt.fixed(loss.max(), 1)}"


def spread(table: pd.DataFrame) -> pd.DataFrame:
    """Median and range of every statistic over the ensemble (no rows for an empty ensemble)."""
    if table.empty:
        return pd.DataFrame(columns=["quantity", "median", "min", "max"])
    stats = table.drop(columns=["seed", "calibration_loss"])
    return pd.DataFrame({"median": stats.median(), "min": stats.min(), "max": stats.max()}).reset_index(
        names="quantity"
    )


EXTERNAL = (  # (claim id, what, study)
    ("ext.majestec1_orr", "ORR", "MajesTEC-1 (teclistamab)"),
    ("ext.majestec1_pfs_median", "median PFS", "MajesTEC-1 (teclistamab)"),
    ("ext.magnetismm3_orr_iss12_emd", "ORR", "MagnetisMM-3, ISS I–II with EMD"),
    ("ext.magnetismm3_orr_iss3_hrca_or_emd", "ORR", "MagnetisMM-3, ISS III with HRCA or EMD"),
    ("ext.reallife_orr_emd", "ORR", "French real-world teclistamab, EMD"),
    ("ext.reallife_pfs_emd", "median PFS", "French real-world teclistamab, EMD"),
    ("ext.reallife_pfs_no_emd", "median PFS", "French real-world teclistamab, no EMD"),
    ("ext.disc_elranatamab_pfs_median", "median PFS", "MagnetisMM-3 (elranatamab)"),
)


def _percent_responding(best: pd.DataFrame) -> float:
    """Best ORR in % among these patients (an unassessed best response counts as no response); NaN for nobody."""
    return 100 * float(best["orr"].fillna(0).astype(float).mean()) if len(best) else float("nan")


def _median(frame: pd.DataFrame) -> float:
    return km.median_ci(frame["time"], frame["event"])[0] if len(frame) else float("nan")


def external_context(adsl: pd.DataFrame, adtte: pd.DataFrame, adrs: pd.DataFrame) -> pd.DataFrame:
    """This cohort's best ORR and median PFS (all, EMD) beside the external figures of the registry.

    ``note`` says why one of this cohort's values is missing (nobody with EMD, median not reached).
    """
    best = adrs[adrs["timepoint"] == "best"].merge(adsl[["patient_id", "extramedullary"]], on="patient_id")
    pfs = outcomes.endpoint_frame(adtte, adsl, "PFS")
    emd_best, emd_pfs = best[best["extramedullary"] == 1], pfs[pfs["extramedullary"] == 1]
    nobody = "not estimable: no patient with extramedullary disease"
    rows = [
        ("this cohort (all)", "ORR", _percent_responding(best), ""),
        ("this cohort (EMD)", "ORR", _percent_responding(emd_best), "" if len(emd_best) else nobody),
        ("this cohort (all)", "median PFS", _median(pfs), ""),
        ("this cohort (EMD)", "median PFS", _median(emd_pfs), "" if len(emd_pfs) else nobody),
    ]
    rows = [
        (s, m, v, note or ("median not reached" if m == "median PFS" and np.isnan(v) else "")) for s, m, v, note in rows
    ]
    for cid, what, study in EXTERNAL:
        rows.append((study, what, float(claims_mod.get(cid).value), ""))
    return pd.DataFrame(rows, columns=["source", "measure", "value", "note"])


def plot_external(table: pd.DataFrame, axes=None):
    """Two dot panels (ORR %, median PFS months): this cohort vs external studies. Returns the axes."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2)
    for ax, measure, unit in zip(axes, ("ORR", "median PFS"), ("%", "months")):
        t = table[table["measure"] == measure].reset_index(drop=True)
        y = np.arange(len(t))[::-1]
        own = t["source"].str.startswith("this cohort").to_numpy()
        ax.scatter(t["value"], y, c=np.where(own, "#D55E00", "#0072B2"), s=14, zorder=3)
        for yi, v, note in zip(y, t["value"], t["note"]):
            if np.isnan(v):  # say what is missing where the dot would be
                ax.text(
                    0.02,
                    yi,
                    note or "not estimable",
                    fontsize=5,
                    va="center",
                    transform=ax.get_yaxis_transform(),
                    color="#777777",
                )
            else:
                ax.text(v, yi + 0.25, fmt.fixed(v, 1), fontsize=5, ha="center")
        ax.set_yticks(y)
        ax.set_yticklabels(t["source"], fontsize=6)
        ax.set_xlabel(f"{measure} ({unit})")
        ax.set_title("not comparable populations", fontsize=6, loc="left", color="#777777")
    return axes
