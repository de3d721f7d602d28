"""Every public estimator of analysis.stats refuses bad input with a message naming the argument and the
first bad position (analysis.stats.checks), and accepts every valid encoding of valid data.

Hypothesis draws valid survival data (times finite and ≥ 0, events as bools, 0/1 integers or 0.0/1.0,
in a list, a numpy array or a pandas Series), then puts one bad value — NaN, ±inf, a negative time; an
event coded 2, −1, 0.5, NaN — at a drawn position, and possibly more bad values after it, and checks
that the estimator raises ``ValueError`` naming the argument and that first position, formatted as
checks.py formats it (``time[3] is nan: …``, ``event[0] is 2: …``). Lengths that differ and empty
input are checked the same way; valid but degenerate data (one patient, no events, an empty group
where a count is asked for) are not bad input and must not raise.
"""

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.stats import checks, compare, cox, ensemble, km, logrank, proportions, resampling, risksets, survival

# The loaded Hypothesis profile's size (tests/conftest.py: 20 examples under "ci", derandomised and without
# an example database; 1000 under "thorough"); the properties that run every estimator fully take half.
SOME = settings(max_examples=settings.default.max_examples, deadline=None)
FEW = settings(max_examples=max(10, settings.default.max_examples // 2), deadline=None)

BAD_TIMES = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, -1.0]),
    st.floats(-1e6, -1e-6, allow_nan=False, allow_infinity=False),
)
BAD_EVENTS = st.sampled_from([2, -1, 0.5, 3.0, math.nan, math.inf])
BAD_COVARIATES = st.sampled_from([math.nan, math.inf, -math.inf])


def _container(values, kind):
    return {"list": list(values), "array": np.asarray(values), "series": pd.Series(values)}[kind]


@st.composite
def samples(draw, min_size=1, max_size=12):
    """Valid (time, event, group, covariate) as lists, with the encoding of the events drawn."""
    n = draw(st.integers(min_size, max_size))
    time = draw(
        st.lists(
            st.one_of(st.integers(0, 30).map(float), st.floats(0, 1e3, allow_nan=False, allow_infinity=False)),
            min_size=n,
            max_size=n,
        )
    )
    event = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    coding = draw(st.sampled_from(["bool", "int", "float"]))
    event = {"bool": event, "int": [int(v) for v in event], "float": [float(v) for v in event]}[coding]
    labels = draw(st.sampled_from([("a", "b"), (0, 1), (1.5, 2.5)]))
    group = [labels[v] for v in draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))]
    covariate = [float(v) for v in draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))]
    return time, event, group, covariate


@st.composite
def injected(draw, values, bad):
    """``values`` (a list) with a bad value at a drawn position and possibly further bad ones after it:
    (new list, first bad position, the bad value there)."""
    out = list(values)
    position = draw(st.integers(0, len(out) - 1))
    first = draw(bad)
    out[position] = first
    if position + 1 < len(out):
        for later in draw(st.lists(st.integers(position + 1, len(out) - 1), max_size=3)):
            out[later] = draw(bad)
    return out, position, first


def _named(name, position, value):
    """The start of checks.py's message: ``time[3] is nan:``."""
    return re.escape(f"{name}[{position}] is {float(value):g}:")


def _in_group(group):
    """A two-valued grouping as the booleans two_sample_p and the bootstrap Design take."""
    g = np.asarray(group, dtype=object)
    return g == g[0] if len(g) else np.zeros(0, dtype=bool)


