"""Assigning responses (debulking, C1, C3, C6, C12, best) given each patient's times.

An integer programme (:mod:`analysis.paper.synthetic.milp`) chooses one state per
patient and cycle — CR (≥ CR), VGPR, PR, NR (MR or SD), PD or not assessed —
subject to:

* **reachability** (from the calibrated times): a non-PD response at Cn only if
  alive, followed and progression-free on day n × 28; PD at Cn only if the
  progression falls within cycle n; nothing after progression;
* **published counts**: evaluable and responders at each cycle, overall and in
  the EMD and abnormal-cytogenetics subgroups; ≥ CR and ≥ VGPR where published;
  best response CR / VGPR / PR over all patients; debulking response categories;
  the conversion statements (all CR/VGPR after debulking respond to the
  bispecific; a stated share of PD after debulking do);
* **coherence**: response depth does not decrease between assessed cycles
  while on treatment; best response is at least every recorded response, is
  missing only for a patient never assessed, and is PD only for a patient who
  progressed without any better assessment.

Counts are soft (see :class:`~analysis.paper.synthetic.milp.Model`): a target the
times make infeasible is missed by the least amount and reported.
Then MR/SD and CR/sCR are split at random (unpublished detail).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .milp import Model
from .times import CYCLES, TimeState, cycle_status

STATES = ("CR", "VGPR", "PR", "NR", "PD", "NA")
LEVEL = {"CR": 4, "VGPR": 3, "PR": 2, "NR": 1, "PD": 0, "NA": 0}
BEST_STATES = ("CR", "VGPR", "PR", "NR", "PD", "NA")
CHEMO_STATES = ("CR", "VGPR", "PR", "MR", "SD", "PD", "NA")
#: A best response outside the four timepoints needs this much progression-free follow-up (days).
MIN_DAYS_FOR_UNSCHEDULED_RESPONSE = 35


@dataclass(frozen=True)
class ResponseTargets:
    """Published response counts (from the claims registry).

    ``cycle[(c, group)] = dict(evaluable=, responders=, cr=, vgpr_plus=)`` with
    group in {"all", "emd1", "cyto1"} (keys may be absent when unpublished);
    ``best = dict(CR=, VGPR=, PR=)``; ``chemo = dict(CR=, VGPR=, PR=, PD=, evaluable=)``;
    ``conversion = dict(crvgpr_responders=, pd_responders=)``; ``pet = {c: count}``.
    """

    cycle: dict
    best: dict
    chemo: dict
    conversion: dict
    pet: dict = field(default_factory=dict)


@dataclass
class ResponseAssignment:
    chemo: np.ndarray  # object array of IMWG codes or ""
    cycles: dict  # cycle -> object array of IMWG codes or ""
    best: np.ndarray
    pet: dict  # cycle -> object array "negative"/"positive"/""
    missed: dict


def _patient_rules(m: Model, v: dict, b: dict, ch: dict, times: TimeState, status: dict) -> None:
    """Per patient: one state per cycle, best and debulking response; what the follow-up allows; best ≥ every
    cycle; depth never decreases while assessed without progression."""
    prog_any = times.prog_day >= 0
    _, _, _, _, last = times.endpoint_arrays()
    pfs_free_days = np.where(prog_any, times.prog_day, last)
    for i in range(m.n):
        for c in CYCLES:
            m.one_hot([v[(c, s)][i] for s in STATES])
            free, window = status[c]
            if not free[i]:
                for s in ("CR", "VGPR", "PR", "NR"):
                    m.fix(v[(c, s)][i], 0)
            if not window[i]:
                m.fix(v[(c, "PD")][i], 0)
        m.one_hot([b[s][i] for s in BEST_STATES])
        m.one_hot([ch[s][i] for s in CHEMO_STATES])
        level = {c: {v[(c, s)][i]: LEVEL[s] for s in STATES if LEVEL[s]} for c in CYCLES}
        best_level = {b[s][i]: LEVEL[s] for s in BEST_STATES if LEVEL[s]}
        for k, c in enumerate(CYCLES):
            # best >= level at every cycle
            m.add({**best_level, **{j: -w for j, w in level[c].items()}}, lo=0)
            # assessed (any state but NA) at a cycle -> best not missing
            m.add({b["NA"][i]: 1.0, v[(c, "NA")][i]: -1.0}, hi=0)
            # a non-PD assessment rules out best = PD
            m.add({b["PD"][i]: 1.0, **{v[(c, s)][i]: 1.0 for s in ("CR", "VGPR", "PR", "NR")}}, hi=1)
            for c2 in CYCLES[k + 1 :]:
                # depth does not decrease: level(c2) >= level(c) when c2 is assessed without PD,
                # i.e. level(c2) - level(c) - 4 * assessed(c2) >= -4 (one coefficient per variable)
                row = {v[(c2, s)][i]: LEVEL[s] - 4.0 for s in ("CR", "VGPR", "PR", "NR")}
                row.update({j: -w for j, w in level[c].items()})
                m.add(row, lo=-4.0)
        if not prog_any[i]:
            m.fix(b["PD"][i], 0)
        if pfs_free_days[i] < MIN_DAYS_FOR_UNSCHEDULED_RESPONSE:
            for s in ("CR", "VGPR", "PR", "NR"):  # too short for any non-PD assessment
                m.add(
                    {b[s][i]: 1.0, **{v[(c, s2)][i]: -1.0 for c in CYCLES for s2 in ("CR", "VGPR", "PR", "NR")}}, hi=0
                )
        if not any(status[c][0][i] or status[c][1][i] for c in CYCLES) and pfs_free_days[i] < 20:
            m.fix(b["NA"][i], 1)


def _published_counts(m: Model, v: dict, b: dict, ch: dict, groups: dict, targets: ResponseTargets) -> None:
    """Every published response count: per cycle and group, best response, debulking, conversions."""
    resp = ("CR", "VGPR", "PR")
    for (c, g), t in targets.cycle.items():
        mask = groups[g]
        idx = lambda states: np.concatenate([v[(c, s)][mask] for s in states])  # noqa: E731
        if "evaluable" in t:
            m.count(f"C{c} {g} evaluable", idx(("CR", "VGPR", "PR", "NR", "PD")), t["evaluable"])
        if "responders" in t:
            m.count(f"C{c} {g} responders", idx(resp), t["responders"])
        if "cr" in t:
            m.count(f"C{c} {g} CR", idx(("CR",)), t["cr"])
        if "vgpr_plus" in t:
            m.count(f"C{c} {g} >=VGPR", idx(("CR", "VGPR")), t["vgpr_plus"])
    for s, k in targets.best.items():
        m.count(f"best {s}", b[s], k)
    for s, k in targets.chemo.items():
        if s == "evaluable":
            m.count("debulking evaluable", np.concatenate([ch[x] for x in CHEMO_STATES if x != "NA"]), k)
        else:
            m.count(f"debulking {s}", ch[s], k)
    # conversion: CR/VGPR after debulking -> best >= PR; PD after debulking -> some respond
    best_resp = [b[s] for s in resp]
    if "crvgpr_responders" in targets.conversion:
        w = m.var("conv_crvgpr", noise=0.0)
        for i in range(m.n):
            _and(m, w[i], [ch["CR"][i], ch["VGPR"][i]], [x[i] for x in best_resp])
        m.count("conversion CR/VGPR responders", w, targets.conversion["crvgpr_responders"])
    if "pd_responders" in targets.conversion:
        w = m.var("conv_pd", noise=0.0)
        for i in range(m.n):
            _and(m, w[i], [ch["PD"][i]], [x[i] for x in best_resp])
        m.count("conversion PD responders", w, targets.conversion["pd_responders"])


def assign_responses(
    times: TimeState, emd: np.ndarray, cyto: np.ndarray, targets: ResponseTargets, rng: np.random.Generator
) -> ResponseAssignment:
    """Every patient's response at each cycle, best and after debulking, as one integer program.

    The calibrated times fix what can be assessed (:func:`cycle_status`); the published counts are
    constraints; the variables are created in a fixed order (cycles × states, best, debulking), so a
    seed gives the same assignment.
    """
    n = len(emd)
    status = cycle_status(times)
    groups = {"all": np.ones(n, bool), "emd1": emd == 1, "cyto1": cyto == 1}
    m = Model(n, rng)
    v = {(c, s): m.var(f"c{c}_{s}") for c in CYCLES for s in STATES}
    b = {s: m.var(f"best_{s}") for s in BEST_STATES}
    ch = {s: m.var(f"chemo_{s}") for s in CHEMO_STATES}
    _patient_rules(m, v, b, ch, times, status)
    _published_counts(m, v, b, ch, groups, targets)
    sol = m.solve()
    return _decode(sol, times, status, targets, rng, n)


def _and(m: Model, w: int, left: list, right: list) -> None:
    """w = (Σ left) AND (Σ right), where each side is a set of mutually exclusive binaries."""
    m.add({w: 1.0, **dict.fromkeys(left, -1.0)}, hi=0)
    m.add({w: 1.0, **dict.fromkeys(right, -1.0)}, hi=0)
    m.add({w: 1.0, **dict.fromkeys(left, -1.0), **dict.fromkeys(right, -1.0)}, lo=-1)


def _decode(sol, times, status, targets, rng, n) -> ResponseAssignment:
    # split CR into sCR/CR once per patient (a patient in sCR stays sCR), NR into MR/SD
    scr = rng.random(n) < 0.25
    mr = rng.random(n) < 0.3

    def code(state, i):
        return {
            "CR": "sCR" if scr[i] else "CR",
            "VGPR": "VGPR",
            "PR": "PR",
            "NR": "MR" if mr[i] else "SD",
            "PD": "PD",
            "NA": "",
        }[state]

    cycles = {}
    for c in CYCLES:
        arr = np.array([""] * n, dtype=object)
        for s in STATES:
            for i in np.flatnonzero(sol[f"c{c}_{s}"]):
                arr[i] = code(s, i)
        cycles[c] = arr
    best = np.array([""] * n, dtype=object)
    for s in BEST_STATES:
        for i in np.flatnonzero(sol[f"best_{s}"]):
            best[i] = code(s, i)
    # MR vs SD at best: best is at least the deepest recorded non-response (MR > SD)
    for i in range(n):
        if best[i] in ("MR", "SD") and any(cycles[c][i] == "MR" for c in CYCLES):
            best[i] = "MR"
    chemo = np.array([""] * n, dtype=object)
    for s in CHEMO_STATES:
        for i in np.flatnonzero(sol[f"chemo_{s}"]):
            chemo[i] = "" if s == "NA" else s
    pet = {}
    for c, k in targets.pet.items():
        arr = np.array([""] * n, dtype=object)
        cand = [i for i in range(n) if cycles[c][i] not in ("", "PD")]
        chosen = rng.choice(cand, size=min(k, len(cand)), replace=False) if cand else []
        for i in chosen:
            arr[i] = "negative" if cycles[c][i] in ("sCR", "CR") else "positive"
        pet[c] = arr
    return ResponseAssignment(chemo, cycles, best, pet, sol.missed())
