"""Derived columns: each rule's arithmetic on hand-computed cases; empty sources counted; bad sources named."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.data.derive import DAYS_PER_MONTH
from analysis.data.intake.derivations import (
    age_in_years,
    at_least,
    days_between,
    derive_column,
    months_text,
    read_date,
    times,
)
from analysis.data.intake.map_report import MapReport
from analysis.data.intake.mapping import _TextLoader, parse_mapping

D = dt.date


@pytest.mark.parametrize(
    "birth, at, age",
    [
        (D(1950, 6, 15), D(2020, 6, 15), 70),  # the birthday itself: a year older
        (D(1950, 6, 15), D(2020, 6, 14), 69),  # the day before
        (D(1950, 6, 15), D(2020, 12, 31), 70),
        (D(1952, 2, 29), D(2021, 2, 28), 68),  # 29 February, non-leap year: not yet on the 28th
        (D(1952, 2, 29), D(2021, 3, 1), 69),  # … a year older on 1 March
        (D(1952, 2, 29), D(2020, 2, 29), 68),  # a leap year: on the day
        (D(1952, 2, 29), D(2020, 2, 28), 67),
        (D(1999, 12, 31), D(2000, 1, 1), 0),
    ],
)
def test_age_in_years_counts_completed_years(birth, at, age):
    assert age_in_years(birth, at) == age


def test_days_and_months_between():
    assert days_between(D(2022, 1, 1), D(2023, 1, 1)) == 365 and days_between(D(2022, 3, 1), D(2022, 2, 1)) == -28
    # 365 / 30.4375 = 11.99178644763860…: the shortest text that reads back as the analysis's own float
    assert months_text(365) == "11.991786447638603" and float(months_text(365)) == 365 / DAYS_PER_MONTH
    assert months_text(487) == "16" and months_text(0) == "0" and months_text(-487) == "-16"  # 487 days = 16 months


def test_times_and_at_least_use_exact_decimals():
    assert times("2.24", Decimal("10")) == "22.4" and times("-0", Decimal(3)) == "0" and times("x", Decimal(1)) is None
    assert times("0.1", Decimal("3")) == "0.3"  # 0.30000000000000004 in floating point
    assert [at_least(t, Decimal(3)) for t in ("3", "4", "2.99", "2", "x")] == ["1", "1", "0", "0", None]


def test_read_date_accepts_iso_always_and_the_declared_format():
    assert read_date("2023-01-31", "%d/%m/%Y") == D(2023, 1, 31) and read_date("31/01/2023", "%d/%m/%Y") == D(
        2023, 1, 31
    )
    assert read_date("31/01/2023", None) is None and read_date("2023-02-30", None) is None
    assert read_date("30/02/2023", "%d/%m/%Y") is None


def _mapping(text):
    return parse_mapping(yaml.load(text, Loader=_TextLoader), Path("map.yaml"), "0" * 64)


def _derive(mapping_text, table, converted=None, missing_of=lambda raw, text: None):
    m = _mapping(mapping_text)
    (d,) = m.derive.values()
    report = MapReport()
    values, problems = derive_column(d, table, m, converted or {}, list(range(2, len(table) + 2)), report, missing_of)
    return values, problems, report.derived[d.target], report


def test_age_from_a_birth_date_at_a_dictionary_date_with_empty_sources_counted():
    table = pd.DataFrame({"Date de naissance": ["15/06/1950", "", "29/02/1952", "NR"]})
    converted = {"bsab_start_date": ["2020-06-14", "2021-01-01", "2021-03-01", "2021-01-01"]}
    values, problems, entry, _ = _derive(
        "read: {date_format: '%d/%m/%Y'}\n"
        "derive: {age_years: {rule: age_in_years, from: Date de naissance, at: bsab_start_date}}",
        table,
        converted,
        missing_of=lambda raw, text: "'NR' declared missing" if text == "NR" else None,
    )
    assert values == ["69", "", "69", ""] and problems == []
    assert entry == {
        "rule": "age_in_years",
        "from": ["Date de naissance"],
        "at": "bsab_start_date",
        "cells": 2,
        "empty": {"'Date de naissance' empty": 1, "'Date de naissance' 'NR' declared missing": 1},
    }


def test_a_bad_date_is_a_problem_naming_its_rows_raw_column_and_value():
    table = pd.DataFrame({"DDN": ["1950-06-15", "31/02/1950", "31/02/1950", "1950-13-01"], "J1": ["2020-06-15"] * 4})
    values, problems, entry, report = _derive(
        "read: {date_format: '%d/%m/%Y'}\nderive: {age_years: {rule: age_in_years, from: DDN, at: J1}}", table
    )
    assert values == ["70", "", "", ""] and entry["cells"] == 1
    assert [p.to_text() for p in problems] == [
        "lines 3, 4, column 'DDN' = '31/02/1950': is not a real date or does not match date_format '%d/%m/%Y' (nor "
        "YYYY-MM-DD), so `derive: age_years` (age_in_years) cannot read it; declare the format of this column's dates "
        "(`read: date_format:` in map.yaml, or `date_format:` of its `columns:` entry), add the value to `read: "
        "missing:` if it means missing, or correct it in the source",
        "line 5, column 'DDN' = '1950-13-01': is not a real date or does not match date_format '%d/%m/%Y' (nor "
        "YYYY-MM-DD), so `derive: age_years` (age_in_years) cannot read it; declare the format of this column's dates "
        "(`read: date_format:` in map.yaml, or `date_format:` of its `columns:` entry), add the value to `read: "
        "missing:` if it means missing, or correct it in the source",
    ]
    assert report.skip == {(1, "age_years"), (2, "age_years"), (3, "age_years")}


def test_a_source_date_uses_its_own_columns_date_format():
    table = pd.DataFrame({"Diag": ["01.01.2022"], "J1": ["01/01/2023"]})
    values, problems, _, _ = _derive(
        "read: {date_format: '%d/%m/%Y'}\ncolumns: {Diag: {to: chemo_start_date, date_format: '%d.%m.%Y'}}\n"
        "derive: {bm_plasma_cell_pct: {rule: months_between, from: [Diag, J1]}}",
        table,
    )
    assert values == ["11.991786447638603"] and problems == []


def test_an_integer_column_refuses_a_fractional_result():
    table = pd.DataFrame({"A": ["2022-01-01", "2022-01-01"], "B": ["2023-01-01", "2023-05-03"]})
    values, problems, _, _ = _derive("derive: {prior_lines: {rule: months_between, from: A, at: B}}", table)
    assert values == ["", "16"]
    (p,) = problems
    assert p.to_text() == (
        "line 2, column 'A' = '2022-01-01': months_between gives 11.991786447638603 here, but prior_lines is an "
        "integer column (whole numbers only; nothing is rounded): correct the source, or derive a number column"
    )


def test_at_least_and_times_read_decimal_commas_and_refuse_text():
    table = pd.DataFrame({"Grade": ["3", "2", "", "4,0", "grave"]})
    values, problems, entry, _ = _derive(
        "read: {decimal: ','}\nderive: {cytopenia_grade3plus: {rule: at_least, from: Grade, value: 3}}", table
    )
    assert values == ["1", "0", "", "1", ""] and entry["value"] == "3" and entry["empty"] == {"'Grade' empty": 1}
    (p,) = problems
    assert p.to_text() == (
        "line 6, column 'Grade' = 'grave': not a number, so `derive: cytopenia_grade3plus` (at_least) cannot use it; "
        "if it means missing, add it to `read: missing:` in map.yaml, else correct it in the source"
    )
    table = pd.DataFrame({"Pic": ["2,24", "0,5"]})
    values, _, entry, _ = _derive(
        "read: {decimal: ','}\nderive: {m_protein_g_l: {rule: times, from: Pic, factor: '10'}}", table
    )
    assert values == ["22.4", "5"] and entry["factor"] == "10"
