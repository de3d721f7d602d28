"""The notebooks' published-claims sections in one call, and the "this cohort vs the published study" outputs.

* :func:`display` — the rounded comparison table (every number through
  :mod:`analysis.render.numbers`); :mod:`analysis.paper.compare` computes it.
* :func:`section` — the table a notebook shows under its claims heading: on a
  reconstruction of the paper (the synthetic default) the reproduction check
  of :func:`analysis.paper.reconcile.published_vs_reproduced`, unchanged; on any
  other data the comparison of :func:`analysis.paper.compare.cohort_vs_published`
  (:func:`analysis.paper.compare.mode` decides from the provenance).
* :func:`export` — ``results/<name>.{csv,md,html,xlsx}`` (the display table, its
  framing as caption, the data statement as footnote) and
  ``results/<name>_values.csv`` (unrounded), through :mod:`analysis.render`.
* :func:`rates_figure` — the forest plot of the key rates, this cohort beside the
  published study, exact (Clopper–Pearson) 95% CIs.
* :func:`km_figure` — Kaplan–Meier curves of this cohort over the reconstructed
  published curves (overall and per group), the ensemble's spread as a band,
  numbers at risk for both, and the log-rank test against every reconstruction
  summarised as a range (:func:`logrank_summary`). :data:`RECONSTRUCTION_NOTE`
  goes under the figure (:func:`reconstruction_note`): a reconstruction is not data.
* :func:`landmark_summary` — 6- and 12-month survival of this cohort (with CI) beside the
  reconstructions' (median and spread); the paper prints no landmark survival of its own.

:mod:`analysis.paper.compare` holds the comparisons and stays free of
rendering; this module only arranges and writes them.

Why one module of over 400 lines: it is the one entry point the notebooks call for every
published-claims section and for both comparisons with the paper (claims table, KM overlays), so that
a notebook cell stays one call; the rendering is in :mod:`analysis.render`.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..data import derive
from ..data.cohort import load_cohort
from ..paper import compare, quantities, reconcile
from ..render import DOUBLE_COLUMN, SINGLE_COLUMN, export_table, new_figure, save_table
from ..render import numbers as fmt
from ..render.forest import plot_forest
from ..render.km_overlay import plot_km_overlay
from ..stats import ensemble, survival
from .outcomes import ENDPOINT_LABELS, endpoint_frame

#: The table formats written by :func:`export` (the issue's list; LaTeX is not asked for).
FORMATS = ("csv", "md", "html", "xlsx")
#: Printed under every figure that draws the published cohort from its reconstruction.
RECONSTRUCTION_NOTE = (
    "Published curves: a reconstruction (synthetic cohorts calibrated to the paper's printed "
    "numbers), not the paper's patients. A reconstruction is not data: the band shows how much the "
    "reconstructions differ, and the log-rank p-values compare this cohort with each of them."
)
PUBLISHED_LABEL = "Published (reconstruction)"
#: Characters per inch of the 5-pt caption, to wrap it to the figure's width.
_CAPTION_CHARS_PER_INCH = 26
LOGRANK_COLUMNS = ["panel", "n_references", "p_min", "p_median", "p_max", "p_below_0.05"]
LANDMARK_COLUMNS = [
    "panel",
    "time",
    "n_risk",
    "cohort_surv",
    "cohort_lower",
    "cohort_upper",
    "reference_middle",
    "reference_lower",
    "reference_upper",
    "n_references",
]


DISPLAY_COLUMNS = [
    "Quantity",
    "Paper (as printed)",
    "Compared (paper)",
    "This cohort",
    "Difference or ratio (95% CI)",
    "p (unadjusted)",
    "p (Holm)",
    "Holm family",
    "Flag",
    "Note",
    "Registry id",
]


def _percent_text(k, n) -> str:
    """k/N with its percentage (one decimal): the numbers a comparison uses, as a reader checks them."""
    return f"{k}/{n} ({fmt.fixed(100 * k / n, 1)}%)" if n else f"{k}/{n}"


def _points(x, signed: bool = False) -> str:
    """A difference of proportions in percentage points, one decimal; ``signed`` puts "+" before a positive one."""
    text = fmt.fixed(100 * x, 1)
    return f"+{text}" if signed and x > 0 and text != "0.0" else text


def _some(n) -> bool:
    """A patient count that is there and above zero (``cohort_n`` is nullable)."""
    return not pd.isna(n) and n > 0


def _cohort_text(r) -> str:
    if r["comparison"] == compare.TESTED or (r["unit"] == "proportion" and not pd.isna(r["cohort_n"])):
        return _percent_text(r["cohort_k"], r["cohort_n"])
    if r["kind"] == "median_range" and _some(r["cohort_n"]):
        ci = (
            ""
            if pd.isna(r["cohort_lower"])
            else f"; 95% CI {fmt.number(r['cohort_lower'])}–{fmt.number(r['cohort_upper'])}"
        )
        return f"{fmt.number(r['cohort_value'])} ({fmt.number(r['cohort_min'])}–{fmt.number(r['cohort_max'])}){ci}"
    if r["kind"] in ("km_median", "external") and _some(r["cohort_n"]):
        return (
            f"{fmt.months(r['cohort_value'])} (95% CI {fmt.interval(r['cohort_lower'], r['cohort_upper'])}), "
            f"n = {r['cohort_n']}"
        )
    if r["kind"] == "logrank_p" and not pd.isna(r["cohort_value"]):
        return f"p = {fmt.p_value(r['cohort_value'])}"
    if r["kind"] in ("proportion", "count") and not pd.isna(r["cohort_k"]):
        return f"{r['cohort_k']}" if r["kind"] == "count" else f"{r['cohort_k']}/{r['cohort_n']}"
    return ""


def _effect_text(r) -> str:
    if r["comparison"] == compare.NOT_COMPARABLE:
        return "not comparable"
    if r["comparison"] == compare.CONTEXT:
        return "other population: no test"
    if r["comparison"] == compare.TESTED and not pd.isna(r["difference"]):
        return (
            f"{_points(r['difference'], signed=True)} points ({_points(r['difference_lower'])} to "
            f"{_points(r['difference_upper'])})"
        )
    if r["comparison"] == compare.APPROXIMATE:
        return (
            f"ratio {fmt.fixed(r['ratio'], 2)} ({fmt.fixed(r['ratio_lower'], 2)} to {fmt.fixed(r['ratio_upper'], 2)}), "
            f"approximate"
        )
    return fmt.MISSING


def _family_text(r) -> str:
    return f"{r['family']}, {r['family_size']} tests" if r["family"] else ""


def _registry_text(r) -> str:
    q = quantities.by_claim().get(r["claim_id"])
    others = q.claims[1:] if q is not None else ()
    return r["claim_id"] + (f" (also {', '.join(others)})" if others else "")


def _display_row(r) -> list:
    p_holm = fmt.p_value(r["p_holm"]) + (" (approximate)" if r["comparison"] == compare.APPROXIMATE else "")
    p_raw = fmt.p_value(r["p_value"]) + (" (approximate)" if r["comparison"] == compare.APPROXIMATE else "")
    return [
        r["label"],
        r["published"],
        r["published_compared"],
        _cohort_text(r),
        _effect_text(r),
        p_raw if not pd.isna(r["p_value"]) else fmt.MISSING,
        p_holm if not pd.isna(r["p_holm"]) else fmt.MISSING,
        _family_text(r),
        r["flag"],
        r["note"],
        _registry_text(r),
    ]


def display(values: pd.DataFrame) -> pd.DataFrame:
    """The rounded table a reader sees (:data:`DISPLAY_COLUMNS`), one row per quantity of ``values``
    (:func:`analysis.paper.compare.cohort_vs_published`): the quantity in words with population and unit,
    the paper's printed text verbatim, the numbers compared and the audit's flag where they disagree;
    every number through :mod:`analysis.render.numbers`: proportions "k/N (%)" with one decimal,
    differences in percentage points with one decimal, ratios of medians with two, months with one
    decimal, p with three ("<0.001"), the Holm family and its size beside the adjusted p."""
    return pd.DataFrame([_display_row(r) for _, r in values.iterrows()], columns=DISPLAY_COLUMNS)


def section(cohort, sections) -> pd.DataFrame:
    """The published-claims table for ``sections``: reproduction check or comparison, by the data's provenance.

    In comparison mode the framing sentence (:func:`analysis.paper.compare.framing`:
    descriptive, number of comparisons, unadjusted and Holm p) is printed first.

    Parameters
    ----------
    cohort : analysis.data.cohort.Cohort
    sections : list of str
        Claim sections, as passed to :func:`analysis.paper.reconcile.published_vs_reproduced`.
    """
    if compare.mode(cohort) == "reproduction":
        return reconcile.published_vs_reproduced(cohort.patients, sections)
    whole = comparison(cohort)
    values = whole[whole["section"].isin(sections)].reset_index(drop=True)
    print(compare.framing(values))
    return display(values)


_COMPARISONS: dict[tuple, pd.DataFrame] = {}


def comparison(cohort) -> pd.DataFrame:
    """:func:`analysis.paper.compare.cohort_vs_published` of the whole registry for ``cohort``, computed once
    per data content (the SHA-256 of its files: a cohort is made only by reading them) and shared by every
    section and the exported table — the same rows, so the same adjusted p, wherever they are shown."""
    key = tuple(s.sha256 for s in (cohort.sources or (cohort.source,)))
    if key not in _COMPARISONS:
        if len(_COMPARISONS) >= 8:
            _COMPARISONS.clear()
        _COMPARISONS[key] = compare.cohort_vs_published(cohort.patients)
    return _COMPARISONS[key].copy()


def export(values: pd.DataFrame, output_root: Path, note: str = "", name: str = "cohort_vs_published") -> list[Path]:
    """Write the comparison (``values`` from :func:`analysis.paper.compare.cohort_vs_published`).

    ``results/<name>.{csv,md,html,xlsx}`` hold the display table with the framing
    as caption and ``note`` (the data statement) as footnote;
    ``results/<name>_values.csv`` the unrounded values. Returns the paths.
    """
    written = export_table(
        display(values), name, output_root, caption=compare.framing(values), note=note, formats=FORMATS
    )
    return [*written, save_table(values, f"{name}_values", output_root)]


def rates_figure(patients: pd.DataFrame, cohort_label: str = "This cohort", published_label: str = "Published study"):
    """The key-rates forest plot (:data:`analysis.paper.compare.KEY_RATES`), in percent with exact 95% CIs.

    Every row prints its k/n right of the axes, for this cohort and for the published study
    alike: the two series often rest on different denominators (ORR after C6, 9/13 here beside
    18/21 published), and an interval's width says so less plainly than its count.

    Returns (fig, ax, rows): the figure, its axes and the plotted rows
    (:func:`analysis.paper.compare.key_rates`, fractions). Save with
    ``save_figure(fig, "rates_vs_published", ctx.out, note=ctx.note)``.
    """
    rows = compare.key_rates(patients, cohort_label=cohort_label, published_label=published_label)
    shown = rows.assign(**{c: 100 * rows[c] for c in ("estimate", "lower", "upper")})
    fig, ax = new_figure(SINGLE_COLUMN, SINGLE_COLUMN * 0.9)
    plot_forest(shown, ax=ax, xlabel="Patients, % (exact 95% CI)", xlim=(0, 100), counts=("k", "n"))
    return fig, ax, rows


def reference_frames(patient_tables, endpoint: str) -> list[pd.DataFrame]:
    """Each validated patient table (e.g. an ensemble of reconstructions) as a ``time``/``event`` frame of
    ``endpoint`` with the subject-level columns (:func:`analysis.study.outcomes.endpoint_frame`)."""
    return [endpoint_frame(derive.time_to_event(p), derive.subject_level(p), endpoint) for p in patient_tables]


def _panels(frame: pd.DataFrame, by, labels):
    # only time and event are read from a panel: splitting ~70 subject-level columns 40 reconstructions
    # × 4 times a figure cost more than the figure
    frame = frame[["time", "event", *([by] if by is not None else [])]]
    panels = [("All patients", frame)]
    if by is not None:
        panels += [(str(name), part) for name, part in survival.groups(frame, by, labels)]
    return panels


def _pairs(frames) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(f["time"].to_numpy(dtype=float), f["event"].to_numpy(dtype=float)) for f in frames]


def logrank_summary(frame: pd.DataFrame, references, by: str | None = None, labels: dict | None = None) -> pd.DataFrame:
    """The log-rank test of this cohort against each reference, per panel, as a range.

    Parameters
    ----------
    frame : DataFrame
        This cohort's ``time``, ``event`` (and ``by``) rows (:func:`analysis.study.outcomes.endpoint_frame`).
    references : list of DataFrame
        The reference cohorts, same columns (:func:`reference_frames`).
    by, labels : optional (default=None)
        A grouping column (e.g. ``extramedullary``) and its labels: one panel per group after "All patients".

    Returns
    -------
    pandas.DataFrame
        One row per panel: ``panel``, ``n_references`` (with an estimable p),
        ``p_min``, ``p_median``, ``p_max``, ``p_below_0.05`` (how many).
    """
    rows = []
    ref_panels = [dict(_panels(r, by, labels)) for r in references]
    for name, part in _panels(frame, by, labels):
        refs = _pairs(rp[name] for rp in ref_panels if name in rp)
        tested = ensemble.logrank_against(part["time"], part["event"], refs)
        r = ensemble.p_range(tested)
        rows.append([name, r.n, r.min, r.median, r.max, r.below_alpha])
    return pd.DataFrame(rows, columns=LOGRANK_COLUMNS)


def landmark_summary(
    frame: pd.DataFrame,
    references,
    times=(6.0, 12.0),
    by: str | None = None,
    labels: dict | None = None,
    coverage: float = 0.95,
) -> pd.DataFrame:
    """Landmark survival: this cohort's S(t) and 95% CI beside the reconstructions' S(t), per panel.

    The paper prints no landmark survival, so the published side exists only as its reconstruction:
    the pointwise median of S(t) over the references and their central ``coverage`` range
    (:func:`analysis.stats.ensemble.ensemble_band`) — the spread of the reconstruction, not a CI.
    This cohort's side is :func:`analysis.stats.survival.survival_at` (R ``summary(survfit, times)``,
    log CI). No test: see :func:`logrank_summary` for the curves.

    Returns
    -------
    pandas.DataFrame
        One row per panel × time, columns :data:`LANDMARK_COLUMNS`.
    """
    rows = []
    ref_panels = [dict(_panels(r, by, labels)) for r in references]
    for name, part in _panels(frame, by, labels):
        own = survival.survival_at(part["time"], part["event"], times) if len(part) else None
        refs = _pairs(rp[name] for rp in ref_panels if name in rp)
        band = ensemble.ensemble_band(refs, grid=list(times), coverage=coverage) if refs else None
        for i, t in enumerate(times):
            mine = [np.nan] * 4 if own is None else list(own.loc[i, ["n_risk", "surv", "lower", "upper"]])
            ref = [np.nan] * 3 + [0] if band is None else list(band.loc[i, ["middle", "lower", "upper", "n_curves"]])
            rows.append([name, float(t), *mine, *ref])
    table = pd.DataFrame(rows, columns=LANDMARK_COLUMNS)
    table[["n_risk", "n_references"]] = table[["n_risk", "n_references"]].astype("Int64")
    return table


def km_figure(
    frame: pd.DataFrame,
    references,
    by: str | None = None,
    labels: dict | None = None,
    reference: pd.DataFrame | None = None,
    coverage: float = 0.95,
    cohort_label: str = "This cohort",
    ylabel: str = "Survival probability",
):
    """This cohort's Kaplan–Meier curves over the reconstructed published ones, one panel per group.

    Parameters
    ----------
    frame, references, by, labels
        As in :func:`logrank_summary`.
    reference : DataFrame, optional (default=None: ``references[0]``)
        The reconstruction drawn as the published curve (e.g. the committed calibrated cohort); its legend
        entry and its row of numbers at risk read :data:`PUBLISHED_LABEL`, since neither is the paper's.
    coverage : float, optional (default=0.95)
        Central share of the reconstructions inside the band (1 = min–max).

    Returns
    -------
    (fig, axes, logrank)
        ``axes`` is a 2 × panels array (curves above, numbers at risk below);
        ``logrank`` is :func:`logrank_summary`. Save with ``save_figure(fig, "km_vs_published_pfs", ctx.out,
        note=reconstruction_note(ctx.note, fig))``, which prints :data:`RECONSTRUCTION_NOTE` under the figure.
    """
    references = list(references)
    if not references:
        raise ValueError("no reference cohorts given; pass the reconstructions of the published cohort")
    panels = _panels(frame, by, labels)
    ref_panels = [dict(_panels(r, by, labels)) for r in references]
    main = dict(_panels(reference, by, labels)) if reference is not None else ref_panels[0]
    width = SINGLE_COLUMN if len(panels) == 1 else DOUBLE_COLUMN
    fig, axes = new_figure(
        width, SINGLE_COLUMN * 1.05, nrows=2, ncols=len(panels), squeeze=False, gridspec_kw={"height_ratios": [4, 1.2]}
    )
    logrank = logrank_summary(frame, references, by, labels)
    for k, (name, part) in enumerate(panels):
        refs = _pairs(rp[name] for rp in ref_panels if name in rp)
        ax, risk_ax = axes[0, k], axes[1, k]
        if not refs or name not in main:
            ax.text(0.5, 0.5, f"{name}: no reference patients", ha="center", va="center", transform=ax.transAxes)
            risk_ax.set_axis_off()
            continue
        share = "range" if coverage >= 1 else f"central {100 * coverage:g}%"
        plot_km_overlay(
            part["time"],
            part["event"],
            refs,
            reference=_pairs([main[name]])[0],
            labels=(cohort_label, PUBLISHED_LABEL),
            coverage=coverage,
            ax=ax,
            risk_ax=risk_ax,
            ylabel=ylabel if k == 0 else "",
            risk_labels=k == 0,
            band_label=f"{len(refs)} reconstructions,\n{share}",  # two lines: the legend fits the panel
            title=name,
        )
        row = logrank[logrank["panel"] == name].iloc[0]
        text = (
            "log-rank vs the reconstructions:\nnot estimable"
            if row["n_references"] == 0
            else f"log-rank vs {row['n_references']} reconstructions:\np {fmt.p_value(row['p_min'])}–"
            f"{fmt.p_value(row['p_max'])}, median {fmt.p_value(row['p_median'])}"
        )
        ax.text(0.02, 0.03, text, transform=ax.transAxes, fontsize=5, va="bottom")
    return fig, axes, logrank


def reconstruction_note(data_note: str, fig) -> str:
    """The note to save a :func:`km_figure` with: the data statement, then :data:`RECONSTRUCTION_NOTE`
    wrapped to the figure's width (``save_figure(fig, name, ctx.out, note=reconstruction_note(ctx.note, fig))``)."""
    width = int(fig.get_figwidth() * _CAPTION_CHARS_PER_INCH)
    return (
        "\n".join([data_note, *textwrap.wrap(RECONSTRUCTION_NOTE, width)])
        if data_note
        else textwrap.fill(RECONSTRUCTION_NOTE, width)
    )


