"""The audit's declarative check tables: which claims are compared with which.

Kept apart from the checking logic in :mod:`analysis.paper.audit` so that adding a
check is adding a row. Terms of a sum check: a claim id (its target count),
``"id:denominator"`` (its resolved denominator), a leading ``-`` to subtract,
or an integer.
"""
from __future__ import annotations

from ..data import derive


# ----------------------------------------------------------------------------- sums
def _subgroup_checks(tag: str, members: str, others: str, subgroup_size: str) -> list[dict]:
    """Complement counts of a response subgroup at each timepoint (overall − subgroup).

    ``members``/``others`` describe the patients in and out of the subgroup;
    ``subgroup_size`` is the claim giving its size (the others are the rest of the cohort).
    """
    rest = ["t1.n_patients", f"-{subgroup_size}"]
    checks = []
    for tp in ("c1", "c3", "c6", "c12"):
        cyc, overall, sub = tp.upper(), f"txt.orr_{tp}", f"txt.orr_{tp}_{tag}"
        checks += [
            dict(id=f"sum.{tp}_{tag}_evaluable", what=f"{cyc} evaluable {members} ≤ patients {members}",
                 left=[f"{sub}:denominator"], op="<=", right=[subgroup_size]),
            dict(id=f"sum.{tp}_{tag}_complement_evaluable",
                 what=f"{cyc} evaluable {others} (overall − subgroup) ≤ patients {others}",
                 left=[f"{overall}:denominator", f"-{sub}:denominator"], op="<=", right=rest,
                 implies=f"patients {others} evaluable at {cyc}", value="left"),
            dict(id=f"sum.{tp}_{tag}_complement_responders",
                 what=f"{cyc} responders {others} (overall − subgroup) ≤ their evaluable",
                 left=[overall, f"-{sub}"], op="<=", right=[f"{overall}:denominator", f"-{sub}:denominator"],
                 implies=f"responders {others} at {cyc}", value="left"),
        ]
    return checks


