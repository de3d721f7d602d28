"""The default build gives the committed bytes on every supported Python found here (3.11, 3.12, 3.13; issue 27).

For each supported version with an interpreter on this machine (pyenv's ``~/.pyenv/versions/X.Y.*/bin``,
``/usr/bin``, PATH: :func:`tools.lock.find`), a venv is made from ``requirements.lock`` (every package it
installs must be pinned there, markers applied), the working tree is copied, its run's outputs deleted,
and ``python -m analysis run --force`` rebuilds them in the copy's own folders, as ``make all`` does: every
figure, table and executed notebook must equal the tree's byte for byte. A version with no interpreter here
is skipped, saying where it was looked for; the version running this suite is skipped too, as the suite's
own run covers it (the committed outputs' hashes, a rebuilt notebook, nbval). The summary at the end of
the session lists what each version found (tests/conftest.py).
"""

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from packaging.requirements import Requirement

from analysis import paths, settings

_spec = importlib.util.spec_from_file_location("lock", paths.ROOT / "tools" / "lock.py")
lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lock)

OUTPUT_DIRS = ("figures", "results", "notebooks/executed")
#: In a venv besides the lock's packages
TOOLS = {"pip", "setuptools", "wheel"}


def _tree_files(root):
    """The working tree's files as git sees them (tracked and untracked, not ignored), relative to ``root``."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    )
    return sorted({f for f in out.stdout.decode().split("\0") if f and (root / f).is_file()})


def _output_hashes(root):
    """SHA-256 of every output file under figures/, results/, notebooks/executed/ (not the per-run manifest, logs,
    staging or checkpoint folders)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for sub in OUTPUT_DIRS
        for p in sorted((root / sub).rglob("*"))
        if p.is_file()
        and p.name != "run_manifest.json"
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def _run_outputs(root):
    """Every file the default run writes: the executed notebooks and the outputs each records."""
    written = []
    for nb in sorted((root / "notebooks" / "executed").glob("*.ipynb")):
        written += [nb.relative_to(root).as_posix(), *json.loads(nb.read_text())["metadata"]["compendium"]["outputs"]]
    return written


def _unpinned(venv_python, minor):
    """Packages the venv holds at a version the lock does not give for Python ``minor``."""
    pins = {}
    for line in (paths.ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"python_version": minor}):
                pins[lock.canonical(req.name)] = str(req.specifier).removeprefix("==")
    out = subprocess.run(
        [venv_python, "-m", "pip", "list", "--format=json", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    )
    installed = {lock.canonical(p["name"]): p["version"] for p in json.loads(out.stdout)}
    return {n: v for n, v in installed.items() if n not in TOOLS and pins.get(n) != v}


@pytest.mark.slow
@pytest.mark.parametrize("minor", lock.SUPPORTED)
def test_the_default_build_is_byte_identical_on_every_supported_python(minor, tmp_path, record_property):
    found = lock.find(minor)
    suite = "{}.{}".format(*sys.version_info[:2])
    if found is None:
        reason = f"Python {minor}: no interpreter here (looked in {', '.join(lock.find_places(minor))})"
    elif minor == suite:
        reason = f"Python {minor}: {sys.version.split()[0]} runs this suite, so its own run covers it"
    else:
        reason = None
    if reason:
        record_property("interpreter", f"skipped: {reason}")
        pytest.skip(reason)
    full, python = found
    start = time.monotonic()
    tree, venv = tmp_path / "tree", tmp_path / "venv"
    for f in _tree_files(paths.ROOT):
        (tree / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.ROOT / f, tree / f)
    committed = _output_hashes(paths.ROOT)
    assert len(committed) > 100
    for f in _run_outputs(tree):
        (tree / f).unlink()

    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # --no-compile: the build compiles the modules it imports; pip would compile all of them (~20 s)
    install = subprocess.run(
        [*pip, "--no-compile", "-c", "requirements.lock", "-e", "."], cwd=tree, capture_output=True, text=True
    )
    assert install.returncode == 0, f"requirements.lock does not install on Python {full}:\n{install.stderr}"
    installed = time.monotonic()
    unpinned = _unpinned(str(venv / "bin" / "python"), minor)
    assert not unpinned, f"installed on Python {full} at a version requirements.lock does not pin: {unpinned}"

    drop = {*settings.VARIABLES.values(), "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    run = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "analysis", "run", "--force"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    rebuilt = _output_hashes(tree)
    shutil.rmtree(venv)  # ~0.5 GB
    differ = sorted(f for f in committed.keys() | rebuilt.keys() if committed.get(f) != rebuilt.get(f))
    done = time.monotonic()
    record_property(
        "interpreter",
        f"Python {full} ({python}): venv from the lock {installed - start:.0f} s, build {done - installed:.0f} s, "
        f"{len(committed) - len(differ)} of the {len(committed)} files of {', '.join(OUTPUT_DIRS)} byte-identical",
    )
    assert not differ, f"Python {full}: {len(differ)} outputs differ from the committed ones: {differ}"
