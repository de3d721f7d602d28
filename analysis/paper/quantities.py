"""The quantities the paper states, in words: load and validate ``data/published/quantities.yaml``.

The claims registry (``claims.yaml``, :mod:`analysis.paper.claims`) has one claim per printed
statement, and several claims can state one quantity (Table 1's "Female, n(%) | 22 (50)" and the
text's "with 50% female (n = 22)"). ``quantities.yaml`` groups them: one :class:`Quantity` per
quantity, with a label, a population and a unit in plain words, so that the comparison with the
published study shows one row a clinician can read ("ORR after cycle 3, patients with HRCA evaluable
after cycle 3, %") instead of registry ids (``txt.orr_c3_hrca``). The first claim of a quantity is the
one compared; the others are where the paper states it again.

A separate file, not fields of the claims: the text of ``claims.yaml`` is what the synthetic
cohort's calibration digest covers (:func:`analysis.paper.registry.calibration_sha256`), so a
reworded label there would make the committed cohort look stale. The labels are presentation.

:func:`load` checks the file against the registry: every claim in exactly one quantity, no unknown
claim, every text field written. The schema is in the file's header and in
``data/published/README.md``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import paths
from ..exceptions import ClaimsError
from . import claims as claims_mod
from .registry import _parse  # the registry's YAML reading: safe, and a key written twice is an error

QUANTITIES = paths.PUBLISHED / "quantities.yaml"
SCHEMA_VERSION = 1
TOP_LEVEL_KEYS = ("schema_version", "quantities")
FIELDS = ("id", "label", "population", "unit", "claims")
TEXT_FIELDS = ("label", "population", "unit")
ID_PATTERN = re.compile(r"^q\.[a-z0-9]+(_[a-z0-9]+)*$")
#: A registry id written in a label or a population ("t1.", "txt.", "disc.", "ext." then a name).
REGISTRY_ID_IN_TEXT = re.compile(r"\b(?:t1|txt|disc|ext)\.[a-z0-9_]")


@dataclass(frozen=True)
class Quantity:
    """One quantity of the paper, and the claims of the registry that state it.

    ``claims[0]`` (:attr:`primary`) is the claim compared with the data; the others state the same
    quantity over the same population elsewhere in the paper.
    """

    id: str
    label: str
    population: str
    unit: str
    claims: tuple[str, ...]

    @property
    def text(self) -> str:
        """The quantity in one line: ``"ORR after cycle 3, patients with HRCA evaluable after cycle 3, %"``."""
        return f"{self.label}, {self.population}, {self.unit}"

    @property
    def primary(self) -> str:
        """The id of the claim compared with the data."""
        return self.claims[0]


# ----------------------------------------------------------------------------- the file
def _document(path: Path) -> list:
    """The file parsed, its top level checked; its ``quantities:`` list."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ClaimsError(f"cannot read the quantities file {path}: {exc.strerror}") from exc
    try:
        doc = _parse(text, path)
    except ClaimsError as exc:
        raise ClaimsError(str(exc) if str(path) in str(exc) else f"{path}: {exc}") from exc
    if not isinstance(doc, dict) or set(doc) != set(TOP_LEVEL_KEYS):
        raise ClaimsError(f"{path} must have exactly the top-level keys {', '.join(TOP_LEVEL_KEYS)}.")
    if doc["schema_version"] != SCHEMA_VERSION:
        raise ClaimsError(
            f"{path}: schema_version {doc['schema_version']!r} is not supported; this code reads version "
            f"{SCHEMA_VERSION}."
        )
    if not isinstance(doc["quantities"], list) or not doc["quantities"]:
        raise ClaimsError(
            f"{path}: `quantities:` must be a non-empty list of entries (id, label, population, unit, claims)."
        )
    return doc["quantities"]


def _entry_id(raw, index: int, path: Path) -> str:
    """The entry's id, checked: a mapping with an id ``q.<snake_case>``."""
    if not isinstance(raw, dict):
        raise ClaimsError(f"{path}: quantity #{index + 1} must be a mapping with the keys {', '.join(FIELDS)}.")
    qid = raw.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        raise ClaimsError(
            f"{path}: quantity #{index + 1}, field 'id': {qid!r} must be 'q.' and a snake_case name, "
            f"e.g. 'q.orr_c3_hrca'."
        )
    return qid


