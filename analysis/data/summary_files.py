"""A centre's summary on disk: the files, their columns, the manifest, and the checks on reading.

A summary is a folder a data-protection officer can read: plain CSV tables of **aggregates only** —
counts, never a patient identifier, date or row — and ``manifest.json`` saying what they are. The
tables (:data:`TABLES`, every column named there; made by :mod:`analysis.study.federated.summary`):

================== ===========================================================================
file               one row per
================== ===========================================================================
time_counts.csv    centre × endpoint × grouping × group × time (days): events, censored
frequencies.csv    centre × variable × grouping × group × value: n (categorical variables)
histograms.csv     centre × variable × grouping × group × value at its recording resolution: n
responses.csv      centre × timepoint × grouping × group × response state and its flags: n
transitions.csv    centre × pair of timepoints × (response before, response after): n
claim_counts.csv   centre × claim of the paper: numerator, denominator
disclosure.csv     every block of cells suppressed or coarsened, and why (no counts)
================== ===========================================================================

A count cell left empty was **suppressed** by the centre's disclosure rule (the manifest's
``disclosure`` section; :mod:`analysis.study.federated.disclosure`). The manifest holds the summary
schema version (:data:`SCHEMA_VERSION`), the data dictionary's version (:func:`dictionary_version`, a
digest of its column definitions), the code version, the SHA-256 of every table, the number of
patients, the centre codes and the disclosure settings. :func:`read` refuses, with what to do: a
folder without a manifest, another schema or dictionary version, a listed file missing or whose
hash differs from the manifest (edited after it was written), an unlisted table, columns other than
the schema's, a count that is not a whole number ≥ 0.

:func:`write` writes every file into a staging folder and moves it into place only when all are
written, so a failed run leaves an earlier summary intact; the bytes depend only on the tables.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..exceptions import DataFileError
from . import dictionary

SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
#: file -> (key columns, count columns). Keys are text; counts whole numbers ≥ 0 or empty (suppressed).
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "time_counts.csv": (("centre", "endpoint", "grouping", "group", "time_days"), ("events", "censored")),
    "frequencies.csv": (("centre", "variable", "grouping", "group", "value"), ("n",)),
    "histograms.csv": (("centre", "variable", "grouping", "group", "value"), ("n",)),
    "responses.csv": (
        ("centre", "timepoint", "grouping", "group", "response", "evaluable", "orr", "vgpr_or_better", "cr_or_better"),
        ("n",),
    ),
    "transitions.csv": (("centre", "from_timepoint", "to_timepoint", "from_response", "to_response"), ("n",)),
    "claim_counts.csv": (("centre", "claim_id"), ("numerator", "denominator")),
    "disclosure.csv": (("file", "block", "cells", "action", "reason"), ()),
}


@dataclass(frozen=True)
class Summary:
    """A summary read back: its folder, manifest and tables (counts as nullable ``Int64``)."""

    folder: Path
    manifest: dict
    tables: dict[str, pd.DataFrame]

    @property
    def centres(self) -> tuple[str, ...]:
        return tuple(self.manifest["centres"])

    @property
    def n_patients(self) -> int:
        return int(self.manifest["n_patients"])


def dictionary_version() -> str:
    """The data dictionary's version: SHA-256 (first 16 hex digits) of its column definitions."""
    spec = [dataclasses.asdict(c) | {"codes": dict(c.codes)} for c in dictionary.COLUMNS]
    return hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def table_bytes(frame: pd.DataFrame) -> bytes:
    """A table's CSV bytes: UTF-8, LF line ends, empty cells for suppressed counts."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _check_columns(name: str, frame: pd.DataFrame) -> None:
    keys, values = TABLES[name]
    if list(frame.columns) != [*keys, *values]:
        raise ValueError(f"{name}: columns {list(frame.columns)}, the schema's are {[*keys, *values]}")


def write(folder: str | os.PathLike, tables: dict[str, pd.DataFrame], manifest: dict) -> list[Path]:
    """Write ``tables`` (every file of :data:`TABLES`) and the manifest (with the files' hashes added).

    Returns the paths written, manifest last. Existing contents of ``folder`` are replaced only once
    every file is written (staging folder, then rename).
    """
    folder = Path(folder)
    if sorted(tables) != sorted(TABLES):
        raise ValueError(f"a summary has the tables {sorted(TABLES)}, got {sorted(tables)}")
    staging = folder.with_name(f".{folder.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    hashes = {}
    try:
        for name in TABLES:
            _check_columns(name, tables[name])
            data = table_bytes(tables[name])
            (staging / name).write_bytes(data)
            hashes[name] = hashlib.sha256(data).hexdigest()
        full = {**manifest, "schema_version": SCHEMA_VERSION, "files": hashes}
        text = json.dumps(full, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (staging / MANIFEST).write_text(text, encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old)
    else:
        staging.rename(folder)
    return [folder / n for n in TABLES] + [folder / MANIFEST]


# ----------------------------------------------------------------------------- reading
def _manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not folder.is_dir():
        raise DataFileError(f"{folder}: not a folder; give the folder `python -m analysis summarize --out` wrote")
    if not path.is_file():
        raise DataFileError(
            f"{folder}: no {MANIFEST}, so this is not a centre summary (or not all of it); give the folder "
            f"`python -m analysis summarize` wrote, with every file in it"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(f"{path}: not readable JSON ({exc}); write the summary again") from None
    if not isinstance(manifest, dict):
        raise DataFileError(f"{path}: not a manifest (a JSON object is expected); write the summary again")
    return manifest


def _check_versions(folder: Path, manifest: dict) -> None:
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise DataFileError(
            f"{folder}: summary schema version {manifest.get('schema_version')!r}, this code reads version "
            f"{SCHEMA_VERSION}; ask the centre to summarise again with this version of the compendium"
        )
    if manifest.get("dictionary_version") != dictionary_version():
        raise DataFileError(
            f"{folder}: made with data dictionary {manifest.get('dictionary_version')!r}, this code's is "
            f"{dictionary_version()!r}: the variables may not mean the same; ask the centre to summarise again "
            f"with this version of the compendium"
        )
    for key in ("centres", "n_patients", "files", "disclosure"):
        if key not in manifest:
            raise DataFileError(f"{folder / MANIFEST}: no `{key}` entry; write the summary again")
    disclosure = manifest["disclosure"]
    shapes = (
        ("centres", isinstance(manifest["centres"], list) and all(isinstance(c, str) for c in manifest["centres"])),
        ("n_patients", type(manifest["n_patients"]) is int and manifest["n_patients"] >= 0),
        ("files", isinstance(manifest["files"], dict) and all(isinstance(h, str) for h in manifest["files"].values())),
        (
            "disclosure",
            isinstance(disclosure, dict)
            and all(type(disclosure.get(k)) is int and disclosure[k] >= 1 for k in ("min_cell", "grid_days")),
        ),
    )
    for key, good in shapes:
        if not good:
            raise DataFileError(
                f"{folder / MANIFEST}: its `{key}` entry is not as `summarize` writes it; write the summary again"
            )


def _table(folder: Path, name: str, expected_hash: str) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise DataFileError(f"{folder}: {name} is listed in the manifest but missing; copy the whole summary folder")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != expected_hash:
        raise DataFileError(
            f"{path}: its SHA-256 does not match the manifest: the file was changed after the summary was "
            f"written. Use the summary as the centre sent it, or ask for it again"
        )
    keys, values = TABLES[name]
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    if list(frame.columns) != [*keys, *values]:
        raise DataFileError(f"{path}: columns {list(frame.columns)}, a summary's are {[*keys, *values]}")
    for column in values:
        text = frame[column]
        bad = text[(text != "") & ~text.str.fullmatch(r"\d+")]
        if len(bad):
            line = int(bad.index[0]) + 2
            raise DataFileError(
                f"{path}, line {line}, column {column}: {bad.iloc[0]!r} is not a count (a whole number ≥ 0, or "
                f"empty where the centre suppressed it)"
            )
        frame[column] = pd.array([None if v == "" else int(v) for v in text], dtype="Int64")
    return frame


def read(folder: str | os.PathLike) -> Summary:
    """Read and check a centre's summary (see the module docstring); :class:`DataFileError` says what is wrong."""
    folder = Path(folder)
    manifest = _manifest(folder)
    _check_versions(folder, manifest)
    files = manifest["files"]
    if sorted(files) != sorted(TABLES):
        raise DataFileError(
            f"{folder / MANIFEST}: lists the files {sorted(files)}, a summary has {sorted(TABLES)}; write it again"
        )
    tables = {name: _table(folder, name, files[name]) for name in TABLES}
    return Summary(folder, manifest, tables)


__all__ = ["MANIFEST", "SCHEMA_VERSION", "TABLES", "Summary", "dictionary_version", "read", "table_bytes", "write"]
