"""analysis.stats.km against R survival 3.5.3 results (recorded in ../shared/notes/survival-and-reporting-methods.md,
§1.3 and Appendix A) and against lifelines.

Edge cases covered: a curve that ends flat at exactly 0.5 (CAMIS: R prints 87, quantile() gives the midpoint
102.5), a non-monotone "log" band where quantile.survfit picks a later crossing than the printed one (sim44 upper
limit 8.0 printed, 15.5 from quantile()), ties between events and censorings, an upper limit that is never
reached (NA), no censoring, all censored. The printed rule on R's own datasets: tests/stats/test_against_R_datasets.py.
"""

import math

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test as ll_logrank
from lifelines.utils import median_survival_times

from analysis.stats import km, logrank

# PSIAIMS CAMIS fixture
CAMIS_T = [54, 75, 77, 84, 87, 92, 103, 105, 112, 118]
CAMIS_E = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
# sim44 (numpy default_rng(2024), half-month grid)
SIM_T = [
    8.5,
    2.0,
    3.0,
    4.0,
    1.0,
    0.5,
    8.5,
    0.5,
    2.5,
    1.5,
    8.0,
    7.0,
    10.5,
    3.5,
    8.5,
    1.5,
    8.0,
    2.5,
    22.5,
    0.5,
    5.0,
    5.0,
    10.5,
    0.5,
    5.0,
    1.5,
    0.5,
    15.5,
    11.0,
    5.0,
    0.5,
    1.5,
    6.5,
    2.5,
    1.0,
    7.0,
    3.5,
    1.5,
    6.5,
    4.0,
    11.0,
    5.0,
    2.0,
    1.5,
]
SIM_E = [
    0,
    1,
    1,
    1,
    1,
    1,
    0,
    1,
    1,
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    1,
    0,
    0,
    1,
    1,
    0,
    0,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    0,
    1,
    0,
    1,
    1,
    1,
]
SIM_EMD = [
    1,
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    1,
    0,
]


def _median(t, e, conf_type):
    s = km.median_summary(t, e, conf_type)
    return s.median, s.lower, s.upper


def _same(a, b):
    return all((np.isnan(x) and np.isnan(y)) or x == pytest.approx(y, abs=1e-9) for x, y in zip(a, b))


# R: survfit(Surv(time, status) ~ 1, conf.type = ...) then print() (printed) and quantile(fit, 0.5) (quantile)
@pytest.mark.parametrize(
    "conf_type, printed, quantile",
    [("log", (87, 77, np.nan), (102.5, 77, np.nan)), ("log-log", (87, 54, np.nan), (102.5, 54, np.nan))],
)
def test_camis_curve_ending_flat_at_half_median_is_the_time_it_reached_half_against_R(conf_type, printed, quantile):
    # survmean's midpoint needs a later drop; quantile.survfit takes the midpoint with the last time, 118
    assert _same(_median(CAMIS_T, CAMIS_E, conf_type), printed)
    assert _same(km.survival_quantile(km.kaplan_meier(CAMIS_T, CAMIS_E, conf_type)), quantile)


@pytest.mark.parametrize(
    "conf_type, printed, quantile",
    [("log", (4.0, 2.5, 8.0), (4.0, 2.5, 15.5)), ("log-log", (4.0, 2.0, 6.5), (4.0, 2.0, 6.5))],
)
def test_sim44_overall_median_and_ci_against_R(conf_type, printed, quantile):
    # the "log" upper band is not monotone: R prints its first crossing, 8.0; quantile() gives 15.5
    assert _same(_median(SIM_T, SIM_E, conf_type), printed)
    assert _same(km.survival_quantile(km.kaplan_meier(SIM_T, SIM_E, conf_type)), quantile)


# R survival's aml: print(survfit(Surv(time, status) ~ 1, data = aml)) -> 27 18 45; quantile(fit, 0.5) -> 27 18 48
AML_T = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
AML_E = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]


