"""The claims registry as a file: its YAML, its top-level sections, and the digest a calibrated cohort records.

``data/published/claims.yaml`` (schema version :data:`SCHEMA_VERSION`) has the top-level keys
``schema_version``, ``paper`` (``citation``, ``doi``), ``claims`` (the list read by
:mod:`analysis.paper.claims`) and ``audit`` (the audit's declarations, read by
:mod:`analysis.paper.audit_spec`). Schema 2 is schema 1 with the ``audit:`` section added: the
audit's check tables and the paper's facts they use moved from the code into the registry.

:func:`calibration_sha256` is the digest the synthetic cohort's provenance records
(``claims_registry_sha256``): it covers what the calibration reads — the header, ``paper:`` and
``claims:`` — and not the ``audit:`` section, so a change to the audit's declarations does not
make a committed cohort look stale, while any change to a claim does.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from .. import paths
from ..exceptions import ClaimsError

REGISTRY = paths.PUBLISHED / "claims.yaml"
SCHEMA_VERSION = 2
TOP_LEVEL_KEYS = ("schema_version", "paper", "claims")
OPTIONAL_TOP_LEVEL_KEYS = ("audit",)
#: The sections the synthetic cohort is calibrated to, and the schema version they were written in.
CALIBRATION_KEYS, CALIBRATION_SCHEMA_VERSION = ("paper", "claims"), 1
_TOP_LEVEL_LINE = re.compile(r"^[A-Za-z_][\w-]*:", re.M)
_VERSION_LINE = re.compile(r"^schema_version:.*$", re.M)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML loader that refuses a key written twice in one mapping (PyYAML keeps the last).

    On libyaml's parser where PyYAML has it (8× faster on the registry: 0.04 s instead of
    0.34 s, read by every notebook; the same documents, the same marks for the messages).
    """


def _construct_mapping(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dupes = sorted({str(k) for k in keys if keys.count(k) > 1})
    if dupes:
        raise ClaimsError(
            f"line {node.start_mark.line + 1}: key(s) {', '.join(dupes)} written twice in one mapping; keep one"
        )
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse(text: str, path: Path):
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise ClaimsError(f"{path} is not valid YAML: {exc}") from exc


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")  # line ends as written: the digest is of the bytes
    except OSError as exc:
        raise ClaimsError(f"cannot read the claims registry {path}: {exc.strerror}") from exc


def document(path: Path) -> dict:
    """The registry file parsed, its top level checked: the keys, the version, ``paper:`` and a non-empty ``claims:``.

    Unreadable or invalid YAML, a key written twice, a missing or unknown top-level key and an
    unsupported ``schema_version`` are :class:`~analysis.exceptions.ClaimsError`. The claims and the
    ``audit:`` section are checked by their own parsers.
    """
    doc = _parse(_read(path), path)
    allowed = set(TOP_LEVEL_KEYS + OPTIONAL_TOP_LEVEL_KEYS)
    if not isinstance(doc, dict) or not set(TOP_LEVEL_KEYS) <= set(doc) <= allowed:
        raise ClaimsError(
            f"{path} must have exactly the top-level keys {', '.join(TOP_LEVEL_KEYS)} and, "
            f"optionally, {', '.join(OPTIONAL_TOP_LEVEL_KEYS)}."
        )
    if doc["schema_version"] != SCHEMA_VERSION:
        raise ClaimsError(
            f"{path}: schema_version {doc['schema_version']!r} is not supported; this code reads "
            f"version {SCHEMA_VERSION}."
        )
    paper = doc["paper"]
    if not isinstance(paper, dict) or not paper.get("citation") or not paper.get("doi"):
        raise ClaimsError(f"{path}: `paper:` needs a citation and a doi.")
    if not isinstance(doc["claims"], list) or not doc["claims"]:
        raise ClaimsError(f"{path}: `claims:` must be a non-empty list.")
    return doc


def _without_audit(text: str) -> str:
    """``text`` without its top-level ``audit:`` block (to the next top-level key or the end of the file)
    and the comment and blank lines directly above it (its banner)."""
    starts = [m.start() for m in _TOP_LEVEL_LINE.finditer(text)]
    begin = next((s for s in starts if text.startswith("audit:", s)), None)
    if begin is None:
        return text
    end = next((s for s in starts if s > begin), len(text))
    head = text[:begin].splitlines(keepends=True)
    while head and (not head[-1].strip() or head[-1].startswith("#")):
        head.pop()
    return "".join(head) + text[end:]


def calibration_sha256(path: str | Path = REGISTRY) -> str:
    """SHA-256 of the registry as the synthetic cohort's calibration reads it.

    The digest is taken over the file's text without its ``audit:`` section (and that section's
    banner comment), with ``schema_version`` written as 1 — the schema-1 file the header,
    ``paper:`` and ``claims:`` make on their own. For a schema-1 registry (no ``audit:``) it is the
    file's own SHA-256, the value recorded by cohorts calibrated before schema 2, so those records
    stay valid as long as no claim changes. Text, not parsed values: a reworded comment or a
    reformatted claim changes it, as before; the audit's declarations do not.

    Raises
    ------
    ClaimsError
        When the file cannot be read, or the text without ``audit:`` does not give the same
        ``paper:`` and ``claims:`` as the whole file (the section is not one top-level block).
    """
    path = paths.resolve(path)
    text = _read(path)
    kept = _VERSION_LINE.sub(f"schema_version: {CALIBRATION_SCHEMA_VERSION}", _without_audit(text), count=1)
    whole = _parse(text, path)
    expected = {"schema_version": CALIBRATION_SCHEMA_VERSION, **{k: (whole or {}).get(k) for k in CALIBRATION_KEYS}}
    try:
        part = _parse(kept, path)
    except ClaimsError:
        part = None
    if part != expected:
        raise ClaimsError(
            f"{path}: without its `audit:` section the file does not give the same paper and claims; "
            f"write `audit:` as one top-level block of its own, after `claims:`, with nothing in it "
            f"that the claims refer to."
        )
    return hashlib.sha256(kept.encode("utf-8")).hexdigest()
