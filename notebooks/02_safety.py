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
# # 02 — Safety
#
# Did chemotherapy just before the bispecific make it harder to tolerate? This notebook reports
# cytokine release syndrome (CRS) and immune effector cell-associated neurotoxicity syndrome
# (ICANS), graded by the ASTCT 2019 consensus (Lee et al., BBMT 2019;25:625), their treatment
# (tocilizumab, corticosteroids, anakinra), infections and cytopenias graded by CTCAE v5.0, and
# anti-infective prophylaxis.
#
# Every rate comes with its denominator and an exact (Clopper–Pearson) 95% confidence interval.
# Denominators are the patients with data for that item; a patient without recorded safety data
# is left out rather than counted as event-free. Nested rates (a CRS grade among patients with
# CRS, documented among grade ≥ 3 infections) are over their parent.

# %% tags=["parameters"]
data_path: str = ""  # patient table (CSV/XLSX), a folder of them or a list of files to pool; empty: the default (synthetic) cohort
output_dir: str = ""  # folder that receives figures/ and results/; empty: the project root

# %%
import analysis as an
from analysis.render import SINGLE_COLUMN, export_table, new_figure, save_figure, save_table
from analysis.study import safety, versus_published

ctx = an.notebook.setup(data_path, output_dir)

# %% [markdown]
# ## Rates with exact confidence intervals
#
# `analysis.study.safety.safety_rates` (exported as `results/safety_rates.*`; the raw numbers with
# unrounded bounds in `results/safety_rates_values.csv`).

# %%
rates = safety.safety_rates(ctx.adsl)
view = safety.display_rates(rates)
_ = export_table(view, "safety_rates", ctx.out, caption="Safety: rates with exact 95% confidence intervals.",
                 note=ctx.label)
save_table(rates, "safety_rates_values", ctx.out)
view

# %% [markdown]
# ## Worst grade per patient
#
# Patients by their worst CRS, ICANS and infection grade (percent of patients with data; counts
# printed in the bars; `figures/safety_grades.*`).

# %%
grades = safety.grade_distribution(ctx.adsl)
_ = export_table(grades, "safety_grades", ctx.out, note=ctx.label, formats=("csv", "md"))
fig, ax = new_figure(SINGLE_COLUMN, 2.4)
safety.plot_grade_distribution(grades, ax=ax)
_ = save_figure(fig, "safety_grades", ctx.out, note=ctx.note)

# %% [markdown]
# ## Published vs reproduced — or this cohort vs the published study
#
# The paper's safety claims (Table 1 and text), from the claims registry, recomputed from this
# dataset — counts exact, over the denominators the audit found (e.g. infections and cytopenias
# over the patients with safety data; the anti-pneumocystis row, whose printed percentage no
# denominator reaches, kept at its printed count; see `data/published/README.md`). On a centre's own data (not a reconstruction of the paper) the
# section becomes a comparison instead, one row per quantity in words (population, unit): the
# paper's printed text, the numbers compared and the audit's flag where they disagree, this
# cohort's value, the difference with its 95% CI, an unadjusted p and the Holm-adjusted p within
# the safety family, whose size is printed beside it (`analysis.paper.compare`).

# %%
versus_published.section(ctx.cohort, ["safety"])

# %% [markdown]
# ## Recap
#
# CRS, ICANS, their management, grade ≥ 3 infections (with the share documented), grade ≥ 3
# cytopenias and prophylaxis were tabulated with exact 95% CIs and compared with the paper; the
# grade distributions are in `figures/safety_grades.*`.