def test_aml_median_ci_is_the_printed_one_not_quantile_survfit():
    assert _same(_median(AML_T, AML_E, "log"), (27, 18, 45))
    assert _same(km.survival_quantile(km.kaplan_meier(AML_T, AML_E, "log")), (27, 18, 48))
    table = km.kaplan_meier(AML_T, AML_E, "log")
    upper = table.set_index("time")["upper"]
    # the upper band first falls below 0.5 at 45 (printed), then rises at 48 (0.458 -> 0.462: the variance
    # grows faster than S falls); quantile.survfit's approx() sorts the band values, and 48's value is the
    # first above the line in that order
    assert upper[43] > 0.5 > upper[45] and upper[45] < upper[48] < 0.5


def test_minmin_midpoint_needs_a_later_drop_and_skips_missing_band_values():
    x = [1.0, 2.0, 3.0, 4.0]
    assert km.minmin(x, [0.8, 0.5, 0.5, 0.2]) == 3.0  # (2 + the first lower, 4) / 2
    assert km.minmin(x, [0.8, 0.5, 0.5, 0.5]) == 2.0  # no later drop: the time it reached 0.5
    assert km.minmin(x, [np.nan, 0.7, 0.4, np.nan]) == 3.0
    assert km.minmin(x, [0.9, 0.4, 0.6, 0.3]) == 2.0  # a band: the first time below, not the last
    assert np.isnan(km.minmin(x, [1.0, 0.9, np.nan, 0.6]))
    assert km.minmin(x, [0.8, 0.5 + 1e-9, 0.3, 0.3]) == 2.5  # 0.5 within sqrt(eps)


@pytest.mark.parametrize(
    "group, conf_type, expected",
    [
        (0, "log", (4.5, 2.5, 11.0)),
        (1, "log", (3.0, 1.0, np.nan)),
        (0, "log-log", (4.5, 2.0, 8.0)),
        (1, "log-log", (3.0, 0.5, 8.0)),
    ],
)
def test_sim44_subgroup_medians_against_R(group, conf_type, expected):
    t = np.array(SIM_T)[np.array(SIM_EMD) == group]
    e = np.array(SIM_E)[np.array(SIM_EMD) == group]
    assert _same(_median(t, e, conf_type), expected)


def test_sim44_logrank_against_R_survdiff():
    res = logrank.survdiff(SIM_T, SIM_E, SIM_EMD)
    assert res.chi2 == pytest.approx(0.7739639, abs=1e-6)
    assert res.p == pytest.approx(0.3789936, abs=1e-6)
    assert res.df == 1


def test_number_at_risk_against_R_summary_times():
    table = km.kaplan_meier(SIM_T, SIM_E)
    times = np.asarray(SIM_T)
    assert [(times >= u).sum() for u in (0, 2.5, 6, 8, 12)] == [44, 28, 15, 11, 2]
    assert table.loc[table["time"] == 2.5, "n_risk"].item() == 28


def test_uncensored_median_is_the_midpoint_R_rule():
    assert km.median_summary(range(1, 11), [1] * 10).median == 5.5


def test_survival_and_log_log_band_equal_lifelines():
    rng = np.random.default_rng(7)
    for _ in range(20):
        t = rng.integers(1, 40, size=30).astype(float)
        e = rng.integers(0, 2, size=30)
        ours = km.kaplan_meier(t, e, conf_type="log-log")
        kmf = KaplanMeierFitter().fit(t, e)
        sf = kmf.survival_function_.reindex(ours.time).iloc[:, 0].to_numpy()
        np.testing.assert_allclose(ours.surv, sf, rtol=1e-12)
        ci = kmf.confidence_interval_.reindex(ours.time)
        ok = ~np.isnan(ours.lower.to_numpy())
        np.testing.assert_allclose(ours.lower.to_numpy()[ok], ci.iloc[:, 0].to_numpy()[ok], rtol=1e-9)
        np.testing.assert_allclose(ours.upper.to_numpy()[ok], ci.iloc[:, 1].to_numpy()[ok], rtol=1e-9)


