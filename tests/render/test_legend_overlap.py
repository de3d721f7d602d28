"""No legend covers data: legend_overlaps on hand-made figures, then on every figure of two whole runs.

The unit tests draw figures whose legend does and does not cover a line, a step line between its
corners, markers, error bars, a band, bars and a text, so that the check can fail. Then all five
notebooks run in this process (tests/fixtures/in_process.py) on the default synthetic cohort (its
default parameters) and on a centre's cohort without provenance (part of the synthetic cohort,
written without its provenance note, as tests/pipeline/test_runner.py makes one; a draft run's
parameters), and every figure is checked as it is saved: after :func:`analysis.render.save_figure`
has laid it out with its note, so the positions checked are those of the file.
"""

import json
from pathlib import Path

import in_process  # tests/fixtures/in_process.py, registered by tests/conftest.py
import matplotlib.pyplot as plt
import numpy as np
import pytest

from analysis import paths
from analysis.data.io import read_table
from analysis.render import figures
from analysis.render.legend_overlap import legend_overlaps


@pytest.fixture
def fig_ax():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 1)
    yield fig, ax
    plt.close(fig)


def _legend(ax, loc="upper right", **kwargs):
    return ax.legend(loc=loc, frameon=False, **kwargs)


def test_a_legend_over_a_line_is_found_and_a_legend_away_from_it_is_not(fig_ax):
    fig, ax = fig_ax
    ax.plot([0, 10], [1, 0], label="falling")  # upper left to lower right
    _legend(ax, "upper right")
    assert legend_overlaps(fig) == []
    _legend(ax, "upper left")
    found = legend_overlaps(fig)
    assert len(found) == 1 and "covers line 'falling'" in found[0]


def test_a_step_line_through_the_box_between_its_corners_counts(fig_ax):
    fig, ax = fig_ax
    # steps-post: flat at 0.95 from 0 to 10, no vertex anywhere near the upper-right corner's box
    ax.step([0, 10], [0.95, 0.95], where="post", label="flat, high")
    _legend(ax, "upper right")
    assert "covers line 'flat, high'" in legend_overlaps(fig)[0]
    _legend(ax, "lower right")
    assert legend_overlaps(fig) == []


def test_markers_error_bars_bands_bars_and_texts_each_count(fig_ax):
    fig, ax = fig_ax
    ax.plot([], [], label="an entry")
    _legend(ax, "upper right")
    fig.draw_without_rendering()
    x0, y0, x1, y1 = ax.get_legend().get_window_extent().transformed(ax.transData.inverted()).extents
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    drawers = {
        "line": lambda: ax.plot([cx], [cy], "o", label="marker"),
        "pathcollection": lambda: ax.scatter([cx], [cy], label="scatter"),
        "linecollection": lambda: ax.errorbar([1], [cy], xerr=[[0], [cx]], fmt="none", label="interval"),
        "fillbetweenpolycollection": lambda: ax.fill_between([0, 10], cy - 0.01, cy + 0.01, label="band"),
        "rectangle": lambda: ax.bar([cx], [1.0], width=0.2, label="bar"),
        "text": lambda: ax.text(cx, cy, "p = 0.05"),
    }
    for kind, draw in drawers.items():
        ax.clear()
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 1)
        draw()
        ax.plot([], [], label="an entry")
        _legend(ax, "upper right")
        found = legend_overlaps(fig)
        assert len(found) == 1 and f"covers {kind}" in found[0].replace("unlabelled ", ""), (kind, found)


def test_grid_lines_hidden_artists_and_a_legend_outside_the_axes_cover_nothing(fig_ax):
    fig, ax = fig_ax
    ax.axhline(0.9, color="#DDDDDD")  # across the axes: not data
    ax.plot([0, 10], [0.95, 0.95], label="hidden")[0].set_visible(False)
    ax.plot([0, 10], [1, 1], label="at the top")
    _legend(ax, "lower left", bbox_to_anchor=(0, 1.0))  # above the axes, over nothing
    assert legend_overlaps(fig) == []
    ax.plot([0, 10], [0.5, 0.5], label="across the middle")
    fig.legend(loc="center")  # a figure legend in the middle of the data
    found = legend_overlaps(fig)
    assert len(found) == 1 and found[0].startswith("figure legend 1")


# ----------------------------------------------------------------------------- every figure of two runs
#: A draft run's parameters for the centre's cohort (200 bootstrap resamples, five reconstructions).
DRAFT = {"n_bootstrap": 200, "max_cohorts": 5}


def _default_figures() -> set[str]:
    """The figures the default run makes, from the committed executed notebooks' metadata."""
    outputs = [
        f
        for nb in sorted(paths.EXECUTED.glob("*.ipynb"))
        for f in json.loads(nb.read_text(encoding="utf-8"))["metadata"]["compendium"]["outputs"]
    ]
    return {Path(f).stem for f in outputs if f.startswith("figures/")}


def _centre_cohort(folder: Path) -> Path:
    """A centre's cohort: 30 patients of the synthetic cohort, written without its provenance (not synthetic)."""
    path = folder / "centre.csv"
    read_table(paths.DEFAULT_SYNTHETIC).iloc[5:35].to_csv(path, index=False)
    return path


@pytest.mark.parametrize("cohort", ["default synthetic", "centre without provenance"])
def test_no_legend_of_any_figure_covers_data(cohort, tmp_path, monkeypatch):
    from analysis.pipeline import orchestrate

    parameters = {} if cohort == "default synthetic" else {"data_path": str(_centre_cohort(tmp_path)), **DRAFT}
    checked: dict[str, list[str]] = {}
    save = figures.save_figure

    def checking_save_figure(fig, name, output_root, note=None):
        written = save(fig, name, output_root, note=note)
        if not isinstance(fig, figures.NotDrawn):
            checked[name] = legend_overlaps(fig)  # after the save: the layout of the file, note included
        return written

    # in_process wraps whatever figures.save_figure is when a notebook starts: this check runs inside
    monkeypatch.setattr(figures, "save_figure", checking_save_figure)
    drawn, not_drawn = set(), set()
    for source in orchestrate.notebook_sources():
        run = in_process.execute(source, parameters, tmp_path / "run", monkeypatch)
        assert run.ok, f"{cohort} / {run.notebook}, {run.error}"
        drawn |= set(run.figures)
        not_drawn |= set(run.not_drawn)
    assert set(checked) == drawn and drawn | not_drawn == _default_figures()
    if cohort == "default synthetic":
        assert not_drawn == set()  # every figure drawn, every one checked
    covering = {name: found for name, found in checked.items() if found}
    assert covering == {}, "\n".join(f"{name}: {line}" for name, found in covering.items() for line in found)


def test_the_check_would_have_caught_the_published_os_figure_before_its_legends_moved():
    # the OS "No EMD" panel as it was drawn: legend inside, upper right, over curves that stay high
    fig, ax = plt.subplots(figsize=(2.3, 2.3))
    t = np.array([0, 6, 9, 12, 18, 30.0])
    ax.step(t, [1, 0.95, 0.85, 0.74, 0.61, 0.54], where="post", label="This cohort (n = 22, median NR)")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper right", frameon=False, fontsize=5)
    assert legend_overlaps(fig)
    plt.close(fig)
