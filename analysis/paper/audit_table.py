"""The audit table: its columns, the row every check returns, and each row's status.

A check builds its row with :func:`row`; :func:`table` then gives each row its status — PASS;
FAIL when the printed numbers cannot all be true, with the resolutions recorded on the claims it
judges; WARN for a check that holds only under a reading the paper does not state, with that
reading — and returns the table :func:`analysis.paper.audit.audit` documents.
"""

from __future__ import annotations

import pandas as pd

from ..exceptions import ClaimsError
from .claims import Claim

COLUMNS = ("check_id", "claim_ids", "check", "passed", "explanation", "implied", "resolved", "resolution", "status")
STATUSES = ("PASS", "WARN", "FAIL")


class Registry(dict):
    """Claims by id; a claim the checks need but the registry lacks is a ClaimsError, not a KeyError."""

    def __missing__(self, claim_id):
        raise ClaimsError(
            f"the audit needs claim {claim_id!r}, which the claims given lack; restore it in "
            f"data/published/claims.yaml or update the check declarations of its `audit:` section"
        )


def row(check_id, check, claim_ids, passed, explanation, implied="", judged=None, warn="") -> dict:
    """One check result. ``judged``: the claims whose resolution answers a failure (default: all of them);
    ``warn``: for a check that holds, the reading the cohort follows where the paper leaves a doubt (WARN)."""
    return {
        "check_id": check_id,
        "claim_ids": ", ".join(claim_ids),
        "check": check,
        "passed": bool(passed),
        "explanation": explanation,
        "implied": implied,
        "_judged": list(judged or claim_ids),
        "_warn": warn,
    }


def nr(x) -> str:
    """A printed median or bound: ``NR`` (not reached) for None, else the number as ``:g``."""
    return "NR" if x is None else f"{x:g}"


def _resolution_text(c: Claim) -> str:
    r = c.resolution
    parts = [
        f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}"
        for k, v in (("n", r.n), ("denominator", r.denominator), ("value", r.value))
        if v is not None
    ]
    return f"{c.id}: {', '.join(parts) + ' — ' if parts else ''}{r.why}"


def table(rows: list[dict], by_id: Registry) -> pd.DataFrame:
    """The rows with their ``status``, ``resolved`` and ``resolution`` (see :func:`analysis.paper.audit.audit`)."""
    for r in rows:
        with_resolution = [by_id[i] for i in r.pop("_judged") if by_id[i].resolution]
        warn = r.pop("_warn")
        if not r["passed"]:
            r.update(
                status="FAIL",
                resolved=bool(with_resolution),
                resolution=" | ".join(_resolution_text(c) for c in with_resolution),
            )
        elif warn:
            r.update(status="WARN", resolved=True, resolution=warn)
        else:
            r.update(status="PASS", resolved=pd.NA, resolution="")
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["resolved"] = frame["resolved"].astype("boolean")
    return frame