def test_log_log_median_ci_equals_lifelines_when_no_flat_at_half():
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(40):
        t = rng.exponential(10, size=25).round(3)
        e = (rng.random(25) < 0.7).astype(int)
        e[np.argmax(t)] = 0  # the curve does not reach 0 (see the next test)
        ours = km.median_summary(t, e, "log-log")
        kmf = KaplanMeierFitter().fit(t, e)
        lo, hi = median_survival_times(kmf.confidence_interval_).iloc[0]
        assert ours.lower == pytest.approx(lo) and (np.isnan(ours.upper) == np.isinf(hi))
        if np.isfinite(hi):
            assert ours.upper == pytest.approx(hi)
        if np.isfinite(kmf.median_survival_time_):
            assert ours.median == pytest.approx(kmf.median_survival_time_)
        checked += 1
    assert checked == 40


def test_band_is_missing_where_the_curve_reaches_zero_unlike_lifelines():
    # R: the log-log band is NA at S = 0, so an upper limit found only there is "not reached";
    # lifelines fills the band and reports the last time.
    t, e = [1, 2, 3, 4], [1, 1, 1, 1]
    table = km.kaplan_meier(t, e, "log-log")
    assert np.isnan(table["upper"].iloc[-1]) and np.isnan(table["lower"].iloc[-1])
    assert np.isnan(km.median_summary(t, e, "log-log").upper)


def test_logrank_equals_lifelines():
    rng = np.random.default_rng(3)
    for _ in range(20):
        t = rng.integers(1, 30, size=40).astype(float)
        e = rng.integers(0, 2, size=40)
        g = rng.integers(0, 2, size=40)
        ours = logrank.survdiff(t, e, g)
        ref = ll_logrank(t[g == 0], t[g == 1], e[g == 0], e[g == 1])
        assert ours.chi2 == pytest.approx(ref.test_statistic, rel=1e-10)
        assert ours.p == pytest.approx(ref.p_value, rel=1e-9)
        assert logrank.two_sample_p(t, e, g == 1) == pytest.approx(ref.p_value, rel=1e-9)


def test_all_censored_group_has_no_median_and_no_test():
    s = km.median_summary([1, 2, 3], [0, 0, 0])
    assert np.isnan(s.median) and np.isnan(s.lower) and np.isnan(s.upper)
    assert np.isnan(logrank.survdiff([1, 2, 3], [1, 0, 1], [0, 0, 0]).p)


def test_plain_band_is_clipped_to_unit_interval():
    lower, upper = km.confidence_band([0.05, 0.99], [2.0, 0.5], "plain")
    assert lower[0] == 0.0 and upper[1] == 1.0


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match=r"event\[1\] is 2: events are coded 1 \(event\) or 0 \(censored\)"):
        km.kaplan_meier([1, 2], [1, 2])
    with pytest.raises(ValueError, match="conf_type"):
        km.kaplan_meier([1, 2], [1, 0], conf_type="arcsin")


def test_findq_list_equals_findq_bit_for_bit_on_random_curves():
    """The pure-Python port used for short curves gives exactly the numpy port's result."""
    rng = np.random.default_rng(11)
    cases = 0
    for trial in range(1500):
        n = int(rng.integers(1, 60))
        t = rng.integers(1, 30, n).astype(float) / (3 if trial % 2 else 1)  # many ties
        e = (rng.random(n) < rng.random()).astype(float)
        fit = km.estimate(t, e, ("log", "log-log", "plain")[trial % 3], 0.95)
        x = np.concatenate(([0.0], fit.time))
        for s in (fit.surv, fit.lower, fit.upper):  # bands: NaN, non-monotone
            y = np.concatenate(([0.0], 1.0 - s))
            for p in [0.5, 0.25, 0.75, 0.0, 1.0] + [float(v) for v in y[-2:] if v == v]:  # flats at p
                a, b = km.findq(x, y, p), km.findq_list(x.tolist(), y.tolist(), p)
                assert (np.isnan(a) and np.isnan(b)) or a == b, (trial, p, y)
                cases += 1
    assert cases > 20_000


# ----------------------------------------------------------------------------- defaults, level, tol, tables
# The docstring example: S = 0.75, 0.5, 0.5 at 1, 2, 3; Greenwood se of −log S = √(1/12), 1/2, 1/2.
EX_T, EX_E = [1, 2, 2, 3], [1, 1, 0, 0]
EX_SE = [math.sqrt(1 / 12), 0.5, 0.5]
Z90 = 1.6448536269514722  # qnorm(0.95)


