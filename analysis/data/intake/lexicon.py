"""A bilingual lexicon of the dictionary's concepts, and how close a raw column's name is to each.

A centre names its columns in its own words: ``Plasmocytose médullaire (%)``, ``EM SNC``, ``Date J1``,
``TBRP C3``, ``DOB``. The draft mapping (:mod:`analysis.data.intake.draft_mapping`) needs to know
which dictionary column such a name most likely holds, and how sure that is. Spelling distance
(``difflib``) answers a different question — ``Plasmocytose médullaire`` is closest in letters to
``paramedullary``, ``EM rein`` to ``m_protein_g_l`` — so names are compared as words instead:

* :func:`normalise` lowercases, strips accents and punctuation, splits ``del17p`` into ``del 17p``,
  drops filler words (``de``, ``of``, …), folds plurals and a few synonyms onto one token (``chimio``
  = ``chemo`` = ``debulking``; ``src`` = ``crs``; ``rein`` = ``renal`` = ``kidney``), and takes a
  unit written in the name (``(g/dL)``, ``%``) aside as evidence for the unit (never as words);
* the concepts (:mod:`analysis.data.intake.concepts`) are every dictionary column, named in French
  and English with the abbreviations of French haematology (SRC, TBRP, RP, MS, MP, IRA, TEP, CLL,
  EM + site …), and a few things that are *not* dictionary columns: a birth date (from which the
  age is derived), a worst cytopenia grade (from which the grade ≥ 3 flag is), identifiers and
  variables the study does not use — recognised rather than forced onto the nearest column;
* :func:`rank` scores a name against every concept: a weighted Dice coefficient between the name's
  tokens and each of the concept's phrases, tokens weighted by how specific they are in the lexicon
  (``rein`` says more than ``em`` or ``date``; a word the lexicon does not know counts fully against
  the match, unless it is the start of one of the phrase's words — ``bispe``, ``plasmo``, the
  truncated variable names of SPSS and Stata — which then counts :data:`TRUNCATED`). 1 is an exact
  phrase, 0 no word in common. A name with a parenthesis that is not a unit is also scored by its
  parts (:data:`PART`): ``Neurotoxicité (ICANS)``.

The scores are only the names' side of the evidence; what the values say (a ``Oui``/``Non``
column can only be a flag, a date column only a date) is :mod:`analysis.data.intake.evidence`'s.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from .concepts import Concept, concepts

#: Words that carry no meaning in a column name.
STOPWORDS = frozenset(
    "de du des la le les l d un une au aux a en et ou par pour sur the of at in on for and or by to with "
    "avec sous fish cyto cytogenetique cytogenetic".split()
)
#: Synonyms folded onto one token (after accents, case and plural 's' are gone).
ALIASES: dict[str, str] = {
    **dict.fromkeys(("nombre", "nbre", "number", "num", "count", "n", "no"), "nb"),
    **dict.fromkeys(("1ere", "1er", "premiere", "premier", "first", "1st", "initial", "initiale"), "first"),
    **dict.fromkeys(("derniere", "dernier", "last", "latest"), "last"),
    **dict.fromkeys(("debut", "start", "initiation", "instauration"), "start"),
    **dict.fromkeys(("chimio", "chimiotherapie", "chemo", "chemotherapy", "debulking", "cytoreduction"), "chimio"),
    **dict.fromkeys(("reponse", "response", "rep", "resp", "evaluation"), "reponse"),
    **dict.fromkeys(("src", "crs"), "crs"),
    **dict.fromkeys(("tep", "pet", "petscan", "tepscan"), "tep"),
    **dict.fromkeys(("em", "emd", "extramedullaire", "extramedullary"), "em"),
    **dict.fromkeys(("rein", "renal", "renale", "kidney"), "rein"),
    **dict.fromkeys(("deces", "death", "dc", "dcd", "decede", "died"), "deces"),
    **dict.fromkeys(("prophylaxie", "prophylaxis", "prophylactic", "prophylactique", "prevention"), "prophylaxie"),
    **dict.fromkeys(("max", "maximum", "maximal", "maximale", "pire", "worst", "highest"), "max"),
    **dict.fromkeys(("cure", "cycle"), "cycle"),
    **dict.fromkeys(("antecedent", "anterieure", "anterieur", "prior", "previous", "precedente"), "prior"),
    **dict.fromkeys(("ligne", "line"), "ligne"),
    **dict.fromkeys(("sexe", "sex", "gender", "genre"), "sexe"),
    **dict.fromkeys(("cll", "lcl", "flc", "sflc"), "flc"),
    **dict.fromkeys(("cause", "motif", "raison", "reason"), "cause"),
    **dict.fromkeys(("1q21", "1q"), "1q"),
    **dict.fromkeys(("1p32", "1p"), "1p"),
    **dict.fromkeys(("deletion", "del"), "del"),
    **dict.fromkeys(("amplification", "amp", "ampli"), "amp"),
    **dict.fromkeys(("gain", "trisomie"), "gain"),
    **dict.fromkeys(("centre", "center"), "centre"),
    **dict.fromkeys(("hopital", "hospital", "etablissement", "institution", "chu"), "hopital"),
    **dict.fromkeys(("infection", "infectieux", "infectieuse", "infectious"), "infection"),
    **dict.fromkeys(("date", "dt"), "date"),
    **dict.fromkeys(("cytopenie", "cytopenia"), "cytopenie"),
    **dict.fromkeys(("stade", "stage"), "stade"),
    **dict.fromkeys(("immunoglobuline", "immunoglobulin", "ig"), "ig"),
    "paramedullaire": "paramedullaire",
}
#: Units a name may state, as the mapping's ``unit:`` writes them (spelling without accents, lowercase → unit).
UNITS: dict[str, str] = {
    "%": "%",
    "pct": "%",
    "pourcent": "%",
    "percent": "%",
    "g/dl": "g/dL",
    "g/l": "g/L",
    "mg/l": "mg/L",
    "mg/dl": "mg/dL",
    "gdl": "g/dL",
    "mgl": "mg/L",
    "mgdl": "mg/dL",
    "ug/ml": "µg/mL",
    "mmol/l": "mmol/L",
    "umol/l": "µmol/L",
    "ans": "years",
    "years": "years",
    "yrs": "years",
    "kg": "kg",
    "cm": "cm",
    "mois": "months",
    "months": "months",
    "jours": "days",
    "days": "days",
}
_UNIT_RX = re.compile(
    r"(?<![\w/])(" + "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True)) + r")(?![\w/])"
)
_SPLIT_PREFIX = re.compile(r"\b(del|amp|gain|t)(\d)")
_SPLIT_NUMBER = re.compile(r"\b([a-z]{4,})(\d+)\b")  # grade3 → grade 3 (not c1, j1, vp16)


@dataclass(frozen=True)
class Name:
    """A column name as the lexicon compares it: its words (normalised) and the unit it states."""

    tokens: tuple[str, ...]
    unit: str | None = None


def _ascii(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("µ", "u").replace("μ", "u")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _token(word: str) -> str:
    if word in ALIASES:
        return ALIASES[word]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return ALIASES.get(word, word)


def normalise(text: str) -> Name:
    """``text`` as words: lowercase, no accents or punctuation, plurals and synonyms folded, unit aside.

    >>> normalise("Plasmocytose médullaire (%)")
    Name(tokens=('plasmocytose', 'medullaire'), unit='%')
    >>> normalise("Pic monoclonal (g/dL)").unit
    'g/dL'
    >>> normalise("del(17p)").tokens, normalise("del17p").tokens
    (('del', '17p'), ('del', '17p'))
    """
    low = _ascii(text).lower().replace("_", " ")
    unit = None
    found = _UNIT_RX.search(low)
    if found:
        unit = UNITS[found.group(1)]
        low = low[: found.start()] + " " + low[found.end() :]
    low = _SPLIT_NUMBER.sub(r"\1 \2", _SPLIT_PREFIX.sub(r"\1 \2", low))
    words = _joined(re.findall(r"[a-z0-9]+", low))
    return Name(tuple(t for t in (_token(w) for w in words if w not in STOPWORDS) if t), unit)


def _joined(words: list[str]) -> list[str]:
    """Words split by a hyphen or a space joined back when together they are a known word (``extra médullaire``)."""
    out: list[str] = []
    for w in words:
        if out and out[-1] + w in ALIASES:
            out[-1] += w
        else:
            out.append(w)
    return out


_ASIDE = re.compile(r"\(([^()]*)\)")


#: What a part of a name (around a parenthesis) counts for, against the whole name.
PART = 0.8


def _alternatives(name: str) -> list[tuple[str, float]]:
    """A name (weight 1), and — when it holds a parenthesis that is not a unit — its outside and its
    inside as names of their own, weighted :data:`PART` (``Neurotoxicité (ICANS)``: either part says
    what the column holds; in ``EM (rein)`` the whole says more than ``EM``, and wins)."""
    out = [(name, 1.0)]
    inner = [m.group(1) for m in _ASIDE.finditer(name) if normalise(m.group(1)).tokens]
    if inner and not _SPLIT_PREFIX.search(_ascii(name).lower().replace("(", "")):
        outer = _ASIDE.sub(" ", name)
        out += [(n, PART) for n in (outer, *inner) if normalise(n).tokens]
    return out


@cache
def _compiled() -> tuple[tuple[Concept, tuple[frozenset[str], ...]], ...]:
    out = []
    for c in concepts():
        phrases = {frozenset(normalise(p).tokens) for p in (*c.phrases, c.key.replace("_", " "))}
        out.append((c, tuple(sorted((p for p in phrases if p), key=sorted))))
    return tuple(out)


@cache
def _weights() -> tuple[dict[str, float], float]:
    """Each token's weight: 1 + log(concepts / concepts using it); unknown tokens weigh the most."""
    df: dict[str, int] = {}
    for _, phrases in _compiled():
        for t in set().union(*phrases):
            df[t] = df.get(t, 0) + 1
    n = len(_compiled())
    return {t: 1 + math.log(n / k) for t, k in df.items()}, 1 + math.log(n)


