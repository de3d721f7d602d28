"""The calibrated ensemble (analysis.paper.synthetic.ensemble): seeded per member, same bytes in order or on 1 or
2 Dask workers, checked against its manifest, and the committed one current."""

import hashlib
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.paper.synthetic import ensemble
from analysis.pipeline import parallel


def _bytes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_one_and_two_workers_write_identical_ensembles(tmp_path):
    one = ensemble.generate(
        2, first_seed=11, iterations=200, out=tmp_path / "one", farm=partial(parallel.farm, workers=1), batch=1
    )
    two = ensemble.generate(
        2, first_seed=11, iterations=200, out=tmp_path / "two", farm=partial(parallel.farm, workers=2), batch=2
    )
    in_order = ensemble.generate(2, first_seed=11, iterations=200, out=tmp_path / "in_order")
    assert _bytes(one.parent) == _bytes(two.parent) == _bytes(in_order.parent)
    # which seeds meet every count at 200 iterations is the calibration's business, not this test's
    names = sorted(_bytes(one.parent))
    members = [n for n in names if n.startswith("member_") and n.endswith(".csv")]
    assert len(members) == 2 and all(int(n[7:-4]) >= 11 for n in members)
    assert names == sorted(["ensemble.yaml", "fit_reports.csv", *members, *(m + ".provenance.yaml" for m in members)])


def test_members_are_checked_against_the_manifest(tmp_path):
    import shutil

    folder = tmp_path / "ens"
    shutil.copytree(paths.ENSEMBLE, folder)
    assert [p.name for p in ensemble.members(folder, 2)] == ["member_2025.csv", "member_2026.csv"]
    (folder / "member_2026.csv").write_text("edited\n")
    with pytest.raises(ValueError, match="member_2026.csv: missing or not the file"):
        ensemble.members(folder)
    with pytest.raises(ValueError, match="no calibrated ensemble here"):
        ensemble.members(tmp_path)


def test_the_committed_ensemble_is_synthetic_and_every_member_validates():
    from analysis.data.cohort import load_cohort

    manifest = ensemble.manifest()
    assert manifest["synthetic"] and len(manifest["members"]) >= 40
    for path in ensemble.members(limit=5):
        cohort = load_cohort(path)
        assert cohort.synthetic and cohort.n == 44
    assert all(not m["unmet_count_targets"] for m in manifest["members"])


def test_load_validates_the_members_together_and_keeps_each_one_exactly():
    import pandas as pd

    from analysis.data.cohort import load_cohort

    stacked = ensemble.load(limit=3)
    files = ensemble.members(limit=3)
    assert list(dict.fromkeys(stacked[ensemble.MEMBER])) == [2025, 2026, 2027] and len(stacked) == 3 * 44
    for path in files:
        seed = int(path.stem.split("_")[1])
        part = stacked[stacked[ensemble.MEMBER] == seed].drop(columns=ensemble.MEMBER).reset_index(drop=True)
        alone = load_cohort(path).patients.drop(columns="source_file")
        pd.testing.assert_frame_equal(
            part.assign(patient_id=part["patient_id"].str.removeprefix(f"S{seed}-")), alone, check_exact=True
        )
    assert ensemble.load(limit=0).empty


@pytest.mark.parametrize(
    "text",
    [b"members: [\n", b"\xff\xfe\x00garbage", b"just a string\n", b"members:\n  - {seed: one, file: a.csv}\n", b""],
)
def test_a_damaged_manifest_is_refused_naming_the_file_and_the_fix(tmp_path, text):
    import shutil

    from analysis.exceptions import DataFileError

    folder = tmp_path / "ens"
    shutil.copytree(paths.ENSEMBLE, folder)
    (folder / ensemble.MANIFEST).write_bytes(text)
    with pytest.raises(DataFileError, match=r"ensemble.yaml: not (readable|an ensemble manifest).*regenerate"):
        ensemble.members(folder)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
def test_byte_flips_of_the_manifest_give_a_manifest_or_a_clear_error(tmp_path_factory, data):
    import shutil

    from analysis.exceptions import DataFileError

    folder = tmp_path_factory.mktemp("ens")
    shutil.rmtree(folder)
    shutil.copytree(paths.ENSEMBLE, folder, ignore=shutil.ignore_patterns("member_*"))
    raw = bytearray((paths.ENSEMBLE / ensemble.MANIFEST).read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    (folder / ensemble.MANIFEST).write_bytes(bytes(raw))
    try:
        ensemble.manifest(folder)
    except DataFileError as exc:
        assert "regenerate the ensemble" in str(exc)