def test_estimate_defaults_are_R_log_band_at_95_percent():
    fit = km.estimate(EX_T, EX_E)
    assert (fit.conf_type, fit.level) == ("log", 0.95)
    np.testing.assert_allclose(fit.std_err, EX_SE, rtol=1e-14)
    s, se = np.array([0.75, 0.5, 0.5]), np.array(EX_SE)
    np.testing.assert_allclose(fit.lower, s * np.exp(-1.959963984540054 * se), rtol=1e-14)
    np.testing.assert_array_equal(fit.upper, [1.0, 1.0, 1.0])  # exp(log S + z se) > 1: clipped
    lower, upper = km.confidence_band(fit.surv, fit.std_err)  # "log", 0.95 by default too
    np.testing.assert_array_equal(lower, fit.lower)
    np.testing.assert_array_equal(upper, fit.upper)


def test_conf_type_and_level_reach_the_band_and_are_kept():
    """Plain band at 90%: S ± z·se·S with z = qnorm(0.95), clipped to [0, 1]."""
    s, se = np.array([0.75, 0.5, 0.5]), np.array(EX_SE)
    fit = km.estimate(EX_T, EX_E, "plain", 0.9)
    assert (fit.conf_type, fit.level) == ("plain", 0.9)
    np.testing.assert_allclose(fit.lower, s - Z90 * se * s, rtol=1e-14)
    np.testing.assert_allclose(fit.upper, np.minimum(s + Z90 * se * s, 1.0), rtol=1e-14)
    table = km.kaplan_meier(EX_T, EX_E, "plain", 0.9)
    np.testing.assert_array_equal(table["lower"], fit.lower)
    np.testing.assert_array_equal(table["upper"], fit.upper)


def test_median_limits_follow_the_level():
    """Ten deaths at 1, …, 10 (S(k) = 1 − k/10, se² = 1/(10 − k) − 1/10). At level 0.5 (z = 0.674): the lower band
    S·exp(−z·se) first falls below 0.5 at 5 (0.404; at 4 it is 0.504), the upper S·exp(z·se) at 7 (0.416; at 6,
    0.519). At 0.95: (3, not reached)."""
    t, e = range(1, 11), [1] * 10
    assert tuple(km.median_ci(t, e, level=0.5)) == (5.5, 5.0, 7.0)
    s = km.median_summary(t, e, level=0.5)
    assert (s.n, s.events, s.median, s.lower, s.upper) == (10, 10, 5.5, 5.0, 7.0)
    assert km.median_ci(t, e)[:2] == (5.5, 3.0) and np.isnan(km.median_ci(t, e).upper)


def test_log_log_band_is_missing_where_S_is_0_or_1_whatever_the_standard_error():
    """R's survfit_confint: NA at S ∈ {0, 1} for "log-log" (log(−log S) is undefined), even with a finite se."""
    lower, upper = km.confidence_band([1.0, 0.5, 0.0], [0.1, 0.2, 0.3], "log-log")
    assert np.isnan(lower[[0, 2]]).all() and np.isnan(upper[[0, 2]]).all()
    se2 = 1.959963984540054 * 0.2 / math.log(0.5)
    assert lower[1] == pytest.approx(math.exp(-math.exp(math.log(-math.log(0.5)) - se2)), rel=1e-14)
    assert upper[1] == pytest.approx(math.exp(-math.exp(math.log(-math.log(0.5)) + se2)), rel=1e-14)


@pytest.mark.parametrize("conf_type", km.CONF_TYPES)
def test_a_curve_that_reaches_zero_raises_no_floating_point_error(conf_type):
    """n = d at the last time: Greenwood's se is infinite there and every band missing (R: Inf and NA), computed
    without a divide-by-zero or invalid-value warning."""
    # raise whatever numpy's process-wide state: lifelines' KaplanMeierFitter calls
    # np.seterr(divide="ignore", invalid="ignore") and leaves it so for every later test
    with np.errstate(divide="raise", invalid="raise"):
        fit = km.estimate([1, 2, 3, 4], [1, 1, 1, 1], conf_type)
    assert fit.surv[-1] == 0.0 and np.isinf(fit.std_err[-1])
    assert np.isnan(fit.lower[-1]) and np.isnan(fit.upper[-1])


