"""Two centres' own spreadsheets, SYNTHETIC, as a new centre would send them (issue 23): for the draft mapping.

Written by ``make_examples.py`` (which says how to run it); every row is a patient of the committed
synthetic cohort (``data/synthetic/cohort.csv``) — no real patient is in any of them — and every
identifier is invented here (names from short fixed lists, numbers from the row's position).

* ``centre_fr.xlsx`` and ``centre_fr.sav`` — a French centre (the fictional "CH de Valmont"), 37
  patients, 72 columns in French: a birth date and no age; its name, first name, hospital number
  (IPP), referring doctor and free comments; the hospital's name rather than a centre code; X-or-blank
  boxes for the extramedullary sites and the debulking agents; Oui/Non flags; "Non fait" for an
  untested cytogenetic abnormality; Homme/Femme; French IMWG abbreviations (RCs, RC, TBRP, RP, RM,
  MS, MP) and "NE" for a response not assessed; the M-protein in g/dL; the worst cytopenia grade
  rather than the grade ≥ 3 flag; a diagnosis date and a vital status the study does not use. The
  workbook stores dates as date cells shown DD/MM/YYYY, except the progression dates, typed as text;
  the SPSS file has short variable names, the French headers as
  variable labels, coded values with value labels (1 = Oui, 2 = Non; 1 = Homme, 2 = Femme; …) and
  9 = "Non fait" declared user-missing on the cytogenetics.
* ``centre_en.csv`` and ``centre_en.dta`` — an English-speaking centre, the same 37 patients, no
  centre column: name, MRN, DOB *and* age, comments; Yes/No, Y/N and Detected/Not detected flags;
  Male/Female; IMWG codes and words; brand names (Tecvayli, Elrexfio); the involved FLC in mg/dL;
  MM/DD/YYYY dates in the CSV; ECOG, a diagnosis date, a vital status and a cytogenetic risk group
  the study does not use (or derives itself). The Stata file has
  Stata names, the headers as variable labels, and value labels (9 = "Not done", not declared missing).

:func:`truth` is what a person completing the mapping would know: which raw column holds which
dictionary column (or is to be dropped, or read to derive the age), and what each raw value means —
the reference the draft mapping is scored against (``tests/data/intake/test_draft_mapping.py``,
``benchmarks/bench_draft.py``).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.dictionary import BY_NAME, CHEMO_AGENTS, CYTOGENETICS, EMD_SITES
from analysis.data.readers import read_xlsx, to_table
from analysis.data.stat_files import read_stat

#: Rows of the synthetic cohort in the exports: every row but each sixth (37 of 44).
KEEP = [k for k in range(44) if k % 6 != 5]
HOSPITAL = "CH de Valmont"
SURNAMES = ("MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT",
            "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD")  # fmt: skip
FIRST_NAMES = ("Jean", "Marie", "Pierre", "Anne", "Louis", "Claire", "Paul", "Sophie", "Marc", "Isabelle", "Henri")
DOCTORS = ("Dr Lambert", "Dr Fabre", "Dr Noël")
COMMENTS_FR = ("Revu en RCP du mois", "Patient suivi en hôpital de jour", "Contrôle biologique à prévoir",
               "Transfert depuis un autre centre", "Pas de remarque particulière ce jour")  # fmt: skip
COMMENTS_EN = ("Seen in tumour board this month", "Followed in the day hospital", "Labs to repeat next visit",
               "Referred from another centre", "Nothing to report at this visit")  # fmt: skip
FR_RESPONSE = {"sCR": "RCs", "CR": "RC", "VGPR": "TBRP", "PR": "RP", "MR": "RM", "SD": "MS", "PD": "MP"}
EN_RESPONSE_WORDS = {"sCR": "Stringent complete response", "CR": "Complete response",
                     "VGPR": "Very good partial response", "PR": "Partial response", "MR": "Minimal response",
                     "SD": "Stable disease", "PD": "Progressive disease"}  # fmt: skip
RESPONSE_NUMBER = {"sCR": 1, "CR": 2, "VGPR": 3, "PR": 4, "MR": 5, "SD": 6, "PD": 7}


def _date(text: str) -> _dt.date | None:
    return _dt.date.fromisoformat(text) if text else None


def birth_date(start: str, age: str, k: int) -> _dt.date:
    """A birth date ``age`` completed years before ``start``, 1 to 300 days short of a birthday (by row)."""
    s = _date(start)
    day = 28 if (s.month, s.day) == (2, 29) else s.day
    return _dt.date(s.year - int(age), s.month, day) - _dt.timedelta(days=1 + (k * 37) % 300)


# ----------------------------------------------------------------------------- how each column is written
@dataclass(frozen=True)
class Field:
    """One column of an export: its header, its statistical-file name, what it holds and how it is written.

    ``source``: a dictionary column (its cohort text is the cell's meaning), or ``None`` for a
    column the study does not keep; ``role``: ``column``, ``drop`` or ``derive`` (the birth date);
    ``sheet``/``stat``: the cell as the spreadsheet or CSV stores it, and as the statistical file
    stores it, from (the patient's cohort row, its position); ``labels``: the statistical file's
    value labels; ``user_missing``: its SPSS user-missing codes.
    """

    header: str
    var: str
    source: str | None
    sheet: Callable
    stat: Callable | None = None
    labels: dict | None = None
    role: str = "column"
    user_missing: tuple = ()


def _cell(name: str, table: dict[str, str]) -> Callable:
    return lambda row, k: table[row[name]]


def _number(name: str, scale: float = 1) -> Callable:
    def cell(row, k):
        text = row[name]
        return None if text == "" else float(f"{float(text) * scale:.10g}")

    return cell


def _day(name: str) -> Callable:
    return lambda row, k: _date(row[name])


def _text(name: str) -> Callable:
    return lambda row, k: row[name] or None


def _coded(name: str, codes: dict[str, float | None]) -> Callable:
    return lambda row, k: codes[row[name]]


class _Vital(dict):
    """{death date: status}: the given entries, and ``other`` for any date."""

    def __init__(self, table, other):
        super().__init__(table)
        self.other = other

    def __missing__(self, key):
        return self.other


def _typed(name: str) -> Callable:
    """A date typed as text, DD/MM/YYYY (as someone keys it into a cell Excel did not format)."""
    return lambda row, k: _date(row[name]).strftime("%d/%m/%Y") if row[name] else None


def _cytopenia_grade(row, k):
    """A worst cytopenia grade consistent with the flag: 3 or 4 when grade ≥ 3, else 0–2 (by row)."""
    flag = row["cytopenia_grade3plus"]
    return None if flag == "" else float(3 + k % 2 if flag == "1" else k % 3)


def _risk(row, k):
    """High-risk cytogenetics as a centre may record it: High, Standard, or empty when not all tested."""
    cells = [row["del17p"], row["t_4_14"], row["t_14_16"]]
    return "High" if "1" in cells else ("Standard" if "" not in cells else None)


NAN = np.nan
OUI_NON = {"1": "Oui", "0": "Non", "": None}
OUI_NON_CODE = {"1": 1.0, "0": 2.0, "": NAN}
BOX = {"1": "X", "0": None, "": None}
LABEL_OUI_NON = {1.0: "Oui", 2.0: "Non"}


def _flag_fr(header: str, var: str, name: str) -> Field:
    return Field(header, var, name, _cell(name, OUI_NON), _coded(name, OUI_NON_CODE), LABEL_OUI_NON)


def _box(header: str, var: str, name: str) -> Field:
    return Field(header, var, name, _cell(name, BOX), _cell(name, {**BOX, "0": ""}))


def _identity_fr() -> list[Field]:
    def surname(row, k):
        return SURNAMES[k % len(SURNAMES)]

    def first(row, k):
        return FIRST_NAMES[(k * 7) % len(FIRST_NAMES)]

    def ipp(row, k):
        return f"400{12000 + 37 * k:05d}"

    def born(row, k):
        return birth_date(row["bsab_start_date"], row["age_years"], k)

    return [
        Field("N° patient", "num_pat", "patient_id", lambda row, k: f"VAL-{k + 1:03d}"),
        Field("Hôpital", "hopital", "center_id", lambda row, k: HOSPITAL),
        Field("Nom", "nom", None, surname, role="drop"),
        Field("Prénom", "prenom", None, first, role="drop"),
        Field("Date de naissance", "ddn", "age_years", born, role="derive"),
        Field("IPP", "ipp", None, ipp, role="drop"),
        Field("Médecin référent", "medecin", None, lambda row, k: DOCTORS[k % 3], role="drop"),
        Field("Sexe", "sexe", "sex", _cell("sex", {"M": "Homme", "F": "Femme"}),
              _coded("sex", {"M": 1.0, "F": 2.0}), {1.0: "Homme", 2.0: "Femme"}),
    ]  # fmt: skip


FR_EMD = dict(zip(EMD_SITES, ("SNC", "poumon/plèvre", "foie", "rein", "digestif", "cutané", "muscle", "ORL")))
FR_EMD_VAR = dict(zip(EMD_SITES, ("snc", "poumon", "foie", "rein", "dig", "peau", "muscle", "orl")))
FR_CHEMO = dict(zip(CHEMO_AGENTS, ("Endoxan", "Bendamustine", "Bélustine", "Adriamycine", "VP16", "Vincristine",
                                   "Cisplatine", "Autre chimio")))  # fmt: skip
FR_CHEMO_VAR = dict(zip(CHEMO_AGENTS, ("endoxan", "benda", "belustine", "adria", "vp16", "vincri", "cisplat",
                                       "autre_chimio")))  # fmt: skip
FR_CYTO = dict(zip(CYTOGENETICS, ("del(17p)", "t(4;14)", "t(14;16)", "Gain 1q", "Amp 1q", "del(1p32)")))
FR_CYTO_VAR = dict(zip(CYTOGENETICS, ("del17p", "t4_14", "t14_16", "gain1q", "amp1q", "del1p32")))


def _baseline_fr() -> list[Field]:
    cyto = {"1": "Oui", "0": "Non", "": "Non fait"}
    cyto_code = {"1": 1.0, "0": 2.0, "": 9.0}
    fields = [
        Field("Nb lignes antérieures", "nb_lignes", "prior_lines", _number("prior_lines")),
        _flag_fr("Triple réfractaire", "triple_ref", "triple_class_refractory"),
        Field("Stade ISS", "iss", "iss_stage", _cell("iss_stage", {"I": "I", "II": "II", "III": "III", "": "non évalué"}),
              _coded("iss_stage", {"I": 1.0, "II": 2.0, "III": 3.0, "": NAN}),
              {1.0: "Stade I", 2.0: "Stade II", 3.0: "Stade III"}),
        Field("Plasmocytose médullaire (%)", "plasmo_pct", "bm_plasma_cell_pct", _number("bm_plasma_cell_pct")),
        Field("Pic monoclonal (g/dL)", "pic_gdl", "m_protein_g_l", _number("m_protein_g_l", 0.1)),
        Field("CLL impliquée (mg/L)", "cll_mgl", "involved_flc_mg_l", _number("involved_flc_mg_l")),
        _flag_fr("Atteinte paramédullaire", "paramed", "paramedullary"),
        _flag_fr("Maladie extramédullaire", "extramed", "extramedullary"),
        Field("Nb sites EM", "nb_sites_em", "emd_site_count", _number("emd_site_count")),
        *(_box(f"EM {FR_EMD[n]}", f"em_{FR_EMD_VAR[n]}", n) for n in EMD_SITES),
        _flag_fr("IRA", "ira", "acute_kidney_injury"),
        _flag_fr("Hypercalcémie", "hypercalc", "hypercalcemia"),
    ]  # fmt: skip
    for n in CYTOGENETICS:
        fields.append(
            Field(FR_CYTO[n], FR_CYTO_VAR[n], n, _cell(n, cyto), _coded(n, cyto_code),
                  {**LABEL_OUI_NON, 9.0: "Non fait"}, user_missing=(9.0,))
        )  # fmt: skip
    return fields


def _treatment_fr() -> list[Field]:
    resp = {**FR_RESPONSE, "": None}
    resp_code = {**{k: float(v) for k, v in RESPONSE_NUMBER.items()}, "": NAN}
    resp_labels = {float(RESPONSE_NUMBER[k]): v for k, v in FR_RESPONSE.items()}

    def response(header, var, name):
        if name in ("response_c1", "response_c3"):  # not assessed: "NE" (non évaluable), code 8
            return Field(
                header,
                var,
                name,
                _cell(name, {**resp, "": "NE"}),
                _coded(name, {**resp_code, "": 8.0}),
                {**resp_labels, 8.0: "Non évaluable"},
            )
        return Field(header, var, name, _cell(name, resp), _coded(name, resp_code), resp_labels)

    pet = {"negative": "négatif", "positive": "positif", "": None}
    pet_code = {"negative": 1.0, "positive": 2.0, "": NAN}
    return [
        Field("Date début chimio", "date_chimio", "chemo_start_date", _day("chemo_start_date")),
        Field("Nb cycles chimio", "nb_cycles", "chemo_cycles", _number("chemo_cycles")),
        *(_box(FR_CHEMO[n], FR_CHEMO_VAR[n], n) for n in CHEMO_AGENTS),
        response("Réponse chimio", "rep_chimio", "chemo_response"),
        Field("Bispécifique", "bispe", "bsab_agent", _cell("bsab_agent", {"teclistamab": "Téclistamab",
              "elranatamab": "Elranatamab"}), _coded("bsab_agent", {"teclistamab": 1.0, "elranatamab": 2.0}),
              {1.0: "Téclistamab", 2.0: "Elranatamab"}),
        Field("Date J1", "date_j1", "bsab_start_date", _day("bsab_start_date")),
        *(response(f"Réponse {c.upper()}", f"rep_{c}", f"response_{c}") for c in ("c1", "c3", "c6", "c12")),
        response("Meilleure réponse", "meil_rep", "best_response"),
        *(Field(f"TEP {c.upper()}", f"tep_{c}", f"pet_{c}", _cell(f"pet_{c}", pet), _coded(f"pet_{c}", pet_code),
                {1.0: "négatif", 2.0: "positif"}) for c in ("c1", "c3", "c6")),
    ]  # fmt: skip


def _outcome_fr() -> list[Field]:
    cause = {"progression": "Progression", "infection": "Infection", "other": "Autre", "": None}
    cause_code = {"progression": 1.0, "infection": 2.0, "other": 3.0, "": NAN}
    return [
        Field("Grade SRC", "grade_src", "crs_grade", _number("crs_grade")),
        Field("Grade ICANS", "grade_icans", "icans_grade", _number("icans_grade")),
        _flag_fr("Tocilizumab", "toci", "tocilizumab"),
        _flag_fr("Corticoïdes", "cortico", "corticosteroids"),
        _flag_fr("Anakinra", "anakinra", "anakinra"),
        Field("Grade infection max", "grade_inf", "infection_max_grade", _number("infection_max_grade")),
        _flag_fr("Infection documentée", "inf_doc", "infection_documented"),
        Field("Grade cytopénie max", "grade_cytop", "cytopenia_grade3plus", _cytopenia_grade, role="derive"),
        _flag_fr("IgIV", "igiv", "ig_supplementation"),
        _flag_fr("Bactrim", "bactrim", "pjp_prophylaxis"),
        _flag_fr("Prophylaxie antibactérienne", "proph_antibac", "antibacterial_prophylaxis"),
        _flag_fr("Prophylaxie antivirale", "proph_antivir", "antiviral_prophylaxis"),
        Field("Date progression", "date_prog", "progression_date", _typed("progression_date"), _day("progression_date")),
        Field("Date décès", "date_dc", "death_date", _day("death_date")),
        Field("Cause du décès", "cause_dc", "death_cause", _cell("death_cause", cause), _coded("death_cause", cause_code),
              {1.0: "Progression", 2.0: "Infection", 3.0: "Autre"}),
        Field("Date dernières nouvelles", "date_der_nouv", "last_followup_date", _day("last_followup_date")),
        Field("Statut", "statut", None, _cell("death_date", _Vital({"": "Vivant"}, "Décédé")),
              _cell("death_date", _Vital({"": 1.0}, 2.0)), {1.0: "Vivant", 2.0: "Décédé"}, role="drop"),
        Field("Date diagnostic", "date_diag", None,
              lambda row, k: _date(row["chemo_start_date"]) - _dt.timedelta(days=400 + 53 * k), role="drop"),
        Field("Commentaire", "commentaire", None, lambda row, k: COMMENTS_FR[k % 5] if k % 3 else None, role="drop"),
    ]  # fmt: skip


def french_fields() -> list[Field]:
    """The French centre's 72 columns, in its spreadsheet's order."""
    return _identity_fr() + _baseline_fr() + _treatment_fr() + _outcome_fr()


# ----------------------------------------------------------------------------- the English centre
EN_SURNAMES = ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Green", "Hall", "Wood",
               "Clarke", "Turner", "Hill", "Cooper", "Ward", "Morris", "King", "Baker", "Harris")  # fmt: skip
EN_FIRST_NAMES = ("John", "Mary", "James", "Linda", "Robert", "Susan", "David", "Karen", "Peter", "Helen", "Alan")
YES_NO = {"1": "Yes", "0": "No", "": None}
FLAG_CODE = {"1": 1.0, "0": 0.0, "": NAN}
LABEL_YES_NO = {0.0: "No", 1.0: "Yes"}
EN_EMD = dict(zip(EMD_SITES, ("CNS", "lung/pleura", "liver", "kidney", "GI", "skin", "muscle", "ENT")))
EN_CHEMO = dict(zip(CHEMO_AGENTS, ("Cyclophosphamide", "Bendamustine", "Lomustine", "Doxorubicin", "Etoposide",
                                   "Vincristine", "Cisplatin", "Other cytotoxic")))  # fmt: skip
EN_CYTO = dict(zip(CYTOGENETICS, ("del(17p)", "t(4;14)", "t(14;16)", "1q21 gain", "1q21 amp", "del(1p32)")))
EN_CYTO_VAR = dict(zip(CYTOGENETICS, ("del17p", "t414", "t1416", "gain1q", "amp1q", "del1p")))


def _flag_en(header: str, var: str, name: str, words: dict[str, str | None] = YES_NO) -> Field:
    labels = {0.0: words["0"], 1.0: words["1"]}
    return Field(header, var, name, _cell(name, words), _coded(name, FLAG_CODE), labels)


def _identity_en() -> list[Field]:
    def name(row, k):
        return f"{EN_SURNAMES[k % len(EN_SURNAMES)]}, {EN_FIRST_NAMES[(k * 7) % len(EN_FIRST_NAMES)]}"

    return [
        Field("Patient ID", "patid", "patient_id", lambda row, k: f"RG-{k + 1:02d}"),
        Field("Name", "name", None, name, role="drop"),
        Field("MRN", "mrn", None, lambda row, k: f"{70000000 + 113 * k}", role="drop"),
        Field("DOB", "dob", None, lambda row, k: birth_date(row["bsab_start_date"], row["age_years"], k), role="drop"),
        Field("Age", "age", "age_years", _number("age_years")),
        Field("Sex", "sex", "sex", _cell("sex", {"M": "Male", "F": "Female"}), _coded("sex", {"M": 1.0, "F": 2.0}),
              {1.0: "Male", 2.0: "Female"}),
        Field("Prior lines", "priorlines", "prior_lines", _number("prior_lines")),
        _flag_en("Triple-class refractory", "tcr", "triple_class_refractory"),
        Field("ISS stage", "iss", "iss_stage", _text("iss_stage"),
              _coded("iss_stage", {"I": 1.0, "II": 2.0, "III": 3.0, "": NAN}), {1.0: "I", 2.0: "II", 3.0: "III"}),
        Field("BM plasma cells (%)", "bmpc", "bm_plasma_cell_pct", _number("bm_plasma_cell_pct")),
        Field("M-protein (g/L)", "mprot", "m_protein_g_l", _number("m_protein_g_l")),
        Field("Involved FLC (mg/dL)", "iflc_mgdl", "involved_flc_mg_l", _number("involved_flc_mg_l", 0.1)),
        _flag_en("Paramedullary", "paramed", "paramedullary"),
        _flag_en("EMD", "emd", "extramedullary"),
        Field("EMD sites (n)", "emd_n", "emd_site_count", _number("emd_site_count")),
        *(_flag_en(f"EMD {EN_EMD[n]}", f"emd_{EN_EMD[n].split('/')[0].lower()}", n, {"1": "Y", "0": "N", "": None})
          for n in EMD_SITES),
        _flag_en("AKI", "aki", "acute_kidney_injury"),
        _flag_en("Hypercalcemia", "hypercalc", "hypercalcemia"),
    ]  # fmt: skip


def _rest_en() -> list[Field]:
    detected = {"1": "Detected", "0": "Not detected", "": "Not done"}
    words = {**EN_RESPONSE_WORDS, "": None}
    codes = {**{k: float(v) for k, v in RESPONSE_NUMBER.items()}, "": NAN}

    def response(header, var, name, table, labels):
        return Field(header, var, name, _cell(name, table), _coded(name, codes), labels)

    by_word = {float(RESPONSE_NUMBER[k]): v for k, v in EN_RESPONSE_WORDS.items()}
    by_code = {float(v): k for k, v in RESPONSE_NUMBER.items()}
    plain = {**{k: k for k in RESPONSE_NUMBER}, "": None}
    cause = {"progression": "Progressive disease", "infection": "Infection", "other": "Other", "": None}
    pet = {"negative": "Negative", "positive": "Positive", "": None}
    return [
        *(Field(EN_CYTO[n], EN_CYTO_VAR[n], n, _cell(n, detected), _coded(n, {"1": 1.0, "0": 0.0, "": 9.0}),
                {0.0: "Not detected", 1.0: "Detected", 9.0: "Not done"}) for n in CYTOGENETICS),
        Field("Debulking start", "chemo_start", "chemo_start_date", _day("chemo_start_date")),
        Field("Debulking cycles", "chemo_cycles", "chemo_cycles", _number("chemo_cycles")),
        *(_flag_en(EN_CHEMO[n], EN_CHEMO[n].split()[0].lower()[:6], n, {"1": "TRUE", "0": "FALSE", "": None})
          for n in CHEMO_AGENTS),
        response("Response to debulking", "chemo_resp", "chemo_response", words, by_word),
        Field("Bispecific", "bsab", "bsab_agent", _cell("bsab_agent", {"teclistamab": "Tecvayli",
              "elranatamab": "Elrexfio"}), _coded("bsab_agent", {"teclistamab": 1.0, "elranatamab": 2.0}),
              {1.0: "Tecvayli", 2.0: "Elrexfio"}),
        Field("First dose date", "c1d1", "bsab_start_date", _day("bsab_start_date")),
        *(response(f"Response {c.upper()}", f"resp_{c}", f"response_{c}", plain, by_code)
          for c in ("c1", "c3", "c6", "c12")),
        response("Best response", "best_resp", "best_response", plain, by_code),
        *(Field(f"PET {c.upper()}", f"pet_{c}", f"pet_{c}", _cell(f"pet_{c}", pet),
                _coded(f"pet_{c}", {"negative": 1.0, "positive": 2.0, "": NAN}), {1.0: "Negative", 2.0: "Positive"})
          for c in ("c1", "c3", "c6")),
        Field("CRS grade", "crs", "crs_grade", _number("crs_grade")),
        Field("ICANS grade", "icans", "icans_grade", _number("icans_grade")),
        _flag_en("Tocilizumab", "toci", "tocilizumab"),
        _flag_en("Steroids", "steroids", "corticosteroids"),
        _flag_en("Anakinra", "anakinra", "anakinra"),
        Field("Worst infection grade", "inf_grade", "infection_max_grade", _number("infection_max_grade")),
        _flag_en("Documented infection", "inf_doc", "infection_documented"),
        _flag_en("Grade 3+ cytopenia", "cytop3", "cytopenia_grade3plus"),
        _flag_en("IVIG", "ivig", "ig_supplementation"),
        _flag_en("PJP prophylaxis", "pjp", "pjp_prophylaxis"),
        _flag_en("Antibacterial prophylaxis", "antibact", "antibacterial_prophylaxis"),
        _flag_en("Antiviral prophylaxis", "antiviral", "antiviral_prophylaxis"),
        Field("Progression date", "prog_date", "progression_date", _day("progression_date")),
        Field("Death date", "death_date", "death_date", _day("death_date")),
        Field("Cause of death", "death_cause", "death_cause", _cell("death_cause", cause),
              _coded("death_cause", {"progression": 1.0, "infection": 2.0, "other": 3.0, "": NAN}),
              {1.0: "Progressive disease", 2.0: "Infection", 3.0: "Other"}),
        Field("Last follow-up", "lfu", "last_followup_date", _day("last_followup_date")),
        Field("Vital status", "vital", None, _cell("death_date", _Vital({"": "Alive"}, "Dead")),
              _cell("death_date", _Vital({"": 0.0}, 1.0)), {0.0: "Alive", 1.0: "Dead"}, role="drop"),
        Field("Cytogenetic risk", "cyto_risk", None, _risk, role="drop"),
        Field("Diagnosis date", "dx_date", None,
              lambda row, k: _date(row["chemo_start_date"]) - _dt.timedelta(days=400 + 53 * k), role="drop"),
        Field("ECOG", "ecog", None, lambda row, k: float(k % 3), role="drop"),
        Field("Comments", "comments", None, lambda row, k: COMMENTS_EN[k % 5] if k % 4 else None, role="drop"),
    ]  # fmt: skip


def english_fields() -> list[Field]:
    """The English centre's 72 columns, in its file's order."""
    return _identity_en() + _rest_en()


# ----------------------------------------------------------------------------- writing the files
def rows(cohort: pd.DataFrame) -> list[dict[str, str]]:
    """The cohort rows in the exports (:data:`KEEP`), as {dictionary column: text}."""
    return [cohort.iloc[k].to_dict() for k in KEEP]


def _grid(fields: list[Field], patients: list[dict], stat: bool) -> dict[str, list]:
    out = {}
    for f in fields:
        make = f.stat if stat and f.stat is not None else f.sheet
        out[f.var if stat else f.header] = [make(row, k) for k, row in enumerate(patients)]
    return out


#: A fixed time for every stamp a writer puts in a file, so that its bytes do not depend on the day.
STAMP = _dt.datetime(2000, 1, 1)


def xlsx_bytes(fields: list[Field], patients: list[dict]) -> bytes:
    """The French workbook: sheet "Données" (dates as date cells shown DD/MM/YYYY), and a legend sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Données"
    grid = _grid(fields, patients, stat=False)
    ws.append(list(grid))
    for r in range(len(patients)):
        ws.append([grid[h][r] for h in grid])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, _dt.date):
                cell.number_format = "DD/MM/YYYY"
    legend = book.create_sheet("Légende")
    for line in (("X", "case cochée (oui)"), ("Non fait", "examen non réalisé"), ("SYNTHETIC", "données fictives")):
        legend.append(line)
    book.properties.creator = "data/examples/make_examples.py"
    book.properties.created = STAMP
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """A zip (XLSX) rewritten with fixed entry times and a fixed modification date in its properties."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6]), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _stat_frame(fields: list[Field], patients: list[dict]) -> tuple[pd.DataFrame, dict, dict, dict]:
    grid = _grid(fields, patients, stat=True)
    frame = pd.DataFrame({v: pd.Series(c, dtype=object) for v, c in grid.items()})
    for f in fields:
        cells = grid[f.var]
        if all(c is None or isinstance(c, float) for c in cells):
            frame[f.var] = pd.Series([NAN if c is None else c for c in cells], dtype=float)
        elif all(c is None or isinstance(c, str) for c in cells):
            frame[f.var] = ["" if c is None else c for c in cells]
    labels = {f.var: f.header for f in fields}
    values = {f.var: f.labels for f in fields if f.labels}
    missing = {f.var: list(f.user_missing) for f in fields if f.user_missing}
    return frame, labels, values, missing


def sav_bytes(fields: list[Field], patients: list[dict], tmp: Path, label: str) -> bytes:
    import pyreadstat

    frame, labels, values, missing = _stat_frame(fields, patients)
    path = tmp / "export.sav"
    pyreadstat.write_sav(
        frame, path, file_label=label, column_labels=labels, variable_value_labels=values, missing_ranges=missing
    )
    data = bytearray(path.read_bytes())
    data[92:101], data[101:109] = b"01 Jan 00", b"00:00:00"  # creation date and time of the header
    return bytes(data)


def dta_bytes(fields: list[Field], patients: list[dict], tmp: Path, label: str) -> bytes:
    import pyreadstat

    frame, labels, values, _ = _stat_frame(fields, patients)
    path = tmp / "export.dta"
    pyreadstat.write_dta(frame, path, file_label=label, column_labels=labels, variable_value_labels=values)
    data = path.read_bytes()
    at = data.index(b"<timestamp>") + len(b"<timestamp>") + 1
    return data[:at] + b"01 Jan 2000 00:00" + data[at + 17 :]


def csv_bytes(fields: list[Field], patients: list[dict]) -> bytes:
    """The English CSV: ``,``-separated, UTF-8, dates MM/DD/YYYY, whole numbers without ``.0``."""

    def text(v) -> str:
        if v is None:
            return ""
        if isinstance(v, _dt.date):
            return v.strftime("%m/%d/%Y")
        if isinstance(v, float):
            return str(int(v)) if v.is_integer() else repr(v)
        return v

    grid = _grid(fields, patients, stat=False)
    frame = pd.DataFrame({h: [text(v) for v in cells] for h, cells in grid.items()})
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


# ----------------------------------------------------------------------------- what the files mean
def read_back(path: Path) -> pd.DataFrame:
    """The export as the importer reads it: every cell as text."""
    if path.suffix == ".xlsx":
        return to_table(read_xlsx(path).grid)
    if path.suffix in (".sav", ".dta"):
        return to_table(read_stat(path).grid)
    from analysis.data.readers import parse_csv

    return to_table(parse_csv(path.read_text(encoding="utf-8")))


def truth(path: Path, fields: list[Field], patients: list[dict]) -> dict:
    """What each raw column of the export at ``path`` is, and what each of its values means.

    ``columns``: raw column → dictionary column; ``drop``: raw columns to leave out; ``derive``:
    dictionary column → the raw column it is computed from; ``centre``: the raw column naming the
    centre (its value is replaced by the code a person chooses), or ``None``; ``values``: for each
    raw column of a flag or category, each raw value (as read) → its dictionary code (``""`` = empty).

    Raises ``ValueError`` if one raw value would have to mean two things (a generator mistake).
    """
    stat = path.suffix in (".sav", ".dta")
    table = read_back(path)
    out = {"columns": {}, "drop": [], "derive": {}, "centre": None, "values": {}}
    for f in fields:
        raw = f.var if stat else f.header
        if f.role == "drop":
            out["drop"].append(raw)
            continue
        if f.role == "derive":
            out["derive"][f.source] = raw
            continue
        out["columns"][raw] = f.source
        kind = BY_NAME[f.source].kind
        if f.source == "center_id":
            out["centre"] = raw
        elif kind in ("flag", "category"):
            meaning: dict[str, str] = {}
            for text, row in zip(table[raw], patients):
                if meaning.setdefault(text, row[f.source]) != row[f.source]:
                    raise ValueError(
                        f"{path.name}: {raw} = {text!r} means both {meaning[text]!r} and {row[f.source]!r}"
                    )
            out["values"][raw] = meaning
    return out


def patient_id(path: Path, k: int) -> str:
    """The pseudonym of the ``k``-th patient (0-based) in the export at ``path``."""
    return f"VAL-{k + 1:03d}" if path.stem.startswith("centre_fr") else f"RG-{k + 1:02d}"


def expected(cohort: pd.DataFrame, path: Path, centre: str) -> pd.DataFrame:
    """What importing the export at ``path`` must give: its cohort rows, under its ids and the centre's code."""
    table = cohort.iloc[KEEP].reset_index(drop=True).copy()
    table["patient_id"] = [patient_id(path, k) for k in range(len(table))]
    table["center_id"] = centre
    return table


EXPORTS = {
    "centre_fr.xlsx": (french_fields, "xlsx"),
    "centre_fr.sav": (french_fields, "sav"),
    "centre_en.csv": (english_fields, "csv"),
    "centre_en.dta": (english_fields, "dta"),
}


def export_bytes(name: str, cohort: pd.DataFrame, tmp: Path) -> bytes:
    """The bytes of the export ``name`` (one of :data:`EXPORTS`)."""
    make, kind = EXPORTS[name]
    fields, patients = make(), rows(cohort)
    label = f"SYNTHETIC example export ({'French' if 'fr' in name else 'English'} centre)"
    if kind == "xlsx":
        return xlsx_bytes(fields, patients)
    if kind == "sav":
        return sav_bytes(fields, patients, tmp, label)
    if kind == "dta":
        return dta_bytes(fields, patients, tmp, label)
    return csv_bytes(fields, patients)
