"""Task farms on Dask (analysis.pipeline.parallel.farm): same results for 1 and 2 workers, in task order."""

import numpy as np
import pytest

from analysis import settings
from analysis.pipeline import parallel


def _seeded_mean(task):
    seed, n = task
    return float(np.random.default_rng(seed).normal(size=n).mean())


@pytest.mark.slow
def test_one_and_two_local_workers_give_identical_results_in_order():
    tasks = [(int(s), 1000 + k) for k, s in enumerate(np.random.SeedSequence(7).generate_state(6))]
    one = parallel.farm(_seeded_mean, tasks, workers=1)
    two = parallel.farm(_seeded_mean, tasks, workers=2)
    assert one == two == [_seeded_mean(t) for t in tasks]


@pytest.mark.slow
def test_a_running_cluster_is_used_by_its_address(monkeypatch):
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        monkeypatch.setenv(settings.VARIABLES["scheduler"], cluster.scheduler_address)
        assert parallel.farm(_seeded_mean, [(1, 10), (2, 20)]) == [_seeded_mean((1, 10)), _seeded_mean((2, 20))]


def test_no_tasks_start_no_cluster():
    assert parallel.farm(_seeded_mean, []) == []
