"""Forest plot of rates: one line per label, series side by side, returns its axes; degenerate rows draw."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.render.forest import plot_forest


def _rows():
    return pd.DataFrame(
        {
            "label": ["ORR", "ORR", "CRS", "CRS", "ICANS", "ICANS"],
            "series": ["cohort", "paper"] * 3,
            "estimate": [60, 64, 50, 64, np.nan, 7],
            "lower": [30, 47, 20, 48, np.nan, 1],
            "upper": [85, 79, 80, 78, np.nan, 19],
        }
    )


def test_labels_top_to_bottom_and_one_errorbar_series_each():
    fig, ax = plt.subplots()
    assert plot_forest(_rows(), ax=ax, xlabel="%", xlim=(0, 100)) is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ORR", "CRS", "ICANS"]
    assert ax.get_ylim() == (2.5, -0.5)  # first label on top
    points = [line for line in ax.get_lines() if line.get_marker() in ("o", "s")]
    assert [len(p.get_xdata()) for p in points] == [2, 3]  # the cohort's ICANS (no estimate) is not drawn
    np.testing.assert_allclose(points[1].get_xdata(), [64, 64, 7])
    np.testing.assert_allclose(points[0].get_ydata(), [-0.18, 0.82])  # offset within its line
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cohort", "paper"]
    assert ax.get_xlim() == (0, 100) and ax.get_xlabel() == "%"
    plt.close(fig)


def test_one_series_and_no_legend_and_the_current_axes():
    fig, ax = plt.subplots()
    one = _rows()[lambda d: d["series"] == "paper"]
    assert plot_forest(one, legend=False) is ax
    assert ax.get_legend() is None
    plt.close(fig)


def test_too_many_series_is_refused():
    rows = pd.DataFrame({"label": "x", "series": list("abcde"), "estimate": 1.0, "lower": 0.0, "upper": 2.0})
    with pytest.raises(ValueError, match="at most 4 series"):
        plot_forest(rows)
    plt.close("all")


def test_counts_print_k_over_n_on_every_row_right_of_the_axes_in_the_series_colour():
    rows = _rows().assign(k=[6, 16, 5, 16, 0, 3], n=[10, 25, 10, 25, 0, 44])
    rows["k"] = rows["k"].astype("Int64").mask(rows.index == 5)  # a missing count prints "—"
    fig, ax = plt.subplots()
    plot_forest(rows, ax=ax, counts=("k", "n"))
    texts = [(t.get_text(), t.get_position()) for t in ax.texts]
    assert [t for t, _ in texts] == ["6/10", "5/10", "0/0", "16/25", "16/25", "—", "k/n"]
    assert [pos[1] for _, pos in texts[:6]] == pytest.approx([-0.18, 0.82, 1.82, 0.18, 1.18, 2.18])
    assert all(pos[0] == 1.02 for _, pos in texts)  # right of the axes (x in axes units)
    assert ax.texts[0].get_color() != ax.texts[3].get_color()
    plt.close(fig)
