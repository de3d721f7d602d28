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


def test_cli_validate_french_excel_csv_is_one_line_and_exit_2():
    res = _cli("validate", "data/examples/cohort_fr_excel.csv")
    assert res.returncode == 2 and res.stdout == ""
    (line,) = res.stderr.splitlines()
    assert line.startswith("error: cohort_fr_excel.csv: its columns are separated by ';'")


def test_cli_validate_several_files_pools_them(tmp_path):
    from analysis.data.io import read_table
    raw = read_table(paths.FIXTURE)
    raw.iloc[:4].to_csv(tmp_path / "a.csv", index=False)
    raw.iloc[4:].assign(center_id="C09").to_csv(tmp_path / "b.csv", index=False)
    res = _cli("validate", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"))
    assert res.returncode == 0 and "2 files (a.csv, b.csv): 8 patient rows, 0 problem(s). Valid." in res.stdout
    res = _cli("validate", "--format", "csv", str(tmp_path), str(paths.FIXTURE))
    assert res.returncode == 1 and res.stdout.startswith("file,line,patient_id,column,value,rule,message")


def test_cli_template_and_dictionary_formats(tmp_path):
    res = _cli("template", str(tmp_path / "t.xlsx"))
    assert res.returncode == 0 and (tmp_path / "t.xlsx").exists()
    assert _cli("template", str(tmp_path / "t.csv")).returncode == 2
    red = _cli("dictionary", "--format", "redcap")
    assert red.returncode == 0 and red.stdout.startswith("Variable / Field Name,Form Name,Section Header")
    schema = _cli("dictionary", "--format", "table-schema", "--out", str(tmp_path / "s.json"))
    assert schema.returncode == 0 and (tmp_path / "s.json").read_text().startswith("{")
    assert _cli("dictionary", "--format", "redcap", "--check").returncode == 2


def test_cli_import_exit_codes(tmp_path):
    ok = _cli("import", "data/examples/centre_export_fr.csv", "--mapping", "data/examples/centre_export_fr.yaml",
              "--out", str(tmp_path / "c15.csv"))
    assert ok.returncode == 0 and "recoded sex: Homme → M 22, Femme → F 22" in ok.stdout
    (tmp_path / "m.yaml").write_text("read: {delimiter: ';', decimal: ',', date_format: '%d/%m/%Y'}\n"
                                     "constants: {center_id: C15}\ncolumns: {}\n")
    undeclared = _cli("import", "data/examples/centre_export_fr.csv", "--mapping", str(tmp_path / "m.yaml"),
                      "--out", str(tmp_path / "x.csv"))
    assert undeclared.returncode == 1 and not (tmp_path / "x.csv").exists()
    assert "raw column 'Sexe' is neither mapped nor dropped" in undeclared.stdout and "nothing written" in \
        undeclared.stdout
    assert _cli("import", "data/examples/centre_export_fr.csv", "--mapping", str(tmp_path / "absent.yaml"),
                "--out", str(tmp_path / "x.csv")).returncode == 2
    draft = _cli("import", "data/examples/centre_export.sav", "--draft-mapping")
    assert draft.returncode == 0 and draft.stdout.startswith("# Draft mapping for centre_export.sav")


def test_cli_import_several_exports_into_a_folder_validated_together(tmp_path, examples, synthetic_raw):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    first = synthetic_raw["center_id"] <= "C07"
    (raw_dir / "north.csv").write_bytes(examples.french_excel_bytes(synthetic_raw[first]))
    (raw_dir / "south.csv").write_bytes(examples.french_excel_bytes(synthetic_raw[~first]))
    res = _cli("import", str(raw_dir), "--mapping", "data/examples/cohort_fr_excel.yaml", "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.csv")) == ["north.csv", "south.csv"]
    assert "2 files (north.csv, south.csv): 44 patient rows, 0 problem(s). Valid." in res.stdout


@pytest.mark.parametrize("command", ["template", "import"])
def test_cli_help_for_the_new_commands(command):
    res = _cli(command, "--help")
    assert res.returncode == 0 and "usage:" in res.stdout
