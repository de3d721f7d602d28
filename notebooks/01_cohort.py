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
# # 01 — The cohort and Table 1
#
# Chalopin et al., *Blood Cancer Journal* 2025;15:174: patients with relapsed or refractory
# multiple myeloma and extramedullary disease and/or a high tumour burden who received
# conventional chemotherapy ("debulking") shortly before an anti-BCMA × CD3 bispecific antibody
# (teclistamab or elranatamab), in 14 French IFM centres.
#
# This notebook loads the patient table, validates it against the data dictionary
# (`data/README.md`), describes the study population and rebuilds the paper's Table 1 (its
# baseline and treatment part; the safety rows are detailed in `02_safety`). It runs unchanged on
# any valid table: `python -m analysis run --data FILE` or `papermill … -p data_path FILE`.

# %% tags=["parameters"]
data_path: str = ""  # patient table (CSV/XLSX), a folder of them or a list of files to pool; empty: the default (synthetic) cohort
output_dir: str = ""  # folder that receives figures/ and results/; empty: the project root

# %% [markdown]
# ## Data
#
# `setup` reads the file as text, checks every column and cross-field rule (and stops with the
# full list of problems if there is any: nothing is dropped or coerced silently), derives the
# analysis tables — one row per patient (ADSL), per patient × endpoint (ADTTE, months of
# 365.25/12 days from the first bispecific dose) and per patient × timepoint (ADRS) — and prints
# the data statement that every figure and table of this notebook carries.

# %%
import analysis as an
from analysis.render import DOUBLE_COLUMN, export_table, new_figure, save_figure, save_table
from analysis.study import centres, overview, regimens, table1, versus_published

ctx = an.notebook.setup(data_path, output_dir)

# %% [markdown]
# ## Study population
#
# Size, centres, accrual period (first bispecific doses), data cut-off (latest follow-up date) and
# a few key characteristics. Observed follow-up runs from the first bispecific dose to the last
# contact or death, for every patient.

# %%
summary = overview.cohort_overview(ctx.adsl)
save_table(summary, "cohort_overview", ctx.out)
summary

# %% [markdown]
# ### By centre
#
# A pooled multi-centre cohort is only as comparable as its centres: each centre's patients,
# accrual period (first to last bispecific start), observed follow-up, extramedullary disease and
# high-risk cytogenetics (the methods' definition, over the patients tested; "not estimable" where
# nobody was), then all centres (`centres.per_centre` → `results/centres.csv`). With several files
# (`--data A --data B`) each centre's file is named.

# %%
by_centre = centres.per_centre(ctx.adsl)
save_table(by_centre, "centres", ctx.out)
centres.display(by_centre)

# %% [markdown]
# Inclusions over time (`overview.plot_accrual` → `figures/cohort_accrual.*`).

# %%
fig, ax = new_figure()
overview.plot_accrual(ctx.adsl, ax=ax)
_ = save_figure(fig, "cohort_accrual", ctx.out, note=ctx.note)

# %% [markdown]
# ## Table 1
#
# Rows in the paper's order (`analysis.study.table1.ROWS`): n (%) — over the patients with a known value,
# shown as n/N (%) when some are missing — and median (min–max). Percentages are rounded half up,
# to one decimal below 10%. Exported as CSV, Markdown, HTML, LaTeX and XLSX
# (`results/table1.*`).

# %%
t1 = table1.table1(ctx.adsl)
t1_view = table1.display(t1, n=ctx.n)
_ = export_table(t1_view, "table1", ctx.out, caption="Table 1. Patient/treatment characteristics and safety outcomes.",
                 note=ctx.label)
t1_view

# %% [markdown]
# ### Missing data
#
# What is missing, per column, and what an empty cell means there (from the data dictionary).
# Response columns are "missing" by design after progression, death or the end of follow-up;
# `03_response` accounts for each case.

# %%
missing = table1.missing_data(ctx.cohort.patients)
_ = export_table(missing, "missing_data", ctx.out, caption="Missing values per column.", note=ctx.label,
                 formats=("csv", "md"))
