"""Declared import mappings: a centre's own export → the data dictionary's format, nothing guessed.

A mapping is a YAML file written by a person (``python -m analysis import RAW --draft-mapping``
prints one to start from). Every key (all values are read as text: ``TRUE``, ``yes``, ``01`` stay
what they are written as)::

    compendium_mapping: 1
    description: SYNTHETIC example export of centre C15
    read:                         # how to read the raw file
      encoding: cp1252            # CSV (and .sav/.dta text); default utf-8 (a UTF-8 BOM is always fine)
      delimiter: ";"              # CSV; default ","
      decimal: ","                # number and integer columns; default "."
      thousands: " "              # optional thousands separator, removed from numbers
      date_format: "%d/%m/%Y"     # strptime format of every date column (ISO is always accepted)
      sheet: Données              # XLSX; default the sheet 'patients', else the first
      missing: [NA, ND]           # raw values that mean an empty cell, in every column
      drop_empty_rows: true       # default false: empty rows are an export mistake
      drop_empty_columns: true    # default false
    constants:                    # dictionary columns absent from the file, one value for every row
      center_id: C15
    drop: [Commentaire, Nom]      # raw columns left out
    columns:                      # raw column: dictionary column, or a block
      N° patient: patient_id
      Sexe: {to: sex, recode: {Homme: M, Femme: F}}
      Pic monoclonal (g/dL): {to: m_protein_g_l, unit: g/dL}
      Début: {to: bsab_start_date, date_format: "%d.%m.%Y", missing: [inconnue]}
    derive:                       # dictionary columns computed from raw columns (never copied)
      age_years: {rule: age_in_years, from: Date de naissance, at: bsab_start_date}
      cytopenia_grade3plus: {rule: at_least, from: Grade cytopénie max, value: 3}
      some_column: {rule: months_between, from: [Date diagnostic, Date J1]}   # or days_between
      involved_flc_mg_l: {rule: times, from: CLL (g/L), factor: "1000"}

A raw column named exactly as a dictionary column is used as it is. Every other raw column must be
under ``columns``, ``drop`` or a ``derive:`` entry's ``from``/``at``. Per cell, in this order: a
statistical file's own user-missing codes (SPSS missing values, Stata ``.a``–``.z``) become empty,
counted with their label; ``missing`` values become empty; ``recode``
replaces a listed value (a value already valid for the target column passes unchanged); a date is
parsed with its format and written YYYY-MM-DD; a number has its decimal mark and thousands
separator normalised, then is converted to the dictionary's unit (:data:`UNITS`, or ``{from: …,
factor: …}``) with exact decimal arithmetic (applied by :mod:`analysis.data.intake.remap`).

``derive:`` computes a dictionary column from raw columns, row by row (applied by
:mod:`analysis.data.intake.derivations`, where each rule's arithmetic is stated): ``age_in_years``
(completed years from the birth date ``from`` to the date ``at``), ``days_between`` and
``months_between`` (from the first date to the second: ``from: [A, B]``, or ``from: A, at: B``;
months of 365.25/12 days), ``at_least`` (1 if the number is at least ``value``, else 0) and
``times`` (the number × ``factor``, exact decimals). ``from`` names raw columns; a date source is
read with its column's ``date_format`` when it is also under ``columns``, else ``read:
date_format`` (ISO always). ``at`` names a dictionary date column (its converted value) or a raw
column. A derived column is not also mapped or constant. The raw columns a derivation reads are
accounted for (they need no ``drop``) and never reach the output; a birth date may be read this
way only — mapped under ``columns`` it is refused, like every column that looks like a direct
identifier (:mod:`analysis.data.intake.identifiers`).

A key written twice in one YAML mapping (two ``read:`` blocks, a raw column listed twice) is refused
with both line numbers: YAML would silently keep the last.

Then every value is checked against its target column's type (the validator's own cell rule,
:func:`analysis.data.validate.parse_cell`): a category or flag value without a recode, a date
that does not match its format, text in a number column — an *unmapped value* — is an error naming
the raw file's row, column and value, with the YAML line to add
(:class:`~analysis.data.intake.map_report.MapProblem`; for an unknown code, first to correct the
source, then the ``recode`` line, with ``''`` offered only for a column that may be empty). Range,
emptiness and cross-field rules are checked next, in the same pass, by validating the converted
table in memory (:mod:`analysis.data.intake.importer`); nothing is written while any problem remains.
Every change is counted (:class:`~analysis.data.intake.map_report.MapReport`) for the summary and
the output's provenance note.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from ...exceptions import DataFileError
from ..dictionary import BY_NAME, NAMES, Column
from ..validate import parse_cell
from ..yaml_text import read_yaml_text
from .derivations import Derivation, parse_derivation

VERSION = "1"
READ_KEYS = {
    "encoding",
    "delimiter",
    "decimal",
    "thousands",
    "date_format",
    "sheet",
    "missing",
    "drop_empty_rows",
    "drop_empty_columns",
}
TOP_KEYS = {"compendium_mapping", "description", "read", "constants", "drop", "columns", "derive"}
COLUMN_KEYS = {"to", "recode", "date_format", "unit", "missing"}
#: (from unit, dictionary unit) -> factor. A mapping may give any other as ``{from: …, factor: …}``.
UNITS: dict[tuple[str, str], str] = {
    ("g/dL", "g/L"): "10",
    ("mg/dL", "g/L"): "0.01",
    ("mg/L", "g/L"): "0.001",
    ("mg/dL", "mg/L"): "10",
    ("g/L", "mg/L"): "1000",
    ("µg/mL", "mg/L"): "1",
    ("ug/mL", "mg/L"): "1",
    ("fraction", "%"): "100",
}
PLACEHOLDER = "TODO"


class _TextLoader(yaml.SafeLoader):
    """YAML with every plain scalar read as text (only ``~``/``null``/empty are null), and no key twice.

    YAML itself lets a mapping repeat a key and keeps the last value: a second ``read:`` block would
    silently replace the first. Each mapping's keys are checked as it is built; a repeat raises a
    ``yaml.constructor.ConstructorError`` naming the key and both lines.
    """

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    first = seen.get(key)
                    seen.setdefault(key, line)
                except TypeError:  # an unhashable key: SafeLoader's own error says so
                    break
                if first is not None:
                    lines = f"lines {first} and {line}" if first != line else f"line {line}, twice"
                    raise yaml.constructor.ConstructorError(
                        problem=f"key {_text(key)!r} appears twice ({lines}); YAML would keep only the second: "
                        f"merge them into one",
                        problem_mark=key_node.start_mark,
                    )
        return super().construct_mapping(node, deep=deep)


_TextLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag == "tag:yaml.org,2002:null"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _text(value) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class ColumnMap:
    raw: str
    to: str
    recode: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    unit: tuple[str, Decimal] | None = None  # (from unit, factor)
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mapping:
    """A parsed, checked mapping (see the module docstring)."""

    path: Path
    sha256: str
    description: str
    read: dict
    constants: dict[str, str]
    drop: tuple[str, ...]
    columns: dict[str, ColumnMap]
    derive: dict[str, Derivation] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def option(self, key: str, default=None):
        return self.read.get(key, default)


def _bool(value, where: str) -> bool:
    text = _text(value).lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0", ""):
        return False
    raise ValueError(f"{where} must be true or false, not {value!r}")


def _check_format(fmt: str, where: str) -> str:
    if "%" not in fmt:
        raise ValueError(f"{where} {fmt!r} is not a date format; write it with strptime codes, e.g. '%d/%m/%Y'")
    return fmt


def _unit(spec, col: Column, where: str) -> tuple[str, Decimal]:
    if isinstance(spec, dict):
        if set(spec) - {"from", "factor"} or "factor" not in spec:
            raise ValueError(f"{where} must be a unit name or {{from: UNIT, factor: NUMBER}}")
        try:
            return _text(spec.get("from", "?")), Decimal(_text(spec["factor"]))
        except InvalidOperation:
            raise ValueError(f"{where}: factor {spec['factor']!r} is not a number") from None
    unit = _text(spec)
    if unit == col.unit:
        return unit, Decimal(1)
    factor = UNITS.get((unit, col.unit))
    if factor is None:
        known = ", ".join(sorted(a for a, b in UNITS if b == col.unit)) or "none"
        raise ValueError(
            f"{where}: no known conversion from {unit!r} to {col.unit!r} (known for {col.unit}: {known}); "
            f"write {{from: {unit}, factor: NUMBER}}"
        )
    return unit, Decimal(factor)


def parse_mapping(spec: dict, path: Path = Path("mapping.yaml"), sha256: str = "") -> Mapping:
    """Check and parse a mapping document; every mistake at once in one ``ValueError``."""
    errors: list[str] = []
    if not isinstance(spec, dict):
        raise ValueError("the mapping must be a YAML mapping with keys " + ", ".join(sorted(TOP_KEYS)))
    for key in sorted(set(spec) - TOP_KEYS):
        errors.append(f"unknown key {key!r} (keys: {', '.join(sorted(TOP_KEYS))})")
    if _text(spec.get("compendium_mapping", VERSION)) != VERSION:
        errors.append(
            f"compendium_mapping: {spec.get('compendium_mapping')!r} — this version reads mappings of version {VERSION}"
        )
    read = _read_settings(dict(spec.get("read") or {}), errors)
    constants = _constants(spec.get("constants") or {}, errors)
    drop = tuple(_text(v) for v in (spec.get("drop") or []))
    columns: dict[str, ColumnMap] = {}
    targets: dict[str, str] = {}
    for raw, entry in (spec.get("columns") or {}).items():
        cm = _column(_text(raw), entry if isinstance(entry, dict) else {"to": entry}, drop, constants, targets, errors)
        if cm is not None:
            columns[cm.raw] = cm
    derive = {}
    for target, entry in (spec.get("derive") or {}).items():
        d = parse_derivation(_text(target), entry, constants, targets, errors)
        if d is not None:
            derive[d.target] = d
    if errors:
        raise ValueError("\n".join(errors))
    return Mapping(path, sha256, _text(spec.get("description")), read, constants, drop, columns, derive)


def _read_settings(read: dict, errors: list[str]) -> dict:
    """The ``read:`` settings in their parsed form (flags as bools, a tab as ``\\t``); mistakes to ``errors``."""
    for key in sorted(set(read) - READ_KEYS):
        errors.append(f"read: unknown setting {key!r} (settings: {', '.join(sorted(READ_KEYS))})")
    for key in ("drop_empty_rows", "drop_empty_columns"):
        try:
            read[key] = _bool(read.get(key), f"read: {key}")
        except ValueError as exc:
            errors.append(str(exc))
    read["missing"] = tuple(_text(v) for v in (read.get("missing") or []))
    for key in ("encoding", "delimiter", "decimal", "thousands", "date_format", "sheet"):
        if key in read and read[key] is not None:
            read[key] = _text(read[key])
    if read.get("delimiter") in ("\\t", "tab"):
        read["delimiter"] = "\t"
    if read.get("date_format"):
        try:
            _check_format(read["date_format"], "read: date_format")
        except ValueError as exc:
            errors.append(str(exc))
    if read.get("decimal") not in (None, ".", ","):
        errors.append(f"read: decimal must be '.' or ',', not {read['decimal']!r}")
    return read


def _constants(spec: dict, errors: list[str]) -> dict[str, str]:
    """The ``constants:`` section, each value checked by its column's rule."""
    constants = {}
    for name, value in spec.items():
        if name not in BY_NAME:
            errors.append(f"constants: {name!r} is not a dictionary column")
            continue
        text = _text(value)
        _, rule, message = parse_cell(BY_NAME[name], text)
        if text.startswith(PLACEHOLDER):  # "TODO" is a valid id: a draft's placeholder must not pass for one
            errors.append(f"constants: {name}: {PLACEHOLDER} — write the value for every row (e.g. the centre's code)")
        elif rule:
            errors.append(f"constants: {name}: {text!r} is not valid ({message})")
        constants[name] = text
    return constants