#: Declarative sum checks. Terms: a claim id (its target count), "id:denominator"
#: (its resolved denominator), a leading "-" to subtract, or an integer.
#: ``implies`` names the count the check derives; ``value`` is "left", "right",
#: "right-left" or "left-right". ``warn``: the check holds, but a gap between the
#: two sides ({gap} patients) is something the paper leaves unexplained — the row
#: becomes a WARN with this text as the reading the cohort follows.
SUM_CHECKS: list[dict] = [
    dict(id="sum.bispecific_agents", what="teclistamab + elranatamab = cohort",
         left=["t1.teclistamab", "t1.elranatamab"], op="==", right=["t1.n_patients"]),
    dict(id="sum.chemo_cycles", what="patients by number of debulking cycles = cohort",
         left=["t1.chemo_cycles_1", "t1.chemo_cycles_2", "t1.chemo_cycles_3plus"], op="==", right=["t1.n_patients"]),
    dict(id="sum.emd_sites", what="EMD patients by number of sites ≤ EMD patients",
         left=["t1.emd_sites_1", "t1.emd_sites_2", "t1.emd_sites_3plus"], op="<=", right=["t1.emd"],
         implies="EMD patients without a recorded number of sites", value="right-left",
         warn="Table 1's site-count rows (1, 2, ≥3) leave {gap} of the EMD patients in no category and do not say "
              "why; the synthetic cohort leaves emd_site_count empty for them (the data dictionary's 'number of sites not "
              "recorded'), so the three rows keep their printed counts over all patients."),
    dict(id="sum.alkylating_agents", what="cyclophosphamide + bendamustine + lomustine ≥ alkylating-agent patients",
         left=["t1.cyclophosphamide", "t1.bendamustine", "t1.belustine"], op=">=", right=["t1.alkylating"],
         implies="patients given two alkylating agents (at least)", value="left-right"),
    dict(id="sum.anthracycline_with_alkylating", what="anthracycline + alkylating ≤ anthracycline patients",
         left=["txt.anthracycline_alkylating"], op="<=", right=["t1.anthracycline"],
         implies="patients given an anthracycline without an alkylating agent", value="right-left"),
    dict(id="sum.chemo_classes", what="alkylating ∪ anthracycline (inclusion–exclusion) ≤ cohort",
         left=["t1.alkylating", "t1.anthracycline", "-txt.anthracycline_alkylating"], op="<=",
         right=["t1.n_patients"], implies="patients given neither an alkylating agent nor an anthracycline",
         value="right-left"),
    dict(id="sum.cytogenetics", what="the six abnormalities of Table 1 = patients with an abnormality",
         left=["t1.del17p", "t1.gain_1q21", "t1.t_4_14", "t1.t_14_16", "t1.del_1p32", "t1.amp_1q21"], op="==",
         right=["t1.cyto_abnormalities"], implies="patients with two or more abnormalities", value="left-right"),
    dict(id="sum.crs_grades", what="CRS grades 1 + 2 + 3 = CRS patients",
         left=["t1.crs_grade1", "t1.crs_grade2", "t1.crs_grade3"], op="==", right=["t1.crs"],
         implies="patients with grade 4 CRS", value="right-left"),
    dict(id="sum.icans_grades", what="ICANS grades 1 + 2–3 + 4 = ICANS patients",
         left=["t1.icans_grade1", "t1.icans_grade2_3", "t1.icans_grade4"], op="==", right=["t1.icans"]),
    dict(id="sum.crs_treatment", what="tocilizumab ≤ patients with CRS or ICANS",
         left=["t1.tocilizumab"], op="<=", right=["t1.crs", "t1.icans"]),
    dict(id="sum.infection_grades", what="grade 3 infections ≤ grade ≥ 3 infections",
         left=["t1.infection_grade3"], op="<=", right=["txt.infections_g3plus"],
         implies="patients with a grade 4–5 infection", value="right-left"),
    dict(id="sum.infection_deaths", what="deaths from infection (grade 5) ≤ grade 4–5 infections",
         left=["txt.deaths_infection"], op="<=", right=["txt.infections_g3plus", "-t1.infection_grade3"],
         implies="patients with a grade 4 (non-fatal) infection", value="right-left"),
    dict(id="sum.infections_documented", what="documented ≤ grade ≥ 3 infections",
         left=["txt.infections_documented"], op="<=", right=["txt.infections_g3plus"],
         implies="grade ≥ 3 infections not documented", value="right-left"),
    dict(id="sum.deaths", what="deaths by cause = deaths",
         left=["txt.deaths_progression", "txt.deaths_infection", "txt.deaths_other"], op="==", right=["txt.deaths"]),
    dict(id="sum.debulking_evaluable", what="evaluated after debulking ≤ cohort",
         left=["txt.orr_debulking:denominator"], op="<=", right=["t1.n_patients"],
         implies="patients not evaluated after debulking", value="right-left"),
    dict(id="sum.debulking_vgpr", what="CR + VGPR after debulking (printed counts) = ≥VGPR (16% of 37)",
         left=["txt.debulking_cr", "txt.debulking_vgpr"], op="==", right=["txt.vgpr_debulking"]),
    dict(id="sum.debulking_orr", what="≥VGPR ≤ ORR after debulking",
         left=["txt.vgpr_debulking"], op="<=", right=["txt.orr_debulking"],
         implies="PR after debulking", value="right-left"),
    dict(id="sum.debulking_pd", what="responders + PD ≤ evaluated after debulking",
         left=["txt.orr_debulking", "txt.debulking_pd"], op="<=", right=["txt.orr_debulking:denominator"],
         implies="MR or SD after debulking", value="right-left"),
    dict(id="sum.conversion_denominator", what="conversion denominator = CR + VGPR after debulking",
         left=["txt.conversion_cr_vgpr:denominator"], op="==", right=["txt.debulking_cr", "txt.debulking_vgpr"]),
    dict(id="sum.conversion_responders", what="converted responders ≤ best-response responders",
         left=["txt.conversion_cr_vgpr", "txt.conversion_pd"], op="<=", right=["txt.best_orr"],
         implies="bispecific responders among PR/MR/SD/not evaluated after debulking", value="right-left"),
    dict(id="sum.c1_not_evaluable", what="C1 evaluable ≤ cohort", left=["txt.orr_c1:denominator"], op="<=",
         right=["t1.n_patients"], implies="patients without a C1 assessment", value="right-left"),
    dict(id="sum.c1_cr_vgpr", what="C1 CR ≤ C1 ≥VGPR", left=["txt.cr_c1"], op="<=", right=["txt.vgpr_c1"],
         implies="VGPR at C1", value="right-left"),
    dict(id="sum.c1_vgpr_orr", what="C1 ≥VGPR ≤ C1 ORR", left=["txt.vgpr_c1"], op="<=", right=["txt.orr_c1"],
         implies="PR at C1", value="right-left"),
    dict(id="sum.c12_cr_orr", what="C12 CR ≤ C12 ORR", left=["txt.cr_c12"], op="<=", right=["txt.orr_c12"],
         implies="VGPR or PR at C12", value="right-left"),
    dict(id="sum.best_response", what="best CR + VGPR ≤ best ORR", left=["txt.best_cr", "txt.best_vgpr"], op="<=",
         right=["txt.best_orr"], implies="PR as best response", value="right-left"),
    dict(id="sum.best_non_responders", what="best ORR ≤ cohort", left=["txt.best_orr"], op="<=",
         right=["t1.n_patients"], implies="best response below PR or never assessed", value="right-left"),
    dict(id="sum.best_vs_c1_orr", what="C1 responders ≤ best-response responders", left=["txt.orr_c1"], op="<=",
         right=["txt.best_orr"]),
    dict(id="sum.best_vs_c3_orr", what="C3 responders ≤ best-response responders", left=["txt.orr_c3"], op="<=",
         right=["txt.best_orr"]),
    dict(id="sum.best_vs_c6_orr", what="C6 responders ≤ best-response responders", left=["txt.orr_c6"], op="<=",
         right=["txt.best_orr"]),
    dict(id="sum.best_vs_c1_cr", what="C1 CR ≤ best CR", left=["txt.cr_c1"], op="<=", right=["txt.best_cr"]),
    dict(id="sum.best_vs_c1_vgpr", what="C1 ≥VGPR ≤ best CR + VGPR", left=["txt.vgpr_c1"], op="<=",
         right=["txt.best_cr", "txt.best_vgpr"]),
    *_subgroup_checks("emd", "with EMD", "without EMD", "t1.emd"),
    *_subgroup_checks("hrca", "with a cytogenetic abnormality", "without a known cytogenetic abnormality",
                      "t1.cyto_abnormalities"),
]


