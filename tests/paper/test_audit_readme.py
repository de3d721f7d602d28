"""The audit's findings as text: the generated README section is current and lists every failing check."""

from analysis.paper import audit, audit_readme


def test_published_readme_generated_section_is_current():
    assert audit_readme.readme_is_current(), "run `python -m analysis audit --write-readme`"


def test_findings_list_every_failing_check():
    table = audit.audit()
    failing = set(table.loc[table["status"] == "FAIL", "check_id"])
    warned = set(table.loc[table["status"] == "WARN", "check_id"])
    EXPECTED_WARNINGS = warned
    assert len(failing) == 15 and len(warned) == 2
    text = audit_readme.findings_markdown()
    for check_id in failing | warned:
        assert f"| `{check_id}` |" in text
    failing, warnings = text.split("#### Warnings and the reading the cohort follows")
    assert all(f"| `{check_id}` |" in warnings.split("#### Implied counts")[0] for check_id in EXPECTED_WARNINGS)
    assert "221 checks, 204 pass, 2 warn, 15 fail" in failing