def _text(raw: dict, key: str, where: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise ClaimsError(f"{where}, field {key!r}: must be a non-empty text; write the {key} in words.")
    if key != "unit" and REGISTRY_ID_IN_TEXT.search(value):
        raise ClaimsError(
            f"{where}, field {key!r}: {value!r} names a registry id; say the quantity in words (the ids are in `claims`)."
        )
    return value.strip()


def _claim_ids(raw: dict, where: str) -> tuple[str, ...]:
    ids = raw["claims"]
    if not isinstance(ids, list) or not ids or not all(isinstance(c, str) and c for c in ids):
        raise ClaimsError(f"{where}, field 'claims': must be a non-empty list of claim ids of claims.yaml.")
    twice = sorted({c for c in ids if ids.count(c) > 1})
    if twice:
        raise ClaimsError(f"{where}, field 'claims': {', '.join(twice)} listed twice; keep one.")
    return tuple(ids)


def _quantity(raw, index: int, path: Path) -> Quantity:
    """One entry of ``quantities:`` as a :class:`Quantity`, its fields checked."""
    qid = _entry_id(raw, index, path)
    where = f"{path}: quantity {qid!r}"
    unknown, missing = sorted(set(raw) - set(FIELDS)), [k for k in FIELDS if k not in raw]
    if unknown:
        raise ClaimsError(f"{where}, field(s) {', '.join(unknown)}: unknown; the fields are {', '.join(FIELDS)}.")
    if missing:
        raise ClaimsError(f"{where}, field(s) {', '.join(missing)}: missing; every quantity has {', '.join(FIELDS)}.")
    texts = {key: _text(raw, key, where) for key in TEXT_FIELDS}
    return Quantity(id=qid, **texts, claims=_claim_ids(raw, where))


# ----------------------------------------------------------------------------- against the registry
def _unknown_claim(q: Quantity, cid: str, known: list[str], path: Path) -> ClaimsError:
    near = difflib.get_close_matches(cid, known, n=3)
    hint = f"did you mean {', '.join(near)}?" if near else "use an id of data/published/claims.yaml."
    return ClaimsError(f"{path}: quantity {q.id!r}, field 'claims': {cid!r} is not a claim of the registry; {hint}")


def _check_coverage(quantities: list[Quantity], known: list[str], path: Path) -> None:
    """Every claim id known, in one quantity only, and every registry claim in one."""
    owner: dict[str, str] = {}
    for q in quantities:
        for cid in q.claims:
            if cid not in known:
                raise _unknown_claim(q, cid, known, path)
            if cid in owner:
                raise ClaimsError(
                    f"{path}: quantity {q.id!r}, field 'claims': {cid!r} is already in quantity {owner[cid]!r}; "
                    f"a claim states one quantity: keep it in one entry (merge the two if they are the same quantity)."
                )
            owner[cid] = q.id
    left_out = [cid for cid in known if cid not in owner]
    if left_out:
        raise ClaimsError(
            f"{path}: field 'claims': the registry claim(s) {', '.join(left_out)} are in no quantity; add each to "
            f"the entry stating the same quantity, or a new entry of its own."
        )


def _parsed(path: Path, known: tuple[str, ...]) -> tuple[Quantity, ...]:
    quantities, seen = [], set()
    for i, raw in enumerate(_document(path)):
        q = _quantity(raw, i, path)
        if q.id in seen:
            raise ClaimsError(f"{path}: quantity {q.id!r}, field 'id': used twice; ids must be unique.")
        seen.add(q.id)
        quantities.append(q)
    _check_coverage(quantities, list(known), path)
    return tuple(quantities)


@lru_cache(maxsize=1)
def _committed() -> tuple[Quantity, ...]:
    return _parsed(QUANTITIES, tuple(c.id for c in claims_mod._registry()))


def _registry_ids(claim_list: Iterable) -> tuple[str, ...]:
    return tuple(c if isinstance(c, str) else c.id for c in claim_list)


def load(path: str | Path = QUANTITIES, claim_list: Iterable | None = None) -> tuple[Quantity, ...]:
    """Read and validate the quantities file.

    Parameters
    ----------
    path : str or Path, optional (default=``data/published/quantities.yaml``)
        A relative path is taken from the project root.
    claim_list : iterable of Claim (or claim ids), optional (default=the committed registry)
        The claims every quantity is checked against.

    Returns
    -------
    tuple of Quantity
        In file order (cached for the committed file and registry).

    Raises
    ------
    ClaimsError
        On the first problem: unreadable YAML, a key written twice, an unknown or missing key, an
        empty label, population or unit, an id used twice, a claim not in the registry, a claim in
        two quantities, a registry claim in none. The message names the file, the entry and the field.
    """
    path = paths.resolve(path)
    if path == QUANTITIES and claim_list is None:
        return _committed()
    known = _registry_ids(claim_list if claim_list is not None else claims_mod._registry())
    return _parsed(path, known)


def by_claim(quantities: Iterable[Quantity] | None = None) -> dict[str, Quantity]:
    """Every claim id mapped to its quantity (default: the committed file)."""
    return {cid: q for q in (quantities if quantities is not None else load()) for cid in q.claims}
