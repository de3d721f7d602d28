"""The HTML report: executed notebooks and every output of a run, as a small static site.

``python -m analysis report`` (what ``make report`` calls) renders the executed
notebooks of a run with nbconvert and writes an index that lists

* the data statement (SYNTHETIC DATA for the committed cohort) and the notebooks;
* the published-vs-reproduced summary (``results/fit_report.csv``, by section,
  with the full claim list), and links to the cells where each notebook
  compares its own section with the paper;
* every figure (thumbnail, PNG/SVG/PDF) and every table (CSV and the other
  formats written), each linked to the notebook cell that wrote it and named by
  the section it sits in.

Which cell wrote which file comes from ``metadata.compendium.made_by`` of the
executed notebooks, recorded by the runner at execution time
(:mod:`analysis.atomic`, :func:`analysis.pipeline.provenance.cells_that_wrote`): it is not
guessed from the source. Files no notebook wrote (the fit report, written by
``python -m analysis fit-report``) are listed with the command that made them.

The site is self-contained: figures and tables are copied next to the pages,
notebook images are embedded, and the nbconvert template is stripped of the
RequireJS, MathJax and Mermaid scripts it would otherwise load from a CDN (the pages
must open offline, and no notebook here uses LaTeX output). It is written to a
staging folder and swapped into place only when complete. A report made from a
centre's own data holds only what that run wrote — aggregate figures and
tables, and notebooks which show no patient-level rows.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from ..atomic import write_text

#: Default folder of the report of the default run (git-ignored: it is rebuilt from committed outputs).
REPORT_DIR = paths.ROOT / "report"
FIGURE_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("csv", "md", "html", "tex", "xlsx")
#: Outputs written by a command rather than a notebook.
COMMANDS = {"fit_report": "python -m analysis fit-report (analysis.paper.reconcile)"}

# nbconvert's "lab" template, minus the scripts it fetches from a CDN, plus a navigation bar.
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
{{ super() }}
<nav class="compendium-nav" style="padding:0.6em 1em;border-bottom:1px solid #ccc;font-family:sans-serif">
{{ resources.compendium_nav }}
</nav>
{%- endblock body_header -%}
"""


@dataclass(frozen=True)
class Notebook:
    name: str  # e.g. "04_survival"
    title: str  # its first heading
    page: str  # "notebooks/04_survival.html"
    nb: dict  # the executed notebook (plain JSON)
    path: Path  # its .ipynb

    def section_of(self, cell_id: str) -> str:
        """Heading of the last markdown heading at or before ``cell_id``."""
        section = self.title
        for cell in self.nb["cells"]:
            if cell["cell_type"] == "markdown":
                for line in _source(cell).splitlines():
                    if line.startswith("#"):
                        section = line.lstrip("#").strip()
                        break
            if cell.get("id") == cell_id:
                break
        return section

    def cells_calling(self, text: str) -> list[str]:
        return [c["id"] for c in self.nb["cells"] if c["cell_type"] == "code" and text in _source(c)]

    def stdout_of(self, text: str) -> str:
        """Printed output of the first code cell whose source contains ``text``."""
        for cell in self.nb["cells"]:
            if cell["cell_type"] == "code" and text in _source(cell):
                return "".join(
                    "".join(o.get("text", ""))
                    for o in cell.get("outputs", [])
                    if o.get("output_type") == "stream" and o.get("name") == "stdout"
                ).strip()
        return ""


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def anchor(cell_id: str) -> str:
    """Fragment nbconvert gives a cell (``id="cell-id=<id>"`` in the lab template)."""
    return f"cell-id={cell_id}"


