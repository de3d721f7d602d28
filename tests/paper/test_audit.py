"""The consistency audit finds exactly the paper's inconsistencies, and each has a recorded resolution.

Hand-worked GRIM cases (percentages printed with 0 decimals):
  15/44 = 34.09% -> 34, not 35;  15/43 = 34.88% -> 35 (half-up, half-even)
  38 at 89%: 38/43 = 88.37%, 38/42 = 90.48% -> no denominator 38..60 works under any rule (39/44 = 88.6% would)
  9/17 = 52.94% -> 53;  2/44 = 4.55% -> 4 only by truncation
  33% of 39 -> 13 (13/39 = 33.33%);  87% of 21 -> none (18/21 = 85.71%, 19/21 = 90.48%)
"""

from dataclasses import replace
from io import StringIO

import pandas as pd
import pytest

from analysis.exceptions import ClaimsError
from analysis.paper import audit

EXPECTED_FAILURES = {
    "grim.t1.iss3",  # 20 (48%) needs 42 staged patients
    "grim.t1.high_pc",  # 12 (28%) needs 43
    "grim.t1.pjp_prophylaxis",  # 38 (89%): no denominator
    "grim.t1.cytopenia",  # 14 (33%) needs 43
    "grim.txt.cytopenia",
    "grim.txt.infections_g3plus",  # 15 (35%) needs 43
    "grim.txt.orr_c6",  # 87% of 21: unreachable
    "fraction.txt.orr_c1_hrca",  # 12/19 = 63.2%, printed 64% (the overall C1 ORR)
    "fraction.txt.orr_c3_hrca",  # 12/15 = 80%, printed 73% (the overall C3 ORR)
    "rounding.single_rule",  # 2/44 -> 4 and 25/34 -> 73 truncate; 17/44 -> 39 rounds
    "typo.txt.tocilizumab",  # "(n = 10%)"
    "pair.age",  # 67 in the text, 66 in Table 1
    "definition.hrca",  # 22 "HRCA" > 9 + 3 + 2 = 14
    "definition.inclusion_window",  # delay up to 197 days vs "within the preceding month"
    "km_position.os_hrca",  # overall 20.1 above both 19.3 and 13.8
}
EXPECTED_WARNINGS = {
    "sum.emd_sites",  # 4 + 5 + 10 = 19 of 22 EMD patients have a site count
    "reading.m_protein_unit",  # "peak >30 g/dl" = 300 g/L: read as 30 g/L
}


@pytest.fixture(scope="module")
def table(registry):
    return audit.audit(registry).set_index("check_id")


# ----------------------------------------------------------------------------- the audit of the paper
def test_audit_table_has_one_row_per_check_with_the_documented_columns(table):
    assert list(table.reset_index().columns) == list(audit.COLUMNS)
    assert table.index.is_unique and len(table) == 221
    assert set(table["status"]) == set(audit.STATUSES)


def test_audit_finds_exactly_the_expected_failures(table):
    assert set(table.index[~table["passed"]]) == EXPECTED_FAILURES
    assert set(table.index[table["status"] == "FAIL"]) == EXPECTED_FAILURES


def test_warnings_hold_but_record_the_reading_the_cohort_follows(table):
    from analysis.data import derive

    warned = table[table["status"] == "WARN"]
    assert set(warned.index) == EXPECTED_WARNINGS
    assert warned["passed"].all() and warned["resolved"].all() and (warned["resolution"] != "").all()
    sites = table.loc["sum.emd_sites"]
    assert "4 + 5 + 10 = 19 ≤ 22" in sites["explanation"] and "leave 3 of the EMD patients" in sites["resolution"]
    unit = table.loc["reading.m_protein_unit"]
    assert "peak >30 g/dl" in unit["explanation"] and "30 g/dl = 300 g/L" in unit["explanation"]
    assert f"> {derive.M_PROTEIN_THRESHOLD:g} g/L (M_PROTEIN_THRESHOLD)" in unit["resolution"]
    assert unit["check"] == "units" and unit["claim_ids"] == ""


def test_a_warning_clears_when_the_categories_add_up(registry):
    closed = [replace(c, n=13) if c.id == "t1.emd_sites_3plus" else c for c in registry]
    row = audit.audit(closed).set_index("check_id").loc["sum.emd_sites"]
    assert row["status"] == "PASS" and row["resolution"] == "" and pd.isna(row["resolved"])


def test_every_failing_check_has_a_recorded_resolution(table):
    failed = table[~table["passed"]]
    assert failed["resolved"].all(), failed.index[~failed["resolved"]].tolist()
    assert (failed["resolution"] != "").all()
    assert table.loc[table["status"] == "PASS", "resolved"].isna().all()


def test_every_resolution_answers_a_failing_check(registry, table):
    judged = set()
    for resolution in table.loc[~table["passed"], "resolution"]:
        judged |= {part.split(":")[0].strip() for part in resolution.split(" | ")}
    assert judged == {c.id for c in registry if c.resolution is not None}


