"""Direct identifiers recognised by their column's name (French, English) and by their values, in plain words."""

import pytest

from analysis.data.dictionary import NAMES
from analysis.data.intake.identifiers import REASONS, identifier_reason
from analysis.data.validate import IDENTIFIER_NAMES, normalised_name

BIRTH, NAME, NUMBER, PHONE, EMAIL, ADDRESS, COMMENTS = REASONS


@pytest.mark.parametrize(
    "name, reason",
    [
        ("Date de naissance", BIRTH),
        ("DDN", BIRTH),
        ("Naissance", BIRTH),
        ("Birth date", BIRTH),
        ("DOB", BIRTH),
        ("date_of_birth", BIRTH),
        ("Nom", NAME),
        ("Prénom", NAME),
        ("Nom du patient", NAME),
        ("Name", NAME),
        ("Initiales", NAME),
        ("Médecin référent", NAME),
        ("Docteur", NAME),
        ("Referring doctor", NAME),
        ("Praticien", NAME),
        ("IPP", NUMBER),
        ("N° IPP", NUMBER),
        ("NIP", NUMBER),
        ("Numéro de dossier", NUMBER),
        ("Hospital number", NUMBER),
        ("MRN", NUMBER),
        ("NIR", NUMBER),
        ("Numéro de sécurité sociale", NUMBER),
        ("SSN", NUMBER),
        ("Téléphone", PHONE),
        ("Tél. portable", PHONE),
        ("Phone", PHONE),
        ("Mail", EMAIL),
        ("E-mail", EMAIL),
        ("Courriel", EMAIL),
        ("Adresse e-mail", EMAIL),
        ("Adresse", ADDRESS),
        ("Address", ADDRESS),
        ("Code postal", ADDRESS),
        ("Commentaire", COMMENTS),
        ("Remarques", COMMENTS),
        ("Notes", COMMENTS),
        ("Comments", COMMENTS),
        ("Observations", COMMENTS),
    ],
)
def test_identifier_columns_are_recognised_by_name(name, reason):
    assert identifier_reason(name, []) == reason


@pytest.mark.parametrize(
    "name, values, reason",
    [
        ("Contact", ["jean.dupont@chu-exemple.fr", "m.martin@example.org", ""], EMAIL),
        ("Contact", ["06 12 34 56 78", "+33 6 11 22 33 44", "01.23.45.67.89"], PHONE),
        ("Identifiant", ["1 85 07 75 123 456 78", "2850775123456", "185072A123456"], NUMBER),
        (
            "Suivi",
            ["revu en consultation, va bien", "douleurs osseuses persistantes sous traitement", "perdu de vue en 2023"],
            COMMENTS,
        ),
        ("Nom usuel", ["DUPONT Jean", "Martin Marie", "J. Durand"], NAME),
    ],
)
def test_identifier_columns_are_recognised_by_their_values(name, values, reason):
    assert identifier_reason(name, values) == reason


@pytest.mark.parametrize(
    "name, values",
    [
        ("Nom bispécifique", ["Téclistamab"] * 10 + ["Elranatamab"] * 5),  # capitalised, but a drug: few distinct
        ("Usuel", ["DUPONT Jean", "Martin Marie", "J. Durand"]),  # names only count when the column's name hints
        ("N° patient", ["C15-001", "C15-002"]),
        ("Âge", ["65", "71"]),
        ("Réponse chimio", ["très bonne réponse partielle"] * 30 + ["réponse complète stricte confirmée"] * 14),
        ("Hôtel", ["1"]),  # 'tel' is a word, not a substring
    ],
)
def test_clinical_columns_are_not_identifiers(name, values):
    assert identifier_reason(name, values) is None


def test_no_dictionary_column_looks_like_an_identifier_and_the_validator_shares_the_list():
    assert [n for n in NAMES if identifier_reason(n, [])] == []
    assert set(IDENTIFIER_NAMES.values()) <= set(REASONS)
    # one list: every name the validator refuses is recognised, with the same reason
    assert all(identifier_reason(name, []) == reason for name, reason in IDENTIFIER_NAMES.items())
    assert normalised_name("Numéro de Sécurité-Sociale") == "numerodesecuritesociale"