def test_table_columns_and_integer_counts():
    table = km.kaplan_meier(EX_T, EX_E)
    assert table.columns.tolist() == ["time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper"]
    assert [str(table[c].dtype) for c in ("n_risk", "n_event", "n_censor")] == ["int64"] * 3
    np.testing.assert_allclose(table["std_err"], EX_SE, rtol=1e-14)


def test_result_tables_are_one_row_of_the_result():
    assert km.MedianCI(2.0, 1.0, 3.0).to_frame().to_dict("list") == {"median": [2.0], "lower": [1.0], "upper": [3.0]}
    assert km.Quantile(2.5, 1.0, 4.0).to_frame().to_dict("list") == {"quantile": [2.5], "lower": [1.0], "upper": [4.0]}
    frame = km.median_summary(range(1, 11), [1] * 10, level=0.5).to_frame()
    assert frame.to_dict("list") == {"n": [10], "events": [10], "median": [5.5], "lower": [5.0], "upper": [7.0]}


def test_estimate_quantile_is_quantile_survfit_with_its_defaults():
    """KaplanMeierEstimate.quantile() is survival_quantile of the same fit's table: p = 0.5 by default (CAMIS: R's
    quantile(fit, 0.5) 102.5, 77, NA) and R's tolerance."""
    fit = km.estimate(CAMIS_T, CAMIS_E)
    assert _same(fit.quantile(), (102.5, 77, np.nan))
    assert _same(fit.quantile(), km.survival_quantile(fit.to_frame()))
    assert _same(fit.quantile(0.25), km.survival_quantile(fit.to_frame(), 0.25))


def test_the_zero_quantile_is_time_zero_where_the_curve_starts():
    """R's quantile.survfit prepends firstx = 0 to the times: the 0-quantile of a curve with events is 0."""
    assert km.estimate(EX_T, EX_E).quantile(0.0).quantile == 0.0
    assert km.survival_quantile(km.kaplan_meier(SIM_T, SIM_E), 0.0).quantile == 0.0


def test_tol_reaches_the_median_and_the_quantiles():
    """A wide tolerance (0.3) on the example: S(1) = 0.75 is then "at 0.5" and falls lower later, so the printed
    median is the midpoint (1 + 2) / 2; quantile.survfit: 1 − S = 0.25 is within 0.3 of 0.5 from time 1 and the
    curve ends within it, so the midpoint with the last time, (1 + 3) / 2. Default tolerance: 2 and 2.5."""
    fit = km.estimate(EX_T, EX_E)
    assert fit.median(tol=0.3).median == 1.5 and fit.median().median == 2.0
    assert fit.quantile(0.5, tol=0.3).quantile == 2.0 and fit.quantile().quantile == 2.5
    assert km.survival_quantile(fit.to_frame(), 0.5, tol=0.3).quantile == 2.0


def test_tol_reaches_the_quantiles_of_a_long_curve():
    """Over 256 times (the numpy path of findq): with tol the quantile is the midpoint of the first times the CDF
    reaches p − tol and p + tol (400 distinct, unevenly spaced times, all events: S(k) = 1 − k/400)."""
    t = np.random.default_rng(41).exponential(10, 400).round(6)
    fit = km.estimate(t, np.ones(400))
    assert len(fit.time) > km.SHORT_CURVE
    cdf = 1 - fit.surv
    expected = (fit.time[np.argmax(cdf >= 0.5 - 0.0501)] + fit.time[np.argmax(cdf >= 0.5 + 0.0501)]) / 2
    assert expected != fit.quantile().quantile
    assert fit.quantile(0.5, tol=0.0501).quantile == expected
    assert km.survival_quantile(fit.to_frame(), 0.5, tol=0.0501).quantile == expected


# ----------------------------------------------------------------------------- the ports at their boundaries
TOL = km.TOLERANCE  # 2⁻²⁶ exactly: 0.5 ± TOL are exact doubles


