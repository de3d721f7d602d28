"""Writes the worked import examples of data/examples/ — every one SYNTHETIC, made from the synthetic cohort.

    .venv/bin/python data/examples/make_examples.py

A test (``tests/data/test_examples.py``) checks that the committed files equal what this script
writes, and that each imports with its mapping and validates. Every example is the committed
synthetic cohort (``data/synthetic/cohort.csv``, 44 SYNTHETIC patients) re-expressed as a centre
might export it — no real patient is in any of them — and each carries a provenance note saying so:

* ``cohort_fr_excel.csv`` — the cohort in the dictionary's columns, saved as a French-locale Excel
  saves "CSV UTF-8": ``;``-separated, decimal commas, ``DD/MM/YYYY`` dates, UTF-8 with a BOM, CRLF.
  ``python -m analysis validate`` explains it in one line; ``cohort_fr_excel.yaml`` (read settings
  only) imports it back to the cohort, byte for byte.
* ``centre_export_fr.csv`` — the cohort as one fictional centre's own spreadsheet export (centre
  ``C15``, patient ids ``C15-001`` …): French column names, ``Oui``/``Non`` flags, French IMWG
  abbreviations (RCs, RC, TBRP, RP, RM, MS, MP), ISS as 1/2/3, M-protein in g/dL, "NF" (non fait)
  for untested cytogenetics, a free-text comment column. ``centre_export_fr.yaml`` maps it: renames,
  recodes (YAML anchors share the Oui/Non and response recodes), a unit, a date format, a constant
  ``center_id``, a dropped column, a declared missing value.
* ``centre_export.sav`` — the cohort as an SPSS file of a fictional centre ``C16`` (ids ``C16-001``
  …): numeric codes with value labels (sex 1 = Homme, 2 = Femme; responses 1–7; agent 1–2), flags
  stored 0/1, SPSS dates. ``centre_export_sav.yaml`` maps it. The file's creation stamp is fixed so
  that the bytes do not depend on the day it was written.
* ``centre_fr.xlsx``, ``centre_fr.sav``, ``centre_en.csv``, ``centre_en.dta`` — two centres' own
  spreadsheets as a new centre sends them, identifiers included (``spreadsheet_exports.py`` says
  what is in them): the worked examples of the draft mapping. Each one's mapping
  (``centre_fr_xlsx.yaml`` …) is the draft (``python -m analysis import FILE --draft-mapping``)
  with a few hand edits (:data:`EDITS`), each marked ``# edited:`` — the test measures the draft
  against them, and checks that they import back to the cohort's rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))
import spreadsheet_exports  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.data.dictionary import BY_NAME, CYTOGENETICS, NAMES  # noqa: E402
from analysis.data.io import read_table  # noqa: E402

STATEMENT = (
    "SYNTHETIC DATA. Not real patients: the committed synthetic cohort (data/synthetic/cohort.csv) "
    "re-expressed as a centre's export, by data/examples/make_examples.py."
)
FR_RESPONSE = {"sCR": "RCs", "CR": "RC", "VGPR": "TBRP", "PR": "RP", "MR": "RM", "SD": "MS", "PD": "MP"}
RESPONSE_NUMBER = {"sCR": 1, "CR": 2, "VGPR": 3, "PR": 4, "MR": 5, "SD": 6, "PD": 7}
FR_FLAG = {"1": "Oui", "0": "Non", "": ""}
#: French column names of the centre export (dictionary column -> raw name), in the export's order.
FR_COLUMNS = {
    "patient_id": "N° patient",
    "sex": "Sexe",
    "age_years": "Âge",
    "prior_lines": "Lignes antérieures",
    "triple_class_refractory": "Triple réfractaire",
    "iss_stage": "Stade ISS",
    "bm_plasma_cell_pct": "Plasmocytes médullaires (%)",
    "m_protein_g_l": "Pic monoclonal (g/dL)",
    "involved_flc_mg_l": "CLL impliquée (mg/L)",
    "paramedullary": "Paramédullaire",
    "extramedullary": "Extramédullaire",
    "emd_site_count": "Nb sites EM",
    "emd_cerebral": "EM cérébral",
    "emd_lung": "EM poumon/plèvre",
    "emd_liver": "EM foie",
    "emd_kidney": "EM rein",
    "emd_digestive": "EM digestif",
    "emd_cutaneous": "EM peau",
    "emd_muscle": "EM muscle",
    "emd_orl": "EM ORL",
    "acute_kidney_injury": "Insuffisance rénale aiguë",
    "hypercalcemia": "Hypercalcémie",
    "del17p": "del(17p)",
    "t_4_14": "t(4;14)",
    "t_14_16": "t(14;16)",
    "gain_1q21": "gain 1q21",
    "amp_1q21": "amp 1q21",
    "del_1p32": "del(1p32)",
    "chemo_start_date": "Date début chimio",
    "chemo_cycles": "Nb cycles chimio",
    "chemo_cyclophosphamide": "Cyclophosphamide",
    "chemo_bendamustine": "Bendamustine",
    "chemo_lomustine": "Bélustine",
    "chemo_anthracycline": "Anthracycline",
    "chemo_etoposide": "Étoposide",
    "chemo_vincristine": "Vincristine",
    "chemo_cisplatin": "Cisplatine",
    "chemo_other": "Autre cytotoxique",
    "chemo_response": "Réponse chimio",
    "bsab_agent": "Bispécifique",
    "bsab_start_date": "Date J1 bispécifique",
    "response_c1": "Réponse C1",
    "response_c3": "Réponse C3",
    "response_c6": "Réponse C6",
    "response_c12": "Réponse C12",
    "best_response": "Meilleure réponse",
    "pet_c1": "TEP C1",
    "pet_c3": "TEP C3",
    "pet_c6": "TEP C6",
    "crs_grade": "Grade CRS",
    "icans_grade": "Grade ICANS",
    "tocilizumab": "Tocilizumab",
    "corticosteroids": "Corticoïdes",
    "anakinra": "Anakinra",
    "infection_max_grade": "Grade max infection",
    "infection_documented": "Infection documentée",
    "cytopenia_grade3plus": "Cytopénie grade ≥ 3",
    "ig_supplementation": "Immunoglobulines",
    "pjp_prophylaxis": "Prophylaxie anti-pneumocystose",
    "antibacterial_prophylaxis": "Prophylaxie antibactérienne",
    "antiviral_prophylaxis": "Prophylaxie antivirale",
    "progression_date": "Date progression",
    "death_date": "Date décès",
    "death_cause": "Cause décès",
    "last_followup_date": "Date dernières nouvelles",
}
FR_AGENT = {"teclistamab": "Téclistamab", "elranatamab": "Elranatamab"}
FR_PET = {"negative": "négatif", "positive": "positif", "": ""}
FR_CAUSE = {"progression": "Progression", "infection": "Infection", "other": "Autre", "": ""}
FLAGS = [c.name for c in BY_NAME.values() if c.kind == "flag"]
RESPONSES = ["chemo_response", "response_c1", "response_c3", "response_c6", "response_c12", "best_response"]


def _dmy(text: str) -> str:
    return f"{text[8:10]}/{text[5:7]}/{text[0:4]}" if text else ""


def _comma(text: str) -> str:
    return text.replace(".", ",")


def cohort() -> pd.DataFrame:
    return read_table(paths.DEFAULT_SYNTHETIC)


def french_excel_bytes(raw: pd.DataFrame) -> bytes:
    """The table saved as a French-locale Excel saves "CSV UTF-8"."""
    fr = raw.copy()
    for name in NAMES:
        kind = BY_NAME[name].kind
        if kind == "number":
            fr[name] = fr[name].map(_comma)
        elif kind == "date":
            fr[name] = fr[name].map(_dmy)
    return fr.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def centre_export_fr(raw: pd.DataFrame) -> bytes:
    out = {}
    ids = {pid: f"C15-{k:03d}" for k, pid in enumerate(raw["patient_id"], start=1)}
    for name, label in FR_COLUMNS.items():
        cells = raw[name]
        col = BY_NAME[name]
        if name == "patient_id":
            cells = cells.map(ids)
        elif name == "sex":
            cells = cells.map({"F": "Femme", "M": "Homme"})
        elif name == "iss_stage":
            cells = cells.map({"I": "1", "II": "2", "III": "3", "": "non évalué"})
        elif name == "m_protein_g_l":
            cells = cells.map(lambda t: _comma(f"{float(t) / 10:g}") if t else "")
        elif name in CYTOGENETICS:
            cells = cells.map({"1": "Oui", "0": "Non", "": "NF"})
        elif col.kind == "flag":
            cells = cells.map(FR_FLAG)
        elif name in RESPONSES:
            cells = cells.map(lambda t: FR_RESPONSE.get(t, ""))
        elif name == "bsab_agent":
            cells = cells.map(FR_AGENT)
        elif name.startswith("pet_"):
            cells = cells.map(FR_PET)
        elif name == "death_cause":
            cells = cells.map(FR_CAUSE)
        elif col.kind == "date":
            cells = cells.map(_dmy)
        elif col.kind == "number":
            cells = cells.map(_comma)
        out[label] = cells
    out["Commentaire"] = ["RAS" if k % 5 else "revu en RCP" for k in range(len(raw))]
    return pd.DataFrame(out).to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def _yaml_key(text: str) -> str:
    return f'"{text}"'


def centre_export_fr_mapping() -> str:
    lines = [
        "# Mapping of centre_export_fr.csv (a SYNTHETIC centre export) to the compendium's data dictionary.",
        "#   python -m analysis import data/examples/centre_export_fr.csv \\",
        "#       --mapping data/examples/centre_export_fr.yaml --out data/private/c15.csv",
        "compendium_mapping: 1",
        "description: SYNTHETIC example — the synthetic cohort as the spreadsheet export of a fictional centre C15",
        "read:",
        '  encoding: "utf-8"          # "CSV UTF-8" from Excel (the BOM is fine)',
        '  delimiter: ";"',
        '  decimal: ","',
        '  date_format: "%d/%m/%Y"    # every date column',
        "constants:",
        '  center_id: "C15"           # a single-centre file',
        "drop: [Commentaire]          # free text: never analysed",
        "columns:",
    ]
    first_flag = True
    first_resp = True
    for name, label in FR_COLUMNS.items():
        key = _yaml_key(label)
        col = BY_NAME[name]
        if name == "sex":
            lines.append(f"  {key}: {{to: sex, recode: {{Homme: M, Femme: F}}}}")
        elif name == "iss_stage":
            lines.append(f'  {key}: {{to: iss_stage, recode: {{"1": I, "2": II, "3": III}}, missing: ["non évalué"]}}')
        elif name == "m_protein_g_l":
            lines.append(f"  {key}: {{to: m_protein_g_l, unit: g/dL}}       # converted to g/L (x 10)")
        elif name in CYTOGENETICS:
            lines.append(f"  {key}: {{to: {name}, recode: *oui_non, missing: [NF]}}   # NF = non fait (not tested)")
        elif col.kind == "flag":
            if first_flag:
                lines.append(f'  {key}: {{to: {name}, recode: &oui_non {{Oui: "1", Non: "0"}}}}')
                first_flag = False
            else:
                lines.append(f"  {key}: {{to: {name}, recode: *oui_non}}")
        elif name in RESPONSES:
            if first_resp:
                pairs = ", ".join(f"{fr}: {code}" for code, fr in FR_RESPONSE.items())
                lines.append(f"  {key}: {{to: {name}, recode: &imwg {{{pairs}}}}}")
                first_resp = False
            else:
                lines.append(f"  {key}: {{to: {name}, recode: *imwg}}")
        elif name == "bsab_agent":
            lines.append(f"  {key}: {{to: bsab_agent, recode: {{Téclistamab: teclistamab, Elranatamab: elranatamab}}}}")
        elif name.startswith("pet_"):
            lines.append(f"  {key}: {{to: {name}, recode: {{négatif: negative, positif: positive}}}}")
        elif name == "death_cause":
            lines.append(
                f"  {key}: {{to: death_cause, recode: {{Progression: progression, Infection: infection, "
                f"Autre: other}}}}"
            )
        else:
            lines.append(f"  {key}: {name}")
    return "\n".join(lines) + "\n"


SAV_RENAMED = {"patient_id": "pid", "center_id": "centre", "sex": "sexe", "bsab_agent": "bispe"}
SAV_MAPPING = """\
# Mapping of centre_export.sav (a SYNTHETIC SPSS export) to the compendium's data dictionary.
#   python -m analysis import data/examples/centre_export.sav \\
#       --mapping data/examples/centre_export_sav.yaml --out data/private/c16.csv
# Stored codes are read (the file's value labels are in the comments); flags are stored 0/1 and dates
# as SPSS dates, so those columns need nothing.
compendium_mapping: 1
description: SYNTHETIC example — the synthetic cohort as the SPSS file of a fictional centre C16
columns:
  pid: patient_id
  centre: center_id
  sexe: {to: sex, recode: {"1": M, "2": F}}                          # 1 = Homme, 2 = Femme
  bispe: {to: bsab_agent, recode: {"1": teclistamab, "2": elranatamab}}
  chemo_response: {to: chemo_response, recode: &imwg {"1": sCR, "2": CR, "3": VGPR, "4": PR, "5": MR, "6": SD, "7": PD}}
  response_c1: {to: response_c1, recode: *imwg}
  response_c3: {to: response_c3, recode: *imwg}
  response_c6: {to: response_c6, recode: *imwg}
  response_c12: {to: response_c12, recode: *imwg}
  best_response: {to: best_response, recode: *imwg}
