"""A YAML file's text (a mapping, a provenance note), checked before YAML reads it.

PyYAML refuses a control character by its offset in the stream and a file that is not UTF-8 with a
decoding traceback's words; a workbook or a binary file saved under the YAML name gives a message
about "special characters". Here each is one sentence with where and the fix, and the text handed to
YAML is exactly the file's (a UTF-8 byte-order mark dropped).
"""

from __future__ import annotations

from pathlib import Path

from ..exceptions import DataFileError
from . import control_bytes
from .signatures import identify


def read_yaml_text(path: Path, what: str) -> str:
    """A YAML file's text, refused whole (:class:`DataFileError`) when it is no text to read as YAML.

    Empty of content is left to the caller. Refused: a file that is another format (a workbook, a
    binary file, :mod:`analysis.data.signatures`), is not UTF-8, or holds a control character (named
    with its line and column, :mod:`analysis.data.control_bytes`: YAML refuses it too, by offset).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"{path}: the {what} file cannot be read ({exc}).") from exc
    sig = identify(data, path)
    if sig is not None and sig.kind not in ("empty", "blank"):
        raise DataFileError(
            f"{path}: this is {sig.what}, not a YAML {what} file (its signature: {sig.evidence}). Fix: give the "
            f"{what} file itself, plain text saved as UTF-8."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataFileError(
            f"{path}: the {what} file is not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line}). Fix: save it "
            f"again as UTF-8 (in a text editor: Save As → Encoding UTF-8)."
        ) from None
    if control_bytes.CONTROL.search(text):
        hits = control_bytes.text_hits(text)
        raise DataFileError(control_bytes.message(path.name, hits, control_bytes.count(text), f" (a YAML {what} file)"))
    return text


__all__ = ["read_yaml_text"]
