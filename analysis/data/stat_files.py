"""SPSS, Stata and SAS files read as text, with their labels and the codes they declare missing.

Through ``pyreadstat`` (ReadStat): ``read_sav`` (SPSS), ``read_dta`` (Stata), ``read_xport`` (SAS
transport, ``.xpt``) and ``read_sas7bdat``; numbers are read as stored (value labels are *not*
applied: a mapping recodes the stored codes), dates formatted as dates in the file come back as
dates, every cell as text (:func:`analysis.data.readers.cell_text`). Codes the file declares missing
(SPSS user-missing values and ranges, Stata ``.a``–``.z`` and SAS special missing values) are read
as stored too (``user_missing=True``), with the declaration (:class:`UserMissing`): pyreadstat would
otherwise make them empty without a word, and the import makes them empty itself, counted.

Before ReadStat reads it, the file must show its format's signature (an SPSS file renamed ``.dta``,
a CSV renamed ``.sav``: one message, :mod:`analysis.data.signatures`); after, a control character in
a name, a text value or a label is refused with its case and variable
(:mod:`analysis.data.control_bytes`). R equivalents: ``haven::read_sav``/``read_dta``/``read_xpt``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..exceptions import DataFileError
from .control_bytes import CONTROL
from .readers import STAT_SUFFIXES, cell_text
from .signatures import refuse


@dataclass(frozen=True)
class UserMissing:
    """The codes a statistical file declares missing for one variable (read as stored, see the module docstring).

    ``values`` are codes as text (SPSS discrete user-missing values, Stata/SAS letters ``a``–``z``);
    ``ranges`` inclusive numeric ranges (SPSS ``97 THRU 99``); ``source`` says whose declaration it
    is ("SPSS user-missing", "Stata extended missing", "SAS special missing").
    """

    values: tuple[str, ...]
    ranges: tuple[tuple[float, float], ...]
    source: str

    def matches(self, text: str) -> bool:
        if text in self.values:
            return True
        if not self.ranges or text == "":
            return False
        try:
            number = float(text)
        except ValueError:
            return False
        return any(lo <= number <= hi for lo, hi in self.ranges)


@dataclass
class StatFile:
    """A statistical package's file as text, with its variable labels, value labels and user-missing codes."""

    kind: str
    grid: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[str, str]]
    user_missing: dict[str, UserMissing] = field(default_factory=dict)


#: Whose declaration a statistical file's missing codes are, by suffix.
USER_MISSING_SOURCE = {
    ".sav": "SPSS user-missing",
    ".zsav": "SPSS user-missing",
    ".dta": "Stata extended missing",
    ".sas7bdat": "SAS special missing",
}


def _user_missing(meta, source: str) -> dict[str, UserMissing]:
    """Each variable's declared missing codes, from pyreadstat's ``missing_ranges``/``missing_user_values``."""
    out: dict[str, tuple[list, list]] = {}
    for var, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        values, spans = out.setdefault(var, ([], []))
        for r in ranges:
            lo, hi = r["lo"], r["hi"]
            if lo == hi or isinstance(lo, str):
                values.append(cell_text(lo))
            else:
                spans.append((float(lo), float(hi)))
    for var, letters in (getattr(meta, "missing_user_values", None) or {}).items():
        out.setdefault(var, ([], []))[0].extend(cell_text(v) for v in letters)
    return {var: UserMissing(tuple(dict.fromkeys(v)), tuple(r), source) for var, (v, r) in out.items() if v or r}


#: The signature each statistical suffix must show (:func:`analysis.data.signatures.problem`).
STAT_KINDS = {".sav": "spss", ".zsav": "spss", ".dta": "stata", ".xpt": "xport", ".sas7bdat": "sas"}


def _refuse_stat_controls(path: Path, header: list[str], columns: list[list], meta) -> None:
    """Control characters in a statistical file's names, text values and labels, refused by case and variable.

    A NUL inside an SPSS string is found before, in the file's bytes (ReadStat drops it:
    :func:`_refuse_sav_nuls`); a Stata string ends at a NUL by its format's definition; every other
    control character reaches this check.
    """
    from .control_bytes import SHOWN, Hit, count

    hits, total = [], 0

    def look(place: str, text) -> None:
        nonlocal total
        if isinstance(text, str) and CONTROL.search(text):
            total += count(text)
            if len(hits) < SHOWN:
                hits.append(Hit(place, CONTROL.search(text).group(), text))

    for k, name in enumerate(header):
        look(f"variable {k + 1} (its name)", name)
    for name, column in zip(header, columns):
        if any(isinstance(v, str) for v in column):
            for i, v in enumerate(column):
                look(f"case {i + 1}, variable {name!r}", v)
    for name, label in zip(meta.column_names, meta.column_labels or []):
        look(f"the label of variable {name!r}", label)
    for name, mapping in (meta.variable_value_labels or {}).items():
        for code, label in mapping.items():
            look(f"the value label of {code!r} in variable {name!r}", label)
    if total:
        from .control_bytes import message

        raise DataFileError(message(path.name, hits, total))


