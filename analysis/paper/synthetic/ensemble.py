"""An ensemble of calibrated reconstructions of the published cohort, generated as a task farm on Dask.

One calibrated synthetic cohort is one reconstruction of the paper: every published
count exactly, every survival claim within tolerance — but the patient-level detail
is invented, so any statistic the paper does not print (a hazard ratio, a
landmark survival, a curve) varies from one reconstruction to the next. An
ensemble of them, one per seed, shows by how much: ``05_sensitivity`` reports the
range of each statistic, and a centre's curves are overlaid on the band of the
reconstructed published curves (``study.versus_published``).

``python -m analysis synthesize --ensemble N`` calibrates N cohorts, seeds
``first_seed … first_seed + N − 1``, each a task of the farm it is given (the command line
gives :func:`analysis.pipeline.parallel.farm`: a Dask local cluster, or any cluster by its
scheduler address; without one, the members are calibrated one after the other in this
process), and writes in ``data/synthetic/ensemble/``:

* ``member_<seed>.csv`` and its provenance note (``synthetic: true``) per cohort;
* ``fit_reports.csv`` — each member's published-vs-reproduced comparison
  (:func:`analysis.paper.reconcile.reconcile`), one row per member × claim;
* ``ensemble.yaml`` — the manifest: seeds, iterations, generator version,
  registry hash (:func:`~analysis.paper.registry.calibration_sha256`), and per
  member its file's SHA-256, calibration loss, claims reproduced and unmet
  count targets.

A member depends only on its seed (and the registry and code), so the ensemble
is the same bytes for any number of workers; the folder is written in a
staging folder and swapped into place, so a failed run leaves the previous
ensemble whole.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from ... import paths
from ...atomic import write_text
from ...data.inputs import file_sha256
from ...data.io import read_provenance
from ...exceptions import DataFileError
from ..registry import calibration_sha256
from . import ENSEMBLE_FIRST_SEED as FIRST_SEED
from . import ENSEMBLE_ITERATIONS as ITERATIONS  # enough for every count target and the survival tolerances
from .generate import GENERATOR_VERSION, synthesize

MANIFEST = "ensemble.yaml"
FIT_REPORTS = "fit_reports.csv"
FIT_COLUMNS = ["seed", "claim_id", "section", "kind", "published", "reproduced", "passed"]


def member_name(seed: int) -> str:
    return f"member_{seed}.csv"


def calibrate_member(task: tuple[int, int]) -> dict:
    """One member (a Dask task): the calibrated cohort, its provenance and its fit report."""
    from ...data.validate import validate_table
    from .. import reconcile

    seed, iterations = task
    cohort = synthesize(seed=seed, iterations=iterations)
    patients, _ = validate_table(cohort.table, source=member_name(seed))
    fit = reconcile.reconcile(patients)
    fit.insert(0, "seed", seed)
    provenance = {
        **cohort.provenance,
        "description": f"calibrated synthetic cohort, ensemble member (seed {seed}; "
        f"python -m analysis synthesize --ensemble)",
    }
    return {
        "seed": seed,
        "csv": cohort.table.to_csv(index=False, lineterminator="\n"),
        "provenance": provenance,
        "missed": dict(cohort.missed),
        "fit": fit[[c for c in FIT_COLUMNS if c in fit.columns]],
    }


def _compatible(previous: dict, first_seed: int, iterations: int, registry_sha: str) -> bool:
    return (
        previous.get("first_seed", FIRST_SEED) == first_seed
        and previous.get("annealing_iterations") == iterations
        and previous.get("generator_version") == GENERATOR_VERSION
        and previous.get("claims_registry_sha256") == registry_sha
    )


def in_order(function, tasks) -> list:
    """The farm without a cluster: ``[function(t) for t in tasks]`` in this process."""
    return [function(t) for t in tasks]


def _previous_members(out: Path, first_seed: int, iterations: int, registry_sha: str) -> dict[int, dict]:
    """Members and rejections already in ``out`` for the same seeds, iterations, generator and registry."""
    try:
        previous = manifest(out) if (out / MANIFEST).exists() else {}
    except EnsembleError:  # a damaged manifest: nothing in it is reused, every member is calibrated again
        previous = {}
    known: dict[int, dict] = {}
    if not _compatible(previous, first_seed, iterations, registry_sha):
        return known
    fits = _fits(out)
    for row in previous.get("members", []):
        path = out / row["file"]
        if path.exists() and file_sha256(path) == row["sha256"]:
            known[row["seed"]] = {
                "seed": row["seed"],
                "csv": path.read_text(encoding="utf-8"),
                "provenance": read_provenance(path),
                "missed": row["unmet_count_targets"],
                "fit": fits[fits["seed"] == row["seed"]],
            }
    for row in previous.get("rejected", []):
        known[row["seed"]] = {"seed": row["seed"], "missed": row["unmet_count_targets"]}
    return known


def _member_row(m: dict) -> dict:
    fit = m["fit"]
    return {
        "file": member_name(m["seed"]),
        "seed": m["seed"],
        "sha256": hashlib.sha256(m["csv"].encode()).hexdigest(),
        "calibration_loss": m["provenance"]["calibration_loss"],
        "claims_compared": int(fit["passed"].notna().sum()),
        "claims_reproduced": int((fit["passed"] == True).sum()),  # noqa: E712 - nullable
        "unmet_count_targets": {},
    }


def _write(
    out: Path, chosen: list[dict], rejected: list[dict], size: int, first_seed: int, iterations: int, registry_sha: str
) -> Path:
    """The ensemble folder, written in a staging folder and swapped into place (module docstring)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{out.name}-", dir=out.parent))
    try:
        for m in chosen:
            name = member_name(m["seed"])
            write_text(staging / name, m["csv"])
            write_text(
                staging / f"{name}.provenance.yaml",
                yaml.safe_dump(m["provenance"], sort_keys=False, allow_unicode=True),
            )
        fits = pd.concat([m["fit"] for m in chosen], ignore_index=True)
        write_text(staging / FIT_REPORTS, fits.to_csv(index=False, lineterminator="\n"))
        document = {
            "synthetic": True,
            "description": (
                f"{size} calibrated reconstructions of the published cohort: the first {size} seeds "
                f"from {first_seed} whose cohort meets every published count; SYNTHETIC DATA, "
                "not real patients"
            ),
            "made_by": f"python -m analysis synthesize --ensemble {size} --first-seed {first_seed} "
            f"--iterations {iterations}",
            "generator": "analysis.paper.synthetic.ensemble",
            "generator_version": GENERATOR_VERSION,
            "first_seed": int(first_seed),
            "annealing_iterations": int(iterations),
            "claims_registry_sha256": registry_sha,
            "members": [_member_row(m) for m in chosen],
            "rejected": rejected,
        }
        write_text(staging / MANIFEST, yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
        old = out.with_name(f".{out.name}.previous")
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / MANIFEST


def generate(
    size: int,
    first_seed: int = FIRST_SEED,
    iterations: int = ITERATIONS,
    out: Path | None = None,
    farm=in_order,
    batch: int = 1,
) -> Path:
    """Calibrate members until ``size`` meet every count target, and write the ensemble folder.

    The ensemble is **the first ``size`` seeds from ``first_seed`` on whose calibrated cohort meets every
    published count** (a cohort that misses one is not a reconstruction of the paper: it is recorded in
    the manifest's ``rejected`` list with what it missed, and left out). Seeds are tried in order, in
    batches of at least ``batch`` (the cores of the farm, so that none idles) sent to ``farm(function,
    tasks)`` — :func:`in_order` by default, :func:`analysis.pipeline.parallel.farm` from the command
    line; the result does not depend on the batch size, the farm or its number of workers. Members and
    rejections already in ``out`` for the same first seed, iterations, generator version and registry are
    reused, so growing an ensemble computes only the new seeds. Returns the manifest's path.
    """
    out = Path(out or paths.ENSEMBLE)
    registry_sha = calibration_sha256()  # the claims calibrated to, not the audit's declarations
    known = _previous_members(out, first_seed, iterations, registry_sha)

    def accepted():
        return [known[s] for s in sorted(known) if not known[s]["missed"]]

    next_seed = first_seed
    while len(accepted()) < size:
        if next_seed - first_seed > 10 * size + 20:
            raise RuntimeError(
                f"fewer than {size} of {next_seed - first_seed} seeds meet every count target "
                f"with {iterations} iterations; use more --iterations"
            )
        seeds = []
        while len(seeds) < max(2 * (size - len(accepted())), batch):
            if next_seed not in known:
                seeds.append(next_seed)
            next_seed += 1
        for m in farm(calibrate_member, [(s, iterations) for s in seeds]):
            known[m["seed"]] = m
    chosen = accepted()[:size]
    last = chosen[-1]["seed"]
    rejected = [
        {"seed": s, "unmet_count_targets": {k: float(v) for k, v in known[s]["missed"].items()}}
        for s in sorted(known)
        if known[s]["missed"] and s < last
    ]
    return _write(out, chosen, rejected, size, first_seed, iterations, registry_sha)


def _fits(folder: Path) -> pd.DataFrame:
    """The fit reports of a written ensemble, typed as :func:`calibrate_member` makes them."""
    path = folder / FIT_REPORTS
    if not path.exists():
        return pd.DataFrame(columns=FIT_COLUMNS)
    fits = pd.read_csv(path, dtype=str, keep_default_na=False)
    fits["seed"] = fits["seed"].astype(int)
    fits["passed"] = fits["passed"].map({"True": True, "False": False, "": None})
    return fits


class EnsembleError(DataFileError, ValueError):
    """An ensemble folder that is not as the generator wrote it (a damaged manifest, an edited member): the
    message names the file and says to regenerate. A ``ValueError`` too, as before it had a class."""


def _regenerate(folder: Path) -> str:
    return f"regenerate the ensemble with `python -m analysis synthesize --ensemble N --out {folder}`"


def _checked_manifest(path: Path, data) -> dict:
    members = data.get("members") if isinstance(data, dict) else None
    good = isinstance(members, list) and all(
        isinstance(m, dict)
        and isinstance(m.get("seed"), int)
        and isinstance(m.get("file"), str)
        and isinstance(m.get("sha256"), str)
        for m in members
    )
    if not good:
        raise EnsembleError(
            f"{path}: not an ensemble manifest (a `members:` list of seed, file and sha256 is expected); "
            f"{_regenerate(path.parent)}"
        )
    return data


def manifest(folder: Path | None = None) -> dict:
    """The ensemble's manifest (``ensemble.yaml``), checked; ``{}`` when there is no ensemble there.

    Raises :class:`EnsembleError` when the file is not readable YAML or not a manifest."""
    path = Path(folder or paths.ENSEMBLE) / MANIFEST
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise EnsembleError(f"{path}: not readable ({type(exc).__name__}); {_regenerate(path.parent)}") from None
    return _checked_manifest(path, data)


def members(folder: Path | None = None, limit: int | None = None) -> list[Path]:
    """The members' files in seed order (the first ``limit`` of them), each checked against the manifest.

    Raises ``ValueError`` naming the file when a member's bytes differ from the manifest's hash
    (an edited or half-copied ensemble): regenerate it.
    """
    folder = Path(folder or paths.ENSEMBLE)
    if not (folder / MANIFEST).exists():
        raise EnsembleError(
            f"{folder}: no calibrated ensemble here ({MANIFEST} missing); make one with "
            f"`python -m analysis synthesize --ensemble N --out {folder}`"
        )
    rows = sorted(manifest(folder).get("members", []), key=lambda r: r["seed"])
    files = []
    for r in rows[:limit] if limit is not None else rows:
        path = folder / r["file"]
        if not path.exists() or file_sha256(path) != r["sha256"]:
            raise EnsembleError(
                f"{path}: missing or not the file the ensemble manifest records; regenerate the "
                f"ensemble with `{manifest(folder).get('made_by', 'python -m analysis synthesize --ensemble N')}`"
            )
        files.append(path)
    return files


#: Column added by :func:`load`: the seed of the member a patient belongs to.
MEMBER = "member_seed"


def load(folder: Path | None = None, limit: int | None = None) -> pd.DataFrame:
    """Every member's patients, typed and validated in one pass, with the member's seed in :data:`MEMBER`.

    Validating forty 44-row tables one by one costs forty times the per-column work of the
    validator; stacked (patient ids prefixed ``S<seed>-`` so that they stay unique) they are
    validated once by the same rules. Members are hash-checked against the manifest first
    (:func:`members`). No members (``limit = 0``): an empty table.
    """
    import numpy as np

    from ...data.io import read_table
    from ...data.validate import validate_table
    from ...exceptions import DataValidationError

    files = members(folder, limit) if limit != 0 else []
    if not files:
        return pd.DataFrame(columns=[MEMBER, "patient_id"])
    raws, seeds = [], []
    for path in files:
        raw = read_table(path)
        seed = int(path.stem.rsplit("_", 1)[1])
        raws.append(raw.assign(patient_id=f"S{seed}-" + raw["patient_id"]))
        seeds.append(seed)
    typed, report = validate_table(pd.concat(raws, ignore_index=True), source=f"ensemble of {len(files)} members")
    if not report.ok:
        raise DataValidationError(report)
    typed.insert(0, MEMBER, np.repeat(seeds, [len(r) for r in raws]))
    return typed
