"""Columns that hold direct identifiers, recognised by their name and by their values.

A centre's export often carries what identifies a patient — the hospital number (IPP), the birth
date, the name, a phone number, free-text comments — next to the clinical columns. None of it may
reach the converted table: the import refuses such a column when it is mapped under ``columns:``
(:mod:`analysis.data.intake.remap`), and the draft mapping proposes to drop it. A birth date may
still be read to compute the age (``derive: age_years: {rule: age_in_years, …}``), which never
copies it.

:func:`identifier_reason` says what a column looks like, in plain words (the reasons of
:data:`REASONS`), from two kinds of evidence, either enough:

* **the name**, normalised (lower case, no accents, letters only: ``"N° IPP"`` → ``nipp``) — the
  whole name one of :data:`analysis.data.validate.IDENTIFIER_NAMES` (the one list the validator
  refuses too), a phrase of :data:`PHRASES` inside it (``datedenaissance``, ``securitesociale`` …),
  or one of its words one of :data:`WORDS` (``IPP``, ``DDN``, ``prénom``, ``téléphone``,
  ``médecin``, ``commentaire`` …). Words that are also ordinary (``nom``, ``name``, ``patient``) count
  only as a hint for the value evidence below;
* **the values** (the non-empty ones; the first :data:`MAX_VALUES`) — most (more than half) are
  e-mail addresses, French phone numbers (``06 12 34 56 78``, ``+33 6…``) or 13- or 15-digit NIR
  social-security numbers; or most are free text (three words or more, :data:`FREE_TEXT_LENGTH`
  characters on average, mostly distinct); or, when the name hints at a person, most are
  capitalised names (``DUPONT Jean``, ``J. Martin``), mostly distinct. "Mostly distinct" (at least
  half the values different) keeps category columns out: 44 patients' ``Téclistamab`` are a drug.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..validate import ADDRESS, BIRTH, COMMENTS, EMAIL, IDENTIFIER_NAMES, NAME, NUMBER, PHONE, normalised_name

#: The reasons :func:`identifier_reason` gives, in plain words.
REASONS = (BIRTH, NAME, NUMBER, PHONE, EMAIL, ADDRESS, COMMENTS)
#: Phrases that identify wherever they appear in the normalised name.
PHRASES: dict[str, str] = {
    "datedenaissance": BIRTH,
    "dateofbirth": BIRTH,
    "birthdate": BIRTH,
    "nomdenaissance": NAME,
    "firstname": NAME,
    "lastname": NAME,
    "nomdupatient": NAME,
    "patientname": NAME,
    "referringdoctor": NAME,
    "securitesociale": NUMBER,
    "socialsecurity": NUMBER,
    "hospitalnumber": NUMBER,
    "medicalrecord": NUMBER,
    "numerodossier": NUMBER,
    "numerodedossier": NUMBER,
    "adresseelectronique": EMAIL,
    "adressemail": EMAIL,
    "codepostal": ADDRESS,
    "postalcode": ADDRESS,
    "zipcode": ADDRESS,
}
#: Words (of the name split at anything but letters) that identify on their own.
WORDS: dict[str, str] = {
    **dict.fromkeys(("naissance", "ddn", "dob", "birth"), BIRTH),
    **dict.fromkeys(
        ("prenom", "initiales", "initials", "surname", "medecin", "docteur", "doctor", "praticien", "physician"), NAME
    ),
    **dict.fromkeys(("ipp", "nip", "nir", "mrn", "ssn", "insee", "secu"), NUMBER),
    **dict.fromkeys(("telephone", "phone", "tel", "portable"), PHONE),
    **dict.fromkeys(("email", "mail", "courriel"), EMAIL),
    **dict.fromkeys(("adresse", "address"), ADDRESS),
    **dict.fromkeys(
        ("commentaire", "commentaires", "remarque", "remarques", "comment", "comments", "observations", "notes"),
        COMMENTS,
    ),
}
#: Words of the name that make capitalised values read as a person's name.
PERSON_HINTS = frozenset({"nom", "name", "patient", "patiente", "contact", "personne", "identite", "identity"})
MAX_VALUES = 1000
FREE_TEXT_LENGTH = 20

EMAIL_VALUE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
PHONE_VALUE = re.compile(r"^(?:\+33 ?|0033 ?|0)[1-9](?:[ .-]?\d{2}){4}$")
#: NIR: sex digit, year, month, department (2A/2B for Corsica), commune, order; 13 digits, 15 with its key.
NIR_VALUE = re.compile(r"^[1-478]\d{4}(?:\d{2}|2[AB])\d{6}(?:\d{2})?$")
PERSON_VALUE = re.compile(r"^(?:[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]*\.?)(?: [A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]*\.?){0,3}$")


def _words(name: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return [w for w in re.split(r"[^a-z]+", plain) if w]


def name_reason(name: str) -> str | None:
    """What the column name alone says the column holds (see the module docstring), or ``None``."""
    joined = normalised_name(name)
    if joined in IDENTIFIER_NAMES:
        return IDENTIFIER_NAMES[joined]
    for phrase, reason in PHRASES.items():
        if phrase in joined:
            return reason
    return next((WORDS[w] for w in _words(name) if w in WORDS), None)


def _most(values: list[str], test) -> bool:
    return sum(1 for v in values if test(v)) * 2 > len(values)


def values_reason(values: Sequence[str], person_hint: bool = False) -> str | None:
    """What the values alone say the column holds (see the module docstring), or ``None``."""
    cells = [str(v).strip() for v in values if str(v).strip()][:MAX_VALUES]
    if not cells:
        return None
    if _most(cells, EMAIL_VALUE.match):
        return EMAIL
    if _most(cells, PHONE_VALUE.match):
        return PHONE
    if _most(cells, lambda v: NIR_VALUE.match(re.sub(r"[ .]", "", v))):
        return NUMBER
    distinct = len(set(cells)) * 2 >= len(cells)
    if (
        distinct
        and _most(cells, lambda v: len(v.split()) >= 3)
        and sum(map(len, cells)) / len(cells) >= FREE_TEXT_LENGTH
    ):
        return COMMENTS
    if person_hint and distinct and _most(cells, PERSON_VALUE.match):
        return NAME
    return None


def identifier_reason(name: str, values: Sequence[str]) -> str | None:
    """What direct identifier the column ``name`` with ``values`` looks like, in plain words, or ``None``.

    One of :data:`REASONS` ("a birth date", "a person's name", "a hospital or social-security
    number", "a phone number", "an e-mail address", "a postal address", "free-text comments"); the
    name is looked at first, then the values.

    Examples
    --------
    >>> identifier_reason("Date de naissance", [])
    'a birth date'
    >>> identifier_reason("Contact", ["jean.dupont@example.org", "m.martin@example.fr"])
    'an e-mail address'
    >>> identifier_reason("Sexe", ["Homme", "Femme"]) is None
    True
    """
    return name_reason(name) or values_reason(values, person_hint=bool(PERSON_HINTS & set(_words(name))))


__all__ = ["PHRASES", "REASONS", "WORDS", "identifier_reason", "name_reason", "values_reason"]
