"""The notebooks as a reader meets them: figures inline, parameters papermill can describe, a real JupyterLab.

* every cell of an executed notebook that calls ``save_figure`` holds an image (nbval does
  not compare images, so this is checked here);
* ``papermill --help-notebook`` gives a type and a help line for every parameter of every
  notebook (sources and executed copies);
* the code cells are calls into ``analysis``: no loop, comprehension, ``try`` or ``def``;
* in JupyterLab, served on localhost and opened in Debian's chromium through Playwright,
  ``notebooks/executed/04_survival.ipynb`` shows its Kaplan–Meier images, and the Jupytext
  source ``notebooks/04_survival.py`` opens as a notebook with its headings; screenshots in
  ``artifacts/``.
"""

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline import execute, orchestrate
from analysis.settings import VARIABLES

EXECUTED = sorted(paths.EXECUTED.glob("[0-9][0-9]_*.ipynb"))
SOURCES = orchestrate.notebook_sources()


def _code_cells(nb: dict):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", EXECUTED, ids=lambda p: p.stem)
def test_every_figure_cell_shows_its_figure(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    missing = []
    for k, cell in enumerate(_code_cells(nb)):
        source = "".join(cell["source"])
        images = sum("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
        if "save_figure(" in source and images != source.count("save_figure("):
            missing.append(f"code cell {k}: {images} image(s) for {source.count('save_figure(')} save_figure call(s)")
    assert not missing, missing


def test_the_executed_notebooks_hold_every_figure_and_stay_small():
    figures = sum(
        "save_figure(" in "".join(c["source"])
        for p in EXECUTED
        for c in _code_cells(json.loads(p.read_text(encoding="utf-8")))
    )
    assert figures == 20  # 17 of the paper's narrative + rates and the two KM overlays against the paper
    assert all(p.stat().st_size < 3_000_000 for p in EXECUTED), {p.name: p.stat().st_size for p in EXECUTED}


def _inspect(path: Path) -> dict:
    import papermill

    return papermill.inspect_notebook(str(path))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_papermill_describes_every_parameter(source, tmp_path):
    import nbformat

    nb_path = tmp_path / f"{source.stem}.ipynb"
    nbformat.write(execute.to_notebook(source), nb_path)
    for path in (nb_path, paths.EXECUTED / f"{source.stem}.ipynb"):
        params = _inspect(path)
        assert {"data_path", "output_dir"} <= set(params), path
        for name, p in params.items():
            assert p["inferred_type_name"] not in ("None", "", None), f"{path.name}: {name} has no type"
            assert p["help"], f"{path.name}: {name} has no help text"


@pytest.mark.parametrize("path", EXECUTED, ids=lambda p: p.stem)
def test_papermill_help_command_prints_no_unknown_type(path):
    # papermill's own command (its click entry point), in this process: ~2.5 s a process start saved
    from click.testing import CliRunner
    from papermill.cli import papermill

    out = CliRunner().invoke(papermill, ["--help-notebook", str(path)])
    assert out.exit_code == 0, out.output
    assert "Unknown type" not in out.output and "data_path: str" in out.output, out.output
    assert all(f"{name}: " in out.output for name in _inspect(path)), out.output


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_code_cells_are_calls_not_algorithms(source):
    nb = execute.to_notebook(source)
    banned = (
        ast.For,
        ast.While,
        ast.Try,
        ast.FunctionDef,
        ast.ListComp,
        ast.DictComp,
        ast.SetComp,
        ast.GeneratorExp,
        ast.Lambda,
        ast.ClassDef,
        ast.JoinedStr,
    )
    found = []
    for k, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, banned):
                found.append(f"code cell {k}, line {node.lineno}: {type(node).__name__}")
    assert not found, found


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_numbers_are_rounded_by_the_one_half_up_rule(source):
    # DataFrame.round / numpy round rounds half to even on the binary value (0.125 -> 0.12): a notebook
    # rounds what it shows with analysis.render.rounded, the rule of analysis.render.numbers
    nb = execute.to_notebook(source)
    found = [
        f"code cell {k}, line {node.lineno}"
        for k, cell in enumerate(c for c in nb.cells if c.cell_type == "code")
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call)
        and (getattr(node.func, "attr", None) == "round" or getattr(node.func, "id", None) == "round")
    ]
    assert found == []


