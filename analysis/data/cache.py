"""Read, validate and derive once per run: the cohort and its analysis tables, cached by content hash.

Every notebook starts from the same four tables — the validated patients and the
derived ADSL, ADTTE and ADRS. Reading and validating a registry-sized file takes
seconds, and a run executes five notebooks, so ``python -m analysis run`` does it
once (:func:`store`, in the run's staging area) and each notebook it starts reads
the result (:func:`tables`, through ``COMPENDIUM_DATA_CACHE``). A notebook run on
its own (Papermill, JupyterLab) finds no cache and loads the file itself; so does
one whose cache does not match.

The cache is keyed by :func:`key`: SHA-256 of the data file, its provenance note
and the source of this package (``analysis/data/``: the code that reads,
validates and derives). Tables are stored as Parquet (pyarrow, with pandas'
dtype metadata, so categoricals, nullable integers and dates come back exactly
as derived — tested), the provenance as JSON.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from . import derive, pool
from .cohort import Cohort, load_cohort, resolve_inputs
from .io import Source, provenance_path

#: Folder of the current run's cache (set by the runner for the notebooks it starts).
CACHE_ENV = "COMPENDIUM_DATA_CACHE"
TABLES = ("patients", "adsl", "adtte", "adrs")


def key(data_path=None) -> str:
    """Content hash of what the cached tables depend on: each data file (of a pool too, in order) and its
    provenance note, and the source of ``analysis/data/``. Names and folders do not count."""
    files = pool.expand(resolve_inputs(data_path))
    h = hashlib.sha256()
    named = [item for f in files for item in (("<data>", f), ("<provenance>", provenance_path(f)))]
    named += [(f.name, f) for f in sorted(Path(__file__).parent.glob("*.py"))]
    for name, f in named:
        h.update(name.encode() + b"\0" + (f.read_bytes() if f.exists() else b"<absent>") + b"\0")
    return h.hexdigest()


def derived(cohort: Cohort) -> dict[str, pd.DataFrame]:
    """The four tables every notebook uses, from a loaded cohort."""
    p = cohort.patients
    return {"patients": p, "adsl": derive.subject_level(p), "adtte": derive.time_to_event(p),
            "adrs": derive.response(p)}


def store(data_path, folder: str | Path) -> Cohort:
    """Load (read + validate) the cohort, derive its tables and write them under ``folder``.

    Raises what :func:`analysis.data.cohort.load_cohort` raises, before anything is written.
    """
    cohort = load_cohort(data_path)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in derived(cohort).items():
        table.to_parquet(folder / f"{name}.parquet", engine="pyarrow", index=True)
    meta = {"source": _as_json(cohort.source), "sources": [_as_json(s) for s in cohort.sources],
            "notes": list(cohort.notes)}
    (folder / "source.json").write_text(json.dumps(meta, sort_keys=True, default=str), encoding="utf-8")
    (folder / "key").write_text(key(data_path), encoding="ascii")
    return cohort


def _as_json(source: Source) -> dict:
    return {**asdict(source), "path": str(source.path)}


def _as_source(fields: dict) -> Source:
    return Source(**{**fields, "path": Path(fields["path"])})


def _load(folder: Path) -> tuple[Cohort, dict[str, pd.DataFrame]]:
    frames = {name: pd.read_parquet(folder / f"{name}.parquet", engine="pyarrow") for name in TABLES}
    meta = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    cohort = Cohort(patients=frames["patients"], source=_as_source(meta["source"]),
                    sources=tuple(_as_source(s) for s in meta["sources"]), notes=tuple(meta["notes"]))
    return cohort, frames


def tables(data_path=None) -> tuple[Cohort, dict[str, pd.DataFrame]]:
    """(cohort, {patients, adsl, adtte, adrs}) for ``data_path`` (a file, a folder or a list: a pool, as
    :func:`~analysis.data.cohort.load_cohort`): from the run's cache when it matches, else loaded.

    The cache is used only when ``COMPENDIUM_DATA_CACHE`` names a folder whose key equals
    :func:`key` of this file; otherwise the file is read, validated and derived here.
    """
    folder = os.environ.get(CACHE_ENV)
    if folder and (Path(folder) / "key").exists() and (Path(folder) / "key").read_text() == key(data_path):
        return _load(Path(folder))
    cohort = load_cohort(data_path)
    return cohort, derived(cohort)
