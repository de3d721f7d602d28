"""analysis.study.federated.disclosure: a block with a small cell is suppressed whole, and reported."""

import pandas as pd
import pytest

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.study.federated import disclosure, summary


def _frequencies(rows):
    return pd.DataFrame(rows, columns=["centre", "variable", "grouping", "group", "value", "n"]).astype({"n": "Int64"})


def test_a_block_with_a_count_below_the_threshold_is_emptied_whole_and_reported_without_values():
    table = _frequencies(
        [
            ("A", "sex", "all", "", "F", 2),  # 2 < 3: the whole sex block goes
            ("A", "sex", "all", "", "M", 7),
            ("A", "iss", "all", "", "III", 3),  # 3 and 6 pass
            ("A", "iss", "all", "", "I", 6),
        ]
    )
    out, report = disclosure.suppress(table, "frequencies.csv", 3)
    assert out["n"].isna().tolist() == [True, True, False, False]
    assert out[["variable", "value"]].equals(table[["variable", "value"]])  # keys kept
    assert report.to_dict("records") == [
        {
            "file": "frequencies.csv",
            "block": "centre=A / variable=sex / grouping=all",
            "cells": 2,
            "action": "suppressed",
            "reason": "a count between 1 and 2 (min_cell 3)",
        }
    ]
    assert "7" not in report.to_csv()  # never a suppressed value


def test_min_cell_1_suppresses_nothing_and_bad_thresholds_are_refused():
    table = _frequencies([("A", "sex", "all", "", "F", 1)])
    out, report = disclosure.suppress(table, "frequencies.csv", 1)
    assert out["n"].tolist() == [1] and report.empty
    with pytest.raises(ValueError, match=r"min_cell must be a whole number ≥ 1 \(1: no suppression\)"):
        disclosure.apply({"frequencies.csv": table}, 0)


def test_what_thresholds_3_5_10_leave_of_this_studys_centres():
    """About 3 patients a centre (docs/federated.md): no survival block passes any threshold, even on a
    90-day grid; at 3 a tenth of the frequency blocks, at 10 none but some claims' counts."""
    patients = load_cohort(paths.DEFAULT_SYNTHETIC).patients
    cost = disclosure.cost(summary.summary_tables(patients)).set_index(["min_cell", "file"])
    kept = cost["blocks_kept"] / cost["blocks"]
    assert (kept.xs("time_counts.csv", level="file") == 0).all()
    assert 0.05 < kept.loc[(3, "frequencies.csv")] < 0.15 and kept.loc[(10, "frequencies.csv")] == 0
    assert (
        kept.loc[(3, "claim_counts.csv")] > kept.loc[(5, "claim_counts.csv")] > kept.loc[(10, "claim_counts.csv")] > 0
    )
    coarse = disclosure.cost(summary.summary_tables(patients, grid_days=90)).set_index(["min_cell", "file"])
    assert (coarse.xs("time_counts.csv", level="file")["blocks_kept"] == 0).all()
