"""What a notebook's outputs depend on, whether they are current, what made each file, and the run's record.

* :func:`input_hash` — SHA-256 over everything a notebook's outputs depend on: its source, every
  file of ``analysis/``, the data (their digest, :func:`analysis.data.inputs.digest`, computed once
  per run), the claims registry, the calibrated ensemble's manifest, the parameters and
  ``requirements.lock`` — contents only, paths relative to the project root, so the hash is the same
  on every machine;
* :func:`is_current` — an executed notebook records that hash and the SHA-256 of every output it
  wrote; when both still hold, the notebook is skipped (``--force`` reruns it);
* :func:`cells_that_wrote` — the cell that wrote each output, from the write log
  (:mod:`analysis.atomic`) and the start and end times Papermill records per cell, stored as
  ``metadata.compendium.made_by`` for the HTML report;
* :func:`write_manifest` — ``results/run_manifest.json``: input hashes, parameters, package versions,
  git commit, timings (a per-run record, git-ignored, not part of the byte-identical outputs).

Kept free of pandas and Jupyter, so that a no-op rebuild answers in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
from datetime import datetime
from importlib import metadata as importlib_metadata
from pathlib import Path

from .. import paths
from ..atomic import write_text
from ..data.inputs import file_sha256

MANIFEST = "run_manifest.json"
PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "lifelines",
    "matplotlib",
    "papermill",
    "nbclient",
    "ipykernel",
    "jupytext",
    "statsmodels",
    "openpyxl",
)


def input_hash(source: Path, data_digest: str, parameters: dict) -> str:
    """SHA-256 over everything a notebook's outputs depend on (module docstring).

    ``data_digest`` is :func:`analysis.data.inputs.digest` of the run's data files.
    """
    h = hashlib.sha256()
    files = [
        source,
        paths.ROOT / "requirements.lock",
        paths.PUBLISHED / "claims.yaml",
        *sorted(p for p in (paths.ROOT / "analysis").rglob("*.py")),
        *([paths.ENSEMBLE_MANIFEST] if paths.ENSEMBLE_MANIFEST.exists() else []),
    ]
    for f in files:
        h.update(paths.relative_to_root(f).encode() + b"\0" + Path(f).read_bytes() + b"\0")
    h.update(b"<data>\0" + data_digest.encode() + b"\0")
    h.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    return h.hexdigest()


def is_current(executed: Path, output_root: Path, key: str) -> bool:
    """The executed notebook records ``key`` and every output it wrote is still there, unchanged."""
    if not executed.exists():
        return False
    # plain json, not nbformat: importing nbformat alone takes ~2 s (jsonschema format checkers)
    try:  # a notebook cut short or edited by hand is not current: it is run again
        meta = json.loads(executed.read_text(encoding="utf-8")).get("metadata", {}).get("compendium", {})
        if meta.get("input_hash") != key:
            return False
        return all(
            (output_root / rel).exists() and file_sha256(output_root / rel) == sha
            for rel, sha in meta.get("outputs", {}).items()
        )
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def cells_that_wrote(nb, write_log: Path, staging: Path) -> dict[str, str]:
    """{output path relative to the output root: id of the cell that wrote it}.

    Matches each logged write time (:mod:`analysis.atomic`) with the start and end times Papermill
    records for every cell. Cell ids are the ones
    :func:`~analysis.pipeline.notebook_clean.clean_notebook` gives (``cell-<index>``).
    """
    if not write_log.exists():
        return {}
    spans = []
    for i, cell in enumerate(nb.cells):
        pm_meta = cell.get("metadata", {}).get("papermill", {})
        if pm_meta.get("start_time") and pm_meta.get("end_time"):
            spans.append(
                (
                    datetime.fromisoformat(pm_meta["start_time"]).timestamp(),
                    datetime.fromisoformat(pm_meta["end_time"]).timestamp(),
                    f"cell-{i}",
                )
            )
    made_by = {}
    for line in write_log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        try:
            rel = Path(entry["path"]).relative_to(staging.resolve()).as_posix()
        except ValueError:
            continue  # written outside this notebook's outputs
        for start, end, cell_id in spans:
            if start <= entry["time"] <= end:
                made_by[rel] = cell_id
                break
    return made_by


def last_seconds(root: Path) -> dict:
    """Each notebook's duration in the previous run's manifest ({} if none)."""
    try:  # a manifest cut short or of another shape gives no history (only the order of the run uses it)
        notebooks = json.loads((root / "results" / MANIFEST).read_text(encoding="utf-8"))["notebooks"]
        return {
            str(n["name"]): float(n["seconds"])
            for n in notebooks
            if n["status"] == "ok" and isinstance(n["seconds"], int | float) and math.isfinite(n["seconds"])
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def write_manifest(root: Path, params: dict, files: list[Path], results, seconds: float) -> Path:
    """``results/run_manifest.json`` of a run (module docstring); ``results`` are its NotebookRuns."""
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = importlib_metadata.version(p)
        except importlib_metadata.PackageNotFoundError:
            versions[p] = None
    manifest = {
        "git_commit": _git_commit(),
        "parameters": params,
        "data": [{"path": paths.relative_to_root(f), "sha256": file_sha256(f)} for f in files],
        "packages": versions,
        "total_seconds": round(seconds, 3),
        "notebooks": [
            {
                "name": r.name,
                "status": "cached" if r.cached else ("ok" if r.ok else "failed"),
                "seconds": round(r.seconds, 3),
                "input_hash": r.input_hash,
                "outputs": r.outputs,
                "error": r.error,
            }
            for r in results
        ],
    }
    return write_text(root / "results" / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


__all__ = ["MANIFEST", "PACKAGES", "cells_that_wrote", "input_hash", "is_current", "last_seconds", "write_manifest"]
