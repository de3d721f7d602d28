"""Cores per notebook (analysis.cpus) and the sweep's independence from the worker count."""
import pytest

from analysis import cpus


def test_auto_reads_the_share_the_runner_gives(monkeypatch):
    monkeypatch.setenv(cpus.CPUS_ENV, "1")
    assert cpus.available() == 1
    assert cpus.resolve_jobs(0) == 1
    assert cpus.resolve_jobs(3) == 3            # an explicit count is kept
    assert cpus.resolve_jobs(-1) == -1          # joblib's "all cores" is left to joblib


@pytest.mark.parametrize("value", ["", "zero", "0", "-2"])
def test_unset_or_invalid_share_means_the_whole_machine(monkeypatch, value):
    monkeypatch.setenv(cpus.CPUS_ENV, value)
    assert cpus.available() == cpus.machine_cpus() >= 1


def test_share_environment_caps_every_thread_pool():
    env = cpus.share_environment(1)
    assert env == {"COMPENDIUM_CPUS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                   "MKL_NUM_THREADS": "1"}
    assert cpus.share_environment(0)["COMPENDIUM_CPUS"] == "1"


@pytest.mark.slow
def test_sweep_is_the_same_with_one_or_two_workers():
    from analysis import sensitivity

    one = sensitivity.ensemble([5, 6], iterations=200, n_jobs=1, progress=False)
    two = sensitivity.ensemble([5, 6], iterations=200, n_jobs=2, progress=False)
    assert one.equals(two)
