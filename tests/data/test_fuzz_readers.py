"""The fuzzing harness, short profile: every reader a user's file reaches, on mutations of valid files.

The harness (mutations, targets, the strict readings) is tests/fixtures/fuzz_files.py; the long profile
(≥ 5,000 cases) is benchmarks/bench_fuzz.py, its figures in benchmarks/README.md. Here each target gets
a fixed number of derandomised cases (:data:`CASES`: the same cases on every run and machine), and two
invariants hold on each: no exception but a refusal with a message (``DataFileError``,
``DataValidationError``), and a file that is accepted reads exactly as a strict reading of its bytes
(no silent change). A failure prints the mutated file's recipe; its minimal file then joins the
regression tests (tests/data/test_fuzz_regressions.py).
"""

import fuzz_files  # tests/fixtures/fuzz_files.py, registered by tests/conftest.py
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: Cases per target in `make test` (slower readers get fewer: a workbook opens twice, a draft scores every column).
CASES = {
    "validate_csv": 40,
    "validate_xlsx": 12,
    "import_csv": 20,
    "import_xlsx": 8,
    "import_sav": 15,
    "import_dta": 15,
    "draft_csv": 8,
    "draft_sav": 6,
    "mapping": 15,
    "provenance": 20,
    "cache": 12,
    "run_manifest": 25,
}


@pytest.fixture(scope="module")
def workspace():
    ws = fuzz_files.Workspace()
    yield ws
    ws.close()


@pytest.mark.parametrize("target", fuzz_files.TARGETS)
def test_every_mutated_file_is_read_exactly_or_refused_with_a_message(target, workspace):
    @settings(
        max_examples=CASES[target],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )
    @given(st.data())
    def case(data):
        drawn = data.draw(fuzz_files.cases(workspace, target))
        fuzz_files.run_case(workspace, target, drawn)

    case()


def test_the_strict_reading_is_rfc_4180():
    strict = fuzz_files.strict_csv
    assert strict(b'a,b\r\n"x,""y""",2\n\n') == [["a", "b"], ['x,"y"', "2"], ["", ""]]
    assert strict(b'a,b\n"x"y,2\n') is None  # text after a closing quote
    assert strict(b'a,b\n"x,2\n') is None  # a quote never closed
    assert strict(b"a,b\n1,2,3\n") is None  # longer than the header
    assert strict(b"a,b\n1\x002,3\n") is None  # a control character
    assert strict(b'a,b\n1"2, 3 \r') == [["a", "b"], ['1"2', "3"]]
    assert strict(b"\xef\xbb\xbfa;b\n1;2", ";") == [["a", "b"], ["1", "2"]]
