"""KM overlay: the cohort's curve over a reference curve and the ensemble band, numbers at risk for both."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from analysis.render.km_overlay import band_text, plot_km_overlay
from analysis.stats import ensemble

COHORT = ([1, 2, 3, 5, 8], [1, 0, 1, 1, 0])
REFS = [([1, 2, 3, 4, 6, 9], [1, 1, 0, 1, 1, 0]), ([2, 3, 3, 7, 10], [1, 0, 1, 1, 0]), ([1, 4, 6, 12], [0, 1, 1, 0])]


def test_band_curves_and_numbers_at_risk_for_both():
    fig, (ax, rax) = plt.subplots(2, 1)
    assert plot_km_overlay(
        *COHORT, REFS, labels=("Centre", "Paper"), coverage=1, ax=ax, risk_ax=rax, ticks=[0, 3, 6, 9, 12]
    ) == (ax, rax)
    band = ax.collections[0]  # fill_between: the ensemble's min–max
    want = ensemble.ensemble_band(REFS, coverage=1)
    assert band.get_label() == "range of 3 reference curves" == band_text(3, 1)
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(np.nanmin(want["lower"])) and ys.max() == pytest.approx(1.0)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[1].startswith("Paper\nn = 6, median ") and legend[2].startswith("Centre\nn = 5, median ")
    rows = {}
    for text in rax.texts:
        rows.setdefault(round(text.get_position()[1]), []).append(text.get_text())
    assert rows[0] == ["5", "3", "1", "0", "0"]  # cohort: time ≥ 0, 3, 6, 9, 12
    assert rows[1] == ["6", "4", "2", "1", "0"]  # the first reference, drawn as the curve
    assert [t.get_text() for t in rax.get_yticklabels()] == ["Centre", "Paper"]
    plt.close(fig)


def test_a_given_reference_curve_and_a_central_band_without_risk_table():
    fig, ax = plt.subplots()
    main = ([2, 4, 6, 8, 10, 12, 14], [1, 1, 1, 0, 1, 0, 0])
    out = plot_km_overlay(*COHORT, REFS, reference=main, ax=ax, band_label="reconstructions")
    assert out == (ax, None)
    assert ax.collections[0].get_label() == "reconstructions"
    assert ax.get_legend().get_texts()[1].get_text().startswith("Reference\nn = 7")
    assert ax.get_xlabel() == "Months from first bispecific dose"
    plt.close(fig)


def test_empty_cohort_draws_the_reference_only_and_no_reference_is_refused():
    fig, (ax, rax) = plt.subplots(2, 1)
    plot_km_overlay([], [], REFS, ax=ax, risk_ax=rax)
    assert len(ax.get_legend().get_texts()) == 2  # band and reference
    with pytest.raises(ValueError, match="references is empty"):
        plot_km_overlay(*COHORT, [], ax=ax)
    plt.close(fig)


def test_legend_above_the_curves_under_its_title_and_a_long_risk_row_name_on_two_lines():
    from analysis.render.legend_overlap import legend_overlaps

    fig, (ax, rax) = plt.subplots(2, 1, layout="constrained")
    plot_km_overlay(*COHORT, REFS, labels=("Centre", "Published (reconstruction)"), ax=ax, risk_ax=rax, title="EMD")
    assert [t.get_text() for t in rax.get_yticklabels()] == ["Centre", "Published\n(reconstruction)"]
    assert ax.get_legend().get_texts()[1].get_text().startswith("Published (reconstruction)\nn = 6")
    assert ax.get_title(loc="left") == "EMD"
    fig.draw_without_rendering()
    legend, title = ax.get_legend().get_window_extent(), ax.title.get_window_extent()
    assert ax.get_window_extent().y1 <= legend.y0 and legend.y1 <= title.y0  # curves, legend, title
    assert legend_overlaps(fig) == []
    plt.close(fig)