def test_a_failure_without_resolution_is_reported_unresolved(registry):
    stripped = [replace(c, resolution=None) if c.id == "txt.orr_c6" else c for c in registry]
    row = audit.audit(stripped).set_index("check_id").loc["grim.txt.orr_c6"]
    assert not row["passed"] and not row["resolved"]
    with_c6_18 = audit.audit(registry).set_index("check_id").loc["sum.c6_emd_complement_responders"]
    assert "18 − 7 = 11 ≤ 21 − 9 = 12" in with_c6_18["explanation"]


def test_a_claim_the_checks_need_but_the_registry_lacks_is_named(registry):
    with pytest.raises(ClaimsError, match="the audit needs claim 'txt.best_orr'"):
        audit.audit([c for c in registry if c.id != "txt.best_orr"])


def test_sums_give_the_hand_computed_totals(table):
    assert table.loc["sum.emd_sites", "implied"] == "EMD patients without a recorded number of sites = 3"
    assert table.loc["sum.alkylating_agents", "implied"].endswith("= 4")
    assert table.loc["sum.cytogenetics", "implied"] == "patients with two or more abnormalities = 0"
    assert table.loc["sum.best_response", "implied"] == "PR as best response = 5"
    assert table.loc["sum.infection_deaths", "implied"] == "patients with a grade 4 (non-fatal) infection = 0"
    assert table.loc["sum.c1_emd_complement_evaluable", "implied"] == "patients without EMD evaluable at C1 = 22"
    assert "39 − 17 = 22 ≤ 44 − 22 = 22" in table.loc["sum.c1_emd_complement_evaluable", "explanation"]


def test_text_and_table_agree_except_the_median_age(table):
    pairs = table[table["check"] == "same_quantity"]
    assert list(pairs.index[~pairs["passed"]]) == ["pair.age"]
    assert table.loc["pair.age", "implied"] == "median = 66.5"
    assert "9/22 = 40.9% → 41%" in table.loc["pair.del17p", "explanation"]
    assert "9/44 = 20.5% → 20%" in table.loc["pair.del17p", "explanation"]


def test_hrca_definition_cannot_hold_the_reported_group_sizes(table):
    row = table.loc["definition.hrca"]
    assert "9 + 3 + 2 = 14" in row["explanation"] and "19 evaluable at C1" in row["explanation"]
    assert row["resolution"].startswith("txt.hrca:")


def test_kaplan_meier_checks(table):
    km = table[table["check"].str.startswith("km_")]
    assert list(km.index[~km["passed"]]) == ["km_position.os_hrca"]
    assert "equal to the HRCA median" in table.loc["km_position.pfs_hrca", "explanation"]
    assert len(km[km["check"] == "km_ci"]) == 10 and len(km[km["check"] == "km_order"]) == 5


def test_implied_counts_list_the_derived_counts(registry):
    imp = audit.implied_counts(registry)
    by_claim = imp.set_index("claim_ids")["count"]
    assert by_claim["txt.cr_c1"] == 13 and by_claim["txt.orr_c3"] == 25 and by_claim["txt.orr_c6"] == 18
    assert by_claim["txt.orr_c12"] == 8 and by_claim["txt.cr_c12"] == 3
    assert by_claim["txt.orr_debulking"] == 12 and by_claim["txt.vgpr_debulking"] == 6
    by_quantity = imp.set_index("quantity")["count"]
    assert by_quantity["PR as best response"] == 5
    assert by_quantity["patients with iss_stage missing"] == 2
    assert by_quantity["patients with bm_plasma_cell_pct missing"] == 1
    assert by_quantity["patients with infection_max_grade missing"] == 1
    assert by_quantity["patients with cytopenia_grade3plus missing"] == 1


def test_cli_audit_prints_one_line_per_check_and_exits_0(cli):
    done = cli("audit")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 222
    assert any(
        line.startswith("FAIL  grim.txt.orr_c6: 87% of 21") and "[resolution recorded: txt.orr_c6: n = 18" in line
        for line in lines
    )
    assert any(
        line.startswith("WARN  reading.m_protein_unit: methods:") and "[reading followed: " in line for line in lines
    )
    assert sum(line.startswith("WARN  ") for line in lines) == 2
    assert lines[-1] == "221 checks, 204 passed, 2 warnings, 15 failed, every failure has a resolution."


def test_cli_audit_writes_csv_to_a_file(tmp_path, cli):
    out = tmp_path / "audit.csv"
    done = cli("audit", "--format", "csv", "--out", out)
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(StringIO(out.read_text(encoding="utf-8")))
    assert len(frame) == 221 and (~frame["passed"]).sum() == 15
    assert list(frame.columns) == list(audit.COLUMNS) and frame["status"].value_counts().to_dict() == {
        "PASS": 204,
        "FAIL": 15,
        "WARN": 2,
    }