def _same_text(read, stored: bytes) -> bool:
    """Whether ReadStat's value is the stored bytes without their NULs (the scan and ReadStat agree on the cell)."""
    text = str(read).strip()
    kept = stored.replace(b"\x00", b"")
    return any(text == kept.decode(codec, "replace").strip() for codec in ("utf-8", "latin-1"))


def _refuse_sav_nuls(path: Path, frame: pd.DataFrame) -> None:
    """A NUL inside an SPSS text value, which ReadStat dropped without a word, found in the file's bytes
    (:func:`analysis.data.sav_strings.nul_cells`) and refused like any control character. Only a cell where
    ReadStat read exactly the stored bytes less their NULs counts: a scan misled by a damaged dictionary
    reports nothing ReadStat did not read."""
    from .control_bytes import SHOWN, Hit, message
    from .sav_strings import nul_cells

    found = [
        (case, name, value)
        for case, name, value in nul_cells(path, limit=100)
        if name in frame.columns and case <= len(frame) and _same_text(frame[name].iloc[case - 1], value)
    ]
    if found:
        hits = [Hit(f"case {case}, variable {name!r}", "\x00", value.decode("latin-1")) for case, name, value in found]
        raise DataFileError(message(path.name, hits[:SHOWN], len(hits), what=" inside its text values"))


#: pyreadstat's reader of each suffix.
READERS = {
    ".sav": "read_sav",
    ".zsav": "read_sav",
    ".dta": "read_dta",
    ".xpt": "read_xport",
    ".sas7bdat": "read_sas7bdat",
}


def _read(conn, reader: str, path: str, kwargs: dict) -> None:
    """In the child: pyreadstat's (frame, metadata), or the error's text, sent back through ``conn``."""
    import faulthandler

    import pyreadstat

    faulthandler.disable()  # a crash here is reported by the parent, in one sentence

    try:
        conn.send((True, getattr(pyreadstat, reader)(path, **kwargs)))
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        conn.send((False, str(exc) or type(exc).__name__))
    conn.close()


def _read_isolated(path: Path, reader: str, kwargs: dict):
    """pyreadstat's reading of ``path`` in a forked child process: (frame, metadata).

    ReadStat is a C library, and a damaged file can crash it outright (a segmentation fault, found by
    the fuzzing harness on a ``.sav`` with a few bytes changed): in this process that would end the
    command with no message. In a child, its death is one :class:`DataFileError`. A fork costs a few
    milliseconds (the child inherits the imported reader); without ``fork`` (not Linux) it is read here.
    """
    import multiprocessing

    kind = STAT_SUFFIXES[path.suffix.lower()]
    what = f"{'a' if kind == 'Stata' else 'an'} {kind} file"
    if "fork" not in multiprocessing.get_all_start_methods():
        import pyreadstat

        try:
            return getattr(pyreadstat, reader)(str(path), **kwargs)
        except Exception as exc:
            raise DataFileError(f"{path}: cannot be read as {what} ({exc}).") from exc
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_read, args=(send, reader, str(path), kwargs), daemon=True)
    child.start()
    send.close()
    try:
        ok, payload = receive.recv()
    except EOFError:  # the child died before it could answer
        ok, payload = None, None
    finally:
        receive.close()
        child.join()
    if ok is None:
        raise DataFileError(
            f"{path}: cannot be read as {what}: its reader (ReadStat) crashed on it (exit code "
            f"{child.exitcode}), so the file is damaged or cut short. Fix: export it again from {kind}, or copy "
            f"it again."
        )
    if not ok:
        raise DataFileError(f"{path}: cannot be read as {what} ({payload}).")
    return payload


def read_stat(path: Path, encoding: str | None = None) -> StatFile:
    """An SPSS ``.sav``, Stata ``.dta`` or SAS ``.xpt``/``.sas7bdat`` file as text (via ``pyreadstat``,
    in a child process: :func:`_read_isolated`)."""
    suffix = path.suffix.lower()
    kwargs = {"encoding": encoding} if encoding else {}
    if suffix in USER_MISSING_SOURCE:
        kwargs["user_missing"] = True
    refuse(path, STAT_KINDS[suffix])
    frame, meta = _read_isolated(path, READERS[suffix], kwargs)
    if suffix in (".sav", ".zsav"):
        _refuse_sav_nuls(path, frame)
    header = [str(c) for c in frame.columns]
    raw = [frame[c].tolist() for c in frame.columns]
    _refuse_stat_controls(path, header, raw, meta)
    body = [[cell_text(v) for v in column] for column in raw]
    rows = [header] + [list(r) for r in zip(*body)] if body else [header]
    labels = {
        var: {cell_text(k): str(v) for k, v in mapping.items()}
        for var, mapping in (meta.variable_value_labels or {}).items()
    }
    names = dict(zip(meta.column_names, meta.column_labels or [None] * len(meta.column_names)))
    return StatFile(
        STAT_SUFFIXES[suffix],
        pd.DataFrame(rows, dtype=object),
        {k: v for k, v in names.items() if v},
        labels,
        _user_missing(meta, USER_MISSING_SOURCE.get(suffix, "")),
    )


__all__ = ["STAT_KINDS", "USER_MISSING_SOURCE", "StatFile", "UserMissing", "read_stat"]
