"""The Board pack for all six neighbourhoods: contents, programme summary, then each snapshot."""

from __future__ import annotations

import re

import pytest

from db import queries
from metrics.enums import Rag
from reports.render import make_pack
from tests.reports.conftest import A4_POINTS, AS_OF, PRODUCED, page_size_points, pdf_pages
from views.programme import programme_status


@pytest.fixture(scope="module")
def localities(seeded_engine):
    return queries.localities(seeded_engine)


@pytest.fixture(scope="module")
def pack(seeded_engine, exporter, tmp_path_factory):
    path = tmp_path_factory.mktemp("pack") / "board-pack.pdf"
    path.write_bytes(make_pack(seeded_engine, None, fmt="pdf", exporter=exporter, as_of=AS_OF, on=PRODUCED))
    return path


def footer_section(page: str) -> str:
    """The section named in the page footer ("Thriving Neighbourhoods · New Wortley")."""
    match = re.search(r"Thriving Neighbourhoods · (.+?)\s{2,}Page \d+ of \d+", page)
    assert match, page[-300:]
    return match.group(1).strip()


def test_pack_is_a4_with_a_contents_page_listing_every_neighbourhood(pack, localities):
    assert page_size_points(pack) == A4_POINTS
    pages = pdf_pages(pack)
    contents = pages[0]
    assert "Contents" in contents and "Board pack: September 2026" in contents
    assert len(localities) == 6
    for name in ["Programme summary", *localities["name"]]:
        line = next(line for line in contents.splitlines() if name in line)
        page_number = int(line.split()[-1].strip("."))
        assert re.search(rf"^\s*{re.escape(name)}(\s{{2,}}|$)", pages[page_number - 1], re.M), (name, page_number)


def test_each_neighbourhood_has_its_own_one_page_snapshot(pack, localities):
    pages = pdf_pages(pack)
    sections = [footer_section(page) for page in pages]
    for name in localities["name"]:
        assert sections.count(name) == 1, (name, sections)
    summary = sections.count("Programme summary")
    assert 1 <= summary <= 2
    assert len(pages) == 1 + summary + len(localities)  # contents, summary, one page per locality


def test_summary_action_tiles_add_up_to_every_action(seeded_engine, pack):
    pages = pdf_pages(pack)
    summary = " ".join("\n".join(p for p in pages if footer_section(p) == "Programme summary").split())
    total = int(re.search(r"(\d+) actions, \d+ overdue", summary).group(1))
    counts = {label: int(count) for count, label in re.findall(
        r"(\d+) (✓✓ Complete|✓ On track|! At risk|✗ Off track|– Not started)", summary)}
    assert len(counts) == 5 and sum(counts.values()) == total == 48


def test_programme_summary_has_the_matrix_and_every_red_target(seeded_engine, pack, localities):
    pages = pdf_pages(pack)
    summary = " ".join("\n".join(p for p in pages if footer_section(p) == "Programme summary").split())
    status = programme_status(seeded_engine, AS_OF)
    red = status[status["rag"] == Rag.RED.value]
    assert f"Exceptions: {len(red)} red targets" in summary
    assert f"{len(status)} targets across 6 localities" in summary
    for name in localities["name"]:
        assert name in summary
    exceptions = summary[summary.index("Exceptions:"):]
    assert exceptions.count("✗ Red") == len(red) > 0
