"""How good the draft mapping is on the worked spreadsheets (issue 23): decisions right, open, wrong.

    .venv/bin/python benchmarks/bench_draft.py            # one line per example
    .venv/bin/python benchmarks/bench_draft.py --notes    # and every decision not right

For each SYNTHETIC export of ``data/examples/`` made by ``spreadsheet_exports.py`` (a French centre's
.xlsx and .sav, an English-speaking centre's .csv and .dta, 37 patients each), the draft
(``python -m analysis import FILE --draft-mapping``) is scored against what the generator knows
about every raw column and value (:func:`analysis.data.intake.draft_accuracy.score`): targets
(dictionary column, drop or derive) and recodes, each right / open (TODO, or refused by the
import) / wrong. The centre's pseudonymous code is a person's choice and not scored. Also the time
of one draft. The figures go to benchmarks/README.md; the test (``tests/data/intake/test_draft_mapping.py``)
holds the bounds (no wrong decision, at most 5 open).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.data.intake.draft_accuracy import score  # noqa: E402
from analysis.data.intake.draft_mapping import draft  # noqa: E402

EXAMPLES = ROOT / "data" / "examples"


def _make_examples():
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", action="store_true", help="print every decision that is not right")
    args = parser.parse_args(argv)
    examples = _make_examples()
    se, cohort = examples.spreadsheet_exports, examples.cohort()
    print("| example | targets right / open / wrong | recodes right / open / wrong | draft, s |")
    print("|---|---|---|---:|")
    for name, (fields, _) in se.EXPORTS.items():
        path = EXAMPLES / name
        start = time.perf_counter()
        text = draft(path)
        seconds = time.perf_counter() - start
        acc = score(text, se.truth(path, fields(), se.rows(cohort)))
        t, r = acc.targets, acc.recodes
        print(
            f"| `{name}` | {t['right']} / {t['open']} / {t['wrong']} | {r['right']} / {r['open']} / {r['wrong']} "
            f"| {seconds:.2f} |"
        )
        if args.notes:
            for note in acc.notes:
                print(f"|   {note} | | | |")


if __name__ == "__main__":
    main()
