"""``python -m analysis synthesize``: the calibrated synthetic cohort, from a seed.

Steps (each in its own module):

1. subgroup labels — extramedullary disease and cytogenetics (each abnormal
   patient carries exactly one abnormality, as the published counts sum to the
   number with any; ``untested`` patients, an unpublished number, carry none
   and belong to neither cytogenetic group — the audit shows the paper's OS
   medians by cytogenetics need such patients);
2. times — :mod:`.times` anneals entry dates, progressions and deaths to the
   survival claims, judged with R's conventions;
3. responses — :mod:`.responses`, an integer programme given the times;
4. attributes — :mod:`.attributes`, an integer programme for every other count,
   then the continuous columns with their published medians and ranges;
5. the table — dates, identifiers ``SYN01…`` in order of first bispecific
   dose, 14 centres; validated against the data dictionary before it is
   returned.

Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed and
registry give the same bytes. The targets come from the claims registry
(:mod:`.targets`), never from this code; the provenance records the registry's
:func:`~analysis.paper.registry.calibration_sha256` (its header, paper and claims,
not the audit's declarations, which the calibration does not read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ...atomic import write_text
from ...data.dictionary import EMD_SITES, NAMES
from ...data.validate import validate_table
from ..registry import calibration_sha256
from . import DEFAULT_ITERATIONS, DEFAULT_SEED, DEFAULT_UNTESTED  # noqa: F401 (re-exported)
from .attributes import AGENTS, assign_attributes, delays_by_cycles, exact_median_sample
from .responses import assign_responses
from .targets import CohortTargets, build_targets
from .times import Calibrator, TimeState, initial_state

GENERATOR_VERSION = "1.0"
N_CENTRES = 14


@dataclass
class SyntheticCohort:
    table: pd.DataFrame  # all-text table in the data dictionary's format
    provenance: dict
    missed: dict  # soft count targets the integer programmes could not meet


def _labels(t: CohortTargets, untested: int, rng: np.random.Generator):
    n = t.n
    emd = np.zeros(n, int)
    emd[rng.choice(n, t.n_emd, replace=False)] = 1
    kinds = [k for k, c in t.cytogenetics.items() for _ in range(c)]
    n_abn = len(kinds)
    order = rng.permutation(n)
    cyto_kind = np.array([""] * n, dtype=object)
    for i, k in zip(order[:n_abn], kinds):
        cyto_kind[i] = k
    cyto = np.zeros(n, int)  # 1 abnormal, 0 tested negative, -1 untested
    cyto[order[:n_abn]] = 1
    cyto[order[n_abn : n_abn + untested]] = -1
    return emd, cyto, cyto_kind


def _latent_medians(t: CohortTargets) -> dict:
    """Starting medians for the latent times of each EMD group (a not-reached OS gets 2× follow-up)."""
    out = {}
    for m in t.times.medians:
        if m.group in ("emd1", "emd0"):
            out[(m.endpoint, m.group)] = m.median if m.median is not None else 2 * t.times.followup_max
    return out


def calibrate_times(t: CohortTargets, emd, cyto, rng, iterations: int, starts: int = 3):
    """Multi-start annealing: ``starts`` chains of a quarter of the budget each, then the best
    one continues, cooler, for the rest (Kirkpatrick-style restarts avoid one bad basin)."""
    cal = Calibrator(t.times, emd, cyto, rng)
    short = iterations // 4
    chains = [cal.anneal(initial_state(t.times, emd, cyto, rng, _latent_medians(t)), short) for _ in range(starts)]
    best, loss = min(chains, key=lambda c: c[1])
    best, loss = cal.anneal(best, max(0, iterations - starts * short), t0=0.5, t1=0.005)
    return best, loss, cal.statistics(best)


def _fmt_date(d: dt.date | None) -> str:
    return "" if d is None else d.isoformat()


def _baseline_cells(cols: dict, i: int, attr: dict, emd, cytogenetics: dict, rng) -> None:
    """Patient ``i``'s baseline cells: sex to cytogenetics (random draws in a fixed order: the seed's cohort)."""
    cols["sex"][i] = "F" if attr["female"][i] else "M"
    cols["triple_class_refractory"][i] = str(attr["triple_class_refractory"][i])
    cols["iss_stage"][i] = next((s_ for s_ in ("I", "II", "III") if attr[f"iss_{s_}"][i]), "")
    if attr["bm_missing"][i]:
        cols["bm_plasma_cell_pct"][i] = ""
    elif attr["bm_high"][i]:
        cols["bm_plasma_cell_pct"][i] = str(int(rng.integers(61, 96)))
    else:
        cols["bm_plasma_cell_pct"][i] = str(int(rng.integers(5, 61)))
    light_chain_only = rng.random() < 0.2 and not attr["m_high"][i]
    cols["m_protein_g_l"][i] = (
        "0" if light_chain_only else f"{rng.uniform(31, 75) if attr['m_high'][i] else rng.uniform(1, 30):.1f}"
    )
    cols["involved_flc_mg_l"][i] = (
        f"{rng.uniform(5100, 25000):.0f}"
        if attr["flc_high"][i]
        else f"{rng.uniform(15, 4900 if light_chain_only else 900):.0f}"
    )
    cols["paramedullary"][i] = str(attr["paramedullary"][i])
    cols["extramedullary"][i] = str(emd[i])
    n_loc = sum(attr[site][i] for site in EMD_SITES)
    if emd[i]:
        if attr["sites_1"][i]:
            cols["emd_site_count"][i] = "1"
        elif attr["sites_2"][i]:
            cols["emd_site_count"][i] = "2"
        elif attr["sites_3plus"][i]:
            cols["emd_site_count"][i] = str(max(3, n_loc, int(rng.integers(3, 6))))
    for site in (*EMD_SITES, "acute_kidney_injury", "hypercalcemia"):
        cols[site][i] = str(attr[site][i])
    for k, value in cytogenetics.items():
        cols[k][i] = value


def _treatment_cells(cols: dict, i: int, attr: dict, bsab: dt.date, delay: int, cycles: int, resp) -> None:
    """Patient ``i``'s debulking and bispecific cells, and the responses."""
    cols["chemo_start_date"][i] = _fmt_date(bsab - dt.timedelta(days=delay))
    cols["chemo_cycles"][i] = str(cycles)
    for ag in AGENTS:
        cols[ag][i] = str(attr[ag][i])
    cols["chemo_response"][i] = resp.chemo[i]
    cols["bsab_agent"][i] = "teclistamab" if attr["teclistamab"][i] else "elranatamab"
    cols["bsab_start_date"][i] = _fmt_date(bsab)
    for c in (1, 3, 6, 12):
        cols[f"response_c{c}"][i] = resp.cycles[c][i]
    cols["best_response"][i] = resp.best[i]
    for c in (1, 3, 6):
        cols[f"pet_c{c}"][i] = resp.pet[c][i]


