"""The run's data cache (analysis.data.cache): exact round trip, keyed by content, used only when it matches."""
import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.data import cache
from analysis.exceptions import DataValidationError


def test_cached_tables_equal_the_freshly_derived_ones_dtypes_included(tmp_path, monkeypatch):
    stored = cache.store(paths.DEFAULT_SYNTHETIC, tmp_path)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    cohort, tables = cache.tables(paths.DEFAULT_SYNTHETIC)
    fresh = cache.derived(stored)
    for name in cache.TABLES:
        pd.testing.assert_frame_equal(tables[name], fresh[name], check_exact=True)
        assert list(tables[name].dtypes) == list(fresh[name].dtypes), name
    assert cohort.source == stored.source and cohort.synthetic


def test_a_cache_of_another_file_is_not_used(tmp_path, monkeypatch):
    cache.store(paths.DEFAULT_SYNTHETIC, tmp_path / "c")
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "c"))
    cohort, tables = cache.tables(paths.FIXTURE)
    assert cohort.n == 8 and len(tables["adsl"]) == 8


def test_the_key_follows_the_content_not_the_name(tmp_path):
    copy = tmp_path / "copy.csv"
    shutil.copy(paths.FIXTURE, copy)
    assert cache.key(copy) != cache.key(paths.FIXTURE)          # the provenance note is not beside the copy
    shutil.copy(paths.FIXTURE.with_name(paths.FIXTURE.name + ".provenance.yaml"),
                tmp_path / "copy.csv.provenance.yaml")
    assert cache.key(copy) == cache.key(paths.FIXTURE)
    copy.write_text(copy.read_text() + "\n")
    assert cache.key(copy) != cache.key(paths.FIXTURE)


def test_invalid_data_raise_before_anything_is_written(tmp_path):
    with pytest.raises(DataValidationError):
        cache.store(paths.TESTS / "fixtures" / "malformed" / "chemo_before_bsab.csv", tmp_path / "c")
    assert not (tmp_path / "c").exists()
