"""Writes tests/r/strata_input.csv, the input of make_strata_reference.R (deterministic: seed 2025).

Run from the repository root: .venv/bin/python tests/r/make_strata_input.py
"""

import numpy as np
import pandas as pd

rng = np.random.default_rng(2025)
sizes = {"C01": 120, "C02": 80, "C03": 45, "C04": 30, "C05": 12, "C06": 8}
rows = []
for centre, n in sizes.items():
    x = (rng.random(n) < 0.45).astype(int)
    hazard = 0.004 * np.exp(0.5 * x) * (1 + 0.3 * (centre in ("C02", "C04")))
    t = np.ceil(rng.exponential(1 / hazard)).clip(1, 700)
    c = np.ceil(rng.uniform(30, 720, n))
    time = np.minimum(t, c)
    event = (t <= c).astype(int) if centre != "C06" else np.zeros(n, dtype=int)
    group = rng.choice(["a", "b", "c"], n)
    rows.append(pd.DataFrame({"centre": centre, "time": (time // 7) * 7 + 7, "event": event, "x": x, "group": group}))
pd.concat(rows, ignore_index=True).to_csv("tests/r/strata_input.csv", index=False, lineterminator="\n")
