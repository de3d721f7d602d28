"""What a file actually is, from its first bytes: the one file-level message for a file that holds no table.

A user hands the compendium whatever their export produced: a zero-byte file left by an interrupted
copy, a file of blank lines, a workbook or an SPSS file renamed ``.csv``, a PDF, a web page that a
download returned instead of the export, random bytes from a damaged disk. Read as CSV, such a file
gives a traceback or advice for another problem (a workbook's bytes look like Windows-1252 text).
Here the file is identified first, by its signature (the "magic number" its format starts with:
``PK\\x03\\x04`` for a ZIP archive, and an XLSX workbook is one; ``%PDF-``; ``$FL2`` for SPSS …),
and each kind that is not what the reader expects gets one paragraph: what the file is, how that
was seen, and the fix.

:func:`identify` names the file (:class:`Signature`; ``None`` for text that may be a table);
:func:`problem` is the message for a file handed to a reader of ``expected`` (``"csv"``,
``"xlsx"``, ``"spss"``, ``"stata"``, ``"sas"``, ``"xport"``), or ``None`` when the file may be
what its name says. A file with no known signature is *binary* when more than
:data:`BINARY_SHARE` of its first bytes, and at least :data:`MIN_BINARY`, are control bytes (random or
damaged data: about 12 %);
text with a stray NUL is not binary but a table with a control byte in a cell, reported with its
line and column (:mod:`analysis.data.control_bytes`). A statistical file with no known signature
is left to its reader (older Stata files have none that is certain).
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: Bytes looked at to identify a file.
HEAD = 1 << 16
#: A file with no known signature is binary when more than this share of its first bytes are control bytes.
BINARY_SHARE = 0.02
#: … and at least this many (a short text with a stray NUL is a table with a control character in a cell).
MIN_BINARY = 8
_TEXT_CONTROLS = frozenset(b"\t\n\r")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"
_SAS7BDAT = bytes.fromhex("000000000000000000000000c2ea8160b31411cfbd92080009c7318c181f1011")
_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

#: What each reader expects, as a message names it, and the file-name ending of that format.
EXPECTED = {
    "csv": ("a CSV table", ".csv"),
    "xlsx": ("an Excel workbook", ".xlsx"),
    "spss": ("an SPSS data file", ".sav"),
    "stata": ("a Stata data file", ".dta"),
    "sas": ("a SAS data set", ".sas7bdat"),
    "xport": ("a SAS transport file", ".xpt"),
}


@dataclass(frozen=True)
class Signature:
    """A file identified: its ``kind`` (a key of :data:`FIXES`), what it is and how that was seen, in words."""

    kind: str
    what: str
    evidence: str


# kind -> the fix, with {name} (the file's name), {stem} (without its ending) and {to} (the right ending).
FIXES = {
    "empty": (
        "Fix: export the patient table again — a first row naming the columns, then one row per patient — as "
        '"CSV UTF-8 (Comma delimited)" or as an Excel Workbook (.xlsx); a file copied from a server or a USB key '
        "may have been cut short: copy it again."
    ),
    "blank": (
        "Fix: export the patient table again — a first row naming the columns, then one row per patient — as "
        '"CSV UTF-8 (Comma delimited)" or as an Excel Workbook (.xlsx).'
    ),
    "xlsx": (
        "Fix: rename it {stem}.xlsx and give that name (a workbook is read as it is, cells with their own types), "
        'or open it in Excel and save it as "CSV UTF-8 (Comma delimited) (*.csv)".'
    ),
    "ods": (
        'Fix: open it in LibreOffice Calc and save it as "Excel 2007-365 (.xlsx)", or as "Text CSV" (UTF-8, '
        "comma-separated)."
    ),
    "ole2": (
        'Fix: open it in Excel and save it as "Excel Workbook (.xlsx)"; a workbook protected by a password is '
        "stored this way too: remove the password first (File → Info → Protect Workbook)."
    ),
    "zip": "Fix: extract the archive (right-click → Extract All) and give the patient table inside it.",
    "damaged_zip": (
        "Fix: copy or download the file again (this copy is incomplete); if it is a workbook, open it in Excel "
        'and save it again as "Excel Workbook (.xlsx)".'
    ),
    "document": (
        "A document shows a table but holds no data to read. Fix: export the table itself, from Excel, REDCap or "
        'the database that holds the patients, as "CSV UTF-8 (Comma delimited)" or as an Excel Workbook (.xlsx).'
    ),
    "html": (
        "It is typically what a download returns instead of the export (a login or error page), or Excel's "
        '"Web Page" save. Fix: open it in a browser to see what it is; download the export again, or save the '
        'table from Excel as "CSV UTF-8 (Comma delimited)".'
    ),
    "xml_spreadsheet": 'Fix: open it in Excel and save it as "Excel Workbook (.xlsx)".',
    "xml": (
        'Fix: export the table itself from the program that wrote this XML, as "CSV UTF-8 (Comma delimited)" or '
        "as an Excel Workbook (.xlsx)."
    ),
    "columnar": (
        "Fix: write the table as CSV, e.g. in Python: pandas.read_parquet('{name}').to_csv('{stem}_table.csv', "
        "index=False) (pandas.read_feather for Arrow files); in R: write.csv(arrow::read_parquet('{name}'), "
        "'{stem}_table.csv', row.names = FALSE)."
    ),
    "statistical": (
        "Fix: rename it {stem}{to} and convert it with a mapping: python -m analysis import {stem}{to} "
        "--draft-mapping > MAP.yaml; edit MAP.yaml; python -m analysis import {stem}{to} --mapping MAP.yaml "
        "--out data/private/NAME.csv."
    ),
    "statistical_import": "Fix: rename it {stem}{to} and import that (the same mapping applies).",
    "archive": "Fix: decompress it (right-click → Extract All, or gunzip) and give the patient table inside it.",
    "database": (
        "Fix: export the patients' table from it as CSV (sqlite3 -header -csv FILE 'select * from TABLE' > "
        "{stem}_table.csv)."
    ),
    "text": (
        "Fix: rename it {stem}.csv and give that name (a CSV in another separator or encoding is read under a "
        'mapping\'s `read:` settings), or open it in Excel and save it as "Excel Workbook (.xlsx)".'
    ),
    "utf16": (
        'Fix: save it again as "CSV UTF-8 (Comma delimited)", or import it with a mapping that declares '
        "`encoding: {encoding}` under `read:`."
    ),
    "binary": (
        "The file may be damaged, or made by a program this compendium does not read. Fix: check that it is the "
        'patient table you meant, and export the table again as "CSV UTF-8 (Comma delimited)" or as an Excel '
        "Workbook (.xlsx)."
    ),
}
#: The statistical formats, as :data:`EXPECTED` names them, by signature kind.
_STAT_KINDS = {"spss": ".sav", "stata": ".dta", "sas": ".sas7bdat", "xport": ".xpt"}
_FIX_OF = {
    "pdf": "document",
    "docx": "document",
    "rtf": "document",
    "image": "document",
    "parquet": "columnar",
    "arrow": "columnar",
    "gzip": "archive",
    "7z": "archive",
    "rar": "archive",
    "sqlite": "database",
}

_MAGIC: tuple[tuple[bytes, str, str, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "ole2",
        "a Microsoft Office file in the old binary format (an Excel "
        "97–2003 workbook .xls, a password-protected workbook, or a Word .doc)",
        "D0 CF 11 E0",
    ),
    (b"%PDF-", "pdf", "a PDF document", "%PDF-"),
    (b"PAR1", "parquet", "an Apache Parquet file", "PAR1"),
    (b"ARROW1", "arrow", "an Apache Arrow (Feather) file", "ARROW1"),
    (b"$FL2", "spss", "an SPSS data file (.sav)", "$FL2"),
    (b"$FL3", "spss", "a compressed SPSS data file (.zsav)", "$FL3"),
    (b"<stata_dta>", "stata", "a Stata data file (.dta)", "<stata_dta>"),
    (_SAS7BDAT, "sas", "a SAS data set (.sas7bdat)", "the SAS7BDAT magic number"),
    (b"HEADER RECORD*******LIB", "xport", "a SAS transport file (.xpt)", "HEADER RECORD*******LIBRARY"),
    (b"\x1f\x8b", "gzip", "a gzip-compressed file", "1F 8B"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "a 7-Zip archive", "7z BC AF"),
    (b"Rar!\x1a\x07", "rar", "a RAR archive", "Rar!"),
    (b"SQLite format 3\x00", "sqlite", "an SQLite database", "SQLite format 3"),
    (b"\x89PNG\r\n\x1a\n", "image", "a PNG image", "\\x89PNG"),
    (b"\xff\xd8\xff", "image", "a JPEG image", "FF D8 FF"),
    (b"GIF8", "image", "a GIF image", "GIF8"),
    (b"{\\rtf", "rtf", "a Rich Text (RTF) document", "{\\rtf"),
)
_HTML = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta", b"<div", b"<!--")


def _zip(data: bytes, path: Path | None) -> Signature:
    """A ZIP archive: a workbook, an OpenDocument file, a Word document, or an archive of other files."""
    try:
        with zipfile.ZipFile(path if path is not None else io.BytesIO(data)) as z:
            names = z.namelist()
            mimetype = z.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, NotImplementedError, RuntimeError):
        return Signature(
            "damaged_zip",
            "a ZIP archive that is damaged or cut short (an Excel workbook is a ZIP archive)",
            "it starts with PK\\x03\\x04 but its directory cannot be read",
        )
    if any(n.startswith("xl/") for n in names):
        return Signature("xlsx", "an Excel workbook (.xlsx)", "a ZIP archive holding xl/workbook.xml")
    if b"opendocument.spreadsheet" in mimetype:
        return Signature("ods", "an OpenDocument spreadsheet (.ods)", "a ZIP archive of mimetype opendocument")
    if any(n.startswith("word/") for n in names) or b"opendocument.text" in mimetype:
        return Signature("docx", "a word-processor document (.docx/.odt)", "a ZIP archive holding a document")
    shown = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
    return Signature("zip", f"a ZIP archive ({shown or 'empty'})", "it starts with PK\\x03\\x04")


def _old_stata(data: bytes) -> bool:
    """A Stata file of format 104–115 (before ``<stata_dta>``): version, byte order, type 1, a zero byte."""
    return len(data) >= 4 and 104 <= data[0] <= 115 and data[1] in (1, 2) and data[2] == 1 and data[3] == 0


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when every other byte is 0x00 (ASCII text in UTF-16 without its mark)."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    share = lambda part: part.count(0) / max(1, len(part))  # noqa: E731
    if share(odd) >= 0.9 and share(even) <= 0.1:
        return "utf-16-le"
    if share(even) >= 0.9 and share(odd) <= 0.1:
        return "utf-16-be"
    return None


def identify(data: bytes, path: Path | None = None) -> Signature | None:
    """What the bytes ``data`` (the file's start, or all of it) are; ``None`` for text that may be a table.

    ``path`` lets a ZIP archive be opened from the file (its directory is at the end). Text with a
    byte-order mark (UTF-8, UTF-16, UTF-32) is text.
    """
    if not data:
        return Signature("empty", "empty", "0 bytes")
    head = data[:HEAD]
    for prefix, kind, what, seen in _MAGIC:
        if head.startswith(prefix):
            return Signature(kind, what, f"it starts with {seen}")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip(data, path)
    if _old_stata(head):
        return Signature("stata", "a Stata data file (.dta, format before Stata 13)", "its first four bytes")
    bom = next((b for b in _BOMS if head.startswith(b)), b"")
    if bom and bom != codecs.BOM_UTF8:
        encoding = "utf-32" if len(bom) == 4 else "utf-16"
        text = head.decode(encoding, errors="replace")
        if not text.strip("\ufeff \t\r\n\x0b\x0c"):
            return Signature("blank", "blank", f"{len(data)} bytes of spaces and line ends in {encoding.upper()}")
        return None
    body = head[len(bom) :]
    if not body.strip(b" \t\r\n\x0b\x0c"):
        return Signature("blank", "blank", f"{len(data)} bytes of spaces and line ends, no cell")
    start = body.lstrip(b" \t\r\n")[:512].lower()
    if start.startswith(b"<?xml"):
        window = body[:4096]
        if b"urn:schemas-microsoft-com:office:spreadsheet" in window or b"Excel.Sheet" in window:
            return Signature("xml_spreadsheet", "an Excel 2003 XML spreadsheet", "it starts with <?xml … Excel.Sheet")
        if b"<html" in window.lower():
            return Signature("html", "an HTML page", "it starts with <?xml and holds <html")
        return Signature("xml", "an XML document", "it starts with <?xml")
    if start.startswith(_HTML):
        first = start.split(b">", 1)[0][:20].decode("ascii", errors="replace")
        return Signature("html", "an HTML page (a web page)", f"it starts with {first}>")
    encoding = _utf16_without_bom(body)
    if encoding:
        return Signature("utf16", f"{encoding.upper()} text without a byte-order mark", "every other byte is 0x00")
    controls = sum(body.count(b) for b in _CONTROL_BYTES)
    if controls > BINARY_SHARE * len(body) and controls >= MIN_BINARY:
        first = next(i for i, b in enumerate(body) if b in _CONTROL_BYTES) + len(bom)
        shown = " ".join(f"{b:02X}" for b in head[:8])
        return Signature(
            "binary",
            "binary data",
            f"none this compendium knows: it starts with {shown}, and {controls} of its first {len(body)} bytes are "
            f"control bytes, the first 0x{head[first]:02X} at byte {first + 1}",
        )
    return None


def _accepted(sig: Signature | None, expected: str) -> bool:
    """Whether a reader of ``expected`` should go on and read the file (its own errors then apply)."""
    if sig is not None and sig.kind in ("empty", "blank"):
        return False
    if expected == "csv":
        return sig is None
    if expected == "xlsx":
        return sig is not None and sig.kind in ("xlsx", "damaged_zip")
    # statistical files: their own reader decides, unless the file is plainly something else
    return sig is not None and sig.kind in (expected, "binary")


def problem(path: Path, data: bytes, expected: str, importing: bool = False) -> str | None:
    """The one-paragraph message for ``path`` handed to the reader of ``expected``; ``None`` to read it.

    ``data`` is the file's bytes (all of them, or its first :data:`HEAD`); ``importing``: the file
    is read under a mapping (``import``, ``--draft-mapping``), which changes the fix for a
    statistical file under another name.
    """
    sig = identify(data, path)
    if _accepted(sig, expected):
        return None
    name, stem = path.name, path.stem
    what, ending = EXPECTED[expected]
    if sig is None:  # text where a workbook or a statistical file is expected
        first = data[:HEAD].decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0].strip()
        first = first if len(first) <= 60 else first[:60] + " …"
        return (
            f"{name}: this is a text file (its first line reads {first!r}), not {what}, although its name ends in "
            f"{path.suffix}. " + FIXES["text"].format(stem=stem)
        )
    if sig.kind in ("empty", "blank"):
        head = "the file is empty (0 bytes)" if sig.kind == "empty" else f"the file is blank ({sig.evidence})"
        return f"{name}: {head}: it holds no table. " + FIXES[sig.kind]
    fix_kind = _FIX_OF.get(sig.kind, sig.kind)
    to = _STAT_KINDS.get(sig.kind, ending)
    if sig.kind in _STAT_KINDS:
        fix_kind = "statistical_import" if importing else "statistical"
    fix = FIXES.get(fix_kind, FIXES["binary"])
    encoding = sig.what.split(" ", 1)[0].lower()
    ends = f"although its name ends in {path.suffix}" if path.suffix else "whatever its name"
    return f"{name}: this is {sig.what}, not {what}, {ends} (its signature: {sig.evidence}). " + fix.format(
        name=name, stem=stem, to=to, encoding=encoding
    )


def refuse(path: Path, expected: str, importing: bool = False) -> None:
    """Raise :class:`~analysis.exceptions.DataFileError` with :func:`problem`'s message, if there is one."""
    from ..exceptions import DataFileError

    refused = problem(path, head_of(path), expected, importing)
    if refused:
        raise DataFileError(refused)


def head_of(path: Path) -> bytes:
    """The first :data:`HEAD` bytes of a file (what :func:`identify` needs, with the path for a ZIP archive)."""
    with Path(path).open("rb") as fh:
        return fh.read(HEAD)


__all__ = [
    "BINARY_SHARE",
    "MIN_BINARY",
    "EXPECTED",
    "FIXES",
    "HEAD",
    "Signature",
    "head_of",
    "identify",
    "problem",
    "refuse",
]
