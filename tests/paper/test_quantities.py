"""The quantities file (data/published/quantities.yaml): the committed file against the registry, and each refusal.

Small files under tmp_path are checked against a three-claim registry (t1.female, txt.female, t1.age):
  the good file                                   -> two quantities, female's two claims in one
  an unknown / missing key, an id used twice      -> refused, naming the file, the entry and the field
  a claim not in the registry, a claim in two     -> refused
  quantities, a registry claim in none
  an empty label, population or unit              -> refused
"""

import re

import pytest

from analysis import paths
from analysis.exceptions import ClaimsError
from analysis.paper import claims as claims_mod
from analysis.paper import quantities as Q

REGISTRY_IDS = ["t1.female", "txt.female", "t1.age"]
FEMALE = """\
  - id: q.female
    label: "Female sex"
    population: "all patients"
    unit: "%"
    claims: [t1.female, txt.female]
"""
AGE = """\
  - id: q.age
    label: "Age"
    population: "all patients"
    unit: "years"
    claims: [t1.age]
"""


def _file(tmp_path, entries: str = FEMALE + AGE, header: str = "schema_version: 1\nquantities:\n"):
    path = tmp_path / "quantities.yaml"
    path.write_text(header + entries, encoding="utf-8")
    return path


def _refused(tmp_path, entries: str, message: str):
    path = _file(tmp_path, entries)
    with pytest.raises(ClaimsError, match=re.escape(message)) as err:
        Q.load(path, REGISTRY_IDS)
    assert str(path) in str(err.value)


# ----------------------------------------------------------------------------- the committed file
def test_the_committed_file_puts_every_registry_claim_in_exactly_one_quantity():
    quantities = Q.load()
    listed = [cid for q in quantities for cid in q.claims]
    registry = [c.id for c in claims_mod._registry()]
    assert len(registry) == 158
    assert sorted(listed) == sorted(registry)
    assert set(Q.by_claim()) == set(registry)
    assert len({q.id for q in quantities}) == len(quantities)
    assert Q.QUANTITIES == paths.PUBLISHED / "quantities.yaml"
    assert Q.load() is Q.load()  # cached


def test_labels_and_populations_are_words_not_registry_ids():
    for q in Q.load():
        assert q.label and q.population and q.unit, q.id
        for text in (q.label, q.population):
            assert not re.search(r"\b(t1|txt|disc|ext)\.", text), (q.id, text)


def test_spot_checks_of_labels_populations_and_units():
    by_claim = Q.by_claim()
    orr = by_claim["txt.orr_c3_hrca"]
    assert "HRCA" in orr.population and "cycle 3" in orr.population
    assert orr.text == "ORR after cycle 3, patients with HRCA evaluable after cycle 3, %"
    assert by_claim["t1.delay"].unit == "days"
    assert by_claim["t1.female"] is by_claim["txt.female"]
    assert by_claim["t1.female"].primary == "t1.female"
    assert by_claim["t1.age"] is by_claim["txt.age"]  # 66 and 67: one quantity printed twice, differently
    assert by_claim["t1.icans"].claims == ("t1.icans", "txt.icans", "disc.icans")
    assert by_claim["txt.followup"].claims == ("txt.followup", "disc.followup")
    assert by_claim["t1.iss3"].population == "patients with a known ISS stage"
    assert by_claim["t1.crs_grade1"].population == "patients with CRS"
    assert by_claim["txt.pfs_median_emd"].text == "Median progression-free survival, patients with EMD, months"
    assert by_claim["txt.pfs_logrank_emd"].unit == "p-value"


def test_percentages_of_other_denominators_are_other_quantities():
    by_claim = Q.by_claim()
    assert by_claim["t1.del17p"] is not by_claim["txt.del17p"]  # 9 of 44 and 9 of the 22 with an abnormality
    assert by_claim["t1.infection_grade3"] is not by_claim["txt.infections_g3plus"]
    assert by_claim["t1.infection_grade3"].population == "patients with a grade 3 or higher infection"


def test_claims_sharing_a_quantity_are_computed_alike_and_the_compared_one_comes_first():
    registry = {c.id: c for c in claims_mod._registry()}
    for q in Q.load():
        members = [registry[cid] for cid in q.claims]
        assert len({str(c.metric) for c in members if c.metric is not None}) <= 1, q.id
        assert len({c.kind for c in members}) == 1, q.id
        assert len({c.study for c in members}) == 1, q.id
        sources = [cid.split(".")[0] for cid in q.claims]
        if members[0].section in ("response", "survival") and "txt" in sources:
            assert sources[0] == "txt", q.id
        elif "t1" in sources:
            assert sources[0] == "t1", q.id


def test_every_audit_pair_with_one_metric_is_one_quantity():
    registry = {c.id: c for c in claims_mod._registry()}
    by_claim = Q.by_claim()
    for pair in claims_mod.load_audit().pairs:
        a, b = (registry[cid] for cid in pair.claims)
        same = a.metric == b.metric and a.study == b.study
        assert (by_claim[a.id] is by_claim[b.id]) == same, pair.id


