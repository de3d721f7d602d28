"""Commands that execute and publish: ``run`` (the notebooks) and ``report`` (the static site)."""

from __future__ import annotations

import argparse
import sys

import yaml

from ..exceptions import UsageError
from .common import EXIT_INVALID, EXIT_OK, shell_path


def _parse_param(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"parameter {text!r} must be written name=value")
    return name, yaml.safe_load(value)


def _cmd_run(args) -> int:
    from ..pipeline.orchestrate import run

    results = run(
        only=args.only,
        data=args.data,
        output_dir=args.output_dir,
        parameters=dict(args.param or []),
        jobs=args.jobs,
        force=args.force,
        figure_formats=args.figure_formats,
    )
    failed = [r for r in results if not r.ok]
    for r in failed:
        log = f" (kernel log: {r.log})" if r.log else ""
        print(
            f"error: notebook {r.name} failed at {r.error}; its previous outputs were left in place{log}.",
            file=sys.stderr,
        )
    return EXIT_INVALID if failed else EXIT_OK


def _cmd_report(args) -> int:
    from ..pipeline import report

    try:
        index = report.build(shell_path(args.source) if args.source else None, out=args.out)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from exc
    print(f"wrote {index}")
    return EXIT_OK


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "run",
        help="execute the notebooks with Papermill",
        description="Execute the numbered notebooks. Without --data: the default cohort, outputs "
        "in figures/, results/, notebooks/executed/. With --data: outputs under "
        "--output-dir (default data/private/runs/<file stem>/). Exit 1 if any notebook "
        "failed.",
    )
    p.add_argument(
        "--data",
        metavar="PATH",
        action="append",
        help="patient table to analyse (CSV or XLSX), or a folder of them; repeat to pool several centres",
    )
    p.add_argument("--output-dir", metavar="DIR", help="where figures/, results/ and notebooks/ are written")
    p.add_argument("--only", nargs="+", metavar="NAME", help="notebooks to run, e.g. 01_cohort or 01")
    p.add_argument(
        "-p",
        "--param",
        action="append",
        type=_parse_param,
        metavar="NAME=VALUE",
        help="extra notebook parameter (YAML value), repeatable",
    )
    p.add_argument("--jobs", type=int, default=2, help="notebooks run in parallel (default 2)")
    p.add_argument("--force", action="store_true", help="rerun notebooks whose inputs and outputs are unchanged")
    p.add_argument(
        "--figure-formats",
        metavar="LIST",
        help="draft run: write only these figure formats, e.g. png (default: png,svg,pdf)",
    )
    p.set_defaults(func=_cmd_run, when_invalid="no notebook was run and no output was changed")

    p = sub.add_parser(
        "report",
        help="render the executed notebooks and every output as a static HTML site",
        description="Write report/index.html (every figure and table, each linked to the notebook "
        "cell that made it, and the published-vs-reproduced summary) and one HTML page "
        "per executed notebook. Without --from: the default run, into report/.",
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="DIR",
        help="output root of a run (python -m analysis run --output-dir DIR); default the project root",
    )
    p.add_argument("--out", metavar="DIR", help="folder to write (default report/, or DIR/report with --from)")
    p.set_defaults(func=_cmd_report)


__all__ = ["add_parsers"]
