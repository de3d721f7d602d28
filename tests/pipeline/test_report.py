"""The HTML report (analysis.pipeline.report), built from the committed outputs of the default run.

* every figure and table of ``figures/`` and ``results/`` is listed once, linked to
  the notebook cell that wrote it (recorded at execution time, not guessed);
* every local link and image of every page resolves, fragments included, and no
  page loads anything from the network;
* a failed build leaves the previous report in place;
* in a real headless browser (Debian's chromium, driven by Playwright): the index
  opens, its links are followed, no image or link is broken; a screenshot is
  kept in ``artifacts/report-index.png``.
"""

import json
import threading
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from analysis import paths
from analysis.pipeline import report
from analysis.pipeline.provenance import cells_that_wrote as _cells_that_wrote


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report"
    index = report.build(out=out)
    return index.parent


@pytest.fixture(scope="module")
def outputs():
    return report.catalogue(paths.ROOT, report.load_notebooks(paths.EXECUTED))


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.ids, self.remote = [], set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            value = a.get(key)
            if not value or value.startswith(("data:", "mailto:")):
                continue
            if urlsplit(value).scheme in ("http", "https"):
                if tag in ("script", "link", "img", "iframe"):
                    self.remote.append(value)  # would be fetched: the site must work offline
                continue  # plain links to the web (none expected) are not followed
            self.refs.append((tag, value))


def _parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_every_output_file_is_listed_once(outputs):
    listed = [f for files in outputs["files"] for f in files]
    assert len(listed) == len(set(listed))
    on_disk = {
        f"{sub}/{p.name}"
        for sub in ("figures", "results")
        for p in (paths.ROOT / sub).iterdir()
        if p.is_file() and p.suffix[1:] in report.FIGURE_FORMATS + report.TABLE_FORMATS
    }
    assert set(listed) == on_disk


def test_every_output_is_traced_to_the_cell_that_wrote_it(outputs):
    notebooks = {nb.name: nb for nb in report.load_notebooks(paths.EXECUTED)}
    for _, row in outputs.iterrows():
        if row["name"] in report.COMMANDS:
            assert row["made_by"] and not row["notebook"]
            continue
        nb = notebooks[row["notebook"]]
        cell = next(c for c in nb.nb["cells"] if c["id"] == row["cell"])
        assert cell["cell_type"] == "code", row["name"]
        assert row["section"], row["name"]
    # spot checks against the notebook sources: the call that names the output is in that cell
    by_name = outputs.set_index("name")
    for name, call in (("fig1c_pfs", "km_panel"), ("table1", "export_table"), ("sensitivity_forest", "save_figure")):
        nb = notebooks[by_name.loc[name, "notebook"]]
        src = "".join(next(c for c in nb.nb["cells"] if c["id"] == by_name.loc[name, "cell"])["source"])
        assert call in src, (name, src[:200])


def test_figures_and_tables_are_grouped_by_kind_in_notebook_order(outputs):
    assert list(outputs["kind"].unique()) == ["figure", "table"]
    assert outputs.loc[outputs["name"] == "table1", "notebook"].item() == "01_cohort"
    assert outputs.loc[outputs["name"] == "fit_report", "made_by"].item().startswith("python -m analysis fit-report")


def test_every_local_link_image_and_fragment_resolves_offline(site):
    pages = sorted(site.rglob("*.html"))
    assert {p.relative_to(site).as_posix() for p in pages} >= {"index.html", "notebooks/04_survival.html"}
    ids = {}
    checked = 0
    for page in pages:
        if page.parent.name == "results":
            continue  # exported tables (results/*.html) are plain tables
        refs = _parse(page)
        assert not refs.remote, f"{page.name} loads from the network: {refs.remote[:3]}"
        for tag, ref in refs.refs:
            parts = urlsplit(ref)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(site)}: broken {tag} {ref}"
            if parts.fragment:
                if target not in ids:
                    ids[target] = _parse(target).ids
                # HTML looks the fragment up as written, then percent-decoded (nbconvert's heading ids are encoded)
                assert {parts.fragment, unquote(parts.fragment)} & ids[target], (
                    f"{page.relative_to(site)}: no #{parts.fragment}"
                )
            checked += 1
    assert checked > 200


