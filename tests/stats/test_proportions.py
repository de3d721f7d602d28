"""Exact (Clopper–Pearson) intervals, checked three ways: closed forms at the edges (k = 0: upper = 1 − (α/2)^(1/n);
k = n: lower = (α/2)^(1/n)), a published value (27/44: 0.455–0.756), and statsmodels' independent
implementation (``proportion_confint(method="beta")``).
"""

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.stats.proportions import clopper_pearson


@pytest.mark.parametrize("n", [1, 3, 8, 44])
def test_clopper_pearson_closed_forms_at_zero_and_all(n):
    assert clopper_pearson(0, n) == (0.0, pytest.approx(1 - 0.025 ** (1 / n), rel=1e-12))
    assert clopper_pearson(n, n) == (pytest.approx(0.025 ** (1 / n), rel=1e-12), 1.0)


def test_clopper_pearson_known_value_and_statsmodels():
    lo, hi = clopper_pearson(27, 44)
    assert (round(lo, 3), round(hi, 3)) == (0.455, 0.756)
    for k, n in [(1, 28), (15, 43), (38, 44), (3, 10), (12, 15)]:
        np.testing.assert_allclose(clopper_pearson(k, n), proportion_confint(k, n, method="beta"), rtol=1e-10)
    assert all(np.isnan(clopper_pearson(0, 0)))
