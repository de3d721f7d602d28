"""Control characters in a table or a mapping: refused, each with its line, column and byte, never dropped.

A control character (NUL, the C0 range but tab, line feed and carriage return, DEL, and the C1 range
U+0080–U+009F) is not text: invisible in Excel and in most editors, it comes from a copy-paste out of
another program or from a damaged file. Readers handle it each their own way, and silently: pandas'
CSV parser cuts a cell at a NUL (``46<NUL>1.4`` read as ``46``), ReadStat drops a NUL from an SPSS
string (read as ``461.4``; found in the file's own bytes first, :mod:`analysis.data.sav_strings`), Python's ``str.strip`` removes the separators 0x1C–0x1F and a vertical
tab at a cell's edge. So a file holding one is refused whole, before any cell is read: the message
names where each is (line and column of a CSV, cell of a sheet, case and variable of a statistical
file, line and column of a YAML mapping) and which byte it is.

:data:`CONTROL` is the pattern; :func:`csv_hits` finds them in a CSV's text by record and field,
:func:`grid_hits` in a grid of cells, :func:`text_hits` by line and column in any text;
:func:`message` is the one paragraph for a file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Characters refused in a table or a mapping: C0 controls but tab, LF and CR; DEL; the C1 controls.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Places named in a message (the count says how many more there are).
SHOWN = 5
_C0 = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_WHAT = {
    "\x00": "NUL",
    "\x0b": "VT, vertical tab",
    "\x0c": "FF, form feed",
    "\x1a": "SUB, the end-of-file mark of old DOS programs",
    "\x1b": "ESC",
    "\x7f": "DEL",
}


def describe(char: str) -> str:
    """A control character as a message names it: ``NUL (0x00)``, ``DEL (0x7F)``, ``C1 control U+0092``."""
    code = ord(char)
    if code < 0x20:
        return f"{_WHAT.get(char, _C0[code])} (0x{code:02X})"
    if code == 0x7F:
        return "DEL (0x7F)"
    return f"C1 control U+{code:04X}"


@dataclass(frozen=True)
class Hit:
    """A control character: where (``place``, in the file's own terms), which, and the cell that holds it."""

    place: str
    char: str
    cell: str

    def to_text(self) -> str:
        k = CONTROL.search(self.cell).start()
        lo = max(0, k - 20)
        cell = ("…" if lo else "") + self.cell[lo : k + 20] + ("…" if k + 20 < len(self.cell) else "")
        return f"{describe(self.char)} at {self.place} (in {cell!r})"


def count(text: str) -> int:
    """How many control characters ``text`` holds."""
    return sum(1 for _ in CONTROL.finditer(text))


def text_hits(text: str, limit: int = SHOWN) -> list[Hit]:
    """The first ``limit`` control characters of ``text`` by line and column (1-based; any line end counts)."""
    hits = []
    for m in CONTROL.finditer(text):
        before = text[: m.start()]
        line = len(re.findall(r"\r\n|\r|\n", before)) + 1
        start = max(before.rfind("\n"), before.rfind("\r")) + 1
        end = min([i for i in (text.find("\n", m.start()), text.find("\r", m.start())) if i >= 0] or [len(text)])
        hits.append(Hit(f"line {line}, column {m.start() - start + 1}", m.group(), text[start:end]))
        if len(hits) == limit:
            break
    return hits


def csv_hits(text: str, delimiter: str = ",", limit: int = SHOWN) -> list[Hit]:
    """The first ``limit`` control characters of a CSV's text, by line and column (the header's name)."""
    hits: list[Hit] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    start = 1
    try:
        for record in reader:
            header = header or record
            for k, field in enumerate(record):
                m = CONTROL.search(field)
                if m is None:
                    continue
                line = start + len(re.findall(r"\r\n|\r|\n", field[: m.start()]))
                name = f" ({header[k]!r})" if start > 1 and k < len(header) else ""
                where = f"line {line}{' (the header)' if start == 1 else ''}, column {k + 1}{name}"
                hits.append(Hit(where, m.group(), field))
                if len(hits) == limit:
                    return hits
            start = reader.line_num + 1
    except csv.Error:  # a field past csv's size limit: name the rest by line alone
        pass
    return hits or text_hits(text, limit)


def grid_hits(grid: pd.DataFrame, place: Callable[[int, int], str], limit: int = SHOWN) -> tuple[list[Hit], int]:
    """The first ``limit`` control characters of a grid of text cells, and how many there are in all.

    ``place(r, c)`` names the cell of grid row ``r``, column ``c`` (0-based) as the file does. One
    regex pass over the cells joined by line feeds finds whether there is any.
    """
    if grid.empty:
        return [], 0
    values = grid.to_numpy(dtype=object)
    joined = "\n".join(str(v) for v in values.ravel())
    total = count(joined)
    if not total:
        return [], 0
    flat = np.frompyfunc(lambda v: CONTROL.search(str(v)) is not None, 1, 1)(values).astype(bool)
    hits = []
    for r, c in zip(*np.nonzero(flat)):
        cell = str(values[r, c])
        hits.append(Hit(place(int(r), int(c)), CONTROL.search(cell).group(), cell))
        if len(hits) == limit:
            break
    return hits, total


def message(name: str, hits: list[Hit], total: int, what: str = "") -> str:
    """The one paragraph for a file holding ``total`` control characters, the first of them ``hits``."""
    shown = "; ".join(h.to_text() for h in hits)
    more = f"; and {total - len(hits)} more" if total > len(hits) else ""
    latin = (
        " A C1 control in a file read as Latin-1 is usually a Windows-1252 character (’ € œ …): declare "
        "`encoding: cp1252` under `read:`."
        if any(0x80 <= ord(h.char) <= 0x9F for h in hits)
        else ""
    )
    return (
        f"{name}: {total} control character(s) that are not text{what}: {shown}{more}. They are invisible in Excel "
        f"and most editors, and a reader would cut or drop them without a word; nothing was read from the file. "
        f"Fix: retype those cells (or delete the character in an editor that shows it) and save again; they come "
        f"from a copy-paste out of another program, or from a damaged file.{latin}"
    )


__all__ = ["CONTROL", "SHOWN", "Hit", "count", "csv_hits", "describe", "grid_hits", "message", "text_hits"]
