"""pyproject.toml, requirements.lock and environment.yml name the same packages at the same versions."""

import re
import tomllib

import yaml

from analysis import paths

# pip name -> conda-forge name where they differ
CONDA_NAME = {"matplotlib": "matplotlib-base"}


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _direct():
    meta = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    reqs = meta["dependencies"] + [r for extra in meta["optional-dependencies"].values() for r in extra]
    return {_norm(re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0]) for r in reqs}


def _lock():
    pins = {}
    for line in (paths.ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[_norm(name)] = version.strip()
    return pins


def _conda():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pins, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip = dep["pip"]
            continue
        name, _, version = dep.partition("==")
        pins[_norm(name.split("=")[0])] = version
    return env, pins, pip


def test_every_direct_dependency_is_pinned_in_the_lock_file():
    lock = _lock()
    missing = _direct() - set(lock)
    assert not missing, f"not in requirements.lock: {missing}; run `make lock`"


def test_environment_yml_names_the_same_packages_at_the_locked_versions():
    lock = _lock()
    env, conda, pip = _conda()
    expected = {CONDA_NAME.get(n, n): lock[n] for n in _direct()}
    listed = {n: v for n, v in conda.items() if n not in ("python", "pip")}
    assert listed == expected


def test_environment_yml_is_python_311_on_conda_forge_with_editable_install():
    env, conda, pip = _conda()
    assert "python=3.11" in env["dependencies"]
    assert env["channels"][0] == "conda-forge"
    assert pip == ["-e ."]


def test_lifelines_is_held_below_pandas_3():
    assert _lock()["pandas"].startswith("2.")
