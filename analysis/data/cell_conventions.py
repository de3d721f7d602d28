"""The cell conventions of an export: decimal commas, day-first dates, dates with a time, flag words.

A convention is the *file's* when it is systematic: seen in at least :data:`MIN_SYSTEMATIC` cells
and in more than half of the cells of its kind that show one (numbers written with ``.`` or ``,``;
dates; flags). One stray ``"12,5"`` among numbers written with ``.`` is not a convention but a cell
problem, which the validator reports with its line and patient. :mod:`analysis.data.diagnose` turns
the conventions found into one-line findings with their fix; :mod:`analysis.data.intake.draft_mapping`
into the ``read:`` settings of a draft mapping.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .dictionary import BY_NAME

#: A cell convention is the file's when seen in at least this many cells (and in most of them).
MIN_SYSTEMATIC = 2
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
DECIMAL_POINT = re.compile(r"^[+-]?\d*\.\d+$")
DMY = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$")
WITH_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
FLAG_WORDS = {
    "true": "TRUE/FALSE",
    "false": "TRUE/FALSE",
    "vrai": "VRAI/FAUX",
    "faux": "VRAI/FAUX",
    "oui": "Oui/Non",
    "non": "Oui/Non",
    "yes": "yes/no",
    "no": "yes/no",
    "o": "O/N",
    "n": "O/N",
    "y": "Y/N",
}


def example(cells: list[tuple[str, str]]) -> str:
    """The first cell of a convention as the message shows it: ``'12,5' in weight_kg``."""
    value, column = cells[0]
    return f"'{value}' in {column}"


def systematic(table: pd.DataFrame) -> dict[str, object]:
    """Decimal commas, day-first dates, dates with a time, flag words — among the dictionary's columns.

    Returns the systematic ones only (see the module docstring), keyed ``decimal_comma``,
    ``date_format`` (cells, order shown, strptime format), ``date_time`` and ``flag_words`` (by family),, each with its cells as
    ``[(value, column), …]`` (one entry per cell) for the message's example and count.
    """
    comma, dmy, timed, words = [], [], [], {}
    point = dates_known = flags_known = 0
    firsts, seconds = set(), set()
    for name in dict.fromkeys(table.columns):
        col = BY_NAME.get(name)
        if col is None or col.kind not in ("number", "integer", "date", "flag"):
            continue
        cells = table[name]
        cells = cells.iloc[:, 0] if isinstance(cells, pd.DataFrame) else cells
        codes, uniques = pd.factorize(cells.to_numpy(dtype=object))
        for value, k in zip(uniques.tolist(), np.bincount(codes, minlength=len(uniques)).tolist()):
            if value == "":
                continue
            if col.kind in ("number", "integer"):
                if DECIMAL_COMMA.match(value):
                    comma += [(value, name)] * k
                elif DECIMAL_POINT.match(value):
                    point += k
            elif col.kind == "date":
                dates_known += k
                m = DMY.match(value)
                if m:
                    dmy += [(value, name)] * k
                    firsts.add(int(m.group(1)))
                    seconds.add(int(m.group(3)))
                elif WITH_TIME.match(value):
                    timed += [(value, name)] * k
            else:
                flags_known += k
                family = FLAG_WORDS.get(value.lower())
                if family:
                    words.setdefault(family, []).extend([(value, name)] * k)
    out: dict[str, object] = {}
    if len(comma) >= MIN_SYSTEMATIC and len(comma) > point:
        out["decimal_comma"] = comma
    if len(dmy) >= MIN_SYSTEMATIC and 2 * len(dmy) > dates_known:
        day_first, month_first = max(firsts) > 12, max(seconds) > 12
        if day_first != month_first:
            order, fmt = ("DD/MM/YYYY", "%d/%m/%Y") if day_first else ("MM/DD/YYYY", "%m/%d/%Y")
        else:
            order, fmt = "DD/MM/YYYY or MM/DD/YYYY (no day above 12 tells which)", "%d/%m/%Y"
        sep = DMY.match(dmy[0][0]).group(2)
        out["date_format"] = (dmy, order.replace("/", sep), fmt.replace("/", sep))
    elif len(timed) >= MIN_SYSTEMATIC and 2 * len(timed) > dates_known:
        out["date_time"] = timed
    n_words = sum(len(v) for v in words.values())
    if n_words >= MIN_SYSTEMATIC and 2 * n_words > flags_known:
        out["flag_words"] = words
    return out


def header_delimiter(header: str, expected: str = ",") -> str:
    """The separator the header line uses most, the expected one on a tie."""
    return max(DELIMITERS, key=lambda d: (header.count(d), d == expected))
