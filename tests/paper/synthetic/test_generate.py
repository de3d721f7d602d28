"""The committed synthetic cohort and the generator (acceptance of issue #3).

* the committed cohort validates and says it is synthetic;
* (that it reproduces every claim: tests/paper/test_reconcile.py);
* the same seed gives the same bytes, another seed another cohort that also passes (slow).
"""

import pytest
import yaml

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.paper import reconcile
from analysis.paper.registry import calibration_sha256
from analysis.paper.synthetic.generate import synthesize, write


@pytest.fixture(scope="module")
def cohort(synthetic_cohort):
    return synthetic_cohort


def test_committed_cohort_is_the_default_validates_and_is_labelled_synthetic(cohort):
    assert paths.DEFAULT_DATA == paths.DEFAULT_SYNTHETIC
    assert cohort.synthetic and cohort.n == 44
    prov = cohort.source.provenance
    assert prov["synthetic"] is True and "SYNTHETIC DATA" in prov["statement"]
    assert isinstance(prov["seed"], int) and prov["unmet_count_targets"] == {}
    assert cohort.patients["patient_id"].str.startswith("SYN").all()


def test_provenance_records_the_registry_the_cohort_was_calibrated_to(cohort):
    # the digest of the claims the calibration reads (registry.calibration_sha256), not of the audit: section
    assert cohort.source.provenance["claims_registry_sha256"] == calibration_sha256(), (
        "a claim of claims.yaml changed: regenerate with `python -m analysis synthesize --seed <seed>`"
    )


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
