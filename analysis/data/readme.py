"""``data/README.md``: its generated section (dictionary and rules) comes from code.

The hand-written prose of the README stays as it is; everything between the
two marker lines is produced by :func:`generated_section` from
:mod:`analysis.data.dictionary` and :data:`analysis.data.validate.RULES`.
"""
from __future__ import annotations

from .. import paths
from .dictionary import to_markdown
from .validate import RULES

README = paths.DATA / "README.md"
BEGIN = "<!-- BEGIN GENERATED: python -m analysis dictionary --write -->"
END = "<!-- END GENERATED -->"


def generated_section() -> str:
    rules = "\n".join(f"| `{name}` | {text} |" for name, text in RULES.items())
    return (f"{BEGIN}\n\n### Columns\n\n{to_markdown()}\n### Validation rules\n\n"
            f"| rule | what must hold |\n|---|---|\n{rules}\n\n{END}\n")


def _split(text: str) -> tuple[str, str]:
    if BEGIN not in text or END not in text:
        raise ValueError(f"{README} lacks the generated-section markers {BEGIN!r} … {END!r}")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    return head, tail.lstrip("\n")


def write() -> None:
    head, tail = _split(README.read_text(encoding="utf-8"))
    README.write_text(head + generated_section() + ("\n" + tail if tail else ""), encoding="utf-8")


def is_current() -> bool:
    head, tail = _split(README.read_text(encoding="utf-8"))
    return README.read_text(encoding="utf-8") == head + generated_section() + ("\n" + tail if tail else "")
