"""Standard recodes: French and English words, SPSS/Stata value labels, missing words, X-or-blank boxes.

Cases: both spellings of yes/no, sex, IMWG response, PET, cause of death, agents, ISS; labels that
decide which of 1 and 2 is yes (in either order); an unlabelled 1/2 left open; a box's blank; a
labelled user-missing code that never occurs; toxicity left to a person; entries that change nothing
left out.
"""

import pytest

from analysis.data.dictionary import BY_NAME, COLUMNS, RESPONSE_CODES
from analysis.data.intake.vocabularies import (
    RESPONSE,
    YES_NO,
    fits,
    for_column,
    is_box,
    is_missing,
    norm,
    propose,
)


def test_every_flag_and_category_column_has_its_vocabulary():
    for col in COLUMNS:
        if col.kind in ("flag", "category"):
            vocab = for_column(col)
            assert vocab is not None and vocab.codes == (frozenset(col.codes) or {"0", "1"}), col.name
    assert RESPONSE.codes == frozenset(RESPONSE_CODES)


@pytest.mark.parametrize(
    "yes, no", [("Oui", "Non"), ("O", "N"), ("Yes", "No"), ("Y", "N"), ("Vrai", "Faux"), ("TRUE", "FALSE"),
                ("1", "0"), ("présent", "absent"), ("Detected", "Not detected"), ("positif", "négatif")]
)  # fmt: skip
def test_yes_no_in_french_and_english(yes, no):
    assert propose("hypercalcemia", [yes, no]).recode == ({} if yes == "1" else {yes: "1", no: "0"})


def test_value_labels_decide_which_code_is_yes_and_both_are_written():
    assert propose("del17p", ["1", "2"], {"1": "Oui", "2": "Non"}).recode == {"1": "1", "2": "0"}
    assert propose("del17p", ["1", "2"], {"1": "Non", "2": "Oui"}).recode == {"1": "0", "2": "1"}
    assert propose("del17p", ["0", "1"], {"0": "Non", "1": "Oui"}).recode == {}  # labels agree with the codes


def test_an_unlabelled_one_two_is_not_guessed():
    assert propose("hypercalcemia", ["1", "2"]).recode == {"2": "TODO"}


def test_an_x_or_blank_box_lists_its_blank_as_no():
    assert propose("emd_orl", ["X"], box=True).recode == {"X": "1", "": "0"}
    assert is_box(["X", "x"]) and not is_box(["X", "Oui"]) and not is_box([])


@pytest.mark.parametrize("word", ["Homme", "H", "M", "Masculin", "Male"])
def test_sex_male(word):
    assert propose("sex", [word]).recode == ({} if word == "M" else {word: "M"})


def test_sex_female_and_spss_labels():
    assert propose("sex", ["Femme", "Féminin", "Female"]).recode == dict.fromkeys(["Femme", "Féminin", "Female"], "F")
    assert propose("sex", ["1", "2"], {"1": "Homme", "2": "Femme"}).recode == {"1": "M", "2": "F"}


def test_imwg_response_in_french_abbreviations_and_english_words():
    french = {"RCs": "sCR", "RCS": "sCR", "RC stringente": "sCR", "RC": "CR", "TBRP": "VGPR", "RP": "PR",
              "RM": "MR", "RMin": "MR", "MS": "SD", "SM": "SD", "stable": "SD", "MP": "PD", "progression": "PD"}  # fmt: skip
    assert propose("response_c1", list(french)).recode == french
    english = {"Stringent complete response": "sCR", "Very good partial response": "VGPR", "Stable disease": "SD"}
    assert propose("best_response", list(english)).recode == english
    assert propose("best_response", ["CR", "VGPR"]).recode == {}


def test_pet_agents_iss_and_causes_of_death():
    assert propose("pet_c1", ["TEP-", "TEP +", "négatif", "Positive"]).recode == {
        "TEP-": "negative", "TEP +": "positive", "négatif": "negative", "Positive": "positive"}  # fmt: skip
    assert propose("bsab_agent", ["Tecvayli", "Elrexfio", "Téclistamab"]).recode == {
        "Tecvayli": "teclistamab", "Elrexfio": "elranatamab", "Téclistamab": "teclistamab"}  # fmt: skip
    assert propose("iss_stage", ["1", "Stade II", "III"]).recode == {"1": "I", "Stade II": "II"}
    assert propose("death_cause", ["Autre", "Infection", "toxicité"]).recode == {
        "Autre": "other", "Infection": "infection", "toxicité": "TODO"}  # fmt: skip


def test_missing_words_and_labelled_missing_codes_go_to_missing():
    rec = propose("del17p", ["Oui", "Non", "NF", "non fait"])
    assert rec.missing == ("NF", "non fait") and "NF" not in rec.recode
    spss = propose("del17p", ["1", "2"], {"1": "Oui", "2": "Non", "9": "Non fait"})  # 9: SPSS user-missing, read empty
    assert spss.missing == ("9",)
    assert all(is_missing(w) for w in ("ND", "NA", "inconnu", "non évalué", "Not done", "NE"))


def test_norm_and_fits():
    assert norm(" TEP + ") == "tep+" and norm("Négatif.") == "negatif"
    assert fits(YES_NO, ["Oui", "Non", "NF"]) and not fits(YES_NO, ["Oui", "Peut-être"]) and not fits(YES_NO, ["NF"])
    assert BY_NAME["sex"].codes and for_column(BY_NAME["age_years"]) is None
