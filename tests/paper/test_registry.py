"""The registry file: its top level, and the digest the synthetic cohort records (``calibration_sha256``).

The digest is the SHA-256 of the file without its ``audit:`` section (and that section's banner), with
``schema_version: 1``. Cases:
  a schema-1 file (no audit section)           -> its own SHA-256
  the same claims as schema 2 with an audit    -> the same digest; an edited audit section: the same again
  one claim changed                            -> another digest
  an audit section that is not one block       -> refused (the cut would change the claims)
"""

import hashlib

import pytest

from analysis import paths
from analysis.exceptions import ClaimsError
from analysis.paper.registry import calibration_sha256, document

V1 = """# The paper as data.
schema_version: 1
paper: {citation: x, doi: 10.1/x}
claims:
- id: txt.female
  quote: "with 50% female (n = 22)"
  n: 22
"""
AUDIT = """
# ==========
# The audit.
# ==========
audit:
  # indented comments belong to the section
  cohort: txt.female
"""


def _write(tmp_path, text: str, name="claims.yaml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_the_digest_of_a_schema_1_file_is_its_own_sha256(tmp_path):
    assert calibration_sha256(_write(tmp_path, V1)) == hashlib.sha256(V1.encode()).hexdigest()


def test_the_audit_section_is_left_out_of_the_digest_and_a_claim_is_not(tmp_path):
    v1 = hashlib.sha256(V1.encode()).hexdigest()
    v2 = V1.replace("schema_version: 1", "schema_version: 2") + AUDIT
    assert calibration_sha256(_write(tmp_path, v2)) == v1
    assert calibration_sha256(_write(tmp_path, v2.replace("cohort: txt.female", "cohort: t1.n_patients"))) == v1
    assert calibration_sha256(_write(tmp_path, v2.replace("n: 22", "n: 23"))) != v1
    v2_head = V1.replace("schema_version: 1", "schema_version: 2")
    between = v2_head.replace("claims:\n", AUDIT.lstrip("\n") + "claims:\n")
    assert between.index("paper:") < between.index("audit:") < between.index("claims:")
    assert calibration_sha256(_write(tmp_path, between)) == v1  # anywhere, as one top-level block


@pytest.mark.parametrize(
    "audit",
    [
        "audit: {cohort: txt.female,\nsums: []}\n",  # a flow mapping continued at column 0
        'audit: "one\nclaims: two"\n',  # a quoted scalar continued at column 0
    ],
)
def test_an_audit_section_that_is_not_one_top_level_block_is_refused(tmp_path, audit):
    text = V1.replace("schema_version: 1", "schema_version: 2") + audit
    with pytest.raises(ClaimsError, match="without its `audit:` section the file does not give the same paper"):
        calibration_sha256(_write(tmp_path, text))


def test_the_committed_registry_is_schema_2_and_its_digest_is_not_the_files(tmp_path):
    path = paths.PUBLISHED / "claims.yaml"
    doc = document(path)
    assert doc["schema_version"] == 2 and list(doc) == ["schema_version", "paper", "claims", "audit"]
    assert calibration_sha256(path) != hashlib.sha256(path.read_bytes()).hexdigest()
    text = path.read_text(encoding="utf-8")
    # the claims end with the last external figure; a blank line and the audit's banner follow
    cut = text[: text.index("\n# ====", text.index("- id: ext.ifm_2024_09_pfs_no_emd"))].replace(
        "schema_version: 2", "schema_version: 1", 1
    )
    assert cut.endswith('notes: "Discussion. External figure."\n')
    assert calibration_sha256(path) == hashlib.sha256(cut.encode()).hexdigest()


def test_an_unreadable_registry_is_a_claims_error(tmp_path):
    with pytest.raises(ClaimsError, match="cannot read the claims registry"):
        calibration_sha256(tmp_path / "missing.yaml")
