"""Standard recodes: the words centres write for the dictionary's codes, in French and English.

A centre's export says ``Oui``/``Non``, ``Homme``/``Femme``, ``TBRP``, ``TEP+``, ``Elrexfio``, or
stores SPSS codes whose value labels say so (``1 = Oui, 2 = Non``). The dictionary wants ``1``/``0``,
``M``/``F``, ``VGPR``, ``positive``, ``elranatamab``. These words are not ambiguous in this study's
context, so the draft mapping fills such recodes itself (:func:`propose`) and leaves ``TODO`` only
for a value it does not know — a person still reads and confirms the whole draft.

What is in each vocabulary, and what is deliberately not:

* yes/no (:data:`YES_NO`): ``Oui``/``Non``, ``O``/``N``, ``Yes``/``No``, ``Y``/``N``, ``Vrai``/``Faux``,
  ``True``/``False``, ``0``/``1``, ``présent``/``absent``, ``détecté``/``non détecté``, ``detected``/``not detected``,
  ``positif``/``négatif`` (a FISH result); and a box ticked with ``X`` (an *X-or-blank* column: its
  blank cells mean no, so the blank is listed as a value, ``"": "0"``). An unlabelled ``1``/``2``
  is not read as yes/no: which of the two is yes is the file's to say, through its value labels.
* sex (:data:`SEX`): Homme/Femme, H/F, M/F, Masculin/Féminin, Male/Female.
* IMWG response (:data:`RESPONSE`), French abbreviations as written in French haematology: RCs
  (RC stringente) → sCR, RC → CR, TBRP → VGPR, RP → PR, RM/RMin → MR, MS/SM/stable → SD,
  MP/progression → PD; and the English words. Kumar et al., Lancet Oncol 2016;17:e328.
* PET (:data:`PET`): négatif/positif, negative/positive, TEP-/TEP+.
* cause of death (:data:`DEATH_CAUSE`): progression, infection, autre/other. *Toxicity* is not in
  it: the dictionary has no such code, and whether a centre's "toxicité" is an infection or another
  cause is for a person to decide.
* agent (:data:`AGENT`): téclistamab/Tecvayli, elranatamab/Elrexfio; ISS stage (:data:`ISS`): 1/2/3,
  I/II/III, "stade I" ….
* missing (:data:`MISSING`): the words that mean no value — NF (non fait), ND, NA, inconnu, non
  évalué, not done … — proposed under the column's ``missing:``, never recoded to a code.

Values are compared without case, accents or surrounding punctuation (:func:`norm`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..dictionary import BY_NAME, Column
from ..validate import parse_cell
from .mapping import PLACEHOLDER


@lru_cache(maxsize=4096)
def norm(value: str) -> str:
    """A value as the vocabularies compare it: ``" TEP + "`` → ``"tep+"``, ``"Négatif."`` → ``"negatif"``."""
    text = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    text = re.sub(r"\s+", " ", text.casefold()).strip(" .;:")
    return re.sub(r"\s*([+-])$", r"\1", text)


@dataclass(frozen=True)
class Vocabulary:
    """Words (normalised) → one code of the dictionary."""

    name: str
    words: Mapping[str, str]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.words.values())

    def code(self, value: str) -> str | None:
        return self.words.get(norm(value))


def _vocabulary(name: str, groups: Mapping[str, Sequence[str]]) -> Vocabulary:
    words = {}
    for code, spellings in groups.items():
        for s in (code, *spellings):
            words[norm(s)] = code
    return Vocabulary(name, words)


#: A ticked box: the only mark an X-or-blank column holds.
BOX_MARKS = frozenset({"x", "✓", "✔", "☑", "☒"})
YES_NO = _vocabulary(
    "yes/no",
    {
        "1": ("oui", "o", "yes", "y", "vrai", "true", "present", "presente", "detecte", "detectee", "detected", "positif",
              "positive", "+", *BOX_MARKS),
        "0": ("non", "n", "no", "faux", "false", "absent", "absente", "non detecte", "non detectee", "not detected",
              "negatif",
              "negative", "-"),
    },
)  # fmt: skip
SEX = _vocabulary(
    "sex", {"M": ("homme", "h", "masculin", "male", "man", "monsieur"), "F": ("femme", "feminin", "female", "woman")}
)
RESPONSE = _vocabulary(
    "IMWG response",
    {
        "sCR": ("rcs", "rc s", "rcstringente", "rc stringente", "reponse complete stringente", "scr",
                "stringent cr", "stringent complete response", "stringent complete remission"),
        "CR": ("rc", "reponse complete", "remission complete", "complete response", "complete remission"),
        "VGPR": ("tbrp", "tres bonne reponse partielle", "very good partial response"),
        "PR": ("rp", "reponse partielle", "partial response"),
        "MR": ("rm", "rmin", "reponse minime", "reponse minimale", "minimal response", "minor response"),
        "SD": ("ms", "sm", "stable", "maladie stable", "stabilite", "stable disease"),
        "PD": ("mp", "progression", "maladie progressive", "progressive disease", "progression de la maladie"),
    },
)  # fmt: skip
PET = _vocabulary(
    "PET",
    {
        "negative": ("negatif", "negative", "neg", "tep-", "pet-", "tep negatif", "reponse metabolique complete",
                     "complete metabolic response"),
        "positive": ("positif", "positive", "pos", "tep+", "pet+", "tep positif"),
    },
)  # fmt: skip
DEATH_CAUSE = _vocabulary(
    "cause of death",
    {
        "progression": ("progression de la maladie", "maladie", "myelome", "progressive disease",
                        "disease progression", "myeloma", "mp", "pd"),
        "infection": ("infectieux", "infectieuse", "sepsis", "choc septique", "infectious"),
        "other": ("autre", "autres", "other cause"),
    },
)  # fmt: skip
AGENT = _vocabulary(
    "bispecific agent",
    {
        "teclistamab": ("teclistamab", "tecvayli", "tecli", "teclistamab tecvayli"),
        "elranatamab": ("elranatamab", "elrexfio", "elra", "elranatamab elrexfio"),
    },
)
ISS = _vocabulary(
    "ISS stage",
    {
        code: (str(k), f"stade {k}", f"stade {code}", f"iss {k}", f"iss {code}", f"stage {k}", f"stage {code}")
        for k, code in ((1, "I"), (2, "II"), (3, "III"))
    },
)
#: Values that mean "no value" (not done, not known): a column's ``missing:``, not a recode.
MISSING = frozenset(
    norm(w)
    for w in (
        "NF", "non fait", "non faite", "pas fait", "non réalisé", "non réalisée", "ND", "non déterminé",
        "non disponible", "NA", "N/A", "inconnu", "inconnue", "unknown", "unk", "NK", "not known", "not done",
        "not tested", "not assessed", "not evaluated", "not available", "non évalué", "non évaluée",
        "non évaluable", "NE", "NR", "non renseigné", "manquant", "missing", "?",
    )
)  # fmt: skip
CATEGORIES: tuple[Vocabulary, ...] = (SEX, RESPONSE, PET, DEATH_CAUSE, AGENT, ISS)


def for_column(col: Column) -> Vocabulary | None:
    """The vocabulary of a flag or category column (the one whose codes are the column's), else ``None``."""
    if col.kind == "flag":
        return YES_NO
    if col.kind == "category":
        return next((v for v in CATEGORIES if v.codes == frozenset(col.codes)), None)
    return None


def is_missing(value: str) -> bool:
    return norm(value) in MISSING


def is_box(values: Sequence[str]) -> bool:
    """Whether every (non-empty) value is a box mark: the column is an X-or-blank box."""
    return bool(values) and all(norm(v) in BOX_MARKS for v in values)


def fits(vocabulary: Vocabulary, values: Sequence[str], labels: Mapping[str, str] | None = None) -> bool:
    """Whether every value that is not a missing word is a word of ``vocabulary`` (through its label if any)."""
    labels = labels or {}
    core = [labels.get(v, v) for v in values if not is_missing(labels.get(v, v))]
    return bool(core) and all(vocabulary.code(w) is not None for w in core)


@dataclass(frozen=True)
class Recode:
    """A proposed ``recode:`` (value → code, :data:`PLACEHOLDER` where unknown) and ``missing:`` list."""

    recode: dict[str, str]
    missing: tuple[str, ...]

    @property
    def open(self) -> tuple[str, ...]:
        return tuple(v for v, code in self.recode.items() if code == PLACEHOLDER)


def propose(
    target: str | None,
    values: Sequence[str],
    labels: Mapping[str, str] | None = None,
    *,
    box: bool = False,
    vocabulary: Vocabulary | None = None,
) -> Recode:
    """The recode of a column's distinct non-empty ``values`` to ``target`` (a dictionary column).

    A value's label (a statistical file's) is looked up first; a missing word goes to ``missing``
    (so do labelled codes that mean missing but do not occur, SPSS's user-missing ``9 = Non fait``);
    a word of the column's vocabulary is recoded; a value already valid for the column passes as it
    is (no entry); anything else is ``TODO``. ``box``: an X-or-blank column, whose blank is recoded
    ``"0"``. With no target yet, ``vocabulary`` (what the values look like) is used instead.
    Entries that change nothing are left out, unless labels decide the others (``1 = Oui, 2 = Non``:
    both are written, so that no one has to guess which of ``1`` and ``2`` passed unchanged).
    """
    labels = dict(labels or {})
    col = BY_NAME.get(target) if target else None
    vocab = (for_column(col) if col else None) or vocabulary
    recode: dict[str, str] = {}
    missing = []
    for value in values:
        word = labels.get(value, value)
        code = vocab.code(word) if vocab else None
        if is_missing(word) and code is None:
            missing.append(value)
        elif code is not None:
            recode[value] = code
        elif col is not None and value not in labels and parse_cell(col, value)[1] is None:
            continue
        else:
            recode[value] = PLACEHOLDER
    missing += [k for k, label in labels.items() if k not in values and is_missing(label)]
    if box:
        recode[""] = "0"
    labelled_change = any(k in labels and code != k for k, code in recode.items())
    if not labelled_change:
        recode = {k: code for k, code in recode.items() if code != k}
    return Recode(recode, tuple(missing))


__all__ = [
    "AGENT", "BOX_MARKS", "CATEGORIES", "DEATH_CAUSE", "ISS", "MISSING", "PET", "RESPONSE", "SEX", "YES_NO",
    "Recode", "Vocabulary", "fits", "for_column", "is_box", "is_missing", "norm", "propose",
]  # fmt: skip
