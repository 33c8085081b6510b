"""Every page in a real browser: no exception box, the map paints its polygons, filters change the URL."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser.conftest import READY, open_page, screenshot

pytestmark = pytest.mark.browser

PAGES = {  # name: (path and query, heading the page must show)
    "overview": ("", "Thriving Neighbourhoods: programme overview"),
    "locality_profile": ("Locality_profile?area=PN-NWORT", "Locality profile"),
    "ward_explorer": ("Ward_explorer?ward=E05011385", "Ward explorer"),
    "indicator_map": ("Indicator_map?indicator=CRIME_ALL&geo=ward", "Indicator map"),
    "action_tracker": ("Action_tracker", "Action tracker"),
    "snapshot": ("Snapshot?area=PN-LGRN", "Snapshot"),
    "data": ("Data", "Data"),
    "about": ("About_and_methods", "About and methods"),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_an_exception(page, app_url, name):
    path, heading = PAGES[name]
    open_page(page, f"{app_url}/{path}")
    assert page.get_by_role("heading", name=heading, exact=False).first.is_visible()
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Illustrative data").first.is_visible()
    assert "Traceback" not in page.content()
    screenshot(page, name)


def _painted_colours(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(maxcolors=1 << 24)}


def test_overview_map_paints_the_locality_polygons(page, app_url):
    open_page(page, app_url)
    deck = page.locator('[data-testid="stDeckGlJsonChart"]').first
    deck.scroll_into_view_if_needed()
    page.wait_for_timeout(2500)  # deck.gl draws on the next animation frames
    colours = _painted_colours(deck.screenshot())
    # The share-on-track fills are saturated viridis steps; outlines are grey and basemap tiles cannot load here.
    fills = {c for c in colours if max(c) - min(c) > 60}
    assert len(fills) >= 3, f"no locality fill painted; saw {len(colours)} colours"


def test_ward_filter_click_changes_the_url(page, app_url):
    open_page(page, f"{app_url}/Ward_explorer")
    assert "ward=" not in page.url
    page.get_by_label("Ward (choose one or more; the choice is kept in the link)").click()
    page.get_by_role("option", name="Armley").click()
    page.wait_for_function("() => window.location.search.includes('ward=E05011385')", timeout=30_000)
    page.keyboard.press("Escape")
    page.wait_for_selector(READY, timeout=90_000)
    assert "ward=E05011385" in page.url
    assert page.get_by_role("heading", name="Indicators against Leeds").is_visible()
    assert page.get_by_role("tab", name="Armley").count() == 0  # wards sit side by side, not in tabs
    screenshot(page, "ward_explorer_after_click")


def test_unknown_area_in_the_url_gets_a_friendly_message(page, app_url):
    open_page(page, f"{app_url}/Locality_profile?area=NOPE")
    assert page.get_by_text("There is no locality with the code 'NOPE'").is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_clicking_an_area_on_the_indicator_map_shows_its_trend(page, app_url):
    open_page(page, f"{app_url}/Indicator_map?indicator=CRIME_ALL&geo=ward&measure=rate")
    title = page.locator("text.gtitle").filter(has_text="Recorded crime:").first
    before = title.text_content()
    deck = page.locator('[data-testid="stDeckGlJsonChart"]').first
    deck.scroll_into_view_if_needed()
    page.wait_for_timeout(2500)
    box = deck.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the city centre
    page.wait_for_timeout(1000)
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_function(
        "before => [...document.querySelectorAll('text.gtitle')].some("
        "t => t.textContent.startsWith('Recorded crime:') && t.textContent !== before)", arg=before, timeout=30_000)
    after = page.locator("text.gtitle").filter(has_text="Recorded crime:").first.text_content()
    assert after != before  # the chart now shows the clicked ward
    screenshot(page, "indicator_map_after_click")
