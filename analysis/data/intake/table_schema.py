"""The data dictionary as a Frictionless Table Schema (JSON), for tools that build on it.

``python -m analysis dictionary --format table-schema`` prints it. One field per dictionary
column, in dictionary order (Table Schema v1, https://specs.frictionlessdata.io/table-schema/):

* ``id`` → ``string`` with ``pattern`` ``[A-Za-z0-9_-]{1,32}`` (``patient_id`` also ``unique``; it is
  the ``primaryKey``);
* ``flag`` → ``boolean`` with ``trueValues: ["1"]``, ``falseValues: ["0"]`` (the dictionary's codes,
  nothing else);
* ``category`` → ``string`` with ``enum`` (the codes, case-sensitive);
* ``integer``/``number`` → ``integer``/``number`` (``decimalChar: "."``) with ``minimum``/``maximum``;
* ``date`` → ``date`` (``format: default``, i.e. ISO ``YYYY-MM-DD``) from 2000-01-01 to 2099-12-31;
* ``required: true`` where an empty cell is not allowed; ``missingValues: [""]`` (an empty cell is
  missing, and nothing else is).

The schema states each column's own constraints only. The cross-field rules (dates in order,
death date iff cause, …) and the identifier's no-long-digit-run rule have no Table Schema form:
``python -m analysis validate`` remains the full check. The ``frictionless`` library validates a
CSV against this schema (``tests/data/test_table_schema.py``). R equivalent: ``frictionless`` (R).
"""

from __future__ import annotations

import json

from ..dictionary import COLUMNS, Column
from ..validate import DATE_RANGE, ID_PATTERN

PROFILE = "https://specs.frictionlessdata.io/schemas/table-schema.json"


def _field(col: Column) -> dict:
    parts = [col.description]
    if col.unit:
        parts.append(f"Unit: {col.unit}.")
    parts.append(f"Empty cell: {col.empty_means}." if col.nullable else "Empty cell: not allowed.")
    field: dict = {"name": col.name, "title": col.name, "description": " ".join(parts)}
    constraints: dict = {}
    if not col.nullable:
        constraints["required"] = True
    if col.kind == "id":
        field["type"] = "string"
        constraints["pattern"] = ID_PATTERN.pattern.removeprefix("^").removesuffix("$")
        if col.name == "patient_id":
            constraints["unique"] = True
    elif col.kind == "flag":
        field.update(type="boolean", trueValues=["1"], falseValues=["0"])
    elif col.kind == "category":
        field["type"] = "string"
        constraints["enum"] = list(col.codes)
    elif col.kind in ("integer", "number"):
        field["type"] = col.kind
        if col.kind == "number":
            field["decimalChar"] = "."
        lo, hi = col.minimum, col.maximum
        constraints["minimum"] = int(lo) if float(lo).is_integer() else lo
        constraints["maximum"] = int(hi) if float(hi).is_integer() else hi
    elif col.kind == "date":
        field.update(type="date", format="default")
        constraints["minimum"] = DATE_RANGE[0].strftime("%Y-%m-%d")
        constraints["maximum"] = DATE_RANGE[1].strftime("%Y-%m-%d")
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema() -> dict:
    """The Table Schema descriptor (a JSON-ready dict)."""
    return {
        "$schema": PROFILE,
        "fields": [_field(c) for c in COLUMNS],
        "missingValues": [""],
        "primaryKey": ["patient_id"],
    }


def to_json() -> str:
    """The descriptor as JSON text (2-space indent, UTF-8 characters kept, trailing newline)."""
    return json.dumps(table_schema(), indent=2, ensure_ascii=False) + "\n"
