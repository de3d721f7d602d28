"""The data dictionary is complete, coherent, and data/README.md is generated from it."""

from analysis.data.dictionary import COLUMNS, KINDS, NAMES, RESPONSE_ORDER

# The column list fixed by issue #2 (its order is the dictionary's order).
ISSUE_COLUMNS = """patient_id center_id sex age_years prior_lines triple_class_refractory iss_stage
bm_plasma_cell_pct m_protein_g_l involved_flc_mg_l paramedullary extramedullary emd_site_count emd_cerebral
emd_lung emd_liver emd_kidney emd_digestive emd_cutaneous emd_muscle emd_orl acute_kidney_injury hypercalcemia
del17p t_4_14 t_14_16 gain_1q21 amp_1q21 del_1p32 chemo_start_date chemo_cycles chemo_cyclophosphamide
chemo_bendamustine chemo_lomustine chemo_anthracycline chemo_etoposide chemo_vincristine chemo_cisplatin
chemo_other chemo_response bsab_agent bsab_start_date response_c1 response_c3 response_c6 response_c12
best_response pet_c1 pet_c3 pet_c6 crs_grade icans_grade tocilizumab corticosteroids anakinra
infection_max_grade infection_documented cytopenia_grade3plus ig_supplementation pjp_prophylaxis
antibacterial_prophylaxis antiviral_prophylaxis progression_date death_date death_cause
last_followup_date""".split()


def test_dictionary_has_exactly_the_issue_columns_in_order():
    assert list(NAMES) == ISSUE_COLUMNS


def test_every_column_is_fully_described():
    for c in COLUMNS:
        assert c.kind in KINDS, c.name
        assert c.description.endswith("."), c.name
        if c.nullable:
            assert c.empty_means, f"{c.name}: say what an empty cell means"
        if c.kind == "category":
            assert c.codes, c.name
        if c.kind in ("integer", "number"):
            assert c.minimum is not None and c.maximum is not None, c.name


def test_response_columns_use_the_imwg_codes_in_order():
    for name in ("chemo_response", "response_c1", "response_c3", "response_c6", "response_c12", "best_response"):
        col = next(c for c in COLUMNS if c.name == name)
        assert tuple(col.codes) == RESPONSE_ORDER
