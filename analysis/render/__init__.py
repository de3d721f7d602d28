"""Figures and tables: style, the Kaplan–Meier figure, and the one place outputs are saved.

* :mod:`~analysis.render.figures` — journal figure style; :func:`save_figure` (PNG/SVG/PDF, byte-identical)
* :mod:`~analysis.render.km_plot` — survminer-style Kaplan–Meier figures with risk tables
* :mod:`~analysis.render.km_overlay` — a cohort's Kaplan–Meier curve over a reference curve and an ensemble band
* :mod:`~analysis.render.forest` — forest plot of rates, two (or more) series side by side, k/n on every row
* :mod:`~analysis.render.legend_overlap` — :func:`~analysis.render.legend_overlap.legend_overlaps`, the legends
  of a figure that cover data (tested on every figure of a run)
* :mod:`~analysis.render.tables` — :func:`save_table`, a result table as CSV (:func:`save_tables`, several)
* :mod:`~analysis.render.numbers` — how every printed number is rounded (half up) and written
* :mod:`~analysis.render.table_export` — :func:`export_table`, a display table as CSV/Markdown/HTML/LaTeX/XLSX

Notebooks import the saving helpers, and :func:`~analysis.render.numbers.rounded` (the one half-up
rounding rule for a table they show), from here (``from analysis.render import save_figure``).
Never imports :mod:`analysis.study`, :mod:`analysis.paper` or :mod:`analysis.pipeline`.
"""

from .figures import DOUBLE_COLUMN, SINGLE_COLUMN, NotDrawn, new_figure, save_figure
from .numbers import rounded
from .table_export import export_table
from .tables import save_table, save_tables

__all__ = [
    "DOUBLE_COLUMN",
    "SINGLE_COLUMN",
    "NotDrawn",
    "export_table",
    "new_figure",
    "rounded",
    "save_figure",
    "save_table",
    "save_tables",
]
