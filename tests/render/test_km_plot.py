"""Kaplan–Meier and cumulative-incidence figures: degenerate data draw, helpers return their axes."""

import matplotlib.pyplot as plt
import pandas as pd

from analysis.render import km_plot
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
