"""At a 1366 x 768 laptop, the locality profile's tables fit the page: nothing scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LAPTOP, open_page, screenshot

pytestmark = pytest.mark.browser

# Each drawn st.dataframe: its width, and the width of what its grid scrolls (glide-data-grid's scroller).
TABLE_WIDTHS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .map(frame => [frame, frame.querySelector('.dvn-scroller')])
    .filter(([, scroller]) => scroller !== null)
    .map(([frame, scroller]) => ({scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth,
                                  right: frame.getBoundingClientRect().right}))"""


def test_profile_tables_fit_a_1366_pixel_screen_without_sideways_scrolling(laptop, app_url):
    open_page(laptop, f"{app_url}/Locality_profile?area=PN-NWORT&period=2019-09")
    laptop.get_by_text("Chart data as a table").click()  # draw the trend's table too
    laptop.wait_for_timeout(1000)
    tables = laptop.evaluate(TABLE_WIDTHS)
    screenshot(laptop, "locality_profile_1366")
    assert len(tables) >= 2, tables  # the scorecard and the trend's table
    for table in tables:
        assert table["scrollWidth"] <= table["clientWidth"], tables
        assert table["right"] <= LAPTOP["width"], tables
    progress = laptop.get_by_text("Progress:", exact=False).first
    progress.scroll_into_view_if_needed()
    box = progress.bounding_box()
    assert box is not None and box["x"] + box["width"] <= LAPTOP["width"]
    assert laptop.get_by_text("Walkabouts paused over the summer", exact=False).first.is_visible()
