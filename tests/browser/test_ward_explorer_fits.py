"""The ward explorer with six wards fits a 1,366 x 768 laptop screen: no table scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page, screenshot

pytestmark = pytest.mark.browser

SIX_WARDS = ["E05011385", "E05011388", "E05011404", "E05011400", "E05011390", "E05011395"]
OVERFLOW = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
    .map(s => ({scroll: s.scrollWidth, client: s.clientWidth}))"""


def test_six_wards_compare_without_sideways_scrolling_on_a_laptop(browser, app_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
    page = context.new_page()
    try:
        open_page(page, f"{app_url}/Ward_explorer?" + "&".join(f"ward={code}" for code in SIX_WARDS))
        assert page.get_by_role("heading", name="Indicators against Leeds").is_visible()
        for frame in page.locator('[data-testid="stDataFrame"]').all():
            frame.scroll_into_view_if_needed()  # each grid lays out its columns once it is on screen
        page.wait_for_timeout(1000)
        widths = page.evaluate(OVERFLOW)
        assert len(widths) >= 3  # the comparison, the neighbourhoods, the LSOAs, the league table
        assert all(w["client"] > 0 for w in widths), widths
        wide = [w for w in widths if w["scroll"] > w["client"]]
        assert not wide, f"tables wider than the screen leaves them: {widths}"
        screenshot(page, "ward_explorer_six_wards_1366")
    finally:
        context.close()
