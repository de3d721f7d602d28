"""Loading a cohort: read, validate, and label where it came from.

:func:`load_cohort` is the one entry point the notebooks use. It never returns
a partially valid table: any problem raises :class:`DataValidationError` with
the full report.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from ..exceptions import DataValidationError
from .io import Source, read_table, source_of
from .validate import ValidationReport, validate_table


@dataclass(frozen=True)
class Cohort:
    """A validated patient table and its provenance.

    ``patients`` has one row per patient in file order, typed as described in
    :func:`analysis.data.validate.validate_table`.
    """

    patients: pd.DataFrame
    source: Source

    @property
    def n(self) -> int:
        return len(self.patients)

    @property
    def synthetic(self) -> bool:
        return self.source.synthetic


def validate_file(path: str | Path) -> tuple[pd.DataFrame, ValidationReport]:
    """Read and validate one file; returns the typed table and the report (never raises on bad data)."""
    path = paths.resolve(path, paths.DEFAULT_DATA)
    return validate_table(read_table(path), source=path.name)


def load_cohort(path: str | Path | None = None) -> Cohort:
    """Read, validate and return the cohort at ``path``.

    Parameters
    ----------
    path : str or Path, optional (default=None)
        CSV or XLSX patient table. ``None`` or ``""`` gives the compendium's
        default cohort (:data:`analysis.paths.DEFAULT_DATA`); a relative path is
        taken from the project root.

    Raises
    ------
    DataFileError
        the file is missing or unreadable.
    DataValidationError
        the table breaks the data dictionary; ``.report`` lists every problem.
    """
    path = paths.resolve(path, paths.DEFAULT_DATA)
    typed, report = validate_table(read_table(path), source=path.name)
    if not report.ok:
        raise DataValidationError(report)
    return Cohort(patients=typed, source=source_of(path))


def figure_note(cohort: Cohort) -> str:
    """Short data statement stamped on figures."""
    if cohort.synthetic:
        return f"SYNTHETIC DATA — not real patients · {cohort.source.name} · n = {cohort.n}"
    return f"{cohort.source.name} · n = {cohort.n} · sha256 {cohort.source.sha256[:12]}"


def data_label(cohort: Cohort) -> str:
    """One-line statement of what the data are, printed on every output."""
    if cohort.synthetic:
        what = cohort.source.provenance.get("description", "synthetic cohort")
        return f"SYNTHETIC DATA — {what} ({cohort.source.name}, n = {cohort.n}). Not real patients."
    return f"Data: {cohort.source.name} (n = {cohort.n}), sha256 {cohort.source.sha256[:12]}."
