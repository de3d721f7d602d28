"""The command line: exit codes, machine-readable reports, help for every command."""
import subprocess
import sys

import pandas as pd
import pytest

from analysis import paths


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          cwd=paths.ROOT)


def test_cli_validate_exit_codes_and_report():
    good = _cli("validate", str(paths.FIXTURE))
    assert good.returncode == 0 and "Valid." in good.stdout
    bad = _cli("validate", "tests/fixtures/malformed/death_is_last_followup.csv")
    assert bad.returncode == 1
    assert "patient 'FX02'" in bad.stdout and "'last_followup_date'" in bad.stdout
    missing = _cli("validate", "no/such/file.csv")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_cli_validate_csv_report_is_machine_readable(tmp_path):
    res = _cli("validate", "--format", "csv", "tests/fixtures/malformed/in_range.csv")
    assert res.returncode == 1
    (tmp_path / "r.csv").write_text(res.stdout)
    table = pd.read_csv(tmp_path / "r.csv")
    assert list(table.columns) == ["line", "patient_id", "column", "value", "rule", "message"]
    assert table.loc[0, "rule"] == "in_range" and table.loc[0, "patient_id"] == "FX05"


@pytest.mark.parametrize("command", ["validate", "run", "dictionary"])
def test_cli_help_for_each_command(command):
    res = _cli(command, "--help")
    assert res.returncode == 0 and "usage:" in res.stdout