def test_index_states_the_data_and_the_published_vs_reproduced_summary(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in text
    assert "comparable published numbers" in text and "results/fit_report.md" in text
    assert text.count("<figure") == len(list((paths.FIGURES).glob("*.png")))


def test_notebook_pages_show_the_figures_their_cells_wrote(site):
    page = (site / "notebooks" / "04_survival.html").read_text(encoding="utf-8")
    assert 'src="../figures/fig1c_pfs.png"' in page
    assert "Wrote:" in page


def test_a_failed_build_leaves_the_previous_report(tmp_path, monkeypatch):
    out = tmp_path / "report"
    report.build(out=out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(report, "render_index", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        report.build(out=out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".staging-*"))


def test_no_executed_notebooks_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m analysis run"):
        report.build(root=tmp_path, out=tmp_path / "r")


def test_cells_that_wrote_matches_write_times_with_cell_spans(tmp_path):
    import nbformat

    staging = tmp_path / "stage"
    (staging / "figures").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("a"), nbformat.v4.new_code_cell("b")]
    nb.cells[1].metadata["papermill"] = {
        "start_time": "2026-01-01T00:00:00+00:00",
        "end_time": "2026-01-01T00:00:01+00:00",
    }
    nb.cells[2].metadata["papermill"] = {
        "start_time": "2026-01-01T00:00:01.5+00:00",
        "end_time": "2026-01-01T00:00:03+00:00",
    }
    t0 = 1767225600.0  # 2026-01-01T00:00:00Z
    log = tmp_path / "w.jsonl"
    log.write_text(
        "".join(
            json.dumps(e) + "\n"
            for e in [
                {"path": str(staging / "figures" / "x.png"), "time": t0 + 0.5},
                {"path": str(staging / "results" / "y.csv"), "time": t0 + 2.0},
                {"path": str(tmp_path / "elsewhere.csv"), "time": t0 + 2.0},
            ]
        )
    )
    assert _cells_that_wrote(nb, log, staging) == {"figures/x.png": "cell-1", "results/y.csv": "cell-2"}


# --- in a real browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site):
    handler = partial(type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}), directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.slow
def test_report_in_headless_chromium(served, chromium, artifacts):
    from playwright.sync_api import sync_playwright

    broken: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(**chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("requestfailed", lambda r: broken.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and broken.append(f"HTTP {r.status}: {r.url}"))

        def check_page(url: str) -> list[str]:
            page.goto(url, wait_until="load")
            bad = page.eval_on_selector_all(
                "img", "els => els.filter(e => !(e.complete && e.naturalWidth > 0)).map(e => e.src)"
            )
            broken.extend(f"broken image on {url}: {src}" for src in bad)
            return page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")

        index = served + "index.html"
        links = check_page(index)
        assert page.title().startswith("Compendium report")
        assert page.locator("figure img").count() == len(list(paths.FIGURES.glob("*.png")))
        page.screenshot(path=str(artifacts / "report-index.png"), full_page=True)

        # a real click: a figure's "made in" link lands on the cell that wrote it, in view
        first = page.locator("a.made").first
        target = first.get_attribute("href")
        first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(target)
        cell = page.locator(f'[id="{unquote(target.split("#", 1)[1])}"]')
        assert cell.count() == 1 and cell.is_visible()

        seen, html_pages, files = set(), [], []
        for link in links:
            url = urljoin(index, link).split("#", 1)[0]
            if not url.startswith(served) or url in seen:
                continue
            seen.add(url)
            (html_pages if url.endswith(".html") and "/results/" not in url else files).append(link)
        for url in html_pages:  # the notebook pages
            for link in check_page(url):
                if link.startswith(served) and link.split("#", 1)[0] not in seen:
                    seen.add(link.split("#", 1)[0])
                    files.append(link)
        for link in links + list(html_pages):  # every fragment names an element
            if "#" in link and link.startswith(served):
                page.goto(link, wait_until="load")
                frag = link.split("#", 1)[1]
                if page.evaluate(
                    "f => !document.getElementById(f) && !document.getElementById(decodeURIComponent(f))", frag
                ):
                    broken.append(f"no element #{frag} on {link}")
        for link in files:  # figures and tables themselves
            response = page.request.get(link.split("#", 1)[0])
            if not response.ok:
                broken.append(f"HTTP {response.status}: {link}")
        browser.close()
    assert len(html_pages) == len(list(paths.EXECUTED.glob("*.ipynb")))
    assert len(files) > 100
    assert not broken, "\n".join(broken[:20])
