"""Commands that bring a patient table in: ``validate``, ``template``, ``dictionary``, ``import``."""

from __future__ import annotations

import sys

from ..exceptions import DataFileError, UsageError
from .common import EXIT_INVALID, EXIT_OK, shell_path, warn_if_tracked, write_or_print


def _cmd_validate(args) -> int:
    from ..data.cohort import validate_file
    from ..data.inputs import expand
    from ..data.pool import validate_files

    files = [shell_path(f) for f in args.file]
    if len(files) == 1 and not files[0].is_dir():
        _, report = validate_file(files[0])
    else:
        report = validate_files(expand(files)).report
    if args.format == "csv":
        sys.stdout.write(report.to_frame().to_csv(index=False, lineterminator="\n"))
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
    else:
        print(report.to_text())
    return EXIT_OK if report.ok else EXIT_INVALID


def _cmd_template(args) -> int:
    from ..data.intake.template import write_template

    out = shell_path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out.name}: the template is an Excel workbook; give a name ending in .xlsx")
    write_template(out)
    warn_if_tracked(out)
    print(
        f"wrote {out} (sheets: patients, dictionary, how to). Fill in sheet 'patients', save it under "
        f"data/private/, then: python -m analysis validate {out.name}"
    )
    return EXIT_OK


def _outputs(raws, out):
    """Where each converted export goes: ``out`` itself for one export named ``*.csv``, else ``out/<stem>.csv``."""
    if len(raws) > 1 or out.is_dir() or out.suffix == "":
        outputs = [out / f"{raw.stem}.csv" for raw in raws]
    elif out.suffix.lower() != ".csv":
        raise DataFileError(f"{out.name}: the imported table is written as CSV; give a name ending in .csv")
    else:
        outputs = [out]
    clash = [o for o, r in zip(outputs, raws) if o == r]
    if clash:
        raise DataFileError(f"{clash[0]}: --out would overwrite the raw export; choose another name")
    return outputs


def _cmd_import(args) -> int:
    from ..data.inputs import expand
    from ..data.intake.draft_mapping import draft
    from ..data.intake.importer import RAW_SUFFIXES, across_exports, map_file, valid_report, write_result
    from ..data.intake.mapping import load_mapping
    from ..data.io import read_provenance

    raws = [
        p.resolve()
        for p in expand(
            [shell_path(r) for r in args.raw], RAW_SUFFIXES, f"export to import ({', '.join(RAW_SUFFIXES)})"
        )
    ]
    if args.draft_mapping:
        for raw in raws:
            sys.stdout.write(draft(raw))
        return EXIT_OK
    if not args.mapping or not args.out:
        raise UsageError("give --mapping MAP.yaml and --out FILE (or --draft-mapping to write a mapping)")
    mapping = load_mapping(shell_path(args.mapping))
    outputs = _outputs(raws, shell_path(args.out))
    errors, results = [], []
    for raw in raws:
        try:
            results.append(map_file(raw, mapping))
        except DataFileError as exc:
            errors.append(str(exc))
    if errors:
        raise DataFileError("\n".join(errors))
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(r.problems_text())
    across = across_exports(results) if len(results) > 1 and not failed else []
    if across:
        print(f"{len(across)} problem(s) across the exports (nothing written):\n" + "\n".join(f"  {a}" for a in across))
    if failed or across:
        print(
            f"Correct these in the export(s), or declare them in {mapping.name}, and import again; nothing was written."
        )
        return EXIT_INVALID
    for r, o in zip(results, outputs):
        write_result(r, o)
        warn_if_tracked(o, synthetic=bool(read_provenance(o).get("synthetic")))
        print(r.summary(o))
    print(valid_report(results, outputs).to_text())
    return EXIT_OK


def _cmd_dictionary(args) -> int:
    from ..data import readme as data_readme

    if args.format != "markdown":
        if args.write or args.check:
            raise UsageError("--write/--check refresh data/README.md; they go with --format markdown")
        if args.format == "redcap":
            from ..data.intake.redcap import data_dictionary

            text = data_dictionary()
        else:
            from ..data.intake.table_schema import to_json

            text = to_json()
        write_or_print(text, args.out)
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


