"""A REDCap raw export read as it is: its bookkeeping columns dropped, one row per record required.

:func:`strip_bookkeeping` recognises the columns a raw (coded) REDCap export adds —
``redcap_event_name``, ``redcap_repeat_instrument``, ``redcap_repeat_instance``,
``redcap_data_access_group``, ``redcap_survey_identifier``, ``<form>_timestamp`` and
``<form>_complete`` — and drops them with a note, so such an export is validated as it is. It
refuses (rather than guesses) an export with several rows per record: several events of a
longitudinal project, or rows of a repeating instrument.

The project the export comes from is the one :mod:`analysis.data.intake.redcap` writes: its forms
(:data:`FORMS`) name the ``<form>_complete`` and ``<form>_timestamp`` columns.

Reference: REDCap's export format (Vanderbilt University; Harris et al., J Biomed Inform
2009;42:377). R equivalent: ``REDCapR``/``redcapAPI`` read the same exports.
"""

from __future__ import annotations

import pandas as pd

from ..exceptions import DataFileError

#: Dictionary group -> REDCap form (instrument) of the project :mod:`analysis.data.intake.redcap` writes.
FORMS: dict[str, str] = {
    "identity": "baseline",
    "baseline": "baseline",
    "cytogenetics": "baseline",
    "debulking": "debulking",
    "bispecific": "bispecific",
    "safety": "safety",
    "outcome": "outcome",
}
#: Columns a REDCap raw export adds that are not patient data.
BOOKKEEPING = (
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
    "redcap_data_access_group",
    "redcap_survey_identifier",
)


def bookkeeping_columns(columns) -> list[str]:
    """The columns of ``columns`` that a raw REDCap export adds (see the module docstring)."""
    forms = set(FORMS.values())
    extra = {f"{form}_{suffix}" for form in forms for suffix in ("complete", "timestamp")}
    return [c for c in dict.fromkeys(columns) if c in BOOKKEEPING or c in extra]


def strip_bookkeeping(raw: pd.DataFrame, name: str = "") -> tuple[pd.DataFrame, list[str]]:
    """Drop a REDCap export's bookkeeping columns; returns (table, notes).

    Raises
    ------
    DataFileError
        the export has several rows per record (several events, or repeating-instrument rows).
    """
    found = bookkeeping_columns(raw.columns)
    if not found:
        return raw, []
    where = f"{name}: " if name else ""
    if "redcap_repeat_instrument" in raw.columns:
        repeated = raw["redcap_repeat_instrument"].astype(str) != ""
        if repeated.any():
            lines = ", ".join(str(i + 2) for i in repeated.to_numpy().nonzero()[0][:5])
            raise DataFileError(
                f"{where}this REDCap export has rows of repeating instruments (lines {lines}): the "
                f"compendium needs one row per patient. Fix: export the project without repeating "
                f"instruments (the dictionary's fields are all one per patient)."
            )
    if "redcap_event_name" in raw.columns:
        events = sorted(set(raw["redcap_event_name"].astype(str)) - {""})
        if len(events) > 1:
            raise DataFileError(
                f"{where}this REDCap export has several rows per record, one per event "
                f"({', '.join(events[:4])}): the compendium needs one row per patient. Fix: export "
                f"a single event (Data Exports → a report filtered on one event)."
            )
    note = f"{where}REDCap export: dropped its bookkeeping column(s) {', '.join(found)} (not patient data)."
    return raw.drop(columns=found), [note]


__all__ = ["BOOKKEEPING", "FORMS", "bookkeeping_columns", "strip_bookkeeping"]
