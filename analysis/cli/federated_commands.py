"""Commands of the pooled analysis without patient rows: ``summarize`` (at a centre) and ``pool`` (at the
coordinator, from the centres' summaries). See ``docs/federated.md``."""

from __future__ import annotations

import sys

from .common import EXIT_OK, shell_path


def _cmd_summarize(args) -> int:
    from ..data.cohort import load_cohort
    from ..study.federated.summary import write_summary

    cohort = load_cohort([shell_path(f) for f in args.data])  # invalid data: DataValidationError, nothing written
    out = shell_path(args.out)
    written = write_summary(cohort, out, min_cell=args.min_cell, grid_days=args.grid_days)
    from ..data.summary_files import read

    summary = read(out)  # what the coordinator will read: checked before anyone sends it
    d = summary.manifest["disclosure"]
    print(
        f"wrote {out}: {len(written)} files, aggregates of {summary.n_patients} patients of centre(s) "
        f"{', '.join(summary.centres)}; min_cell {d['min_cell']}, time grid {d['grid_days']} day(s): "
        f"{d['suppressed_blocks']} block(s), {d['suppressed_cells']} cell(s) suppressed (listed in disclosure.csv). "
        f"Read manifest.json and every table before sending the folder."
    )
    if cohort.synthetic:
        print("note: the data are SYNTHETIC; the summary says so (manifest.json: synthetic).", file=sys.stderr)
    return EXIT_OK


def _cmd_pool(args) -> int:
    from ..data.summary_files import read
    from ..study.federated import pooled

    together = pooled.pool([read(shell_path(f)) for f in args.summaries])
    table = pooled.survival_estimates(together)
    print(f"{together.label}: {together.n_patients} patients, centres {', '.join(together.centres)}")
    sys.stdout.write(table.to_csv(index=False, lineterminator="\n"))
    return EXIT_OK


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "summarize",
        help="write a centre's summary: aggregates only, for a pooled analysis without patient rows",
        description="Validate the centre's patient table(s) and write SUMMARY/: plain CSV tables of counts "
        "(events and censorings per time, patients per value and per response state, the paper's numerators "
        "and denominators) and manifest.json (versions, hashes, patients, disclosure). No patient identifier, "
        "date or row leaves in it. Blocks of cells with a count between 1 and --min-cell − 1 are suppressed "
        "whole and listed in disclosure.csv. Exit 0 if written, 1 if the data are invalid, 2 if a file "
        "cannot be read.",
    )
    p.add_argument("--data", nargs="+", required=True, help="the centre's patient table(s) (CSV, XLSX, …)")
    p.add_argument("--out", required=True, help="folder to write the summary into (replaced whole)")
    p.add_argument(
        "--min-cell",
        type=int,
        default=3,
        help="smallest non-zero count a block may show (default 3, DataSHIELD's nfilter.tab; 1 = no suppression)",
    )
    p.add_argument(
        "--grid-days",
        type=int,
        default=1,
        help="time grid of the survival counts, in days (default 1: the analysis time scale, exact)",
    )
    p.set_defaults(func=_cmd_summarize, when_invalid="no summary was written")
    p = sub.add_parser(
        "pool",
        help="the pooled survival estimates from centre summaries (KM medians, log-rank, stratified log-rank, Cox)",
        description="Read the centres' summaries, check them together (one summary per centre, one time grid) "
        "and print the pooled estimates as CSV: equal to the patient-level pooled analysis where nothing was "
        "suppressed; 'not estimable' with the centres where something was.",
    )
    p.add_argument("summaries", nargs="+", help="summary folders written by `python -m analysis summarize`")
    p.set_defaults(func=_cmd_pool)


__all__ = ["add_parsers"]
