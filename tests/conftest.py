import os
import shutil
import sys
from pathlib import Path

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from analysis import paths  # noqa: E402

# The CPU-dispatch settings `python -m analysis` applies before numpy loads, applied to the test
# process too, so that it, its Dask workers and the nbval kernels take the code paths every other run
# takes on any x86-64 machine (an AVX-512 CI machine otherwise rounds exp/log differently in the last
# bit, enough to move a calibration). pytest loads analysis.pipeline.cpu_dispatch as an early plugin
# (pyproject.toml addopts), before pytest-randomly imports numpy; this checks it took effect.
from analysis.pipeline import cpu_dispatch  # noqa: F401


def _register_fixture_module(name: str) -> None:
    """tests/fixtures/<name>.py importable as ``<name>`` from any test (tests/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, paths.TESTS / "fixtures" / f"{name}.py")
    sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules[name])


_register_fixture_module("degenerate")
# the fuzzing harness (tests/data/test_fuzz_readers.py, benchmarks/bench_fuzz.py)
_register_fixture_module("fuzz_files")
_register_fixture_module(
    "in_process"
)  # notebooks run in the test process (same file)      # the degenerate-cohort family (tests/test_degenerate_cohorts.py)

#: Where the browser tests leave their screenshots (git-ignored; kept after the run).
ARTIFACTS = Path(os.environ.get("COMPENDIUM_ARTIFACTS", paths.ROOT / "artifacts"))
#: Chromium flags for a closed network, as root, without a display.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Hypothesis profiles (tests/*/test_properties.py), chosen by HYPOTHESIS_PROFILE:
# * "ci" (the default): 20 examples per property, 400 in all, derandomised (the examples are a
#   fixed function of each test, so every run and every machine tests the same cases and a failure
#   reproduces), no example database (nothing written to disk), no deadline (2 shared cores: a
#   300-patient cohort may take a second);
# * "thorough": 1000 examples per property, fresh random examples each run, failures kept in
#   .hypothesis/ (git-ignored) and replayed first next time. Run before changing a statistic:
#   HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/stats/test_properties.py tests/data/test_properties.py
_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci",
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_DATA,
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, print_blob=True, suppress_health_check=_SLOW_DATA
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def no_output_override(monkeypatch):
    """For tests of output-path resolution itself."""
    from analysis.settings import VARIABLES

    monkeypatch.delenv(VARIABLES["output_root"], raising=False)


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
def cli(capsys, monkeypatch):
    """``python -m analysis ARGS`` in this process: ``cli("validate", path)`` → ``CompletedProcess``.

    The entry point :func:`analysis.cli.main` is called with the argument list, from the project
    root (as the subprocess tests ran it), and its exit code and printed output are returned in the
    shape ``subprocess.run`` gives (``returncode``, ``stdout``, ``stderr``), argparse's own exits
    (``--help``: 0, a usage error: 2) included. A process start costs ~1.5 s; a few real
    subprocess smoke tests remain (tests/test_cli.py).
    """
    import subprocess

    from analysis.cli import main

    monkeypatch.chdir(paths.ROOT)

    def run(*args) -> subprocess.CompletedProcess:
        argv = [str(a) for a in args]
        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(["python", "-m", "analysis", *argv], code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def chromium():
    """Playwright ``launch`` arguments for Debian's chromium (no browser download); skips without it.

    In CI (``COMPENDIUM_REQUIRE_BROWSER`` set) a missing chromium fails instead of skipping.
    """
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        if os.environ.get("COMPENDIUM_REQUIRE_BROWSER"):
            pytest.fail("chromium not found but COMPENDIUM_REQUIRE_BROWSER is set (CI): apt-get install chromium")
        pytest.skip("chromium not installed: `make browser` (Debian: apt-get install chromium) runs this test")
    return {"executable_path": exe, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder browser tests keep their screenshots in (``artifacts/``, git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


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


def pytest_collection_finish(session):
    """Everything imported and collected so far is moved out of the garbage collector's sight.

    A test worker holds pandas, matplotlib, scipy and ~1,000 collected tests: every full collection
    would walk those long-lived objects again; frozen (``gc.freeze``), they are never scanned, and
    the suite runs ~10% faster (measured on the degenerate family). Nothing is leaked: the objects
    live until the process ends anyway.
    """
    import gc

    gc.collect()
    gc.freeze()


def pytest_terminal_summary(terminalreporter):
    """What tests/test_interpreters.py found for each supported Python: built under it (times, outputs
    byte-identical) or skipped and why. Recorded with ``record_property``, so xdist's workers report it too."""
    lines = sorted(
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "nodeid", "").startswith("tests/test_interpreters.py") and report.when == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "interpreter"
    )
    if lines:
        terminalreporter.write_sep("-", "supported Pythons (tests/test_interpreters.py)")
        for line in lines:
            terminalreporter.write_line(line)
