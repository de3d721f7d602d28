"""data/README.md's generated tables: current, and listing every column and rule."""

from analysis.data import readme as data_readme
from analysis.data.dictionary import NAMES


def test_data_readme_generated_section_is_current():
    assert data_readme.is_current(), "run `python -m analysis dictionary --write`"


def test_data_readme_lists_every_column_and_rule():
    text = data_readme.README.read_text(encoding="utf-8")
    from analysis.data.validate import RULES

    for name in list(NAMES) + list(RULES):
        assert f"`{name}`" in text