# ----------------------------------------------------------------------------- the estimators
# name -> (call(time, event, group, covariate), accepts an empty sample, the names of time and event)
ESTIMATORS = {
    "km.estimate": (lambda t, e, g, x: km.estimate(t, e), False, ("time", "event")),
    "km.kaplan_meier": (lambda t, e, g, x: km.kaplan_meier(t, e, "log-log"), False, ("time", "event")),
    "km.median_ci": (lambda t, e, g, x: km.median_ci(t, e), False, ("time", "event")),
    "km.median_summary": (lambda t, e, g, x: km.median_summary(t, e, "plain"), False, ("time", "event")),
    "logrank.survdiff": (lambda t, e, g, x: logrank.survdiff(t, e, g), False, ("time", "event")),
    "logrank.survdiff rho strata": (
        lambda t, e, g, x: logrank.survdiff(t, e, g, rho=1, strata=x),
        False,
        ("time", "event"),
    ),
    "logrank.two_sample_p": (lambda t, e, g, x: logrank.two_sample_p(t, e, _in_group(g)), False, ("time", "event")),
    "survival.logrank": (lambda t, e, g, x: survival.logrank(t, e, g), False, ("time", "event")),
    "cox.coxph": (lambda t, e, g, x: cox.coxph(t, e, x), False, ("time", "event")),
    "cox.coxph breslow strata": (
        lambda t, e, g, x: cox.coxph(t, e, x, strata=g, ties="breslow"),
        False,
        ("time", "event"),
    ),
    "cox.ph_test": (lambda t, e, g, x: cox.ph_test(t, e, x, 0.1, 1.0), False, ("time", "event")),
    "survival.cox": (lambda t, e, g, x: survival.cox(t, e, x), False, ("time", "event")),
    "survival.survival_at": (lambda t, e, g, x: survival.survival_at(t, e), False, ("time", "event")),
    "survival.reverse_km_followup": (lambda t, e, g, x: survival.reverse_km_followup(t, e), False, ("time", "died")),
    "survival.risk_table": (lambda t, e, g, x: survival.risk_table(t, e, [0, 5]), True, ("time", "event")),
    "risksets.counts": (lambda t, e, g, x: risksets.counts(t, e), True, ("time", "event")),
    "risksets.counts group": (lambda t, e, g, x: risksets.counts(t, e, g), True, ("time", "event")),
    "ensemble.survival_on_grid": (lambda t, e, g, x: ensemble.survival_on_grid(t, e, [0, 1]), True, ("time", "event")),
    "ensemble.ensemble_band": (lambda t, e, g, x: ensemble.ensemble_band([(t, e)]), True, ("time", "event")),
    "ensemble.logrank_against sample": (
        lambda t, e, g, x: ensemble.logrank_against(t, e, [([1, 2], [1, 0])]),
        True,
        ("time", "event"),
    ),
    "ensemble.logrank_against reference": (
        lambda t, e, g, x: ensemble.logrank_against([1, 2], [1, 0], [(t, e)]),
        True,
        ("references[0].time", "references[0].event"),
    ),
    "resampling.Design": (lambda t, e, g, x: resampling.Design(t, e), False, ("time", "event")),
    "resampling.Design group": (lambda t, e, g, x: resampling.Design(t, e, _in_group(g)), False, ("time", "event")),
    "resampling.bootstrap": (
        lambda t, e, g, x: resampling.bootstrap(t, e, replicates=4, block=4),
        False,
        ("time", "event"),
    ),
}

# functions that take follow-up times without events: name -> (call(time), accepts an empty sample)
TIME_ONLY = {
    "checks.times": (lambda t: checks.times(t), False),
    "risksets.at_risk": (lambda t: risksets.at_risk(t, [0, 1]), True),
    "risksets.cumulative_at": (lambda t: risksets.cumulative_at(t, [True] * len(t), [1]), True),
    "survival.cumulative_incidence": (lambda t: survival.cumulative_incidence(t, ["relapse"] * len(t)), False),
    "survival.default_ticks": (lambda t: survival.default_ticks(t), True),
    "ensemble.common_grid": (lambda t: ensemble.common_grid([(t, [0] * len(t))]), True),
}

