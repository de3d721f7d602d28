"""Patient attributes: baseline, extramedullary detail, regimen and safety.

One integer programme sets every binary attribute so that each published count
holds exactly, with the joint constraints the paper implies or that a
clinician would expect:

* localisations only in extramedullary patients, no more per patient than
  their number of sites (a patient with an unknown site count has at most 3);
* every patient without extramedullary disease has a high tumour burden
  (the inclusion criterion): paramedullary disease, marrow plasma cells
  > 60 %, M-protein > 30 g/L or FLC > 5000 mg/L;
* alkylating agent = cyclophosphamide or bendamustine or lomustine, with the
  published union and anthracycline+alkylator overlap; every patient
  received at least one agent; cisplatin only within etoposide-containing
  (PACE-like) regimens;
* CRS/ICANS treatments only with CRS or ICANS; tocilizumab for every CRS of
  grade ≥ 2; corticosteroids for the grade-4 ICANS; anakinra only after
  corticosteroids;
* grade-5 infections are exactly the deaths from infection; the patient
  without safety data is neither.

Unpublished splits (ISS I vs II, infection grades 0–2, M-protein and FLC
above threshold) are drawn from the seed. Continuous columns (age, prior
lines, delay, marrow plasma cells, M-protein, FLC) are then drawn so that the
published medians and ranges hold exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...data.dictionary import EMD_SITES
from .milp import Model

AGENTS = (
    "chemo_cyclophosphamide",
    "chemo_bendamustine",
    "chemo_lomustine",
    "chemo_anthracycline",
    "chemo_etoposide",
    "chemo_vincristine",
    "chemo_cisplatin",
    "chemo_other",
)


@dataclass(frozen=True)
class AttributeTargets:
    """Published counts for patient attributes (from the claims registry).

    ``counts`` keys: female, triple_class_refractory, iss_III, iss_missing,
    bm_high, bm_missing, paramedullary, sites_1, sites_2, sites_3plus, one key
    per localisation column (emd_cerebral, …), acute_kidney_injury,
    hypercalcemia, cycles_1, cycles_2, cycles_3plus, one key per agent column,
    alkylating, anthracycline_alkylating, teclistamab, crs_1, crs_2, crs_3,
    crs_4, icans_1, icans_2_3, icans_4, tocilizumab, corticosteroids, anakinra,
    infection_ge3, infection_3, safety_missing, infection_documented,
    cytopenia, ig_supplementation, pjp_prophylaxis, antibacterial_prophylaxis,
    antiviral_prophylaxis. ``age``, ``prior_lines``, ``delay_days``:
    (median, min, max).
    """

    counts: dict
    age: tuple
    prior_lines: tuple
    delay_days: tuple


def _baseline(m: Model, emd: np.ndarray, c: dict, rng: np.random.Generator) -> None:
    """Demographics, ISS, tumour burden, EMD sites and localisations (and the inclusion rule)."""
    n, x = m.n, m.var
    for name in (
        "female",
        "triple_class_refractory",
        "paramedullary",
        "acute_kidney_injury",
        "hypercalcemia",
        "teclistamab",
        "tocilizumab",
        "corticosteroids",
        "anakinra",
    ):
        m.count(name, x(name), c[name])
    # ISS: I / II / III / missing, I-vs-II split drawn from the seed
    iss = {s: x(f"iss_{s}") for s in ("I", "II", "III", "missing")}
    known_12 = n - c["iss_III"] - c["iss_missing"]
    n_i = int(rng.binomial(known_12, 0.4))
    for s, k in (("III", c["iss_III"]), ("missing", c["iss_missing"]), ("I", n_i), ("II", known_12 - n_i)):
        m.count(f"iss {s}", iss[s], k)
    # marrow / M-protein / FLC above thresholds
    m.count("bm_high", x("bm_high"), c["bm_high"])
    m.count("bm_missing", x("bm_missing"), c["bm_missing"])
    m.add({int(i): 1.0 for i in x("m_high")}, hi=max(4, n // 4))
    m.add({int(i): 1.0 for i in x("flc_high")}, hi=max(3, n // 5))
    # sites and localisations
    sites = {k: x(f"sites_{k}") for k in ("1", "2", "3plus", "unknown")}
    for k in ("1", "2", "3plus"):
        m.count(f"sites {k}", sites[k], c[f"sites_{k}"])
    for site in EMD_SITES:
        m.count(site, x(site), c[site])
    for i in range(n):
        m.one_hot([iss[s][i] for s in iss])
        m.add({x("bm_high")[i]: 1.0, x("bm_missing")[i]: 1.0}, hi=1)
        if emd[i] == 1:
            m.one_hot([sites[k][i] for k in sites])
            cap = {sites["1"][i]: -1.0, sites["2"][i]: -2.0, sites["3plus"][i]: -6.0, sites["unknown"][i]: -3.0}
            m.add({**{x(s)[i]: 1.0 for s in EMD_SITES}, **cap}, hi=0)
        else:
            for k in sites:
                m.fix(sites[k][i], 0)
            for s in EMD_SITES:
                m.fix(x(s)[i], 0)
            # inclusion: high tumour burden without EMD
            m.add({x("paramedullary")[i]: 1.0, x("bm_high")[i]: 1.0, x("m_high")[i]: 1.0, x("flc_high")[i]: 1.0}, lo=1)
    # cytogenetics: handled with the subgroup labels (see generate.py)


def _regimen(m: Model, c: dict) -> None:
    """Debulking cycles and agents (alkylating, anthracycline + alkylating)."""
    n, x = m.n, m.var
    cyc = {k: x(f"cycles_{k}") for k in ("1", "2", "3plus")}
    for k in cyc:
        m.count(f"cycles {k}", cyc[k], c[f"cycles_{k}"])
    for a in AGENTS:
        m.count(a, x(a), c[a])
    alk, both = x("alkylating"), x("anthracycline_alkylating")
    m.count("alkylating", alk, c["alkylating"])
    m.count("anthracycline+alkylating", both, c["anthracycline_alkylating"])
    for i in range(n):
        m.one_hot([cyc[k][i] for k in cyc])
        parts = [x(a)[i] for a in AGENTS[:3]]
        for p in parts:
            m.implies(p, alk[i])
        m.add({alk[i]: 1.0, **dict.fromkeys(parts, -1.0)}, hi=0)
        m.implies(both[i], alk[i])
        m.implies(both[i], x("chemo_anthracycline")[i])
        m.add({both[i]: 1.0, alk[i]: -1.0, x("chemo_anthracycline")[i]: -1.0}, lo=-1)
        m.add({x(a)[i]: 1.0 for a in AGENTS}, lo=1)
        m.implies(x("chemo_cisplatin")[i], x("chemo_etoposide")[i])


def _crs_icans(m: Model, c: dict) -> None:
    """CRS and ICANS grades and their treatment."""
    n, x = m.n, m.var
    crs = {g: x(f"crs_{g}") for g in range(5)}
    icans = {g: x(f"icans_{g}") for g in ("0", "1", "2_3", "4")}
    for g in range(1, 5):
        m.count(f"crs {g}", crs[g], c[f"crs_{g}"])
    for g in ("1", "2_3", "4"):
        m.count(f"icans {g}", icans[g], c[f"icans_{g}"])
    for i in range(n):
        m.one_hot([crs[g][i] for g in crs])
        m.one_hot([icans[g][i] for g in icans])
        for tr in ("tocilizumab", "corticosteroids", "anakinra"):
            m.add({x(tr)[i]: 1.0, crs[0][i]: 1.0, icans["0"][i]: 1.0}, hi=2)  # some CRS or ICANS
        m.add({x("tocilizumab")[i]: 1.0, crs[2][i]: -1.0, crs[3][i]: -1.0, crs[4][i]: -1.0}, lo=0)
        m.implies(icans["4"][i], x("corticosteroids")[i])
        m.implies(x("anakinra")[i], x("corticosteroids")[i])


def _infections(m: Model, infection_death: np.ndarray, c: dict, rng: np.random.Generator) -> None:
    """Infections and cytopenias; one patient (not an infection death) without safety data; prophylaxis."""
    n, x = m.n, m.var
    inf = {g: x(f"inf_{g}") for g in ("missing", "0", "1", "2", "3", "4", "5")}
    n_ge3, n_3 = c["infection_ge3"], c["infection_3"]
    n_5 = int(infection_death.sum())
    m.count("safety missing", inf["missing"], c["safety_missing"])
    m.count("infection 3", inf["3"], n_3)
    m.count("infection 4", inf["4"], max(0, n_ge3 - n_3 - n_5))
    low = n - c["safety_missing"] - n_ge3
    n0 = int(rng.binomial(low, 0.45))
    n1 = int(rng.binomial(low - n0, 0.4))
    for g, k in (("0", n0), ("1", n1), ("2", low - n0 - n1)):
        m.count(f"infection {g}", inf[g], k)
    doc = x("infection_documented")
    cyto_penia = x("cytopenia")
    m.count("cytopenia", cyto_penia, c["cytopenia"])
    for i in range(n):
        m.one_hot([inf[g][i] for g in inf])
        m.fix(inf["5"][i], int(infection_death[i]))
        m.add({cyto_penia[i]: 1.0, inf["missing"][i]: 1.0}, hi=1)
        m.add({doc[i]: 1.0, inf["0"][i]: 1.0, inf["missing"][i]: 1.0}, hi=1)
    m.count(
        "documented among grade>=3",
        np.concatenate([_and_vars(m, doc, inf[g], f"doc_{g}") for g in ("3", "4", "5")]),
        c["infection_documented"],
    )
    for name in ("ig_supplementation", "pjp_prophylaxis", "antibacterial_prophylaxis", "antiviral_prophylaxis"):
        m.count(name, x(name), c[name])


def assign_attributes(emd: np.ndarray, infection_death: np.ndarray, t: AttributeTargets, rng: np.random.Generator):
    """Returns (binaries: dict name -> 0/1 array, missed soft counts).

    One integer program over every patient's 0/1 attributes (:class:`Model`): each published count
    a constraint, the clinical rules between attributes constraints per patient; built in four
    parts (baseline, regimen, CRS/ICANS, infections) in this order, which fixes the variables' order
    and the random draws, so a seed gives the same cohort.
    """
    m = Model(len(emd), rng)
    _baseline(m, emd, t.counts, rng)
    _regimen(m, t.counts)
    _crs_icans(m, t.counts)
    _infections(m, infection_death, t.counts, rng)
    sol = m.solve()
    out = {name: sol[name] for name in m.names}
    return out, sol.missed()


def _and_vars(m: Model, a: np.ndarray, b: np.ndarray, name: str) -> np.ndarray:
    w = m.var(name, noise=0.0)
    for i in range(m.n):
        m.implies(w[i], a[i])
        m.implies(w[i], b[i])
        m.add({w[i]: 1.0, a[i]: -1.0, b[i]: -1.0}, lo=-1)
    return w


# ----------------------------------------------------------------------------- continuous columns
def exact_median_sample(
    n: int,
    median: float,
    lo: int,
    hi: int,
    rng: np.random.Generator,
    centre: float | None = None,
    spread: float | None = None,
) -> np.ndarray:
    """n integers in [lo, hi] with exactly this median, minimum and maximum.

    For even n the two middle order statistics are set to floor/ceil of the
    median (66.5 -> 66, 67); the remaining values are drawn from a normal
    (mean ``centre``, sd ``spread``) truncated to the lower or upper half.
    Returned in random order.
    """
    centre = median if centre is None else centre
    spread = (hi - lo) / 4 if spread is None else spread
    k = n // 2
    mid = [int(np.floor(median)), int(np.ceil(median))] if n % 2 == 0 else [int(round(median))]
    n_low = k - 1 if n % 2 == 0 else k
    n_high = n - n_low - len(mid)

    def draw(count, a, b):
        out = []
        while len(out) < count:
            v = int(round(rng.normal(centre, spread)))
            if a <= v <= b:
                out.append(v)
        return out

    low = [lo] + draw(n_low - 1, lo, mid[0])
    high = draw(n_high - 1, mid[-1], hi) + [hi]
    values = np.array(low + mid + high)
    return values[rng.permutation(n)]


def delays_by_cycles(cycles: np.ndarray, median: float, lo: int, hi: int, rng: np.random.Generator) -> np.ndarray:
    """Chemotherapy → bispecific delays (days) with this median, minimum and maximum, plausible per regimen.

    One debulking cycle: the published median lies among these patients (the
    most frequent group), so they take the lower ranks with the minimum; each
    further cycle adds 3–4 weeks, so 2 cycles give about 5–10 weeks and 3 or
    more at least 8 weeks, one of them the maximum. Falls back to
    :func:`exact_median_sample` in rank order when the one-cycle group is too
    small to hold the median.
    """
    n = len(cycles)
    one = np.flatnonzero(cycles == 1)
    k = n // 2
    mids = [int(np.floor(median)), int(np.ceil(median))] if n % 2 == 0 else [int(round(median))]
    n_low = k - 1 if n % 2 == 0 else k
    if len(one) < n_low + len(mids) or n - len(one) == 0:
        values = np.sort(exact_median_sample(n, median, lo, hi, rng))
        out = np.empty(n, int)
        out[np.lexsort((rng.random(n), cycles))] = values
        return out
    out = np.empty(n, int)
    n_top = len(one) - n_low - len(mids)
    low = [lo] + [int(v) for v in rng.integers(lo, mids[0] + 1, n_low - 1)]
    top = [int(v) for v in rng.integers(mids[-1], mids[-1] + 8, n_top)]
    out[one] = np.array(low + mids + top)[rng.permutation(len(one))]
    floor = max(out[one].max(), mids[-1])
    multi = np.flatnonzero(cycles > 1)
    for i in multi:
        extra = (cycles[i] - 1) * int(rng.integers(21, 29))
        out[i] = int(np.clip(int(rng.integers(14, 29)) + extra, floor, hi))
    longest = multi[np.argmax(cycles[multi] * 1000 + out[multi])]
    out[longest] = hi
    return out
