"""``python -m analysis import RAW --draft-mapping``: a mapping that does the work, for a person to check.

The draft is read from the raw file itself and filled wherever the file leaves no doubt:

* the ``read:`` settings it appears to need (encoding, separator, decimal comma, the date format
  of its date columns, the sheet) — proposed and written down, never applied silently;
* each raw column's dictionary column, where its name (a bilingual lexicon of the dictionary,
  :mod:`analysis.data.intake.lexicon`) and its values (:mod:`analysis.data.intake.evidence`) agree
  (:mod:`analysis.data.intake.column_match`); a unit stated in the name (``Pic (g/dL)``) as ``unit:``;
* the recodes of flags and categories from standard vocabularies and from a statistical file's value
  labels (``Oui``/``Non``, ``X``/blank, ``Homme``/``Femme``, ``TBRP``, ``1 = Oui, 2 = Non`` …,
  :mod:`analysis.data.intake.vocabularies`), with ``missing:`` for the values that mean not done;
* identifiers and variables the study does not use under ``drop:``, each with its reason; a birth
  date, when the file has no age, read by a ``derive:`` of ``age_years`` (and kept out of the output);
* ``center_id`` as a constant when no column holds the centre.

Whatever the file cannot decide is the placeholder ``TODO`` with the ranked candidates in a comment;
the mapping check refuses it (:func:`analysis.data.intake.mapping.parse_mapping`), so a draft cannot
be used before someone has decided. Every line stays a proposal: the header asks for each to be
checked, and the values each column holds are shown above its entry.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import yaml

from ...exceptions import DataFileError
from ..cell_conventions import DECIMAL_COMMA, header_delimiter
from ..dictionary import BY_NAME, NAMES
from ..readers import STAT_SUFFIXES, bom_encoding, read_xlsx, to_table
from ..stat_files import read_stat
from ..validate import ID_PATTERN
from . import vocabularies as vocab
from .column_match import Match, match_columns
from .evidence import _is_number, date_format, unit_factor
from .mapping import PLACEHOLDER

#: A column with at most this many distinct values gets a recode skeleton when nothing is known of it.
MAX_RECODE = 12
#: The constant drafted for ``center_id`` when no column holds it: not a valid code, so it is refused.
CENTRE_PLACEHOLDER = f"{PLACEHOLDER}: the centre's pseudonymous code"
ISO = "%Y-%m-%d"
#: What a drafted derivation says of itself.
_DERIVED = {
    "age_in_years": "a birth date, and no age column: the age at the first dose (the birth date never reaches the output)",
    "at_least": "a worst grade: the flag is 1 from grade 3",
}


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


#: YAML reads a key written without ``?`` only up to 1,024 characters; a longer one is written ``? KEY``.
_IMPLICIT_KEY = 1000


def _key(text: str) -> str:
    """A key of a flow mapping (``{KEY: …}``), explicit when it is too long to be implicit."""
    q = _q(text)
    return q if len(q) <= _IMPLICIT_KEY else f"? {q}"


def _sniff_csv(data: bytes) -> tuple[dict[str, str], list[str], str]:
    settings, notes = {}, []
    bom = bom_encoding(data)
    if bom in ("utf-16", "utf-32"):
        text = data.decode(bom, errors="replace")  # only to sniff: the reading proper is strict
        settings["encoding"] = bom
        notes.append(f"{bom.upper()} byte-order mark")
    else:
        try:
            text = data.decode("utf-8-sig")
            settings["encoding"] = "utf-8"
            if bom:
                notes.append("UTF-8 with a byte-order mark")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            settings["encoding"] = "cp1252"
            notes.append("not UTF-8; Windows-1252 assumed — check the accents")
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = header_delimiter(header)
    settings["delimiter"] = "\\t" if delimiter == "\t" else delimiter
    return settings, notes, text


#: What YAML reads as a line end or refuses, in a comment or a quoted value (PyYAML's reader).
_NOT_IN_A_LINE = re.compile("[\r\n\x85\u2028\u2029]|" + yaml.reader.Reader.NON_PRINTABLE.pattern)


def _one_line(line: str) -> str:
    """A draft line as YAML reads it: a line end or a character YAML refuses, from the file's own text (a
    label, a value), written as its escape (``\\u2028``): text in a comment, the character itself in a
    double-quoted value."""
    return _NOT_IN_A_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def _values(cells: pd.Series) -> list[tuple[str, int]]:
    counts = cells[cells != ""].value_counts(sort=False)
    return sorted(((str(v), int(n)) for v, n in counts.items()), key=lambda vn: (-vn[1], vn[0]))


def draft(path: str | Path) -> str:
    """The draft mapping of the raw export at ``path``, as YAML text with comments."""
    path = Path(path)
    table, read, notes, labels, var_labels = _load(path)
    cells = {
        c: (table[c].iloc[:, 0] if isinstance(table[c], pd.DataFrame) else table[c])
        for c in dict.fromkeys(str(c) for c in table.columns)
    }
    matches = match_columns({c: s.tolist() for c, s in cells.items()}, labels, var_labels)
    if path.suffix.lower() not in STAT_SUFFIXES and any(
        DECIMAL_COMMA.match(v) for s in cells.values() for v in s.unique()
    ):
        read["decimal"] = ","
    date_fmt = _read_date_format(matches)
    if date_fmt:
        read["date_format"] = date_fmt
    entries = [_entry(m, cells[m.raw], date_fmt, labels.get(m.raw, {})) for m in matches if m.action in ("map", "open")]
    lines = _head(path, notes, read, matches)
    lines += ["columns:"] + [line for e in entries for line in e] if entries else ["columns: {}"]
    mapped = {m.target for m in matches if m.action in ("map", "derive")} | {"center_id"}
    missing = [n for n in NAMES if n not in mapped]
    if missing:
        lines.append("# Dictionary columns not (yet) mapped: " + ", ".join(missing))
    lines = [_one_line(line) for line in lines]
    todo = sum(line.split("#", 1)[0].count(PLACEHOLDER) for line in lines if not line.lstrip().startswith("#"))
    lines.insert(4, f"# Left to decide: {todo} {PLACEHOLDER}(s)." if todo else "# Nothing left open: check it all.")
    return "\n".join(lines) + "\n"


def _load(path: Path) -> tuple[pd.DataFrame, dict[str, str], list[str], dict, dict[str, str]]:
    """The export as a text table, with the ``read:`` settings, notes, value and variable labels seen."""
    from ..diagnose import Expect, diagnose_csv

    suffix = path.suffix.lower()
    read: dict[str, str] = {}
    notes: list[str] = []
    if suffix in (".csv", ".txt", ".tsv"):
        data = path.read_bytes()
        read, notes, _ = _sniff_csv(data)
        delim = "\t" if read["delimiter"] == "\\t" else read["delimiter"]
        grid, findings = diagnose_csv(
            path, data, Expect(delimiter=delim, encoding=read["encoding"], mapping="MAP.yaml"), check_cells=False
        )
        if grid is None and findings:  # not a table, a control character, a cell the parser cannot split
            raise DataFileError("\n".join(f.message for f in findings))
        return (to_table(grid) if grid is not None else pd.DataFrame()), read, notes, {}, {}
    if suffix == ".xlsx":
        sheet = read_xlsx(path)
        read["sheet"] = sheet.name
        if len(sheet.sheets) > 1:
            notes.append("sheets: " + ", ".join(sheet.sheets))
        return to_table(sheet.grid), read, notes, {}, {}
    if suffix in STAT_SUFFIXES:
        stat = read_stat(path)
        notes.append(f"{stat.kind} file: stored codes are read (value labels shown as comments, and used)")
        return to_table(stat.grid), read, notes, stat.value_labels, stat.variable_labels
    raise ValueError(f"{path}: cannot draft a mapping for {suffix!r} files")


def _read_date_format(matches: list[Match]) -> str | None:
    """The format most date columns are written in, when not ISO (the ``read: date_format``)."""
    formats = Counter(
        f for m in matches if m.evidence.dates and (f := date_format(m.evidence.core)) and f != ISO
    ).most_common(1)
    return formats[0][0] if formats else None


def _head(path: Path, notes: list[str], read: dict, matches: list[Match]) -> list[str]:
    """The draft's lines down to ``columns:`` (header, read, constants, derive, drop)."""
    lines = [
        f"# Draft mapping for {path.name} (python -m analysis import {path.name} --draft-mapping).",
        "# Filled from the file's column names and values: check every line (values are shown above each",
        f"# column), replace every {PLACEHOLDER}, then:",
        f"#   python -m analysis import {path.name} --mapping THIS.yaml --out data/private/NAME.csv",
        *(f"# Seen: {n}" for n in notes),
        "compendium_mapping: 1",
        f"description: {_q('')}",
    ]
    lines += ["read:", *(f"  {k}: {_q(v)}" for k, v in read.items())] if read else ["read: {}"]
    if any(m.target == "center_id" and m.action == "map" for m in matches):
        lines.append("constants: {}")
    else:
        lines += ["constants:", f"  center_id: {_q(CENTRE_PLACEHOLDER)}   # no column holds the centre"]
    derived = [m for m in matches if m.action == "derive"]
    if derived:
        lines.append("derive:")
        for m in derived:
            target, rule, key, value = m.derives
            lines.append(
                f"  {target}: {{rule: {rule}, from: {_q(m.raw)}, {key}: {_q(value)}}}   # {_DERIVED.get(rule, m.reason)}"
            )
    dropped = [m for m in matches if m.action == "drop"]
    lines += ["drop:", *(f"  - {_q(m.raw)}   # {m.reason}" for m in dropped)] if dropped else ["drop: []"]
    return lines