def load_notebooks(executed_dir: Path) -> list[Notebook]:
    out = []
    for path in sorted(Path(executed_dir).glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        title = next(
            (
                line.lstrip("#").strip()
                for c in nb["cells"]
                if c["cell_type"] == "markdown"
                for line in _source(c).splitlines()
                if line.startswith("# ")
            ),
            path.stem,
        )
        out.append(Notebook(path.stem, title, f"notebooks/{path.stem}.html", nb, path))
    return out


def catalogue(root: Path, notebooks: list[Notebook]) -> pd.DataFrame:
    """One row per output (a figure or a table, all formats together): what made it and where.

    Columns: ``kind`` (figure/table), ``name``, ``files`` (paths relative to
    ``root``, in format order), ``notebook``, ``cell``, ``section``, ``made_by``
    (a command, for outputs no notebook wrote). Ordered by notebook and cell.
    """
    made: dict[str, tuple[Notebook, str]] = {}
    for nb in notebooks:
        meta = nb.nb.get("metadata", {}).get("compendium", {})
        for rel, cell in meta.get("made_by", {}).items():
            made[rel] = (nb, cell)
        for rel in meta.get("outputs", {}):
            made.setdefault(rel, (nb, ""))
    rows = {}
    for sub, kind, formats in (("figures", "figure", FIGURE_FORMATS), ("results", "table", TABLE_FORMATS)):
        folder = Path(root) / sub
        files = (
            sorted(p for p in folder.glob("*") if p.is_file() and p.suffix[1:] in formats) if folder.is_dir() else []
        )
        for f in files:
            rel = f"{sub}/{f.name}"
            row = rows.setdefault(
                (kind, f.stem),
                {"kind": kind, "name": f.stem, "files": [], "notebook": "", "cell": "", "section": "", "made_by": ""},
            )
            row["files"].append(rel)
            if rel in made and not row["notebook"]:
                nb, cell = made[rel]
                row.update(notebook=nb.name, cell=cell, section=nb.section_of(cell) if cell else nb.title)
    for row in rows.values():
        row["files"].sort(key=formats_order)
        if not row["notebook"]:
            row["made_by"] = COMMANDS.get(row["name"], "not made by a notebook of this run")
    order = {nb.name: i for i, nb in enumerate(notebooks)}
    table = pd.DataFrame(
        list(rows.values()), columns=["kind", "name", "files", "notebook", "cell", "section", "made_by"]
    )
    if table.empty:
        return table
    table["_nb"] = table["notebook"].map(order).fillna(len(order))
    table["_cell"] = table["cell"].str.removeprefix("cell-").replace("", "-1").astype(int)
    return table.sort_values(["kind", "_nb", "_cell", "name"]).drop(columns=["_nb", "_cell"]).reset_index(drop=True)


def formats_order(rel: str) -> int:
    ext = rel.rsplit(".", 1)[-1]
    order = FIGURE_FORMATS + TABLE_FORMATS
    return order.index(ext) if ext in order else len(order)


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _nav(notebooks: list[Notebook], prefix: str) -> str:
    links = [f'<a href="{prefix}index.html">Index</a>']
    links += [f'<a href="{prefix}{nb.page}">{_e(nb.title)}</a>' for nb in notebooks]
    return " · ".join(links)


def html_exporter():
    """nbconvert's HTML exporter with the compendium template (lab, without CDN scripts, with a nav bar)."""
    import jinja2
    from nbconvert import HTMLExporter

    return HTMLExporter(
        extra_loaders=[jinja2.DictLoader({"compendium.html.j2": _TEMPLATE})], template_file="compendium.html.j2"
    )


def render_notebook(nb: Notebook, notebooks: list[Notebook], exporter=None) -> str:
    """HTML of one executed notebook (``exporter``: :func:`html_exporter`, made once per report)."""
    import nbformat

    exporter = exporter or html_exporter()
    node = nbformat.read(nb.path, as_version=4)
    _show_written(node)
    body, _ = exporter.from_notebook_node(node, resources={"compendium_nav": _nav(notebooks, "../")})
    return body


def _show_written(node) -> None:
    """Below each cell that wrote files: its figures (the PNG) and links to everything it wrote.

    The notebooks save figures rather than display them (executed notebooks stay
    small and their bytes independent of image rendering), so the report shows
    them where they were made. Paths are relative to ``notebooks/<page>.html``.
    """
    import nbformat

    by_cell: dict[str, list[str]] = {}
    for rel, cell in node.metadata.get("compendium", {}).get("made_by", {}).items():
        by_cell.setdefault(cell, []).append(rel)
    for cell in node.cells:
        files = sorted(by_cell.get(cell.get("id"), []), key=lambda r: (r.rsplit(".", 1)[0], formats_order(r)))
        if not files:
            continue
        images = "".join(
            f'<figure><img src="../{_e(f)}" alt="{_e(f)}" style="max-width:100%"></figure>'
            for f in files
            if f.endswith(".png")
        )
        links = " · ".join(f'<a href="../{_e(f)}">{_e(f)}</a>' for f in files)
        cell.outputs.append(
            nbformat.v4.new_output(
                "display_data", data={"text/html": f'{images}<p class="compendium-written">Wrote: {links}</p>'}
            )
        )


def _fit_summary(root: Path) -> str:
    path = Path(root) / "results" / "fit_report.csv"
    if not path.exists():
        return "<p>No fit report in this run (<code>python -m analysis fit-report</code> writes it).</p>"
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    status = table["passed"].map({"True": "reproduced", "False": "not reproduced"}).fillna("not compared")
    counts = pd.crosstab(table["section"], status).reindex(
        columns=["reproduced", "not reproduced", "not compared"], fill_value=0
    )
    counts.columns.name = None
    counts.loc["all"] = counts.sum()
    compared = counts.loc["all", "reproduced"] + counts.loc["all", "not reproduced"]
    head = (
        f"<p><strong>{counts.loc['all', 'reproduced']} of {compared}</strong> comparable published numbers "
        f"reproduced; {counts.loc['all', 'not compared']} not compared (external studies, quantities outside "
        "the data dictionary). Tolerances and method: "
        '<a href="results/fit_report.md">results/fit_report.md</a>.</p>'
    )
    detail = table.assign(status=status)[["claim_id", "section", "published", "reproduced", "tolerance", "status"]]
    return (
        head
        + counts.reset_index(names="section").to_html(index=False, classes="counts", border=0)
        + "<details><summary>Every claim</summary>"
        + detail.to_html(index=False, classes="claims", border=0)
        + "</details>"
    )


_CSS = """
body{font-family:system-ui,sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;color:#222;line-height:1.4}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:.6em 1em;border-radius:4px}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;
text-align:left}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(17em,1fr));gap:1em}
figure{margin:0;border:1px solid #ddd;border-radius:4px;padding:.5em}figure img{width:100%;height:auto}
figcaption{font-size:.85em}code{font-size:.9em}.muted{color:#666}
"""


def render_index(root: Path, notebooks: list[Notebook], outputs: pd.DataFrame) -> str:
    setup_nb = notebooks[0] if notebooks else None
    statement = setup_nb.stdout_of("notebook.setup(") if setup_nb else ""
    banner = f'<p class="banner">{_e(statement)}</p>' if statement else ""
    nb_items = "".join(f'<li><a href="{nb.page}">{_e(nb.title)}</a></li>' for nb in notebooks)
    comparisons = "".join(
        f'<li><a href="{nb.page}#{anchor(cell)}">{_e(nb.title)} › {_e(nb.section_of(cell))}</a></li>'
        for nb in notebooks
        for cell in nb.cells_calling("published_vs_reproduced(")
    )
    by_name = {nb.name: nb for nb in notebooks}

    def made(row) -> str:
        if row["notebook"]:
            nb = by_name[row["notebook"]]
            target = f"{nb.page}#{anchor(row['cell'])}" if row["cell"] else nb.page
            return f'<a class="made" href="{target}">{_e(nb.name)} › {_e(row["section"])}</a>'
        return f'<span class="muted">made by <code>{_e(row["made_by"])}</code></span>'

    def file_links(files) -> str:
        return " ".join(f'<a href="{_e(f)}">{_e(f.rsplit(".", 1)[-1].upper())}</a>' for f in files)

    figures = []
    for _, row in outputs[outputs["kind"] == "figure"].iterrows():
        png = next((f for f in row["files"] if f.endswith(".png")), None)
        img = f'<a href="{_e(png)}"><img src="{_e(png)}" alt="{_e(row["name"])}" loading="eager"></a>' if png else ""
        figures.append(
            f'<figure id="figure-{_e(row["name"])}">{img}<figcaption><strong>{_e(row["name"])}</strong>'
            f"<br>{file_links(row['files'])}<br>{made(row)}</figcaption></figure>"
        )
    tables = []
    for _, row in outputs[outputs["kind"] == "table"].iterrows():
        csv = next((f for f in row["files"] if f.endswith(".csv")), None)
        shape = ""
        if csv:
            frame = pd.read_csv(Path(root) / csv, keep_default_na=False, dtype=str)
            shape = f"{len(frame)} × {frame.shape[1]}"
        tables.append(
            f'<tr id="table-{_e(row["name"])}"><td><strong>{_e(row["name"])}</strong></td>'
            f"<td>{shape}</td><td>{file_links(row['files'])}</td><td>{made(row)}</td></tr>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Compendium report — Chalopin et al. 2025</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>
<body>
<h1>Debulking before anti-BCMA bispecific antibodies — compendium report</h1>
<p>Chalopin et al., <em>Blood Cancer Journal</em> 2025;15:174. Rendered from the executed notebooks of one run
(<code>python -m analysis report</code>, <code>analysis.pipeline.report</code>).</p>
{banner}
<h2 id="notebooks">Notebooks</h2><ol>{nb_items}</ol>
<h2 id="published-vs-reproduced">Published vs reproduced</h2>
{_fit_summary(root)}
<p>Each notebook compares its own section with the paper:</p><ul>{comparisons}</ul>
<h2 id="figures">Figures ({len(figures)})</h2>
<p class="muted">Each links to the notebook cell that wrote it, named by its section.</p>
<div class="grid">{"".join(figures)}</div>
<h2 id="tables">Tables ({len(tables)})</h2>
<table class="outputs"><thead><tr><th>table</th><th>rows × columns</th><th>files</th><th>made in</th></tr></thead>
<tbody>{"".join(tables)}</tbody></table>
</body></html>
"""


def build(root: Path | None = None, executed_dir: Path | None = None, out: Path | None = None) -> Path:
    """Write the report of the run whose outputs are under ``root``; returns the index path.

    Defaults: the default run (project root, ``notebooks/executed``) into
    ``report/``; for another output root (``python -m analysis run --output-dir``),
    its ``notebooks/`` folder and ``<root>/report``. The previous report is
    replaced only once the new one is complete.
    """
    from .orchestrate import executed_dir_for

    root = Path(root).resolve() if root else paths.ROOT
    executed_dir = executed_dir or executed_dir_for(root)
    out = Path(out).resolve() if out else (REPORT_DIR if root == paths.ROOT else root / "report")
    notebooks = load_notebooks(executed_dir)
    if not notebooks:
        raise FileNotFoundError(f"no executed notebooks in {executed_dir}: run `python -m analysis run` first")
    outputs = catalogue(root, notebooks)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-report-", dir=out.parent))
    try:
        exporter = html_exporter()
        for nb in notebooks:
            write_text(staging / nb.page, render_notebook(nb, notebooks, exporter))
        for files in outputs["files"]:
            for rel in files:
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / rel, staging / rel)
        write_text(staging / "index.html", render_index(root, notebooks, outputs))
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / "index.html"


def _swap(new: Path, target: Path) -> None:
    """Replace folder ``target`` by ``new`` (two renames; the old one is removed afterwards)."""
    old = None
    if target.exists():
        old = target.with_name(f".staging-old-{target.name}-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
