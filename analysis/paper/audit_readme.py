"""The audit's findings as text: the terminal listing and the generated section of ``data/published/README.md``.

:func:`to_text` prints one line per check (``python -m analysis audit``);
:func:`findings_markdown` renders the failures, warnings and implied counts into
the README between the generated markers (``python -m analysis audit
--write-readme``); a test fails when the committed README is not current.
"""

from __future__ import annotations

import pandas as pd

from .. import paths
from .audit import audit, implied_counts
from .claims import Claim, load_claims

README = paths.PUBLISHED / "README.md"
BEGIN = "<!-- BEGIN GENERATED: python -m analysis audit --write-readme -->"
END = "<!-- END GENERATED -->"


def to_text(table: pd.DataFrame) -> str:
    """One line per check: PASS/FAIL, id, explanation, and for failures the resolution status."""
    lines = []
    for r in table.itertuples(index=False):
        line = f"{r.status}  {r.check_id}: {r.explanation}"
        if r.implied:
            line += f" [implied: {r.implied}]"
        if r.status == "FAIL":
            line += f" [resolution recorded: {r.resolution}]" if r.resolved else " [NO RESOLUTION RECORDED]"
        elif r.status == "WARN":
            line += f" [reading followed: {r.resolution}]"
        lines.append(line)
    failed = table[table["status"] == "FAIL"]
    warned = int((table["status"] == "WARN").sum())
    unresolved = int((~failed["resolved"].astype(bool)).sum())
    lines.append(
        f"{len(table)} checks, {int((table['status'] == 'PASS').sum())} passed, "
        f"{warned} warning{'s' if warned != 1 else ''}, {len(failed)} failed"
        + (f", {unresolved} without a resolution" if unresolved else ", every failure has a resolution")
        + "."
    )
    return "\n".join(lines) + "\n"


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def findings_markdown(claims: list[Claim] | None = None) -> str:
    """The generated "Findings" section of ``data/published/README.md`` (between the markers)."""
    claims = load_claims() if claims is None else claims
    table = audit(claims)
    failed = table[table["status"] == "FAIL"]
    warned = table[table["status"] == "WARN"]
    lines = [
        BEGIN,
        "",
        f"{len(claims)} claims; {len(table)} checks, {int((table['status'] == 'PASS').sum())} pass, "
        f"{len(warned)} warn, {len(failed)} fail"
        + ("; every failing check has a recorded resolution." if failed["resolved"].all() else "."),
        "",
        "#### Failing checks and the resolution the synthetic cohort follows",
        "",
        "| check | finding | resolution |",
        "|---|---|---|",
    ]
    for r in failed.itertuples(index=False):
        lines.append(f"| `{r.check_id}` | {_cell(r.explanation)} | {_cell(r.resolution) or '**none**'} |")
    lines += [
        "",
        "#### Warnings and the reading the cohort follows",
        "",
        "Checks that hold, but only under a reading the paper does not state.",
        "",
        "| check | finding | reading followed |",
        "|---|---|---|",
    ]
    for r in warned.itertuples(index=False):
        lines.append(f"| `{r.check_id}` | {_cell(r.explanation)} | {_cell(r.resolution)} |")
    lines += [
        "",
        "#### Implied counts",
        "",
        "Counts the printed numbers imply without printing them (resolutions applied).",
        "",
        "| quantity | count | of | claims |",
        "|---|---|---|---|",
    ]
    for r in implied_counts(claims).itertuples(index=False):
        of = "" if pd.isna(r.of) else r.of
        lines.append(f"| {_cell(r.quantity)} | {r.count} | {of} | {_cell(r.claim_ids)} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def _split(text: str) -> tuple[str, str]:
    if BEGIN not in text or END not in text:
        raise ValueError(f"{README} lacks the generated-section markers {BEGIN!r} … {END!r}")
    head, rest = text.split(BEGIN, 1)
    return head, rest.split(END, 1)[1].lstrip("\n")


def _rendered(text: str) -> str:
    head, tail = _split(text)
    return head + findings_markdown() + ("\n" + tail if tail else "")


def write_readme() -> None:
    """Rewrite the generated section of ``data/published/README.md``."""
    README.write_text(_rendered(README.read_text(encoding="utf-8")), encoding="utf-8")


def readme_is_current() -> bool:
    """True when ``data/published/README.md``'s generated section matches the registry."""
    text = README.read_text(encoding="utf-8")
    return text == _rendered(text)
