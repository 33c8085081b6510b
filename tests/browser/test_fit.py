"""No table scrolls sideways, on any page or tab, on a 1366 px laptop or a 1920 px desktop screen.

Every page (and the Data page as a viewer and as an editor) is opened at both sizes, each tab of the
main area in turn with its expanders open. Every table must fit its column: the grid's own scroller
for ``st.dataframe``, the element for ``st.table``, and any other element of the main area that
scrolls sideways (``overflow-x: auto | scroll``); the page itself must not scroll sideways either.
A screenshot of every page and tab is kept in pytest's temporary directory and named on failure.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import READY, open_page

pytestmark = pytest.mark.browser

VIEWPORTS = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
SIX_WARDS = ("E05011385", "E05011387", "E05011402", "E05011388", "E05011394", "E05011400")
PAGES = {  # name: (path and query, role whose server serves it)
    "overview": ("", "viewer"),
    "locality_profile": ("Locality_profile?area=PN-NWORT", "viewer"),
    "ward_explorer_2_wards": ("Ward_explorer?" + "&".join(f"ward={c}" for c in SIX_WARDS[:2]), "viewer"),
    "ward_explorer_6_wards": ("Ward_explorer?" + "&".join(f"ward={c}" for c in SIX_WARDS), "viewer"),
    "indicator_map": ("Indicator_map?indicator=CRIME_ALL&geo=ward", "viewer"),
    "action_tracker": ("Action_tracker", "viewer"),
    "snapshot": ("Snapshot?area=PN-LGRN", "viewer"),
    "data_viewer": ("Data", "viewer"),
    "data_editor": ("Data", "editor"),
    "about": ("About_and_methods", "viewer"),
}
WITHOUT_TABLES = {"snapshot", "data_viewer"}  # the preview is the snapshot's own HTML; viewers get a notice
TABS = '[data-testid="stMain"] [role="tab"]'
CLOSED_EXPANDERS = '[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) > summary'
GRIDS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')]
    .filter(g => g.getClientRects().length > 0).every(g => g.querySelector('[role="columnheader"]'))"""
TALLEST_SCREENSHOT = 12_000  # px; Chromium refuses much taller captures

# Everything in the main area that can scroll sideways, measured where it is drawn. A grid's header
# texts come from its accessible table (only the columns it has drawn); others give their first words.
MEASURE = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const drawn = e => e.getClientRects().length > 0 && e.clientWidth > 0;
    const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    const tables = [...main.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller, [data-testid="stTable"]')];
    const others = [...main.querySelectorAll('*')].filter(e => scrolls(e) && !tables.includes(e));
    const describe = (e, kind) => {
        const home = e.closest('[data-testid="stDataFrame"], [data-testid="stTable"]') || e;
        const heads = [...home.querySelectorAll('[role="columnheader"], th')]
            .map(h => h.textContent.trim()).filter(Boolean);
        return {kind, headers: heads.length ? heads : [home.textContent.trim().slice(0, 80)],
                scrollWidth: e.scrollWidth, clientWidth: e.clientWidth};
    };
    const kind = e => e.matches('.dvn-scroller') ? 'st.dataframe' : e.matches('[data-testid="stTable"]')
        ? 'st.table' : `${e.tagName.toLowerCase()}[data-testid=${e.getAttribute('data-testid')}].${e.className}`;
    const page = document.scrollingElement;
    return {
        pages: [{kind: 'page', headers: [], scrollWidth: page.scrollWidth, clientWidth: page.clientWidth},
                {kind: 'main area', headers: [], scrollWidth: main.scrollWidth, clientWidth: main.clientWidth}],
        tables: [...tables, ...others].filter(drawn).map(e => describe(e, kind(e))),
        count: tables.filter(drawn).length,
        grids: [...main.querySelectorAll('[data-testid="stDataFrame"]')].filter(drawn).length,
        scrollers: tables.filter(e => e.matches('.dvn-scroller') && drawn(e)).length,
    };
}"""


def _cases():
    for viewport in VIEWPORTS:
        for name in PAGES:
            yield pytest.param(name, viewport, id=f"{viewport}-{name}")


@pytest.fixture()
def sized_page(browser, request):
    """A fresh tab at the size named by the test's ``viewport`` parameter."""
    width, height = VIEWPORTS[request.node.callspec.params["viewport"]]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    yield context.new_page()
    context.close()