def _entry(m: Match, cells: pd.Series, date_fmt: str | None, codes: dict[str, str]) -> list[str]:
    """The draft's lines for one mapped or open raw column: what it holds (as comments), then its entry."""
    values = _values(cells)
    shown = ", ".join(f"{_q(v)} ({n})" for v, n in values[:6]) + (" …" if len(values) > 6 else "")
    label = f" — {m.label}" if m.label else ""
    blanks = f", {m.evidence.blanks} empty" if m.evidence.blanks and values else ""
    lines = [f"  # {_q(m.raw)}{label}: {len(values)} distinct value(s){blanks}: {shown or 'all empty'}"]
    if codes:
        lines.append("  #   value labels: " + ", ".join(f"{k} = {v}" for k, v in codes.items()))
    settings, comment = _settings(m, date_fmt)
    if m.action == "map" and m.raw == m.target and not settings:
        return [*lines, f"  # {_q(m.raw)} is a dictionary column: used as it is"]
    to = m.target if m.action == "map" else PLACEHOLDER
    if m.action == "open":
        comment = _candidates(m) + (f"; {comment}" if comment else "")
    body = ", ".join([f"to: {to}", *settings])
    value = f"{{{body}}}" if settings else to
    comment = f"   # {comment}" if comment else ""
    if len(_q(m.raw)) > _IMPLICIT_KEY:  # the block form of a long key: `? KEY`, then `: VALUE`
        return [*lines, f"  ? {_q(m.raw)}", f"  : {value}{comment}"]
    return [*lines, f"  {_q(m.raw)}: {value}{comment}"]


