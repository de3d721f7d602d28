"""The command line: exit codes, machine-readable reports, help for every command.

The commands run in this process (the ``cli`` fixture of tests/conftest.py calls
:func:`analysis.cli.main` with an argument list); the smoke tests at the end start the real
``python -m analysis`` process, so that the entry point, its exit status and its output streams
are still checked as a shell sees them.
"""

import subprocess
import sys

import pandas as pd
import pytest

from analysis import paths


def testcli_validate_exit_codes_and_report(cli):
    good = cli("validate", str(paths.FIXTURE))
    assert good.returncode == 0 and "Valid." in good.stdout
    bad = cli("validate", "tests/fixtures/malformed/death_is_last_followup.csv")
    assert bad.returncode == 1
    assert "patient 'FX02'" in bad.stdout and "'last_followup_date'" in bad.stdout
    missing = cli("validate", "no/such/file.csv")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def testcli_validate_csv_report_is_machine_readable(tmp_path, cli):
    res = cli("validate", "--format", "csv", "tests/fixtures/malformed/in_range.csv")
    assert res.returncode == 1
    (tmp_path / "r.csv").write_text(res.stdout)
    table = pd.read_csv(tmp_path / "r.csv")
    assert list(table.columns) == ["line", "patient_id", "column", "value", "rule", "message"]
    assert table.loc[0, "rule"] == "in_range" and table.loc[0, "patient_id"] == "FX05"


@pytest.mark.parametrize("command", ["validate", "run", "dictionary"])
def testcli_help_for_each_command(command, cli):
    res = cli(command, "--help")
    assert res.returncode == 0 and "usage:" in res.stdout


def testcli_validate_french_excel_csv_is_one_line_and_exit_2(cli):
    res = cli("validate", "data/examples/cohort_fr_excel.csv")
    assert res.returncode == 2 and res.stdout == ""
    (line,) = res.stderr.splitlines()
    assert line.startswith("error: cohort_fr_excel.csv: its columns are separated by ';'")


