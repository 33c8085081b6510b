"""The hostile-text case (``tests/fixtures/cases/hostile``) imported into a store, and checks that
text from it stays text wherever it is shown.

``import_hostile_case(url)`` imports its three files through the importer, as an editor would.
``markdown_html(source)`` renders Markdown as Streamlit's renderer would (CommonMark, bare URLs
linked), so a test can look for the links and images a crafted value would have made.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from db.engine import make_engine
from ingest.importer import commit_import, preview_import

CASE = Path(__file__).resolve().parents[1] / "fixtures" / "cases" / "hostile"
FILES = ("actions_xss.csv", "events_xss.csv", "targets_xss.csv")
# Words only the payloads carry: an element showing one of them shows hostile text.
MARKERS = ("xss-", "127.0.0.1", "HYPERLINK", "katex", "C calc", "onerror", "example.test", "javascript")
# What each payload must look like on screen: the text itself, not a link, image or tag.
LITERAL = (
    "[Sign in to see full data](http://127.0.0.1:9/phish)",
    "<img src=x onerror=alert('xss-img')>",
    "![tracker](http://127.0.0.1:9/beacon.png)",
)
FORMULA_START = ("=", "+", "-", "@")


def import_hostile_case(url: str) -> None:
    engine = make_engine(url)
    try:
        for name in FILES:
            content = (CASE / name).read_bytes()
            preview = preview_import(engine, content, name)
            if not preview.ok:
                raise AssertionError(f"{name} did not pass the checks: {preview.summary()}")
            commit_import(engine, content, name, imported_by="editor@example.test")
    finally:
        engine.dispose()


_MARKDOWN = MarkdownIt("commonmark")
_BARE_URL = re.compile(r"(?<![\w\\/])(https?://|www\.)[^\s<]+")


def markdown_html(source: str) -> str:
    """HTML of ``source`` rendered as CommonMark, with GFM's bare-URL links added."""
    rendered = _MARKDOWN.render(source)
    # GFM turns bare http:// and www. text into links (unless a backslash escapes part of it);
    # CommonMark does not, so mark them here.
    return rendered + "".join(f'<a href="{m.group(0)}">' for m in _BARE_URL.finditer(source))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001 - HTMLParser's signature
        self.tags.append((tag, dict(attrs)))


def tags_in(html: str) -> list[tuple[str, dict]]:
    """(tag, attributes) of every start tag in ``html``."""
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def dangerous_tags(html: str) -> list[str]:
    """Links, images, scripts, frames and event-handler attributes in ``html``, described."""
    found = []
    for tag, attrs in tags_in(html):
        if tag in {"a", "img", "script", "iframe", "svg", "object", "embed"}:
            found.append(f"<{tag} {attrs}>")
        found.extend(f"<{tag} {name}=...>" for name in attrs if name.startswith("on"))
    return found


def formula_cells(data: bytes) -> list[str]:
    """Cells of a CSV download that a spreadsheet could run as a formula (not neutralised)."""
    text = data.decode("utf-8-sig")
    risky = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            stripped = cell.lstrip(" \t\r\n")
            if not stripped or cell.startswith("'"):
                continue
            if stripped.startswith(FORMULA_START) and not _is_number(stripped) or cell[:1] in ("\t", "\r"):
                risky.append(cell)
    return risky


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