def _candidates(m: Match) -> str:
    if not m.candidates:
        return "no dictionary name comes close: map it, or move it to drop"
    shown = ", ".join(f"{c.key} {c.score:.2f}" + ("" if ok else " (values do not fit)") for c, ok in m.candidates)
    return (m.reason + "; " if m.reason else "") + f"candidates: {shown}"


def _settings(m: Match, date_fmt: str | None) -> tuple[list[str], str]:
    """The entry's settings (``recode``, ``missing``, ``unit``, ``date_format``) and a comment on them."""
    ev = m.evidence
    col = BY_NAME.get(m.target) if m.action == "map" else None
    out, comment = [], ""
    if col is not None and col.kind == "date" or col is None and ev.dates:
        fmt = date_format(ev.core)
        if fmt and fmt != ISO and fmt != date_fmt:
            out.append(f"date_format: {_q(fmt)}")
        missing = [v for v in ev.values if vocab.is_missing(v)]
        return out + ([f"missing: [{', '.join(_q(v) for v in missing)}]"] if missing else []), comment
    if col is not None and col.kind in ("integer", "number"):
        unit, factor = unit_factor(col, ev)
        if unit and factor is not None:
            out.append(f"unit: {unit}")
            comment = f"{unit} in the name: converted to {col.unit} (× {factor})"
        rec = vocab.Recode(
            {v: PLACEHOLDER for v in ev.values if not _is_number(v) and not vocab.is_missing(v)},
            tuple(v for v in ev.values if vocab.is_missing(v)),
        )
    elif col is not None and col.name == "center_id":
        rec = vocab.Recode({v: PLACEHOLDER for v in ev.values if not ID_PATTERN.match(v)}, ())
        if rec.recode:
            comment = "the centre's pseudonymous code (e.g. C15), not its name"
    elif col is not None:
        box = ev.box or (ev.empty and col.kind == "flag" and not col.nullable)  # matched only in a file of boxes
        rec = vocab.propose(col.name, ev.values, ev.labels, box=box)
        if box:
            comment = "an X-or-blank box: a blank is no" if ev.box else "all empty, as an unticked box: a blank is no"
    else:
        rec = _open_recode(ev)
    if rec.recode:
        out.append("recode: {" + ", ".join(f"{_key(k)}: {_q(v)}" for k, v in rec.recode.items()) + "}")
    if rec.missing:
        out.append(f"missing: [{', '.join(_q(v) for v in rec.missing)}]")
        comment = (comment + "; " if comment else "") + "missing: values that mean not done or unknown"
    return out, comment


def _open_recode(ev) -> vocab.Recode:
    """The recode of a column with no target yet, from what its values look like."""
    if ev.box or ev.yes_no:
        return vocab.propose(None, ev.values, ev.labels, box=ev.box, vocabulary=vocab.YES_NO)
    known = ev.vocabularies()
    if len(known) == 1:
        return vocab.propose(None, ev.values, ev.labels, vocabulary=known[0])
    textual = [v for v in ev.values if not _is_number(v)]
    if ev.values and len(ev.values) <= MAX_RECODE and (textual or ev.labels):
        return vocab.propose(None, ev.values, ev.labels)
    return vocab.Recode({}, ())


__all__ = ["CENTRE_PLACEHOLDER", "MAX_RECODE", "draft"]
