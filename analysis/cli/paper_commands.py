"""Commands about the paper: ``audit`` (the registry against itself), ``synthesize``, ``fit-report``."""

from __future__ import annotations

import sys
import time

from ..exceptions import UsageError
from .common import EXIT_INVALID, EXIT_OK, shell_path, write_or_print


def _cmd_audit(args) -> int:
    from ..paper import audit, audit_readme

    if args.write_readme:
        audit_readme.write_readme()
        print(f"wrote {audit_readme.README}")
        return EXIT_OK
    table = audit.audit()
    write_or_print(
        table.to_csv(index=False, lineterminator="\n") if args.format == "csv" else audit_readme.to_text(table),
        args.out,
    )
    return EXIT_OK


def _synthesize_ensemble(args) -> int:
    from functools import partial

    from ..paper.synthetic import ensemble
    from ..pipeline import parallel

    if args.ensemble < 1:
        raise UsageError("--ensemble takes a number of cohorts (1 or more)")
    t0 = time.perf_counter()
    path = ensemble.generate(
        args.ensemble,
        first_seed=args.first_seed,
        iterations=args.iterations or ensemble.ITERATIONS,
        out=shell_path(args.out) if args.out else None,
        farm=partial(
            parallel.farm, scheduler=args.scheduler, workers=args.workers, progress=True, description="cohorts"
        ),
        batch=parallel.available(),
    )
    rows = ensemble.manifest(path.parent)["members"]
    unmet = [r["file"] for r in rows if r["unmet_count_targets"]]
    print(
        f"wrote {len(rows)} synthetic cohorts and {path} in {time.perf_counter() - t0:.1f} s"
        + (f"; count targets not met in {', '.join(unmet)}" if unmet else "")
    )
    return EXIT_INVALID if unmet else EXIT_OK


def _cmd_synthesize(args) -> int:
    from .. import paths
    from ..paper.synthetic import DEFAULT_ITERATIONS
    from ..paper.synthetic.generate import synthesize, write

    if args.ensemble is not None:
        return _synthesize_ensemble(args)
    out = shell_path(args.out) if args.out else paths.DEFAULT_SYNTHETIC
    t0 = time.perf_counter()
    cohort = synthesize(seed=args.seed, untested=args.untested, iterations=args.iterations or DEFAULT_ITERATIONS)
    write(cohort, out)
    print(
        f"wrote {out} ({len(cohort.table)} synthetic patients, seed {args.seed}) in "
        f"{time.perf_counter() - t0:.1f} s; calibration loss {cohort.provenance['calibration_loss']}"
    )
    if cohort.missed:
        print("count targets not met: " + ", ".join(f"{k} ({v:+g})" for k, v in cohort.missed.items()), file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _cmd_fit_report(args) -> int:
    from .. import paths
    from ..atomic import write_text
    from ..data.cohort import load_cohort
    from ..paper import reconcile
    from ..render.tables import save_table

    cohort = load_cohort(shell_path(args.file) if args.file else None)
    table = reconcile.reconcile(cohort.patients)
    root = shell_path(args.output_dir) if args.output_dir else paths.ROOT
    path = save_table(table, "fit_report", root)
    md = write_text(path.with_suffix(".md"), reconcile.report_markdown(table, cohort))
    compared = table["passed"].notna()
    print(
        f"{int(table.loc[compared, 'passed'].sum())} of {int(compared.sum())} claims reproduced; "
        f"wrote {path} and {md.name}"
    )
    return EXIT_OK


def _add_synthesize(sub) -> None:
    from ..paper.synthetic import (
        DEFAULT_ITERATIONS,
        DEFAULT_SEED,
        DEFAULT_UNTESTED,
        ENSEMBLE_FIRST_SEED,
        ENSEMBLE_ITERATIONS,
    )

    p = sub.add_parser(
        "synthesize",
        help="generate a synthetic cohort calibrated to the published claims",
        description="Generate a SYNTHETIC patient table (data dictionary format) calibrated to the "
        "claims registry, and its .provenance.yaml. Same seed, same bytes. Exit 1 if "
        "a count target could not be met (the file is still written).",
    )
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--out", metavar="FILE", help="CSV to write (default data/synthetic/cohort.csv)")
    p.add_argument(
        "--untested",
        type=int,
        default=DEFAULT_UNTESTED,
        help=f"patients without cytogenetic testing (unpublished; default {DEFAULT_UNTESTED})",
    )
    p.add_argument(
        "--iterations",
        type=int,
        default=None,
        help=f"annealing iterations for the survival calibration (default {DEFAULT_ITERATIONS}; "
        f"{ENSEMBLE_ITERATIONS} per member of an ensemble)",
    )
    p.add_argument(
        "--ensemble",
        type=int,
        metavar="N",
        help="calibrate N cohorts (seeds --first-seed … +N−1) on Dask and write them, with their fit "
        "reports and a manifest, to --out (default data/synthetic/ensemble/)",
    )
    p.add_argument(
        "--first-seed",
        type=int,
        default=ENSEMBLE_FIRST_SEED,
        help=f"first seed of an ensemble (default {ENSEMBLE_FIRST_SEED})",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a running Dask scheduler (tcp://host:8786) for the ensemble; default: "
        "$COMPENDIUM_DASK_SCHEDULER, else a local cluster",
    )
    p.add_argument(
        "--workers", type=int, default=0, help="local cluster worker processes (default: the cores available)"
    )
    p.set_defaults(func=_cmd_synthesize)


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "audit",
        help="check the paper's published numbers against each other",
        description="Run the consistency audit of the claims registry (data/published/claims.yaml): "
        "GRIM tests of every percentage, sums, text vs Table 1, definitions vs group "
        "sizes, Kaplan-Meier medians. One line per check; failing checks say whether a "
        "resolution is recorded. Exit 0 (1 if the registry itself is malformed).",
    )
    p.add_argument(
        "--format", choices=("text", "csv"), default="text", help="one readable line per check (default) or a CSV table"
    )
    p.add_argument("--out", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument(
        "--write-readme", action="store_true", help="rewrite the generated findings section of data/published/README.md"
    )
    p.set_defaults(func=_cmd_audit)
    _add_synthesize(sub)
    p = sub.add_parser(
        "fit-report",
        help="published vs reproduced for every claim of the registry",
        description="Recompute every claim from a cohort (default: the committed synthetic one) "
        "and write results/fit_report.csv and .md with published, reproduced, "
        "difference, tolerance and pass/fail.",
    )
    p.add_argument("file", nargs="?", help="patient table (default: the compendium's default cohort)")
    p.add_argument("--output-dir", metavar="DIR", help="write results/ under DIR instead of the project root")
    p.set_defaults(func=_cmd_fit_report)


__all__ = ["add_parsers"]
