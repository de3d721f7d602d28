"""How many cores a computation may use (analysis.stats.parallel)."""
import pytest

from analysis.stats import parallel


def test_auto_reads_the_share_the_runner_gives(monkeypatch):
    monkeypatch.setenv(parallel.CPUS_ENV, "1")
    assert parallel.available() == 1
    assert parallel.resolve_jobs(0) == 1
    assert parallel.resolve_jobs(3) == 3            # an explicit count is kept
    assert parallel.resolve_jobs(-1) == -1          # joblib's "all cores" is left to joblib


@pytest.mark.parametrize("value", ["", "zero", "0", "-2"])
def test_unset_or_invalid_share_means_the_whole_machine(monkeypatch, value):
    monkeypatch.setenv(parallel.CPUS_ENV, value)
    assert parallel.available() == parallel.machine_cpus() >= 1