def test_minmin_compares_strictly_at_the_tolerance_as_R():
    """R: ``y < 0.5 + tol`` and ``abs(y - 0.5) < tol``, both strict."""
    assert km.minmin([1, 2, 3], [0.9, 0.5 + TOL, 0.3]) == 3.0  # not below 0.5 + tol
    assert km.minmin([1, 2, 3], [0.9, 0.5 - TOL, 0.3]) == 2.0  # below, but not within tol of 0.5: no midpoint


@pytest.mark.parametrize("findq", [km.findq, km.findq_list])
def test_findq_boundaries(findq):
    x = [0.0, 1.0, 2.0]
    # R: max(y) < p is "not reached", even within tol of p
    assert np.isnan(findq(x, [0.0, 0.25, 0.5], 0.5 + TOL / 2))
    # a curve that ends flat exactly tol above p does not end "at p" (strict <): no midpoint with the last time 3,
    # the time the curve reached p + tol (2)
    assert findq([0.0, 1.0, 2.0, 3.0], [0.0, 0.25, 0.5 + TOL, 0.5 + TOL], 0.5) == 2.0
    # a non-monotone band whose last value repeats an earlier one: duplicated() drops the repeat, so the curve
    # does not end flat at p; the flat at 0.3 from 1 to 2 gives the midpoint 1.5
    assert findq([0.0, 1.0, 2.0, 3.0], [0.0, 0.3, 0.6, 0.3], 0.3) == 1.5
    # a band missing everywhere: no quantile, not even p = 0
    assert np.isnan(findq([0.0, 1.0], [np.nan, np.nan], 0.0))


def _approx_list(xs, ys, v):
    out = km._approx_constant_right_list(list(xs), list(ys), v)
    return np.nan if out is None else out


@pytest.mark.parametrize(
    "approx",
    [lambda xs, ys, v: km._approx_constant_right(np.array(xs, float), np.array(ys, float), v), _approx_list],
    ids=["numpy", "list"],
)
def test_approx_constant_is_R_approx_method_constant_f_1_rule_1(approx):
    """R ``approx(x, y, v, method = "constant", f = 1, rule = 1)``: NA outside [min x, max x]; y at a knot; the
    right knot's y between knots; the knots sorted first (ties kept in input order, stable, as the two ports
    agree bit for bit); one knot is a valid table."""
    xs, ys = [1.0, 2.0, 3.0], [10.0, 20.0, 30.0]
    assert np.isnan(approx(xs, ys, 0.5)) and np.isnan(approx(xs, ys, 3.5))
    assert [approx(xs, ys, v) for v in (1.0, 1.5, 2.0, 2.5, 3.0)] == [10.0, 20.0, 20.0, 30.0, 30.0]
    assert [approx([2.0, 1.0], [20.0, 10.0], v) for v in (1.0, 1.5, 2.0)] == [10.0, 20.0, 20.0]
    assert approx([5.0], [50.0], 5.0) == 50.0 and np.isnan(approx([5.0], [50.0], 4.0))
    assert np.isnan(approx([], [], 1.0))
    assert approx([1.0, 2.0, 0.0, 0.0], [10.0, 20.0, 30.0, 40.0], 0.0) == 30.0


# ----------------------------------------------------------------------------- single-precision input, knot order
# A table or curve stored in float32 (a parquet or feather file written in single precision) holds doubles' worth of
# values; the estimators read them as doubles, so R's sqrt(eps) tolerance (1.5e-8, below float32's spacing of 6e-8
# at 0.5) keeps its meaning and the answer is that of the same values given as float64.


def test_confidence_band_of_single_precision_input_is_computed_in_double_precision():
    """float32 S and se: the "log" band is S·exp(∓z·se) of their double values to 1e-15 (in single precision it would
    be off by ~1e-7), the same arrays as for the float64 copies, for every conf_type."""
    s32 = np.array([0.9, 0.7, 0.45, 0.2], dtype=np.float32)
    se32 = np.array([0.1, 0.2, 0.35, 0.6], dtype=np.float32)
    s, se = s32.astype(np.float64), se32.astype(np.float64)
    lower, upper = km.confidence_band(s32, se32)
    assert lower.dtype == upper.dtype == np.float64
    np.testing.assert_allclose(lower, s * np.exp(-1.959963984540054 * se), rtol=1e-15)
    np.testing.assert_allclose(upper, np.minimum(s * np.exp(1.959963984540054 * se), 1.0), rtol=1e-15)
    for conf_type in km.CONF_TYPES:
        for got, want in zip(km.confidence_band(s32, se32, conf_type), km.confidence_band(s, se, conf_type)):
            np.testing.assert_array_equal(got, want)


