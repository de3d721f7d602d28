"""The concepts' names: every dictionary column in French and English, and what is not a column."""

from analysis.data.dictionary import NAMES
from analysis.data.intake.concepts import NAMED, column_phrases, concepts


def test_every_dictionary_column_has_french_and_english_phrases():
    columns = {c.key: c for c in concepts() if c.kind == "column"}
    assert list(columns) == list(NAMES) and set(column_phrases()) == set(NAMES)
    assert all(c.fr and c.en for c in columns.values())


def test_concept_keys_are_unique_and_every_other_concept_says_why_it_is_dropped_or_what_it_feeds():
    keys = [c.key for c in concepts()]
    assert len(keys) == len(set(keys))
    for c in concepts():
        if c.kind != "column":
            assert c.reason and (c.derives is None or c.derives[0] in NAMES)


def test_the_families_are_generated_from_the_dictionary_labels():
    assert "lung or pleura" in column_phrases()["emd_lung"][1] and "emd_lung" not in NAMED
    assert "reponse c12" in column_phrases()["response_c12"][0]
