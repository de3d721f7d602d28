"""Row filters written as expressions on the derived tables, evaluated fast.

Table 1 rows, safety items and the claims registry's metrics say which patients
they count as ``DataFrame.query`` expressions (``"crs_grade >= 2"``). pandas'
``query`` builds a resolver Series for every column of the frame on each call —
some 120 for ADRS merged with ADSL, i.e. ~25 ms a call at 50,000 patients, which
Table 1's 70 rows pay again and again. :func:`rows` and :func:`count` evaluate
the same expression (python engine, same semantics) on only the columns it names:
the same rows, about ten times faster.
"""

from __future__ import annotations

import ast
from functools import lru_cache

import pandas as pd

EVERYONE = (None, "", "all")


@lru_cache(maxsize=1024)
def names(expr: str) -> frozenset[str]:
    """The identifiers an expression reads (column names, and any other name it uses)."""
    return frozenset(n.id for n in ast.walk(ast.parse(expr, mode="eval")) if isinstance(n, ast.Name))


def mask(frame: pd.DataFrame, expr: str | None) -> pd.Series:
    """Boolean Series: which rows satisfy ``expr`` (every row for None, ``""`` or ``"all"``)."""
    if expr in EVERYONE:
        return pd.Series(True, index=frame.index)
    used = frame[[c for c in frame.columns if c in names(expr)]]
    return used.eval(expr, engine="python")


def rows(frame: pd.DataFrame, expr: str | None) -> pd.DataFrame:
    """``frame.query(expr, engine="python")``, evaluated on the columns the expression names only."""
    return frame if expr in EVERYONE else frame.loc[mask(frame, expr)]


def count(frame: pd.DataFrame, expr: str | None) -> int:
    """``len(rows(frame, expr))`` without copying any column."""
    return len(frame) if expr in EVERYONE else int(mask(frame, expr).sum())