missing

# %% [markdown]
# ## Extramedullary localisations
#
# Patients per localisation among those with extramedullary disease (a patient can have several;
# `figures/emd_localisations.*`).

# %%
loc = overview.emd_localisations(ctx.adsl)
fig, ax = new_figure()
overview.plot_emd_localisations(loc, ax=ax)
_ = save_figure(fig, "emd_localisations", ctx.out, note=ctx.note)

# %% [markdown]
# ## Debulking regimens
#
# Which agents were given together: the most frequent exact combinations above a matrix of the
# agents (UpSet layout; `figures/regimen_combinations.*`, all combinations in
# `results/regimen_combinations.csv`).

# %%
combos = regimens.regimen_combinations(ctx.adsl)
save_table(combos, "regimen_combinations", ctx.out)
fig, axes = new_figure(DOUBLE_COLUMN, 3.0, nrows=2, sharex=True, gridspec_kw={"height_ratios": [1.2, 1]})
regimens.plot_regimen_upset(combos, axes=axes)
_ = save_figure(fig, "regimen_combinations", ctx.out, note=ctx.note)

# %% [markdown]
# ## Delay from debulking to the bispecific
#
# Days from the first debulking cycle to the first bispecific dose, by number of cycles (median
# as a bar; dashed line: one month, the inclusion window for the last cycle;
# `figures/debulking_delay.*`).

# %%
fig, ax = new_figure()
overview.plot_delay(ctx.adsl, ax=ax)
_ = save_figure(fig, "debulking_delay", ctx.out, note=ctx.note)

# %% [markdown]
# ## Published vs reproduced — or this cohort vs the published study
#
# The paper's cohort, baseline, cytogenetic, extramedullary, debulking and agent claims, from the
# claims registry (`data/published/claims.yaml`). On the compendium's synthetic cohort (a
# reconstruction of the paper) each is recomputed and checked against its printed value by
# `analysis.paper.reconcile` — exact for counts, medians and ranges (the registry's resolution where
# the paper contradicts itself; see `data/published/README.md`). On any other data the same
# section becomes a comparison (`analysis.paper.compare`), one row per quantity in words with its
# population and unit: the paper's printed text, the numbers compared and the audit's flag where
# they disagree, this cohort's value, the difference with its 95% CI (Newcombe) and Fisher's p for
# proportions, the cohort's median with its distribution-free CI for continuous variables (no test:
# the paper prints no CI) — a descriptive comparison of two observational cohorts, with unadjusted
# p and Holm-adjusted p within the baseline family (its size beside it; the same p in every table,
# `analysis.paper.multiplicity`). "—": not computable from the data dictionary.

# %%
versus_published.section(ctx.cohort, ["cohort", "baseline", "cytogenetics", "emd", "debulking", "bispecific"])

# %% [markdown]
# ### Every claim at once, and the key rates at a glance
#
# On a centre's data, every comparable claim of the paper (all five notebooks' sections) in one
# table, `results/cohort_vs_published.*` (unrounded values in `_values.csv`); on the synthetic
# cohort the checks above stand instead. The forest plot shows the key rates — ORR at C1, C3, C6,
# ≥VGPR at C1, CRS, grade ≥3 infection, ICANS, EMD and HRCA at baseline — for this cohort and the
# published study side by side, with exact (Clopper–Pearson) 95% CIs
# (`figures/rates_vs_published.*`).

# %%
_ = versus_published.export_comparison(ctx.cohort, ctx.out, note=ctx.label)

# %%
fig, ax, rates = versus_published.rates_figure(ctx.cohort.patients)
save_table(rates, "rates_vs_published", ctx.out)
_ = save_figure(fig, "rates_vs_published", ctx.out, note=ctx.note)

# %% [markdown]
# ## Recap
#
# The table was valid; the study population (overall and by centre), Table 1 (`results/table1.*`),
# the missing-data view and three figures (localisations, regimen combinations, delay) were
# produced, every cohort-level claim of the paper was compared with this dataset, and the key rates
# were set beside the published ones.
