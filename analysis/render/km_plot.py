"""Kaplan–Meier figures in the manner of survminer: curves, bands, censor marks, medians, test, risk table.

:func:`plot_km` draws one or several Kaplan–Meier curves from a time/event
table on ``ax`` and, if given, the numbers at risk on ``risk_ax`` aligned under
the x-axis (numbers computed by :func:`analysis.stats.survival.risk_table`, i.e.
patients with time ≥ tick, as R/survminer). Statistics shown on the plot
follow :mod:`analysis.stats.survival` (R's conventions); the hazard ratio names
its reference group ("HR vs No EMD").

Legends go above the curves, as survminer's default ``legend = "top"``: inside
the axes a legend covers the curves on some cohort (groups that stay high and
flat, a band across the plot), above them it covers nothing, whatever the data.
A figure of one Kaplan–Meier axes (:func:`km_axes`) gets the figure's legend
(:func:`figure_legend_on_top`: constrained layout keeps a strip for it, however
long the group names); panels side by side each get their own, within their
width (:func:`legend_on_top`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..stats import km, survival
from . import numbers as fmt
from .figures import PALETTE

GROUP_COLOURS = (PALETTE[5], PALETTE[4], PALETTE[2], PALETTE[0])


def _steps(table: pd.DataFrame, column: str):
    x = np.concatenate(([0.0], table["time"].to_numpy()))
    y = np.concatenate(([1.0], table[column].to_numpy()))
    return x, y


def plot_km(
    frame: pd.DataFrame,
    by: str | None = None,
    labels: dict | None = None,
    ax=None,
    risk_ax=None,
    ticks=None,
    conf_type: str = "log",
    band: bool | None = None,
    ylabel: str = "Survival probability",
    xlabel: str = "Months from first bispecific dose",
):
    """Kaplan–Meier curves of ``frame`` (columns ``time``, ``event`` and optionally ``by``).

    Parameters
    ----------
    by : str, optional (default=None)
        Grouping column (two or more values); one curve per value, labelled by ``labels``.
    ax, risk_ax : matplotlib Axes, optional (default=None)
        Axes for the curves (``plt.gca()`` if None) and for the risk table (no table if None).
    ticks : sequence, optional (default=None: every 6 months up to the last time)
    band : bool, optional (default=None: a CI band for a single curve only, as survminer's ``conf.int``)
    Returns (ax, risk_ax).
    """
    ax = ax or plt.gca()
    groups = [
        (name if by is not None else "All patients", g) for name, g in survival.groups(frame, by, labels) if len(g)
    ]
    tmax = float(frame["time"].max()) if len(frame) else 1.0
    ticks = list(ticks) if ticks is not None else list(np.arange(0, tmax + 1e-9, 6))
    band = (len(groups) == 1) if band is None else band
    for k, (name, g) in enumerate(groups):
        colour = "#0072B2" if len(groups) == 1 else GROUP_COLOURS[k % len(GROUP_COLOURS)]
        _curve(ax, name, g, colour, conf_type, band)
    if not groups:
        ax.text(0.5, 0.55, "no patient to draw", transform=ax.transAxes, ha="center", fontsize=7, color="#777777")
    elif by is not None and len(groups) == 1:
        ax.text(
            0.02,
            0.04,
            f"comparison not estimable: only {groups[0][0]} has patients",
            transform=ax.transAxes,
            fontsize=6,
            va="bottom",
            color="#777777",
        )
    if len(groups) == 2:
        text = _comparison_text(frame, by, reference=groups[1][0])
        ax.text(0.02, 0.04, text, transform=ax.transAxes, fontsize=6, va="bottom")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, max(tmax, ticks[-1]) * 1.03)
    ax.set_xticks(ticks)
    ax.set_ylabel(ylabel)
    figure_legend_on_top(ax, fontsize=6)
    if risk_ax is not None:
        rows = [
            (g["time"], g["event"], "#0072B2" if len(groups) == 1 else GROUP_COLOURS[k % len(GROUP_COLOURS)])
            for k, (_, g) in enumerate(groups)
        ]
        draw_risk_table(ax, risk_ax, rows, [str(name) for name, _ in groups], ticks, xlabel)
    else:
        ax.set_xlabel(xlabel)
    return ax, risk_ax


def _curve(ax, name, g: pd.DataFrame, colour: str, conf_type: str, band: bool) -> None:
    """One group's step curve, its CI band (when asked), censoring ticks and median drop lines."""
    table = km.kaplan_meier(g["time"], g["event"], conf_type)
    x, y = _steps(table, "surv")
    med, lo, hi = km.median_ci(g["time"], g["event"], conf_type)
    label = f"{name} (n = {fmt.thousands(len(g))}; median {fmt.months(med)})"
    ax.step(x, y, where="post", color=colour, linewidth=1.2, label=label)
    if band:
        _, ylo = _steps(table, "lower")
        _, yhi = _steps(table, "upper")
        ok = ~(np.isnan(ylo) | np.isnan(yhi))
        ax.fill_between(x[ok], ylo[ok], yhi[ok], step="post", color=colour, alpha=0.15, linewidth=0)
    cens = thin_marks(table[table["n_censor"] > 0])
    ax.plot(cens["time"], cens["surv"], linestyle="none", marker="|", markersize=5, color=colour, mew=0.9)
    if not np.isnan(med):
        ax.plot([0, med], [0.5, 0.5], color="#777777", linestyle=":", linewidth=0.7)
        ax.plot([med, med], [0, 0.5], color=colour, linestyle=":", linewidth=0.8)


def figure_legend_on_top(ax, fontsize: float = 6, ncol: int = 1):
    """``ax``'s entries as the figure's legend, in a strip above every axes, right-aligned; returns it.

    ``ncol`` entries a line (default 1: a group's n and median make a long entry). Constrained
    layout (the compendium's style) reserves the strip (``loc="outside upper right"``), so the
    legend covers no curve, band or mark whatever the data, and a long entry takes the figure's
    width, not the axes'. For a figure that holds one such axes (:func:`km_axes`); several panels
    side by side take :func:`legend_on_top` each.
    """
    handles, labels = ax.get_legend_handles_labels()
    return ax.figure.legend(
        handles,
        labels,
        loc="outside upper right",
        frameon=False,
        fontsize=fontsize,
        ncol=ncol,
        handlelength=1.5,
    )


def legend_on_top(ax, fontsize: float = 6, title: str = "", title_size: float = 8, ncol: int = 1):
    """The axes' legend above its top edge, left-aligned, ``ncol`` entries a line (default 1); ``title``
    (default: none) above it.

    Outside the axes the legend covers no curve, band or mark whatever the data (survminer's
    ``legend = "top"``); constrained layout keeps room for its height. Keep its entries short
    enough for the axes' width (break a long one with ``\n``): constrained layout widens the margin
    for a legend that sticks out, which narrows the axes, which lets it stick out further, and the
    layout does not always catch up. The title, given here rather than by ``ax.set_title``
    afterwards, is padded by the legend's height so that it sits above the legend instead of under
    it. Returns the legend.
    """
    legend = ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        frameon=False,
        fontsize=fontsize,
        borderaxespad=0.2,
        ncol=ncol,
        handlelength=1.5,
    )
    if title:
        fig = ax.figure
        height = legend.get_window_extent(fig.canvas.get_renderer()).height * 72 / fig.dpi  # points
        ax.set_title(title, fontsize=title_size, loc="left", pad=height + 1)
    return legend


