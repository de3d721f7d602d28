"""python -m analysis summarize / pool: a centre's summary written and checked, the pooled estimates printed.

In process (the ``cli`` fixture of tests/conftest.py); the estimates themselves are tested in
tests/study/federated/test_pooled.py.
"""

import io
import json

import pandas as pd

from analysis import paths


def test_summarize_writes_a_checked_summary_and_says_what_it_suppressed(cli, tmp_path):
    out = tmp_path / "SUMMARY"
    res = cli("summarize", "--data", str(paths.FIXTURE), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "aggregates of 8 patients" in res.stdout and "min_cell 3" in res.stdout
    assert "Read manifest.json and every table before sending the folder." in res.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["disclosure"]["min_cell"] == 3 and manifest["disclosure"]["suppressed_blocks"] > 0


def test_pool_prints_the_pooled_estimates_of_two_centres(cli, tmp_path):
    raw = pd.read_csv(paths.DEFAULT_SYNTHETIC, dtype=str, keep_default_na=False)
    folders = []
    for name, centres in (("north", ["C01", "C02", "C03", "C04", "C05", "C06", "C07"]), ("south", None)):
        part = raw[raw["center_id"].isin(centres)] if centres else raw[~raw["center_id"].isin(folders[0][1])]
        path = tmp_path / f"{name}.csv"
        part.to_csv(path, index=False)
        out = tmp_path / f"S_{name}"
        assert cli("summarize", "--data", str(path), "--out", str(out), "--min-cell", "1").returncode == 0
        folders.append((out, centres))
    res = cli("pool", *(str(f) for f, _ in folders))
    assert res.returncode == 0, res.stderr
    head, csv = res.stdout.split("\n", 1)
    assert head.startswith("pooled from 2 centre summaries: 44 patients")
    table = pd.read_csv(io.StringIO(csv), keep_default_na=False)
    emd = table[(table["endpoint"] == "PFS") & (table["grouping"] == "extramedullary") & (table["group"] == "1")]
    assert len(emd) == 1 and 0 < float(emd["logrank_p"].iloc[0]) < 1


def test_invalid_data_write_no_summary_and_a_summary_given_twice_is_refused(cli, tmp_path):
    bad = cli("summarize", "--data", "tests/fixtures/malformed/in_range.csv", "--out", str(tmp_path / "x"))
    assert bad.returncode == 1 and "no summary was written" in bad.stderr and not (tmp_path / "x").exists()
    out = tmp_path / "S"
    assert cli("summarize", "--data", str(paths.FIXTURE), "--out", str(out), "--min-cell", "1").returncode == 0
    twice = cli("pool", str(out), str(out))
    assert twice.returncode == 2 and "is in two summaries" in twice.stderr
    missing = cli("pool", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "not a folder" in missing.stderr
