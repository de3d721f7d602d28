"""Response assignment of the synthetic cohort (integer programme), on hand-made targets."""

import numpy as np

from analysis.paper.synthetic.times import TimeState


def test_responses_can_deepen_across_cycles_regression():
    # Regression: the depth constraint once forbade two non-PD assessments in one patient
    # (its coefficients were overwritten in a dict merge), so C1 and C3 could not both be assessed.
    from analysis.paper.synthetic.responses import ResponseTargets, assign_responses

    n = 4
    s = TimeState(
        entry=np.zeros(n, int),
        cutoff=500,
        prog_day=-np.ones(n, int),
        death_day=-np.ones(n, int),
        cause=np.array([""] * n, dtype=object),
    )
    targets = ResponseTargets(
        cycle={(1, "all"): {"evaluable": 4, "responders": 2}, (3, "all"): {"evaluable": 4, "responders": 4, "cr": 1}},
        best={"CR": 1, "VGPR": 0, "PR": 3},
        chemo={},
        conversion={},
    )
    res = assign_responses(s, np.zeros(n, int), np.zeros(n, int), targets, np.random.default_rng(0))
    assert res.missed == {}
    rank = {"sCR": 0, "CR": 0, "VGPR": 1, "PR": 2, "MR": 3, "SD": 3}
    for i in range(n):
        assert rank[res.cycles[3][i]] <= rank[res.cycles[1][i]]  # never shallower at C3
        assert rank[res.best[i]] <= rank[res.cycles[3][i]]  # best at least every recorded one