def _column(
    raw: str, entry: dict, drop: tuple, constants: dict, targets: dict[str, str], errors: list[str]
) -> ColumnMap | None:
    """One ``columns:`` entry parsed, or ``None`` (its mistakes in ``errors``); ``targets`` records its target."""
    where = f"columns: {raw}"
    for key in sorted(set(entry) - COLUMN_KEYS):
        errors.append(f"{where}: unknown setting {key!r} (settings: {', '.join(sorted(COLUMN_KEYS))})")
    to = _text(entry.get("to"))
    if to in ("", PLACEHOLDER):
        errors.append(f"{where}: give the dictionary column it holds (`to:`), or move {raw!r} to `drop:`")
        return None
    if to not in BY_NAME:
        close = difflib.get_close_matches(to, NAMES, n=3)
        errors.append(
            f"{where}: {to!r} is not a dictionary column" + (f" (did you mean {', '.join(close)}?)" if close else "")
        )
        return None
    if raw in drop:
        errors.append(f"{where}: {raw!r} is both mapped and dropped")
    if to in targets:
        errors.append(f"{where}: {to!r} is already the target of column {targets[to]!r}")
    if to in constants:
        errors.append(f"{where}: {to!r} is also given under constants")
    targets[to] = raw
    col = BY_NAME[to]
    recode = {}
    for key, value in (entry.get("recode") or {}).items():
        if _text(value) == PLACEHOLDER:
            empty = ", or '' if it means missing" if col.nullable else f" ({to} may not be empty)"
            errors.append(
                f"{where}: recode {_text(key)!r}: {PLACEHOLDER} — write the dictionary value ({allowed_codes(col)}){empty}"
            )
        recode[_text(key)] = _text(value)
    fmt = entry.get("date_format")
    try:
        if fmt is not None:
            if col.kind != "date":
                raise ValueError(f"{where}: date_format given but {to} is not a date column")
            _check_format(_text(fmt), f"{where}: date_format")
        unit = _unit(entry["unit"], col, f"{where}: unit") if entry.get("unit") is not None else None
        if unit and col.kind not in ("number", "integer"):
            raise ValueError(f"{where}: unit given but {to} is not a numeric column")
    except ValueError as exc:
        errors.append(str(exc))
        return None
    return ColumnMap(
        raw,
        to,
        recode,
        _text(fmt) if fmt is not None else None,
        unit,
        tuple(_text(v) for v in (entry.get("missing") or [])),
    )


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file.

    Raises
    ------
    DataFileError
        the file is missing, is not YAML, or breaks the mapping's format (every mistake listed).
    """
    from ..inputs import file_sha256

    path = Path(path)
    if not path.exists():
        raise DataFileError(
            f"{path}: no such mapping file. Write one from the raw export: python -m analysis "
            f"import RAW --draft-mapping > {path.name}"
        )
    text = read_yaml_text(path, "mapping")
    try:
        spec = yaml.load(text, Loader=_TextLoader)
    except yaml.constructor.ConstructorError as exc:
        if exc.problem and "appears twice" in exc.problem:
            raise DataFileError(f"{path}: the mapping has mistakes; correct them:\n  {exc.problem}") from None
        raise DataFileError(f"{path}: not a readable YAML file ({exc}).") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: not a readable YAML file ({exc}).") from exc
    try:
        return parse_mapping(spec, path, file_sha256(path))
    except ValueError as exc:
        lines = "\n".join(f"  {line}" for line in str(exc).splitlines())
        raise DataFileError(f"{path}: the mapping has mistakes; correct them:\n{lines}") from None


def allowed_codes(col: Column) -> str:
    if col.kind == "flag":
        return "1|0"
    if col.kind == "category":
        return "|".join(col.codes)
    return col.kind
