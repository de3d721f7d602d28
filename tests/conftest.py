import pytest

from analysis import paths


@pytest.fixture
def no_output_override(monkeypatch):
    """For tests of output-path resolution itself."""
    monkeypatch.delenv(paths.OUTPUT_ROOT_ENV, raising=False)


@pytest.fixture(scope="session")
def fixture_cohort():
    from analysis.data.cohort import load_cohort
    return load_cohort(paths.FIXTURE)


@pytest.fixture(scope="session")
def synthetic_cohort():
    """The committed calibrated synthetic cohort (the default dataset)."""
    from analysis.data.cohort import load_cohort
    return load_cohort(paths.DEFAULT_SYNTHETIC)


@pytest.fixture(scope="session")
def registry():
    """Every claim of the committed registry (data/published/claims.yaml)."""
    from analysis.paper.claims import load_claims
    return load_claims()
