"""``data/README.md``: its generated section (dictionary and rules) comes from code.

The hand-written prose of the README stays as it is; everything between the
two marker lines is produced by :func:`generated_section` from
:mod:`analysis.data.dictionary`, :data:`analysis.data.validate.RULES`,
:data:`analysis.data.pool.POOL_RULES` and :data:`analysis.data.diagnose.KINDS`.
"""

from __future__ import annotations

from .. import paths
from .diagnose import KINDS
from .dictionary import to_markdown
from .pool import POOL_RULES
from .validate import RULES

README = paths.DATA / "README.md"
BEGIN = "<!-- BEGIN GENERATED: python -m analysis dictionary --write -->"
END = "<!-- END GENERATED -->"


def generated_section() -> str:
    rules = "\n".join(f"| `{name}` | {text} |" for name, text in RULES.items())
    pool = "\n".join(f"| `{name}` | {text} |" for name, text in POOL_RULES.items())
    kinds = "\n".join(f"| `{name}` | {text} |" for name, text in KINDS.items())
    return (
        f"{BEGIN}\n\n### Columns\n\n{to_markdown()}\n### Validation rules\n\n"
        f"| rule | what must hold |\n|---|---|\n{rules}\n\n"
        f"### Across the files of a pool\n\n| rule | what must hold |\n|---|---|\n{pool}\n\n"
        f"### Export mistakes, diagnosed before any cell is checked (one line each, exit 2)\n\n"
        f"| mistake | what the file looks like |\n|---|---|\n{kinds}\n\n{END}\n"
    )


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
