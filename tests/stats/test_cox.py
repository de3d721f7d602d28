"""Cox (analysis.stats.cox): equal to R's coxph (Efron and Breslow, with strata) and to lifelines; O(N log N).

References frozen from R 4.2 / survival 3.5 by tests/r/make_strata_reference.R; the dense
risk-set rescan it replaces is kept here as a test double (``_dense_efron``).
"""

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.stats import cox

REF = json.loads((paths.TESTS / "r" / "strata_reference.json").read_text())
DATA = pd.read_csv(paths.TESTS / "r" / "strata_input.csv")


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("stratified", [False, True])
def test_equals_r_coxph_with_and_without_strata(ties, stratified):
    ref = REF[f"cox_{'strata' if stratified else 'plain'}_{ties}"]
    fit = cox.coxph(DATA["time"], DATA["event"], DATA["x"], strata=DATA["centre"] if stratified else None, ties=ties)
    assert fit.beta == pytest.approx(ref["beta"], rel=1e-9)
    assert fit.se == pytest.approx(ref["se"], rel=1e-8)
    assert fit.loglik == pytest.approx(ref["loglik"], rel=1e-10)
    assert fit.hr == pytest.approx(math.exp(ref["beta"]), rel=1e-9) and fit.reason == ""


def _dense_efron(t, e, x, beta):
    """The O(D·N) rescan of the risk set at every event time (the previous implementation)."""
    risk = np.exp(beta * x - np.max(beta * x))
    loglik = score = info = 0.0
    for u in np.unique(t[e == 1]):
        at_risk, dead = t >= u, (t == u) & (e == 1)
        d = int(dead.sum())
        s0r, s1r, s2r = risk[at_risk].sum(), (x * risk)[at_risk].sum(), (x * x * risk)[at_risk].sum()
        s0d, s1d, s2d = risk[dead].sum(), (x * risk)[dead].sum(), (x * x * risk)[dead].sum()
        loglik += beta * x[dead].sum() - d * np.max(beta * x)
        score += x[dead].sum()
        for j in range(d):
            f = j / d
            a, b, c = s0r - f * s0d, s1r - f * s1d, s2r - f * s2d
            loglik -= math.log(a)
            score -= b / a
            info += c / a - (b / a) ** 2
    return loglik, score, info


def test_sorted_cumulative_sums_equal_the_dense_rescan_to_1e_10():
    rng = np.random.default_rng(7)
    for _ in range(60):
        n = int(rng.integers(3, 120))
        t = rng.integers(1, 15, n).astype(float)  # heavy ties
        e = (rng.random(n) < 0.6).astype(float)
        x = rng.normal(size=n)
        beta = float(rng.normal())
        design = cox._Design(t, e, x, None, "efron")
        np.testing.assert_allclose(design.evaluate(beta), _dense_efron(t, e, x, beta), rtol=1e-10)


def test_hazard_ratio_equals_lifelines_without_ties():
    from lifelines import CoxPHFitter

    rng = np.random.default_rng(3)
    t, e, x = rng.permutation(200) + 1.0, (rng.random(200) < 0.7).astype(float), (rng.random(200) < 0.5) * 1.0
    ll = CoxPHFitter().fit(pd.DataFrame({"t": t, "e": e, "x": x}), "t", "e")
    assert cox.coxph(t, e, x).beta == pytest.approx(float(ll.params_["x"]), rel=1e-5)


@pytest.mark.parametrize(
    "t, e, x, reason",
    [
        ([1, 2, 3], [0, 0, 0], [0, 1, 1], "no events"),
        ([1, 2, 3], [1, 1, 0], [1, 1, 1], "no variation in the covariate"),
        ([1, 2, 3, 4], [0, 0, 1, 1], [0, 0, 1, 1], "no events where the covariate is 0"),
        ([1, 2, 3, 10, 11, 12], [1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0], "monotone likelihood (the estimate diverges)"),
    ],
)
def test_not_estimable_is_said_with_its_reason(t, e, x, reason):
    fit = cox.coxph(t, e, x)
    assert np.isnan(fit.hr) and fit.reason == f"HR not estimable: {reason}"


def test_unknown_ties_method_is_refused():
    with pytest.raises(ValueError, match="efron"):
        cox.coxph([1, 2], [1, 1], [0, 1], ties="exact")


def test_proportional_hazards_test_equals_lifelines_given_the_same_fit():
    import warnings

    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

    rng = np.random.default_rng(3)
    for _ in range(25):
        n = int(rng.integers(20, 150))
        t, e = rng.integers(1, 40, n).astype(float), (rng.random(n) < 0.7).astype(float)
        x = (rng.random(n) < 0.5).astype(float)
        df = pd.DataFrame({"time": t, "event": e, "x": x})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = CoxPHFitter().fit(df, "time", "event")
            ref = float(proportional_hazard_test(fit, df, time_transform="km").p_value[0])
        ours = cox.ph_test(t, e, x, float(fit.params_["x"]), float(fit.standard_errors_["x"]))
        assert ours == pytest.approx(ref, rel=1e-10)


