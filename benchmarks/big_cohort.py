"""Large valid patient tables, for benchmarks at registry scale (issues #15 and #16).

    from benchmarks.big_cohort import make_cohort
    table = make_cohort(50_000, seed=1)        # DataFrame of strings, dictionary columns and order

    .venv/bin/python benchmarks/big_cohort.py 50000 --seed 1 --out /tmp/big.csv

Each row is a row of the committed synthetic cohort (``data/synthetic/cohort.csv``), drawn with
replacement, with a fresh ``patient_id`` (``BIG0000001`` …), and perturbed so that the table has the
spread of a real registry (thousands of distinct dates and values) while every rule of the data
dictionary still holds:

* every date of the row is shifted by the same whole number of days, uniform on
  [-``DATE_SHIFT_DAYS``, +``DATE_SHIFT_DAYS``]: the intervals between the row's dates — which the
  cross-field rules (orders, cycles reached, death = last follow-up) are about — are unchanged;
* ``age_years`` moves by up to ±3 years, clipped to the dictionary's range;
* the three continuous baseline measurements (bone-marrow plasma cells, M-protein, FLC) are
  multiplied by a log-normal factor (sd 0.15), rounded to one decimal and clipped to their ranges;
* ``center_id`` is one of ``n_centres`` codes (default: one per 250 patients, at least the 14 of the
  study), drawn uniformly.

Everything else (flags, categories, responses, grades) is the source row's, so the joint
distribution of the categorical columns is the synthetic cohort's. Same ``n`` and ``seed``, same table.
The output is SYNTHETIC: it is meant for timing, never for inference.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # importable as benchmarks.big_cohort from the project root, or run as a script
    sys.path.insert(0, str(ROOT))

from analysis import paths  # noqa: E402
from analysis.data.dictionary import BY_NAME, COLUMNS, NAMES  # noqa: E402
from analysis.data.io import read_table  # noqa: E402

DATE_SHIFT_DAYS = 730
_JITTERED = ("bm_plasma_cell_pct", "m_protein_g_l", "involved_flc_mg_l")


def _shift_dates(texts: np.ndarray, shift: np.ndarray) -> np.ndarray:
    out = texts.copy()
    known = texts != ""
    moved = pd.to_datetime(pd.Series(texts[known]), format="%Y-%m-%d") + pd.to_timedelta(shift[known], unit="D")
    out[known] = moved.dt.strftime("%Y-%m-%d").to_numpy()
    return out


def _jitter(texts: np.ndarray, rng: np.random.Generator, lo: float, hi: float) -> np.ndarray:
    out = texts.copy()
    known = texts != ""
    values = texts[known].astype("float64") * np.exp(rng.normal(0.0, 0.15, known.sum()))
    out[known] = [f"{v:g}" for v in np.clip(np.round(values, 1), lo, hi)]
    return out


def make_cohort(
    n: int, seed: int = 0, n_centres: int | None = None, source: str | Path = paths.DEFAULT_SYNTHETIC
) -> pd.DataFrame:
    """A valid SYNTHETIC patient table of ``n`` rows (all cells strings, ``""`` for empty).

    Parameters
    ----------
    n : int
        Number of patients (rows), ≥ 1.
    seed : int, optional (default=0)
        Seed of ``numpy.random.default_rng``; same ``n`` and ``seed`` give the same table.
    n_centres : int, optional (default=None)
        Number of distinct ``center_id`` codes; None gives ``max(14, n // 250)``.
    source : path, optional (default=the committed synthetic cohort)
        Valid patient table whose rows are resampled.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    base = read_table(source)[list(NAMES)]
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(base), n)
    table = {name: base[name].to_numpy(dtype=object)[rows] for name in NAMES}
    width = max(7, len(str(n)))
    table["patient_id"] = np.array([f"BIG{k:0{width}d}" for k in range(1, n + 1)], dtype=object)
    centres = n_centres or max(14, n // 250)
    table["center_id"] = np.array([f"C{k:03d}" for k in range(1, centres + 1)], dtype=object)[
        rng.integers(0, centres, n)
    ]
    shift = rng.integers(-DATE_SHIFT_DAYS, DATE_SHIFT_DAYS + 1, n)
    for col in COLUMNS:
        if col.kind == "date":
            table[col.name] = _shift_dates(table[col.name], shift)
    age = table["age_years"].astype("int64") + rng.integers(-3, 4, n)
    col = BY_NAME["age_years"]
    table["age_years"] = np.clip(age, col.minimum, col.maximum).astype(str).astype(object)
    for name in _JITTERED:
        col = BY_NAME[name]
        table[name] = _jitter(table[name], rng, col.minimum, col.maximum)
    return pd.DataFrame(table, columns=list(NAMES)).astype(object)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write a large valid SYNTHETIC patient table (CSV).")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    make_cohort(args.n, args.seed).to_csv(args.out, index=False, lineterminator="\n")
    print(f"wrote {args.out} ({args.n} SYNTHETIC patients, seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
