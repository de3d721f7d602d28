"""``make lock``: one ``requirements.lock`` for every supported Python (3.11, 3.12 and 3.13).

The newest versions ``pyproject.toml`` allows are resolved under the oldest supported interpreter
(the base); the same project is then resolved under each newer one with the base as constraints,
so every package common to the versions has one version, and a base version that does not install
on a newer Python (no wheel, no build) stops here with pip's error. The packages only some versions
install (dependencies behind a ``python_version`` marker: papermill's aiohttp on 3.12, libcst's
pyyaml-ft on 3.13, dask's importlib-metadata below 3.12) are pinned with a marker. Each resolution is
``pip install --dry-run --report`` in a throw-away venv: nothing is installed, no interpreter changed.

    python tools/lock.py [--keep] [PYTHON ...]     # one per supported version; default: find() each

``--keep``: the base keeps the versions of the current lock (only the markers are re-derived).
:func:`find` is also the interpreter search of ``tests/test_interpreters.py``.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
#: Oldest first; pyproject.toml's requires-python, the Makefile's SUPPORTED and environment.yml say the same
#: (tests/test_environment.py).
SUPPORTED = ("3.11", "3.12", "3.13")
EXTRAS = "test,mutation"
HEADER = """\
# Exact versions of every package the compendium runs with, on Python 3.11, 3.12 and 3.13: one lock,
# resolved under 3.11, then under 3.12 and 3.13 with the 3.11 pins as constraints (tools/lock.py). A package
# only some versions install carries a marker: `; python_version ...` (pip applies the lines that match).
# Used as pip constraints by the Makefile: pip install -c requirements.lock -e '.[test]'.
# Regenerate: make lock  (then update environment.yml; tests/test_environment.py checks they agree).
"""
PROJECT = "debulking-bsab-compendium"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_of(python: str) -> tuple[str, str, str] | None:
    """``(X.Y, X.Y.Z, sys.executable)`` of an interpreter, or None when it does not run (a pyenv shim of a
    version not selected, a broken link)."""
    code = "import sys; print('%d.%d' % sys.version_info[:2], '%d.%d.%d' % sys.version_info[:3], sys.executable)"
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0 or len(out.stdout.split(maxsplit=2)) != 3:
        return None
    minor, full, executable = out.stdout.strip().split(maxsplit=2)
    return minor, full, executable


def find_places(minor: str) -> list[str]:
    """Where :func:`find` looks for Python ``minor``, in order."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    return [str(pyenv / f"{minor}.*" / "bin"), "/usr/bin", "PATH"]


def find(minor: str) -> tuple[str, str] | None:
    """``(X.Y.Z, path)`` of the first interpreter of Python ``minor`` (e.g. "3.12") that runs, or None: pyenv's
    (``~/.pyenv/versions/<minor>.*/bin``, newest patch first), then ``/usr/bin``'s, then PATH's."""
    pyenv_bin = find_places(minor)[0]
    pyenv = sorted(
        glob.glob(os.path.join(pyenv_bin, f"python{minor}")),
        key=lambda p: [int(x) if x.isdigit() else -1 for x in Path(p).parts[-3].split(".")],
        reverse=True,
    )
    for candidate in filter(None, [*pyenv, f"/usr/bin/python{minor}", shutil.which(f"python{minor}")]):
        info = version_of(candidate)
        if info and info[0] == minor:
            return info[1], candidate
    return None


def resolve(python: str, constraints: Path | None) -> dict[str, str]:
    """``{name: version}`` pip would install for ``-e .[test,mutation]`` under ``python`` (project left out)."""
    with tempfile.TemporaryDirectory(prefix="lock-") as tmp:
        venv, report = Path(tmp) / "venv", Path(tmp) / "report.json"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        cmd = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        cmd += ["--dry-run", "--ignore-installed", "--report", str(report), "-e", f"{ROOT}[{EXTRAS}]"]
        subprocess.run([*cmd, *(["-c", str(constraints)] if constraints else [])], check=True)
        installs = json.loads(report.read_text())["install"]
    pins = {i["metadata"]["name"]: i["metadata"]["version"] for i in installs}
    return {name: v for name, v in pins.items() if canonical(name) != PROJECT}


def marker(versions: set[str], supported: tuple[str, ...]) -> str:
    """The ``python_version`` marker true on exactly ``versions`` of ``supported`` ("" for all of them).

    >>> marker({"3.12"}, SUPPORTED), marker({"3.11"}, SUPPORTED), marker({"3.12", "3.13"}, SUPPORTED)
    ('; python_version == "3.12"', '; python_version < "3.12"', '; python_version >= "3.12"')
    >>> marker({"3.11", "3.13"}, SUPPORTED)
    '; python_version == "3.11" or python_version == "3.13"'

    """
    idx = sorted(supported.index(v) for v in versions)
    contiguous = idx == list(range(idx[0], idx[-1] + 1))
    if len(idx) == len(supported):
        return ""
    if contiguous and idx[0] == 0:
        return f'; python_version < "{supported[idx[-1] + 1]}"'
    if contiguous and idx[-1] == len(supported) - 1:
        return f'; python_version >= "{supported[idx[0]]}"'
    if len(idx) == 1:
        return f'; python_version == "{supported[idx[0]]}"'
    return "; " + " or ".join(f'python_version == "{supported[i]}"' for i in idx)


def lock_text(resolutions: dict[str, dict[str, str]]) -> str:
    """The lock file: one line per (package, version), with the marker of the versions that install it."""
    supported = tuple(sorted(resolutions, key=lambda v: tuple(map(int, v.split(".")))))
    where: dict[tuple[str, str], set[str]] = {}
    for minor, pins in resolutions.items():
        for name, version in pins.items():
            where.setdefault((name, version), set()).add(minor)
    lines = [f"{name}=={version}{marker(v, supported)}" for (name, version), v in where.items()]
    return HEADER + "".join(f"{line}\n" for line in sorted(lines, key=str.lower))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the current lock's versions (markers only)")
    parser.add_argument("pythons", nargs="*", help="one interpreter per supported version (default: find())")
    args = parser.parse_args(argv)
    by_minor = {}
    for python in args.pythons or [f[1] for f in map(find, SUPPORTED) if f]:
        info = version_of(python)
        if info is None or info[0] not in SUPPORTED:
            sys.exit(f"{python}: not a supported Python ({', '.join(SUPPORTED)})")
        by_minor[info[0]] = python
    if set(by_minor) != set(SUPPORTED):
        missing = ", ".join(v for v in SUPPORTED if v not in by_minor)
        sys.exit(f"the lock is resolved on every supported Python: missing {missing} (pass its interpreter)")
    base, *newer = SUPPORTED
    resolutions = {base: resolve(by_minor[base], LOCK if args.keep else None)}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="lock-base-") as f:
        f.write("".join(f"{n}=={v}\n" for n, v in resolutions[base].items()))
        f.flush()
        for minor in newer:
            print(f"resolving under Python {minor} with the {base} pins as constraints", file=sys.stderr)
            resolutions[minor] = resolve(by_minor[minor], Path(f.name))
    LOCK.write_text(lock_text(resolutions))
    print(f"wrote {LOCK.name}: {sum(1 for _ in LOCK.open()) - HEADER.count(chr(10))} pins", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
