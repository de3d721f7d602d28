"""A small modelling layer over ``scipy.optimize.milp`` (HiGHS) for patient-level binaries.

Variables are binary, one per (name, patient) — ``m.var("female")`` returns an
integer index array over patients — plus free non-negative slack variables.
Constraints are linear rows ``lo <= a·x <= hi`` added one at a time; counts
("exactly k patients") can be *soft*: a pair of slacks absorbs any
infeasibility at a large cost, so the model always solves and the caller can
report which targets were missed instead of failing.

A seeded random objective picks one of the many feasible cohorts, so a
different seed gives a different cohort satisfying the same constraints.
HiGHS is deterministic for a given model.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

SLACK_COST = 1000.0


class Model:
    def __init__(self, n_patients: int, rng: np.random.Generator):
        self.n = n_patients
        self.rng = rng
        self.names: dict[str, np.ndarray] = {}
        self.n_vars = 0
        self.integer: list[int] = []
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.rows: list[tuple[dict, float, float]] = []
        self.soft: dict[str, tuple[int, int]] = {}

    # ---------------------------------------------------------------- variables
    def var(self, name: str, noise: float = 1.0) -> np.ndarray:
        """Binary variable per patient (created on first use) with a random cost in [0, noise)."""
        if name not in self.names:
            idx = np.arange(self.n_vars, self.n_vars + self.n)
            self.names[name] = idx
            self.n_vars += self.n
            self.integer += [1] * self.n
            self.upper += [1.0] * self.n
            self.cost += list(self.rng.random(self.n) * noise)
        return self.names[name]

    def _scalar(self, upper=np.inf, cost=0.0) -> int:
        i = self.n_vars
        self.n_vars += 1
        self.integer.append(0)
        self.upper.append(upper)
        self.cost.append(cost)
        return i

    # ---------------------------------------------------------------- constraints
    def add(self, coefs: dict, lo: float = -np.inf, hi: float = np.inf) -> None:
        """``lo <= Σ coef·x <= hi``; ``coefs`` maps variable index -> coefficient."""
        self.rows.append((dict(coefs), lo, hi))

    def count(self, label: str, indices, k: int, soft: bool = True) -> None:
        """Exactly ``k`` of the given binaries are 1 (soft: missing counts are penalised)."""
        coefs = {int(i): 1.0 for i in np.atleast_1d(indices)}
        if soft:
            over, under = self._scalar(cost=SLACK_COST), self._scalar(cost=SLACK_COST)
            coefs[over], coefs[under] = -1.0, 1.0
            self.soft[label] = (over, under)
        self.add(coefs, k, k)

    def fix(self, index: int, value: float) -> None:
        self.add({int(index): 1.0}, value, value)

    def implies(self, a: int, b: int) -> None:
        """a <= b (a = 1 only if b = 1)."""
        self.add({int(a): 1.0, int(b): -1.0}, hi=0.0)

    def one_hot(self, indices) -> None:
        self.add({int(i): 1.0 for i in indices}, 1.0, 1.0)

    # ---------------------------------------------------------------- solve
    def solve(self, time_limit: float = 30.0) -> Solution:
        data, rows, cols, lo, hi = [], [], [], [], []
        for r, (coefs, a, b) in enumerate(self.rows):
            for c, v in coefs.items():
                rows.append(r)
                cols.append(c)
                data.append(v)
            lo.append(a)
            hi.append(b)
        A = coo_matrix((data, (rows, cols)), shape=(len(self.rows), self.n_vars)).tocsr()
        res = milp(
            c=np.asarray(self.cost),
            constraints=LinearConstraint(A, lo, hi),
            integrality=np.asarray(self.integer),
            bounds=Bounds(0, np.asarray(self.upper)),
            options={"time_limit": time_limit, "disp": False},
        )
        if res.x is None:
            raise RuntimeError(f"MILP failed: {res.message}")
        return Solution(self, np.round(res.x, 6))


class Solution:
    def __init__(self, model: Model, x: np.ndarray):
        self.model, self.x = model, x

    def __getitem__(self, name: str) -> np.ndarray:
        return (self.x[self.model.names[name]] > 0.5).astype(int)

    def missed(self) -> dict[str, float]:
        """Soft counts that could not be met: label -> (achieved − target)."""
        out = {}
        for label, (over, under) in self.model.soft.items():
            d = self.x[over] - self.x[under]
            if abs(d) > 1e-6:
                out[label] = float(d)
        return out
