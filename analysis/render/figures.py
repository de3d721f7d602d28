"""Figure style and the one place where figures are saved.

Style: journal column sizes (single 85 mm, double 175 mm), 8-pt sans-serif
text, the Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color
Universal Design"), no top/right spines, on top of matplotlib's own defaults
(a user's ``matplotlibrc`` is not read into the compendium's figures). Plot
helpers elsewhere take ``ax=None`` and return the axes; only :func:`save_figure`
writes files.

Inline display: in a notebook kernel, :func:`save_figure` also shows the figure
once, as a PNG it renders itself at :data:`INLINE_DPI` (screen resolution: a
double-column figure is ~830 pixels wide; the 300-dpi PNG, the SVG and the PDF
stay in ``figures/``), and closes it. The notebook's bytes therefore do not
depend on the matplotlib backend of the kernel (``inline``, or ``Agg`` as the
runner sets it), and the executed notebooks show every figure where the prose
discusses it.

Formats: all of :data:`FORMATS` by default. ``COMPENDIUM_FIGURE_FORMATS`` (set by
``python -m analysis run --figure-formats png``) keeps a subset — a draft run for
a quick look at a centre's data, or the test that runs every notebook on every
degenerate cohort: the PDF's TrueType subsetting (fontTools, ~0.4 s a figure) and
the SVG cost more than the drawing. The inline copy is shown either way.

Byte-identical output (matplotlib documents each switch): PNG without the
``Software`` tEXt chunk; SVG with a fixed ``svg.hashsalt`` and no ``Date`` or
``Creator``; PDF without ``CreationDate``, ``Creator`` and ``Producer``. Bytes
are only promised for the pinned matplotlib/FreeType (requirements.lock).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt

from .. import settings
from ..atomic import write_bytes
from ..exceptions import UsageError

MM = 1 / 25.4
SINGLE_COLUMN = 85 * MM
DOUBLE_COLUMN = 175 * MM
#: Okabe–Ito palette (black excluded), in its usual order.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300
#: Resolution of the copy shown inside a notebook (readable on screen, ~30–90 kB a figure).
INLINE_DPI = 120
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": PNG_DPI,
    "font.family": "DejaVu Sans",  # shipped with matplotlib: same glyphs on every machine
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "svg.hashsalt": "debulking-bsab-compendium",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "figure.constrained_layout.use": True,
}


def use_style() -> None:
    """Reset matplotlib's global rcParams to its defaults, then apply the compendium style."""
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(STYLE)


def new_figure(width: float = SINGLE_COLUMN, height: float | None = None, **kwargs):
    """A styled figure and axes; ``width``/``height`` in inches (default 85 mm × 0.75 × width)."""
    use_style()
    return plt.subplots(figsize=(width, height or width * 0.75), **kwargs)


@dataclass(frozen=True)
class NotDrawn:
    """A figure deliberately not drawn, and why (e.g. patient-level on real data, nothing to plot).

    Returned by a figure function in place of a figure; :func:`save_figure` then prints
    one line, "Not drawn: <reason>", and writes nothing, so the notebook cell stays one call.
    """

    reason: str


def save_figure(fig, name: str, output_root: Path, note: str | None = None) -> list[Path]:
    """Write ``fig`` as ``figures/<name>.{png,svg,pdf}`` under ``output_root``; in a notebook, show it.

    ``note`` (e.g. the synthetic-data statement) is printed small at the
    bottom-left of the figure; a note of several lines (``\\n``) gets a strip
    tall enough for all of them (a one-line note keeps the 5% strip, so existing
    figures keep their bytes). Each file is written to a temporary name and
    renamed (:mod:`analysis.atomic`), so a crash never leaves a half-written figure.
    In a notebook kernel the figure is then displayed once (:func:`show_inline`) and
    closed. Returns the paths; a :class:`NotDrawn` prints its reason and returns ``[]``.
    """
    if isinstance(fig, NotDrawn):
        print(f"Not drawn ({name}): {fig.reason}")
        return []
    if note:
        engine = fig.get_layout_engine()
        if engine is not None and hasattr(engine, "set"):
            lines = note.count("\n") + 1
            # 5-pt text: ~6.5 pt per line plus a margin, as a share of the figure's height
            strip = 0.05 if lines == 1 else min(0.4, (6.5 * lines + 4) / 72 / fig.get_figheight())
            engine.set(rect=(0, strip, 1, 1 - strip))  # keep a strip free for the note
        fig.text(0.005, 0.005, note, fontsize=5, color="#555555", ha="left", va="bottom")
    folder = Path(output_root) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for k, fmt in enumerate(figure_formats()):
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata=_METADATA[fmt], dpi=PNG_DPI)
        written.append(write_bytes(folder / f"{name}.{fmt}", buf.getvalue()))
        if k == 0 and fig.get_layout_engine() is not None:
            # the layout is solved once, on the first (PNG) draw, and kept for the other formats and the
            # inline copy: every file shows the same layout, and each save does not solve it again
            fig.set_layout_engine("none")
    if _in_kernel():
        show_inline(fig)
    return written


def figure_formats(text: str | None = None) -> tuple[str, ...]:
    """The formats :func:`save_figure` writes: ``text`` (default: ``$COMPENDIUM_FIGURE_FORMATS``), e.g.
    ``"png"`` or ``"png,pdf"``, in :data:`FORMATS` order; empty or unset = all of them."""
    text = settings.current().figure_formats if text is None else text
    asked = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in asked if f not in FORMATS]
    if unknown:
        raise UsageError(
            f"figure format(s) {', '.join(map(repr, unknown))} not known: choose among "
            f"{', '.join(FORMATS)} (comma-separated), or leave {settings.VARIABLES['figure_formats']} unset for all three."
        )
    return tuple(f for f in FORMATS if f in asked) if asked else FORMATS


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def inline_png(fig) -> bytes:
    """The figure as the PNG a notebook shows: :data:`INLINE_DPI`, no software stamp (same bytes every run)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata=_METADATA["png"], dpi=INLINE_DPI)
    return buf.getvalue()


def show_inline(fig) -> None:
    """Display ``fig`` in the notebook as one PNG (:func:`inline_png`) and close it.

    Closing keeps an ``inline`` backend from showing the same figure a second time
    at the end of the cell.
    """
    from IPython.display import Image, display

    display(Image(data=inline_png(fig), format="png"))
    plt.close(fig)
