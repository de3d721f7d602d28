"""The run's data cache (analysis.data.cache): exact round trip, keyed by content, used only for its own files."""

import json
import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.data import cache, derive, inputs
from analysis.exceptions import DataValidationError

DEFAULT = inputs.resolve("")
FIXTURE = inputs.resolve(paths.FIXTURE)


def test_cached_tables_equal_the_freshly_derived_ones_dtypes_included(tmp_path):
    stored = cache.store(DEFAULT, tmp_path)
    cohort, tables = cache.tables(DEFAULT, tmp_path)
    fresh = derive.analysis_tables(stored.patients)
    for name in cache.TABLES:
        pd.testing.assert_frame_equal(tables[name], fresh[name], check_exact=True)
        assert list(tables[name].dtypes) == list(fresh[name].dtypes), name
    assert cohort.source == stored.source and cohort.synthetic and cohort.label == stored.label


def test_a_cache_of_another_file_is_not_used(tmp_path):
    cache.store(DEFAULT, tmp_path / "c")
    cohort, tables = cache.tables(FIXTURE, tmp_path / "c")
    assert cohort.n == 8 and len(tables["adsl"]) == 8


def test_a_cache_written_by_other_code_or_tampered_is_not_used(tmp_path):
    cache.store(FIXTURE, tmp_path / "c")
    meta = json.loads((tmp_path / "c" / "source.json").read_text())
    meta["digest"] = "0" * 64  # the key no longer matches what it records
    (tmp_path / "c" / "source.json").write_text(json.dumps(meta))
    (tmp_path / "c" / "adsl.parquet").unlink()  # it would fail if it were read
    cohort, tables = cache.tables(FIXTURE, tmp_path / "c")
    assert cohort.n == 8 and len(tables["adsl"]) == 8


def test_the_key_follows_the_content_not_the_name(tmp_path):
    copy = tmp_path / "copy.csv"
    shutil.copy(paths.FIXTURE, copy)
    key = cache.key(inputs.digest(FIXTURE))

    def key_of(path):
        return cache.key(inputs.digest([path]))

    assert key_of(copy) != key  # the provenance note is not beside the copy
    shutil.copy(paths.FIXTURE.with_name(paths.FIXTURE.name + ".provenance.yaml"), tmp_path / "copy.csv.provenance.yaml")
    assert key_of(copy) == key
    copy.write_text(copy.read_text() + "\n")
    assert key_of(copy) != key


def test_invalid_data_raise_before_anything_is_written(tmp_path):
    with pytest.raises(DataValidationError):
        cache.store(inputs.resolve(paths.TESTS / "fixtures" / "malformed" / "chemo_before_bsab.csv"), tmp_path / "c")
    assert not (tmp_path / "c").exists()
