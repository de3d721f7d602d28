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
