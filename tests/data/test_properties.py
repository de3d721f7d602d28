"""Properties of validation and derivation that hold for every valid cohort (Hypothesis; profiles in tests/conftest.py).

The strategy :func:`cohorts` draws valid patient tables of 1–300 patients by resampling the rows
of the committed synthetic cohort and of the hand-made fixture (52 patients between them: every
response category, partial and absent cytogenetic panels, deaths before C1, …) and editing them
with the family's row edits (tests/fixtures/degenerate.py), which keep every cross-field rule:

* censoring patterns: as recorded; a common data cut-off; random loss to follow-up; nobody with
  an event; everybody progressing and dying;
* ties: progression, death and follow-up moved forward to a grid of 7, 30 or 91 days;
* missing optional values: each optional cell emptied with probability 0, 0.1, 0.5 or 1 (a best
  response only once no cycle response is left).

On every draw: the table validates (the strategy is honest); a CSV round trip reads back the same
text; derived times are ≥ 0 and in months of 365.25/12 days; an ADTTE event only where the patient
had that event, PFS ≤ OS; every patient in exactly one response state per timepoint, evaluable
exactly when assessed, and ORR, ≥VGPR and ≥CR counts nested within the evaluable; derived flags
consistent with their inputs; an emptied required cell is reported once, on its line, with its
patient and column.
"""

import degenerate  # tests/fixtures/degenerate.py, registered by tests/conftest.py
import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis import paths
from analysis.data import derive
from analysis.data.dictionary import BY_NAME, NAMES, RESPONSE_CYCLES
from analysis.data.io import read_table
from analysis.data.validate import validate_table

SOURCE = degenerate.source_rows(paths.DEFAULT_SYNTHETIC) + degenerate.source_rows(paths.FIXTURE)
RESPONSES = degenerate.RESPONSE_COLUMNS
#: Optional cells that can be emptied alone without breaking a rule (outcomes go through with_outcome).
FREE = tuple(
    c for c in degenerate.NULLABLE if c not in ("best_response", "progression_date", "death_date", "death_cause")
)
REQUIRED = tuple(c for c in NAMES if not BY_NAME[c].nullable)
CENSORING = ("as recorded", "data cut-off", "lost to follow-up", "no events", "all events")


def _censor(row, how, cutoff, rng):
    fu, prog, _ = degenerate.outcome_days(row)
    if how == "data cut-off":
        return degenerate.censor_at(row, cutoff)
    if how == "lost to follow-up" and rng.random() < 0.3:
        return degenerate.censor_at(row, int(rng.integers(0, fu + 1)))
    if how == "no events":
        return degenerate.with_outcome(row, fu)
    if how == "all events":
        return degenerate.with_outcome(row, fu, fu if prog is None else prog, death=True)
    return row


@st.composite
def cohorts(draw, min_size=1, max_size=300):
    """A valid patient table (strings, dictionary order): see the module docstring.

    Hypothesis draws the size and the pattern (censoring, tie grid, share of empty cells); a
    seed it draws picks the rows and the per-patient details, so an example is reproducible.
    """
    n = draw(st.integers(min_size, max_size), label="patients")
    how = draw(st.sampled_from(CENSORING), label="censoring")
    cutoff = draw(st.integers(0, 1000), label="cut-off day")
    grid = draw(st.sampled_from([None, 7, 30, 91]), label="tie grid (days)")
    blank = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]), label="share of optional cells emptied")
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1), label="seed"))
    rows = []
    for i, k in enumerate(rng.integers(0, len(SOURCE), n)):
        row = _censor({**SOURCE[k], "patient_id": f"P{i + 1:03d}"}, how, cutoff, rng)
        if grid:
            row = degenerate.snap_to(row, range(grid, 4000, grid))
        for c in FREE:
            if rng.random() < blank:
                row[c] = ""
        if not any(row[c] for c in RESPONSES) and rng.random() < blank:
            row["best_response"] = ""
        rows.append(row)
    return degenerate.table(rows)


def _valid(raw):
    typed, report = validate_table(raw)
    assert report.ok, report.to_text()
    return typed


def _day(typed, column):
    return (typed[column] - typed["bsab_start_date"]).dt.days.to_numpy(dtype="float64")


@given(raw=cohorts())
def test_drawn_cohorts_validate_and_survive_a_csv_round_trip(raw, tmp_path_factory):
    _valid(raw)
    path = degenerate.write_csv(raw, tmp_path_factory.mktemp("roundtrip") / "cohort.csv")
    assert read_table(path).equals(raw)


