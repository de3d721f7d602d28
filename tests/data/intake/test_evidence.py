"""What values allow: flags only for yes/no and boxes, dates only for dates, numbers in range and unit.

Cases: Oui/Non never a category or a date; a date column with few values is still dates; day- or
month-first from the values, ISO among typed dates; a g/dL peak fits g/L through its conversion, a
unit with none fits nothing; labelled codes are not quantities; an empty column; unique pseudonyms.
"""

from analysis.data.dictionary import BY_NAME
from analysis.data.intake.evidence import date_format, evidence, fits


def _fits(name, cells, labels=None, unit=None, box_file=False):
    return fits(BY_NAME[name], evidence(cells, labels, unit), box_file=box_file)


def test_yes_no_and_boxes_fit_flags_only():
    assert _fits("hypercalcemia", ["Oui", "Non", "Oui"])
    assert _fits("emd_orl", ["X", "", ""])
    assert not _fits("sex", ["Oui", "Non"]) and not _fits("death_date", ["Oui", "Non"])
    assert _fits("del17p", ["1", "2", ""], {"1": "Oui", "2": "Non", "9": "Non fait"})
    assert not _fits("prior_lines", ["1", "2"], {"1": "Oui", "2": "Non"})  # labelled codes are not a count


def test_dates_fit_date_columns_only_even_with_few_values():
    assert _fits("death_date", ["05/06/2022", "", "", "14/12/2022"])
    assert not _fits("chemo_cycles", ["05/06/2022"]) and not _fits("sex", ["2022-06-05"])


def test_date_format_is_read_from_the_values():
    assert date_format(["2022-06-05"]) == "%Y-%m-%d"
    assert date_format(["05/06/2022", "14/12/2022"]) == "%d/%m/%Y"
    assert date_format(["06/05/2022", "12/14/2022"]) == "%m/%d/%Y"
    assert date_format(["05.06.2022", "01.02.2023"]) == "%d.%m.%Y"  # no day above 12: day-first
    assert date_format(["2022-06-05", "14/12/2022"]) == "%d/%m/%Y"  # ISO cells among typed ones
    assert date_format(["05/06/2022", "5 juin"]) is None and date_format(["31/02/2022"]) is None


def test_numbers_fit_in_the_dictionary_range_after_the_stated_unit():
    assert _fits("m_protein_g_l", ["2.24", "0,3"], unit="g/dL")  # 22.4 and 3 g/L
    assert not _fits("m_protein_g_l", ["20", "40"], unit="g/dL")  # 400 g/L is out of range
    assert not _fits("m_protein_g_l", ["2"], unit="kg")  # no conversion from kg
    assert not _fits("bm_plasma_cell_pct", ["150"])
    assert not _fits("prior_lines", ["2.5"]) and _fits("prior_lines", ["2", "3"])
    assert _fits("icans_grade", ["0", "1"]) and _fits("hypercalcemia", ["0", "1"])


def test_categories_need_their_vocabulary_or_codes():
    assert _fits("response_c1", ["RC", "TBRP", "NE"]) and _fits("response_c1", ["CR", "VGPR"])
    assert not _fits("response_c1", ["Oui", "Non"])
    assert _fits("chemo_response", ["2", "3"], {"2": "RC", "3": "TBRP"})


def test_an_empty_column_fits_a_nullable_column_or_a_flag_among_boxes():
    assert _fits("death_date", ["", ""]) and not _fits("emd_orl", ["", ""])
    assert _fits("emd_orl", ["", ""], box_file=True)


def test_patient_ids_are_unique_pseudonyms():
    assert _fits("patient_id", ["VAL-001", "VAL-002"])
    assert not _fits("patient_id", ["VAL-001", "VAL-001"]) and not _fits("patient_id", ["DUPONT Jean", "X Y"])
