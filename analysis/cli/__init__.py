"""Command line: ``python -m analysis <command>``.

One module per family of commands, each adding its sub-commands to the parser
(:mod:`~analysis.cli.data_commands`: validate, template, dictionary, import;
:mod:`~analysis.cli.run_commands`: run, report; :mod:`~analysis.cli.paper_commands`: audit,
synthesize, fit-report; :mod:`~analysis.cli.federated_commands`: summarize, pool). A command returns its exit code, or raises; :func:`main` turns what it
raises into a message and an exit code, here and only here (:data:`EXIT_CODES`).

Exit codes that scripts can trust:

* ``0`` — success (the file is valid; every notebook ran);
* ``1`` — the data break the dictionary, a notebook failed, or the claims registry is malformed;
* ``2`` — usage error, or a file that cannot be read at all.
"""

from __future__ import annotations

import argparse
import sys

from ..exceptions import ClaimsError, DataFileError, DataValidationError, UsageError
from .common import EXIT_INVALID, EXIT_OK, EXIT_USAGE

#: What a command may raise, and the exit code it becomes (the first class that matches).
EXIT_CODES = (
    (DataValidationError, EXIT_INVALID),
    (ClaimsError, EXIT_INVALID),
    (DataFileError, EXIT_USAGE),
    (UsageError, EXIT_USAGE),
)


def build_parser() -> argparse.ArgumentParser:
    from . import data_commands, federated_commands, paper_commands, run_commands

    parser = argparse.ArgumentParser(
        prog="python -m analysis", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for family in (data_commands, run_commands, paper_commands, federated_commands):
        family.add_parsers(sub)
    return parser


def _fail(exc: Exception, args) -> int:
    code = next(code for kind, code in EXIT_CODES if isinstance(exc, kind))
    if isinstance(exc, DataValidationError):
        print(exc.report.to_text(), file=sys.stderr)
        print(
            f"error: the patient table is not valid; {getattr(args, 'when_invalid', 'nothing was written')}.",
            file=sys.stderr,
        )
    else:
        print(f"error: {exc}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except tuple(kind for kind, _ in EXIT_CODES) as exc:
        return _fail(exc, args)


__all__ = ["EXIT_CODES", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
