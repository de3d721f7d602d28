"""Every Markdown file's links lead somewhere, and the README stays a newcomer's page.

For each ``*.md`` file git tracks, every inline link and image ``[text](target)`` and every reference
definition ``[id]: target`` outside code (fenced blocks and inline code spans) is checked: a relative
target must exist, relative to the file's folder; a ``#anchor`` (alone or after a Markdown file)
must be a heading of that file, by GitHub's slug rule. http(s) and mailto targets are not checked
(no network here). All dead links are reported in one message, ``file:line -> target (reason)``.
"""

import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

from analysis import paths

#: The README's budget, in bytes as ``wc -c`` counts them (an em dash is 3): the hard limit of issue 22.
README_LIMIT = 10_000

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
# link text may hold one level of brackets (an image inside a link); a target one level of parentheses
_INLINE = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]"  # [text], with at most one [nested] part
    r"\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))+)"  # (target or <target>
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"  # optional "title")
)
_REFERENCE = re.compile(r"^ {0,3}\[([^\]\n]+)\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# a line of === or --- underlines the paragraph line above it, not a table row, heading, quote or list item
_NOT_PARAGRAPH = ("|", "#", ">", "-", "*")
_HTML_ANCHOR = re.compile(r"""<a\s[^>]*\b(?:name|id)\s*=\s*["']([^"']+)["']""", re.I)
_EXTERNAL = ("http://", "https://", "mailto:")


def _blank(text: str) -> str:
    """Text of the same length and line breaks: what code hides must not count as a link."""
    return re.sub(r"[^\n]", " ", text)


def _prose(text: str) -> str:
    """``text`` with fenced code blocks and inline code spans blanked out (line numbers kept)."""
    lines, fence = text.split("\n"), None
    for k, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
        elif (
            fence is not None
            and m
            and m.group(1)[0] == fence[0]
            and len(m.group(1)) >= len(fence)
            and not line.strip(" " + fence[0])
        ):
            fence, lines[k] = None, _blank(line)
        if fence is not None:
            lines[k] = _blank(line)
    # a code span may wrap a line but never crosses a paragraph's end: match spans paragraph by
    # paragraph, so that a stray backtick cannot pair with one further down the file
    parts = re.split(r"(\n[ \t]*\n)", "\n".join(lines))
    return "".join(_CODE_SPAN.sub(lambda m: _blank(m.group(0)), part) for part in parts)


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: its text lower-cased, punctuation dropped but ``-``, spaces to ``-``."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor a Markdown text defines: its headings' slugs (repeats numbered ``-1``, ``-2`` as
    GitHub does) and explicit ``<a name=…>`` / ``<a id=…>``."""
    found, seen = set(), {}
    for heading in _headings(text):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found | set(_HTML_ANCHOR.findall(text))


def _headings(text: str) -> list[str]:
    """The text of every ATX (``## …``) and setext (underlined) heading outside code, as written."""
    lines, raw, headings = _prose(text).split("\n"), text.split("\n"), []
    for k, line in enumerate(lines):
        atx = _ATX.match(line)
        if atx:
            headings.append(raw[k].strip().lstrip("#").strip().rstrip("#").strip())
        elif (
            k and _SETEXT.match(line) and lines[k - 1].strip() and not lines[k - 1].lstrip().startswith(_NOT_PARAGRAPH)
        ):
            headings.append(raw[k - 1].strip())
    return headings


def targets(text: str):
    """(line, target) of every link, image and reference definition outside code."""
    prose = _prose(text)
    for m in _INLINE.finditer(prose):
        yield prose.count("\n", 0, m.start()) + 1, m.group(1)
    for m in _REFERENCE.finditer(prose):
        if not m.group(1).startswith("^"):  # a footnote, not a link
            yield prose.count("\n", 0, m.start()) + 1, m.group(2)


def dead_links(files, root: Path) -> tuple[list[str], int]:
    """Every dead link of ``files`` as ``file:line -> target (reason)``, and how many links were checked."""
    dead, checked, cache = [], 0, {}

    def anchors_of(path: Path) -> set[str]:
        if path not in cache:
            cache[path] = anchors(path.read_text(encoding="utf-8"))
        return cache[path]

    for md in files:
        text = md.read_text(encoding="utf-8")
        for line, target in targets(text):
            checked += 1
            target = target.strip("<>")
            if target.lower().startswith(_EXTERNAL):
                continue
            where = f"{md.relative_to(root).as_posix()}:{line} -> {target}"
            path_part, _, anchor = target.partition("#")
            dest = (md.parent / unquote(path_part)).resolve() if path_part else md
            if not dest.exists():
                dead.append(f"{where} (no such file)")
            elif anchor and dest.suffix.lower() == ".md" and unquote(anchor).lower() not in anchors_of(dest):
                dead.append(f"{where} (no heading #{anchor} in {dest.name})")
    return dead, checked


def tracked_markdown() -> list[Path]:
    # git's list: .venv, data/private and other untracked files are not the repository's pages
    out = subprocess.run(["git", "ls-files", "-z", "*.md"], cwd=paths.ROOT, capture_output=True, check=True).stdout
    return [paths.ROOT / name for name in out.decode("utf-8").split("\0") if name and (paths.ROOT / name).exists()]


def test_no_markdown_file_has_a_dead_link():
    files = tracked_markdown()
    assert paths.ROOT / "README.md" in files
    dead, checked = dead_links(files, paths.ROOT)
    assert checked > 0
    assert not dead, f"{len(dead)} dead link(s) of {checked}:\n" + "\n".join(dead)


def test_the_readme_is_at_most_10000_characters():
    size = len((paths.ROOT / "README.md").read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes (wc -c); the limit is {README_LIMIT}: move detail to docs/"


def test_the_checker_reports_every_dead_link_and_ignores_code(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text(
        "# Guide\n\n## Two words, one comma\n\n## Two words, one comma\n", encoding="utf-8"
    )
    (tmp_path / "a.md").write_text(
        "# Top — the page\n"
        "[fine](docs/guide.md) [fine anchor](docs/guide.md#two-words-one-comma)"
        " [repeat](docs/guide.md#two-words-one-comma-1)\n"
        "[self](#top--the-page) ![image](docs/guide.md) [web](https://example.org/nowhere)\n"
        "[dead](missing.md) and ![dead image](img/none.png)\n"
        "[bad anchor](docs/guide.md#nowhere) [bad self](#nope)\n"
        "`[in code](no_such_file.md)` ``[in code, `two` ticks](gone.md)``\n"
        "```bash\n[in a fence](also_missing.md)\n```\n"
        "a stray ` backtick, then [dead after it](stray.md)\n\nand `code\n[wrapped](wrapped.md)` spans\n"
        "[ref]: docs/nothing_here.md\n"
        "[ok-ref]: docs/guide.md\n",
        encoding="utf-8",
    )
    dead, checked = dead_links([tmp_path / "a.md"], tmp_path)
    assert dead == [
        "a.md:4 -> missing.md (no such file)",
        "a.md:4 -> img/none.png (no such file)",
        "a.md:5 -> docs/guide.md#nowhere (no heading #nowhere in guide.md)",
        "a.md:5 -> #nope (no heading #nope in a.md)",
        "a.md:10 -> stray.md (no such file)",
        "a.md:14 -> docs/nothing_here.md (no such file)",
    ]
    assert checked == 13
