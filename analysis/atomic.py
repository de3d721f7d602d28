"""Writing an output all at once.

The bytes go to a temporary name beside the target, which is then renamed
over it (``os.replace``, atomic on POSIX): a crash or a killed run never leaves
a half-written figure, table, notebook or cohort. Every output of the
compendium is written through :func:`write_bytes`.
"""
from __future__ import annotations

import os
from pathlib import Path


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (parent folders created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def write_text(path: str | os.PathLike, text: str) -> Path:
    """:func:`write_bytes` of UTF-8 text."""
    return write_bytes(path, text.encode("utf-8"))
