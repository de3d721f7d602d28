"""Loading a cohort: read, validate, and label where it came from.

:func:`load` turns the resolved files of a run (:func:`analysis.data.inputs.resolve`) into a
:class:`Cohort`: it never returns a partially valid table — any problem raises
:class:`DataValidationError` with the full report. Several files are pooled
(:mod:`analysis.data.pool`): centres' files validated each, then checked against each other.
:func:`load_cohort` is the same for any ``data_path`` a user gives (a file, a folder, a list, or
nothing for the default cohort). The cohort carries its data statement (:attr:`Cohort.label`,
:attr:`Cohort.note`), printed on every output made from it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..exceptions import DataValidationError
from . import inputs
from .bookkeeping import strip_bookkeeping
from .io import Source, read_table_noted
from .pool import SOURCE_COLUMN, validate_files
from .validate import ValidationReport, validate_table

PathLike = str | os.PathLike


@dataclass(frozen=True)
class Cohort:
    """A validated patient table and its provenance.

    ``patients`` has one row per patient in file order (files in the order
    given), typed as described in :func:`analysis.data.validate.validate_table`,
    plus the column :data:`~analysis.data.pool.SOURCE_COLUMN` (``source_file``):
    the file each row came from. ``sources`` is every file's
    :class:`~analysis.data.io.Source`; ``source`` is that one file, or for a
    pool a Source describing all of them (:func:`analysis.data.pool.pooled_source`). ``notes``:
    what loading did that is not a problem (a REDCap export's bookkeeping
    columns dropped).
    """

    patients: pd.DataFrame
    source: Source
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if not self.sources:
            object.__setattr__(self, "sources", (self.source,))

    @property
    def n(self) -> int:
        return len(self.patients)

    @property
    def label(self) -> str:
        """One-line statement of what the data are, printed on every output."""
        if self.synthetic:
            what = self.source.provenance.get("description", "synthetic cohort")
            return f"SYNTHETIC DATA — {what} ({self.source.name}, n = {self.n}). Not real patients."
        return f"Data: {self.source.name} (n = {self.n}), sha256 {self.source.sha256[:12]}."

    @property
    def note(self) -> str:
        """Short data statement stamped on figures."""
        if self.synthetic:
            return f"SYNTHETIC DATA — not real patients · {self.source.name} · n = {self.n}"
        return f"{self.source.name} · n = {self.n} · sha256 {self.source.sha256[:12]}"

    @property
    def synthetic(self) -> bool:
        return self.source.synthetic

    @property
    def pooled(self) -> bool:
        return len(self.sources) > 1


def validate_file(path: PathLike) -> tuple[pd.DataFrame, ValidationReport]:
    """Read and validate one file; returns the typed table and the report (never raises on bad data)."""
    path = Path(path)
    table, read_notes = read_table_noted(path)
    raw, notes = strip_bookkeeping(table, path.name)
    typed, report = validate_table(raw, source=path.name)
    report.notes += read_notes + notes
    return typed, report


def load(files: Sequence[Path]) -> Cohort:
    """Read, validate and return the cohort of ``files``, resolved by :func:`analysis.data.inputs.resolve`.

    Raises
    ------
    DataFileError
        a file is missing or unreadable, or shows an export mistake (every file's, at once).
    DataValidationError
        the table breaks the data dictionary; ``.report`` lists every problem (for a pool, each naming
        its file).
    """
    pooled = validate_files(files)
    if not pooled.report.ok:
        raise DataValidationError(pooled.report)
    return Cohort(
        patients=pooled.patients, source=pooled.source, sources=pooled.sources, notes=tuple(pooled.report.notes)
    )


def load_cohort(path: PathLike | Sequence[PathLike] | None = None) -> Cohort:
    """Read, validate and return the cohort at ``path`` (:func:`load` of :func:`analysis.data.inputs.resolve`).

    Parameters
    ----------
    path : str, Path, or a list of them, optional (default=None)
        A CSV or XLSX patient table, a folder of them, or a list of files and
        folders to pool (:mod:`analysis.data.pool`: each file validated, then a
        ``patient_id`` and a ``center_id`` may each appear in one file only).
        ``None`` or ``""`` gives the compendium's default cohort
        (:data:`analysis.paths.DEFAULT_DATA`); a relative path is taken from the
        project root.

    Raises what :func:`load` raises.
    """
    return load(inputs.resolve(path))


def figure_note(cohort: Cohort) -> str:
    """Short data statement stamped on figures (:attr:`Cohort.note`)."""
    return cohort.note


def data_label(cohort: Cohort) -> str:
    """One-line statement of what the data are, printed on every output (:attr:`Cohort.label`)."""
    return cohort.label


__all__ = ["Cohort", "SOURCE_COLUMN", "data_label", "figure_note", "load", "load_cohort", "validate_file"]