def test_figures_of_other_studies_name_the_study_in_their_population():
    for q in Q.load():
        if q.primary.startswith("ext."):
            study = claims_mod.get(q.primary).study.split(" (")[0]
            assert study.split()[0] in q.population and q.population.endswith("— another population"), q.id


# ----------------------------------------------------------------------------- a small file
def test_a_good_small_file_gives_its_quantities_in_order(tmp_path):
    female, age = Q.load(_file(tmp_path), REGISTRY_IDS)
    assert female == Q.Quantity("q.female", "Female sex", "all patients", "%", ("t1.female", "txt.female"))
    assert (female.primary, female.text) == ("t1.female", "Female sex, all patients, %")
    assert Q.by_claim([female, age]) == {"t1.female": female, "txt.female": female, "t1.age": age}
    claims = [claims_mod.get(cid) for cid in REGISTRY_IDS]
    assert Q.load(_file(tmp_path), claims) == (female, age)  # Claim objects do as well as their ids


def test_an_unknown_key_is_refused(tmp_path):
    _refused(tmp_path, FEMALE + AGE + "    notes: x\n", "quantity 'q.age', field(s) notes: unknown; the fields are")


def test_a_missing_key_is_refused(tmp_path):
    _refused(
        tmp_path,
        FEMALE + AGE.replace('    unit: "years"\n', ""),
        "quantity 'q.age', field(s) unit: missing; every quantity has id, label, population, unit, claims",
    )


def test_an_id_used_twice_is_refused(tmp_path):
    _refused(tmp_path, FEMALE + AGE.replace("q.age", "q.female"), "quantity 'q.female', field 'id': used twice")


def test_an_id_not_q_dot_snake_case_is_refused(tmp_path):
    _refused(tmp_path, FEMALE + AGE.replace("q.age", "age"), "quantity #2, field 'id': 'age' must be 'q.'")


def test_a_claim_not_in_the_registry_is_refused_with_the_nearest_ids(tmp_path):
    _refused(
        tmp_path,
        FEMALE + AGE.replace("[t1.age]", "[t1.agee]"),
        "quantity 'q.age', field 'claims': 't1.agee' is not a claim of the registry; did you mean t1.age",
    )


def test_a_claim_in_two_quantities_is_refused(tmp_path):
    _refused(
        tmp_path,
        FEMALE + AGE.replace("[t1.age]", "[t1.age, txt.female]"),
        "quantity 'q.age', field 'claims': 'txt.female' is already in quantity 'q.female'",
    )


def test_a_claim_listed_twice_in_one_quantity_is_refused(tmp_path):
    _refused(tmp_path, FEMALE + AGE.replace("[t1.age]", "[t1.age, t1.age]"), "field 'claims': t1.age listed twice")


def test_a_registry_claim_in_no_quantity_is_refused(tmp_path):
    _refused(tmp_path, FEMALE, "field 'claims': the registry claim(s) t1.age are in no quantity; add each to the entry")


@pytest.mark.parametrize("key", ["label", "population", "unit"])
def test_an_empty_label_population_or_unit_is_refused(tmp_path, key):
    entries = re.sub(rf'(    {key}: )"[^"]*"', r'\1"  "', FEMALE) + AGE
    _refused(tmp_path, entries, f"quantity 'q.female', field '{key}': must be a non-empty text")


def test_a_registry_id_in_a_label_is_refused(tmp_path):
    _refused(
        tmp_path,
        FEMALE.replace("Female sex", "t1.female"),
        "quantity 'q.female', field 'label': 't1.female' names a registry id; say the quantity in words",
    )


def test_a_key_written_twice_is_refused(tmp_path):
    _refused(tmp_path, FEMALE + AGE + '    label: "Age again"\n', "key(s) label written twice in one mapping")


def test_a_file_of_another_schema_or_without_quantities_is_refused(tmp_path):
    path = _file(tmp_path, header="schema_version: 2\nquantities:\n")
    with pytest.raises(ClaimsError, match="schema_version 2 is not supported; this code reads version 1"):
        Q.load(path, REGISTRY_IDS)
    path = _file(tmp_path, entries="", header="schema_version: 1\nquantities: []\n")
    with pytest.raises(ClaimsError, match="`quantities:` must be a non-empty list"):
        Q.load(path, REGISTRY_IDS)
    path = _file(tmp_path, header="schema_version: 1\nlabels: {}\nquantities:\n")
    with pytest.raises(ClaimsError, match="must have exactly the top-level keys schema_version, quantities"):
        Q.load(path, REGISTRY_IDS)
    with pytest.raises(ClaimsError, match="cannot read the quantities file"):
        Q.load(tmp_path / "absent.yaml", REGISTRY_IDS)
