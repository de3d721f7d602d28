"""Each notebook's share of the cores in a parallel build (analysis.build.cpus)."""

from analysis.build import cpus


def test_share_environment_caps_every_thread_pool():
    env = cpus.share_environment(1)
    assert env == {"COMPENDIUM_CPUS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                   "MKL_NUM_THREADS": "1"}
    assert cpus.share_environment(0)["COMPENDIUM_CPUS"] == "1"


