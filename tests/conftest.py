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


@pytest.fixture
def synthetic_raw():
    """The committed synthetic cohort as text (a fresh copy per test, free to edit)."""
    from analysis.data.io import read_table
    return read_table(paths.DEFAULT_SYNTHETIC)


@pytest.fixture(scope="session")
def examples():
    """The worked import examples' generator (data/examples/make_examples.py) as a module."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_examples", paths.DATA / "examples" / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
