"""Each notebook's share of the cores in a parallel build (analysis.build.cpus)."""
from analysis.build import cpus


def test_share_environment_announces_at_least_one_core():
    assert cpus.share_environment(2) == {"COMPENDIUM_CPUS": "2"}
    assert cpus.share_environment(0) == {"COMPENDIUM_CPUS": "1"}
