"""The stage contract of ``pyproject.toml`` (import-linter): kept by the code, and able to fail.

The second half copies the package and its contract to a temporary folder, adds one module per rule
that breaks it (six upward or forbidden imports), and checks that one ``lint-imports`` run refuses
both contracts and names every offending import — so a contract that silently checks nothing, or
misses one kind of violation, fails here.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from analysis import paths

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    # lint-imports finds the package on sys.path: run it from the folder that holds analysis/
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
    )


def test_the_package_keeps_its_stage_contract():
    result = _lint(paths.ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_every_stage_is_a_package_and_the_top_level_holds_only_cross_cutting_modules():
    top = sorted(p.name for p in (paths.ROOT / "analysis").iterdir() if p.name != "__pycache__")
    assert top == [
        "__init__.py",
        "__main__.py",
        "atomic.py",
        "cli",
        "data",
        "exceptions.py",
        "notebook.py",
        "paper",
        "paths.py",
        "pipeline",
        "render",
        "settings.py",
        "stats",
        "study",
    ]


VIOLATIONS = [
    ("stats/upward.py", "from ..study import safety\n", "analysis.stats.upward -> analysis.study.safety"),
    ("stats/project.py", "from .. import paths\n", "analysis.stats.project -> analysis.paths"),
    ("data/upward.py", "from ..stats import km\n", "analysis.data.upward -> analysis.stats.km"),
    ("render/upward.py", "from ..paper import claims\n", "analysis.render.upward -> analysis.paper.claims"),
    ("paper/upward.py", "from ..study import table1\n", "analysis.paper.upward -> analysis.study.table1"),
    (
        "study/upward.py",
        "from ..pipeline import orchestrate\n",
        "analysis.study.upward -> analysis.pipeline.orchestrate",
    ),
    ("stats/settled.py", "from .. import settings\n", "analysis.stats.settled -> analysis.settings"),
    ("settings_upward.py", "from . import paths\n", "analysis.settings -> analysis.paths"),
    ("data/onboarding.py", "from .intake import mapping\n", "analysis.data.onboarding -> analysis.data.intake.mapping"),
]


def test_every_upward_import_breaks_the_contract(tmp_path):
    # one copy of the package holding every violation, one lint-imports run: each is named
    shutil.copytree(paths.ROOT / "analysis", tmp_path / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(paths.ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for module, source, _ in VIOLATIONS:
        if module == "settings_upward.py":  # settings is the bottom layer: make it import upwards
            target = tmp_path / "analysis" / "settings.py"
            target.write_text(source + target.read_text())
        else:
            (tmp_path / "analysis" / module).write_text(source)
    # the route's modules are listed in the intake contract: the new one must be too for it to be checked
    toml = tmp_path / "pyproject.toml"
    toml.write_text(
        toml.read_text().replace(
            'source_modules = ["analysis.data.bookkeeping",',
            'source_modules = ["analysis.data.onboarding", "analysis.data.bookkeeping",',
        )
    )
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout
    assert "0 kept, 3 broken" in result.stdout, result.stdout
    missing = [broken for _, _, broken in VIOLATIONS if broken not in result.stdout]
    assert missing == [], result.stdout


def test_the_intake_contract_names_every_module_of_the_input_pipeline():
    # the contract lists the route's modules (a forbidden contract on analysis.data would include intake
    # itself): a new module of analysis/data/ must join the list, or it would escape the check
    import tomllib

    contracts = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    (intake,) = [c for c in contracts if c["id"] == "intake-above-the-route"]
    route = {f"analysis.data.{p.stem}" for p in (paths.ROOT / "analysis" / "data").glob("*.py") if p.stem != "__init__"}
    assert set(intake["source_modules"]) == route