"""


def spss_frame(raw: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The cohort as SPSS variables (numeric codes, dates) and their value labels."""
    import numpy as np

    ids = [f"C16-{k:03d}" for k in range(1, len(raw) + 1)]
    df = {}
    for name in NAMES:
        col = BY_NAME[name]
        cells = raw[name]
        target = SAV_RENAMED.get(name, name)
        if name == "patient_id":
            df[target] = ids
        elif name == "center_id":
            df[target] = ["C16"] * len(raw)
        elif name == "sex":
            df[target] = cells.map({"M": 1.0, "F": 2.0})
        elif name == "bsab_agent":
            df[target] = cells.map({"teclistamab": 1.0, "elranatamab": 2.0})
        elif name in RESPONSES:
            df[target] = cells.map(lambda t: float(RESPONSE_NUMBER[t]) if t else np.nan)
        elif col.kind == "date":
            df[target] = [pd.Timestamp(t).date() if t else None for t in cells]
        elif col.kind in ("flag", "integer", "number"):
            df[target] = [float(t) if t else np.nan for t in cells]
        else:
            df[target] = list(cells)
    labels = {"sexe": {1.0: "Homme", 2.0: "Femme"}, "bispe": {1.0: "Téclistamab", 2.0: "Elranatamab"}}
    imwg = {float(v): k for k, v in RESPONSE_NUMBER.items()}
    labels.update(dict.fromkeys(RESPONSES, imwg))
    labels.update({f: {0.0: "Non", 1.0: "Oui"} for f in FLAGS})
    return pd.DataFrame(df), labels


