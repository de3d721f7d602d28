"""The bilingual lexicon: every dictionary column named in French and English, names compared as words.

Cases: every column's own name and every phrase find their concept; the names a centre really wrote
that spelling distance sent astray (issue 23: ``Plasmocytose médullaire (%)`` → paramedullary, ``EM
rein`` → m_protein_g_l, ``EM SNC`` → emd_muscle, ``Commentaire`` → center_id, ``Prophylaxie
antivirale`` → pjp_prophylaxis); French haematology's abbreviations; truncated SPSS names; units.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.data.dictionary import NAMES
from analysis.data.intake import lexicon
from analysis.data.intake.lexicon import concepts, normalise, rank, stated_unit


def _best(*names):
    return rank(*names)[0].key


def test_every_column_name_and_every_phrase_ranks_its_own_concept_first():
    for name in NAMES:
        assert _best(name) == name
    for c in concepts():
        for phrase in c.phrases:
            ranked = rank(phrase)
            assert ranked[0].score == 1.0 and c.key in [x.key for x in ranked if x.score == 1.0], (c.key, phrase)


@pytest.mark.parametrize(
    "header, concept",
    [
        ("Plasmocytose médullaire (%)", "bm_plasma_cell_pct"),
        ("EM rein", "emd_kidney"),
        ("EM SNC", "emd_cerebral"),
        ("Commentaire", "comments"),
        ("Prophylaxie antivirale", "antiviral_prophylaxis"),
    ],
)
def test_the_names_difflib_sent_astray_now_find_their_concept_issue_23(header, concept):
    assert _best(header) == concept


@pytest.mark.parametrize(
    "header, concept",
    [
        ("Grade SRC", "crs_grade"),
        ("IRA", "acute_kidney_injury"),
        ("TEP C3", "pet_c3"),
        ("CLL impliquée (mg/L)", "involved_flc_mg_l"),
        ("Pic monoclonal (g/dL)", "m_protein_g_l"),
        ("Nb lignes antérieures", "prior_lines"),
        ("Triple réfractaire", "triple_class_refractory"),
        ("t(4;14)", "t_4_14"),
        ("t(14;16)", "t_14_16"),
        ("Gain 1q", "gain_1q21"),
        ("Amp 1q", "amp_1q21"),
        ("del(1p32)", "del_1p32"),
        ("Endoxan", "chemo_cyclophosphamide"),
        ("Bélustine", "chemo_lomustine"),
        ("Adriamycine", "chemo_anthracycline"),
        ("VP16", "chemo_etoposide"),
        ("Bactrim", "pjp_prophylaxis"),
        ("IgIV", "ig_supplementation"),
        ("Date J1", "bsab_start_date"),
        ("Date dernières nouvelles", "last_followup_date"),
        ("Cause du décès", "death_cause"),
        ("DDN", "birth_date"),
        ("Date de naissance", "birth_date"),
        ("IPP", "hospital_number"),
        ("Médecin référent", "doctor"),
        ("Grade cytopénie max", "cytopenia_max_grade"),
        ("Date diagnostic", "diagnosis_date"),
        ("Involved FLC (mg/dL)", "involved_flc_mg_l"),
        ("Last follow-up", "last_followup_date"),
        ("Worst infection grade", "infection_max_grade"),
    ],
)
def test_french_haematology_and_english_names(header, concept):
    assert _best(header) == concept


@pytest.mark.parametrize(
    "var, concept",
    [("bispe", "bsab_agent"), ("plasmo_pct", "bm_plasma_cell_pct"), ("extramed", "extramedullary"),
     ("triple_ref", "triple_class_refractory"), ("date_prog", "progression_date"), ("meil_rep", "best_response")],
)  # fmt: skip
def test_a_truncated_variable_name_counts_for_the_word_it_begins(var, concept):
    assert _best(var) == concept and rank(var)[0].score < 1


def test_a_variable_label_is_a_second_name():
    assert _best("q17", "Plasmocytose médullaire (%)") == "bm_plasma_cell_pct"


def test_normalise_folds_accents_plurals_synonyms_and_takes_the_unit_aside():
    assert normalise("Plasmocytose médullaire (%)") == lexicon.Name(("plasmocytose", "medullaire"), "%")
    assert normalise("Nb lignes antérieures").tokens == ("nb", "ligne", "prior")
    assert normalise("Grade SRC").tokens == normalise("CRS grade").tokens[::-1]
    assert normalise("del17p").tokens == normalise("del(17p)").tokens == ("del", "17p")
    assert normalise("grade3").tokens == ("grade", "3")
    assert stated_unit("pic_gdl") == "g/dL" and stated_unit("Âge (ans)") == "years" and stated_unit("Sexe") is None


def test_an_abbreviation_is_matched_once_in_a_phrase():
    # "deb" and "chim" both begin words folded onto one token of the phrase: one match, not two
    assert 0 < rank("date_deb_chim")[0].score <= 1


def test_the_index_finds_every_concept_a_full_scan_scores():
    for name in ("EM rein", "bispe", "Date J1", "x", "Réponse C12", "cyto_17p", "Statut"):
        tokens = frozenset(normalise(name).tokens)
        full = {c.key for c, phrases in lexicon._compiled() if max(lexicon._dice(tokens, p) for p in phrases) > 0}
        assert {c.key for c in rank(name)} == full


@given(st.text(max_size=40))
def test_scores_are_between_0_and_1_best_first(text):
    scores = [c.score for c in rank(text)]
    assert all(0 < s <= 1 for s in scores) and scores == sorted(scores, reverse=True)