# ----------------------------------------------------------------------------- same quantity
#: Pairs of claims printing the same quantity: (check id, claim, claim).
PAIRS: list[tuple[str, str, str]] = [
    ("pair.patients", "txt.patients", "t1.n_patients"),
    ("pair.centres", "txt.centres", "txt.centres_methods"),
    ("pair.age", "txt.age", "t1.age"),
    ("pair.female", "txt.female", "t1.female"),
    ("pair.tcr", "txt.tcr", "t1.tcr"),
    ("pair.prior_lines", "txt.prior_lines", "t1.prior_lines"),
    ("pair.emd", "txt.emd", "t1.emd"),
    ("pair.hrca", "txt.hrca", "t1.cyto_abnormalities"),
    ("pair.del17p", "txt.del17p", "t1.del17p"),
    ("pair.gain_1q21", "txt.gain_1q21", "t1.gain_1q21"),
    ("pair.t_4_14", "txt.t_4_14", "t1.t_4_14"),
    ("pair.t_14_16", "txt.t_14_16", "t1.t_14_16"),
    ("pair.alkylating", "txt.alkylating", "t1.alkylating"),
    ("pair.anthracycline", "txt.anthracycline", "t1.anthracycline"),
    ("pair.etoposide", "txt.etoposide", "t1.etoposide"),
    ("pair.cisplatin", "txt.cisplatin", "t1.cisplatin"),
    ("pair.vincristine", "txt.vincristine", "t1.vincristine"),
    ("pair.cyclophosphamide", "disc.cyclophosphamide", "t1.cyclophosphamide"),
    ("pair.delay", "txt.delay", "t1.delay"),
    ("pair.teclistamab", "txt.teclistamab", "t1.teclistamab"),
    ("pair.elranatamab", "txt.elranatamab", "t1.elranatamab"),
    ("pair.crs", "txt.crs", "t1.crs"),
    ("pair.crs_grade1", "txt.crs_grade1", "t1.crs_grade1"),
    ("pair.icans", "txt.icans", "t1.icans"),
    ("pair.icans_discussion", "disc.icans", "txt.icans"),
    ("pair.icans_grade1", "txt.icans_grade1", "t1.icans_grade1"),
    ("pair.icans_grade4", "txt.icans_grade4", "t1.icans_grade4"),
    ("pair.tocilizumab", "txt.tocilizumab", "t1.tocilizumab"),
    ("pair.dexamethasone", "txt.dexamethasone", "t1.dexamethasone"),
    ("pair.cytopenia", "txt.cytopenia", "t1.cytopenia"),
    ("pair.followup", "disc.followup", "txt.followup"),
    ("pair.pfs_median", "disc.pfs_median_all", "txt.pfs_median_all"),
    ("pair.teclistamab_pfs", "ext.disc_teclistamab_pfs_median", "ext.majestec1_pfs_median"),
    ("pair.reallife_pfs_emd", "ext.ifm_2024_09_pfs_emd", "ext.reallife_pfs_emd"),
    ("pair.reallife_pfs_no_emd", "ext.ifm_2024_09_pfs_no_emd", "ext.reallife_pfs_no_emd"),
]