#: Offsets of the creation date ("dd mmm yy") and time ("hh:mm:ss") in an SPSS .sav header.
SAV_STAMP = (92, b"01 Jan 00", b"00:00:00")


def spss_bytes(raw: pd.DataFrame, tmp: Path) -> bytes:
    import pyreadstat

    frame, labels = spss_frame(raw)
    path = tmp / "centre_export.sav"
    pyreadstat.write_sav(frame, path, file_label="SYNTHETIC example export (centre C16)", variable_value_labels=labels)
    data = bytearray(path.read_bytes())
    offset, date, time = SAV_STAMP
    data[offset : offset + 9] = date
    data[offset + 9 : offset + 17] = time
    return bytes(data)


#: The hand edits that complete each draft (the centre's code is chosen; it is not counted as an edit).
#: ``drop``: raw columns moved from an open entry to ``drop:``, with why.
EDITS: dict[str, dict] = {
    "centre_fr.xlsx": {
        "description": "SYNTHETIC example — a fictional French centre's own spreadsheet (CH de Valmont)",
        "centre": "C17",
        "drop": {"Statut": "vital status: deaths are read from the death date"},
    },
    "centre_fr.sav": {
        "description": "SYNTHETIC example — a fictional French centre's SPSS file (CH de Valmont)",
        "centre": "C17",
        "drop": {"statut": "vital status: deaths are read from the death date"},
    },
    "centre_en.csv": {
        "description": "SYNTHETIC example — a fictional English-speaking centre's CSV export",
        "centre": "C18",
        "drop": {
            "Vital status": "deaths are read from the death date",
            "Cytogenetic risk": "derived by the analysis from del(17p), t(4;14), t(14;16)",
        },
    },
    "centre_en.dta": {
        "description": "SYNTHETIC example — a fictional English-speaking centre's Stata file",
        "centre": "C18",
        "drop": {
            "vital": "deaths are read from the death date",
            "cyto_risk": "derived by the analysis from del(17p), t(4;14), t(14;16)",
        },
    },
}
EDITED = "# edited:"