def _safety_and_outcome_cells(cols: dict, i: int, attr: dict, bsab: dt.date, s: TimeState, rng) -> None:
    """Patient ``i``'s toxicities, infections, prophylaxis, progression, death and last follow-up."""
    cols["crs_grade"][i] = str(next(g for g in range(5) if attr[f"crs_{g}"][i]))
    cols["icans_grade"][i] = {"0": "0", "1": "1", "2_3": str(int(rng.integers(2, 4))), "4": "4"}[
        next(g for g in ("0", "1", "2_3", "4") if attr[f"icans_{g}"][i])
    ]
    for tr in ("tocilizumab", "corticosteroids", "anakinra"):
        cols[tr][i] = str(attr[tr][i])
    grade = next(g for g in ("missing", "0", "1", "2", "3", "4", "5") if attr[f"inf_{g}"][i])
    missing = grade == "missing"
    cols["infection_max_grade"][i] = "" if missing else grade
    cols["infection_documented"][i] = "" if grade in ("missing", "0") else str(attr["infection_documented"][i])
    cols["cytopenia_grade3plus"][i] = "" if missing else str(attr["cytopenia"][i])
    for pr in ("ig_supplementation", "pjp_prophylaxis", "antibacterial_prophylaxis", "antiviral_prophylaxis"):
        cols[pr][i] = str(attr[pr][i])
    prog = s.prog_day[i]
    death = s.death_day[i]
    cols["progression_date"][i] = _fmt_date(bsab + dt.timedelta(days=int(prog))) if prog >= 0 else ""
    cols["death_date"][i] = _fmt_date(bsab + dt.timedelta(days=int(death))) if death >= 0 else ""
    cols["death_cause"][i] = s.cause[i] if death >= 0 else ""
    last = death if death >= 0 else s.cutoff - s.entry[i]
    cols["last_followup_date"][i] = _fmt_date(bsab + dt.timedelta(days=int(last)))


