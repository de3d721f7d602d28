"""Writing an output all at once.

The bytes go to a temporary name beside the target, which is then renamed
over it (``os.replace``, atomic on POSIX): a crash or a killed run never leaves
a half-written figure, table, notebook or cohort. Every output of the
compendium is written through :func:`write_bytes`.

When the run's ``write_log`` setting (:mod:`analysis.settings`) names a file (the runner sets it
for each notebook it executes), every write appends one JSON line there: the path and
the time. The runner matches the times with the start and end Papermill records
for each cell, and stores the cell that made each file in
``metadata.compendium.made_by`` of the executed notebook; the HTML report links
every figure and table to that cell.

Zip containers (XLSX workbooks: the table exports, the data-entry template) carry
the time they were written; :func:`reproducible_zip` rewrites them so that the
same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

from . import settings


def _log_write(path: Path) -> None:
    log = settings.current().write_log
    if log is not None:
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


#: Date written in every zip entry (the earliest a zip can hold) by :func:`reproducible_zip`.
ZIP_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
#: Created/modified stamp of an Office document's core properties. A constant, not
#: ``SOURCE_DATE_EPOCH``, so that outputs do not depend on how the build was invoked.
DOCUMENT_STAMP = dt.datetime(2000, 1, 1)


def reproducible_zip(data: bytes) -> bytes:
    """The same zip archive with nothing that depends on when it was written.

    Entries are kept in their order with their content, re-deflated with fixed dates
    (:data:`ZIP_ENTRY_TIME`) and permissions (0600); in an Office document (XLSX), the
    ``dcterms:created`` and ``dcterms:modified`` stamps of ``docProps/core.xml`` are pinned to
    :data:`DOCUMENT_STAMP` (openpyxl writes the current time there).
    """
    stamp = DOCUMENT_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content
                )
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_ENTRY_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return out.getvalue()