def mapping_name(export: str) -> str:
    """The completed mapping's file name: ``centre_fr.xlsx`` → ``centre_fr_xlsx.yaml``."""
    return export.replace(".", "_") + ".yaml"


def completed_mapping(draft_text: str, edits: dict) -> str:
    """The draft with its hand edits applied, each line changed marked ``# edited: …``.

    The edits: the description; the centre's code (in the centre column's recode, or the
    ``center_id`` constant); open columns moved to ``drop:`` (their entry and its comments go). The
    header's count of TODOs becomes a count of the edits.
    """
    import json

    gone = {json.dumps(raw, ensure_ascii=False): why for raw, why in edits["drop"].items()}
    out, skipping = [], None
    for line in draft_text.splitlines():
        key = next((k for k in gone if line.startswith((f"  {k}:", f"  # {k}"))), None)
        if key or skipping:
            skipping = None if key and line.startswith(f"  {key}:") else (key or skipping)
            continue
        if line.startswith("# Left to decide:"):
            line = f"# Completed by hand: {len(gone) + 1} edit(s) and the centre's code, each marked '{EDITED}'."
        elif line.startswith("description:"):
            line = f"description: {json.dumps(edits['description'], ensure_ascii=False)}   {EDITED} described"
        elif line.startswith("  center_id: "):
            line = f'  center_id: "{edits["centre"]}"   {EDITED} the centre\'s pseudonymous code'
        elif "{to: center_id" in line:
            line = line.split("   #")[0].replace('"TODO"', f'"{edits["centre"]}"') + f"   {EDITED} the centre's code"
        elif line == "drop: []":
            line = "drop:"
        elif line == "columns:":
            out += [f"  - {k}   {EDITED} {why}" for k, why in gone.items()]
        out.append(line)
    return "\n".join(out) + "\n"


