"""Two medians compared from their confidence intervals alone: an approximate test of their ratio.

When a published study gives a median survival and its 95% CI but no standard error and no data, the
standard error on the log scale follows from the interval (Altman & Bland, "How to obtain the P value
from a confidence interval", BMJ 2011;343:d2304): a symmetric interval on the log scale,
ln m ± z·SE with z = Φ⁻¹(1 − α/2), gives

    SE = (ln U − ln L) / (2 z).

Two independent medians m₁, m₂ then give the log ratio δ = ln m₁ − ln m₂ with SE_δ = √(SE₁² + SE₂²),
the statistic Z = δ / SE_δ, two-sided p = 2·(1 − Φ(|Z|)) (Altman & Bland use an approximation of Φ; the
normal distribution itself is used here, ``scipy.stats.norm``) and the interval of the ratio
exp(δ ± z·SE_δ).

**Why approximate** — a Kaplan–Meier median's interval (Brookmeyer–Crowley, R ``survfit``) is not
symmetric on any scale and its limits are observed event times; reading it as a log-normal interval is
an approximation, stated with every p this module gives. It is better than no test, and worse than a
test on the data: use it only where the data of one side are not available.

**Unreached limits (NR)** — an upper limit not reached (``None`` or ``nan``) leaves the half-interval
below the median: SE = (ln m − ln L) / z, and symmetrically SE = (ln U − ln m) / z when only the lower
limit is missing; ``method`` says which was used. A median not reached itself, no limit on either
side, or a limit ≤ 0 (a log scale needs positive values) make the comparison not estimable, with the
reason. There is no R function for this; the hand-computed cases in ``tests/stats/test_ratio_from_ci.py``
check it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

NAN = math.nan


@dataclass(frozen=True)
class MedianRatio:
    """:func:`ratio_of_medians`'s answer: the ratio m₁/m₂, its approximate CI and two-sided p, the log-scale
    standard error of each side and how it was read; ``estimable`` False with the ``reason`` otherwise.

    Examples
    --------
    >>> r = ratio_of_medians(10.0, 5.0, 20.0, 10.0, 5.0, 20.0)
    >>> r.ratio, round(r.p_value, 6)
    (1.0, 1.0)
    """

    ratio: float = NAN
    lower: float = NAN
    upper: float = NAN
    z: float = NAN
    p_value: float = NAN
    se_log_first: float = NAN
    se_log_second: float = NAN
    method_first: str = ""
    method_second: str = ""
    estimable: bool = False
    reason: str = ""


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _number(x, name: str):
    if _missing(x):
        return None
    if isinstance(x, bool):
        raise ValueError(f"{name} must be a number or None (not reached), got {x!r}")
    if not isinstance(x, int | float):
        try:
            x = float(x)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a number or None (not reached), got {x!r}") from None
    if math.isinf(x):
        raise ValueError(f"{name} must be finite or None (not reached), got {x!r}")
    return float(x)


def log_se(median, lower, upper, level: float = 0.95) -> tuple[float, str]:
    """Standard error of ln(median) read from its interval (see the module docstring), and how it was read.

    Returns ``(nan, reason)`` when it cannot be read: median or both limits not reached, a value ≤ 0, or
    limits that do not bracket the median.

    Examples
    --------
    >>> se, how = log_se(10.2, 6.87, 18.0)
    >>> round(se, 4), how
    (0.2457, 'both limits')
    >>> se, how = log_se(14.1, 6.47, None)
    >>> round(se, 4), how
    (0.3975, 'lower limit only (upper not reached)')
    """
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    m, lo, hi = _number(median, "median"), _number(lower, "lower"), _number(upper, "upper")
    if m is None:
        return NAN, "median not reached"
    if lo is None and hi is None:
        return NAN, "no confidence limit reached"
    if any(v is not None and v <= 0 for v in (m, lo, hi)):
        return NAN, "a value ≤ 0 has no logarithm"
    if (lo is not None and lo > m) or (hi is not None and hi < m):
        return NAN, f"the interval ({lower}, {upper}) does not contain the median {median}"
    z = float(stats.norm.isf((1 - level) / 2))
    if lo is not None and hi is not None:
        return (math.log(hi) - math.log(lo)) / (2 * z), "both limits"
    if lo is not None:
        return (math.log(m) - math.log(lo)) / z, "lower limit only (upper not reached)"
    return (math.log(hi) - math.log(m)) / z, "upper limit only (lower not reached)"


def ratio_of_medians(
    median1, lower1, upper1, median2, lower2, upper2, level: float = 0.95, ci_level: float = 0.95
) -> MedianRatio:
    """Approximate test that two independent medians are equal, from their CIs (Altman & Bland 2011).

    Parameters
    ----------
    median1, lower1, upper1 : float or None
        First median (e.g. this cohort's) and its CI; ``None`` (or ``nan``) for a limit not reached.
    median2, lower2, upper2 : float or None
        The second (e.g. the published study's).
    level : float, optional (default=0.95)
        The confidence level both given intervals were computed at (the paper's 95%).
    ci_level : float, optional (default=0.95)
        Level of the interval returned for the ratio.

    Returns
    -------
    MedianRatio
        ``ratio`` m₁/m₂, ``lower``, ``upper``, ``z``, ``p_value`` (two-sided), ``se_log_first``,
        ``se_log_second``, ``method_first``, ``method_second`` and ``estimable``/``reason``.

    Examples
    --------
    10.2 months (6.87–18.0) against 9.3 (3.7–NR): SE 0.2457 and ln(9.3/3.7)/1.96 = 0.4702.

    >>> r = ratio_of_medians(10.2, 6.87, 18.0, 9.3, 3.7, None)
    >>> round(r.ratio, 4), round(r.z, 4), round(r.p_value, 4)
    (1.0968, 0.1741, 0.8618)
    """
    se1, how1 = log_se(median1, lower1, upper1, level)
    se2, how2 = log_se(median2, lower2, upper2, level)
    if not 0 < ci_level < 1:
        raise ValueError(f"ci_level must lie strictly between 0 and 1, got {ci_level!r}")
    if math.isnan(se1) or math.isnan(se2):
        why = "; ".join(
            f"{side}: {how}" for side, se, how in (("first", se1, how1), ("second", se2, how2)) if math.isnan(se)
        )
        return MedianRatio(se_log_first=se1, se_log_second=se2, method_first=how1, method_second=how2, reason=why)
    delta = math.log(float(median1)) - math.log(float(median2))
    se = math.hypot(se1, se2)
    if se == 0:
        return MedianRatio(
            math.exp(delta), se_log_first=se1, se_log_second=se2, method_first=how1, method_second=how2,
            reason="both intervals have zero width",
        )  # fmt: skip
    z = delta / se
    half = float(stats.norm.isf((1 - ci_level) / 2)) * se
    return MedianRatio(
        ratio=math.exp(delta),
        lower=math.exp(delta - half),
        upper=math.exp(delta + half),
        z=z,
        p_value=float(2 * stats.norm.sf(abs(z))),
        se_log_first=se1,
        se_log_second=se2,
        method_first=how1,
        method_second=how2,
        estimable=True,
    )


__all__ = ["MedianRatio", "log_se", "ratio_of_medians"]
