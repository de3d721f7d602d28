"""Writing result tables under ``results/`` (the one place tables are saved).

CSV is written with ``\\n`` line endings, UTF-8, no index, and floats as
Python's shortest round-trip repr, so that equal tables give equal bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..atomic import write_bytes


def save_table(table: pd.DataFrame, name: str, output_root: Path) -> Path:
    """Write ``table`` to ``results/<name>.csv`` under ``output_root`` (atomically)."""
    data = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    return write_bytes(Path(output_root) / "results" / f"{name}.csv", data)


def save_tables(tables: Mapping[str, pd.DataFrame], output_root: Path) -> list[Path]:
    """:func:`save_table` of each ``{name: table}``, in the mapping's order (a family of tables, one cell)."""
    return [save_table(table, name, output_root) for name, table in tables.items()]
