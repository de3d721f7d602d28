"""Removing volatile metadata from executed notebooks.

Two Papermill runs of the same notebook differ in dozens of places that say
nothing about the analysis: ``metadata.papermill`` (times, paths, environment),
per-cell ``metadata.papermill`` and ``metadata.execution`` timestamps, random
cell ids, ``metadata.jupytext`` (which would also make Jupytext re-pair the
executed file with a script) and the interpreter version. :func:`clean_notebook`
drops them and numbers cell ids ``cell-0``, ``cell-1``, … so that the same
inputs give byte-identical ``.ipynb`` files (nbstripout's ``--keep-output
--keep-count`` with papermill keys, done here without another dependency).
Outputs and execution counts are kept: they are the record nbval checks.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from ..atomic import write_text

VOLATILE_CELL_KEYS = ("papermill", "execution", "collapsed", "scrolled", "jupyter")


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return ``nb`` without volatile metadata (modified in place and returned)."""
    meta = nb.metadata
    for key in ("papermill", "jupytext", "widgets"):
        meta.pop(key, None)
    if "language_info" in meta:
        meta["language_info"] = {
            k: v for k, v in meta["language_info"].items() if k in ("name", "file_extension", "mimetype")
        }
    meta["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.nbformat, nb.nbformat_minor = 4, 5
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if not cell.metadata.get("tags"):
            cell.metadata.pop("tags", None)
        for out in cell.get("outputs", []):
            out.get("metadata", {}).pop("execution", None)
    return nb


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` atomically (temporary file, then rename)."""
    text = nbformat.writes(nb)
    write_text(path, text if text.endswith("\n") else text + "\n")  # as nbformat.write
