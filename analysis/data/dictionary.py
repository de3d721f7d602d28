"""The data dictionary: the one definition of the patient table.

One row per patient, one column per variable below, CSV (UTF-8, comma-separated)
or XLSX (first sheet, or the sheet named ``patients``). ``data/README.md`` is
generated from :data:`COLUMNS` (``python -m analysis dictionary --write``) and a
test checks that it is current, so edit the definitions here, never there.

Encodings, chosen so that a file can be written by hand or exported from a
spreadsheet without interpretation:

* **flag** — ``1`` = yes, ``0`` = no. Nothing else (not ``yes``/``true``): the
  validator refuses rather than guesses.
* **date** — ISO 8601 ``YYYY-MM-DD`` (XLSX date cells are accepted as they are).
* **category** — one of the listed codes, case-sensitive.
* **integer / number** — plain decimal numbers, ``.`` as decimal separator.
* an **empty cell** means "missing"; what missing means for each column (not
  tested, not assessed, not applicable) is stated in its row, and a column that
  may not be missing says so.

Clinical scales: response categories follow IMWG 2016 (Kumar et al., Lancet
Oncol 2016;17:e328); CRS and ICANS grades ASTCT 2019 (Lee et al., BBMT
2019;25:625); infections and cytopenias NCI CTCAE v5.0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: IMWG response categories, best first. ``ORR`` = PR or better.
RESPONSE_ORDER: tuple[str, ...] = ("sCR", "CR", "VGPR", "PR", "MR", "SD", "PD")
RESPONSE_CODES: dict[str, str] = {
    "sCR": "stringent complete response",
    "CR": "complete response",
    "VGPR": "very good partial response",
    "PR": "partial response",
    "MR": "minimal response",
    "SD": "stable disease",
    "PD": "progressive disease",
}
#: Bispecific timepoints with a recorded response: column suffix -> cycle number.
RESPONSE_CYCLES: dict[str, int] = {"c1": 1, "c3": 3, "c6": 6, "c12": 12}
PET_CYCLES: dict[str, int] = {"c1": 1, "c3": 3, "c6": 6}
#: Length of one bispecific cycle, days (teclistamab and elranatamab are both
#: labelled in 28-day cycles). A response "at Cn" is the assessment at the end
#: of cycle n, i.e. after day n*28; cycle n starts on day (n-1)*28.
CYCLE_DAYS = 28

EMD_SITES: dict[str, str] = {
    "emd_cerebral": "cerebral / central nervous system",
    "emd_lung": "lung or pleura",
    "emd_liver": "liver",
    "emd_kidney": "kidney",
    "emd_digestive": "digestive tract",
    "emd_cutaneous": "skin / subcutaneous",
    "emd_muscle": "muscle",
    "emd_orl": "ear-nose-throat (ORL)",
}
CYTOGENETICS: dict[str, str] = {
    "del17p": "del(17p)",
    "t_4_14": "t(4;14)",
    "t_14_16": "t(14;16)",
    "gain_1q21": "1q21 gain (3 copies)",
    "amp_1q21": "1q21 amplification (4 or more copies)",
    "del_1p32": "del(1p32)",
}
CHEMO_AGENTS: dict[str, str] = {
    "chemo_cyclophosphamide": "cyclophosphamide",
    "chemo_bendamustine": "bendamustine",
    "chemo_lomustine": "lomustine (Belustine)",
    "chemo_anthracycline": "anthracycline (doxorubicin, liposomal doxorubicin, …)",
    "chemo_etoposide": "etoposide",
    "chemo_vincristine": "vincristine",
    "chemo_cisplatin": "cisplatin",
    "chemo_other": "any other cytotoxic agent",
}
ALKYLATING = ("chemo_cyclophosphamide", "chemo_bendamustine", "chemo_lomustine")
PROPHYLAXIS: dict[str, str] = {
    "ig_supplementation": "immunoglobulin supplementation",
    "pjp_prophylaxis": "anti-pneumocystis prophylaxis",
    "antibacterial_prophylaxis": "antibacterial prophylaxis",
    "antiviral_prophylaxis": "antiviral prophylaxis",
}

KINDS = ("id", "category", "flag", "integer", "number", "date")


@dataclass(frozen=True)
class Column:
    """Definition of one column of the patient table.

    ``nullable`` says whether an empty cell is allowed; ``empty_means`` says
    what it then means. ``minimum``/``maximum`` are inclusive.
    """

    name: str
    kind: str
    group: str
    description: str
    unit: str = ""
    codes: Mapping[str, str] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False
    empty_means: str = ""

    def allowed_text(self) -> str:
        """Human-readable allowed values, as shown in ``data/README.md``."""
        if self.kind == "flag":
            return "1 = yes, 0 = no"
        if self.kind == "category":
            return ", ".join(self.codes)
        if self.kind == "date":
            return "YYYY-MM-DD"
        if self.kind == "id":
            return "letters, digits, `-`, `_` (1–32)"
        lo = "" if self.minimum is None else f"{self.minimum:g}"
        hi = "" if self.maximum is None else f"{self.maximum:g}"
        return f"{lo}–{hi}" if (lo or hi) else "any"


def _flag(name, group, description, nullable=False, empty_means=""):
    return Column(name, "flag", group, description, nullable=nullable, empty_means=empty_means)


_RESP = dict(RESPONSE_CODES)

COLUMNS: tuple[Column, ...] = (
    # --- identity and baseline (at bispecific start) ---------------------------
    Column(
        "patient_id",
        "id",
        "identity",
        "Unique study pseudonym of the patient. Never a name, initials, birth date or hospital/social-security number.",
    ),
    Column("center_id", "id", "identity", "Pseudonymised code of the treating centre."),
    Column("sex", "category", "baseline", "Sex.", codes={"F": "female", "M": "male"}),
    Column(
        "age_years",
        "integer",
        "baseline",
        "Age at the first bispecific dose, completed years.",
        unit="years",
        minimum=18,
        maximum=100,
    ),
    Column(
        "prior_lines",
        "integer",
        "baseline",
        "Number of prior lines of therapy before the debulking regimen.",
        unit="lines",
        minimum=1,
        maximum=20,
    ),
    _flag(
        "triple_class_refractory",
        "baseline",
        "Refractory to at least one immunomodulatory drug, one proteasome inhibitor and one anti-CD38 antibody.",
    ),
    Column(
        "iss_stage",
        "category",
        "baseline",
        "International Staging System stage at bispecific start.",
        codes={"I": "stage I", "II": "stage II", "III": "stage III"},
        nullable=True,
        empty_means="not assessed",
    ),
    Column(
        "bm_plasma_cell_pct",
        "number",
        "baseline",
        "Bone-marrow plasma-cell infiltration (highest of aspirate and biopsy). High tumour burden if > 60.",
        unit="%",
        minimum=0,
        maximum=100,
        nullable=True,
        empty_means="not assessed",
    ),
    Column(
        "m_protein_g_l",
        "number",
        "baseline",
        "Serum monoclonal protein peak. High tumour burden if > 30 g/L "
        "(the paper prints '30 g/dl', read as g/L: see analysis.data.derive).",
        unit="g/L",
        minimum=0,
        maximum=150,
        nullable=True,
        empty_means="not measured",
    ),
    Column(
        "involved_flc_mg_l",
        "number",
        "baseline",
        "Involved serum free light chain. High tumour burden if > 5000 mg/L.",
        unit="mg/L",
        minimum=0,
        maximum=100000,
        nullable=True,
        empty_means="not measured",
    ),
    _flag("paramedullary", "baseline", "Paramedullary disease: soft-tissue mass arising from bone."),
    _flag(
        "extramedullary",
        "baseline",
        "Extramedullary disease: a soft-tissue lesion without contact with bone (the paper's definition).",
    ),
    Column(
        "emd_site_count",
        "integer",
        "baseline",
        "Number of extramedullary sites involved.",
        unit="sites",
        minimum=0,
        maximum=50,
        nullable=True,
        empty_means="no extramedullary disease, or number of sites not recorded",
    ),
    *(_flag(name, "baseline", f"Extramedullary localisation: {label}.") for name, label in EMD_SITES.items()),
    _flag("acute_kidney_injury", "baseline", "Acute kidney injury at bispecific start."),
    _flag("hypercalcemia", "baseline", "Hypercalcaemia at bispecific start."),
    *(
        _flag(name, "cytogenetics", f"{label} detected (FISH).", nullable=True, empty_means="not tested")
        for name, label in CYTOGENETICS.items()
    ),
    # --- debulking chemotherapy -----------------------------------------------
    Column("chemo_start_date", "date", "debulking", "Start date of the first debulking chemotherapy cycle."),
    Column(
        "chemo_cycles",
        "integer",
        "debulking",
        "Number of debulking chemotherapy cycles given.",
        unit="cycles",
        minimum=1,
        maximum=12,
    ),
    *(_flag(name, "debulking", f"Debulking regimen included {label}.") for name, label in CHEMO_AGENTS.items()),
    Column(
        "chemo_response",
        "category",
        "debulking",
        "IMWG response to the debulking regimen, assessed before the first bispecific dose.",
        codes=_RESP,
        nullable=True,
        empty_means="not evaluated",
    ),
    # --- bispecific antibody ----------------------------------------------------
    Column(
        "bsab_agent",
        "category",
        "bispecific",
        "Anti-BCMA × CD3 bispecific antibody given.",
        codes={"teclistamab": "teclistamab", "elranatamab": "elranatamab"},
    ),
    Column("bsab_start_date", "date", "bispecific", "Date of the first bispecific dose (time origin of PFS and OS)."),
    *(
        Column(
            f"response_{c}",
            "category",
            "bispecific",
            f"IMWG response assessed at the end of bispecific cycle {n} (day {n * CYCLE_DAYS}).",
            codes=_RESP,
            nullable=True,
            empty_means="not assessed",
        )
        for c, n in RESPONSE_CYCLES.items()
    ),
    Column(
        "best_response",
        "category",
        "bispecific",
        "Best IMWG response to the bispecific over follow-up (any assessment, not only the four timepoints).",
        codes=_RESP,
        nullable=True,
        empty_means="never assessed",
    ),
    *(
        Column(
            f"pet_{c}",
            "category",
            "bispecific",
            f"PET-CT after cycle {n}.",
            codes={"negative": "complete metabolic response", "positive": "residual FDG-avid disease"},
            nullable=True,
            empty_means="not performed",
        )
        for c, n in PET_CYCLES.items()
    ),
    # --- safety -----------------------------------------------------------------
    Column(
        "crs_grade",
        "integer",
        "safety",
        "Worst cytokine release syndrome grade (ASTCT 2019; 0 = none).",
        unit="grade",
        minimum=0,
        maximum=4,
    ),
    Column(
        "icans_grade",
        "integer",
        "safety",
        "Worst ICANS grade (ASTCT 2019; 0 = none).",
        unit="grade",
        minimum=0,
        maximum=4,
    ),
    _flag("tocilizumab", "safety", "Tocilizumab given for CRS or ICANS."),
    _flag("corticosteroids", "safety", "Corticosteroids (dexamethasone) given for CRS or ICANS."),
    _flag("anakinra", "safety", "Anakinra given for CRS or ICANS."),
    Column(
        "infection_max_grade",
        "integer",
        "safety",
        "Worst infection grade (CTCAE v5.0; 0 = none; 5 = fatal).",
        unit="grade",
        minimum=0,
        maximum=5,
        nullable=True,
        empty_means="not recorded",
    ),
    _flag(
        "infection_documented",
        "safety",
        "The worst infection was microbiologically documented.",
        nullable=True,
        empty_means="no infection, or documentation not recorded",
    ),
    _flag(
        "cytopenia_grade3plus",
        "safety",
        "Any grade ≥ 3 cytopenia (CTCAE v5.0).",
        nullable=True,
        empty_means="not recorded",
    ),
    *(
        _flag(name, "safety", f"{label.capitalize()} given.", nullable=True, empty_means="not recorded")
        for name, label in PROPHYLAXIS.items()
    ),
    # --- outcome ----------------------------------------------------------------
    Column(
        "progression_date",
        "date",
        "outcome",
        "Date of IMWG progression after the first bispecific dose.",
        nullable=True,
        empty_means="no progression observed",
    ),
    Column("death_date", "date", "outcome", "Date of death.", nullable=True, empty_means="alive at last follow-up"),
    Column(
        "death_cause",
        "category",
        "outcome",
        "Main cause of death.",
        codes={"progression": "disease progression", "infection": "infection", "other": "other cause"},
        nullable=True,
        empty_means="alive",
    ),
    Column("last_followup_date", "date", "outcome", "Date last known alive, or date of death."),
)

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
NAMES: tuple[str, ...] = tuple(BY_NAME)
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(c.group for c in COLUMNS))


def to_markdown() -> str:
    """The dictionary as the Markdown table embedded in ``data/README.md``."""
    lines = ["| column | type | unit | allowed values | empty cell | meaning |", "|---|---|---|---|---|---|"]
    for c in COLUMNS:
        empty = f"allowed: {c.empty_means}" if c.nullable else "**not allowed**"
        allowed = c.allowed_text()
        if c.kind == "category" and any(k != v for k, v in c.codes.items()):
            allowed = "; ".join(f"`{k}` {v}" for k, v in c.codes.items())
        lines.append(f"| `{c.name}` | {c.kind} | {c.unit} | {allowed} | {empty} | {c.description} |")
    return "\n".join(lines) + "\n"
