"""survdiff (analysis.stats.logrank): equal to R with k groups, rho 0/1 and strata, and to the dense version."""
import json

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.stats import logrank

REF = json.loads((paths.TESTS / "r" / "strata_reference.json").read_text())
DATA = pd.read_csv(paths.TESTS / "r" / "strata_input.csv")


@pytest.mark.parametrize("group", ["x", "group"])
@pytest.mark.parametrize("rho", [0, 1])
def test_equals_r_survdiff_with_and_without_strata(group, rho):
    ref = REF[f"survdiff_{group}_rho{rho}"]
    plain = logrank.survdiff(DATA["time"], DATA["event"], DATA[group], rho)
    assert plain.chi2 == pytest.approx(ref["chisq"], rel=1e-9)
    np.testing.assert_allclose(list(plain.observed), ref["observed"], rtol=1e-10)
    np.testing.assert_allclose(list(plain.expected), ref["expected"], rtol=1e-10)
    strat = logrank.survdiff(DATA["time"], DATA["event"], DATA[group], rho, strata=DATA["centre"])
    assert strat.chi2 == pytest.approx(ref["strata_chisq"], rel=1e-9)


def _dense(t, e, g, rho):
    """The groups × subjects × event-times formulation it replaces."""
    levels = np.unique(g)
    times = np.unique(t[e == 1])
    member = (g[None, :] == levels[:, None]).astype(float)
    at_risk = member @ (t[:, None] >= times[None, :]).astype(float)
    deaths = member @ ((t[:, None] == times[None, :]) & (e[:, None] == 1)).astype(float)
    n, d = at_risk.sum(axis=0), deaths.sum(axis=0)
    w = np.concatenate(([1.0], np.cumprod(1 - d / n)[:-1])) ** rho
    obs, exp = (w * deaths).sum(axis=1), (w * at_risk * d / n).sum(axis=1)
    factor = np.where(n > 1, w * w * d * (n - d) / (n * n * np.maximum(n - 1, 1)), 0.0)
    var = np.diag((factor * at_risk * n).sum(axis=1)) - (factor * at_risk) @ at_risk.T
    diff = (obs - exp)[:-1]
    return float(diff @ np.linalg.pinv(var[:-1, :-1]) @ diff)


def test_equals_the_dense_formulation_to_1e_10():
    rng = np.random.default_rng(11)
    for _ in range(60):
        n = int(rng.integers(4, 150))
        t = rng.integers(1, 20, n).astype(float)
        e = (rng.random(n) < 0.6).astype(float)
        g = rng.integers(0, int(rng.integers(2, 5)), n)
        if e.sum() == 0 or len(np.unique(g)) < 2:
            continue
        for rho in (0, 1):
            assert logrank.survdiff(t, e, g, rho).chi2 == pytest.approx(_dense(t, e, g, rho), rel=1e-10, abs=1e-12)


def test_one_group_or_no_events_is_not_estimable():
    assert np.isnan(logrank.survdiff([1, 2, 3], [1, 0, 1], [1, 1, 1]).p)
    assert np.isnan(logrank.survdiff([1, 2, 3], [0, 0, 0], [0, 1, 1]).p)
