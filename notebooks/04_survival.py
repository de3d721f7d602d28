# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     notebook_metadata_filter: kernelspec,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 — Survival
#
# **Endpoints**, from the first bispecific dose, in months of 365.25/12 days:
# - *progression-free survival (PFS)*: IMWG progression or death from any cause, whichever first;
#   censored alive without progression at the last follow-up;
# - *overall survival (OS)*: death from any cause; censored alive at the last follow-up.
#
# **Conventions — those of R's `survival` package**, with which the paper was most likely analysed
# and against which every number here is tested (`tests/r/`, agreement to 1e-6): Kaplan–Meier with
# Greenwood variance; pointwise 95% CI on the log scale (`conf.type = "log"`, R's default — lifelines
# uses log-log only); the median by R's rule (midpoint of a flat at 0.5), its CI where the
# horizontal line at 0.5 meets the bands; "NR" when not reached; log-rank test (`survdiff`); Cox
# model with Efron ties, Wald CI; numbers at risk = patients still under observation at each tick.
# Follow-up: the median (min–max) of observed follow-up, as the paper reports it, and the median
# potential follow-up by reverse Kaplan–Meier (Schemper & Smith 1996).

# %% tags=["parameters"]
# patient table (CSV/XLSX); empty = the compendium's default cohort
data_path = ""
# where figures/ and results/ go; empty = the project root
output_dir = ""
# pointwise CI transform: "log" (R default), "log-log" (lifelines, SAS) or "plain"
conf_type = "log"

# %%
import pandas as pd

import analysis as an
from analysis.paper import reconcile
from analysis.render import SINGLE_COLUMN, export_table, km_plot, new_figure, save_figure, save_table
from analysis.stats import survival

ctx = an.notebook.setup(data_path, output_dir)
pfs = survival.endpoint_frame(ctx.adtte, ctx.adsl, "PFS")
os_ = survival.endpoint_frame(ctx.adtte, ctx.adsl, "OS")
EMD = ("extramedullary", {1: "EMD", 0: "No EMD"})
CYTO = ("any_cyto_abnormality", {1: "Cytogenetic abnormality", 0: "No abnormality (tested)"})

# %% [markdown]
# ## Follow-up
#
# Observed follow-up (first dose to last contact or death, every patient) and reverse
# Kaplan–Meier median potential follow-up with its 95% CI.

# %%
obs = survival.observed_followup(os_["time"])
rev = survival.reverse_km_followup(os_["time"], os_["event"], conf_type)
followup = pd.DataFrame({"measure": ["observed follow-up, median (min–max)", "reverse Kaplan–Meier median (95% CI)"],
                         "months": [f"{obs[0]:.1f} ({obs[1]:.1f}–{obs[2]:.1f})",
                                    f"{rev[0]:.1f} ({rev[1]:.1f}–{'NR' if pd.isna(rev[2]) else f'{rev[2]:.1f}'})"]})
save_table(followup, "followup", ctx.out)
followup

# %% [markdown]
# ## Results
#
# Every endpoint × grouping: patients, events, median with 95% CI, 6- and 12-month survival with
# 95% CI, log-rank p and hazard ratio (EMD vs no EMD; abnormality vs none) with 95% CI. The
# cytogenetic grouping is "any abnormality", the one matching the paper's group sizes; untested
# patients are in neither group. `results/survival_summary.*`; unrounded values in
# `results/survival_summary_values.csv`.

# %%
summary = pd.concat([survival.endpoint_summary(ctx.adtte.merge(ctx.adsl, on="patient_id"), ep, by, labels,
                                               conf_type=conf_type)
                     for ep in ("PFS", "OS") for by, labels in ((None, None), EMD, CYTO)], ignore_index=True)
save_table(summary, "survival_summary_values", ctx.out)
summary_view = survival.display_summary(summary)
_ = export_table(summary_view, "survival_summary", ctx.out, caption="Progression-free and overall survival.",
                 note=ctx.label)
summary_view

# %% [markdown]
# ## Fig. 1C–1F
#
# PFS and OS overall (with the 95% band) and by extramedullary disease (log-rank p and HR on the
# plot), censor marks as ticks, medians as dotted lines, numbers at risk under the x-axis
# (`km_plot.plot_km` → `figures/fig1c_pfs.*`, `fig1d_pfs_by_emd.*`, `fig1e_os.*`,
# `fig1f_os_by_emd.*`); each panel's numbers at risk, cumulative events and censored per tick in
# `results/<panel>_at_risk.csv`.

# %%
panels = [("fig1c_pfs", pfs, None, None, "Progression-free survival"),
          ("fig1d_pfs_by_emd", pfs, *EMD, "Progression-free survival"),
          ("fig1e_os", os_, None, None, "Overall survival"),
          ("fig1f_os_by_emd", os_, *EMD, "Overall survival"),
          ("pfs_by_cytogenetics", pfs, *CYTO, "Progression-free survival"),
          ("os_by_cytogenetics", os_, *CYTO, "Overall survival")]
for name, frame, by, labels, ylabel in panels:
    data = frame if by is None else frame[frame[by].notna()]
    fig, (ax, risk_ax) = km_plot.km_axes(SINGLE_COLUMN, 3.3)
    km_plot.plot_km(data, by, labels, ax=ax, risk_ax=risk_ax, conf_type=conf_type, ylabel=ylabel)
    _ = save_figure(fig, name, ctx.out, note=ctx.note)
    save_table(survival.risk_tables(data, by, labels), f"{name}_at_risk", ctx.out)

# %% [markdown]
# ## Causes of death
#
# Deaths by cause, and the cumulative incidence of each cause over time (Aalen–Johansen, deaths
# from other causes competing; `figures/death_causes.*`).

# %%
causes = os_.loc[os_["event"] == 1, "death_cause"].astype(str).value_counts().rename_axis("cause").reset_index(name="deaths")
cif = survival.cumulative_incidence(os_["time"], os_["death_cause"].astype(object), ["progression", "infection", "other"])
incidence = survival.incidence_at(cif, [6, 12, 24]).round(3)
save_table(causes, "death_causes", ctx.out)
save_table(incidence, "death_cumulative_incidence", ctx.out)
fig, ax = new_figure()
km_plot.plot_cumulative_incidence(cif, ax=ax)
_ = save_figure(fig, "death_causes", ctx.out, note=ctx.note)
causes

# %%
incidence

# %% [markdown]
# ## Published vs reproduced
#
# The paper's survival claims recomputed with these conventions: medians within 0.3 months, CI
# bounds within 1 month, p-values printing the same, follow-up within 0.5 months, death counts
# exact (`analysis.paper.reconcile`).

# %%
reconcile.published_vs_reproduced(ctx.cohort.patients, ["survival"])

# %% [markdown]
# ## Recap
#
# PFS and OS were estimated overall, by EMD and by cytogenetics with R's conventions, drawn as
# Fig. 1C–1F (and the cytogenetic panels) with numbers at risk, summarised with medians, landmark
# survival, log-rank tests and hazard ratios, completed by follow-up and causes of death, and
# compared with the paper.
