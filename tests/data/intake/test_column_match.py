"""Which dictionary column a raw column holds: taken only where name and values agree, else left open.

Cases: an identifier is dropped before any name is compared; names and values disagreeing; two raw
columns on one target; a birth date derived into the age, or dropped when the age is there; a worst
cytopenia grade derived into the flag, or dropped when the flag is there.
"""

from analysis.data.intake.column_match import Match, _one_per_target, match_columns
from analysis.data.intake.evidence import evidence


def _by_raw(cells, **kw):
    return {m.raw: m for m in match_columns(cells, **kw)}


def test_a_column_of_names_is_dropped_not_offered_as_patient_id():
    m = _by_raw({"Patient": ["DUPONT Jean", "MARTIN Anne", "PETIT Paul"]})["Patient"]
    assert m.action == "drop" and "name" in m.reason


def test_name_and_values_must_agree():
    ms = _by_raw({"Date décès": ["Oui", "Non", "Oui"], "Infection": ["Oui", "Non", ""], "Sexe": ["12", "14", "13"]})
    assert {m.action for m in ms.values()} == {"open"}
    assert ms["Date décès"].candidates[0][0].key == "death_date" and ms["Date décès"].candidates[0][1] is False


def test_never_two_raw_columns_on_one_target():
    tie = _by_raw({"Sexe": ["Homme", "Femme"], "Sex": ["Male", "Female"]})
    assert {m.action for m in tie.values()} == {"open"}
    assert "also the best match" in tie["Sexe"].reason
    ev = evidence(["Homme", "Femme"])
    clear = _one_per_target(
        [Match("Sexe", None, ev, "map", "sex", score=1.0), Match("S", None, ev, "map", "sex", score=0.8)]
    )
    assert [m.action for m in clear] == ["map", "open"]
    close = _one_per_target(
        [Match("Sexe", None, ev, "map", "sex", score=0.9), Match("S", None, ev, "map", "sex", score=0.8)]
    )
    assert [m.action for m in close] == ["open", "open"]


def test_a_birth_date_feeds_the_age_only_when_no_column_holds_it():
    births = ["1950-03-01", "1948-11-30"]
    alone = _by_raw({"Date de naissance": births})["Date de naissance"]
    assert alone.action == "derive" and alone.derives == ("age_years", "age_in_years", "at", "bsab_start_date")
    with_age = _by_raw({"Date de naissance": births, "Âge": ["72", "74"]})
    assert with_age["Date de naissance"].action == "drop" and with_age["Âge"].target == "age_years"


def test_a_birth_date_is_left_open_while_an_open_column_may_hold_the_age():
    ms = _by_raw({"DOB": ["1950-03-01", "1948-11-30"], "Âge en années révolues": ["72", "74"]})
    assert ms["Âge en années révolues"].action == "open" and ms["DOB"].action == "open"
    assert "or drop it if 'Âge en années révolues' holds age_years" in ms["DOB"].reason


def test_a_worst_cytopenia_grade_feeds_the_grade_3_flag():
    grades = {"Grade cytopénie max": ["0", "3", "4", ""]}
    m = _by_raw(grades)["Grade cytopénie max"]
    assert m.action == "derive" and m.derives[:2] == ("cytopenia_grade3plus", "at_least")
    both = _by_raw({**grades, "Cytopénie grade ≥3": ["Non", "Oui", "Oui", ""]})
    assert both["Grade cytopénie max"].action == "drop" and both["Cytopénie grade ≥3"].action == "map"


def test_a_variable_label_names_a_statistical_file_column():
    ms = _by_raw({"q12": ["1", "2"]}, value_labels={"q12": {"1": "Oui", "2": "Non"}}, variable_labels={"q12": "IRA"})
    assert ms["q12"].target == "acute_kidney_injury"
