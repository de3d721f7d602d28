"""What every numbered notebook does first, in one call.

:func:`setup` resolves ``data_path`` to its files (once: :func:`analysis.data.inputs.resolve`),
loads and validates the cohort, prints the data statement (SYNTHETIC DATA or the file's name and
hash), derives the analysis tables and resolves the output folder, so each notebook starts with
one line. Under ``python -m analysis run`` the tables come from the run's cache (read and
validated once for all notebooks, :mod:`analysis.data.cache`), named by the run's settings
(:mod:`analysis.settings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths, settings
from .data import cache, inputs
from .data.cohort import Cohort


@dataclass(frozen=True)
class Context:
    cohort: Cohort
    adsl: pd.DataFrame
    adtte: pd.DataFrame
    adrs: pd.DataFrame
    out: Path  # output root: figures/ and results/ are written below it
    label: str  # the data statement printed with every table
    note: str  # its short form, stamped on every figure

    @property
    def n(self) -> int:
        return self.cohort.n


def setup(data_path: str = "", output_dir: str = "") -> Context:
    """Load, validate, label and derive (see the module docstring); prints the data statement."""
    cohort, tables = cache.tables(inputs.resolve(data_path), settings.current().data_cache)
    print(cohort.label)
    return Context(
        cohort=cohort,
        adsl=tables["adsl"],
        adtte=tables["adtte"],
        adrs=tables["adrs"],
        out=paths.output_root(output_dir),
        label=cohort.label,
        note=cohort.note,
    )


def allow_patient_level(ctx: Context, setting: str = "auto") -> bool:
    """Whether to draw a figure that shows individual patients (e.g. a swimmer plot).

    ``"auto"``: only for synthetic data — outputs made from real data show no
    patient-level rows unless the user says ``"yes"``; ``"no"``: never.
    """
    if setting not in ("auto", "yes", "no"):
        raise ValueError(f"patient_level_figures must be 'auto', 'yes' or 'no', not {setting!r}")
    return setting == "yes" or (setting == "auto" and ctx.cohort.synthetic)
