"""The build: committed outputs current, byte-identical rebuilds, caching, and safety against interruption."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from analysis import paths, settings
from analysis.data import inputs
from analysis.pipeline import orchestrate, provenance


def _hashes(root, subdirs=("figures", "results", "notebooks")):
    out = {}
    for sub in subdirs:
        for p in sorted((root / sub).glob("*")) if (root / sub).is_dir() else []:
            if p.is_file() and p.name != provenance.MANIFEST:
                out[f"{sub}/{p.name}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _run(*args, **kw):
    env = {k: v for k, v in os.environ.items() if k != settings.VARIABLES["output_root"]}
    return subprocess.run(
        [sys.executable, "-m", "analysis", "run", *args], capture_output=True, text=True, env=env, cwd=paths.ROOT, **kw
    )


def _processes_writing_under(root) -> list[int]:
    """PIDs of live processes whose output root (COMPENDIUM_OUTPUT_ROOT) lies under ``root`` (Linux /proc)."""
    marker = f"{settings.VARIABLES['output_root']}={root}".encode()
    pids = []
    for proc in os.listdir("/proc"):
        if not proc.isdigit():
            continue
        try:
            with open(f"/proc/{proc}/environ", "rb") as f:
                env = f.read()
            with open(f"/proc/{proc}/stat", "rb") as f:
                zombie = f.read().rsplit(b")", 1)[1].split()[0] == b"Z"
        except OSError:
            continue
        if not zombie and any(v.startswith(marker) for v in env.split(b"\0")):
            pids.append(int(proc))
    return pids


def test_committed_notebooks_and_outputs_are_current():
    """A change to analysis/, a notebook, the data, the registry or the lock file without re-executing fails here."""
    for source in orchestrate.notebook_sources():
        executed = paths.EXECUTED / f"{source.stem}.ipynb"
        assert executed.exists(), f"{executed.name} missing: run `make all`"
        meta = json.loads(executed.read_text())["metadata"].get("compendium", {})
        key = provenance.input_hash(source, inputs.digest(inputs.resolve("")), {})
        assert meta.get("input_hash") == key, (
            f"{executed.name} is stale (its inputs changed since it was executed): run `make all` "
            f"(python -m analysis run) and commit notebooks/executed/, figures/ and results/"
        )
        for rel, sha in meta["outputs"].items():
            assert hashlib.sha256((paths.ROOT / rel).read_bytes()).hexdigest() == sha, (
                f"{rel} differs from what {executed.name} wrote: run `make all`"
            )


def test_input_hash_changes_with_parameters_and_data(tmp_path):
    src = orchestrate.notebook_sources()[0]
    default, fixture = (inputs.digest(inputs.resolve(p)) for p in ("", paths.FIXTURE))
    base = provenance.input_hash(src, default, {})
    assert provenance.input_hash(src, default, {"n": 1}) != base
    assert provenance.input_hash(src, fixture, {}) != base
    assert provenance.input_hash(src, default, {}) == base


@pytest.mark.slow
def test_two_builds_are_byte_identical_and_a_rerun_is_cached(tmp_path):
    out = tmp_path / "a"
    args = ["--data", str(paths.DEFAULT_DATA), "--only", "02_safety", "03_response", "--output-dir", str(out)]
    assert _run(*args).returncode == 0
    first = _hashes(out)
    assert _run(*args, "--force").returncode == 0  # a second, full build over the first
    assert _hashes(out) == first and len(first) > 20
    again = _run(*args)
    assert again.returncode == 0 and again.stdout.count("unchanged (cached)") == 2
    manifest = json.loads((out / "results" / provenance.MANIFEST).read_text())
    assert {n["status"] for n in manifest["notebooks"]} == {"cached"} and manifest["packages"]["pandas"]


@pytest.mark.slow
def test_rebuilt_figures_and_tables_equal_the_committed_ones(tmp_path):
    """A fresh build of the safety notebook reproduces the committed files byte for byte."""
    out = tmp_path / "o"
    assert _run("--data", str(paths.DEFAULT_DATA), "--only", "02_safety", "--output-dir", str(out)).returncode == 0
    fresh = _hashes(out, ("figures", "results"))
    committed = {k: hashlib.sha256((paths.ROOT / k).read_bytes()).hexdigest() for k in fresh}
    assert fresh == committed


@pytest.mark.slow
def test_outputs_do_not_depend_on_the_launching_environment(tmp_path):
    """An empty environment (``env -i``) and a hostile one give byte-identical notebooks, figures and tables."""
    out = tmp_path / "run"
    args = [
        sys.executable,
        "-m",
        "analysis",
        "run",
        "--only",
        "02_safety",
        "04_survival",
        "--force",
        "--data",
        str(paths.DEFAULT_DATA),
        "--output-dir",
        str(out),
    ]
    bare = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    hostile = {
        **bare,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONHASHSEED": "123",
        "TZ": "Pacific/Chatham",
        "LC_ALL": "C",
        "LANG": "C",
        "OMP_NUM_THREADS": "2",
        "OPENBLAS_NUM_THREADS": "2",
        "SOURCE_DATE_EPOCH": "1700000000",
    }
    first = subprocess.run(args, env=bare, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Kernel is running over TCP" not in first.stdout + first.stderr  # kernel chatter goes to .logs/
    a = _hashes(out, ("figures", "results", "notebooks"))
    second = subprocess.run(args, env=hostile, capture_output=True, text=True, cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _hashes(out, ("figures", "results", "notebooks")) == a and len(a) > 20


@pytest.mark.slow
def test_killing_a_run_midway_leaves_previous_outputs_intact(tmp_path):
    """SIGKILL to the whole run (runner, workers, kernels) once notebooks have started writing."""
    import nbformat
    import pandas as pd

    out = tmp_path / "o"
    args = ["--data", str(paths.DEFAULT_DATA), "--only", "02_safety", "03_response", "--output-dir", str(out)]
    assert _run(*args).returncode == 0
    before = _hashes(out)
    env = {k: v for k, v in os.environ.items() if k != settings.VARIABLES["output_root"]}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", *args, "--force"],
        cwd=paths.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    # midway = a notebook has written into its staging folder, and not yet moved its outputs into place
    while not any(p.is_file() for p in out.glob(".staging-*/*/*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(out.glob(".staging-*")), "the run was not caught midway"
    assert _hashes(out) == before  # every previous output, byte for byte
    # Kernels run in their own session (jupyter_client), so the kill does not reach them; each one
    # polls its parent and exits once it has gone. Until then it may still write into its staging folder.
    deadline = time.monotonic() + 30
    while _processes_writing_under(out) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _processes_writing_under(out), "a kernel outlived the killed run"
    assert _hashes(out) == before
    for nb in (out / "notebooks").glob("*.ipynb"):
        nbformat.validate(nbformat.read(nb, as_version=4))
    for csv in (out / "results").glob("*.csv"):
        pd.read_csv(csv)
    assert _run(*args).returncode == 0 and not list(out.glob(".staging-*"))  # stale staging cleaned up
