"""Every path of the compendium, derived from the project root.

Papermill runs a notebook in the caller's working directory and nbval in the
notebook's own folder, so nothing here depends on the current directory: paths
are anchored on this file. Relative paths given by a user (``data_path``,
``output_dir`` parameters) are resolved against the project root by
:func:`resolve`, which is what both Papermill and nbval then see.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import settings

ROOT = Path(__file__).resolve().parents[1]  # the repository
DATA = ROOT / "data"  # inputs (read-only for the analysis)
SYNTHETIC = DATA / "synthetic"  # committed synthetic cohort + provenance
PUBLISHED = DATA / "published"  # claims registry (the paper as data)
PRIVATE = DATA / "private"  # real centre exports: git-ignored
NOTEBOOKS = ROOT / "notebooks"  # Jupytext percent sources (edited by people)
EXECUTED = NOTEBOOKS / "executed"  # executed .ipynb of the default run (committed)
FIGURES = ROOT / "figures"  # default-run figures
RESULTS = ROOT / "results"  # default-run tables and machine-readable numbers
TESTS = ROOT / "tests"
FIXTURE = TESTS / "fixtures" / "cohort_fixture.csv"  # hand-made 8-patient cohort

#: The paper's full text, verbatim (CC BY-NC-ND 4.0, data/published/PAPER_LICENSE.md): the claims' quotes are checked on it.
PAPER_TEXT = PUBLISHED / "chalopin2025_text.txt"
#: The committed calibrated synthetic cohort (``python -m analysis synthesize``).
DEFAULT_SYNTHETIC = SYNTHETIC / "cohort.csv"
#: The dataset every notebook uses unless ``data_path`` says otherwise.
DEFAULT_DATA = DEFAULT_SYNTHETIC
#: Calibrated reconstructions of the published cohort (``python -m analysis synthesize --ensemble N``).
ENSEMBLE = SYNTHETIC / "ensemble"
ENSEMBLE_MANIFEST = ENSEMBLE / "ensemble.yaml"


def resolve(path: str | os.PathLike | None, default: Path | None = None) -> Path:
    """Absolute path for a user-supplied path.

    ``None`` or ``""`` gives ``default``; a relative path is taken relative to
    the project root (not the working directory, which differs between Papermill
    and nbval); ``~`` is expanded.
    """
    if path is None or str(path) == "":
        if default is None:
            raise ValueError("no path given and no default")
        return default
    p = Path(path).expanduser()
    return p if p.is_absolute() else (ROOT / p)


def output_root(output_dir: str | os.PathLike | None = None) -> Path:
    """Folder under which ``figures/`` and ``results/`` are written.

    Precedence: the run's ``output_root`` setting (:mod:`analysis.settings`: the runner's staging
    folder, the tests' temporary one), then ``output_dir`` (a notebook parameter), then the project root.
    """
    override = settings.current().output_root
    if override is not None:
        return override.resolve()
    return resolve(output_dir, ROOT)


def relative_to_root(path: Path) -> str:
    """Path as shown in notebook output: relative to the project root when
    inside it (stable across machines), else the absolute path."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