def test_printed_median_of_a_single_precision_curve_that_reaches_one_half():
    """S = 0.75, 0.5, 0.5 as float32 (exact values): the curve reaches 0.5 at 2, so the printed median is 2 (and 3,
    the midpoint with the later drop, when it falls to 0.25 at 4) — R's y < 0.5 + tol in double precision; in
    float32 0.5 + tol rounds to 0.5 and the median would be "not reached"."""
    assert km.minmin([1.0, 2.0, 3.0], np.array([0.75, 0.5, 0.5], dtype=np.float32)) == 2.0
    assert km.minmin([1.0, 2.0, 3.0, 4.0], np.array([0.75, 0.5, 0.5, 0.25], dtype=np.float32)) == 3.0


def test_findq_of_single_precision_input_keeps_the_tolerance_and_the_midpoint_exact():
    """CDF 0, 0.25, 0.5, 0.75 (float32, exact): it is at p = 0.5 from the third time to the fourth, so R's findq gives
    their midpoint (2.5 at times 0..3) — the ±tol lookups need double precision (in float32 y ± tol = y and the
    answer would be the third time alone). Times 0, 0.7, 1.1, 2.3 as float32: the midpoint of the doubles they hold,
    (1.100000023841858 + 2.299999952316284) / 2, not a float32 sum."""
    y32 = np.array([0.0, 0.25, 0.5, 0.75], dtype=np.float32)
    assert km.findq([0.0, 1.0, 2.0, 3.0], y32, 0.5) == 2.5
    x32 = np.array([0.0, 0.7, 1.1, 2.3], dtype=np.float32)
    assert km.findq(x32, [0.0, 0.25, 0.5, 0.75], 0.5) == (float(x32[2]) + float(x32[3])) / 2 == 1.699999988079071


def test_quantile_of_a_single_precision_table_is_that_of_its_doubles():
    """Ten deaths at 1, …, 10: S(9) = 0.1, so the CDF is 0.9 from 9 to 10 and the 0.9-quantile is the midpoint 9.5.
    Stored as float32, S(9) = 0.10000000149 and 1 − S(9) = 0.8999999985 is within tol of 0.9 (in float32 it would be
    0.89999998, 2.4e-8 below: the quantile would move to 10); the lower limit is 8 either way."""
    table = km.kaplan_meier(range(1, 11), [1] * 10)
    single = table.astype(dict.fromkeys(("time", "surv", "std_err", "lower", "upper"), "float32"))
    assert _same(km.survival_quantile(table, 0.9), (9.5, 8.0, np.nan))
    assert _same(km.survival_quantile(single, 0.9), (9.5, 8.0, np.nan))


@pytest.mark.parametrize(
    "approx",
    [lambda xs, ys, v: km._approx_constant_right(np.array(xs, float), np.array(ys, float), v), _approx_list],
    ids=["numpy", "list"],
)
def test_approx_constant_sorts_knots_in_any_order(approx):
    """Knots 2, 1, 3 (a descent, then a rise past the first knot) and 3, 1, 2 are sorted to 1, 2, 3 before the lookup,
    as R's approx does: the same answers as for sorted knots."""
    for xs, ys in (([2.0, 1.0, 3.0], [20.0, 10.0, 30.0]), ([3.0, 1.0, 2.0], [30.0, 10.0, 20.0])):
        assert [approx(xs, ys, v) for v in (1.0, 1.5, 2.0, 2.5, 3.0)] == [10.0, 20.0, 20.0, 30.0, 30.0]
        assert np.isnan(approx(xs, ys, 0.5)) and np.isnan(approx(xs, ys, 3.5))
