"""Which files a user's ``--data`` names: files, folders of them, or both — without reading any.

Kept free of pandas so that the runner can hash a run's inputs (and skip an unchanged run in a
fraction of a second) without importing the data stack; :mod:`analysis.data.pool` reads them.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..exceptions import DataFileError

#: Patient-table formats read by :func:`analysis.data.io.read_table` (other exports go through
#: ``python -m analysis import``).
SUPPORTED = (".csv", ".xlsx")


def expand(inputs) -> list[Path]:
    """The tables named by ``inputs`` (paths of files or folders), in order, each once.

    Raises
    ------
    DataFileError
        a path does not exist, a folder holds no table, or a file is named twice.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    out: list[Path] = []
    for item in inputs:
        path = Path(item).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED
                           and not p.name.startswith((".", "~$")))
            if not found:
                raise DataFileError(f"{path}: this folder holds no .csv or .xlsx patient table.")
            out += found
        elif path.exists():
            out.append(path)
        else:
            raise DataFileError(f"{path}: no such file or folder. Give patient tables (.csv, .xlsx) or folders "
                                f"that hold them.")
    resolved = [p.resolve() for p in out]
    twice = sorted({str(p) for p in resolved if resolved.count(p) > 1})
    if twice:
        raise DataFileError(f"{twice[0]}: given twice; name each file once.")
    return out