def test_a_newton_step_lost_in_rounding_is_still_taken_against_R_mgus2():
    """R survival's mgus2, death ~ sex: the third Newton step (7e-8) changes the log-likelihood (-6264) by less
    than its rounding (~6e-12); halving on that "decrease" used to stop 2.4e-8 short of R's β."""
    data = json.loads((paths.TESTS / "r" / "datasets_reference.json").read_text())["datasets"]["mgus2"]
    ref = data["groupings"]["sex"]["coxph"]
    x = (np.asarray(data["data"]["sex"]) == "M").astype(float)
    for ties in ("efron", "breslow"):
        fit = cox.coxph(data["data"]["time"], data["data"]["status"], x, ties=ties)
        assert fit.beta == pytest.approx(ref[ties]["coef"], rel=1e-11)
        assert fit.se == pytest.approx(ref[ties]["se"], rel=1e-11)


def test_stratified_sums_are_the_sums_over_each_stratum_alone():
    """Every stratum has its own risk sets: ℓ, U and I of a stratified design are the sums of the dense rescan of
    each stratum by itself, the last stratum included, at any β."""
    rng = np.random.default_rng(17)
    for n_strata in (2, 3):
        for _ in range(10):
            n = int(rng.integers(6, 60))
            t = rng.integers(1, 10, n).astype(float)
            e = (rng.random(n) < 0.7).astype(float)
            x = rng.normal(size=n)
            s = rng.integers(0, n_strata, n)
            design = cox._Design(t, e, x, s, "efron")
            for beta in rng.normal(size=3):
                alone = [_dense_efron(t[s == k], e[s == k], x[s == k], beta) for k in np.unique(s)]
                np.testing.assert_allclose(design.evaluate(beta), np.sum(alone, axis=0), rtol=1e-10, atol=1e-12)


def test_an_overshooting_newton_step_is_halved_and_the_fit_converges_to_the_maximum():
    """A covariate with an outlier (18): Newton from β = 0 goes to 0.359, and its next full step (−0.557, to −0.198)
    lowers the partial likelihood from −9.38 to −13.75; undamped Newton diverges from there (4.8, −62.5, …). With
    step halving the fit reaches the maximum, β̂ = 0.2083 (lifelines' CoxPHFitter; no ties), where the dense
    rescan's score is 0."""
    from lifelines import CoxPHFitter

    t = [6.0, 1.0, 3.0, 4.0, 8.0, 5.0, 2.0, 7.0]
    e = [1.0] * 8
    x = [-0.1, 18.0, 0.1, -1.6, 0.1, -0.8, -1.1, 0.2]
    ta, ea, xa = np.asarray(t), np.asarray(e), np.asarray(x)
    _, score0, info0 = _dense_efron(ta, ea, xa, 0.0)
    beta1 = score0 / info0
    loglik1, score1, info1 = _dense_efron(ta, ea, xa, beta1)
    assert _dense_efron(ta, ea, xa, beta1 + score1 / info1)[0] < loglik1 - 4  # the full second step overshoots
    fit = cox.coxph(t, e, x)
    assert fit.estimable
    ll = CoxPHFitter().fit(pd.DataFrame({"t": t, "e": e, "x": x}), "t", "e")
    assert fit.beta == pytest.approx(float(ll.params_["x"]), rel=1e-5)
    assert fit.se == pytest.approx(float(ll.standard_errors_["x"]), rel=1e-5)
    assert fit.loglik == pytest.approx(ll.log_likelihood_, rel=1e-10)
    loglik, score, info = _dense_efron(ta, ea, xa, fit.beta)
    assert abs(score) < 1e-9 and fit.loglik == pytest.approx(loglik, rel=1e-12)
    assert fit.se == pytest.approx(1 / math.sqrt(info), rel=1e-10)


