"""Which files a run's data are, and their fingerprint — resolved once, hashed once, without reading a table.

Every route from a user's ``data_path`` (a notebook parameter, ``--data`` on the command line) to the
patient tables starts here:

* :func:`resolve` — the one place the value becomes files: empty → the compendium's default cohort
  (:data:`analysis.paths.DEFAULT_DATA`); a relative path → from the project root (Papermill and
  nbval run notebooks in different folders); a folder → the tables in it; a list → a pool, in its
  order (:func:`expand`);
* :func:`digest` — the one content hash of those files and their provenance notes, which the
  runner puts in every notebook's input hash and the data cache uses as its key;
* :func:`file_sha256` — the hash of one file (every SHA-256 of a file in the package is this one).

Kept free of pandas so that the runner can hash a run's inputs (and skip an unchanged run in a
fraction of a second) without importing the data stack; :mod:`analysis.data.pool` reads them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .. import paths
from ..exceptions import DataFileError

#: Patient-table formats read by :func:`analysis.data.io.read_table` (other exports go through
#: ``python -m analysis import``).
SUPPORTED = (".csv", ".xlsx")


def provenance_path(path: str | os.PathLike) -> Path:
    """The provenance note beside a data file: ``<file>.provenance.yaml``."""
    path = Path(path)
    return path.with_name(path.name + ".provenance.yaml")


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, read in blocks (a registry export may be large)."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def expand(inputs, suffixes=SUPPORTED, what: str = "", base: Path | None = None) -> list[Path]:
    """The files named by ``inputs`` (paths of files or folders), in order, each once.

    A relative path is taken from ``base`` (default: the current folder, as a shell user means it;
    :func:`resolve` passes the project root). A folder gives its files with one of ``suffixes`` (default: the patient-table formats; the
    importer passes its export formats, and ``what`` to name them), sorted, without hidden files
    and Office lock files (``~$…``).

    Raises
    ------
    DataFileError
        a path does not exist, a folder holds no such file, or a file is named twice.
    """
    what = what or f"{' or '.join(suffixes)} patient table"
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    out: list[Path] = []
    for item in inputs:
        path = Path(item).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith((".", "~$"))
            )
            if not found:
                raise DataFileError(f"{path}: this folder holds no {what}.")
            out += found
        elif path.exists():
            out.append(path)
        else:
            raise DataFileError(
                f"{path}: no such file or folder. Check the path; give files "
                f"({', '.join(suffixes)}) or folders that hold them."
            )
    resolved = [p.resolve() for p in out]
    twice = sorted({str(p) for p in resolved if resolved.count(p) > 1})
    if twice:
        raise DataFileError(f"{twice[0]}: given twice; name each file once.")
    return out


def resolve(data_path=None) -> list[Path]:
    """The patient tables a ``data_path`` names, as absolute paths (see the module docstring).

    ``data_path`` is ``None`` or ``""`` (the default cohort), a path (file or folder), or a list of
    them (a pool). Raises :class:`~analysis.exceptions.DataFileError` as :func:`expand`.
    """
    if data_path is None or (isinstance(data_path, (str, os.PathLike)) and str(data_path) == ""):
        data_path = [paths.DEFAULT_DATA]
    return [p.resolve() for p in expand(data_path, base=paths.ROOT)]


def digest(files) -> str:
    """SHA-256 over each file's bytes and its provenance note (``<absent>`` if none), in order.

    Contents only, never names or times: the same data give the same digest on every machine and in
    every folder (a pool's order counts, as it does for the pooled table).
    """
    h = hashlib.sha256()
    for f in files:
        note = provenance_path(f)
        h.update(
            b"<data>\0"
            + file_sha256(f).encode()
            + b"\0"
            + (file_sha256(note).encode() if note.exists() else b"<absent>")
            + b"\0"
        )
    return h.hexdigest()


__all__ = ["SUPPORTED", "digest", "expand", "file_sha256", "provenance_path", "resolve"]
