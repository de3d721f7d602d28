"""Command line: ``python -m analysis <command>``.

Exit codes that scripts can trust:

* ``0`` — success (the file is valid; every notebook ran);
* ``1`` — the data break the dictionary, or a notebook failed;
* ``2`` — usage error, or a file that cannot be read at all.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _cmd_validate(args) -> int:
    from .data.cohort import validate_file
    from .data.pool import validate_files
    from .exceptions import DataFileError

    files = [Path(f).expanduser().resolve() for f in args.file]         # relative to the shell, not the repo
    try:
        if len(files) == 1 and not files[0].is_dir():
            _, report = validate_file(files[0])
        else:
            report = validate_files(files).report
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "csv":
        sys.stdout.write(report.to_frame().to_csv(index=False, lineterminator="\n"))
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
    else:
        print(report.to_text())
    return EXIT_OK if report.ok else EXIT_INVALID


def _warn_if_tracked(out: Path, synthetic: bool = False) -> None:
    """Real data belong under data/private/ (git-ignored); say so when an output lands elsewhere in the repo."""
    from . import paths

    inside = out.is_relative_to(paths.ROOT) and not out.is_relative_to(paths.PRIVATE)
    if inside and not synthetic:
        print(f"note: {out.relative_to(paths.ROOT)} is inside the repository but not under data/private/ "
              f"(git-ignored): keep real patient data out of git.", file=sys.stderr)


def _cmd_template(args) -> int:
    from .data.template import write_template

    out = Path(args.out).expanduser().resolve()
    if out.suffix.lower() != ".xlsx":
        print(f"error: {out.name}: the template is an Excel workbook; give a name ending in .xlsx", file=sys.stderr)
        return EXIT_USAGE
    write_template(out)
    _warn_if_tracked(out)
    print(f"wrote {out} (sheets: patients, dictionary, how to). Fill in sheet 'patients', save it under "
          f"data/private/, then: python -m analysis validate {out.name}")
    return EXIT_OK


def _raw_inputs(items) -> list[Path]:
    from .data.importer import RAW_SUFFIXES
    from .exceptions import DataFileError

    out = []
    for item in items:
        path = Path(item).expanduser().resolve()
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in RAW_SUFFIXES and not p.name.startswith(
                (".", "~$")))
            if not found:
                raise DataFileError(f"{path}: this folder holds no export to import ({', '.join(RAW_SUFFIXES)}).")
            out += found
        else:
            out.append(path)
    return out


def _cmd_import(args) -> int:
    from .data.draft_mapping import draft
    from .data.importer import map_file, write_result
    from .data.io import read_provenance
    from .data.mapping import load_mapping
    from .data.pool import validate_files
    from .exceptions import DataFileError

    try:
        raws = _raw_inputs(args.raw)
        if args.draft_mapping:
            for raw in raws:
                if not raw.exists():
                    raise DataFileError(f"{raw}: no such file.")
                sys.stdout.write(draft(raw))
            return EXIT_OK
        if not args.mapping or not args.out:
            print("error: give --mapping MAP.yaml and --out FILE (or --draft-mapping to write a mapping)",
                  file=sys.stderr)
            return EXIT_USAGE
        mapping = load_mapping(Path(args.mapping).expanduser().resolve())
        out = Path(args.out).expanduser().resolve()
        if len(raws) > 1 or out.is_dir() or out.suffix == "":
            outputs = [out / f"{raw.stem}.csv" for raw in raws]
        elif out.suffix.lower() != ".csv":
            raise DataFileError(f"{out.name}: the imported table is written as CSV; give a name ending in .csv")
        else:
            outputs = [out]
        clash = [o for o, r in zip(outputs, raws) if o == r]
        if clash:
            raise DataFileError(f"{clash[0]}: --out would overwrite the raw export; choose another name")
        errors, results = [], []
        for raw in raws:
            try:
                results.append(map_file(raw, mapping))
            except DataFileError as exc:
                errors.append(str(exc))
        if errors:
            raise DataFileError("\n".join(errors))
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(r.problems_text())
    if failed:
        print(f"Declare these in {mapping.name} and import again; nothing was written.")
        return EXIT_INVALID
    for r, o in zip(results, outputs):
        write_result(r, o)
        _warn_if_tracked(o, synthetic=bool(read_provenance(o).get("synthetic")))
        print(r.summary(o))
    report = validate_files(outputs).report
    print(report.to_text())
    return EXIT_OK if report.ok else EXIT_INVALID


def _parse_param(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"parameter {text!r} must be written name=value")
    return name, yaml.safe_load(value)


def _cmd_run(args) -> int:
    from .build.runner import run
    from .exceptions import DataFileError, DataValidationError

    try:
        results = run(only=args.only, data=args.data, output_dir=args.output_dir, parameters=dict(args.param or []),
                      jobs=args.jobs, force=args.force, figure_formats=args.figure_formats)
    except DataValidationError as exc:
        print(exc.report.to_text(), file=sys.stderr)
        print("error: the patient table is not valid; no notebook was run and no output was changed.",
              file=sys.stderr)
        return EXIT_INVALID
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    failed = [r for r in results if not r.ok]
    for r in failed:
        log = f" (kernel log: {r.log})" if r.log else ""
        print(f"error: notebook {r.name} failed at {r.error}; its previous outputs were left in place{log}.",
              file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


def _cmd_dictionary(args) -> int:
    from .data import readme as data_readme

    if args.format != "markdown":
        if args.write or args.check:
            print("error: --write/--check refresh data/README.md; they go with --format markdown", file=sys.stderr)
            return EXIT_USAGE
        if args.format == "redcap":
            from .data.redcap import data_dictionary
            text = data_dictionary()
        else:
            from .data.table_schema import to_json
            text = to_json()
        if args.out:
            from .atomic import write_text
            out = write_text(Path(args.out).expanduser().resolve(), text)
            print(f"wrote {out}")
        else:
            sys.stdout.write(text)
        return EXIT_OK
    if args.write:
        data_readme.write()
        print(f"wrote {data_readme.README}")
        return EXIT_OK
    if args.check:
        if data_readme.is_current():
            return EXIT_OK
        print(f"{data_readme.README} is out of date: run `python -m analysis dictionary --write`.", file=sys.stderr)
        return EXIT_INVALID
    sys.stdout.write(data_readme.generated_section())
    return EXIT_OK


def _cmd_audit(args) -> int:
    from .exceptions import ClaimsError
    from .paper import audit, audit_readme

    try:
        if args.write_readme:
            audit_readme.write_readme()
            print(f"wrote {audit_readme.README}")
            return EXIT_OK
        table = audit.audit()
    except ClaimsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    text = table.to_csv(index=False, lineterminator="\n") if args.format == "csv" else audit_readme.to_text(table)
    if args.out:
        out = Path(args.out).expanduser().resolve()                # relative to the shell, not the repo
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _cmd_synthesize(args) -> int:
    import time

    from . import paths
    from .paper.synthetic import DEFAULT_ITERATIONS
    from .paper.synthetic.generate import synthesize, write

    if args.ensemble is not None:
        from .paper.synthetic import ensemble

        if args.ensemble < 1:
            print("error: --ensemble takes a number of cohorts (1 or more)", file=sys.stderr)
            return EXIT_USAGE
        t0 = time.perf_counter()
        path = ensemble.generate(args.ensemble, first_seed=args.first_seed,
                                 iterations=args.iterations or ensemble.ITERATIONS,
                                 out=Path(args.out).expanduser().resolve() if args.out else None,
                                 scheduler=args.scheduler, workers=args.workers)
        rows = ensemble.manifest(path.parent)["members"]
        unmet = [r["file"] for r in rows if r["unmet_count_targets"]]
        print(f"wrote {len(rows)} synthetic cohorts and {path} in {time.perf_counter() - t0:.1f} s"
              + (f"; count targets not met in {', '.join(unmet)}" if unmet else ""))
        return EXIT_INVALID if unmet else EXIT_OK
    out = Path(args.out).expanduser().resolve() if args.out else paths.DEFAULT_SYNTHETIC
    t0 = time.perf_counter()
    cohort = synthesize(seed=args.seed, untested=args.untested, iterations=args.iterations or DEFAULT_ITERATIONS)
    write(cohort, out)
    print(f"wrote {out} ({len(cohort.table)} synthetic patients, seed {args.seed}) in "
          f"{time.perf_counter() - t0:.1f} s; calibration loss {cohort.provenance['calibration_loss']}")
    if cohort.missed:
        print("count targets not met: " + ", ".join(f"{k} ({v:+g})" for k, v in cohort.missed.items()),
              file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _cmd_report(args) -> int:
    from .build import report

    try:
        index = report.build(Path(args.source).expanduser() if args.source else None, out=args.out)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {index}")
    return EXIT_OK


def _cmd_fit_report(args) -> int:
    from . import paths
    from .data.cohort import load_cohort
    from .exceptions import DataFileError, DataValidationError
    from .paper import reconcile
    from .render.tables import save_table

    try:
        cohort = load_cohort(Path(args.file).expanduser().resolve() if args.file else None)
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DataValidationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    table = reconcile.reconcile(cohort.patients)
    root = Path(args.output_dir).expanduser().resolve() if args.output_dir else paths.ROOT
    path = save_table(table, "fit_report", root)
    md = path.with_suffix(".md")
    md.write_text(reconcile.report_markdown(table, cohort), encoding="utf-8")
    compared = table["passed"].notna()
    print(f"{int(table.loc[compared, 'passed'].sum())} of {int(compared.sum())} claims reproduced; "
          f"wrote {path} and {md.name}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")

    p = sub.add_parser("validate", help="check a patient table (CSV/XLSX) against the data dictionary",
                       description="Report every problem of a patient table at once (patient, column, value, "
                                   "rule). Several files or a folder are validated together as one pooled cohort "
                                   "(a patient_id and a center_id each in one file only). Export mistakes (';' "
                                   "separator, decimal commas, DD/MM/YYYY dates, …) are reported first, one line "
                                   "each. Exit 0 if valid, 1 if not, 2 if a file cannot be read or has the wrong "
                                   "shape.")
    p.add_argument("file", nargs="+", help="path(s) of .csv or .xlsx patient tables, or folders of them")
    p.add_argument("--format", choices=("text", "csv"), default="text",
                   help="report as readable text (default) or as a CSV of problems")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("run", help="execute the notebooks with Papermill",
                       description="Execute the numbered notebooks. Without --data: the default cohort, outputs "
                                   "in figures/, results/, notebooks/executed/. With --data: outputs under "
                                   "--output-dir (default data/private/runs/<file stem>/). Exit 1 if any notebook "
                                   "failed.")
    p.add_argument("--data", metavar="PATH", action="append",
                   help="patient table to analyse (CSV or XLSX), or a folder of them; repeat to pool several centres")
    p.add_argument("--output-dir", metavar="DIR", help="where figures/, results/ and notebooks/ are written")
    p.add_argument("--only", nargs="+", metavar="NAME", help="notebooks to run, e.g. 01_cohort or 01")
    p.add_argument("-p", "--param", action="append", type=_parse_param, metavar="NAME=VALUE",
                   help="extra notebook parameter (YAML value), repeatable")
    p.add_argument("--jobs", type=int, default=2, help="notebooks run in parallel (default 2)")
    p.add_argument("--force", action="store_true", help="rerun notebooks whose inputs and outputs are unchanged")
    p.add_argument("--figure-formats", metavar="LIST",
                   help="draft run: write only these figure formats, e.g. png (default: png,svg,pdf)")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("dictionary", help="print the data dictionary (Markdown, REDCap, Table Schema) or refresh "
                                          "data/README.md",
                       description="Print the generated part of data/README.md, write it (--write), or exit 1 "
                                   "if it is out of date (--check). --format redcap prints a REDCap Data "
                                   "Dictionary CSV (forms baseline, debulking, bispecific, safety, outcome) to "
                                   "upload in Project Setup; --format table-schema a Frictionless Table Schema.")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--write", action="store_true", help="rewrite data/README.md's generated section")
    g.add_argument("--check", action="store_true", help="exit 1 if data/README.md is out of date")
    p.add_argument("--format", choices=("markdown", "redcap", "table-schema"), default="markdown",
                   help="markdown (default, data/README.md's tables), redcap (CSV) or table-schema (JSON)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output (redcap, table-schema)")
    p.set_defaults(func=_cmd_dictionary)

    p = sub.add_parser("template", help="write the data-entry workbook (XLSX) generated from the dictionary",
                       description="Write an Excel workbook to fill in: sheet 'patients' (the dictionary's columns, "
                                   "frozen header, a drop-down or range check on every column, each header "
                                   "commented), sheet 'dictionary', sheet 'how to'. Same dictionary, same bytes.")
    p.add_argument("out", metavar="OUT.xlsx", help="workbook to write")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("import", help="convert a centre's own export (CSV, XLSX, SPSS, Stata, SAS) with a mapping",
                       description="Convert an export into the dictionary's format as MAP.yaml declares (renames, "
                                   "recodes, date formats, units, constants, dropped columns; nothing undeclared "
                                   "guessed), write it with a provenance note, then validate it. --draft-mapping "
                                   "prints a starting mapping from the file's columns and values. Several files "
                                   "or a folder: --out is a folder, one CSV per export, validated together. Exit 0 "
                                   "if imported and valid, 1 if a column or value is undeclared (nothing written) "
                                   "or the output is invalid, 2 if a file cannot be read or the mapping is wrong.")
    p.add_argument("raw", nargs="+", metavar="RAW", help="export(s) to convert (.csv, .xlsx, .sav, .dta, .xpt, "
                                                          ".sas7bdat) or folders of them")
    p.add_argument("--mapping", metavar="MAP.yaml", help="the declared mapping (see data/examples/)")
    p.add_argument("--out", metavar="FILE", help="CSV to write (a folder for several exports), e.g. "
                                                 "data/private/NAME.csv")
    p.add_argument("--draft-mapping", action="store_true", help="print a draft mapping of RAW to edit")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("audit", help="check the paper's published numbers against each other",
                       description="Run the consistency audit of the claims registry (data/published/claims.yaml): "
                                   "GRIM tests of every percentage, sums, text vs Table 1, definitions vs group "
                                   "sizes, Kaplan-Meier medians. One line per check; failing checks say whether a "
                                   "resolution is recorded. Exit 0 (1 if the registry itself is malformed).")
    p.add_argument("--format", choices=("text", "csv"), default="text",
                   help="one readable line per check (default) or a CSV table")
    p.add_argument("--out", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--write-readme", action="store_true",
                   help="rewrite the generated findings section of data/published/README.md")
    p.set_defaults(func=_cmd_audit)

    from .paper.synthetic import (DEFAULT_ITERATIONS, DEFAULT_SEED, DEFAULT_UNTESTED, ENSEMBLE_FIRST_SEED,
                                  ENSEMBLE_ITERATIONS)
    p = sub.add_parser("synthesize", help="generate a synthetic cohort calibrated to the published claims",
                       description="Generate a SYNTHETIC patient table (data dictionary format) calibrated to the "
                                   "claims registry, and its .provenance.yaml. Same seed, same bytes. Exit 1 if "
                                   "a count target could not be met (the file is still written).")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--out", metavar="FILE", help="CSV to write (default data/synthetic/cohort.csv)")
    p.add_argument("--untested", type=int, default=DEFAULT_UNTESTED,
                   help=f"patients without cytogenetic testing (unpublished; default {DEFAULT_UNTESTED})")
    p.add_argument("--iterations", type=int, default=None,
                   help=f"annealing iterations for the survival calibration (default {DEFAULT_ITERATIONS}; "
                        f"{ENSEMBLE_ITERATIONS} per member of an ensemble)")
    p.add_argument("--ensemble", type=int, metavar="N",
                   help="calibrate N cohorts (seeds --first-seed … +N−1) on Dask and write them, with their fit "
                        "reports and a manifest, to --out (default data/synthetic/ensemble/)")
    p.add_argument("--first-seed", type=int, default=ENSEMBLE_FIRST_SEED,
                   help=f"first seed of an ensemble (default {ENSEMBLE_FIRST_SEED})")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running Dask scheduler (tcp://host:8786) for the ensemble; default: "
                        "$COMPENDIUM_DASK_SCHEDULER, else a local cluster")
    p.add_argument("--workers", type=int, default=0,
                   help="local cluster worker processes (default: the cores available)")
    p.set_defaults(func=_cmd_synthesize)

    p = sub.add_parser("fit-report", help="published vs reproduced for every claim of the registry",
                       description="Recompute every claim from a cohort (default: the committed synthetic one) "
                                   "and write results/fit_report.csv and .md with published, reproduced, "
                                   "difference, tolerance and pass/fail.")
    p.add_argument("file", nargs="?", help="patient table (default: the compendium's default cohort)")
    p.add_argument("--output-dir", metavar="DIR", help="write results/ under DIR instead of the project root")
    p.set_defaults(func=_cmd_fit_report)

    p = sub.add_parser("report", help="render the executed notebooks and every output as a static HTML site",
                       description="Write report/index.html (every figure and table, each linked to the notebook "
                                   "cell that made it, and the published-vs-reproduced summary) and one HTML page "
                                   "per executed notebook. Without --from: the default run, into report/.")
    p.add_argument("--from", dest="source", metavar="DIR",
                   help="output root of a run (python -m analysis run --output-dir DIR); default the project root")
    p.add_argument("--out", metavar="DIR", help="folder to write (default report/, or DIR/report with --from)")
    p.set_defaults(func=_cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
