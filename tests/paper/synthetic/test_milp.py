"""The small layer over scipy's MILP solver (HiGHS): counts, implications, soft counts."""

import numpy as np

from analysis.paper.synthetic.milp import Model


def test_milp_counts_and_implications_hold_and_seeds_differ():
    picks = []
    for seed in (1, 2):
        m = Model(10, np.random.default_rng(seed))
        a, b = m.var("a"), m.var("b")
        m.count("a", a, 4)
        m.count("b", b, 2)
        for i in range(10):
            m.implies(b[i], a[i])  # b only where a
        sol = m.solve()
        assert sol["a"].sum() == 4 and sol["b"].sum() == 2 and not sol.missed()
        assert np.all(sol["b"] <= sol["a"])
        picks.append(tuple(sol["a"]))
    assert picks[0] != picks[1]


def test_milp_soft_count_reports_the_shortfall_instead_of_failing():
    m = Model(5, np.random.default_rng(0))
    a = m.var("a")
    m.count("too many", a, 7)
    sol = m.solve()
    assert sol["a"].sum() == 5 and sol.missed() == {"too many": -2.0}
