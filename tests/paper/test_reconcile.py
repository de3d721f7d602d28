"""Published vs reproduced on the committed synthetic cohort: every count exact, survival within tolerance, the fit report current."""

import pandas as pd
import pytest

from analysis import paths
from analysis.paper import reconcile

#: Survival claims the committed cohort does not reproduce within tolerance (see results/fit_report.md).
KNOWN_SURVIVAL_MISSES: set[str] = set()


@pytest.fixture(scope="module")
def fit(synthetic_cohort):
    return reconcile.reconcile(synthetic_cohort.patients)


def test_every_count_and_response_claim_is_reproduced_exactly(fit):
    exact = fit[fit["kind"].isin(["proportion", "count", "median_range", "period"]) & fit["passed"].notna()]
    failed = exact.loc[exact["passed"] == False, ["claim_id", "published", "reproduced"]]  # noqa: E712
    assert failed.empty, failed.to_string()
    assert len(exact) > 100


def test_survival_claims_within_tolerance_except_the_known_misses(fit):
    surv = fit[fit["kind"].isin(["km_median", "logrank_p"])]
    missed = set(surv.loc[surv["passed"] == False, "claim_id"])  # noqa: E712
    assert missed == KNOWN_SURVIVAL_MISSES
    assert len(surv) == 15


def test_committed_fit_report_is_current(fit):
    committed = pd.read_csv(paths.RESULTS / "fit_report.csv", keep_default_na=False)
    fresh = pd.read_csv(pd.io.common.StringIO(fit.to_csv(index=False, lineterminator="\n")), keep_default_na=False)
    try:
        pd.testing.assert_frame_equal(committed, fresh)
    except AssertionError as exc:
        pytest.fail(f"results/fit_report.csv is not what the code computes: run `python -m analysis fit-report`\n{exc}")


@pytest.mark.slow
def test_query_on_the_named_columns_equals_dataframe_query_for_every_metric(fixture_cohort):
    """Metrics are evaluated on the columns they name only (analysis.data.query, speed); the rows must be query's."""
    from analysis.data import query
    from analysis.paper import claims

    tables = reconcile.analysis_tables(fixture_cohort.patients)
    distinct = {
        ("adtte" if key == "group" else (c.metric or {}).get("table", "adsl"), (c.metric or {}).get(key))
        for c in claims.load_claims()
        for key in ("numerator", "denominator", "group")
    }
    distinct = sorted((t, e) for t, e in distinct if e not in (None, "all"))
    for table, expr in distinct:
        frame = tables[table]
        want = frame.query(expr, engine="python")
        pd.testing.assert_frame_equal(query.rows(frame, expr), want)
        assert query.count(frame, expr) == len(want)
    assert len(distinct) > 80