# functions taking a grouping or strata: name -> (call(time, event, labels, covariate), the argument's name)
LABELLED = {
    "logrank.survdiff": (lambda t, e, g, x: logrank.survdiff(t, e, g), "group"),
    "logrank.survdiff strata": (lambda t, e, g, x: logrank.survdiff(t, e, x, strata=g), "strata"),
    "logrank.two_sample_p": (lambda t, e, g, x: logrank.two_sample_p(t, e, g), "in_group"),
    "survival.logrank": (lambda t, e, g, x: survival.logrank(t, e, g), "group"),
    "cox.coxph strata": (lambda t, e, g, x: cox.coxph(t, e, x, strata=g), "strata"),
    "survival.cox strata": (lambda t, e, g, x: survival.cox(t, e, x, strata=g), "strata"),
    "risksets.counts": (lambda t, e, g, x: risksets.counts(t, e, g), "group"),
    "resampling.Design": (lambda t, e, g, x: resampling.Design(t, e, g), "group"),
}

# functions taking a numeric covariate
COVARIATE = {
    "cox.coxph": lambda t, e, x: cox.coxph(t, e, x),
    "cox.ph_test": lambda t, e, x: cox.ph_test(t, e, x, 0.1, 1.0),
    "survival.cox": lambda t, e, x: survival.cox(t, e, x),
}


def _refuses(name, call, pattern):
    """``call()`` raises ValueError with ``pattern`` in its message; the estimator's name in the failure."""
    try:
        call()
    except ValueError as error:
        assert re.search(pattern, str(error)), f"{name}: {error}"
    else:
        pytest.fail(f"{name} accepted the bad input")


# ----------------------------------------------------------------------------- bad times and events
# Each example is given to every estimator of a table: one draw, all of them checked on it.
@SOME
@given(data=st.data())
def test_a_bad_time_is_refused_at_its_first_position(data):
    t, e, g, x = data.draw(samples())
    bad_t, position, value = data.draw(injected(t, BAD_TIMES))
    bad_t = _container(bad_t, data.draw(st.sampled_from(["list", "array", "series"])))
    for name, (call, _, (time_name, _)) in ESTIMATORS.items():
        _refuses(
            name,
            lambda: call(bad_t, e, g, x),
            _named(time_name, position, value) + " every time must be a finite number ≥ 0",
        )


@SOME
@given(data=st.data())
def test_an_event_not_coded_0_1_is_refused_at_its_first_position(data):
    t, e, g, x = data.draw(samples())
    bad_e, position, value = data.draw(injected([float(v) for v in e], BAD_EVENTS))
    bad_e = _container(bad_e, data.draw(st.sampled_from(["list", "array", "series"])))
    for name, (call, _, (_, event_name)) in ESTIMATORS.items():
        _refuses(
            name,
            lambda: call(t, bad_e, g, x),
            _named(event_name, position, value) + r" events are coded 1 \(event\) or 0",
        )


@SOME
@given(data=st.data())
def test_time_only_functions_refuse_a_bad_time_at_its_first_position(data):
    t, _, _, _ = data.draw(samples())
    bad_t, position, value = data.draw(injected(t, BAD_TIMES))
    bad_t = _container(bad_t, data.draw(st.sampled_from(["list", "array"])))
    for name, (call, _) in TIME_ONLY.items():
        _refuses(name, lambda: call(bad_t), _named("time", position, value))


# ----------------------------------------------------------------------------- lengths and emptiness
@SOME
@given(data=st.data())
def test_time_and_event_of_different_lengths_are_refused(data):
    t, e, g, x = data.draw(samples())
    extra = data.draw(st.integers(-len(e), 3).filter(lambda k: k != 0))
    e2 = list(e[: len(e) + extra]) if extra < 0 else list(e) + [1] * extra
    for name, (call, _, (time_name, event_name)) in ESTIMATORS.items():
        _refuses(
            name,
            lambda: call(t, e2, g, x),
            re.escape(f"{time_name} has {len(t)} values but {event_name} has {len(e2)}"),
        )


@pytest.mark.parametrize("name", [n for n, (_, empty_ok, _) in ESTIMATORS.items() if not empty_ok])
def test_an_estimator_refuses_an_empty_sample(name):
    call, _, (time_name, _) = ESTIMATORS[name]
    with pytest.raises(ValueError, match=re.escape(f"{time_name} is empty")):
        call([], [], [], [])


