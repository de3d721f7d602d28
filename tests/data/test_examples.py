"""The worked import examples: what make_examples.py writes, SYNTHETIC, and importable as shipped."""

import pytest

from analysis import paths
from analysis.data.cohort import load_cohort
from analysis.data.io import read_provenance

EXAMPLES = paths.DATA / "examples"
PAIRS = [
    ("cohort_fr_excel.csv", "cohort_fr_excel.yaml"),
    ("centre_export_fr.csv", "centre_export_fr.yaml"),
    ("centre_export.sav", "centre_export_sav.yaml"),
]


def test_committed_examples_are_what_make_examples_writes(tmp_path, examples):
    written = examples.files(tmp_path)
    committed = {p.name for p in EXAMPLES.iterdir() if p.suffix not in (".py", ".md") and p.name != "__pycache__"}
    assert set(written) == committed
    for name, data in written.items():
        assert (EXAMPLES / name).read_bytes() == data, f"{name}: run data/examples/make_examples.py"


@pytest.mark.parametrize("raw, mapping", PAIRS)
def test_each_example_is_labelled_synthetic_and_imports_and_validates(tmp_path, raw, mapping, cli):
    assert read_provenance(EXAMPLES / raw)["synthetic"] is True
    out = tmp_path / "out.csv"
    res = cli("import", EXAMPLES / raw, "--mapping", EXAMPLES / mapping, "--out", out)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "44 patient rows, 0 problem(s). Valid." in res.stdout
    assert load_cohort(out).synthetic


def test_the_imported_examples_pool_with_the_synthetic_cohort(tmp_path):
    from analysis.data.intake.importer import map_file, write_result
    from analysis.data.intake.mapping import load_mapping

    for raw, mapping in PAIRS[1:]:
        write_result(map_file(EXAMPLES / raw, load_mapping(EXAMPLES / mapping)), tmp_path / f"{raw}.csv")
    pooled = load_cohort([paths.DEFAULT_SYNTHETIC, tmp_path])
    assert pooled.n == 132 and pooled.synthetic and pooled.patients["center_id"].nunique() == 16
