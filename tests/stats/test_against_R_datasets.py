"""analysis.stats (km, survival, cox, logrank) against R survival on R's own datasets (tests/r/datasets_reference.json).

Made by `Rscript tests/r/make_datasets_reference.R > tests/r/datasets_reference.json` (R 4.2.2, survival
3.5.3; the R calls and every dataset choice are in that script); CI needs no R. Datasets: lung, aml,
veteran, ovarian, colon (deaths), pbc (deaths), myeloma (left truncation ignored, as R's "incorrect
curve" example), mgus2 (deaths), flchain -- 23 to 7,874 patients, heavy ties, long tails, groups of one.

Every frozen value is compared, to 1e-6 relative (1e-10 absolute for values near 0; R's NA = our nan):
per curve (whole dataset and each group) and conf.type, the printed median and limits
(``summary(fit)$table``), ``quantile(fit, 0.5)``, ``summary(fit, times = ...)`` (n at risk, S, limits) and
both for the reverse Kaplan-Meier; per grouping, ``survdiff`` rho = 0 and 1 (chi2, df, p, weighted
observed and expected); per two-level grouping, ``coxph`` with Efron and Breslow ties (log HR, SE, HR,
limits, Wald p). The number of values that agree is printed at the end of the module's run.

Times are used as given: every time in these datasets is a whole number (checked below), so R's
``aeqSurv`` (which merges times equal within floating-point error) has nothing to merge.
"""

import json
import math

import numpy as np
import pytest

from analysis import paths
from analysis.stats import cox, km, survival

REF = json.loads((paths.TESTS / "r" / "datasets_reference.json").read_text())
DATASETS = REF["datasets"]
CONF_TYPES = ("log", "log-log", "plain")
RTOL, ATOL = 1e-6, 1e-10

