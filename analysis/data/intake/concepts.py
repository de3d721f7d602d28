"""What each concept of the lexicon is called, in French and in English: the words of the draft mapping.

:mod:`analysis.data.intake.lexicon` compares a raw column's name with these phrases; this module
only lists them. For every dictionary column (:data:`NAMED`, and families generated from the
dictionary's own labels, :func:`column_phrases`): its labels, synonyms and the abbreviations of
French haematology — SRC/CRS, ICANS, RC/CR, TBRP/VGPR, RP/PR, MS/SD, MP/PD, RM/MR, IRA (acute kidney
injury), EM/extramédullaire with the sites (SNC/cérébral, poumon/plèvre, foie, rein, digestif,
peau/cutané, muscle, ORL), TEP/PET, ISS, LCL/CLL (free light chain), pic monoclonal, plasmocytose
médullaire, lignes antérieures, triple réfractaire, the FISH abnormalities, the agents by their
French names (Endoxan, Bélustine, Adriamycine, VP16 …), the bispecific, the prophylaxes (Bactrim,
valaciclovir …), IgIV, tocilizumab, corticoïdes, anakinra, the dates (J1, progression, décès,
dernières nouvelles). And what is *not* a dictionary column, so that it is recognised rather than
forced onto the nearest one: a birth date (DDN — date de naissance — from which the age is
derived), a worst cytopenia grade (from which the grade ≥ 3 flag is), the identifiers (names, IPP,
the referring doctor, comments, contact details) and variables the study does not use (diagnosis
date, isotype, weight, laboratory values, other scores).

Phrases are written in plain words; they go through the same normalisation as the raw names
(:func:`analysis.data.intake.lexicon.normalise`), so ``"date dernieres nouvelles"`` and
``"Date dernières nouvelles"`` are one phrase, and a synonym the normalisation folds (``chimio`` =
``chemo``) need not be written twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..dictionary import CHEMO_AGENTS, CYTOGENETICS, EMD_SITES, NAMES, PET_CYCLES, RESPONSE_CYCLES


@dataclass(frozen=True)
class Concept:
    """What a column may hold: a dictionary column, or something the study does not keep.

    ``kind``: ``column`` (``key`` is a dictionary column), ``birth_date`` (an identifier, from
    which the age is derived), ``grade`` (a worst grade, from which a "grade 3 or more" flag is
    derived), ``identifier`` or ``extra`` (not in the dictionary); ``reason`` is what the draft says
    when it proposes to drop such a column; ``derives`` the ``derive:`` entry it can feed.
    """

    key: str
    kind: str
    fr: tuple[str, ...]
    en: tuple[str, ...]
    reason: str = ""
    derives: tuple[str, str, str, str] | None = None  # (dictionary column, rule, setting, its value)

    @property
    def phrases(self) -> tuple[str, ...]:
        return self.fr + self.en


_SITE_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "emd_cerebral": (("snc", "cerebral", "cerebrale", "cerveau", "systeme nerveux central", "neuromeninge"),
                     ("cns", "brain", "cerebral", "central nervous system")),
    "emd_lung": (("poumon", "plevre", "poumon plevre", "pulmonaire", "pleural", "pleuropulmonaire"),
                 ("lung", "pleura", "lung pleura", "pulmonary", "pleural")),
    "emd_liver": (("foie", "hepatique"), ("liver", "hepatic")),
    "emd_kidney": (("rein", "renal", "renale"), ("kidney", "renal")),
    "emd_digestive": (("digestif", "digestive", "tube digestif", "gastro intestinal", "tube dig"),
                      ("digestive", "gi", "gastrointestinal", "gut", "digestive tract")),
    "emd_cutaneous": (("peau", "cutane", "cutanee", "sous cutane", "cutaneo muqueux"),
                      ("skin", "cutaneous", "subcutaneous", "skin subcutaneous")),
    "emd_muscle": (("muscle", "musculaire"), ("muscle", "muscular")),
    "emd_orl": (("orl", "sphere orl"), ("ent", "ear nose throat", "head neck")),
}  # fmt: skip
_CYTO_WORDS: dict[str, tuple[str, ...]] = {
    "del17p": ("del 17p", "17p", "del tp53", "tp53", "deletion 17p", "17p deletion", "del17p"),
    "t_4_14": ("t 4 14", "translocation 4 14", "t4 14", "fgfr3 mmset"),
    "t_14_16": ("t 14 16", "translocation 14 16", "t14 16", "maf"),
    "gain_1q21": ("gain 1q21", "gain 1q", "1q21 gain", "1q gain", "gain du 1q", "trisomie 1q", "1q21 3 copies"),
    "amp_1q21": ("amp 1q21", "amp 1q", "amplification 1q21", "1q21 amplification", "1q21 4 copies"),
    "del_1p32": ("del 1p32", "del 1p", "deletion 1p32", "1p32 deletion", "1p32"),
}
_AGENT_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "chemo_cyclophosphamide": (("cyclophosphamide", "endoxan", "cyclo"), ("cyclophosphamide", "cytoxan")),
    "chemo_bendamustine": (("bendamustine", "levact"), ("bendamustine", "treanda")),
    "chemo_lomustine": (("belustine", "lomustine", "ccnu"), ("lomustine", "ccnu")),
    "chemo_anthracycline": (("anthracycline", "doxorubicine", "adriamycine", "doxorubicine liposomale", "caelyx",
                             "daunorubicine", "idarubicine"),
                            ("anthracycline", "doxorubicin", "adriamycin", "liposomal doxorubicin", "doxil")),
    "chemo_etoposide": (("etoposide", "vp16", "vp 16", "celltop", "vepeside"), ("etoposide", "vp16", "vp 16")),
    "chemo_vincristine": (("vincristine", "oncovin"), ("vincristine", "oncovin")),
    "chemo_cisplatin": (("cisplatine", "platine", "cddp"), ("cisplatin", "platinum", "cddp")),
    "chemo_other": (("autre chimio", "autre cytotoxique", "autre agent", "autre chimio cytotoxique",
                     "autre molecule"), ("other chemo", "other cytotoxic", "other agent", "other chemo agent")),
}  # fmt: skip


#: (French, English) phrases of the dictionary columns named one by one (the families are generated below).
NAMED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "patient_id": (("n patient", "numero patient", "numero inclusion", "n inclusion", "identifiant patient",
                    "id patient", "code patient", "pseudonyme", "n etude", "identifiant", "pid", "patid", "idpat"),
                   ("patient id", "study id", "subject id", "patient number", "record id", "subject",
                    "pseudonym", "study number", "id")),
    "center_id": (("centre", "code centre", "hopital", "n centre", "centre investigateur", "site"),
                  ("center", "center id", "site", "hospital", "centre code", "site id")),
    "sex": (("sexe", "sexe h f"), ("sex", "gender", "sex m f")),
    "age_years": (("age", "age j1", "age au j1", "age a l inclusion", "age debut bispecifique",
                   "age premiere injection"),
                  ("age", "age at first dose", "age years", "age at start", "age at bsab start", "age at c1d1",
                   "age at inclusion")),
    "prior_lines": (("lignes anterieures", "nb lignes anterieures", "nb lignes", "nb lignes de traitement",
                     "lignes de traitement anterieures", "nb lignes prealables"),
                    ("prior lines", "number of prior lines", "previous lines", "lines of therapy",
                     "prior lines of therapy", "prior therapies")),
    "triple_class_refractory": (("triple refractaire", "triple classe refractaire", "refractaire triple classe",
                                 "tcr"), ("triple class refractory", "triple refractory", "tcr")),
    "iss_stage": (("stade iss", "iss"), ("iss stage", "iss", "international staging system")),
    "bm_plasma_cell_pct": (("plasmocytose medullaire", "plasmocyte medullaire", "plasmocytose",
                            "infiltration medullaire", "plasmocyte moelle", "infiltration plasmocytaire"),
                           ("bone marrow plasma cell", "bm plasma cell", "marrow plasma cell", "bmpc",
                            "plasma cell infiltration", "bm plasmacytosis")),
    "m_protein_g_l": (("pic monoclonal", "pic", "composant monoclonal", "pic serique", "taux pic",
                       "pic monoclonal serique"),
                      ("m protein", "m spike", "monoclonal protein", "serum m protein", "paraprotein")),
    "involved_flc_mg_l": (("cll impliquee", "chaine legere libre impliquee", "chaine legere libre", "cll", "lcl",
                           "lcl impliquee"),
                          ("involved flc", "free light chain", "iflc", "flc", "involved free light chain")),
    "paramedullary": (("paramedullaire", "atteinte paramedullaire", "plasmocytome paramedullaire",
                       "maladie paramedullaire"),
                      ("paramedullary", "paramedullary disease", "bone related plasmacytoma")),
    "extramedullary": (("extramedullaire", "maladie extramedullaire", "atteinte extramedullaire", "em",
                        "plasmocytome extramedullaire"),
                       ("extramedullary", "extramedullary disease", "emd", "extramedullary involvement")),
    "emd_site_count": (("nb sites em", "nombre de localisations extramedullaires", "sites em", "nb localisations em"),
                       ("number of emd sites", "emd sites", "emd site count", "number of extramedullary sites")),
    "acute_kidney_injury": (("insuffisance renale aigue", "ira", "insuffisance renale", "atteinte renale",
                             "ir aigue"), ("acute kidney injury", "aki", "renal failure", "renal impairment")),
    "hypercalcemia": (("hypercalcemie",), ("hypercalcemia", "hypercalcaemia", "high calcium")),
    "chemo_start_date": (("date debut chimio", "date chimio", "debut chimiotherapie", "date debut chimiotherapie", "date c1 chimio"),
                         ("chemo start date", "debulking start date", "chemotherapy start", "date of debulking")),
    "chemo_cycles": (("nb cycles chimio", "cycles chimio", "nombre de cycles de chimiotherapie", "nb cures"),
                     ("chemo cycles", "number of chemo cycles", "debulking cycles")),
    "chemo_response": (("reponse chimio", "reponse a la chimio", "reponse avant bispecifique", "reponse pre bispecifique"),
                       ("chemo response", "response to debulking", "debulking response", "response before bispecific")),
    "bsab_agent": (("bispecifique", "anticorps bispecifique", "molecule", "traitement bispecifique", "bsab",
                    "ac bispecifique"),
                   ("bispecific", "bispecific antibody", "bsab agent", "bsab", "agent", "drug")),
    "bsab_start_date": (("date j1", "j1", "date j1 bispecifique", "date debut bispecifique",
                         "date premiere injection", "date 1ere dose", "debut bispecifique", "date c1j1",
                         "date inclusion"),
                        ("first dose date", "date of first dose", "bsab start date", "start date",
                         "bispecific start", "c1d1", "c1d1 date", "index date", "bispecific start date")),
    "best_response": (("meilleure reponse", "meilleure reponse bispecifique"),
                      ("best response", "best overall response", "bor")),
    "crs_grade": (("grade src", "src", "grade max src", "syndrome de relargage cytokinique",
                   "relargage cytokinique"),
                  ("crs grade", "crs", "cytokine release syndrome", "max crs grade")),
    "icans_grade": (("grade icans", "icans", "neurotoxicite", "grade neurotoxicite", "grade max icans"),
                    ("icans grade", "icans", "neurotoxicity", "max icans grade")),
    "tocilizumab": (("tocilizumab", "roactemra", "toci"), ("tocilizumab", "actemra")),
    "corticosteroids": (("corticoide", "corticotherapie", "dexamethasone", "cortico"),
                        ("corticosteroid", "steroid", "dexamethasone")),
    "anakinra": (("anakinra", "kineret"), ("anakinra", "kineret")),
    "infection_max_grade": (("grade infection max", "grade infection", "infection grade", "infection"),
                            ("infection grade", "max infection grade", "infection")),
    "infection_documented": (("infection documentee", "documentation microbiologique",
                              "infection documentee microbiologiquement"),
                             ("documented infection", "microbiologically documented", "infection documented")),
    "cytopenia_grade3plus": (("cytopenie grade 3", "cytopenie grade 3 ou plus", "cytopenie severe", "cytopenie"),
                             ("grade 3 cytopenia", "cytopenia grade 3", "cytopenia", "severe cytopenia")),
    "ig_supplementation": (("immunoglobuline", "igiv", "ig iv", "supplementation immunoglobuline",
                            "supplementation ig", "igsc", "ig"),
                           ("ivig", "immunoglobulin supplementation", "ig replacement", "immunoglobulin",
                            "scig", "ig", "ivig replacement", "immunoglobulin replacement")),
    "pjp_prophylaxis": (("prophylaxie anti pneumocystose", "prophylaxie pneumocystose", "bactrim",
                         "cotrimoxazole", "prophylaxie pjp", "anti pneumocystose", "prophylaxie bactrim"),
                        ("pjp prophylaxis", "pcp prophylaxis", "pneumocystis prophylaxis", "tmp smx", "bactrim")),
    "antibacterial_prophylaxis": (("prophylaxie antibacterienne", "antibioprophylaxie",
                                   "prophylaxie antibiotique", "levofloxacine"),
                                  ("antibacterial prophylaxis", "antibiotic prophylaxis", "levofloxacin")),
    "antiviral_prophylaxis": (("prophylaxie antivirale", "valaciclovir", "aciclovir", "zelitrex",
                               "prophylaxie hsv vzv"),
                              ("antiviral prophylaxis", "valacyclovir", "acyclovir")),
    "progression_date": (("date progression", "progression", "date rechute", "date pd"),
                         ("progression date", "date of progression", "pd date", "relapse date")),
    "death_date": (("date deces", "date de deces", "deces", "date dc"), ("date of death", "death date", "dod")),
    "death_cause": (("cause deces", "cause du deces", "motif deces"), ("cause of death", "death cause")),
    "last_followup_date": (("date dernieres nouvelles", "dernieres nouvelles", "date dernier suivi", "date de point",
                            "date dernier contact", "date derniere visite"),
                           ("last follow up", "last follow up date", "date last seen", "last contact",
                            "date last known alive", "lfu", "date of last follow up")),
}  # fmt: skip


@cache
def column_phrases() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """(French, English) phrases of every dictionary column: :data:`NAMED`, and the families —
    extramedullary sites, cytogenetics, debulking agents, responses and PET by cycle — built from
    their words and the dictionary's own labels."""
    p = dict(NAMED)
    for name, (fr, en) in _SITE_WORDS.items():
        p[name] = (
            tuple(f"{pre} {w}" for w in fr for pre in ("em", "localisation em", "site em")),
            tuple(f"{pre} {w}" for w in en for pre in ("em", "em site"))
            + tuple(f"{w} involvement" for w in en)
            + (EMD_SITES[name],),
        )
    for name, words in _CYTO_WORDS.items():
        p[name] = (words + tuple(f"fish {w}" for w in words[:2]), words + (CYTOGENETICS[name],))
    for name, (fr, en) in _AGENT_WORDS.items():
        p[name] = (fr + tuple(f"chimio {w}" for w in fr), en + (CHEMO_AGENTS[name],))
    for c, n in RESPONSE_CYCLES.items():
        p[f"response_{c}"] = (
            (f"reponse {c}", f"reponse cycle {n}", f"reponse apres {c}", f"reponse apres cycle {n}"),
            (f"response {c}", f"{c} response", f"response after cycle {n}", f"response cycle {n}"),
        )
    for c, n in PET_CYCLES.items():
        p[f"pet_{c}"] = ((f"tep {c}", f"tep apres {c}", f"tep cycle {n}", f"tep scan {c}"),
                         (f"pet {c}", f"pet ct {c}", f"pet after cycle {n}", f"pet cycle {n}"))  # fmt: skip
    return p


