"""What every command shares: exit codes, shell paths, the reminder that real data stay out of git."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def shell_path(text: str) -> Path:
    """A path typed on the command line: relative to the shell's folder (not the project's), ``~`` expanded."""
    return Path(text).expanduser().resolve()


def warn_if_tracked(out: Path, synthetic: bool = False) -> None:
    """Real data belong under data/private/ (git-ignored); say so when an output lands elsewhere in the repo."""
    from .. import paths

    inside = out.is_relative_to(paths.ROOT) and not out.is_relative_to(paths.PRIVATE)
    if inside and not synthetic:
        print(
            f"note: {out.relative_to(paths.ROOT)} is inside the repository but not under data/private/ "
            f"(git-ignored): keep real patient data out of git.",
            file=sys.stderr,
        )


def write_or_print(text: str, out: str | None) -> None:
    """``text`` to the file ``out`` (atomically, then "wrote …"), or to standard output."""
    if out:
        from ..atomic import write_text

        print(f"wrote {write_text(shell_path(out), text)}")
    else:
        sys.stdout.write(text)


__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "shell_path", "warn_if_tracked", "write_or_print"]