# --- JupyterLab in a real browser --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``jupyter lab`` on the project, on localhost, without a token; stopped at the end.

    Settings are a copy of ``notebooks/lab-settings/`` (as ``make lab`` uses): Jupytext's notebook
    view is the default for ``.py`` files and autosave is off, so the committed notebooks are never
    rewritten; the user's own JupyterLab settings are not touched.
    """
    settings = tmp_path_factory.mktemp("lab") / "settings"
    shutil.copytree(paths.NOTEBOOKS / "lab-settings", settings)
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path_factory.mktemp("lab-workspaces")),
        "JUPYTER_RUNTIME_DIR": str(tmp_path_factory.mktemp("lab-runtime")),
    }
    env.pop(VARIABLES["output_root"], None)
    log = open(tmp_path_factory.mktemp("lab-log") / "lab.log", "wb")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("jupyter")),
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={paths.ROOT}",
            "--ServerApp.open_browser=False",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2)
                break
            except OSError as exc:
                if proc.poll() is not None:
                    raise RuntimeError(f"jupyter lab exited: see {log.name}") from exc
                time.sleep(0.5)
        else:
            raise RuntimeError(f"jupyter lab did not start in 60 s: see {log.name}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.mark.slow
def test_jupyterlab_shows_the_executed_notebook_figures_and_opens_the_jupytext_source(lab, chromium, artifacts):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(**chromium)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{lab}/lab/tree/notebooks/executed/04_survival.ipynb", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-OutputArea-output img", timeout=90_000)
        page.wait_for_function(
            """() => {
            const imgs = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output img')];
            return imgs.length >= 7 && imgs.every(i => i.complete && i.naturalWidth > 300);
        }""",
            timeout=60_000,
        )
        assert page.locator(".jp-Notebook .jp-MarkdownOutput h3", has_text="Fig. 1C").count() == 1
        page.locator(".jp-Notebook .jp-OutputArea-output img").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "jupyterlab-04_survival.png"))

        page.goto(f"{lab}/lab/tree/notebooks/04_survival.py", wait_until="domcontentloaded")
        # the executed notebook's tab stays open behind: look only at the visible notebook panel
        source = ".jp-NotebookPanel:visible .jp-MarkdownOutput"
        # rendered as a notebook (markdown cells, not the text editor's "# %% [markdown]" lines);
        # JupyterLab renders cells lazily and one by one, so wait for the first headings themselves
        # (on a slow machine the first h2 can exist before the one named here is rendered)
        try:
            page.locator(f"{source} h1", has_text="04 — Survival").first.wait_for(timeout=90_000)
            page.locator(f"{source} h2", has_text="Follow-up").first.wait_for(timeout=60_000)
        finally:
            page.screenshot(path=str(artifacts / "jupyterlab-04_survival-source.png"))
        assert page.locator(".jp-FileEditor:visible").count() == 0
        browser.close()


def test_the_development_guide_lists_every_parameter_as_papermill_prints_it():
    # the parameter list moved from README.md to docs/development.md (issue 22); the README links to it
    guide = (paths.ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    assert "docs/development.md#notebook-parameters" in (paths.ROOT / "README.md").read_text(encoding="utf-8")
    for path in EXECUTED:
        for name, p in _inspect(path).items():
            assert f"`{name}: {p['inferred_type_name']} (default {p['default']})`" in guide, (path.stem, name)
            assert p["help"] in guide.replace("\n", " "), (path.stem, name, p["help"])