__all__ = [
    "DISPLAY_COLUMNS",
    "FORMATS",
    "LANDMARK_COLUMNS",
    "LOGRANK_COLUMNS",
    "PUBLISHED_LABEL",
    "RECONSTRUCTION_NOTE",
    "comparison",
    "display",
    "export",
    "km_figure",
    "landmark_summary",
    "logrank_summary",
    "rates_figure",
    "reconstruction_note",
    "reference_frames",
    "section",
]


def reconstructions(folder: str = "", limit: int | None = None) -> dict[str, list[pd.DataFrame]]:
    """PFS and OS frames of every reconstruction of the published cohort (the calibrated ensemble).

    ``{"PFS": [...], "OS": [...]}``, one :func:`analysis.study.outcomes.endpoint_frame` per member, each
    member in seed order; all members validated and derived in one pass
    (:func:`analysis.paper.synthetic.ensemble.load`). ``folder`` empty: the committed ensemble
    (``data/synthetic/ensemble``); ``limit``: its first members by seed (0: none).
    """
    from ..paper.synthetic import ensemble as reconstruction

    patients = reconstruction.load(paths.resolve(folder, paths.ENSEMBLE), limit)
    if patients.empty:
        return {endpoint: [] for endpoint in ENDPOINT_LABELS}
    adsl, adtte = derive.subject_level(patients), derive.time_to_event(patients)
    return {
        endpoint: [
            f.reset_index(drop=True)
            for _, f in endpoint_frame(adtte, adsl, endpoint).groupby(reconstruction.MEMBER, sort=True)
        ]
        for endpoint in ENDPOINT_LABELS
    }


