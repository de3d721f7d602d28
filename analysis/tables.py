"""Writing result tables under ``results/`` (the one place tables are saved).

CSV is written with ``\\n`` line endings, UTF-8, no index, and floats as
Python's shortest round-trip repr, so that equal tables give equal bytes.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd


def save_table(table: pd.DataFrame, name: str, output_root: Path) -> Path:
    """Write ``table`` to ``results/<name>.csv`` under ``output_root`` (atomically)."""
    folder = Path(output_root) / "results"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    tmp = path.with_name(f".{path.name}.tmp")
    table.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
