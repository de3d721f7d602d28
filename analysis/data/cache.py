"""Read, validate and derive once per run: the cohort and its analysis tables, kept for every notebook.

Every notebook starts from the same four tables — the validated patients and the derived ADSL, ADTTE
and ADRS (:func:`analysis.data.derive.analysis_tables`). Reading and validating a registry-sized file
takes seconds, and a run executes five notebooks, so ``python -m analysis run`` does it once
(:func:`store`, in the run's staging area) and each notebook it starts reads the result
(:func:`tables`, told where by the run's ``data_cache`` setting, :mod:`analysis.settings`). A notebook
run on its own (Papermill, JupyterLab) finds no cache and loads the files itself; so does one whose
files are not those of the cache.

The cache records which files it holds (their resolved paths, :func:`analysis.data.inputs.resolve`),
the SHA-256 of each table it wrote, and its :func:`key` (beside the SHA-256 of that record): the runner's digest of their contents
(:func:`analysis.data.inputs.digest`, computed once per run) and the source of this package
(``analysis/data/``: the code that reads, validates and derives). A kernel compares the files it was
asked for with the recorded ones — no data file is hashed again — and each table with its hash: a
cache that is missing, damaged, cut short or edited is not used, and the files are read again (the
cache saves time, it never changes a value). Tables are stored as Parquet (pyarrow, with pandas' dtype metadata, so
categoricals, nullable integers and dates come back exactly as derived — tested), the provenance as
JSON.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from . import derive, inputs
from .cohort import Cohort, load
from .io import Source

TABLES = ("patients", "adsl", "adtte", "adrs")
_HERE = Path(__file__).resolve().parent


def key(digest: str) -> str:
    """The cache key of data whose :func:`analysis.data.inputs.digest` is ``digest``: that digest and the source
    of ``analysis/data/`` (every module below it, the intake tools included), by content."""
    h = hashlib.sha256(digest.encode() + b"\0")
    for f in sorted(_HERE.rglob("*.py")):
        h.update(f.relative_to(_HERE).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def store(files: list[Path], folder: str | Path, digest: str | None = None) -> Cohort:
    """Load (read + validate) the cohort of ``files``, derive its tables and write them under ``folder``.

    ``digest`` is the files' :func:`analysis.data.inputs.digest` if the caller has it (the runner
    does). Raises what :func:`analysis.data.cohort.load` raises, before anything is written.
    """
    cohort = load(files)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name, table in derive.analysis_tables(cohort.patients).items():
        table.to_parquet(folder / f"{name}.parquet", engine="pyarrow", index=True)
        hashes[name] = inputs.file_sha256(folder / f"{name}.parquet")
    digest = digest or inputs.digest(files)
    meta = {
        "tables": hashes,
        "source": _as_json(cohort.source),
        "sources": [_as_json(s) for s in cohort.sources],
        "notes": list(cohort.notes),
        "files": [str(f) for f in files],
        "digest": digest,
    }
    record = json.dumps(meta, sort_keys=True, default=str).encode("utf-8")
    (folder / "source.json").write_bytes(record)
    (folder / "key").write_text(f"{key(digest)} {hashlib.sha256(record).hexdigest()}", encoding="ascii")
    return cohort


def _as_json(source: Source) -> dict:
    return {**asdict(source), "path": str(source.path)}


def _as_source(fields: dict) -> Source:
    return Source(**{**fields, "path": Path(fields["path"])})


def _holds(folder: Path, files: list[Path]) -> dict | None:
    """The cache's record when the cache in ``folder`` was written for exactly ``files`` (same order) by this
    package's code, and holds the tables it wrote: the recorded files, the recorded key against the recorded
    digest and the record's own SHA-256, each table's SHA-256 (no data file is read). ``None`` otherwise
    (missing, damaged, stale)."""
    try:
        record = (folder / "source.json").read_bytes()
        meta = json.loads(record.decode("utf-8"))
        recorded = (folder / "key").read_text(encoding="ascii")
        hashes = meta["tables"]
        if recorded != f"{key(str(meta['digest']))} {hashlib.sha256(record).hexdigest()}":
            return None
        if meta["files"] != [str(f) for f in files]:
            return None
        if sorted(hashes) != sorted(TABLES):
            return None
        if any(inputs.file_sha256(folder / f"{name}.parquet") != hashes[name] for name in TABLES):
            return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return meta


def _load(folder: Path, meta: dict) -> tuple[Cohort, dict[str, pd.DataFrame]]:
    frames = {name: pd.read_parquet(folder / f"{name}.parquet", engine="pyarrow") for name in TABLES}
    cohort = Cohort(
        patients=frames["patients"],
        source=_as_source(meta["source"]),
        sources=tuple(_as_source(s) for s in meta["sources"]),
        notes=tuple(meta["notes"]),
    )
    return cohort, frames


def tables(files: list[Path], folder: str | Path | None = None) -> tuple[Cohort, dict[str, pd.DataFrame]]:
    """(cohort, {patients, adsl, adtte, adrs}) of ``files`` (resolved: :func:`analysis.data.inputs.resolve`).

    From the cache in ``folder`` (the run's ``data_cache`` setting) when it holds these files;
    otherwise the files are read, validated and derived here.
    """
    meta = _holds(Path(folder), files) if folder is not None else None
    if meta is not None:
        try:
            return _load(Path(folder), meta)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):  # a record of another shape: read again
            pass
    cohort = load(files)
    return cohort, derive.analysis_tables(cohort.patients)


__all__ = ["TABLES", "key", "store", "tables"]
