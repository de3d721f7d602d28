"""Kaplan–Meier and cumulative-incidence figures: degenerate data draw, helpers return their axes;
the HR names its reference group; legends sit above the curves."""

import matplotlib.pyplot as plt
import pandas as pd

from analysis.render import km_plot
from analysis.render.legend_overlap import legend_overlaps
from analysis.stats import survival


def test_plot_draws_one_group_or_a_group_without_events():
    frame = pd.DataFrame({"time": [1.0, 2, 3, 4, 5, 6], "event": [0] * 6, "g": [1] * 6})
    fig, (ax, rax) = plt.subplots(2, 1)
    assert km_plot.plot_km(frame, "g", {1: "only"}, ax=ax, risk_ax=rax) == (ax, rax)
    two = frame.assign(g=[1, 1, 1, 0, 0, 0], event=[1, 1, 0, 0, 0, 0])
    assert km_plot.plot_km(two, "g", ax=ax)[0] is ax
    plt.close("all")


def test_cumulative_incidence_plot_returns_axes():
    cif = survival.cumulative_incidence(
        [1, 2, 3, 4], ["progression", "", "infection", "other"], ["progression", "infection", "other"]
    )
    fig, ax = plt.subplots()
    assert km_plot.plot_cumulative_incidence(cif, ax=ax) is ax
    plt.close(fig)


def _two_groups():
    return pd.DataFrame(
        {"time": [1.0, 2, 3, 4, 5, 6, 7, 8], "event": [1, 1, 0, 1, 1, 0, 1, 0], "g": [1, 0, 1, 0, 1, 0, 1, 0]}
    )


def test_the_hazard_ratio_names_its_reference_group_the_lower_value():
    fig, ax = plt.subplots()
    km_plot.plot_km(_two_groups(), "g", {1: "EMD", 0: "No EMD"}, ax=ax)
    (text,) = [t.get_text() for t in ax.texts]
    assert text.splitlines()[1].startswith("HR vs No EMD: ") and "(95% CI " in text
    long = {1: "Cytogenetic abnormality", 0: "No abnormality (tested)"}
    ax.clear()
    km_plot.plot_km(_two_groups(), "g", long, ax=ax)  # too long for one line: the reference on its own
    lines = ax.texts[0].get_text().splitlines()
    assert lines[1].startswith("HR ") and "vs" not in lines[1] and lines[2] == "vs No abnormality (tested)"
    plt.close(fig)


def test_the_legend_is_the_figures_above_the_curves_and_covers_nothing():
    fig, (ax, rax) = km_plot.km_axes(3.3, 3.3)
    km_plot.plot_km(_two_groups(), "g", {1: "EMD", 0: "No EMD"}, ax=ax, risk_ax=rax)
    assert ax.get_legend() is None and len(fig.legends) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()][0].startswith("EMD (n = 4; median ")
    fig.draw_without_rendering()
    assert fig.legends[0].get_window_extent().y0 >= ax.get_window_extent().y1
    assert legend_overlaps(fig) == []
    plt.close(fig)
