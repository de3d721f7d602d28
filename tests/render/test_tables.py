"""save_table: one CSV per result table, identical bytes for identical tables."""

import pandas as pd

from analysis.render import save_table


def test_csv_has_unix_line_endings_no_index_and_round_trip_floats(tmp_path):
    table = pd.DataFrame({"group": ["EMD", "no EMD"], "median": [0.1 + 0.2, 12.0], "n": [20, 24]})
    path = save_table(table, "medians", tmp_path)
    assert path == tmp_path / "results" / "medians.csv"
    assert path.read_bytes() == b"group,median,n\nEMD,0.30000000000000004,20\nno EMD,12.0,24\n"
    assert pd.read_csv(path, float_precision="round_trip")["median"].tolist() == table["median"].tolist()
