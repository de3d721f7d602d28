"""NUL bytes inside the text values of an SPSS file, found in the file's own bytes.

ReadStat (pyreadstat) drops a NUL inside an SPSS string without a word — a cell stored as ``46<NUL>1.4``
comes back as ``461.4`` — so :mod:`analysis.data.stat_files` cannot see it in what it reads. This module
reads the string cells of a ``.sav``/``.zsav`` itself, as the format is documented (the PSPP manual,
"System File Format": the file header, the variable records, the other dictionary records skipped by
their declared sizes, then the cases — uncompressed, bytecode-compressed, or in zlib blocks of
bytecode), and lists every case and variable whose text holds a NUL before its padding (a value
shorter than its width is padded with spaces, and some writers pad with NULs: trailing padding is
not a NUL *inside* the value).

A file this reader cannot follow (an unknown record type, a truncated case) gives no findings: ReadStat
has read it already, and its own errors are reported there; nothing here ever refuses a file that
the format's rules accept.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

#: Dictionary record types whose sizes the reader knows (PSPP's "System File Format").
_VARIABLE, _VALUE_LABELS, _LABEL_VARIABLES, _DOCUMENT, _EXTENSION, _END = 2, 3, 4, 6, 7, 999
_LONG_NAMES = 13  # extension subtype: "SHORT=long" pairs, tab-separated


class _Unreadable(Exception):
    pass


class _Reader:
    def __init__(self, data: bytes, at: int, endian: str):
        self.data, self.at, self.endian = data, at, endian

    def take(self, n: int) -> bytes:
        if n < 0 or self.at + n > len(self.data):
            raise _Unreadable
        out = self.data[self.at : self.at + n]
        self.at += n
        return out

    def int32(self) -> int:
        return struct.unpack(self.endian + "i", self.take(4))[0]

    def int64(self) -> int:
        return struct.unpack(self.endian + "q", self.take(8))[0]


def _header(data: bytes):
    if len(data) < 176 or data[:4] not in (b"$FL2", b"$FL3"):
        raise _Unreadable
    endian = "<" if struct.unpack("<i", data[64:68])[0] in (2, 3) else ">"
    compression, ncases = struct.unpack(endian + "i", data[72:76])[0], struct.unpack(endian + "i", data[80:84])[0]
    return endian, compression, ncases


def _dictionary(r: _Reader) -> list[tuple[bool, str]]:
    """(is a string element, variable name) of each 8-byte element of a case, in order; the names are the
    long names of extension record 13 where it gives them (the variable records hold 8-byte short names)."""
    elements: list[tuple[bool, str]] = []
    long_names: dict[str, str] = {}
    while True:
        kind = r.int32()
        if kind == _VARIABLE:
            vtype, has_label, n_missing, _, _ = (r.int32() for _ in range(5))
            name = r.take(8).decode("latin-1").rstrip()
            if has_label:
                r.take((r.int32() + 3) // 4 * 4)
            r.take(8 * abs(n_missing))
            if vtype == -1:  # continuation of the previous string variable
                if not elements:
                    raise _Unreadable
                elements.append((True, elements[-1][1]))
            else:
                elements.append((vtype > 0, name))
        elif kind == _VALUE_LABELS:
            for _ in range(r.int32()):
                r.take(8)
                size = r.take(1)[0]
                r.take((size + 1 + 7) // 8 * 8 - 1)
        elif kind == _LABEL_VARIABLES:
            r.take(4 * r.int32())
        elif kind == _DOCUMENT:
            r.take(80 * r.int32())
        elif kind == _EXTENSION:
            subtype = r.int32()
            size, count = r.int32(), r.int32()
            block = r.take(size * count)
            if subtype == _LONG_NAMES:
                pairs = (p.split(b"=", 1) for p in block.split(b"\t") if b"=" in p)
                long_names.update((a.decode("latin-1"), b.decode("utf-8", "replace")) for a, b in pairs)
        elif kind == _END:
            r.int32()
            return [(is_text, long_names.get(name, name)) for is_text, name in elements]
        else:
            raise _Unreadable


def _uncompressed(body: bytes, width: int):
    for case in range(len(body) // (8 * width)):
        start = case * 8 * width
        yield [body[start + 8 * k : start + 8 * k + 8] for k in range(width)]


def _bytecode(body: bytes, width: int, bias: float = 100.0):
    """The cases of bytecode-compressed data: each element's 8 bytes (strings only matter here)."""
    at, case = 0, []
    while at + 8 <= len(body):
        codes, at = body[at : at + 8], at + 8
        for code in codes:
            if code == 0:
                continue
            if code == 252:
                return
            if code == 253:
                if at + 8 > len(body):
                    return
                value, at = body[at : at + 8], at + 8
            else:
                value = b" " * 8 if code == 254 else b""  # numbers (1–251, 255) carry no text
            case.append(value)
            if len(case) == width:
                yield case
                case = []


def _zlib_body(data: bytes, r: _Reader) -> bytes:
    start = r.int64() + 24  # zheader: its own offset, the trailer's offset and length
    trailer = r.int64()
    out, rest = [], data[start:trailer]
    while rest:
        d = zlib.decompressobj()
        out.append(d.decompress(rest))
        rest = d.unused_data
    return b"".join(out)


def nul_cells(path: str | Path, limit: int = 10) -> list[tuple[int, str, bytes]]:
    """(case number from 1, variable, the value's bytes) of the first ``limit`` text values holding a NUL
    inside them; ``[]`` when there is none or the file cannot be followed (see the module docstring)."""
    data = Path(path).read_bytes()
    try:
        endian, compression, _ = _header(data)
        r = _Reader(data, 176, endian)
        elements = _dictionary(r)
        if not any(is_text for is_text, _ in elements):
            return []
        if compression == 0:
            cases = _uncompressed(data[r.at :], len(elements))
        elif compression == 1:
            cases = _bytecode(data[r.at :], len(elements))
        elif compression == 2:
            cases = _bytecode(_zlib_body(data, r), len(elements))
        else:
            return []
        found = []
        for number, case in enumerate(cases, 1):
            values: dict[str, bytes] = {}
            for (is_text, name), value in zip(elements, case):
                if is_text:
                    values[name] = values.get(name, b"") + value
            for name, value in values.items():
                if b"\x00" in value.rstrip(b" \x00"):
                    found.append((number, name, value.rstrip(b" \x00")))
                    if len(found) >= limit:
                        return found
        return found
    except (_Unreadable, struct.error, zlib.error):
        return []


__all__ = ["nul_cells"]