def provenance(description: str) -> str:
    import yaml

    return yaml.safe_dump(
        {
            "synthetic": True,
            "description": description,
            "statement": STATEMENT,
            "generator": "data/examples/make_examples.py",
            "source": "data/synthetic/cohort.csv",
        },
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


def files(tmp: Path) -> dict[str, bytes]:
    """{file name: bytes} of every example."""
    raw = cohort()
    out = {
        "cohort_fr_excel.csv": french_excel_bytes(raw),
        "cohort_fr_excel.yaml": (
            "# Mapping of cohort_fr_excel.csv: the synthetic cohort in the dictionary's columns, saved by a\n"
            '# French-locale Excel ("CSV UTF-8"): only how to read it needs declaring.\n'
            "compendium_mapping: 1\n"
            "description: SYNTHETIC example — the synthetic cohort saved as French-locale Excel CSV\n"
            'read:\n  delimiter: ";"\n  decimal: ","\n  date_format: "%d/%m/%Y"\n'
        ).encode(),
        "centre_export_fr.csv": centre_export_fr(raw),
        "centre_export_fr.yaml": centre_export_fr_mapping().encode(),
        "centre_export.sav": spss_bytes(raw, tmp),
        "centre_export_sav.yaml": SAV_MAPPING.encode(),
    }
    for name, what in (
        ("cohort_fr_excel.csv", "synthetic cohort saved as French-locale Excel CSV (example)"),
        ("centre_export_fr.csv", "synthetic cohort as a fictional centre C15's own export (example)"),
        ("centre_export.sav", "synthetic cohort as a fictional centre C16's SPSS file (example)"),
        ("centre_fr.xlsx", "37 synthetic patients as a fictional French centre's own spreadsheet (example)"),
        ("centre_fr.sav", "37 synthetic patients as a fictional French centre's SPSS file (example)"),
        ("centre_en.csv", "37 synthetic patients as a fictional English-speaking centre's CSV export (example)"),
        ("centre_en.dta", "37 synthetic patients as a fictional English-speaking centre's Stata file (example)"),
    ):
        out[f"{name}.provenance.yaml"] = provenance(what).encode()
    out.update(spreadsheet_files(raw, tmp))
    return out


def spreadsheet_files(raw: pd.DataFrame, tmp: Path) -> dict[str, bytes]:
    """The four spreadsheet exports and their completed mappings (the draft of each, edited)."""
    from analysis.data.intake.draft_mapping import draft

    out = {}
    for name in spreadsheet_exports.EXPORTS:
        data = spreadsheet_exports.export_bytes(name, raw, tmp)
        (tmp / name).write_bytes(data)
        out[name] = data
        out[mapping_name(name)] = completed_mapping(draft(tmp / name), EDITS[name]).encode()
    return out


def main(out: Path = HERE) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files(Path(tmp)).items():
            (out / name).write_bytes(data)


if __name__ == "__main__":
    main()
