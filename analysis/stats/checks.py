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
* :func:`covariate` — a numeric covariate: the same length, finite;
* :func:`counts` — tallies of any shape (numbers at risk, events): finite and ≥ 0, of one shape.
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
    """Follow-up times as a float array: one-dimensional, finite, ≥ 0 (and not empty unless allowed).

    Examples
    --------
    >>> times([0, 1.5, 3]).tolist()
    [0.0, 1.5, 3.0]
    >>> times([2, -1])
    Traceback (most recent call last):
    ...
    ValueError: time[1] is -1: every time must be a finite number ≥ 0
    >>> times([], allow_empty=True).tolist()
    []
    """
    t = _as_float(time, name)
    if not allow_empty and len(t) == 0:
        raise ValueError(f"{name} is empty: there is no subject to estimate from")
    bad = ~np.isfinite(t) | (t < 0)
    if bad.any():
        i = _first_bad(bad)
        raise ValueError(f"{name}[{i}] is {t[i]:g}: every time must be a finite number ≥ 0")
    return t


def survival_data(
    time, event, allow_empty: bool = False, names: tuple[str, str] = ("time", "event")
) -> tuple[np.ndarray, np.ndarray]:
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
    names : (str, str), optional (default=("time", "event"))
        The arguments' names in the messages, for a caller whose event argument is called otherwise
        (``died``).

    Examples
    --------
    >>> survival_data([1, 2], [1, 0])
    (array([1., 2.]), array([1., 0.]))
    >>> survival_data([1, float("nan")], [1, 0])
    Traceback (most recent call last):
    ...
    ValueError: time[1] is nan: every time must be a finite number ≥ 0
    >>> survival_data([1, 2, 3], [True, 2, 0])
    Traceback (most recent call last):
    ...
    ValueError: event[1] is 2: events are coded 1 (event) or 0 (censored), or True/False
    >>> survival_data([1, 2, 3], [1, 0])
    Traceback (most recent call last):
    ...
    ValueError: time has 3 values but event has 2: give one of each per subject
    """
    time_name, event_name = names
    t = _as_float(time, time_name)
    e = _as_float(event, event_name)
    if t.shape != e.shape:
        raise ValueError(f"{time_name} has {len(t)} values but {event_name} has {len(e)}: give one of each per subject")
    t = times(t, allow_empty, time_name)
    bad = ~((e == 0) | (e == 1))
    if bad.any():
        i = _first_bad(bad)
        raise ValueError(f"{event_name}[{i}] is {e[i]:g}: events are coded 1 (event) or 0 (censored), or True/False")
    return t, e


def labels(values, name: str, n: int) -> np.ndarray:
    """A grouping (or strata) array of ``n`` labels, none missing (``None``, NaN).

    Examples
    --------
    >>> labels(["a", "b", "a"], "group", 3).tolist()
    ['a', 'b', 'a']
    >>> labels(["a", None, "b"], "group", 3)
    Traceback (most recent call last):
    ...
    ValueError: group[1] is missing: every subject needs a group label (leave the subject out instead)
    >>> labels([0, 1], "group", 3)
    Traceback (most recent call last):
    ...
    ValueError: group has 2 values but time has 3: give one group label per subject
    """
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
        raise ValueError(f"{name}[{i}] is missing: every subject needs a {name} label (leave the subject out instead)")
    return out


def covariate(values, name: str, n: int) -> np.ndarray:
    """A numeric covariate of ``n`` finite values.

    Examples
    --------
    >>> covariate([0, 1, 1], "x", 3).tolist()
    [0.0, 1.0, 1.0]
    >>> covariate([0, 1, float("inf")], "x", 3)
    Traceback (most recent call last):
    ...
    ValueError: x[2] is inf: x must be finite numbers
    """
    x = _as_float(values, name)
    if len(x) != n:
        raise ValueError(f"{name} has {len(x)} values but time has {n}: give one {name} value per subject")
    bad = ~np.isfinite(x)
    if bad.any():
        i = _first_bad(bad)
        raise ValueError(f"{name}[{i}] is {x[i]:g}: {name} must be finite numbers")
    return x


def counts(values, name: str, shape: tuple | None = None, like: str = "") -> np.ndarray:
    """Tallies of any shape (numbers at risk, events: replicates × times) as a float array, finite and ≥ 0.

    ``shape``, when given, is the shape of the argument ``like`` that these must match. The first bad
    position is the first in row-major (C) order, written as the array index.

    Examples
    --------
    >>> counts([[4, 3], [2, 1]], "n_risk").tolist()
    [[4.0, 3.0], [2.0, 1.0]]
    >>> counts([[4, 3], [2, -1]], "n_risk")
    Traceback (most recent call last):
    ...
    ValueError: n_risk[1, 1] is -1: counts must be finite numbers ≥ 0
    >>> counts([1, 0], "n_event", shape=(1, 2), like="n_risk")
    Traceback (most recent call last):
    ...
    ValueError: n_event has shape (2,) but n_risk has shape (1, 2): give one value per cell of n_risk
    """
    try:
        x = np.asarray(values, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers") from None
    if shape is not None and x.shape != tuple(shape):
        raise ValueError(
            f"{name} has shape {x.shape} but {like} has shape {tuple(shape)}: give one value per cell of {like}"
        )
    bad = ~np.isfinite(x) | (x < 0)
    if bad.any():
        at = np.unravel_index(int(np.flatnonzero(bad.ravel())[0]), x.shape)
        raise ValueError(
            f"{name}[{', '.join(str(int(i)) for i in at)}] is {x[at]:g}: counts must be finite numbers ≥ 0"
        )
    return x


__all__ = ["counts", "covariate", "labels", "survival_data", "times"]
