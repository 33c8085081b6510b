"""The overview on a 1366 x 768 laptop: the locality-by-theme matrix, the headline tiles and every red
target's card with its commentary fit the width, with nothing to scroll sideways."""

from __future__ import annotations

from datetime import date

import pytest

from db.engine import make_engine
from metrics.enums import Rag
from tests.browser.conftest import LAPTOP, open_page, screenshot
from views.programme import programme_status

pytestmark = pytest.mark.browser

GRID_SCROLLER = '[data-testid="stDataFrame"] .dvn-scroller'


def _red_commentaries(seeded_sqlite, month: date) -> list[str]:
    engine = make_engine(f"sqlite:///{seeded_sqlite}")
    try:
        status = programme_status(engine, month)
    finally:
        engine.dispose()
    return status.loc[status["rag"] == Rag.RED.value, "commentary"].tolist()


def _within_width(page, locator) -> bool:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"]


def test_matrix_fits_a_laptop_without_sideways_scrolling(laptop, app_url):
    open_page(laptop, app_url)
    scroller = laptop.locator(GRID_SCROLLER).first
    scroller.wait_for()
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], f"the matrix scrolls sideways: {widths[0]} px of content in {widths[1]} px"
    assert _within_width(laptop, laptop.locator('[data-testid="stDataFrame"]').first)
    main = laptop.locator('[data-testid="stMain"]').evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert main[0] <= main[1]


def test_headline_tiles_fit_and_their_labels_are_whole(laptop, app_url):
    open_page(laptop, app_url)
    tiles = laptop.locator('[data-testid="stMetric"]')
    tiles.last.wait_for()
    assert tiles.count() == 9  # four target tiles, five action tiles
    for index in range(tiles.count()):
        assert _within_width(laptop, tiles.nth(index))
    cut = laptop.locator('[data-testid="stMetricLabel"]').evaluate_all(
        "labels => labels.flatMap(l => [l, ...l.querySelectorAll('*')])"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
    assert cut == [], f"tile labels cut short: {cut}"


def test_every_red_cards_commentary_is_visible_within_the_width(laptop, app_url, seeded_sqlite):
    open_page(laptop, f"{app_url}/?period=2026-09")
    commentaries = _red_commentaries(seeded_sqlite, date(2026, 9, 1))
    assert len(commentaries) == 9 and all(commentaries)
    laptop.get_by_role("heading", name="Exceptions: 9 red targets").wait_for()
    for note in commentaries:
        shown = laptop.get_by_text(note, exact=False)
        assert shown.count() == 1, note
        assert shown.is_visible(), note
        assert _within_width(laptop, shown), note
    screenshot(laptop, "overview_laptop")


def test_locality_links_under_the_map_show_whole_names(laptop, app_url):
    open_page(laptop, app_url)
    links = laptop.locator('[data-testid="stMain"] [data-testid="stPageLink"]')
    laptop.get_by_text("The Recreations, Holbeck", exact=True).last.wait_for()
    names = links.evaluate_all(
        "links => links.map(l => l.querySelector('[data-testid=\"stMarkdownContainer\"]').textContent.trim())")
    assert "The Recreations, Holbeck" in names and "Beverleys and Stratfords" in names
    cut = links.evaluate_all(
        "links => links.flatMap(l => [l, ...l.querySelectorAll('*')])"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
    assert cut == [], f"locality names cut short: {cut}"
