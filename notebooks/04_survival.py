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
data_path: str = ""  # patient table (CSV/XLSX), a folder of them or a list of files to pool; empty: the default (synthetic) cohort
output_dir: str = ""  # folder that receives figures/ and results/; empty: the project root
conf_type: str = "log"  # pointwise CI transform: "log" (R default), "log-log" (lifelines, SAS) or "plain"

# %%
import analysis as an
from analysis.render import export_table, km_plot, new_figure, save_figure, save_table
from analysis.study import outcomes, versus_published

ctx = an.notebook.setup(data_path, output_dir)
pfs = outcomes.endpoint_frame(ctx.adtte, ctx.adsl, "PFS")
os_ = outcomes.endpoint_frame(ctx.adtte, ctx.adsl, "OS")

# %% [markdown]
# ## Follow-up
#
# Observed follow-up (first dose to last contact or death, every patient) and reverse
# Kaplan–Meier median potential follow-up with its 95% CI (`outcomes.followup`).

# %%
followup = outcomes.followup(os_, conf_type)
save_table(followup, "followup", ctx.out)
followup

# %% [markdown]
# ## Results
#
# Every endpoint × grouping: patients, events, median with 95% CI, 6- and 12-month survival with
# 95% CI, log-rank p and hazard ratio (EMD vs no EMD; abnormality vs none) with 95% CI. The
# cytogenetic grouping is "any abnormality", the one matching the paper's group sizes; untested
# patients are in neither group. A comparison that cannot be made (one group, no events, a group
# without events) prints "—" with the reason in the table's note. `results/survival_summary.*`;
# unrounded values in `results/survival_summary_values.csv`.

# %%
summary = outcomes.survival_summary(ctx.adtte, ctx.adsl, conf_type)
save_table(summary, "survival_summary_values", ctx.out)
summary_view = outcomes.display_summary(summary)
_ = export_table(summary_view, "survival_summary", ctx.out, caption="Progression-free and overall survival.",
                 note=outcomes.summary_notes(summary, ctx.label))
summary_view

# %% [markdown]
# ## Fig. 1C–1F
#
# Kaplan–Meier curves drawn in the manner of survminer (`km_plot.plot_km`): censor marks as
# ticks, medians as dotted lines, numbers at risk under the x-axis; overall curves with their 95%
# band, grouped curves with the log-rank p and HR on the plot. Each panel's numbers at risk,
# cumulative events and censored per tick are in `results/<panel>_at_risk.csv`.
#
# ### Fig. 1C — progression-free survival (`figures/fig1c_pfs.*`)

# %%
fig, at_risk = outcomes.km_panel(pfs, os_, "fig1c_pfs", conf_type)
save_table(at_risk, "fig1c_pfs_at_risk", ctx.out)
_ = save_figure(fig, "fig1c_pfs", ctx.out, note=ctx.note)

# %% [markdown]
# ### Fig. 1D — progression-free survival by extramedullary disease (`figures/fig1d_pfs_by_emd.*`)

# %%
fig, at_risk = outcomes.km_panel(pfs, os_, "fig1d_pfs_by_emd", conf_type)
save_table(at_risk, "fig1d_pfs_by_emd_at_risk", ctx.out)
_ = save_figure(fig, "fig1d_pfs_by_emd", ctx.out, note=ctx.note)

# %% [markdown]
# ### Fig. 1E — overall survival (`figures/fig1e_os.*`)

# %%
fig, at_risk = outcomes.km_panel(pfs, os_, "fig1e_os", conf_type)
save_table(at_risk, "fig1e_os_at_risk", ctx.out)
_ = save_figure(fig, "fig1e_os", ctx.out, note=ctx.note)

# %% [markdown]
# ### Fig. 1F — overall survival by extramedullary disease (`figures/fig1f_os_by_emd.*`)

# %%
fig, at_risk = outcomes.km_panel(pfs, os_, "fig1f_os_by_emd", conf_type)
save_table(at_risk, "fig1f_os_by_emd_at_risk", ctx.out)
_ = save_figure(fig, "fig1f_os_by_emd", ctx.out, note=ctx.note)

# %% [markdown]
# ### By cytogenetic abnormality (tested patients; `figures/pfs_by_cytogenetics.*`, `os_by_cytogenetics.*`)
#
# The paper reports these comparisons in its text; the curves are drawn here the same way.

