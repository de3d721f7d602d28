"""A forest plot of rates: one line per label, one marker and interval per series (e.g. two cohorts).

:func:`plot_forest` draws tidy rows — ``label``, ``series``, ``estimate``,
``lower``, ``upper`` — with the labels top to bottom in their order of first
appearance and the series side by side within each label, each in its own
colour and marker (Okabe–Ito, :data:`analysis.render.figures.PALETTE`). It
knows nothing of what the rates are: the caller scales them (e.g. to percent)
and names the axis. A row with a missing estimate (an empty denominator) keeps
its label and draws nothing. Given the ``counts`` columns, each row's "k/n" is
printed in a column right of the axes, level with its marker and in its colour, so
that estimates over different denominators (9/13 beside 18/21) read as such.
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
    counts: tuple[str, str] | None = None,
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
        A legend of the series, above the axes (centred; with ``counts``, ending at the axes' right edge).
    counts : (str, str), optional (default=None: no counts)
        Columns of the numerator and the denominator (e.g. ``("k", "n")``): "k/n" printed right of
        the axes on every row under a "k/n" heading, a row without an estimate included ("0/0"; "—"
        when a count is missing).

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
        if counts is not None:
            _print_counts(ax, rows[rows[series] == name], position, offsets[k], colour, label, counts)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels([str(v) for v in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    for i in range(1, len(labels)):
        ax.axhline(i - 0.5, color="#DDDDDD", linewidth=0.5, zorder=0)
    if xlim is not None:
        ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel)
    _heading_and_legend(ax, len(names) if legend else 0, counts is not None)
    return ax


def _heading_and_legend(ax, n_series: int, counts: bool) -> None:
    """The counts' "k/n" heading (with ``counts``) and the legend of ``n_series`` series (none if 0), above the axes.

    The legend is centred; with counts, flush with the axes' right edge, so that the heading stands
    beside it rather than under it.
    """
    if counts:
        ax.text(1.02, -0.5, "k/n", transform=ax.get_yaxis_transform(), va="bottom", ha="left", fontsize=6)
    if n_series:
        loc, anchor = ("lower right", (1.0, 1.0)) if counts else ("lower center", (0.5, 1.0))
        ax.legend(loc=loc, bbox_to_anchor=anchor, ncol=n_series, frameon=False, fontsize=6)


def _print_counts(ax, part: pd.DataFrame, position: dict, offset: float, colour: str, label: str, counts) -> None:
    """Each row's "k/n" right of the axes (x in axes units, y in data units), level with its marker."""
    for lab, k, n in zip(part[label], part[counts[0]], part[counts[1]]):
        text = "—" if pd.isna(k) or pd.isna(n) else f"{int(k)}/{int(n)}"
        y = position[lab] + offset
        ax.text(1.02, y, text, transform=ax.get_yaxis_transform(), va="center", ha="left", fontsize=6, color=colour)


__all__ = ["plot_forest"]
