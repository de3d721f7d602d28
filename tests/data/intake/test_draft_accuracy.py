"""Scoring a draft: every target and recode right, open (TODO, or refused by the import) or wrong.

A hand-made draft and truth, one of each outcome.
"""

from analysis.data.intake.draft_accuracy import score

TRUTH = {
    "columns": {"Sexe": "sex", "IRA": "acute_kidney_injury", "EM rein": "emd_kidney", "Âge": "age_years",
                "hypercalcemia": "hypercalcemia"},
    "drop": ["Nom", "Statut"],
    "derive": {},
    "centre": None,
    "values": {"Sexe": {"Homme": "M", "Femme": "F"}, "IRA": {"Oui": "1", "Non": "0", "NF": ""},
               "EM rein": {"X": "1", "": "0"}, "hypercalcemia": {"0": "0", "1": "1"}},
}  # fmt: skip
DRAFT = """\
compendium_mapping: 1
drop:
  - "Nom"
columns:
  "Sexe": {to: sex, recode: {"Homme": "F", "Femme": "TODO"}}
  "IRA": {to: TODO, recode: {"Oui": "1", "Non": "0"}, missing: ["NF"]}
  "EM rein": {to: emd_liver, recode: {"X": "1"}}
  "Âge": age_years
  "Statut": TODO
"""


def test_each_decision_is_right_open_or_wrong():
    acc = score(DRAFT, TRUTH)
    # targets: Sexe, Âge, hypercalcemia (used as it is), Nom right; IRA, Statut open; EM rein wrong
    assert acc.targets == {"right": 4, "open": 2, "wrong": 1}
    # recodes: Homme→F wrong; Femme TODO open; Oui, Non, NF right; X right; the box's blank missing: refused, open
    assert acc.recodes == {"right": 4, "open": 2, "wrong": 1}
    assert acc.open == 4 and acc.wrong == 2
    assert "target wrong: 'EM rein' is emd_kidney, the draft says emd_liver" in acc.notes
    assert acc.line() == "targets 4/2/1, recodes 4/2/1 (right/open/wrong)"
