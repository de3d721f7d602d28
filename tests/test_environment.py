"""pyproject.toml, requirements.lock and environment.yml name the same packages at the same versions, and
they, the Makefile and tools/lock.py the same supported Pythons (3.11, 3.12, 3.13)."""

import importlib.util
import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from analysis import paths

# pip name -> conda-forge name where they differ
CONDA_NAME = {"matplotlib": "matplotlib-base"}


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _direct():
    meta = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    reqs = meta["dependencies"] + [r for extra in meta["optional-dependencies"].values() for r in extra]
    return {_norm(re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0]) for r in reqs}


def _lock_lines():
    return [line for line in (paths.ROOT / "requirements.lock").read_text().splitlines() if line and line[0] != "#"]


def _lock():
    """``{name: version}`` of every pin (a marker, ``; python_version ...``, left aside)."""
    pins = {}
    for line in _lock_lines():
        name, _, version = line.partition(";")[0].partition("==")
        pins[_norm(name)] = version.strip()
    return pins


def _supported():
    """The minor versions pyproject.toml's requires-python admits, oldest first (3.x only)."""
    spec = SpecifierSet(tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["requires-python"])
    return [f"3.{m}" for m in range(8, 20) if f"3.{m}" in spec]


def _conda():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pins, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip = dep["pip"]
            continue
        name, _, version = dep.partition("==")
        pins[_norm(re.split(r"[<>=!]", name, maxsplit=1)[0])] = version
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


def test_the_supported_pythons_are_the_same_everywhere():
    """requires-python, its classifiers, the Makefile's SUPPORTED and tools/lock.py's: 3.11, 3.12 and 3.13."""
    supported = _supported()
    assert supported == ["3.11", "3.12", "3.13"]
    meta = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    assert [c.rsplit(" :: ", 1)[1] for c in meta["classifiers"] if c.startswith("Programming Language")] == supported
    makefile = (paths.ROOT / "Makefile").read_text()
    assert re.search(r"^SUPPORTED := (.*)$", makefile, re.M).group(1).split() == supported[::-1]  # newest first
    spec = importlib.util.spec_from_file_location("lock", paths.ROOT / "tools" / "lock.py")
    lock = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lock)
    assert list(lock.SUPPORTED) == supported


def test_every_lock_line_is_one_exact_pin_with_at_most_a_python_version_marker():
    """``name==version``, or ``name==version; python_version ...`` naming supported versions only; one pin per
    package on each supported Python."""
    supported = _supported()
    seen = {v: set() for v in supported}
    for line in _lock_lines():
        req = Requirement(line)
        assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", line
        terms = re.findall(r'(\w+) (?:==|!=|<=|>=|<|>) "([^"]*)"', str(req.marker or ""))
        assert all(var == "python_version" and v in supported for var, v in terms), line
        on = [v for v in supported if req.marker is None or req.marker.evaluate({"python_version": v})]
        assert on, f"{line}: on no supported Python"
        for v in on:
            assert _norm(req.name) not in seen[v], f"{req.name} pinned twice for Python {v}"
            seen[v].add(_norm(req.name))


def test_environment_yml_is_the_supported_pythons_on_conda_forge_with_editable_install():
    env, conda, pip = _conda()
    requires = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert "python" + requires.replace(" ", "") in env["dependencies"]  # python>=3.11,<3.14
    assert env["channels"][0] == "conda-forge"
    assert pip == ["-e ."]


def test_lifelines_is_held_below_pandas_3():
    assert _lock()["pandas"].startswith("2.")
