"""Draft mappings: read from the file, refused until a person has decided every TODO."""

import pytest

from analysis import paths
from analysis.data.intake.draft_mapping import draft
from analysis.data.intake.importer import map_file
from analysis.data.intake.mapping import load_mapping
from analysis.exceptions import DataFileError

EXAMPLES = paths.DATA / "examples"


def test_the_draft_of_the_french_excel_csv_declares_its_read_settings_and_imports(tmp_path):
    text = draft(EXAMPLES / "cohort_fr_excel.csv")
    for line in (
        '  delimiter: ";"',
        '  decimal: ","',
        '  date_format: "%d/%m/%Y"',
        "# Seen: UTF-8 with a byte-order mark",
    ):
        assert line in text
    assert "TODO" not in text.split("columns:")[1].replace("# Replace every TODO", "")
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    result = map_file(EXAMPLES / "cohort_fr_excel.csv", load_mapping(tmp_path / "d.yaml"))
    assert result.ok and result.table.equals(
        __import__("analysis.data.io", fromlist=["read_table"]).read_table(paths.DEFAULT_SYNTHETIC)
    )


def test_the_draft_of_a_centre_export_lists_values_and_is_refused_until_edited(tmp_path):
    text = draft(EXAMPLES / "centre_export_fr.csv")
    assert '"Sexe": {to: TODO, recode: {"Femme": TODO, "Homme": TODO}}   # closest dictionary names: sex' in text
    assert "# closest dictionary names:" in text and '"Commentaire"' in text
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_mapping(tmp_path / "d.yaml")
    assert "columns: Sexe: give the dictionary column it holds" in str(info.value)


def test_the_draft_of_an_spss_file_shows_value_labels():
    text = draft(EXAMPLES / "centre_export.sav")
    assert "value labels: 1 = Homme, 2 = Femme" in text
    assert '"sexe": {to: TODO, recode: {"1": TODO, "2": TODO}}' in text