_BIRTH = Concept(
    "birth_date",
    "birth_date",
    ("date de naissance", "ddn", "naissance", "date naissance"),
    ("date of birth", "dob", "birth date", "birthdate"),
    "a birth date",
    ("age_years", "age_in_years", "at", "bsab_start_date"),
)
_GRADES = (
    Concept("cytopenia_max_grade", "grade", ("grade cytopenie max", "grade max cytopenie", "cytopenie grade max",
                                             "grade cytopenie", "cytopenie max"),
            ("worst cytopenia grade", "max cytopenia grade", "cytopenia grade", "cytopenia max grade"),
            "the worst cytopenia grade", ("cytopenia_grade3plus", "at_least", "value", "3")),
)  # fmt: skip
_IDENTIFIERS = (
    Concept("name", "identifier", ("nom", "prenom", "nom prenom", "nom naissance", "nom patient", "initiale",
                                   "nom usage", "nom marital"),
            ("name", "first name", "last name", "surname", "given name", "initial", "patient name", "full name"),
            "a person's name"),
    Concept("hospital_number", "identifier", ("ipp", "nip", "n ipp", "n dossier", "numero dossier", "nda",
                                              "n securite sociale", "nir", "insee"),
            ("mrn", "medical record number", "hospital number", "nhs number", "ssn", "social security number"),
            "a hospital or social-security number"),
    Concept("doctor", "identifier", ("medecin", "medecin referent", "hematologue", "referent",
                                     "medecin investigateur", "praticien"),
            ("physician", "doctor", "treating physician", "referring physician", "investigator"),
            "a person's name (a doctor's)"),
    Concept("comments", "identifier", ("commentaire", "remarque", "observation", "note", "texte libre"),
            ("comment", "note", "remark", "free text"), "free-text comments"),
    Concept("contact", "identifier", ("adresse", "telephone", "code postal", "email", "ville"),
            ("address", "phone", "zip code", "email", "city"), "contact details"),
)  # fmt: skip
_EXTRAS = (
    Concept("diagnosis_date", "extra", ("date diagnostic", "date du diagnostic", "diagnostic"),
            ("diagnosis date", "date of diagnosis", "diagnosis"), "not in the dictionary (date of diagnosis)"),
    Concept("age_at_diagnosis", "extra", ("age diagnostic", "age au diagnostic"), ("age at diagnosis",),
            "not in the dictionary (age at diagnosis)"),
    Concept("isotype", "extra", ("isotype", "type ig", "chaine legere", "type chaine legere", "chaine lourde"),
            ("isotype", "ig type", "light chain type", "heavy chain"), "not in the dictionary (isotype)"),
    Concept("body", "extra", ("poids", "taille", "imc", "surface corporelle"), ("weight", "height", "bmi", "bsa"),
            "not in the dictionary (body measurement)"),
    Concept("labs", "extra", ("ldh", "albumine", "beta2 microglobuline", "b2m", "creatinine", "calcemie",
                              "hemoglobine", "plaquette", "clairance"),
            ("ldh", "albumin", "beta2 microglobulin", "b2m", "creatinine", "calcium", "hemoglobin", "platelet"),
            "not in the dictionary (a laboratory value)"),
    Concept("other_staging", "extra", ("r iss", "riss", "r2 iss", "ecog", "oms", "durie salmon"),
            ("r iss", "riss", "r2 iss", "ecog", "performance status", "durie salmon"),
            "not in the dictionary (another score)"),
)  # fmt: skip


@cache
def concepts() -> tuple[Concept, ...]:
    """Every concept the lexicon knows: the dictionary's columns (in its order), then the others."""
    columns = tuple(Concept(n, "column", *column_phrases()[n]) for n in NAMES)
    return columns + (_BIRTH, *_GRADES, *_IDENTIFIERS, *_EXTRAS)


__all__ = ["NAMED", "Concept", "column_phrases", "concepts"]
