"""A run's settings, and the one module of the package that reads them from the environment.

The runner (:mod:`analysis.pipeline.execute`) starts one kernel per notebook and must tell it where to
stage its outputs, which data cache to read and which figure formats to write; a kernel is another
process, so they travel as environment variables. They are named here and read only here
(:func:`current`); every other module asks this one for the :class:`Settings` it needs:

=================  ============================  =====================================================
setting            variable                      used by
=================  ============================  =====================================================
``output_root``    ``COMPENDIUM_OUTPUT_ROOT``    :func:`analysis.paths.output_root`: figures/ and results/ go below it
                                                 (the runner's staging folder; the tests' temporary folder)
``data_cache``     ``COMPENDIUM_DATA_CACHE``     :func:`analysis.data.cache.tables`: the tables the runner read once
``figure_formats`` ``COMPENDIUM_FIGURE_FORMATS`` :func:`analysis.render.figures.figure_formats`: e.g. ``png`` for a
                                                 draft run; empty = every format
``write_log``      ``COMPENDIUM_WRITE_LOG``      :mod:`analysis.atomic`: every write logged (the cell that made a file)
``cpus``           ``COMPENDIUM_CPUS``           :func:`analysis.pipeline.parallel.available`: this process's cores
``scheduler``      ``COMPENDIUM_DASK_SCHEDULER`` :func:`analysis.pipeline.parallel.farm`: a running Dask cluster
=================  ============================  =====================================================

:meth:`Settings.environment` gives the variables for a child process. Nothing here changes what a
result is — only where it goes, which formats are drawn, and how fast it comes — so none of these
enters a notebook's input hash except the figure formats (a draft run's outputs are other files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

#: setting -> the environment variable that carries it to a child process.
VARIABLES = {
    "output_root": "COMPENDIUM_OUTPUT_ROOT",
    "data_cache": "COMPENDIUM_DATA_CACHE",
    "figure_formats": "COMPENDIUM_FIGURE_FORMATS",
    "write_log": "COMPENDIUM_WRITE_LOG",
    "cpus": "COMPENDIUM_CPUS",
    "scheduler": "COMPENDIUM_DASK_SCHEDULER",
}


@dataclass(frozen=True)
class Settings:
    """What the process that started this one asks of it (module docstring); ``None``/``""`` = not set."""

    output_root: Path | None = None
    data_cache: Path | None = None
    figure_formats: str = ""
    write_log: Path | None = None
    cpus: int | None = None
    scheduler: str | None = None

    def environment(self) -> dict[str, str]:
        """The environment variables that hand these settings to a child process (the set ones only)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in (None, ""):
                out[VARIABLES[f.name]] = str(value)
        return out


def _positive(text: str) -> int | None:
    try:
        n = int(text)
    except ValueError:
        return None
    return n if n > 0 else None


def current(environ=None) -> Settings:
    """The settings of this process, read from ``environ`` (default: ``os.environ``) now.

    An unset or empty variable is an unset setting; a ``COMPENDIUM_CPUS`` that is not a positive
    integer is ignored (the machine's cores are used), as a mistyped variable should not stop a run.
    """
    env = os.environ if environ is None else environ

    def get(name: str) -> str:
        return env.get(VARIABLES[name], "") or ""

    path = {
        name: Path(get(name)).expanduser() if get(name) else None for name in ("output_root", "data_cache", "write_log")
    }
    return Settings(
        output_root=path["output_root"],
        data_cache=path["data_cache"],
        figure_formats=get("figure_formats"),
        write_log=path["write_log"],
        cpus=_positive(get("cpus")),
        scheduler=get("scheduler") or None,
    )


__all__ = ["VARIABLES", "Settings", "current"]
