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
# # 03 — Response
#
# The paper's central claim is that debulking deepens early responses to the bispecific. This
# notebook follows every patient through the response assessments — after debulking, at the end
# of bispecific cycles 1, 3, 6 and 12, and best response — using the IMWG 2016 categories
# (Kumar et al., Lancet Oncol 2016;17:e328). ORR is PR or better; ≥ CR includes sCR.
#
# At every timepoint each patient is in exactly one state: a response category, or the reason
# there is none — progressed before, died before, follow-up ended before (not yet reached at the
# data cut-off, or lost), or not assessed. Rates are given over the evaluable patients (as the
# paper reports C1–C12) and over all patients (as it reports best response), with exact
# (Clopper–Pearson) 95% CIs.

# %% tags=["parameters"]
data_path: str = ""  # patient table (CSV/XLSX), a folder of them or a list of files to pool; empty: the default (synthetic) cohort
output_dir: str = ""  # folder that receives figures/ and results/; empty: the project root
patient_level_figures: str = "auto"  # swimmer plot: "auto" (synthetic data only), "yes" or "no"

# %%
import analysis as an
from analysis.render import DOUBLE_COLUMN, export_table, new_figure, rounded, save_figure, save_table, save_tables
from analysis.study import response, versus_published

ctx = an.notebook.setup(data_path, output_dir)

# %% [markdown]
# ## Who was evaluable when
#
# Patients per state and timepoint (`response.state_counts`; each row sums to the cohort size).

# %%
counts = response.state_counts(ctx.adrs)
save_table(counts.reset_index(), "response_states", ctx.out)
counts

# %% [markdown]
# ## Response rates
#
# ORR, ≥ VGPR and ≥ CR per timepoint: k/N (%; exact 95% CI), over evaluable and over all patients
# (`results/response_rates.*`; unrounded values in `results/response_rates_values.csv`).

# %%
rates = response.response_rates(ctx.adrs)
save_table(rates, "response_rates_values", ctx.out)
rates_view = response.display_rates(rates).reset_index()
_ = export_table(rates_view, "response_rates", ctx.out, caption="Response per timepoint.", note=ctx.label)
rates_view

# %% [markdown]
# ## Fig. 1A — response across timepoints
#
# Evaluable patients by category at each timepoint (best response over all patients), with ORR
# and n above each bar (`response.plot_response_bars` → `figures/fig1a_response_by_timepoint.*`).

# %%
fig, ax = new_figure(DOUBLE_COLUMN * 0.75, 2.8)
response.plot_response_bars(counts, ax=ax)
_ = save_figure(fig, "fig1a_response_by_timepoint", ctx.out, note=ctx.note)

# %% [markdown]
# ## Fig. 1B — conversion of response
#
# How patients moved between states from debulking to C12 (`response.plot_alluvial` →
# `figures/fig1b_response_conversion.*`), and the conversion matrices behind it
# (`results/conversion_*.csv`).

# %%
fig, ax = new_figure(DOUBLE_COLUMN, 3.2)
response.plot_alluvial(ctx.adrs, ax=ax)
_ = save_figure(fig, "fig1b_response_conversion", ctx.out, note=ctx.note)

# %%
matrices = response.conversion_matrices(ctx.adrs)
_ = save_tables(matrices, ctx.out)
matrices["conversion_debulking_to_best"]

# %% [markdown]
# ## Response to the bispecific by response to debulking
#
# Best-response ORR by debulking response (the paper: all patients in CR or VGPR after debulking
# responded; half of those progressing on debulking did).

# %%
by_debulking = response.response_by_debulking(ctx.adsl)
save_table(by_debulking, "response_by_debulking", ctx.out)
rounded(by_debulking, 1)

# %% [markdown]
# ## Subgroups
#
# ORR per timepoint with extramedullary disease or not, and with a cytogenetic abnormality or not
# (the grouping that matches the paper's subgroup sizes; see `data/published/README.md`; untested
# patients are in neither). Small subgroups: read the CIs.

# %%
subgroup_table = response.subgroups(ctx.adrs, ctx.adsl)
save_table(subgroup_table, "response_subgroups", ctx.out)
rounded(subgroup_table, 1)

# %% [markdown]
# ## PET-CT
#
# PET-CT performed after C1, C3 and C6, and complete metabolic responses among them.

# %%
pet = response.pet_counts(ctx.adsl)
save_table(pet, "pet_counts", ctx.out)
pet

# %% [markdown]
# ## Swimmer plot
#
# One bar per patient from the first bispecific dose to last contact, with responses at each
# assessment, progression, death and ongoing follow-up (`figures/swimmer.*`). It shows
# individual patients, so on real data it is drawn only when `patient_level_figures = "yes"`.

# %%
fig = response.swimmer_figure(ctx.adsl, ctx.adrs, an.notebook.allow_patient_level(ctx, patient_level_figures))
_ = save_figure(fig, "swimmer", ctx.out, note=ctx.note)

# %% [markdown]
# ## Published vs reproduced — or this cohort vs the published study
#
# The paper's response claims, from the claims registry, recomputed from this dataset (the C6 ORR,
# whose printed percentage no count reaches, is compared at the nearest count; the cytogenetic
# subgroup fractions are followed over their printed percentages; see `data/published/README.md`). On a centre's own data (not a reconstruction of the paper) the
# section becomes a comparison instead, one row per quantity in words (population, unit): the
# paper's printed text, the numbers compared and the audit's flag where they disagree, this
# cohort's value, the difference with its 95% CI, an unadjusted p and the Holm-adjusted p within
# the response family, whose size is printed beside it (`analysis.paper.compare`).

# %%
versus_published.section(ctx.cohort, ["response"])

# %% [markdown]
# ## Recap
#
# Response was tabulated at every timepoint with all patients accounted for, drawn as Fig. 1A
# (categories) and Fig. 1B (conversion), broken down by debulking response, EMD and cytogenetics,
# with PET-CT counts and a swimmer plot, and compared with the paper's claims.
