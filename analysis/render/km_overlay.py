"""A cohort's Kaplan–Meier curve over a reference curve and the spread of an ensemble of reference curves.

:func:`plot_km_overlay` draws, on one axes: the pointwise band of S(t) over an
ensemble of reference samples (:func:`analysis.stats.ensemble.ensemble_band`,
the central 95% by default, min–max with ``coverage=1``), one reference curve
(dashed; the first reference unless another is given), and the cohort's curve
with its censoring marks (thinned past :data:`analysis.render.km_plot.MAX_CENSOR_MARKS`, as
:func:`~analysis.render.km_plot.plot_km` does); and, on ``risk_ax``, the numbers at risk of the
cohort and of the reference curve (patients with time ≥ tick, as
:func:`analysis.stats.survival.risk_table` and survminer). The band is the
variability of the references, not a confidence interval, and no test is
drawn: a test against an ensemble is a range of p-values
(:func:`analysis.stats.ensemble.logrank_against`), reported by the caller. The
legend sits above the curves, with the panel's title over it
(:func:`analysis.render.km_plot.legend_on_top`): a band spans much of the plot, so
inside the axes the legend would cover it or a curve on some cohort.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..stats import ensemble, km
from . import numbers as fmt
from .figures import PALETTE
from .km_plot import _steps, draw_risk_table, legend_on_top, thin_marks

COHORT_COLOUR, REFERENCE_COLOUR, BAND_COLOUR = "#0072B2", PALETTE[5], "#BBBBBB"


def band_text(n_references: int, coverage: float) -> str:
    """How the band is described in the legend: "range of 20 reconstructions", "central 95% of 200 …"."""
    share = "range" if coverage >= 1 else f"central {100 * coverage:g}%"
    return f"{share} of {n_references} reference curve{'s' if n_references != 1 else ''}"


def plot_km_overlay(
    time,
    event,
    references,
    reference=None,
    labels=("This cohort", "Reference"),
    coverage: float = 0.95,
    ax=None,
    risk_ax=None,
    ticks=None,
    band_label: str | None = None,
    ylabel: str = "Survival probability",
    xlabel: str = "Months from first bispecific dose",
    risk_labels: bool = True,
    title: str = "",
):
    """Kaplan–Meier curve of (``time``, ``event``) over a reference curve and an ensemble band.

    Parameters
    ----------
    time, event : array-like
        The cohort's times and event flags (1 event, 0 censored).
    references : sequence of (time, event) pairs
        The ensemble of reference samples (at least one).
    reference : (time, event), optional (default=None: ``references[0]``)
        The reference drawn as a curve, with its numbers at risk.
    labels : (str, str), optional (default=("This cohort", "Reference"))
        Names of the cohort and of the reference in the legend and the risk table (say there what the
        reference is, e.g. "Published (reconstruction)": the risk table's row is the reference curve's).
    coverage : float, optional (default=0.95)
        Central share of the reference curves inside the band; 1 = pointwise min–max.
    ax, risk_ax : matplotlib Axes, optional (default=None)
        Axes for the curves (``plt.gca()`` if None) and for the numbers at risk (none if None).
    ticks : sequence, optional (default=None: every 6 months up to the last time of either curve)
    band_label : str, optional (default=None: :func:`band_text`)
    risk_labels : bool, optional (default=True)
        Name the rows of the risk table (turn off for all but the first of panels side by side); a
        name's parenthesis goes to a second line there.
    title : str, optional (default="": none)
        The panel's title, drawn above the legend (an ``ax.set_title`` afterwards would sit under it).

    Returns
    -------
    (ax, risk_ax)
    """
    ax = ax or plt.gca()
    references = list(references)
    if not references:
        raise ValueError("references is empty; give at least one (time, event) sample")
    ref_time, ref_event = references[0] if reference is None else reference
    t = np.asarray(time, dtype=float)
    rt = np.asarray(ref_time, dtype=float)
    tmax = float(max(t.max() if len(t) else 0.0, rt.max() if len(rt) else 0.0)) or 1.0
    ticks = list(ticks) if ticks is not None else list(np.arange(0, tmax + 1e-9, 6))

    _band(ax, references, coverage, band_label or band_text(len(references), coverage))
    for (tt, ee), colour, style, name in (
        ((rt, ref_event), REFERENCE_COLOUR, "--", labels[1]),
        ((t, event), COHORT_COLOUR, "-", labels[0]),
    ):
        if len(tt) == 0:
            continue
        _curve(ax, tt, ee, colour, style, name)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, max(tmax, ticks[-1]) * 1.03)
    ax.set_xticks(ticks)
    ax.set_ylabel(ylabel)
    legend_on_top(ax, fontsize=5, title=title)
    if risk_ax is None:
        ax.set_xlabel(xlabel)
        return ax, risk_ax
    rows = [(t, event, COHORT_COLOUR), (rt, ref_event, REFERENCE_COLOUR)]
    # a name's parenthesis on a line of its own ("Published\n(reconstruction)"): the row names set the
    # first panel's margin, and a long one narrows every panel of the row
    names = [str(v).replace(" (", "\n(") for v in labels] if risk_labels else []
    draw_risk_table(ax, risk_ax, rows, names, ticks, xlabel)
    return ax, risk_ax


def _band(ax, references: list, coverage: float, label: str) -> None:
    """The central ``coverage`` of the reference curves, pointwise, as a shaded step band."""
    band = ensemble.ensemble_band(references, coverage=coverage)
    ok = band["lower"].notna().to_numpy()
    x, lower, upper = band["time"][ok], band["lower"][ok], band["upper"][ok]
    ax.fill_between(x, lower, upper, step="post", color=BAND_COLOUR, alpha=0.45, linewidth=0, label=label)


def _curve(ax, time, event, colour: str, style: str, name: str) -> None:
    """One step curve with its censoring ticks, its n and median in the legend, under its name
    ("Published (reconstruction)" / "n = 44, median 20.1": two short lines fit a panel's width)."""
    table = km.kaplan_meier(time, event)
    x, y = _steps(table, "surv")
    med, _, _ = km.median_ci(time, event)
    label = f"{name}\nn = {fmt.thousands(len(time))}, median {fmt.months(med)}"
    ax.step(x, y, where="post", color=colour, linestyle=style, linewidth=1.2, label=label)
    cens = thin_marks(table[table["n_censor"] > 0])
    ax.plot(cens["time"], cens["surv"], linestyle="none", marker="|", markersize=4, color=colour, mew=0.8)


__all__ = ["band_text", "plot_km_overlay"]
