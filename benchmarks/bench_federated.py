"""Pooling from centre summaries at scale: 100 centres × 500 patients (issue 25).

    .venv/bin/python benchmarks/bench_federated.py [--centres 100] [--per-centre 500]

Measures, in one run, side by side:

* summarise one centre of ``--per-centre`` patients (``summary_tables`` + disclosure at min_cell 1 and
  3), against reading and validating that centre's rows;
* pool every centre's summary and compute the pooled survival estimates (KM medians and CIs, log-rank,
  stratified log-rank, Cox Efron/Breslow, stratified Cox for every endpoint × grouping), against the
  same estimates from the concatenated patient rows — the ratio is the cost of pooling counts instead
  of rows; the two tables must agree to 1e-10;
* the summary's size (bytes of its CSV files) against the size of the rows it replaces.

The cohort is SYNTHETIC (``benchmarks/big_cohort.make_cohort``), for timing only. Summaries of the
centres are made by one ``summary_tables`` call on the whole table and split by centre (a centre's
summary is its slice: tests/study/federated/test_pooled.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.data.summary_files import table_bytes  # noqa: E402
from analysis.data.validate import validate_table  # noqa: E402
from analysis.study.federated import disclosure, pooled, summary  # noqa: E402
from benchmarks.big_cohort import make_cohort  # noqa: E402


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centres", type=int, default=100)
    parser.add_argument("--per-centre", type=int, default=500)
    args = parser.parse_args(argv)
    n = args.centres * args.per_centre
    raw = make_cohort(n, seed=3, n_centres=args.centres)
    # equal centres: reassign the codes in blocks so each centre has exactly --per-centre patients
    raw["center_id"] = [f"C{k // args.per_centre:03d}" for k in range(n)]
    patients, report = validate_table(raw, source="bench_federated")
    assert report.ok, report.to_text()[:2000]

    one_rows = raw[raw["center_id"] == "C000"]
    t_read, _ = _timed(lambda: validate_table(one_rows, source="one centre"))
    one = patients[patients["center_id"] == "C000"].reset_index(drop=True)
    t_sum, tables_one = _timed(lambda: summary.summary_tables(one))
    t_dis, (suppressed, _) = _timed(lambda: disclosure.apply(tables_one, 3))
    size_rows = len(one_rows.to_csv(index=False).encode())
    size_summary = sum(len(table_bytes(t)) for t in disclosure.apply(tables_one, 1)[0].values())

    summaries = summary.centre_summaries(patients, min_cell=1)
    t_pool, estimates = _timed(lambda: pooled.survival_estimates(pooled.pool(summaries)))
    # the reference: the same estimators on the patient rows directly
    from analysis.data import derive

    adsl, adtte = derive.subject_level(patients), derive.time_to_event(patients)

    def rows_estimates():
        out = []
        for endpoint in summary.ENDPOINTS:
            f = adtte[adtte["endpoint"] == endpoint].merge(adsl, on="patient_id", suffixes=("", "_adsl"))
            for grouping in ("all", *summary.GROUPINGS):
                g = pd.Series("", index=f.index) if grouping == "all" else f[grouping].map(summary.value_text)
                frame = pd.DataFrame(
                    {"center_id": f["center_id"], "group": g, "time": f["time_months"], "event": f["event"]}
                )
                frame = frame[f[grouping].notna()] if grouping != "all" else frame
                out += pooled._estimates(frame, endpoint, grouping)
        return pd.DataFrame(out)

    t_rows, reference = _timed(rows_estimates)
    numeric = [c for c in estimates.columns if estimates[c].dtype.kind == "f"]
    a = estimates.set_index(["endpoint", "grouping", "group"])[numeric].sort_index()
    b = reference.set_index(["endpoint", "grouping", "group"])[numeric].sort_index()
    np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-10, equal_nan=True)

    print(f"| {args.centres} centres × {args.per_centre} patients (N = {n}) | seconds | ratio |")
    print("|---|---|---|")
    print(f"| validate one centre's rows | {t_read:.2f} | 1 |")
    print(f"| summarise one centre (all tables) | {t_sum:.2f} | {t_sum / t_read:.2f} × validating |")
    print(f"| disclosure control at min_cell 3 | {t_dis:.3f} | — |")
    print(f"| pool {args.centres} summaries + every survival estimate | {t_pool:.2f} | {t_pool / t_rows:.2f} × rows |")
    print(f"| the same estimates from the {n} rows | {t_rows:.2f} | 1 |")
    print(
        f"| summary of one centre vs its rows | {size_summary / 1e3:.0f} kB vs {size_rows / 1e3:.0f} kB | "
        f"{size_summary / size_rows:.2f} |"
    )
    print(
        f"pooled = rows to 1e-10 on {a.size} numbers; suppressed cells at min_cell 3 in one centre: "
        f"{int(suppressed['disclosure.csv']['cells'].sum()) if len(suppressed['disclosure.csv']) else 0}"
    )


if __name__ == "__main__":
    main()
