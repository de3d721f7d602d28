"""Several centres' files validated and pooled into one cohort.

The study was pooled from 14 centres; a centre exports its own file. :func:`expand` turns what the
user gives — files, folders, or both — into the ordered list of tables (a folder contributes its
``.csv`` and ``.xlsx`` files sorted by name; provenance notes, hidden files and Excel's ``~$`` lock
files are skipped). :func:`validate_files` then

1. reads and diagnoses every file, and collects the file-level problems of all of them into one
   :class:`~analysis.exceptions.DataFileError` (one line per mistake, each naming its file);
2. validates every file on its own (every rule of :data:`analysis.data.validate.RULES`; a
   REDCap export's bookkeeping columns are dropped with a note), each problem naming its file;
3. checks across files (:data:`POOL_RULES`): a ``patient_id`` appears in one file only (the error
   names both files and lines), and a ``center_id`` appears in one file only — two centres that
   both code themselves ``C01``, or one centre split over two files, would otherwise be merged
   silently by every per-centre table and centre-stratified test;
4. concatenates the typed tables in file order and adds :data:`SOURCE_COLUMN`, each row's file.

A single file is the degenerate pool of one: same rules, same report as before pooling existed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..exceptions import DataFileError
from .bookkeeping import strip_bookkeeping
from .dictionary import NAMES
from .io import Source, read_table_noted, source_of
from .validate import Problem, ValidationReport, validate_table

#: Column added to the pooled patient table: the file each row came from (a Categorical whose
#: categories are the files in pooling order). Not a dictionary column; derived tables that copy
#: the patient table (ADSL) carry it.
SOURCE_COLUMN = "source_file"
POOL_RULES: dict[str, str] = {
    "patient_id_unique_across_files": "a patient_id appears in one file only",
    "center_id_in_one_file": "a center_id appears in one file only (each centre's patients in one file, "
    "and no two centres with the same code)",
}


def display_names(files: list[Path]) -> list[str]:
    """Short, distinct names of the files: the file name, or the path below their common folder."""
    names = [p.name for p in files]
    if len(set(names)) == len(names):
        return names
    common = Path(os.path.commonpath([str(p.resolve()) for p in files]))
    return [p.resolve().relative_to(common).as_posix() for p in files]


def cross_file_problems(
    frames: list[pd.DataFrame], names: list[str], lines: list[list[int]] | None = None
) -> list[Problem]:
    """Problems of :data:`POOL_RULES` (one per offending row, naming the other file and line).

    ``lines``: each frame's row numbers as its file numbers them (default: row ``i`` is line
    ``i + 2``, a CSV after its header; an import gives its raw export's own numbers).
    """

    def line_of(k: int, i: int) -> int:
        return lines[k][i] if lines is not None else i + 2

    occurrences: list[tuple[str, str, int]] = []
    for k, (name, frame) in enumerate(zip(names, frames)):
        if "patient_id" not in frame:
            continue
        for i, pid in enumerate(frame["patient_id"].tolist()):
            if isinstance(pid, str):
                occurrences.append((pid, name, line_of(k, i)))
    by_pid: dict[str, list[tuple[str, int]]] = {}
    for pid, name, line in occurrences:
        by_pid.setdefault(pid, []).append((name, line))
    problems = []
    for pid, places in by_pid.items():
        files = {n for n, _ in places}
        if len(files) < 2:
            continue
        for name, line in places:
            others = "; ".join(f"line {ln} of {n}" for n, ln in places if n != name)
            problems.append(
                Problem(
                    pid,
                    line,
                    "patient_id",
                    pid,
                    "patient_id_unique_across_files",
                    f"also on {others}; a patient has one row in one file (give each patient "
                    f"one pseudonym across centres)",
                    name,
                )
            )
    first_centre: dict[str, list[tuple[str, int, str]]] = {}
    for k, (name, frame) in enumerate(zip(names, frames)):
        if "center_id" not in frame or "patient_id" not in frame:
            continue
        centres = frame["center_id"].tolist()
        pids = frame["patient_id"].tolist()
        seen = set()
        for i, centre in enumerate(centres):
            if isinstance(centre, str) and centre not in seen:
                seen.add(centre)
                pid = pids[i] if isinstance(pids[i], str) else ""
                first_centre.setdefault(centre, []).append((name, line_of(k, i), pid))
    for centre, places in first_centre.items():
        if len(places) < 2:
            continue
        for name, line, pid in places:
            others = "; ".join(f"{n} (first on line {ln})" for n, ln, _ in places if n != name)
            problems.append(
                Problem(
                    pid,
                    line,
                    "center_id",
                    centre,
                    "center_id_in_one_file",
                    f"centre {centre!r} also has patients in {others}; keep each centre's "
                    f"patients in one file, or give the centres distinct codes",
                    name,
                )
            )
    return problems


@dataclass(frozen=True)
class Pooled:
    """The pooled typed table, the report, every file's :class:`~analysis.data.io.Source`, and ``source``: the one
    file's, or for several files the pool's (:func:`pooled_source`)."""

    patients: pd.DataFrame
    report: ValidationReport
    sources: tuple[Source, ...]
    names: tuple[str, ...]

    @property
    def source(self) -> Source:
        return self.sources[0] if len(self.sources) == 1 else pooled_source(self.sources, self.names)


def pooled_source(sources: Sequence[Source], names: Sequence[str]) -> Source:
    """One :class:`Source` for several files.

    ``sha256`` is the SHA-256 of the files' ``name sha256`` lines in pooling order (the same files
    in the same order give the same hash); synthetic only if every file is; the provenance is the
    files' common one when they all share it, else a list of the files.
    """
    digest = hashlib.sha256("".join(f"{n} {s.sha256}\n" for n, s in zip(names, sources)).encode()).hexdigest()
    first = sources[0].provenance
    same = all(s.provenance == first for s in sources)
    provenance = (
        dict(first)
        if same
        else {
            "description": f"pool of {len(sources)} files",
            "files": [{"file": n, "sha256": s.sha256, "synthetic": s.synthetic} for n, s in zip(names, sources)],
        }
    )
    folder = Path(os.path.commonpath([str(s.path) for s in sources]))
    label = f"{len(sources)} files: {', '.join(names)}"
    return Source(
        path=folder, sha256=digest, synthetic=all(s.synthetic for s in sources), provenance=provenance, label=label
    )


def validate_files(files: list[Path]) -> Pooled:
    """Read, validate and pool the tables ``files`` (see the module docstring), named as
    :func:`analysis.data.inputs.expand` or :func:`~analysis.data.inputs.resolve` give them.

    Never raises on bad cells (they are in ``report``); raises
    :class:`~analysis.exceptions.DataFileError` when a file is missing or unreadable, with every
    file's file-level problems at once.
    """
    files = [Path(f) for f in files]
    names = display_names(files)
    raws, notes, errors = [], [], []
    for path, name in zip(files, names):
        try:
            table, read_notes = read_table_noted(path)
            raw, file_notes = strip_bookkeeping(table, name)
        except DataFileError as exc:
            errors.append(str(exc))
            continue
        raws.append(raw)
        notes += read_notes + file_notes
    if errors:
        raise DataFileError("\n".join(errors))
    pooled = len(files) > 1
    frames, problems = [], []
    for raw, name in zip(raws, names):
        typed, report = validate_table(raw, source=name)
        frames.append(typed)
        problems += [Problem(**{**p.__dict__, "file": name}) for p in report.problems] if pooled else report.problems
    if pooled:
        problems += cross_file_problems(frames, names)
        order = {n: k for k, n in enumerate(names)}
        problems.sort(key=lambda p: (order[p.file], p.line or 0, NAMES.index(p.column) if p.column in NAMES else -1))
    n_rows = sum(len(f) for f in frames)
    source = names[0] if not pooled else f"{len(files)} files ({', '.join(names)})"
    report = ValidationReport(
        problems=problems, n_rows=n_rows, source=source, notes=notes, files=tuple(names) if pooled else ()
    )
    patients = pd.concat(frames, ignore_index=True) if pooled else frames[0]
    lengths = [len(f) for f in frames]
    origin = pd.Categorical.from_codes([k for k, n in enumerate(lengths) for _ in range(n)], categories=names)
    patients = patients.assign(**{SOURCE_COLUMN: origin})
    return Pooled(patients, report, tuple(source_of(p) for p in files), tuple(names))