_TALLY = {"values": 0, "tests": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_agreement(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and _TALLY["tests"]:
        with capture.global_and_fixture_disabled():  # shown in a normal run, not only on failure
            reporter.write_line(
                f"\ntest_against_R_datasets: {_TALLY['values']} values agree with R survival "
                f"{REF['survival_version']} in {_TALLY['tests']} parametrised tests"
            )


def _agree(ours, theirs, what):
    """Assert every value agrees (None in the JSON = R's NA = our nan) and count them."""
    ours = [float(x) for x in np.atleast_1d(np.asarray(ours, dtype=float))]
    theirs = [math.nan if x is None else float(x) for x in np.atleast_1d(np.asarray(theirs, dtype=object))]
    assert len(ours) == len(theirs), f"{what}: {len(ours)} values, R has {len(theirs)}"
    bad = [
        (i, a, b)
        for i, (a, b) in enumerate(zip(ours, theirs))
        if not ((math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL))
    ]
    assert not bad, f"{what}: (index, ours, R) {bad}"
    _TALLY["values"] += len(ours)
    return len(ours)


def _columns(name):
    d = DATASETS[name]["data"]
    return np.asarray(d["time"], dtype=float), np.asarray(d["status"], dtype=float), d


def _curves(name):
    """(label, time, status, R's answers) for the whole dataset and each level of each grouping."""
    t, s, data = _columns(name)
    curves = DATASETS[name]["curves"]
    yield "all", t, s, curves["all"]
    for grouping, info in DATASETS[name]["groupings"].items():
        g = np.asarray(data[grouping], dtype=object)
        for level in info["levels"]:
            rows = g == level
            yield f"{grouping}={level}", t[rows], s[rows], curves[f"{grouping}={level}"]


def _grouped(name, grouping):
    t, s, data = _columns(name)
    g = np.asarray(data[grouping], dtype=object)
    keep = g != None  # noqa: E711 - elementwise: the JSON's null is R's NA
    return t[keep], s[keep], g[keep].astype(str)


def _ids(params):
    return ["-".join(str(p) for p in ps) for ps in params]


CURVE_PARAMS = [(name, ct) for name in DATASETS for ct in CONF_TYPES]
GROUP_PARAMS = [
    (name, grouping, rho) for name in DATASETS for grouping in DATASETS[name]["groupings"] for rho in (0, 1)
]
COX_PARAMS = [
    (name, grouping, ties)
    for name in DATASETS
    for grouping, info in DATASETS[name]["groupings"].items()
    if "coxph" in info
    for ties in ("efron", "breslow")
]


@pytest.mark.parametrize("name, conf_type", CURVE_PARAMS, ids=_ids(CURVE_PARAMS))
def test_printed_median_and_limits(name, conf_type):
    """``km.median_ci`` = ``summary(fit)$table`` median, 0.95LCL, 0.95UCL (``print(fit)``)."""
    for label, t, s, ref in _curves(name):
        _agree(km.median_ci(t, s, conf_type), ref[conf_type]["median"], f"{name} {label} {conf_type}")
    _TALLY["tests"] += 1


@pytest.mark.parametrize("name, conf_type", CURVE_PARAMS, ids=_ids(CURVE_PARAMS))
def test_quantile_survfit_median(name, conf_type):
    """``km.survival_quantile(.., 0.5)`` = ``quantile(fit, 0.5)`` (the other rule, kept for p != 0.5)."""
    for label, t, s, ref in _curves(name):
        table = km.kaplan_meier(t, s, conf_type)
        _agree(km.survival_quantile(table, 0.5), ref[conf_type]["quantile"], f"{name} {label} {conf_type}")
    _TALLY["tests"] += 1


@pytest.mark.parametrize("name, conf_type", CURVE_PARAMS, ids=_ids(CURVE_PARAMS))
def test_survival_at_times(name, conf_type):
    """``survival.survival_at`` = ``summary(fit, times = ..., extend = FALSE)``: n at risk, S, limits."""
    for label, t, s, ref in _curves(name):
        at = ref[conf_type]["at_times"]
        ours = survival.survival_at(t, s, at["time"], conf_type=conf_type)
        what = f"{name} {label} {conf_type}"
        _agree(ours.time, at["time"], what + " time")
        for column in ("n_risk", "surv", "lower", "upper"):
            _agree(ours[column], at[column], f"{what} {column}")
    _TALLY["tests"] += 1


@pytest.mark.parametrize("name, conf_type", CURVE_PARAMS, ids=_ids(CURVE_PARAMS))
def test_reverse_km_median_follow_up(name, conf_type):
    """``survival.reverse_km_followup`` = printed median of ``survfit(Surv(time, 1 - status) ~ 1)``."""
    for label, t, s, ref in _curves(name):
        what = f"{name} {label} {conf_type}"
        _agree(survival.reverse_km_followup(t, s, conf_type), ref[conf_type]["reverse_km"], what)
        _agree(
            km.survival_quantile(km.kaplan_meier(t, 1 - s, conf_type), 0.5),
            ref[conf_type]["reverse_km_quantile"],
            what + " quantile()",
        )
    _TALLY["tests"] += 1


@pytest.mark.parametrize("name, grouping, rho", GROUP_PARAMS, ids=_ids(GROUP_PARAMS))
def test_survdiff(name, grouping, rho):
    """``survival.logrank`` = ``survdiff(Surv(time, status) ~ group, rho = rho)``, 2 and k groups."""
    info = DATASETS[name]["groupings"][grouping]
    ref = info[f"rho{rho}"]
    t, s, g = _grouped(name, grouping)
    assert len(t) == info["n_used"]
    ours = survival.logrank(t, s, g, rho=rho)
    what = f"{name} {grouping} rho={rho}"
    _agree([ours.chi2, ours.df, ours.p], [ref["chisq"], ref["df"], ref["p"]], what)
    observed, expected = dict(zip(ours.groups, ours.observed)), dict(zip(ours.groups, ours.expected))
    _agree([observed[lv] for lv in info["levels"]], ref["observed"], what + " observed")
    _agree([expected[lv] for lv in info["levels"]], ref["expected"], what + " expected")
    _TALLY["tests"] += 1


@pytest.mark.parametrize("name, grouping, ties", COX_PARAMS, ids=_ids(COX_PARAMS))
def test_coxph(name, grouping, ties):
    """``cox.coxph`` (and ``survival.cox``, the study's entry point) = ``coxph(Surv(time, status) ~ x,
    ties = ties)``, x the 0/1 indicator of the grouping's second level."""
    info = DATASETS[name]["groupings"][grouping]
    ref = info["coxph"][ties]
    t, s, g = _grouped(name, grouping)
    x = (g == info["levels"][1]).astype(float)
    fit = cox.coxph(t, s, x, ties=ties)
    what = f"{name} {grouping} {ties}"
    _agree(
        [getattr(fit, k) for k in ("beta", "se", "hr", "lower", "upper", "p")],
        [ref[k] for k in ("coef", "se", "hr", "lower", "upper", "p")],
        what,
    )
    if ties == "efron":
        ours = survival.cox(t, s, x)
        _agree(
            [getattr(ours, k) for k in ("hr", "lower", "upper", "p")],
            [ref[k] for k in ("hr", "lower", "upper", "p")],
            what + " survival.cox",
        )
    _TALLY["tests"] += 1


def test_times_are_whole_numbers_so_aeqsurv_merges_nothing():
    for name in DATASETS:
        t, s, _ = _columns(name)
        assert np.array_equal(t, np.round(t)) and set(np.unique(s)) <= {0.0, 1.0}, name


def test_printed_and_quantile_rules_differ_on_real_data_and_km_follows_the_print():
    """Where R's two rules disagree (on these datasets: aml, log band, 0.95UCL 45 printed, 48 from
    ``quantile``), ``km.median_ci`` gives the printed value and ``km.survival_quantile`` the other."""
    differ = []
    for name in DATASETS:
        for label, _t, _s, ref in _curves(name):
            for ct in CONF_TYPES:
                for kind, printed, quant in (
                    ("median", ref[ct]["median"], ref[ct]["quantile"]),
                    ("reverse_km", ref[ct]["reverse_km"], ref[ct]["reverse_km_quantile"]),
                ):
                    if printed != quant:
                        differ.append((name, label, ct, kind))
    assert differ == [("aml", "all", "log", "median")]
    t, s, _ = _columns("aml")
    assert km.median_ci(t, s, "log") == (27.0, 18.0, 45.0)
    assert km.survival_quantile(km.kaplan_meier(t, s, "log"), 0.5) == (27.0, 18.0, 48.0)