def _comparison_text(frame: pd.DataFrame, by: str, reference: str) -> str:
    """The log-rank p and the Cox HR (95% CI) of two groups against ``reference`` (the group the HR is
    relative to: the lower value of ``by``), or why each is not estimable."""
    test = survival.logrank(frame["time"], frame["event"], frame[by])
    hr = survival.cox(frame["time"], frame["event"], frame[by], ph=False)
    shown = fmt.p_value(test.p)
    text = (
        "log-rank test not estimable"
        if np.isnan(test.p)
        else f"log-rank p {shown}"
        if shown.startswith("<")
        else f"log-rank p = {shown}"
    )
    if np.isnan(hr.hr):
        return f"{text}\n{hr.reason}"
    estimate = f"{fmt.fixed(hr.hr, 2)} (95% CI {fmt.interval(hr.lower, hr.upper, 2)})"
    # "HR vs No EMD: 2.10 (…)"; a long reference on a line of its own, so the text stays in the axes
    one_line = f"HR vs {reference}: {estimate}"
    return f"{text}\n{one_line}" if len(one_line) <= 42 else f"{text}\nHR {estimate}\nvs {reference}"


def draw_risk_table(ax, risk_ax, rows, row_labels, ticks, xlabel: str) -> None:
    """Numbers at risk under ``ax``: one line per ``(time, event, colour)`` of ``rows``, at ``ticks``.

    ``row_labels`` name the lines (an empty list: unlabelled, e.g. the second panel of a row);
    the x-axis label moves from ``ax`` to the table, as in survminer's ``ggsurvplot(risk.table = TRUE)``.
    """
    for k, (time, event, colour) in enumerate(rows):
        counts = survival.risk_table(time, event, ticks)
        for tick, n in zip(counts["tick"], counts["at_risk"]):
            risk_ax.text(tick, k, fmt.thousands(n), ha="center", va="center", fontsize=6, color=colour)
    risk_ax.set_ylim(len(rows) - 0.5, -0.5)
    risk_ax.set_yticks(range(len(rows)))
    risk_ax.set_yticklabels(row_labels, fontsize=6)
    risk_ax.set_xlim(ax.get_xlim())
    risk_ax.set_xticks(ticks)
    risk_ax.tick_params(axis="y", length=0, pad=10)
    risk_ax.spines[["left", "top", "right"]].set_visible(False)
    risk_ax.set_title("Number at risk", fontsize=6, loc="left")
    risk_ax.set_xlabel(xlabel)
    ax.tick_params(labelbottom=False)


