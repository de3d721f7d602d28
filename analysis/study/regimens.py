"""Debulking regimens: which agents were combined.

:func:`regimen_combinations` counts the patients per exact set of agents (the
rows of an UpSet plot; Lex et al., IEEE TVCG 2014;20:1983);
:func:`plot_regimen_upset` draws the counts above a dot matrix of the agents.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..data.dictionary import CHEMO_AGENTS

#: Short labels for the matrix, in the order of the data dictionary.
AGENT_LABELS = {
    "chemo_cyclophosphamide": "Cyclophosphamide",
    "chemo_bendamustine": "Bendamustine",
    "chemo_lomustine": "Lomustine",
    "chemo_anthracycline": "Anthracycline",
    "chemo_etoposide": "Etoposide",
    "chemo_vincristine": "Vincristine",
    "chemo_cisplatin": "Cisplatin",
    "chemo_other": "Other",
}


def regimen_combinations(adsl: pd.DataFrame) -> pd.DataFrame:
    """One row per combination of agents: a 0/1 column per agent, ``n`` patients; most frequent first
    (ties by number of agents, then alphabetically)."""
    flags = (adsl[list(CHEMO_AGENTS)] == 1).astype(int)
    combos = flags.value_counts().rename("n").reset_index()
    combos["agents"] = combos[list(CHEMO_AGENTS)].sum(axis=1)
    combos["label"] = [" + ".join(AGENT_LABELS[a] for a in CHEMO_AGENTS if r[a]) for _, r in combos.iterrows()]
    return combos.sort_values(["n", "agents", "label"], ascending=[False, True, True]).reset_index(drop=True)


def plot_regimen_upset(combos: pd.DataFrame, axes=None, top: int = 12):
    """UpSet-style plot of the ``top`` most frequent combinations.

    axes : (bar_axes, matrix_axes), optional (default=None)
        Pre-existing axes, the bars above the matrix; otherwise a new figure.
        Returns the pair of axes.
    """
    if axes is None:
        _, axes = plt.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.2, 1]})
    ax_bar, ax_mat = axes
    shown = combos.head(top)
    x = np.arange(len(shown))
    ax_bar.bar(x, shown["n"], color="#0072B2", width=0.6)
    for xi, n in zip(x, shown["n"]):
        ax_bar.text(xi, n + 0.2, str(n), ha="center", va="bottom", fontsize=6)
    ax_bar.set_ylabel("Patients")
    ax_bar.set_ylim(0, shown["n"].max() * 1.25 if len(shown) else 1)
    agents = [a for a in CHEMO_AGENTS if shown[a].any()]
    for yi, a in enumerate(agents):
        on = shown[a].to_numpy() == 1
        ax_mat.scatter(x[~on], np.full((~on).sum(), yi), s=14, color="#DDDDDD")
        ax_mat.scatter(x[on], np.full(on.sum(), yi), s=14, color="#000000")
    for xi, (_, r) in zip(x, shown.iterrows()):
        ys = [yi for yi, a in enumerate(agents) if r[a]]
        if len(ys) > 1:
            ax_mat.plot([xi, xi], [min(ys), max(ys)], color="#000000", linewidth=1)
    ax_mat.set_yticks(range(len(agents)))
    ax_mat.set_yticklabels([AGENT_LABELS[a] for a in agents])
    ax_mat.set_ylim(len(agents) - 0.5, -0.5)
    ax_mat.set_xticks([])
    ax_mat.spines[["bottom", "left"]].set_visible(False)
    ax_mat.tick_params(axis="y", length=0)
    if len(combos) > top:
        ax_bar.set_title(f"{top} most frequent of {len(combos)} combinations", fontsize=7)
    return ax_bar, ax_mat