# %%
fig, at_risk = outcomes.km_panel(pfs, os_, "pfs_by_cytogenetics", conf_type)
save_table(at_risk, "pfs_by_cytogenetics_at_risk", ctx.out)
_ = save_figure(fig, "pfs_by_cytogenetics", ctx.out, note=ctx.note)

# %%
fig, at_risk = outcomes.km_panel(pfs, os_, "os_by_cytogenetics", conf_type)
save_table(at_risk, "os_by_cytogenetics_at_risk", ctx.out)
_ = save_figure(fig, "os_by_cytogenetics", ctx.out, note=ctx.note)

# %% [markdown]
# ## Causes of death
#
# Deaths by cause, and the cumulative incidence of each cause over time (Aalen–Johansen, deaths
# from other causes competing; `outcomes.death_causes` → `figures/death_causes.*`).

# %%
causes, cif, incidence = outcomes.death_causes(os_)
save_table(causes, "death_causes", ctx.out)
save_table(incidence, "death_cumulative_incidence", ctx.out)
fig, ax = new_figure()
km_plot.plot_cumulative_incidence(cif, ax=ax)
_ = save_figure(fig, "death_causes", ctx.out, note=ctx.note)
causes

# %%
incidence

# %% [markdown]
# ## Within centres
#
# The EMD comparison again, stratified by centre (R `survdiff(… + strata(center_id))` and
# `coxph(… + strata(center_id))`): each centre keeps its own risk sets, so that centres with more
# extramedullary disease or another follow-up practice do not drive the hazard ratio
# (`outcomes.centre_stratified` → `results/centre_stratified.csv`).

# %%
stratified = outcomes.centre_stratified(pfs, os_)
save_table(stratified, "centre_stratified", ctx.out)
outcomes.display_stratified(stratified)

# %% [markdown]
# ## Against the published curves
#
# The published cohort exists here only as its reconstructions: the committed calibrated cohort
# (drawn as the published curve) and the calibrated ensemble (`data/synthetic/ensemble/`, its spread
# drawn as the band). This cohort's Kaplan–Meier curves over them, overall and by EMD, with the
# numbers at risk of both, and the log-rank test of this cohort against each reconstruction,
# reported as its range (`versus_published.km_vs_published` → `figures/km_vs_published_{pfs,os}.*`,
# `results/km_vs_published_{pfs,os}.csv`). On the synthetic cohort this shows the reconstruction
# inside its own band.

# %%
published = versus_published.reconstructions()
fig, logrank = versus_published.km_vs_published(pfs, "PFS", published, outcomes.EMD)
save_table(logrank, "km_vs_published_pfs", ctx.out)
_ = save_figure(fig, "km_vs_published_pfs", ctx.out, note=versus_published.reconstruction_note(ctx.note, fig))

# %%
fig, logrank = versus_published.km_vs_published(os_, "OS", published, outcomes.EMD)
save_table(logrank, "km_vs_published_os", ctx.out)
_ = save_figure(fig, "km_vs_published_os", ctx.out, note=versus_published.reconstruction_note(ctx.note, fig))

# %% [markdown]
# ## Published vs reproduced — or this cohort vs the published study
#
# The paper's survival claims recomputed with these conventions: medians within 0.3 months, CI
# bounds within 1 month, p-values printing the same, follow-up within 0.5 months, death counts
# exact (`analysis.paper.reconcile`). On a centre's own data (not a reconstruction of the paper) the
# section becomes a comparison instead, one row per quantity in words (population, unit): the
# paper's printed text, the numbers compared and the audit's flag where they disagree, this
# cohort's value, the difference with its 95% CI, an unadjusted p and the Holm-adjusted p within
# the survival family, whose size is printed beside it (`analysis.paper.compare`). Median survivals are compared by an
# approximate test from the two CIs (Altman & Bland 2011), labelled so.

# %%
versus_published.section(ctx.cohort, ["survival"])

# %% [markdown]
# ## Recap
#
# PFS and OS were estimated overall, by EMD and by cytogenetics with R's conventions, drawn as
# Fig. 1C–1F (and the cytogenetic panels) with numbers at risk, summarised with medians, landmark
# survival, log-rank tests and hazard ratios, completed by follow-up and causes of death, and
# compared with the paper.