def _add_validate(sub) -> None:
    p = sub.add_parser(
        "validate",
        help="check a patient table (CSV/XLSX) against the data dictionary",
        description="Report every problem of a patient table at once (patient, column, value, "
        "rule). Several files or a folder are validated together as one pooled cohort "
        "(a patient_id and a center_id each in one file only). Export mistakes (';' "
        "separator, decimal commas, DD/MM/YYYY dates, …) are reported first, one line "
        "each. Exit 0 if valid, 1 if not, 2 if a file cannot be read or has the wrong "
        "shape.",
    )
    p.add_argument("file", nargs="+", help="path(s) of .csv or .xlsx patient tables, or folders of them")
    p.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help="report as readable text (default) or as a CSV of problems",
    )
    p.set_defaults(func=_cmd_validate)


def _add_template_and_dictionary(sub) -> None:
    p = sub.add_parser(
        "dictionary",
        help="print the data dictionary (Markdown, REDCap, Table Schema) or refresh data/README.md",
        description="Print the generated part of data/README.md, write it (--write), or exit 1 "
        "if it is out of date (--check). --format redcap prints a REDCap Data "
        "Dictionary CSV (forms baseline, debulking, bispecific, safety, outcome) to "
        "upload in Project Setup; --format table-schema a Frictionless Table Schema.",
    )
    g = p.add_mutually_exclusive_group()
    g.add_argument("--write", action="store_true", help="rewrite data/README.md's generated section")
    g.add_argument("--check", action="store_true", help="exit 1 if data/README.md is out of date")
    p.add_argument(
        "--format",
        choices=("markdown", "redcap", "table-schema"),
        default="markdown",
        help="markdown (default, data/README.md's tables), redcap (CSV) or table-schema (JSON)",
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output (redcap, table-schema)")
    p.set_defaults(func=_cmd_dictionary)

    p = sub.add_parser(
        "template",
        help="write the data-entry workbook (XLSX) generated from the dictionary",
        description="Write an Excel workbook to fill in: sheet 'patients' (the dictionary's columns, "
        "frozen header, a drop-down or range check on every column, each header "
        "commented), sheet 'dictionary', sheet 'how to'. Same dictionary, same bytes.",
    )
    p.add_argument("out", metavar="OUT.xlsx", help="workbook to write")
    p.set_defaults(func=_cmd_template)


def _add_import(sub) -> None:
    p = sub.add_parser(
        "import",
        help="convert a centre's own export (CSV, XLSX, SPSS, Stata, SAS) with a mapping",
        description="Convert an export into the dictionary's format as MAP.yaml declares (renames, "
        "recodes, date formats, units, derived columns, constants, dropped columns; nothing "
        "undeclared guessed), validate it in memory, and write it with a provenance note only "
        "if all is valid: every undeclared value and every broken rule is reported at once, "
        "in the export's own columns and rows. --draft-mapping prints a starting mapping from "
        "the file's columns and values. Several files or a folder: --out is a folder, one "
        "CSV per export, validated together. Exit 0 if imported and valid, 1 if a column or "
        "value is undeclared or the converted data break a rule (nothing written), 2 if a "
        "file cannot be read or the mapping is wrong.",
    )
    p.add_argument(
        "raw",
        nargs="+",
        metavar="RAW",
        help="export(s) to convert (.csv, .xlsx, .sav, .dta, .xpt, .sas7bdat) or folders of them",
    )
    p.add_argument("--mapping", metavar="MAP.yaml", help="the declared mapping (see data/examples/)")
    p.add_argument(
        "--out", metavar="FILE", help="CSV to write (a folder for several exports), e.g. data/private/NAME.csv"
    )
    p.add_argument("--draft-mapping", action="store_true", help="print a draft mapping of RAW to edit")
    p.set_defaults(func=_cmd_import)


def add_parsers(sub) -> None:
    """The data commands, in the order ``python -m analysis --help`` lists them."""
    _add_validate(sub)
    _add_template_and_dictionary(sub)
    _add_import(sub)


__all__ = ["add_parsers"]
