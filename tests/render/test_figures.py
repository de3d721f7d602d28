"""Figures are byte-identical for identical input (pinned matplotlib)."""

import matplotlib.pyplot as plt

from analysis.render.figures import PALETTE, new_figure, save_figure


def _draw(root):
    fig, ax = new_figure()
    ax.plot([0, 1, 2], [1, 0.6, 0.4], color=PALETTE[4])
    paths = save_figure(fig, "probe", root, note="SYNTHETIC DATA")
    plt.close(fig)
    return {p.suffix: p.read_bytes() for p in paths}


def test_same_figure_twice_gives_identical_bytes_in_every_format(tmp_path):
    first, second = _draw(tmp_path / "a"), _draw(tmp_path / "b")
    assert set(first) == {".png", ".svg", ".pdf"}
    assert first == second


def test_no_software_version_or_date_is_embedded(tmp_path):
    files = _draw(tmp_path)
    assert b"Matplotlib version" not in files[".png"]
    assert b"<dc:date>" not in files[".svg"]
    assert b"CreationDate" not in files[".pdf"]


def test_a_note_of_several_lines_gets_a_taller_strip(tmp_path):
    heights = {}
    for note in ("one line", "line one\nline two\nline three"):
        fig, ax = new_figure()
        save_figure(fig, "strip", tmp_path, note=note)
        # the layout is solved on the first save and then frozen: the axes start above the strip
        heights[note.count("\n") + 1] = ax.get_position().y0
        plt.close(fig)
    assert 0.05 < heights[1] < heights[3]
    assert heights[3] > 3 * 5 / 72 / new_figure()[0].get_figheight()
    plt.close("all")


def test_a_draft_run_writes_only_the_formats_asked_for(tmp_path, monkeypatch):
    import pytest

    from analysis import settings

    FIGURE_FORMATS_ENV = settings.VARIABLES["figure_formats"]
    from analysis.render.figures import FORMATS, figure_formats

    assert figure_formats("") == FORMATS and figure_formats("pdf, PNG") == ("png", "pdf")
    with pytest.raises(ValueError, match="'jpg' not known: choose among png, svg, pdf"):
        figure_formats("png,jpg")
    monkeypatch.setenv(FIGURE_FORMATS_ENV, "png")
    draft = _draw(tmp_path / "draft")
    assert sorted((tmp_path / "draft" / "figures").iterdir()) == [tmp_path / "draft" / "figures" / "probe.png"]
    monkeypatch.delenv(FIGURE_FORMATS_ENV)
    assert draft == {".png": _draw(tmp_path / "full")[".png"]}  # the same PNG as a full run's
