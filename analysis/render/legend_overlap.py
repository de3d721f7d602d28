"""Legends that cover data: :func:`legend_overlaps` names every legend of a figure drawn over what it explains.

A reader says a legend "covers the curves" when, in the drawn figure, its box lies over a
curve, a marker, an interval or a shaded area. :func:`legend_overlaps` draws the figure
(without rendering pixels) and tests, in display coordinates, each legend's box — every
axes' legend and every figure legend — against what every axes of the figure draws in data
coordinates:

* a :class:`~matplotlib.lines.Line2D` with a line style: its drawn path (a step line's corners
  included, from its draw style) crossing or entering the box;
* a :class:`~matplotlib.lines.Line2D` with markers, a scatter (:class:`~matplotlib.collections.PathCollection`
  offsets): a marker's centre inside the box;
* a :class:`~matplotlib.collections.LineCollection` (error bars, segments): a segment crossing or entering it;
* a filled area — ``fill_between`` bands, polygons, bars (:class:`~matplotlib.patches.Patch`) —
  sharing any area with it;
* a text of an axes (``ax.text``: a p-value, a number at risk, a count beside a bar) sharing
  area with it, wherever it is placed: it is read as data.

Only what is visible and inside its axes counts (the box is clipped to each artist's clip box),
and, texts apart, only artists placed in data coordinates: grid lines and spans drawn across the
axes (``axhline``) are not data, nor are titles, axis labels and tick labels. The box is the
legend's own (entries and their padding, the frame whether drawn or not), so a curve through the
padding counts too: that is where a reader's eye goes to read the entry.

The test over every figure of the default and of a non-synthetic run calls it on each figure as
it is saved (tests/render/test_legend_overlap.py).
"""

from __future__ import annotations

import numpy as np
from matplotlib.cbook import STEP_LOOKUP_MAP
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.transforms import Bbox


def legend_overlaps(fig) -> list[str]:
    """Each legend of ``fig`` whose box covers drawn data, as one line naming the legend and what it covers.

    The figure is drawn first (``fig.draw_without_rendering()``: its layout engine runs, as on
    a save), so positions are those of the saved figure when called after
    :func:`analysis.render.save_figure`. An empty list: no legend covers anything.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1], label="rising")
    >>> _ = ax.legend(loc="upper left")
    >>> legend_overlaps(fig)
    []
    >>> _ = ax.plot([0, 1], [1, 1], label="flat at the top")
    >>> _ = ax.legend(loc="upper left")
    >>> legend_overlaps(fig)
    ["axes 1 ('', legend 'rising', 'flat at the top'): covers line 'flat at the top'"]
    >>> plt.close(fig)
    """
    fig.draw_without_rendering()
    legends = [(f"axes {i + 1} ({_title(ax)!r}, ", ax.get_legend()) for i, ax in enumerate(fig.axes)]
    legends += [(f"figure legend {i + 1} (", legend) for i, legend in enumerate(fig.legends)]
    found = []
    renderer = fig.canvas.get_renderer()
    for name, legend in legends:
        if legend is None or not legend.get_visible() or not legend.get_texts():
            continue
        box = legend.get_window_extent(renderer)
        entries = ", ".join(repr(t.get_text()) for t in legend.get_texts())
        covered = [what for ax in fig.axes for what in [*_covered(ax, box), *_texts_covered(ax, box, renderer)]]
        if covered:
            found.append(f"{name}legend {entries}): covers {'; '.join(dict.fromkeys(covered))}")
    return found


def _title(ax) -> str:
    return ax.get_title(loc="left") or ax.get_title() or ax.get_title(loc="right")


def _covered(ax, box: Bbox) -> list[str]:
    """What ``ax`` draws in data coordinates inside ``box`` (display coordinates), one description each."""
    if not ax.get_visible():
        return []
    out = []
    for artist in [*ax.lines, *ax.collections, *ax.patches]:
        if not artist.get_visible() or not _in_data(artist, ax):
            continue
        clip = _clipped(artist, box)
        if clip is None:
            continue
        what = _what(artist)
        if isinstance(artist, Line2D) and _line_covers(artist, clip):
            out.append(what)
        elif isinstance(artist, LineCollection) and _segments_cover(artist, clip):
            out.append(what)
        elif isinstance(artist, PathCollection) and _offsets_cover(artist, clip):
            out.append(what)
        elif not isinstance(artist, (Line2D, LineCollection, PathCollection)) and _area_covers(artist, clip):
            out.append(what)
    return out