def _each_tab(page):
    """Yield the label of each tab of the main area in turn (``"page"`` when there is none), opened."""
    tabs = page.locator(TABS)
    if tabs.count() == 0:
        yield "page"
        return
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        if not tab.is_visible():  # a tab inside another tab's hidden panel
            continue
        tab.click()
        page.wait_for_timeout(800)
        page.wait_for_selector(READY, timeout=90_000)
        yield tab.inner_text().strip()


def _open_expanders(page) -> None:
    closed = page.locator(CLOSED_EXPANDERS)
    for _ in range(closed.count()):
        if not closed.first.is_visible():
            break
        closed.first.click()
        page.wait_for_timeout(200)


# Something drawn that holds or hides a table: until one is there, a page under load may still be swapping in
# its elements after a rerun (its first run set the link's query parameters).
TABLE_HOLDERS = """() => [...document.querySelectorAll(['stDataFrame', 'stTable', 'stExpander', 'stTabs']
    .map(id => `[data-testid="stMain"] [data-testid="${id}"]`).join(', '))].some(e => e.getClientRects().length)"""


def _wait_for_table_holders(page, name: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if name in WITHOUT_TABLES:
        return
    try:
        page.wait_for_function(TABLE_HOLDERS, timeout=30_000)
    except PlaywrightTimeout:
        pass  # measured as it stands; the test then says no table was found and names the screenshots
    page.wait_for_selector(READY, timeout=90_000)


def _wait_for_grids(page) -> None:
    """Grids size their columns, and draw their accessible header row, a moment after they mount."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(GRIDS_DRAWN, timeout=10_000)
    except PlaywrightTimeout:
        pass  # a grid with no header row still gets measured; its headers show as its text
    page.wait_for_timeout(300)


def _full_screenshot(page, path) -> None:
    """The whole main area: Streamlit scrolls inside ``stMain``, so the viewport is made as tall as it."""
    size = page.viewport_size
    height = page.evaluate('() => document.querySelector(\'[data-testid="stMain"]\').scrollHeight')
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), TALLEST_SCREENSHOT)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    page.wait_for_timeout(300)


@pytest.mark.parametrize(("name", "viewport"), list(_cases()))
def test_no_table_scrolls_sideways(sized_page, request, tmp_path, name, viewport):
    path, role = PAGES[name]
    base = request.getfixturevalue("app_url" if role == "viewer" else "editor_app_url")
    page = sized_page
    open_page(page, f"{base}/{path}")
    _wait_for_table_holders(page, name)
    too_wide, shots, tables_seen, seen = [], [], 0, set()
    for tab in _each_tab(page):
        _open_expanders(page)
        _wait_for_grids(page)
        found = page.evaluate(MEASURE)
        tables_seen += found["count"]
        assert found["grids"] == found["scrollers"], f"a grid's scroller was not found on {name}, tab {tab}"
        shot = tmp_path / f"{name}-{viewport}-{re.sub(r'[^A-Za-z0-9]+', '_', tab)}.png"
        _full_screenshot(page, shot)
        shots.append(str(shot))
        for box in [*found["pages"], *found["tables"]]:
            same = (box["kind"], tuple(box["headers"][:3]), box["scrollWidth"], box["clientWidth"])
            if box["scrollWidth"] > box["clientWidth"] + 1 and same not in seen:  # once, not again on every tab
                seen.add(same)
                too_wide.append(f"{name} at {viewport}, tab {tab!r}: {box['kind']} with headers {box['headers']}: "
                                f"scrollWidth {box['scrollWidth']} > clientWidth {box['clientWidth']}")
    assert page.locator('[data-testid="stException"]').count() == 0, f"an exception is shown; see {shots}"
    assert tables_seen > 0 or name in WITHOUT_TABLES, f"no table was found to measure; see {shots}"
    assert not too_wide, (f"{len(too_wide)} element(s) scroll sideways ({tables_seen} tables measured); "
                          f"screenshots: {shots}\n" + "\n".join(too_wide))
