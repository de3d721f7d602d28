"""A convention is the file's only when systematic; one stray cell is not one."""

import pandas as pd

from analysis.data import cell_conventions as cc


def test_decimal_commas_in_most_number_cells_are_the_files_convention():
    table = pd.DataFrame({"m_protein_g_l": ["12,5", "70,1", "80"], "age_years": ["61", "", "70"]})
    found = cc.systematic(table)
    assert list(found) == ["decimal_comma"]
    assert found["decimal_comma"] == [("12,5", "m_protein_g_l"), ("70,1", "m_protein_g_l")]
    assert cc.example(found["decimal_comma"]) == "'12,5' in m_protein_g_l"


def test_one_stray_decimal_comma_among_points_is_a_cell_problem_not_a_convention():
    table = pd.DataFrame({"m_protein_g_l": ["12,5", "70.1", "80.2", "64.0"]})
    assert cc.systematic(table) == {}


def test_day_first_dates_are_told_from_month_first_by_a_day_above_12():
    day_first = cc.systematic(pd.DataFrame({"chemo_start_date": ["25/01/2020", "03/02/2021"]}))
    cells, order, fmt = day_first["date_format"]
    assert (order, fmt, len(cells)) == ("DD/MM/YYYY", "%d/%m/%Y", 2)
    month_first = cc.systematic(pd.DataFrame({"chemo_start_date": ["01-25-2020", "02-03-2021"]}))
    assert month_first["date_format"][1:] == ("MM-DD-YYYY", "%m-%d-%Y")
    undecided = cc.systematic(pd.DataFrame({"chemo_start_date": ["01/02/2020", "03/04/2021"]}))
    assert undecided["date_format"][1].startswith("DD/MM/YYYY or MM/DD/YYYY")


def test_flag_words_are_grouped_by_family_and_columns_outside_the_dictionary_are_ignored():
    table = pd.DataFrame({"extramedullary": ["Oui", "Non", "oui"], "not_a_column": ["12,5", "1,5", "3,5"]})
    found = cc.systematic(table)
    assert list(found) == ["flag_words"]
    assert [v for v, _ in found["flag_words"]["Oui/Non"]] == ["Oui", "Non", "oui"]


def test_the_header_delimiter_is_the_most_used_and_the_expected_one_on_a_tie():
    assert cc.header_delimiter("patient_id;center_id;age") == ";"
    assert cc.header_delimiter("a\tb\tc,d") == "\t"
    assert cc.header_delimiter("patient_id") == ","
    assert cc.header_delimiter("a;b|c", expected="|") == "|"