@pytest.mark.parametrize("name", [n for n, (_, empty_ok, _) in ESTIMATORS.items() if empty_ok])
def test_counts_and_curves_of_an_empty_sample_are_not_an_error(name):
    """A group nobody is in is degenerate, not bad: zeros, an empty table or NaN, never an exception."""
    call, _, _ = ESTIMATORS[name]
    call([], [], [], [])


@pytest.mark.parametrize("name", TIME_ONLY)
def test_time_only_functions_on_an_empty_sample(name):
    call, empty_ok = TIME_ONLY[name]
    if empty_ok:
        call([])
    else:
        with pytest.raises(ValueError, match="time is empty"):
            call([])


# ----------------------------------------------------------------------------- groups, strata, covariates
@SOME
@given(data=st.data())
def test_a_missing_group_or_stratum_label_is_refused_at_its_first_position(data):
    t, e, g, x = data.draw(samples())
    missing = None if isinstance(g[0], str) else math.nan
    bad_g, position, _ = data.draw(injected(g, st.just(missing)))
    for name, (call, argument) in LABELLED.items():
        _refuses(name, lambda: call(t, e, bad_g, x), re.escape(f"{argument}[{position}] is missing"))


@SOME
@given(data=st.data())
def test_a_grouping_of_another_length_is_refused(data):
    t, e, g, x = data.draw(samples())
    g2 = g + g[:1] if data.draw(st.booleans()) or len(g) == 1 else g[:-1]
    for name, (call, argument) in LABELLED.items():
        _refuses(name, lambda: call(t, e, g2, x), re.escape(f"{argument} has {len(g2)} values but time has {len(t)}"))


@SOME
@given(data=st.data())
def test_a_non_finite_covariate_is_refused_at_its_first_position(data):
    t, e, _, x = data.draw(samples())
    bad_x, position, value = data.draw(injected(x, BAD_COVARIATES))
    for name, call in COVARIATE.items():
        _refuses(
            name, lambda: call(t, e, bad_x), _named("covariate", position, value) + " covariate must be finite numbers"
        )
        _refuses(
            name, lambda: call(t, e, x + [0.0]), re.escape(f"covariate has {len(x) + 1} values but time has {len(t)}")
        )


# ----------------------------------------------------------------------------- valid data
@FEW
@given(data=st.data())
@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")  # ph_test, no event
def test_valid_data_in_every_encoding_is_accepted(data):
    """Bools, 0/1 integers or floats, in a list, an array or a Series; one patient, no event: no error."""
    t, e, g, x = data.draw(samples())
    kind = data.draw(st.sampled_from(["list", "array", "series"]))
    for call, _, _ in ESTIMATORS.values():
        call(_container(t, kind), _container(e, kind), g, x)
    for call, _ in TIME_ONLY.values():
        call(_container(t, kind))


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")
@pytest.mark.parametrize(
    "t, e, g, x",
    [
        ([3.0], [0], ["a"], [0.0]),
        ([3.0], [True], ["a"], [1.0]),
        ([0.0, 0.0], [1, 1], ["a", "a"], [0.0, 0.0]),
        ([1.0, 2.0, 2.0], [0, 0, 0], [1, 1, 2], [1.0, 0.0, 1.0]),
    ],
    ids=["one patient censored", "one death", "time zero, one group", "no events"],
)
def test_degenerate_data_are_not_bad_input(t, e, g, x):
    for call, _, _ in ESTIMATORS.values():
        call(t, e, g, x)


@FEW
@given(sample=samples())
def test_the_encoding_of_the_events_changes_no_result(sample):
    t, e, g, x = sample
    codings = [[bool(v) for v in e], [int(v) for v in e], np.asarray(e, dtype=float), pd.Series(e, dtype=bool)]
    tables = [km.kaplan_meier(t, c) for c in codings]
    tests = [repr(logrank.survdiff(t, c, g)) for c in codings]
    fits = [repr(cox.coxph(t, c, x)) for c in codings]
    assert all(tab.equals(tables[0]) for tab in tables) and len(set(tests)) == 1 and len(set(fits)) == 1


