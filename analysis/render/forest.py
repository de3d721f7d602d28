"""A forest plot of rates: one line per label, one marker and interval per series (e.g. two cohorts).

:func:`plot_forest` draws tidy rows — ``label``, ``series``, ``estimate``,
``lower``, ``upper`` — with the labels top to bottom in their order of first
appearance and the series side by side within each label, each in its own
colour and marker (Okabe–Ito, :data:`analysis.render.figures.PALETTE`). It
knows nothing of what the rates are: the caller scales them (e.g. to percent)
and names the axis. A row with a missing estimate (an empty denominator) keeps
its label and draws nothing.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .figures import PALETTE

SERIES_STYLE = ((PALETTE[4], "o"), (PALETTE[5], "s"), (PALETTE[2], "D"), (PALETTE[0], "^"))


def plot_forest(
    rows: pd.DataFrame,
    ax=None,
    xlabel: str = "",
    xlim=None,
    label: str = "label",
    series: str = "series",
    estimate: str = "estimate",
    lower: str = "lower",
    upper: str = "upper",
    legend: bool = True,
):
    """Estimates with their intervals, one line per label, series side by side.

    Parameters
    ----------
    rows : DataFrame
        One row per label × series with the columns named below.
    ax : matplotlib Axes, optional (default=None: ``plt.gca()``)
    xlabel : str, optional (default="")
    xlim : (float, float), optional (default=None: matplotlib's limits)
    label, series, estimate, lower, upper : str, optional
        Column names (defaults "label", "series", "estimate", "lower", "upper").
    legend : bool, optional (default=True)
        A legend of the series, above the axes.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    labels = list(dict.fromkeys(rows[label]))
    names = list(dict.fromkeys(rows[series]))
    if len(names) > len(SERIES_STYLE):
        raise ValueError(f"at most {len(SERIES_STYLE)} series can be told apart, got {len(names)}")
    # series spread over ±0.18 of a line, first series on top
    offsets = np.linspace(-0.18, 0.18, len(names)) if len(names) > 1 else np.zeros(1)
    position = {lab: i for i, lab in enumerate(labels)}
    for k, name in enumerate(names):
        colour, marker = SERIES_STYLE[k]
        part = rows[rows[series] == name]
        part = part[part[estimate].notna()]
        y = np.array([position[v] for v in part[label]], dtype=float) + offsets[k]
        est = part[estimate].to_numpy(dtype=float)
        err = np.vstack([est - part[lower].to_numpy(dtype=float), part[upper].to_numpy(dtype=float) - est])
        ax.errorbar(
            est,
            y,
            xerr=err,
            fmt=marker,
            color=colour,
            markersize=3.5,
            elinewidth=0.9,
            capsize=1.5,
            linestyle="none",
            label=str(name),
        )
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels([str(v) for v in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    for i in range(1, len(labels)):
        ax.axhline(i - 0.5, color="#DDDDDD", linewidth=0.5, zorder=0)
    if xlim is not None:
        ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel)
    if legend and names:
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(names), frameon=False, fontsize=6)
    return ax


__all__ = ["plot_forest"]