def test_no_information_when_every_risk_set_has_one_covariate_value():
    """Strata that coincide with the covariate: every event's risk set holds one value of x, so the information is
    0 at every β (R: a zero-variance coefficient); said, not divided by."""
    fit = cox.coxph([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [0, 0, 0, 1, 1, 1], strata=[0, 0, 0, 1, 1, 1])
    assert np.isnan(fit.beta) and fit.reason == (
        "HR not estimable: no information about the covariate (every event sees the same covariate values)"
    )


def test_bad_covariate_or_strata_is_refused_naming_the_argument():
    t, e = [1, 2, 3, 4], [1, 0, 1, 1]
    with pytest.raises(ValueError, match=r"^covariate\[2\] is nan: covariate must be finite numbers$"):
        cox.coxph(t, e, [0, 1, np.nan, 1])
    with pytest.raises(ValueError, match=r"^covariate\[1\] is inf: covariate must be finite numbers$"):
        cox.ph_test(t, e, [0, np.inf, 1, 1], 0.1, 1.0)
    with pytest.raises(ValueError, match=r"^strata\[1\] is missing: every subject needs a strata label"):
        cox.coxph(t, e, [0, 1, 0, 1], strata=["a", None, "b", "b"])


def test_proportional_hazards_test_on_a_small_sample_equals_lifelines():
    """Six and seven subjects (d·Var(β)·Σ(g − ḡ)² below 1): lifelines' CoxPHFitter gives (β, se) and its
    proportional_hazard_test(time_transform="km") the p-value on that fit, as recorded here."""
    for t, e, x, beta, se, ref in [
        (
            [1, 2, 3, 4, 5, 6],
            [1, 1, 0, 1, 1, 0],
            [0, 1, 0, 1, 0, 1],
            -0.2739478172022474,
            1.0106744819178106,
            0.8889338491662655,
        ),
        (
            [2, 3, 5, 7, 8, 9, 11],
            [1, 0, 1, 1, 1, 0, 1],
            [1, 0, 0, 1, 1, 0, 0],
            1.4605392436252878,
            1.1613284654627822,
            0.6923786317393901,
        ),
    ]:
        assert cox.ph_test(t, e, x, beta, se) == pytest.approx(ref, rel=1e-12)


def test_proportional_hazards_test_is_nan_without_spread_in_the_time_transform():
    """All events at one time: 1 − KM(t) is the same for every event, so no trend can be tested (a 0/0)."""
    t, e, x = [1, 1, 1, 2, 3], [1, 1, 1, 0, 0], [0, 1, 0, 1, 1]
    fit = cox.coxph(t, e, x)
    assert fit.estimable and np.isnan(cox.ph_test(t, e, x, fit.beta, fit.se))


def test_proportional_hazards_test_raises_no_floating_point_error():
    """Times with censorings only have no Schoenfeld mean (0 events / 0): computed silently, not warned about."""
    t, e, x = [1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [0, 1, 0, 1, 0, 1]
    fit = cox.coxph(t, e, x)
    # raise whatever numpy's process-wide state: lifelines' KaplanMeierFitter calls
    # np.seterr(divide="ignore", invalid="ignore") and leaves it so for every later test
    with np.errstate(divide="raise", invalid="raise"):
        assert cox.ph_test(t, e, x, fit.beta, fit.se) == pytest.approx(0.8889338491662655, rel=1e-9)


def test_to_frame_is_one_row_of_the_fit():
    fit = cox.coxph([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [0, 1, 0, 1, 0, 1])
    fit = cox.CoxFit(fit.beta, fit.se, fit.hr, fit.lower, fit.upper, fit.p, fit.loglik, ph_p=0.5)
    frame = fit.to_frame()
    assert frame.columns.tolist() == ["beta", "se", "hr", "lower", "upper", "p", "loglik", "ph_p", "reason"]
    assert frame.shape == (1, 9)
    assert frame.iloc[0].tolist() == [fit.beta, fit.se, fit.hr, fit.lower, fit.upper, fit.p, fit.loglik, 0.5, ""]
    missing = cox.coxph([1, 2], [0, 0], [0, 1]).to_frame().iloc[0]
    assert missing[:8].isna().all() and missing["reason"] == "HR not estimable: no events"


def test_the_covariate_in_other_units_scales_beta_and_nothing_else_against_R():
    """The R reference's 0/1 covariate given as 0/10,000 (a 10 mg dose in µg): β and se are R's divided by 10,000,
    the log-likelihood and the Wald p unchanged. Newton starts at β = 0 (R's init): from β = 1 the weights
    exp(10,000·β·x) of the x = 0 subjects would underflow to 0 and no risk set would have any spread."""
    ref = REF["cox_plain_efron"]
    fit = cox.coxph(DATA["time"], DATA["event"], DATA["x"] * 10_000.0)
    unit = cox.coxph(DATA["time"], DATA["event"], DATA["x"])
    assert fit.estimable
    assert fit.beta * 10_000 == pytest.approx(ref["beta"], rel=1e-9)
    assert fit.se * 10_000 == pytest.approx(ref["se"], rel=1e-8)
    assert fit.loglik == pytest.approx(ref["loglik"], rel=1e-10)
    assert fit.p == pytest.approx(unit.p, rel=1e-8)


@pytest.mark.parametrize("k", [1e-6, 0.001, 1.0, 5.0, 10.0, 100.0, 1000.0])
def test_the_divergence_and_convergence_tests_are_in_the_covariates_range_not_its_units(k):
    """A covariate coded 0/k: the same Wald p and log HR across the range at every k, and a monotone
    likelihood reported as such at every k (it was 'no information' at k = 5 and an OverflowError at 100)."""
    t, e = [1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0]
    base = cox.coxph(t, e, [0, 1, 0, 1, 0, 1])
    fit = cox.coxph(t, e, [0, k, 0, k, 0, k])
    assert fit.beta * k == pytest.approx(base.beta, rel=1e-9) and fit.p == pytest.approx(base.p, rel=1e-9)
    assert fit.se * k == pytest.approx(base.se, rel=1e-9)
    monotone = cox.coxph(t, e, [0, 0, 0, k, k, k])
    assert monotone.reason == "HR not estimable: monotone likelihood (the estimate diverges)"


def test_a_per_unit_interval_beyond_the_largest_double_is_infinite_not_an_error():
    fit = cox.coxph([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [0, 1e-6, 0, 1e-6, 0, 1e-6])
    assert fit.upper == math.inf and fit.hr == 0.0 and 0 < fit.p < 1
