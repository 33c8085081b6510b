"""Action progress as an editor does it in a real browser: select a progress cell, type 85, press Enter,
save, confirm the before-and-after summary; 85 is stored, shown, and the page stays on its tab.

Typing used to lose the first key (the cell's editor opened with "8", then "5" reopened it), so the
keys are typed as fast as a keyboard can send them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db import schema
from db.engine import make_engine
from tests.browser.conftest import READY, STORES, _serve, open_page, screenshot
from ui.admin import ACTION_WIDTHS
from views.action_edits import COLUMN_ORDER
from views.plans import STATUS_LABELS

pytestmark = pytest.mark.browser

EDITOR = '[data-testid="stDataFrame"]'
PROGRESS_COLUMN = COLUMN_ORDER.index("Progress (%)")  # the grid's own cells are numbered in this order too
ROW_HEIGHT, HEADER_HEIGHT = 35, 35


@pytest.fixture(scope="module")
def editor_url(seeded_sqlite, tmp_path_factory):
    """An editor's app on its own store, as this test writes to it."""
    yield from _serve(seeded_sqlite, tmp_path_factory, "editor")


def _stored(url: str, ref: str) -> tuple[float, str]:
    engine = make_engine(f"sqlite:///{STORES[url]}")
    with engine.connect() as connection:
        row = connection.execute(select(schema.actions.c.percent_complete, schema.actions.c.status)
                                 .where(schema.actions.c.ref == ref)).one()
    engine.dispose()
    return tuple(row)


def _click_cell(page, grid, heading: str, row: int) -> None:
    """Click a cell as a user does (one click selects it). The grid is drawn on a canvas; its columns
    have the widths ``ui.admin.ACTION_WIDTHS`` gives, in ``COLUMN_ORDER``."""
    box = grid.bounding_box()
    left = sum(ACTION_WIDTHS[h] for h in COLUMN_ORDER[:COLUMN_ORDER.index(heading)])
    page.mouse.click(box["x"] + left + ACTION_WIDTHS[heading] / 2,
                     box["y"] + HEADER_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT / 2)


def _wait(page) -> None:
    page.wait_for_timeout(500)
    page.wait_for_selector(READY, timeout=90_000)


def test_typing_85_into_a_progress_cell_stores_85_after_confirming(browser, editor_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="en-GB")
    page = context.new_page()
    try:
        open_page(page, f"{editor_url}/Data")
        page.get_by_role("tab", name="Action progress").click()
        _wait(page)
        grid = page.locator(EDITOR).filter(has_text="Progress (%)").first
        ref = grid.locator("#glide-cell-0-0").text_content()
        before = _stored(editor_url, ref)
        assert before[0] != 85
        status = grid.locator(f"#glide-cell-{COLUMN_ORDER.index('Status')}-0").text_content()
        assert status == STATUS_LABELS[before[1]]  # the status in words, not its code

        _click_cell(page, grid, "Progress (%)", 0)
        page.wait_for_timeout(200)
        page.keyboard.type("85")  # no pause between keys: the first one used to be lost
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        _wait(page)
        assert grid.locator(f"#glide-cell-{PROGRESS_COLUMN}-0").text_content() == "85"

        page.get_by_role("button", name="Save 1 changed action").click()
        _wait(page)
        summary = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="Check before saving")
        assert f"{ref}: progress {before[0]:g}% to 85%" in summary.inner_text()
        assert _stored(editor_url, ref) == before  # nothing written before confirming

        page.get_by_role("button", name="Confirm and save").click()
        _wait(page)
        assert _stored(editor_url, ref) == (85.0, before[1])
        saved = page.locator('[data-testid="stAlertContentSuccess"]')
        assert f"Saved 1 change to 1 action: {ref}: progress {before[0]:g}% to 85%." in saved.inner_text()
        assert page.get_by_role("tab", name="Action progress").get_attribute("aria-selected") == "true"
        assert "tab=Action+progress" in page.url
        grid = page.locator(EDITOR).filter(has_text="Progress (%)").first
        assert grid.locator(f"#glide-cell-{PROGRESS_COLUMN}-0").text_content() == "85"
        screenshot(page, "action_progress_saved")
    finally:
        context.close()
