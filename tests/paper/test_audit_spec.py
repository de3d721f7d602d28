"""The registry's ``audit:`` section: the audit's declarations and the paper's facts it uses, read and checked.

Counts of the committed section, by hand from data/published/claims.yaml:
  sums: 31 declared + 2 subgroups (EMD, HRCA) × 4 timepoints (C1, C3, C6, C12) × 3 checks = 55
  pairs: 35; km_sets: 4 (PFS, OS × EMD, HRCA); readings: 1 (the M-protein unit)
  inclusion window: "within the preceding month" = 31 days; received 7 June 2025
  window: 2022-03-01 → 2025-06-07 = 1194 days = 1194 / 30.4375 = 39.2 months
"""

import re
from dataclasses import replace
from datetime import date

import pytest

from analysis import paths
from analysis.exceptions import ClaimsError
from analysis.paper import audit, claims


@pytest.fixture(scope="module")
def spec():
    return claims.load_audit()


def _edited(tmp_path, old: str, new: str):
    text = (paths.PUBLISHED / "claims.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "claims.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- the committed section
def test_the_committed_section_declares_every_check(spec):
    assert spec.cohort == "t1.n_patients"
    assert (len(spec.sums), len(spec.pairs), len(spec.km_sets), len(spec.readings)) == (55, 35, 4, 1)
    ids = [s.id for s in spec.sums] + [p.id for p in spec.pairs] + [k.id for k in spec.km_sets]
    assert len(ids) == len(set(ids)) == 94
    assert [s.id for s in spec.sums[31:34]] == [
        "sum.c1_emd_evaluable",
        "sum.c1_emd_complement_evaluable",
        "sum.c1_emd_complement_responders",
    ]


def test_the_papers_facts_the_audit_needs_are_the_registrys(spec):
    assert spec.inclusion_window.days == 31 and spec.inclusion_window.multi_cycle_min == 2
    assert spec.followup.received == date(2025, 6, 7)
    assert spec.hrca.strict == ("t1.del17p", "t1.t_4_14", "t1.t_14_16") and len(spec.hrca.abnormalities) == 6
    assert spec.hrca.subgroup == (
        ("C1", "txt.orr_c1_hrca"),
        ("C3", "txt.orr_c3_hrca"),
        ("C6", "txt.orr_c6_hrca"),
        ("C12", "txt.orr_c12_hrca"),
    )
    assert spec.readings[0].printed == 30 and spec.readings[0].unit == "g/dl"


def test_a_subgroup_sum_expands_to_its_three_checks(spec):
    by_id = {s.id: s for s in spec.sums}
    c6 = by_id["sum.c6_hrca_complement_evaluable"]
    assert [(t.claim, t.denominator, t.negative) for t in c6.left] == [
        ("txt.orr_c6", True, False),
        ("txt.orr_c6_hrca", True, True),
    ]
    assert [(t.claim, t.negative) for t in c6.right] == [("t1.n_patients", False), ("t1.cyto_abnormalities", True)]
    assert c6.implies == "patients without a known cytogenetic abnormality evaluable at C6" and c6.value == "left"


# ----------------------------------------------------------------------------- the audit reads it
def test_the_audit_reads_the_inclusion_window_and_reception_date_from_the_registry(registry, spec):
    wider = replace(
        spec,
        inclusion_window=replace(spec.inclusion_window, days=197),
        followup=replace(spec.followup, received=date(2024, 9, 1)),
    )
    table = audit.audit(registry, wider).set_index("check_id")
    window = table.loc["definition.inclusion_window"]
    assert window["status"] == "PASS" and "(≤ 197 days), delay median 28, maximum 197 days" in window["explanation"]
    # 2022-03-01 → 2024-09-01 = 915 days = 30.1 months < the longest follow-up, 31 months
    assert table.loc["followup.window", "status"] == "FAIL"
    assert (
        "≤ 30.1 months from the first inclusion month (2022-03) to the paper's reception (2024-09-01)"
        in table.loc["followup.window", "explanation"]
    )
    committed = audit.audit(registry, spec).set_index("check_id")
    assert "≤ 39.2 months" in committed.loc["followup.window", "explanation"]


def test_a_pair_added_to_the_registry_is_a_check_of_the_audit(registry, spec):
    pair = replace(spec.pairs[0], id="pair.extra", claims=("txt.female", "t1.tcr"))
    extra = replace(spec, pairs=spec.pairs + (pair,))
    row = audit.audit(registry, extra).set_index("check_id").loc["pair.extra"]
    assert row["status"] == "FAIL" and row["claim_ids"] == "txt.female, t1.tcr"
    assert row["explanation"] == ("txt.female 22/44 = 50.0% → 50%; t1.tcr 41/44 = 93.2% → 93%: counts differ")


# ----------------------------------------------------------------------------- errors name the entry and field
@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "left: [t1.teclistamab, t1.elranatamab]",
            "left: [t1.teclistamab, t1.elranatamabb]",
            "audit sums entry 'sum.bispecific_agents', field 'left': no claim 't1.elranatamabb' in the registry; "
            "did you mean t1.elranatamab?",
        ),
        (
            'left: [t1.teclistamab, t1.elranatamab]\n      op: "=="',
            'left: [t1.teclistamab, t1.elranatamab]\n      op: "=<"',
            "audit sums entry 'sum.bispecific_agents', field 'op': must be one of ==, <=, >=, got '=<'",
        ),
        (
            "left: [t1.teclistamab, t1.elranatamab]",
            "left: [t1.teclistamab, 't1.elranatamab:value']",
            "audit sums entry 'sum.bispecific_agents', field 'left': term 't1.elranatamab:value' is malformed",
        ),
        (
            'implies: "patients with grade 4 CRS"\n      value: right-left\n',
            'implies: "patients with grade 4 CRS"\n',
            "audit sums entry 'sum.crs_grades', field 'value': is given exactly when `implies:` is",
        ),
        (
            "leave {gap} of the EMD",
            "leave {gaps} of the EMD",
            "audit sums entry 'sum.emd_sites', field 'warn': may use only the placeholder {gap}",
        ),
        (
            "{id: pair.centres,",
            "{id: pair.patients,",
            "audit pairs entry 'pair.patients', field 'id': check id 'pair.patients' used twice",
        ),
        (
            "{id: pair.age, claims: [txt.age, t1.age]}",
            "{id: pair.age, claims: [txt.age, t1.age, t1.female]}",
            "audit pairs entry 'pair.age', field 'claims': must be a list of 2 claim ids",
        ),
        (
            "{id: pair.age, claims: [txt.age, t1.age]}",
            "{id: pair.age, claims: [txt.age, t1.female]}",
            "audit pairs entry 'pair.age', field 'claims': txt.age is a median_range and t1.female a proportion; "
            "a pair prints one quantity twice",
        ),
        (
            "{id: km_position.pfs_emd,",
            "{id: km_position.pfs_emd, colour: red,",
            "audit km_sets entry 'km_position.pfs_emd', field 'colour': is not a key of 'km_sets'",
        ),
        (
            "- id: sum.deaths\n",
            "- id: deaths\n",
            "audit sums entry 'deaths', field 'id': must be a check id 'sum.<name>' (lowercase), got 'deaths'",
        ),
        (
            'received: "2025-06-07"',
            "received: 2025-06-07",
            "audit entry 'followup', field 'received': must be a date written YYYY-MM-DD (quoted)",
        ),
        (
            'received: "2025-06-07"',
            'received: "2025-06-31"',
            "audit entry 'followup', field 'received': '2025-06-31' is not a calendar date",
        ),
        (
            "      subgroup: hrca\n",
            "      subgroup: hrcaa\n",
            "audit entry 'definitions.hrca', field 'subgroup': must be the tag of a subgroup_sums entry (emd, hrca)",
        ),
        (
            "      days: 31\n",
            "      days: 0\n",
            "audit entry 'definitions.inclusion_window', field 'days': must be a whole number ≥ 1",
        ),
        ("  cohort: t1.n_patients\n", "", "audit section, field 'cohort': is required in 'audit'"),
        (
            "        - {cycle: C6, overall: txt.orr_c6, subgroup: txt.orr_c6_emd}\n",
            "        - {cycle: C6, overall: txt.orr_c6, subgroup: txt.orr_c6_emd}\n"
            "        - {cycle: C6, overall: txt.orr_c6, subgroup: txt.orr_c6_emd}\n",
            "audit subgroup_sums entry 'emd', field 'cycle': check id 'sum.c6_emd_evaluable' used twice",
        ),
        (
            "      check: units\n",
            "      check: unit\n",
            "audit readings entry 'reading.m_protein_unit', field 'check': must be one of units, got 'unit'",
        ),
    ],
)
def test_a_malformed_audit_entry_names_the_entry_and_field(tmp_path, old, new, message):
    path = _edited(tmp_path, old, new)
    with pytest.raises(ClaimsError, match=f"^{re.escape(message)}"):
        claims.load_audit(path)
    with pytest.raises(ClaimsError, match=re.escape(message)):  # the registry loader checks the section too
        claims.load_claims(path)


def test_the_readme_documents_every_key_of_the_audit_section():
    from analysis.paper.audit_spec import ENTRY_FIELDS

    text = (paths.PUBLISHED / "README.md").read_text(encoding="utf-8")
    block = text.split("### The `audit:` section", 1)[1].split("\n\n")[2]
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `(\w+)` \| (.*) \|$", block, re.M)}
    assert set(rows) == set(ENTRY_FIELDS["audit"][0])
    nested = {"subgroup_sums": ["timepoints"], "definitions": ["hrca", "inclusion_window"]}
    for key, row in rows.items():
        tokens = set(re.findall(r"`([^`]+)`", row))
        for entry in [key, *nested.get(key, [])]:
            if entry in ENTRY_FIELDS and entry != "definitions":
                required, optional = ENTRY_FIELDS[entry]
                assert set(required + optional) <= tokens, (key, set(required + optional) - tokens)