def _texts_covered(ax, box: Bbox, renderer) -> list[str]:
    """The texts of ``ax`` (``ax.texts``) whose drawn box shares area with ``box``."""
    if not ax.get_visible():
        return []
    out = []
    for text in ax.texts:
        if not text.get_visible() or not text.get_text().strip():
            continue
        extent = text.get_window_extent(renderer)
        inter = Bbox.intersection(extent, box)
        if inter is not None and inter.width > 0 and inter.height > 0:
            out.append(f"text {text.get_text()!r}")
    return out


def _in_data(artist, ax) -> bool:
    """Placed in data coordinates (a scatter: its offsets), not across the axes as a grid line or a span."""
    transform = artist.get_offset_transform() if isinstance(artist, PathCollection) else artist.get_transform()
    return transform == ax.transData or transform.contains_branch(ax.transData)


def _clipped(artist, box: Bbox) -> Bbox | None:
    """``box`` within the artist's clip box (what can be seen of it there), or None when they do not meet."""
    clip = artist.get_clip_box() if artist.get_clip_on() else None
    if clip is None:
        return box
    inter = Bbox.intersection(box, clip)
    return inter if inter is not None and inter.width > 0 and inter.height > 0 else None


def _what(artist) -> str:
    label = artist.get_label()
    kind = type(artist).__name__.replace("2D", "").lower()
    return f"{kind} {label!r}" if label and not label.startswith("_") else f"unlabelled {kind}"


def _line_covers(line: Line2D, box: Bbox) -> bool:
    xy = np.asarray(line.get_xydata(), dtype=float)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if not len(xy):
        return False
    if line.get_marker() not in (None, "", " ", "None", "none") and _points_in(line.get_transform().transform(xy), box):
        return True
    if line.get_linestyle() in ("None", "none", "", " ") or line.get_linewidth() <= 0:
        return False
    steps = STEP_LOOKUP_MAP[line.get_drawstyle()](*xy.T)
    drawn = line.get_transform().transform(np.column_stack(steps))
    return _path_covers(drawn, box)


def _segments_cover(collection: LineCollection, box: Bbox) -> bool:
    transform = collection.get_transform()
    return any(_path_covers(transform.transform(np.asarray(s, dtype=float)), box) for s in collection.get_segments())


def _offsets_cover(collection: PathCollection, box: Bbox) -> bool:
    offsets = np.asarray(collection.get_offsets(), dtype=float)
    offsets = offsets[np.isfinite(offsets).all(axis=1)] if offsets.size else offsets.reshape(0, 2)
    return bool(len(offsets)) and _points_in(collection.get_offset_transform().transform(offsets), box)


def _area_covers(artist, box: Bbox) -> bool:
    """A filled patch or collection (band, polygon, bar) sharing area with ``box``."""
    if isinstance(artist, Patch):
        paths = [artist.get_path()]
        transform = artist.get_transform()
    else:
        paths, transform = artist.get_paths(), artist.get_transform()
    for path in paths:
        drawn = transform.transform_path(path)
        extent = drawn.get_extents()
        if extent.width <= 0 and extent.height <= 0:
            continue
        if drawn.intersects_bbox(box, filled=True):
            return True
    return False


def _points_in(points: np.ndarray, box: Bbox) -> bool:
    x, y = points[:, 0], points[:, 1]
    return bool(np.any((x >= box.x0) & (x <= box.x1) & (y >= box.y0) & (y <= box.y1)))


def _path_covers(vertices: np.ndarray, box: Bbox) -> bool:
    """A polyline (display coordinates) with a vertex inside ``box`` or a segment crossing it."""
    vertices = vertices[np.isfinite(vertices).all(axis=1)]
    if len(vertices) == 0:
        return False
    if _points_in(vertices, box):
        return True
    return len(vertices) > 1 and Path(vertices).intersects_bbox(box, filled=False)


__all__ = ["legend_overlaps"]
