import pytest

from analysis import paths


@pytest.fixture
def no_output_override(monkeypatch):
    """For tests of output-path resolution itself."""
    monkeypatch.delenv(paths.OUTPUT_ROOT_ENV, raising=False)


@pytest.fixture(scope="session")
def fixture_cohort():
    from analysis.cohort import load_cohort
    return load_cohort(paths.FIXTURE)
