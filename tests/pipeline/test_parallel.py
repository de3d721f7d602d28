"""How many cores a computation may use (analysis.pipeline.parallel), as the runner announces it."""

import pytest

from analysis import settings
from analysis.pipeline import parallel

CPUS = settings.VARIABLES["cpus"]


def test_auto_reads_the_share_the_runner_gives(monkeypatch):
    monkeypatch.setenv(CPUS, "1")
    assert parallel.available() == 1
    assert parallel.resolve_jobs(0) == 1
    assert parallel.resolve_jobs(3) == 3  # an explicit count is kept
    assert parallel.resolve_jobs(-1) == -1  # joblib's "all cores" is left to joblib


@pytest.mark.parametrize("value", ["", "zero", "0", "-2"])
def test_unset_or_invalid_share_means_the_whole_machine(monkeypatch, value):
    monkeypatch.setenv(CPUS, value)
    assert parallel.available() == parallel.machine_cpus() >= 1


def test_share_environment_announces_at_least_one_core():
    assert parallel.share_environment(2) == {CPUS: "2"}
    assert parallel.share_environment(0) == {CPUS: "1"}
    assert settings.current(parallel.share_environment(3)).cpus == 3  # read back as it is written
