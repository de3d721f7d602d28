"""The committed synthetic cohort and the generator (acceptance of issue #3).

* the committed cohort validates and says it is synthetic;
* every count, proportion, median (min–max) and period claim is reproduced exactly;
* the survival claims are reproduced within tolerance except the listed ones (the fit report says why);
* the same seed gives the same bytes, another seed another cohort that also passes (slow).
"""
import pandas as pd
import pytest
import yaml

from analysis import paths, reconcile
from analysis.cohort import load_cohort
from analysis.synthetic.generate import synthesize, write

#: Survival claims the committed cohort does not reproduce within tolerance (see results/fit_report.md).
KNOWN_SURVIVAL_MISSES: set[str] = set()


@pytest.fixture(scope="module")
def cohort():
    return load_cohort(paths.DEFAULT_SYNTHETIC)


@pytest.fixture(scope="module")
def fit(cohort):
    return reconcile.reconcile(cohort.patients)


def test_committed_cohort_is_the_default_validates_and_is_labelled_synthetic(cohort):
    assert paths.DEFAULT_DATA == paths.DEFAULT_SYNTHETIC
    assert cohort.synthetic and cohort.n == 44
    prov = cohort.source.provenance
    assert prov["synthetic"] is True and "SYNTHETIC DATA" in prov["statement"]
    assert isinstance(prov["seed"], int) and prov["unmet_count_targets"] == {}
    assert cohort.patients["patient_id"].str.startswith("SYN").all()


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
    fresh = pd.read_csv(pd.io.common.StringIO(fit.to_csv(index=False, lineterminator="\n")),
                        keep_default_na=False)
    pd.testing.assert_frame_equal(committed, fresh), "run `python -m analysis fit-report`"


def test_provenance_records_the_registry_the_cohort_was_calibrated_to(cohort):
    import hashlib
    sha = hashlib.sha256((paths.PUBLISHED / "claims.yaml").read_bytes()).hexdigest()
    assert cohort.source.provenance["claims_registry_sha256"] == sha, \
        "claims.yaml changed: regenerate with `python -m analysis synthesize --seed <seed>`"


@pytest.mark.slow
def test_same_seed_gives_identical_bytes(tmp_path, cohort):
    seed = cohort.source.provenance["seed"]
    out = tmp_path / "again.csv"
    write(synthesize(seed=seed), out)
    assert out.read_bytes() == paths.DEFAULT_SYNTHETIC.read_bytes()
    again = yaml.safe_load(out.with_name(out.name + ".provenance.yaml").read_text())
    assert again == cohort.source.provenance


@pytest.mark.slow
def test_another_seed_gives_another_cohort_that_also_passes(tmp_path, cohort):
    seed = cohort.source.provenance["seed"] + 1
    out = tmp_path / "other.csv"
    generated = synthesize(seed=seed)
    write(generated, out)
    assert out.read_bytes() != paths.DEFAULT_SYNTHETIC.read_bytes()
    other = load_cohort(out)
    assert generated.missed == {}
    fit = reconcile.reconcile(other.patients)
    exact = fit[fit["kind"].isin(["proportion", "count", "median_range", "period"]) & fit["passed"].notna()]
    assert exact["passed"].all(), exact.loc[~exact["passed"].astype(bool), ["claim_id", "reproduced"]].to_string()