@lru_cache(maxsize=1)
def _published_frames() -> dict[str, pd.DataFrame]:
    patients = load_cohort(paths.DEFAULT_SYNTHETIC).patients
    adsl, adtte = derive.subject_level(patients), derive.time_to_event(patients)
    return {endpoint: endpoint_frame(adtte, adsl, endpoint) for endpoint in ENDPOINT_LABELS}


def km_vs_published(frame: pd.DataFrame, endpoint: str, references: dict[str, list[pd.DataFrame]], grouping=None):
    """(figure, log-rank range table) of ``endpoint``: this cohort over the reconstructed published curves.

    Panels: all patients and each group of ``grouping`` (a ``(column, labels)`` pair, e.g.
    :data:`analysis.study.outcomes.EMD`); the published curve drawn is the committed calibrated cohort
    (``data/synthetic/cohort.csv``), the band the spread of ``references[endpoint]``
    (:func:`reconstructions`); numbers at risk for both.
    """
    by, labels = grouping or (None, None)
    fig, _, logrank = km_figure(
        frame,
        references[endpoint],
        by=by,
        labels=labels,
        reference=_published_frames()[endpoint],
        ylabel=ENDPOINT_LABELS[endpoint],
    )
    return fig, logrank.assign(endpoint=endpoint)


def export_comparison(cohort, output_root: Path, note: str = "", name: str = "cohort_vs_published") -> list[Path]:
    """Every comparable claim of the paper against this cohort, written by :func:`export` — in comparison mode.

    On the default synthetic cohort (reproduction mode) nothing is written: the notebooks' sections show
    the reproduction check instead; one line says so.
    """
    if compare.mode(cohort) == "reproduction":
        print(
            "Reproduction run (the data are a reconstruction of the paper): the published-vs-reproduced "
            "check stands in each notebook; no cohort-vs-published table is written."
        )
        return []
    values = comparison(cohort)
    print(compare.framing(values))
    return export(values, output_root, note=note, name=name)