@FEW
@given(sample=samples())
def test_counts_with_and_without_the_checks_are_the_same(sample):
    """``check=False`` (for estimators that have just checked) skips the checks and nothing else."""
    t, e, g, _ = sample
    a, b = risksets.counts(t, e, g), risksets.counts(np.asarray(t, float), np.asarray(e, float), g, check=False)
    for field in ("times", "n_risk", "n_event", "n_censor", "levels", "risk_by", "event_by"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


@SOME
@given(sample=samples())
def test_checked_data_are_the_input_as_floats(sample):
    t, e, _, _ = sample
    ct, ce = checks.survival_data(t, e)
    assert ct.dtype == ce.dtype == np.float64
    assert ct.tolist() == [float(v) for v in t] and ce.tolist() == [float(v) for v in e]


# ----------------------------------------------------------------------------- the bootstrap's log-rank
@st.composite
def replicate_counts(draw):
    b, k = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    cells = st.lists(st.lists(st.integers(0, 9).map(float), min_size=k, max_size=k), min_size=b, max_size=b)
    return [draw(cells) for _ in range(4)]


@SOME
@given(data=st.data())
def test_replicate_chi2_refuses_a_bad_count_at_its_first_cell(data):
    arrays = data.draw(replicate_counts())
    which = data.draw(st.integers(0, 3))
    name = ("n_risk", "n_event", "n_risk1", "n_event1")[which]
    rows, cols = len(arrays[0]), len(arrays[0][0])
    i, j = data.draw(st.integers(0, rows - 1)), data.draw(st.integers(0, cols - 1))
    value = data.draw(st.sampled_from([math.nan, math.inf, -math.inf, -1.0, -0.5]))
    arrays[which][i][j] = value
    for flat in data.draw(st.lists(st.integers(i * cols + j + 1, rows * cols), max_size=2)):
        if flat < rows * cols:
            arrays[which][flat // cols][flat % cols] = -2.0
    with pytest.raises(
        ValueError, match=re.escape(f"{name}[{i}, {j}] is {value:g}: counts must be finite numbers ≥ 0")
    ):
        logrank.replicate_chi2(*arrays)


@SOME
@given(data=st.data())
def test_replicate_chi2_refuses_arrays_of_different_shapes(data):
    arrays = data.draw(replicate_counts())
    which = data.draw(st.integers(1, 3))
    name = ("n_risk", "n_event", "n_risk1", "n_event1")[which]
    arrays[which] = [row + [0.0] for row in arrays[which]]
    shape, bad = np.shape(arrays[0]), np.shape(arrays[which])
    with pytest.raises(ValueError, match=re.escape(f"{name} has shape {bad} but n_risk has shape {shape}")):
        logrank.replicate_chi2(*arrays)


@SOME
@given(arrays=replicate_counts())
def test_replicate_chi2_accepts_any_valid_counts(arrays):
    assert logrank.replicate_chi2(*arrays).shape == (len(arrays[0]),)


# ----------------------------------------------------------------------------- two samples: compare, proportions
@SOME
@given(data=st.data())
def test_median_ci_names_the_first_missing_or_infinite_value(data):
    values = data.draw(st.lists(st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False), min_size=1, max_size=15))
    bad = data.draw(st.sampled_from([math.nan, math.inf, -math.inf]))
    bad_values, position, _ = data.draw(injected(values, st.just(bad)))
    if math.isnan(bad):
        expected = f"values[{position}] is nan: values contain {sum(v != v for v in bad_values)} missing value(s)"
    else:
        expected = f"values[{position}] is {bad:g}: values must be finite numbers"
    with pytest.raises(ValueError, match=re.escape(expected)):
        compare.median_ci(bad_values)
    assert compare.median_ci(values).n == len(values)  # the valid values: no error


@SOME
@given(data=st.data())
def test_holm_names_the_first_p_value_outside_0_1_and_keeps_nan(data):
    p = data.draw(st.lists(st.one_of(st.floats(0, 1), st.just(math.nan)), min_size=1, max_size=12))
    out = compare.holm(p)
    assert (np.isnan(out) == np.isnan(p)).all()
    bad_p, position, value = data.draw(injected(p, st.sampled_from([1.5, -0.1, math.inf, -math.inf])))
    with pytest.raises(
        ValueError, match=_named("p_values", position, value) + re.escape(" p-values must lie in [0, 1]")
    ):
        compare.holm(bad_p)


@SOME
@given(n=st.integers(0, 60), data=st.data())
def test_clopper_pearson_names_a_bad_count(n, data):
    k = data.draw(st.integers(0, n))
    lo, hi = proportions.clopper_pearson(k, n)
    assert (math.isnan(lo) and math.isnan(hi)) if n == 0 else 0 <= lo <= k / n <= hi <= 1
    with pytest.raises(ValueError, match=re.escape(f"k = {n + 1 + k} exceeds its denominator n = {n}")):
        proportions.clopper_pearson(n + 1 + k, n)
    which, value = data.draw(st.sampled_from(["k", "n"])), data.draw(st.sampled_from([-1, 1.5, math.nan, math.inf]))
    args = {"k": k, "n": n, which: value}
    with pytest.raises(ValueError, match=f"{which} must be a whole number ≥ 0"):
        proportions.clopper_pearson(args["k"], args["n"])


@SOME
@given(data=st.data())
def test_difference_of_proportions_names_a_bad_count(data):
    counts = {"k1": 3, "n1": 10, "k2": 4, "n2": 12}
    which = data.draw(st.sampled_from(sorted(counts)))
    counts[which] = data.draw(st.sampled_from([-1, 2.5, math.nan, math.inf, True]))
    with pytest.raises(ValueError, match=f"{which} must be a whole number ≥ 0"):
        compare.difference_of_proportions(counts["k1"], counts["n1"], counts["k2"], counts["n2"])


# ----------------------------------------------------------------------------- the acceptance cases, explicitly
@pytest.mark.parametrize("kind", ["list", "array", "series"])
def test_study_logrank_refuses_a_nan_time(kind):
    time = _container([3.0, 5.0, math.nan, 8.0, 2.0], kind)
    with pytest.raises(ValueError, match=re.escape("time[2] is nan: every time must be a finite number ≥ 0")):
        survival.logrank(time, [1, 0, 1, 1, 0], ["a", "a", "b", "b", "b"])


@pytest.mark.parametrize("kind", ["list", "array", "series"])
def test_study_logrank_refuses_an_event_coded_2(kind):
    event = _container([1, 0, 1, 2, 0], kind)
    with pytest.raises(ValueError, match=re.escape("event[3] is 2: events are coded 1 (event) or 0 (censored)")):
        survival.logrank([3.0, 5.0, 6.0, 8.0, 2.0], event, ["a", "a", "b", "b", "b"])


def test_study_logrank_refuses_the_first_of_several_bad_values_and_a_missing_group():
    with pytest.raises(ValueError, match=re.escape("time[1] is -1:")):
        survival.logrank([3.0, -1.0, math.nan, 8.0], [1, 0, 1, 1], ["a", "a", "b", "b"])
    with pytest.raises(ValueError, match=re.escape("group[2] is missing")):
        survival.logrank([3.0, 1.0, 2.0, 8.0], [1, 0, 1, 1], ["a", "a", None, "b"])


def test_shapes_and_non_numbers_are_refused_by_name():
    with pytest.raises(ValueError, match="time must be one-dimensional"):
        km.estimate([[1, 2], [3, 4]], [[1, 0], [0, 1]])
    with pytest.raises(ValueError, match=re.escape("time[1] is 'x': time must be numbers")):
        km.estimate([1, "x"], [1, 0])
    with pytest.raises(ValueError, match=re.escape("event[0] is 'yes': event must be numbers")):
        logrank.survdiff([1, 2], ["yes", 0], [0, 1])
