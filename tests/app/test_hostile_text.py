"""The hostile-text case (tests/fixtures/cases/hostile): HTML, scripts, Markdown links and images,
LaTeX links and spreadsheet formulas in every free-text field of actions, events and targets,
and in the values of a link. After the import, every page shows that text literally: nothing
renders as a link or an image, and every download keeps formulas from running.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.elements.widgets.button import ButtonMixin
from streamlit.testing.v1 import AppTest

from tests.support.hostile import (
    LITERAL,
    MARKERS,
    dangerous_tags,
    formula_cells,
    import_hostile_case,
    markdown_html,
)

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]
PLOTLY_TAG = re.compile(r"<\s*(a|img|svg|script|b|i|span|br)\b", re.IGNORECASE)


@pytest.fixture()
def hostile_store(app_env):
    import_hostile_case(app_env)
    return app_env


@pytest.fixture()
def downloads(monkeypatch) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every download button drawn while the fixture is active."""
    offered: list[tuple[str, bytes]] = []
    original = ButtonMixin.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):  # noqa: ANN001 - Streamlit's signature
        content = data() if callable(data) else data
        offered.append((str(file_name), content.encode() if isinstance(content, str) else bytes(content)))
        return original(self, label, content, file_name, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", recording)
    # ``st.download_button`` is the main area's method, bound when Streamlit was imported.
    monkeypatch.setattr(st, "download_button", lambda *args, **kwargs: recording(st._main, *args, **kwargs))
    return offered


def open_page(script: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    if script != "app.py":
        at.switch_page(script)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def markdown_sources(at: AppTest) -> list[str]:
    """Every string Streamlit renders as Markdown on the page: bodies, alerts, headings, labels."""
    bodies = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader",
                                        "title", "header") for e in getattr(at, kind)]
    labels = [str(e.label) for kind in ("tabs", "expander") for e in getattr(at, kind)]
    links = [e.proto.label for e in at.get("page_link")]
    return bodies + labels + links


def plotly_strings(at: AppTest) -> list[str]:
    return [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("plotly_chart")]


def assert_shown_as_text(at: AppTest, *, expect: tuple[str, ...] = ()) -> None:
    assert not at.exception, at.exception
    shown = []
    for source in markdown_sources(at):
        rendered = markdown_html(source)
        shown.append(re.sub(r"<[^>]+>", "", rendered))
        if not any(marker in source for marker in MARKERS):
            continue  # our own wording, such as the sources' links on the About page
        assert not dangerous_tags(rendered), (source, dangerous_tags(rendered))
        assert "$" not in source.replace("\\$", ""), source  # no LaTeX, hence no \href
    for spec in plotly_strings(at):
        if any(marker in spec for marker in MARKERS):
            assert not PLOTLY_TAG.search(spec), PLOTLY_TAG.search(spec).group(0)
    text = html.unescape("\n".join(shown))
    for literal in expect:
        assert literal in text, f"{literal!r} is not shown as text"


@pytest.mark.parametrize("role", ["viewer", "editor"])
@pytest.mark.parametrize("script", PAGES)
def test_hostile_case_every_page_shows_the_text_literally(hostile_store, downloads, monkeypatch, script, role):
    monkeypatch.setenv("TN_LOCAL_ROLE", role)
    at = open_page(script, area="PN-NWORT", period="2026-09", indicator="ASB_ALL")  # a trend the event falls in
    expect = LITERAL[:2] if script == "pages/1_Locality_profile.py" else ()
    assert_shown_as_text(at, expect=expect)
    for file_name, data in downloads:
        if file_name.endswith(".csv"):
            assert not formula_cells(data), (file_name, formula_cells(data))
        if file_name.endswith(".html"):
            assert not [t for t in dangerous_tags(data.decode()) if "xss" in t or "127.0.0.1" in t], file_name


def test_hostile_case_event_text_is_on_the_profile_and_in_the_trend_chart_hover(hostile_store):
    at = open_page("pages/1_Locality_profile.py", area="PN-NWORT", period="2026-09", indicator="ASB_ALL")
    assert_shown_as_text(at, expect=LITERAL)
    assert any("&lt;img src=x onerror" in spec for spec in plotly_strings(at))


def test_hostile_case_action_csv_download_neutralises_every_formula(hostile_store, downloads):
    at = open_page("pages/4_Action_tracker.py", locality="PN-NWORT")
    assert not at.exception
    actions = [data for name, data in downloads if name == "actions.csv"]
    assert len(actions) == 1
    text = actions[0].decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text and "'+cmd|" in text
    assert not formula_cells(actions[0])


HOSTILE_LINKS = [
    ("pages/1_Locality_profile.py", {"area": "[x](http://127.0.0.1/)"}, "[x](http://127.0.0.1/)"),
    ("pages/5_Snapshot.py", {"area": "![i](http://127.0.0.1/i.png)"}, "![i](http://127.0.0.1/i.png)"),
    ("app.py", {"period": "[Sign in](http://127.0.0.1/)"}, "[Sign in](http://127.0.0.1/)"),
    ("pages/2_Ward_explorer.py", {"ward": "[x](www.example.test)"}, "[x](www.example.test)"),
    ("pages/3_Indicator_map.py", {"indicator": ":red[$\\href{http://127.0.0.1}{x}$]"}, ":red[$\\href{http"),
    ("pages/4_Action_tracker.py", {"lead": "<img src=x onerror=alert(1)>"}, "<img src=x onerror=alert(1)>"),
]


@pytest.mark.parametrize(("script", "params", "literal"), HOSTILE_LINKS, ids=[s for s, _, _ in HOSTILE_LINKS])
def test_hostile_link_values_are_echoed_as_text(app_env, script, params, literal):
    at = open_page(script, **params)
    assert_shown_as_text(at, expect=(literal,))
