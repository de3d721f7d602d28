"""Writing an output all at once.

The bytes go to a temporary name beside the target, which is then renamed
over it (``os.replace``, atomic on POSIX): a crash or a killed run never leaves
a half-written figure, table, notebook or cohort. Every output of the
compendium is written through :func:`write_bytes`.

When ``COMPENDIUM_WRITE_LOG`` names a file (the runner sets it for each
notebook it executes), every write appends one JSON line there: the path and
the time. The runner matches the times with the start and end Papermill records
for each cell, and stores the cell that made each file in
``metadata.compendium.made_by`` of the executed notebook; the HTML report links
every figure and table to that cell.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

#: File to which every write is logged with the cell that made it (set by the runner).
WRITE_LOG_ENV = "COMPENDIUM_WRITE_LOG"


def _log_write(path: Path) -> None:
    log = os.environ.get(WRITE_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"path": str(path.resolve()), "time": time.time()}) + "\n")


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (parent folders created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    _log_write(path)
    return path


def write_text(path: str | os.PathLike, text: str) -> Path:
    """:func:`write_bytes` of UTF-8 text."""
    return write_bytes(path, text.encode("utf-8"))
