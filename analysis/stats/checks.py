"""The checks every public estimator applies to its inputs, with messages that name the argument and position.

A survival estimator given a missing time, a negative one or an event coded 2 does not fail by
itself: it returns a number (a log-rank p of 0.763 for a NaN time, say) that means nothing. Every
public function of :mod:`analysis.stats` that takes follow-up data calls these first, so a bad input
stops with a :class:`ValueError` that says which argument, the first bad position and value, and
what is expected — lifelines raises on NaN in the same place; R drops NA rows silently
(``na.action = na.omit``), which this package does not do: missing data are the caller's decision.

* :func:`times` — follow-up times alone: finite and ≥ 0;
* :func:`survival_data` — ``time`` finite and ≥ 0, ``event`` 0/1 (or bool), equal lengths,
  one-dimensional, and (unless allowed) not empty;
* :func:`labels` — a grouping or strata array: the same length, no missing label;
* :func:`covariate` — a numeric covariate: the same length, finite.
"""
from __future__ import annotations

import numpy as np


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _as_float(values, name: str) -> np.ndarray:
    try:
        out = np.asarray(values, dtype="float64")
    except (TypeError, ValueError):
        raw = np.asarray(values, dtype=object).ravel()
        for i, v in enumerate(raw):
            try:
                float(v)
            except (TypeError, ValueError):
                raise ValueError(f"{name}[{i}] is {v!r}: {name} must be numbers") from None
        raise
    if out.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one value per subject), got shape {out.shape}")
    return out


def times(time, allow_empty: bool = False, name: str = "time") -> np.ndarray:
    """Follow-up times as a float array: one-dimensional, finite, ≥ 0 (and not empty unless allowed)."""
    t = _as_float(time, name)
    if not allow_empty and len(t) == 0:
        raise ValueError(f"{name} is empty: there is no subject to estimate from")
    bad = ~np.isfinite(t) | (t < 0)
    if bad.any():
        i = _first_bad(bad)
        raise ValueError(f"{name}[{i}] is {t[i]:g}: every time must be a finite number ≥ 0")
    return t


def survival_data(time, event, allow_empty: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``(time, event)`` as float arrays, or a ``ValueError`` naming the argument and the first bad position.

    Parameters
    ----------
    time : array-like
        Follow-up times: finite, ≥ 0.
    event : array-like
        1 (or True) for an event, 0 (or False) for a censored time.
    allow_empty : bool, optional (default=False)
        Accept zero subjects (for functions whose result is defined on an empty sample, e.g.
        a count); an estimator refuses them.

    Examples
    --------
    >>> survival_data([1, 2], [1, 0])
    (array([1., 2.]), array([1., 0.]))
    >>> survival_data([1, float("nan")], [1, 0])
    Traceback (most recent call last):
    ...
    ValueError: time[1] is nan: every time must be a finite number ≥ 0
    """
    t = _as_float(time, "time")
    e = _as_float(event, "event")
    if t.shape != e.shape:
        raise ValueError(f"time has {len(t)} values but event has {len(e)}: give one of each per subject")
    t = times(t, allow_empty)
    bad = ~((e == 0) | (e == 1))
    if bad.any():
        i = _first_bad(bad)
        raise ValueError(f"event[{i}] is {e[i]:g}: events are coded 1 (event) or 0 (censored), or True/False")
    return t, e


def labels(values, name: str, n: int) -> np.ndarray:
    """A grouping (or strata) array of ``n`` labels, none missing (``None``, NaN)."""
    out = np.asarray(values)
    if out.ndim != 1 or len(out) != n:
        raise ValueError(f"{name} has {out.size} values but time has {n}: give one {name} label per subject")
    if out.dtype.kind == "f":
        missing = np.isnan(out)
    elif out.dtype.kind == "O":
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in out], dtype=bool)
    else:
        missing = np.zeros(n, dtype=bool)
    if missing.any():
        i = _first_bad(missing)
        raise ValueError(f"{name}[{i}] is missing: every subject needs a {name} label (leave the subject out "
                         f"instead)")
    return out


def covariate(values, name: str, n: int) -> np.ndarray:
    """A numeric covariate of ``n`` finite values."""
    x = _as_float(values, name)
    if len(x) != n:
        raise ValueError(f"{name} has {len(x)} values but time has {n}: give one {name} value per subject")
    bad = ~np.isfinite(x)
    if bad.any():
        i = _first_bad(bad)
        raise ValueError(f"{name}[{i}] is {x[i]:g}: {name} must be finite numbers")
    return x


__all__ = ["covariate", "labels", "survival_data", "times"]