@given(cohorts())
def test_time_to_event_has_events_only_where_the_patient_had_them(raw):
    typed = _valid(raw)
    adtte = derive.time_to_event(typed)
    n = len(typed)
    assert len(adtte) == 3 * n
    assert (adtte["time_days"] >= 0).all()
    np.testing.assert_array_equal(adtte["time_months"], adtte["time_days"] / derive.DAYS_PER_MONTH)
    by = {e: adtte[adtte["endpoint"] == e].reset_index(drop=True) for e in derive.ENDPOINTS}
    assert all(by[e]["patient_id"].tolist() == typed["patient_id"].tolist() for e in derive.ENDPOINTS)
    progressed, died = typed["progression_date"].notna().to_numpy(), typed["death_date"].notna().to_numpy()
    np.testing.assert_array_equal(by["PFS"]["event"], progressed | died)
    np.testing.assert_array_equal(by["OS"]["event"], died)
    np.testing.assert_array_equal(by["FOLLOWUP"]["event"], ~died)
    fu = _day(typed, "last_followup_date")
    np.testing.assert_array_equal(by["OS"]["time_days"], fu)
    np.testing.assert_array_equal(by["FOLLOWUP"]["time_days"], fu)
    np.testing.assert_array_equal(by["PFS"]["time_days"], np.where(progressed, _day(typed, "progression_date"), fu))
    assert (by["PFS"]["time_days"] <= by["OS"]["time_days"]).all()


@given(cohorts())
def test_every_patient_is_in_one_response_state_per_timepoint(raw):
    typed = _valid(raw)
    adrs = derive.response(typed)
    n = len(typed)
    counts = adrs.groupby(["patient_id", "timepoint"], observed=False).size()
    assert len(counts) == n * len(derive.TIMEPOINTS) and (counts == 1).all()
    assert adrs["status"].notna().all() and set(adrs["status"].astype(str)) <= set(derive.STATUS)
    assessed = adrs["response"].notna().to_numpy()
    np.testing.assert_array_equal(adrs["status"].astype(str) == "assessed", assessed)
    np.testing.assert_array_equal(adrs["evaluable"], assessed)
    for flag in ("orr", "vgpr_or_better", "cr_or_better"):
        np.testing.assert_array_equal(adrs[flag].notna(), assessed)
    for tp, rows in adrs.groupby("timepoint", observed=False):
        evaluable = int(rows["evaluable"].sum())
        orr, vgpr, cr = (int(rows[f].sum()) for f in ("orr", "vgpr_or_better", "cr_or_better"))
        assert cr <= vgpr <= orr <= evaluable <= n, tp
    # a cycle not assessed is explained by a date: progression, death or end of follow-up before its day
    for tp in ("C1", "C3", "C6", "C12"):
        rows = adrs[adrs["timepoint"] == tp].reset_index(drop=True)
        nominal = RESPONSE_CYCLES[tp.lower()] * degenerate.CYCLE_DAYS
        status = rows["status"].astype(str).to_numpy()
        for label, column in (
            ("progressed before", "progression_date"),
            ("died before", "death_date"),
            ("follow-up ended before", "last_followup_date"),
        ):
            assert (_day(typed, column)[status == label] < nominal).all(), (tp, label)


@given(cohorts())
def test_derived_subject_flags_follow_from_their_inputs(raw):
    typed = _valid(raw)
    adsl = derive.subject_level(typed)
    assert (adsl["followup_days"] >= 0).all() and (adsl["delay_days"] >= 0).all()
    np.testing.assert_array_equal(adsl["progressed"], typed["progression_date"].notna())
    np.testing.assert_array_equal(adsl["died"], typed["death_date"].notna())
    hrca, anyab = adsl["hrca"], adsl["any_cyto_abnormality"]
    assert (anyab[hrca == 1] == 1).all()  # high risk is an abnormality
    assert (adsl.loc[hrca.notna() | anyab.notna(), "cyto_tested"] == 1).all()
    assert (adsl.loc[adsl["cyto_tested"] == 0, ["hrca", "any_cyto_abnormality"]].isna()).all().all()
    parts = adsl[["htb_bm_pc", "paramedullary", "htb_m_protein", "htb_flc"]]
    htb = adsl["high_tumour_burden"]
    np.testing.assert_array_equal((htb == 1).fillna(False), (parts == 1).any(axis=1))
    np.testing.assert_array_equal(htb.isna(), ~(parts == 1).any(axis=1) & parts.isna().any(axis=1))
    assert set(adsl["alkylating"]) <= {0, 1}


@given(cohorts(max_size=60), st.data())
def test_an_emptied_required_cell_is_reported_on_its_line_with_patient_and_column(raw, data):
    i = data.draw(st.integers(0, len(raw) - 1), label="row")
    column = data.draw(st.sampled_from(REQUIRED), label="column")
    broken = raw.copy()
    broken.loc[i, column] = ""
    _, report = validate_table(broken)
    found = report.to_frame()
    hit = found[(found["rule"] == "not_null") & (found["column"] == column)]
    assert len(hit) == 1 and int(hit["line"].iloc[0]) == i + 2
    assert hit["patient_id"].iloc[0] == ("" if column == "patient_id" else raw.loc[i, "patient_id"])
    assert (found["line"] == i + 2).all(), report.to_text()  # no other row is blamed
    assert not report.ok


@given(cohorts(max_size=60))
def test_validation_and_derivation_are_deterministic(raw):
    first, second = validate_table(raw.copy())[0], validate_table(raw.copy())[0]
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(derive.time_to_event(first), derive.time_to_event(second))
