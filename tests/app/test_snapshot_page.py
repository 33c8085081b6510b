"""The Snapshot page: pickers read the URL, the preview shows the page's figures, downloads are offered."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from tests.reports.conftest import require_browser
from views.scorecards import PUBLIC, locality_context, locality_scorecard

ROOT = Path(__file__).resolve().parents[2]


def open_snapshot(**params) -> AppTest:
    """Open the page as a visitor would: through the entry point, with the query string given."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page("pages/5_Snapshot.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def preview(at: AppTest) -> str:
    bodies = [element.proto.body for element in at.get("html") if 'class="tn-report"' in element.proto.body]
    assert len(bodies) == 1
    return bodies[0]


def download_labels(at: AppTest) -> list[str]:
    return [button.label for button in at.get("download_button")]


def test_snapshot_of_the_locality_and_month_in_the_url_with_pdf_and_html(app_env):
    require_browser()
    at = open_snapshot(area="PN-BOGG", period="2019-09")
    assert not at.exception, at.exception
    assert at.selectbox(key="area_select").value == "PN-BOGG"
    assert at.select_slider[0].value == date(2019, 9, 1)
    shown = preview(at)
    assert "Boggart Hill" in shown and "September 2019" in shown
    engine = make_engine(app_env)
    expected = locality_scorecard(engine, locality_context(engine, "PN-BOGG"), date(2019, 9, 1), PUBLIC)
    for row in expected.itertuples():
        assert f'<td class="num">{html.escape(row.value)}</td>' in shown, row.indicator
        assert html.escape(row.rag_label) in shown
    assert shown.count('<img class="chart"') >= 4  # three or four trends and the map, as SVG
    assert download_labels(at) == ["Download PDF (A4)", "Download HTML"]


def test_without_a_browser_the_page_explains_and_offers_the_html(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    at = open_snapshot(area="PN-NWORT")
    assert not at.exception, at.exception
    assert any("No Chromium or Chrome" in w.value and "PDF cannot be made" in w.value for w in at.warning)
    assert not any(str(tmp_path) in w.value for w in at.warning)  # no server path on the page
    assert download_labels(at) == ["Download HTML"]
    shown = preview(at)
    assert "New Wortley" in shown and "chart-missing" in shown and "&lt;5" in shown


def test_an_unknown_area_is_explained_and_the_first_locality_shown(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))  # no need to draw charts here
    at = open_snapshot(area="NOPE")
    assert not at.exception, at.exception
    assert any("There is no locality with the code 'NOPE'" in e.value for e in at.error)
    assert at.selectbox(key="area_select").value != "NOPE"
    at.selectbox(key="area_select").set_value("PN-LGRN").run()
    assert at.query_params["area"] == "PN-LGRN"
    assert "Lincoln Green" in preview(at)