def testcli_validate_several_files_pools_them(tmp_path, cli):
    from analysis.data.io import read_table

    raw = read_table(paths.FIXTURE)
    raw.iloc[:4].to_csv(tmp_path / "a.csv", index=False)
    raw.iloc[4:].assign(center_id="C09").to_csv(tmp_path / "b.csv", index=False)
    res = cli("validate", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"))
    assert res.returncode == 0 and "2 files (a.csv, b.csv): 8 patient rows, 0 problem(s). Valid." in res.stdout
    res = cli("validate", "--format", "csv", str(tmp_path), str(paths.FIXTURE))
    assert res.returncode == 1 and res.stdout.startswith("file,line,patient_id,column,value,rule,message")


def testcli_template_and_dictionary_formats(tmp_path, cli):
    res = cli("template", str(tmp_path / "t.xlsx"))
    assert res.returncode == 0 and (tmp_path / "t.xlsx").exists()
    assert cli("template", str(tmp_path / "t.csv")).returncode == 2
    red = cli("dictionary", "--format", "redcap")
    assert red.returncode == 0 and red.stdout.startswith("Variable / Field Name,Form Name,Section Header")
    schema = cli("dictionary", "--format", "table-schema", "--out", str(tmp_path / "s.json"))
    assert schema.returncode == 0 and (tmp_path / "s.json").read_text().startswith("{")
    assert cli("dictionary", "--format", "redcap", "--check").returncode == 2


def testcli_import_exit_codes(tmp_path, cli):
    ok = cli(
        "import",
        "data/examples/centre_export_fr.csv",
        "--mapping",
        "data/examples/centre_export_fr.yaml",
        "--out",
        str(tmp_path / "c15.csv"),
    )
    assert ok.returncode == 0 and "recoded sex: Homme → M 22, Femme → F 22" in ok.stdout
    (tmp_path / "m.yaml").write_text(
        "read: {delimiter: ';', decimal: ',', date_format: '%d/%m/%Y'}\nconstants: {center_id: C15}\ncolumns: {}\n"
    )
    undeclared = cli(
        "import",
        "data/examples/centre_export_fr.csv",
        "--mapping",
        str(tmp_path / "m.yaml"),
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert undeclared.returncode == 1 and not (tmp_path / "x.csv").exists()
    assert (
        "raw column 'Sexe' is neither mapped nor dropped" in undeclared.stdout
        and "nothing written" in undeclared.stdout
    )
    assert (
        cli(
            "import",
            "data/examples/centre_export_fr.csv",
            "--mapping",
            str(tmp_path / "absent.yaml"),
            "--out",
            str(tmp_path / "x.csv"),
        ).returncode
        == 2
    )
    draft = cli("import", "data/examples/centre_export.sav", "--draft-mapping")
    assert draft.returncode == 0 and draft.stdout.startswith("# Draft mapping for centre_export.sav")


def testcli_import_several_exports_into_a_folder_validated_together(tmp_path, examples, synthetic_raw, cli):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    first = synthetic_raw["center_id"] <= "C07"
    (raw_dir / "north.csv").write_bytes(examples.french_excel_bytes(synthetic_raw[first]))
    (raw_dir / "south.csv").write_bytes(examples.french_excel_bytes(synthetic_raw[~first]))
    res = cli("import", str(raw_dir), "--mapping", "data/examples/cohort_fr_excel.yaml", "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.csv")) == ["north.csv", "south.csv"]
    assert "2 files (north.csv, south.csv): 44 patient rows, 0 problem(s). Valid." in res.stdout


def testcli_import_reports_mapping_and_validation_problems_at_once_and_writes_nothing(tmp_path, cli):
    import csv
    import io

    text = (paths.DATA / "examples" / "centre_export_fr.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    for k, column, value in ((3, "Sexe", "Inconnu"), (5, "Date J1 bispécifique", "31/13/2022"), (7, "Âge", "120")):
        rows[k][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    (tmp_path / "export.csv").write_text(out.getvalue(), encoding="utf-8")
    res = cli(
        "import",
        tmp_path / "export.csv",
        "--mapping",
        "data/examples/centre_export_fr.yaml",
        "--out",
        tmp_path / "o.csv",
    )
    assert res.returncode == 1
    assert "export.csv: 3 problem(s) with centre_export_fr.yaml" in res.stdout
    for where in (
        "line 4, column 'Sexe' (sex) = 'Inconnu'",
        "line 6, column 'Date J1 bispécifique' (bsab_start_date) = '31/13/2022'",
        "line 8, column 'Âge' (age_years) = '120', patient 'C15-007': must lie in [18, 100] years (rule in_range)",
    ):
        assert where in res.stdout
    assert "nothing was written" in res.stdout and list(tmp_path.glob("o.csv*")) == []


def testcli_import_checks_across_exports_before_writing(tmp_path, examples, synthetic_raw, cli):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    (raw_dir / "north.csv").write_bytes(examples.french_excel_bytes(synthetic_raw.head(3)))
    (raw_dir / "south.csv").write_bytes(examples.french_excel_bytes(synthetic_raw.iloc[[2, 5]]))  # SYN03 twice
    res = cli("import", raw_dir, "--mapping", "data/examples/cohort_fr_excel.yaml", "--out", tmp_path / "out")
    assert res.returncode == 1, res.stdout + res.stderr
    assert (
        "north.csv: line 4, column 'patient_id' = 'SYN03', patient 'SYN03': also on line 2 of south.csv" in res.stdout
    )
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


ODD_FILES = {
    "empty": b"",
    "blank": b"\n\n   \r\n",
    "binary": bytes((k * 131 + 7) % 256 for k in range(3000)),
    "workbook": (paths.DATA / "examples" / "centre_fr.xlsx").read_bytes(),
    "spss": (paths.DATA / "examples" / "centre_fr.sav").read_bytes(),
    "pdf": b"%PDF-1.4\n1 0 obj <<>> endobj",
    "html": b"<!DOCTYPE html><html><body>Please sign in</body></html>",
}


@pytest.mark.parametrize("kind", sorted(ODD_FILES))
@pytest.mark.parametrize("command", ["validate", "import", "draft", "run"])
def testcli_a_file_that_holds_no_table_is_one_paragraph_and_exit_2(tmp_path, cli, kind, command):
    path = tmp_path / "export.csv"
    path.write_bytes(ODD_FILES[kind])
    argv = {
        "validate": ["validate", path],
        "import": ["import", path, "--mapping", "data/examples/centre_en_csv.yaml", "--out", tmp_path / "out.csv"],
        "draft": ["import", path, "--draft-mapping"],
        "run": ["run", "--data", path, "--output-dir", tmp_path / "run"],
    }[command]
    res = cli(*argv)
    assert res.returncode == 2 and "Traceback" not in res.stderr + res.stdout
    (line,) = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith("error: export.csv: ") and "Fix:" in line and "Windows-1252" not in line
    assert not (tmp_path / "out.csv").exists()


def testcli_a_nul_inside_a_cell_is_refused_with_its_line_and_column(tmp_path, cli):
    lines = paths.FIXTURE.read_bytes().split(b"\n")
    k = lines[0].split(b",").index(b"involved_flc_mg_l")
    cells = lines[1].split(b",")
    cells[k] = b"46\x001.4"
    lines[1] = b",".join(cells)
    (tmp_path / "t.csv").write_bytes(b"\n".join(lines))
    res = cli("validate", tmp_path / "t.csv")
    assert res.returncode == 2 and "Valid." not in res.stdout
    assert "NUL (0x00) at line 2, column 10 ('involved_flc_mg_l') (in '46\\x001.4')" in res.stderr


@pytest.mark.parametrize("command", ["template", "import"])
def testcli_help_for_the_new_commands(command, cli):
    res = cli(command, "--help")
    assert res.returncode == 0 and "usage:" in res.stdout


# ----------------------------------------------------------------------------- the real process
def _process(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=paths.ROOT)


def test_the_entry_point_exits_0_on_valid_data_and_prints_the_report():
    res = _process("validate", str(paths.FIXTURE))
    assert res.returncode == 0 and "0 problem(s). Valid." in res.stdout and res.stderr == ""


def test_the_entry_point_exits_1_on_invalid_data_and_2_on_a_missing_file():
    bad = _process("validate", "tests/fixtures/malformed/death_is_last_followup.csv")
    assert bad.returncode == 1 and "patient 'FX02'" in bad.stdout
    missing = _process("validate", "no/such/file.csv")
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
