"""A refused column or value in one line, in the file's own numbering; every change counted for the summary."""

from analysis.data.intake.map_report import MapProblem, MapReport


def test_a_problem_names_rows_in_the_files_own_words():
    p = MapProblem(tuple(range(3, 10)), "Sexe", "?", "not a code of sex", target="sex")
    assert p.to_text("case") == "cases 3, 4, 5, 6, 7 (+2 more), column 'Sexe' (sex) = '?': not a code of sex"
    v = MapProblem((8,), "Âge", "120", "must lie in [18, 100] years", "age_years", "120", "C15-007", "in_range")
    assert v.to_text("row") == (
        "row 8, column 'Âge' (age_years) = '120', patient 'C15-007': must lie in [18, 100] years (rule in_range)"
    )
    assert MapProblem((), "IPP", "", "drop it", rule="").to_text() == "drop it"


def test_missing_codes_and_derivations_are_counted_in_the_summary():
    r = MapReport()
    for _ in range(2):
        r.count_missing("del17p", "9", "SPSS user-missing", "Non fait")
    r.count_missing("del17p", "NF", "mapping (read: missing)")
    r.derived["cytopenia_grade3plus"] = {
        "rule": "at_least",
        "from": ["Grade max"],
        "value": "3",
        "cells": 40,
        "empty": {"'Grade max' empty": 4},
    }
    r.renamed["Grade max"] = "ignored"
    assert r.summary_lines() == [
        "empty (declared missing) del17p: '9' (Non fait) 2 [SPSS user-missing], 'NF' 1 [mapping (read: missing)]",
        "derived cytopenia_grade3plus (at_least from 'Grade max'): 40 cell(s), 4 left empty ('Grade max' empty 4)",
    ]
    assert r.origin("cytopenia_grade3plus") == ("Grade max", "derived") and r.origin("sex") == ("sex", "raw")