@cache
def _spellings_of() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for word, token in ALIASES.items():
        out.setdefault(token, []).append(word)
    return {t: tuple(w) for t, w in out.items()}


def _spellings(token: str) -> tuple[str, ...]:
    """A token and every word folded onto it (``em``: ``emd``, ``extramedullaire`` …)."""
    return (token, *_spellings_of().get(token, ()))


#: What a truncated word (``bispe`` for ``bispecifique``) counts for, against the word itself.
TRUNCATED = 0.9
#: The shortest truncation read as one (``ref``, ``plasmo``, ``bispe``; not ``em``).
MIN_TRUNCATION = 3


def _dice(raw: frozenset[str], phrase: frozenset[str]) -> float:
    """Weighted Dice of a name's tokens and a phrase's; an unknown raw token may abbreviate a phrase word."""
    weights, unknown = _weights()
    exact = raw & phrase
    common = own = sum(weights[t] for t in exact)
    free = sorted(phrase - exact)  # each phrase word is matched once
    for t in sorted(raw - exact):
        full = None
        if t not in weights and len(t) >= MIN_TRUNCATION:
            full = next((p for p in free if any(w.startswith(t) for w in _spellings(p))), None)
        if full is None:
            own += weights.get(t, unknown)
        else:
            free.remove(full)
            common += TRUNCATED * weights[full]
            own += weights[full]
    total = own + sum(weights[t] for t in phrase)
    return 2 * common / total if total else 0.0


