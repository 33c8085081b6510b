"""The hostile-text case (tests/fixtures/cases/hostile) in the printed snapshot: the HTML snapshot
and the PDF show every payload as text; no link, image, script or event handler comes from it."""

from __future__ import annotations

import html
import re

import pytest

from db.engine import make_engine
from reports.render import make_snapshot
from tests.reports.conftest import AS_OF, PRODUCED, pdf_pages, pdf_words
from tests.support.hostile import dangerous_tags, import_hostile_case

CODE = "PN-NWORT"
# Payload text that the snapshot shows: action titles and leads, and event titles.
PAYLOADS = ("<img src=x onerror=alert('xss-img')>", "[Sign in to see full data](http://127.0.0.1:9/phish)",
            "<b>bold</b>")


@pytest.fixture()
def hostile_engine(sqlite_url):
    import_hostile_case(sqlite_url)
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


def _hostile_tags(document: str) -> list[str]:
    return [t for t in dangerous_tags(document) if re.search(r"xss|127\.0\.0\.1|javascript|onerror|onload", t)]


def test_hostile_case_html_snapshot_shows_the_text_and_runs_nothing(hostile_engine):
    document = make_snapshot(hostile_engine, CODE, fmt="html", exporter=None, as_of=AS_OF, on=PRODUCED).decode()
    assert not _hostile_tags(document)
    assert "<script>alert(" not in document and "<svg onload" not in document
    text = html.unescape(re.sub(r"<[^>]+>", " ", document))
    for payload in PAYLOADS:
        assert payload in text, payload


def test_hostile_case_pdf_prints_the_text_with_no_link(hostile_engine, exporter):
    pdf = make_snapshot(hostile_engine, CODE, fmt="pdf", exporter=exporter, as_of=AS_OF, on=PRODUCED)
    assert b"/URI" not in pdf and b"/JavaScript" not in pdf and b"/JS" not in pdf  # no link, no script
    path = hostile_engine.url.database + ".pdf"
    with open(path, "wb") as out:
        out.write(pdf)
    printed = " ".join(" ".join(pdf_pages(path)).split())
    assert "onerror=alert('xss-img')>" in printed
    # the lead "<b>bold</b><a href=...>" is one long word that may wrap after "</", as after any slash:
    # read it in the order it is printed, the cell's lines one after the other
    assert "<b>bold</b>" in "".join(word.text for page in pdf_words(path) for word in page)