#: Most censor marks drawn on one curve: beyond, marks merge into a bar and slow every format down.
MAX_CENSOR_MARKS = 150


def thin_marks(censored: pd.DataFrame, limit: int = MAX_CENSOR_MARKS) -> pd.DataFrame:
    """At most ``limit`` censor marks, evenly spread along the time axis.

    Up to ``limit`` censoring times every one is drawn (as survminer does). Beyond, the time
    range is cut into ``limit`` equal bins and the first censoring time of each bin is drawn,
    so the marks still show where censoring happens; the curve itself is never thinned.
    """
    if len(censored) <= limit:
        return censored
    t = censored["time"].to_numpy()
    bins = np.floor((t - t.min()) / (t.max() - t.min()) * (limit - 1e-9)).astype(int)
    return censored[np.r_[True, bins[1:] != bins[:-1]]]


def plot_cumulative_incidence(cif: pd.DataFrame, ax=None, xlabel: str = "Months from first bispecific dose"):
    """Stacked step curves of cause-specific cumulative incidence (:func:`analysis.stats.survival.cumulative_incidence`).

    ax : matplotlib Axes, optional (default=None). Returns the axes.
    """
    ax = ax or plt.gca()
    x = np.concatenate(([0.0], cif["time"].to_numpy()))
    bottom = np.zeros_like(x)
    colours = {"progression": PALETTE[5], "infection": PALETTE[4], "other": PALETTE[7]}
    for k, cause in enumerate(cif.columns[1:]):
        y = np.concatenate(([0.0], cif[cause].to_numpy()))
        ax.fill_between(
            x,
            bottom,
            bottom + y,
            step="post",
            color=colours.get(cause, PALETTE[k]),
            alpha=0.8,
            linewidth=0,
            label=f"Death: {cause}",
        )
        bottom = bottom + y
    ax.set_ylim(0, 1)
    ax.set_xlim(0, x.max())
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Cumulative incidence")
    figure_legend_on_top(ax, fontsize=6, ncol=3)  # inside, many early deaths would fill the upper left
    return ax


def km_axes(width: float, height: float):
    """A styled figure with the curve axes above a risk-table axes (4:1), as survminer lays them out."""
    from .figures import new_figure

    return new_figure(width, height, nrows=2, gridspec_kw={"height_ratios": [4, 1.1]})
