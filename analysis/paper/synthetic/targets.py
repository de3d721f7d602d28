"""What the synthetic cohort aims at, read from the claims registry.

No published number is written in the generator's code: every target below is
looked up by claim id in ``data/published/claims.yaml`` and, where the audit
found the paper inconsistent, the claim's recorded ``resolution`` is used
(e.g. the C6 ORR of 87% of 21, which no integer reaches, is taken as 18/21).
Counts that the paper implies without printing them (the number of missing
ISS stages, the PR count at best response, …) are derived here from the
claims, each with the arithmetic spelled out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ...data.dictionary import EMD_SITES
from .. import claims as claims_mod
from .attributes import AttributeTargets
from .responses import ResponseTargets
from .times import MedianTarget, TimeTargets

AGENT_CLAIMS = {
    "chemo_cyclophosphamide": "t1.cyclophosphamide",
    "chemo_bendamustine": "t1.bendamustine",
    "chemo_lomustine": "t1.belustine",
    "chemo_anthracycline": "t1.anthracycline",
    "chemo_etoposide": "t1.etoposide",
    "chemo_vincristine": "t1.vincristine",
    "chemo_cisplatin": "t1.cisplatin",
    "chemo_other": "t1.chemo_other",
}
CYTO_CLAIMS = {
    "del17p": "t1.del17p",
    "gain_1q21": "t1.gain_1q21",
    "t_4_14": "t1.t_4_14",
    "t_14_16": "t1.t_14_16",
    "del_1p32": "t1.del_1p32",
    "amp_1q21": "t1.amp_1q21",
}
SITE_CLAIMS = {s: f"t1.{s}" for s in EMD_SITES}
SIMPLE_CLAIMS = {
    "female": "t1.female",
    "triple_class_refractory": "t1.tcr",
    "paramedullary": "txt.pmd",
    "acute_kidney_injury": "t1.aki",
    "hypercalcemia": "t1.hypercalcemia",
    "sites_1": "t1.emd_sites_1",
    "sites_2": "t1.emd_sites_2",
    "sites_3plus": "t1.emd_sites_3plus",
    "cycles_1": "t1.chemo_cycles_1",
    "cycles_2": "t1.chemo_cycles_2",
    "cycles_3plus": "t1.chemo_cycles_3plus",
    "alkylating": "t1.alkylating",
    "anthracycline_alkylating": "txt.anthracycline_alkylating",
    "teclistamab": "t1.teclistamab",
    "crs_1": "t1.crs_grade1",
    "crs_2": "t1.crs_grade2",
    "crs_3": "t1.crs_grade3",
    "icans_1": "t1.icans_grade1",
    "icans_2_3": "t1.icans_grade2_3",
    "icans_4": "t1.icans_grade4",
    "tocilizumab": "t1.tocilizumab",
    "corticosteroids": "t1.dexamethasone",
    "anakinra": "txt.anakinra",
    "infection_ge3": "txt.infections_g3plus",
    "infection_3": "t1.infection_grade3",
    "infection_documented": "txt.infections_documented",
    "cytopenia": "t1.cytopenia",
    "ig_supplementation": "t1.ig_supplementation",
    "pjp_prophylaxis": "t1.pjp_prophylaxis",
    "antibacterial_prophylaxis": "t1.antibacterial_prophylaxis",
    "antiviral_prophylaxis": "t1.antiviral_prophylaxis",
    "bm_high": "t1.high_pc",
    "iss_III": "t1.iss3",
}
MEDIAN_CLAIMS = {
    ("PFS", "all"): "txt.pfs_median_all",
    ("PFS", "emd1"): "txt.pfs_median_emd",
    ("PFS", "emd0"): "txt.pfs_median_no_emd",
    ("PFS", "cyto1"): "txt.pfs_median_hrca",
    ("PFS", "cyto0"): "txt.pfs_median_no_hrca",
    ("OS", "all"): "txt.os_median_all",
    ("OS", "emd1"): "txt.os_median_emd",
    ("OS", "emd0"): "txt.os_median_no_emd",
    ("OS", "cyto1"): "txt.os_median_hrca",
    ("OS", "cyto0"): "txt.os_median_no_hrca",
}
PVALUE_CLAIMS = {
    ("PFS", "emd"): "txt.pfs_logrank_emd",
    ("PFS", "cyto"): "txt.pfs_logrank_hrca",
    ("OS", "emd"): "txt.os_logrank_emd",
    ("OS", "cyto"): "txt.os_logrank_hrca",
}
CYCLE_CLAIMS = {  # (cycle, group) -> (ORR claim, CR claim, >=VGPR claim)
    (1, "all"): ("txt.orr_c1", "txt.cr_c1", "txt.vgpr_c1"),
    (3, "all"): ("txt.orr_c3", None, None),
    (6, "all"): ("txt.orr_c6", None, None),
    (12, "all"): ("txt.orr_c12", "txt.cr_c12", None),
    **{(c, "emd1"): (f"txt.orr_c{c}_emd", None, None) for c in (1, 3, 6, 12)},
    **{(c, "cyto1"): (f"txt.orr_c{c}_hrca", None, None) for c in (1, 3, 6, 12)},
}


@dataclass(frozen=True)
class CohortTargets:
    n: int
    n_emd: int
    cytogenetics: dict  # abnormality column -> count (each abnormal patient has exactly one)
    accrual_start: dt.date
    accrual_end: dt.date
    attributes: AttributeTargets
    responses: ResponseTargets
    times: TimeTargets


def _count(cid: str) -> int:
    value = claims_mod.target_count(claims_mod.get(cid))
    if value is None:
        raise claims_mod.ClaimsError(f"claim {cid}: no unique count can be derived for the synthetic cohort")
    return int(value)


def _denominator(cid: str) -> int:
    den = claims_mod.get(cid).effective_denominator
    if den is None:
        raise claims_mod.ClaimsError(f"claim {cid}: no denominator recorded")
    return int(den)


def _median_range(cid: str) -> tuple:
    c = claims_mod.get(cid)
    return (float(c.effective_value), c.min, c.max)


def _month_bounds(start: str, end: str) -> tuple[dt.date, dt.date]:
    y0, m0 = map(int, start.split("-"))
    y1, m1 = map(int, end.split("-"))
    return dt.date(y0, m0, 1), dt.date(y1, m1, calendar.monthrange(y1, m1)[1])


def build_targets() -> CohortTargets:
    """Every target of the generator, from the registry (see the module docstring)."""
    n = _count("t1.n_patients")
    counts = {k: _count(cid) for k, cid in {**SIMPLE_CLAIMS, **AGENT_CLAIMS, **SITE_CLAIMS}.items()}
    # implied: patients without ISS / marrow / safety data = N − the denominator the percentages need
    counts["iss_missing"] = n - _denominator("t1.iss3")
    counts["bm_missing"] = n - _denominator("t1.high_pc")
    counts["safety_missing"] = n - _denominator("txt.infections_g3plus")
    # implied: CRS grade 4 = CRS − grades 1–3
    counts["crs_4"] = _count("t1.crs") - counts["crs_1"] - counts["crs_2"] - counts["crs_3"]
    attributes = AttributeTargets(
        counts=counts,
        age=_median_range("t1.age"),
        prior_lines=_median_range("t1.prior_lines"),
        delay_days=_median_range("t1.delay"),
    )

    cycle = {}
    for key, (orr, cr, vgpr) in CYCLE_CLAIMS.items():
        t = {"evaluable": _denominator(orr), "responders": _count(orr)}
        if cr:
            t["cr"] = _count(cr)
        if vgpr:
            t["vgpr_plus"] = _count(vgpr)
        cycle[key] = t
    best_cr, best_vgpr = _count("txt.best_cr"), _count("txt.best_vgpr")
    best = {"CR": best_cr, "VGPR": best_vgpr, "PR": _count("txt.best_orr") - best_cr - best_vgpr}
    deb_cr, deb_vgpr = _count("txt.debulking_cr"), _count("txt.debulking_vgpr")
    chemo = {
        "evaluable": _denominator("txt.orr_debulking"),
        "CR": deb_cr,
        "VGPR": deb_vgpr,
        "PR": _count("txt.orr_debulking") - deb_cr - deb_vgpr,
        "PD": _count("txt.debulking_pd"),
    }
    conversion = {"crvgpr_responders": _count("txt.conversion_cr_vgpr"), "pd_responders": _count("txt.conversion_pd")}
    pet = {c: _count(f"txt.pet_c{c}") for c in (1, 3, 6)}
    responses = ResponseTargets(cycle=cycle, best=best, chemo=chemo, conversion=conversion, pet=pet)

    medians = []
    for (ep, g), cid in MEDIAN_CLAIMS.items():
        c = claims_mod.get(cid)
        medians.append(MedianTarget(ep, g, c.value, c.ci_lower, c.ci_upper))
    pvalues = {key: (claims_mod.get(cid).p, claims_mod.get(cid).p_decimals) for key, cid in PVALUE_CLAIMS.items()}
    fu = claims_mod.get("txt.followup")
    period = claims_mod.get("txt.period")
    start, end = _month_bounds(period.start, period.end)
    reach = {}
    for (c, g), t in cycle.items():
        reach[(c, g)] = (t["evaluable"], t["responders"])
        if g == "emd1":  # the complement (no EMD) follows by subtraction
            reach[(c, "emd0")] = (
                cycle[(c, "all")]["evaluable"] - t["evaluable"],
                cycle[(c, "all")]["responders"] - t["responders"],
            )
    deaths = {
        "progression": _count("txt.deaths_progression"),
        "infection": _count("txt.deaths_infection"),
        "other": _count("txt.deaths_other"),
    }
    times = TimeTargets(
        medians=tuple(medians),
        pvalues=pvalues,
        deaths_by_cause=deaths,
        followup_median=float(fu.value),
        followup_min=float(fu.min),
        followup_max=float(fu.max),
        accrual_days=(end - start).days,
        reach=reach,
    )
    return CohortTargets(
        n=n,
        n_emd=_count("t1.emd"),
        cytogenetics={k: _count(v) for k, v in CYTO_CLAIMS.items()},
        accrual_start=start,
        accrual_end=end,
        attributes=attributes,
        responses=responses,
        times=times,
    )