# ----------------------------------------------------------------------------- definitions
HRCA_SUBGROUP = ("txt.orr_c1_hrca", "txt.orr_c3_hrca", "txt.orr_c6_hrca", "txt.orr_c12_hrca")


# ----------------------------------------------------------------------------- Kaplan–Meier
#: Overall median and the medians of two groups meant to partition the cohort.
KM_SETS: list[dict] = [
    dict(id="km_position.pfs_emd", overall="txt.pfs_median_all",
         groups=("txt.pfs_median_emd", "txt.pfs_median_no_emd")),
    dict(id="km_position.pfs_hrca", overall="txt.pfs_median_all",
         groups=("txt.pfs_median_hrca", "txt.pfs_median_no_hrca")),
    dict(id="km_position.os_emd", overall="txt.os_median_all", groups=("txt.os_median_emd", "txt.os_median_no_emd")),
    dict(id="km_position.os_hrca", overall="txt.os_median_all", groups=("txt.os_median_hrca", "txt.os_median_no_hrca")),
]


# ----------------------------------------------------------------------------- readings (WARN)
#: The methods' M-protein criterion as printed, the 1 g/dL = 10 g/L conversion and the normal total serum
#: protein (g/L, all proteins together): a monoclonal peak cannot exceed it several-fold.
M_PROTEIN_QUOTE = "elevated levels of monoclonal protein (peak >30 g/dl and/or abnormal light chain >5000 mg/L)"
M_PROTEIN_PRINTED, G_L_PER_G_DL, TOTAL_PROTEIN_NORMAL_G_L = 30, 10, (60, 80)


def _m_protein_reading() -> dict:
    read = derive.M_PROTEIN_THRESHOLD
    low, high = TOTAL_PROTEIN_NORMAL_G_L
    return dict(
        id="reading.m_protein_unit", check="units", claim_ids=[],
        explanation=(f"methods: high tumour burden includes \"{M_PROTEIN_QUOTE}\"; {M_PROTEIN_PRINTED} g/dl = "
                     f"{M_PROTEIN_PRINTED * G_L_PER_G_DL:g} g/L, several times the normal total serum protein "
                     f"({low}–{high} g/L), so as printed the criterion could never be met; {read:g} g/L "
                     f"({read / G_L_PER_G_DL:g} g/dl) is the usual cut"),
        reading=(f"analysis.data.derive reads the threshold as serum M-protein > {read:g} g/L (M_PROTEIN_THRESHOLD), "
                 f"i.e. 'g/dl' as a misprint of g/L; high_tumour_burden and htb_m_protein follow it for every "
                 f"cohort."))


#: Printed statements questionable as printed though no other number contradicts them: each is a WARN
#: row of the audit (``id``, ``check``, ``claim_ids``, ``explanation``) with the ``reading`` the cohort
#: follows. The threshold read is the compendium's own constant, so the finding cannot drift from the code.
READINGS: list[dict] = [_m_protein_reading()]
