"""analysis.stats.km / analysis.stats.survival against frozen R survival 3.5 output (tests/r/reference.json).

Made by `Rscript tests/r/make_reference.R > tests/r/reference.json` (the R calls are in that script);
CI needs no R. Tolerance 1e-6 (absolute; times in months or days, survival probabilities).
Datasets: CAMIS (flat at 0.5), sim44 (event/censor ties, two groups), flat_end (flat at 0.5 to the
last time), ties (heavy ties, two groups), censoring_extremes (an all-censored group and a group
without censoring), and PFS/OS of a snapshot of the synthetic cohort (times derived in R).
"""

import json

import numpy as np
import pytest

from analysis import paths
from analysis.data import derive
from analysis.data.cohort import load_cohort
from analysis.stats import km, survival

REF = json.loads((paths.TESTS / "r" / "reference.json").read_text())
DATASETS = {k: v for k, v in REF["datasets"].items() if "status" in v}
TOL = 1e-6


def _close(a, b):
    a = [np.nan if x is None else x for x in a]
    b = [np.nan if x is None else x for x in b]
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), atol=TOL, rtol=0, equal_nan=True)


def _curves(name):
    d = DATASETS[name]
    t, s = np.array(d["time"]), np.array(d["status"])
    yield "all", t, s, d["all"]
    if "group" in d:
        g = np.array(d["group"])
        for value in sorted(set(g)):
            yield f"group_{value:g}", t[g == value], s[g == value], d[f"group_{value:g}"]


CURVES = [(name, label) for name in DATASETS for label, *_ in _curves(name)]


@pytest.mark.parametrize("name, label", CURVES)
@pytest.mark.parametrize("conf_type", ["log", "log-log", "plain"])
def test_median_and_ci_against_R(name, label, conf_type):
    """The printed values (``summary(fit)$table``, ``survival:::survmean``)."""
    t, s, ref = next((t, s, r) for lab, t, s, r in _curves(name) if lab == label)
    _close(km.median_ci(t, s, conf_type), ref["median"][conf_type])


@pytest.mark.parametrize("name, label", CURVES)
@pytest.mark.parametrize("conf_type", ["log", "log-log", "plain"])
def test_quantile_rule_against_R_quantile_survfit(name, label, conf_type):
    t, s, ref = next((t, s, r) for lab, t, s, r in _curves(name) if lab == label)
    _close(km.survival_quantile(km.kaplan_meier(t, s, conf_type), 0.5), ref["median_quantile"][conf_type])
    _close(km.survival_quantile(km.kaplan_meier(t, 1 - s), 0.5), ref["reverse_km_quantile"])


@pytest.mark.parametrize("name, label", CURVES)
def test_survival_at_landmarks_and_numbers_at_risk_against_R(name, label):
    t, s, ref = next((t, s, r) for lab, t, s, r in _curves(name) if lab == label)
    at = ref["at_times"]
    if not at["time"]:
        return
    ours = survival.survival_at(t, s, at["time"])
    _close(ours["surv"], at["surv"])
    _close(ours["lower"], at["lower"])
    _close(ours["upper"], at["upper"])
    assert ours["n_risk"].tolist() == [int(x) for x in at["n_risk"]]
    ll = survival.survival_at(t, s, at["time"], conf_type="log-log")
    _close(ll["lower"], at["lower_loglog"])
    _close(ll["upper"], at["upper_loglog"])


@pytest.mark.parametrize("name, label", CURVES)
def test_reverse_km_follow_up_against_R(name, label):
    t, s, ref = next((t, s, r) for lab, t, s, r in _curves(name) if lab == label)
    _close(survival.reverse_km_followup(t, s), ref["reverse_km"])


@pytest.mark.parametrize("name", [n for n in DATASETS if "survdiff" in DATASETS[n]])
@pytest.mark.parametrize("rho", [0, 1])
def test_logrank_chi2_and_p_against_R_survdiff(name, rho):
    d = DATASETS[name]
    res = survival.logrank(d["time"], d["status"], d["group"], rho=rho)
    _close([res.chi2, res.p], d["survdiff"][f"rho{rho}"])


@pytest.mark.parametrize("name", [n for n in DATASETS if "coxph" in DATASETS[n]])
def test_cox_hazard_ratio_ci_and_p_against_R_coxph(name):
    d = DATASETS[name]
    res = survival.cox(d["time"], d["status"], d["group"])
    _close([res.hr, res.lower, res.upper, res.p], d["coxph"])


def test_cumulative_incidence_of_death_by_cause_against_R():
    ref = REF["datasets"]["synthetic_cuminc"]
    snap = paths.TESTS / "r" / "cohort_snapshot.csv"
    patients = load_cohort(snap).patients
    os_ = derive.time_to_event(patients)
    os_ = os_[os_["endpoint"] == "OS"].reset_index(drop=True)
    cif = survival.cumulative_incidence(
        os_["time_months"], patients["death_cause"].astype(object), ["progression", "infection", "other"]
    )
    at = survival.incidence_at(cif, ref["time"])
    for cause in ("progression", "infection", "other"):
        _close(at[cause], ref[cause])


def test_python_months_equal_the_R_derivation_from_dates():
    patients = load_cohort(paths.TESTS / "r" / "cohort_snapshot.csv").patients
    tte = derive.time_to_event(patients)
    pfs = tte[tte["endpoint"] == "PFS"]
    _close(pfs["time_months"], DATASETS["synthetic_pfs_emd"]["time"])
    assert pfs["event"].tolist() == DATASETS["synthetic_pfs_emd"]["status"]