def _build_table(t: CohortTargets, s: TimeState, emd, cyto, cyto_kind, resp, attr, rng) -> pd.DataFrame:
    """The patient table of the calibrated state, in order of first dose (identifiers ``SYN01``…).

    Every random draw is made in a fixed order (centres, ages, prior lines, cycles, delays, then patient
    by patient), so a seed gives the same table.
    """
    n = t.n
    a = t.attributes
    start = t.accrual_start
    bsab = [start + dt.timedelta(days=int(e)) for e in s.entry]
    cols: dict[str, list] = {name: [""] * n for name in NAMES}
    # identifiers in order of first dose; centres of unequal size
    order = np.argsort([b.toordinal() * 100 + i for i, b in enumerate(bsab)], kind="stable")
    rank = np.empty(n, int)
    rank[order] = np.arange(n)
    weights = rng.dirichlet(np.full(N_CENTRES, 1.5))
    centre = np.concatenate([np.arange(N_CENTRES), rng.choice(N_CENTRES, n - N_CENTRES, p=weights)])
    rng.shuffle(centre)
    ages = exact_median_sample(n, a.age[0], int(a.age[1]), int(a.age[2]), rng, spread=9)
    lines = exact_median_sample(
        n, a.prior_lines[0], int(a.prior_lines[1]), int(a.prior_lines[2]), rng, centre=4, spread=1.6
    )
    ncyc = np.where(attr["cycles_3plus"] == 1, 3, np.where(attr["cycles_2"] == 1, 2, 1))
    ncyc = np.where(ncyc == 3, rng.integers(3, 5, n), ncyc)  # "≥3": 3 or 4 cycles
    delay = delays_by_cycles(ncyc, a.delay_days[0], int(a.delay_days[1]), int(a.delay_days[2]), rng)
    for i in range(n):
        cols["patient_id"][i] = f"SYN{rank[i] + 1:02d}"
        cols["center_id"][i] = f"C{centre[i] + 1:02d}"
        cols["age_years"][i] = str(ages[i])
        cols["prior_lines"][i] = str(lines[i])
        cytogenetics = {k: "" if cyto[i] == -1 else str(int(cyto_kind[i] == k)) for k in t.cytogenetics}
        _baseline_cells(cols, i, attr, emd, cytogenetics, rng)
        _treatment_cells(cols, i, attr, bsab[i], int(delay[i]), ncyc[i], resp)
        _safety_and_outcome_cells(cols, i, attr, bsab[i], s, rng)
    return pd.DataFrame(cols, columns=list(NAMES)).iloc[order].reset_index(drop=True)


def synthesize(
    seed: int = DEFAULT_SEED, untested: int = DEFAULT_UNTESTED, iterations: int = DEFAULT_ITERATIONS
) -> SyntheticCohort:
    """Generate one calibrated synthetic cohort (see the module docstring)."""
    t = build_targets()
    rng = np.random.default_rng(seed)
    emd, cyto, cyto_kind = _labels(t, untested, rng)
    times, loss, stats = calibrate_times(t, emd, cyto, rng, iterations)
    resp = assign_responses(times, emd, cyto, t.responses, rng)
    infection_death = np.array([c == "infection" for c in times.cause])
    attr, missed_attr = assign_attributes(emd, infection_death, t.attributes, rng)
    table = _build_table(t, times, emd, cyto, cyto_kind, resp, attr, rng)
    _, report = validate_table(table, source="synthetic cohort")
    if not report.ok:
        raise RuntimeError("the generated cohort breaks the data dictionary:\n" + report.to_text())
    provenance = {
        "synthetic": True,
        "description": "calibrated synthetic cohort (python -m analysis synthesize)",
        "statement": (
            "SYNTHETIC DATA. Not real patients: generated by code in this repository to reproduce the "
            "published aggregates of Chalopin et al., Blood Cancer J 2025;15:174."
        ),
        "generator": "analysis.paper.synthetic.generate",
        "generator_version": GENERATOR_VERSION,
        "seed": int(seed),
        "untested_cytogenetics": int(untested),
        "subgroup_definitions": {
            "EMD": "extramedullary == 1 vs 0 (all patients)",
            "HRCA": (
                "any cytogenetic abnormality of Table 1 (any_cyto_abnormality == 1) vs tested without one "
                "(== 0); untested patients belong to neither group. The methods' del(17p)/t(4;14)/t(14;16) "
                "definition allows at most 14 patients and cannot give the reported groups (see the audit, "
                "data/published/README.md)."
            ),
        },
        "invented": (
            "everything the paper does not report: which patient has which attribute, exact dates, "
            "continuous values around their published medians and ranges, unpublished splits "
            "(see data/synthetic/README.md)"
        ),
        "annealing_iterations": int(iterations),
        "claims_registry_sha256": calibration_sha256(),  # its claims, not its audit: section
        "data_cutoff": _fmt_date(t.accrual_start + dt.timedelta(days=int(times.cutoff))),
        "calibration_loss": round(float(loss), 4),
        "unmet_count_targets": {**dict(resp.missed), **missed_attr},
    }
    return SyntheticCohort(table=table, provenance=provenance, missed={**resp.missed, **missed_attr})


def write(cohort: SyntheticCohort, out: Path) -> None:
    """Write the CSV and its ``.provenance.yaml`` (atomically, ``\\n`` line ends)."""
    out = Path(out)
    write_text(out, cohort.table.to_csv(index=False, lineterminator="\n"))
    write_text(
        out.with_name(out.name + ".provenance.yaml"),
        yaml.safe_dump(cohort.provenance, sort_keys=False, allow_unicode=True),
    )