@dataclass(frozen=True)
class Candidate:
    concept: Concept
    score: float

    @property
    def key(self) -> str:
        return self.concept.key


@cache
def _index() -> dict[str, tuple[int, ...]]:
    """Token (and every spelling folded onto it) → the concepts (by position) with a phrase using it."""
    index: dict[str, set[int]] = {}
    for k, (_, phrases) in enumerate(_compiled()):
        for t in set().union(*phrases):
            for w in _spellings(t):
                index.setdefault(w, set()).add(k)
    return {w: tuple(sorted(ks)) for w, ks in index.items()}


def _reachable(tokens: frozenset[str]) -> set[int]:
    """The concepts a name can score above 0 against: a word in common, or one it may abbreviate."""
    index, (weights, _) = _index(), _weights()
    out: set[int] = set()
    for t in tokens:
        out.update(index.get(t, ()))
        if t not in weights and len(t) >= MIN_TRUNCATION:
            for w, ks in index.items():
                if w.startswith(t):
                    out.update(ks)
    return out


def rank(*names: str) -> list[Candidate]:
    """Every concept with a score above 0, best first, for a column known by ``names``.

    A statistical file's column has two names, its variable name and its label: each concept
    keeps the better score of the two (and of a name's parts around a parenthesis,
    :func:`_alternatives`). Ties keep the lexicon's order.
    """
    weighted: dict[frozenset[str], float] = {}
    for n in names:
        for alt, weight in _alternatives(n) if n else ():
            t = frozenset(normalise(alt).tokens)
            weighted[t] = max(weight, weighted.get(t, 0.0))
    compiled = _compiled()
    out = []
    for k in sorted(set().union(*(_reachable(t) for t in weighted))):
        concept, phrases = compiled[k]
        score = max(w * _dice(t, p) for t, w in weighted.items() for p in phrases)
        if score > 0:
            out.append(Candidate(concept, round(score, 3)))
    return sorted(out, key=lambda c: -c.score)


def stated_unit(*names: str) -> str | None:
    """The unit written in any of ``names`` (``Pic (g/dL)`` → ``g/dL``), or ``None``."""
    return next((u for u in (normalise(n).unit for n in names if n) if u), None)


def concept(key: str) -> Concept:
    """The concept named ``key`` (a dictionary column, or ``birth_date``, ``name``, …)."""
    return next(c for c in concepts() if c.key == key)


__all__ = [
    "ALIASES", "PART", "STOPWORDS", "TRUNCATED", "UNITS", "Candidate", "Concept", "Name", "concept", "concepts",
    "normalise", "rank", "stated_unit",
]  # fmt: skip
