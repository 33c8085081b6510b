"""Figures, maps and tables built once and shared between visitors (``ui.data.cached_view``) never show
one visitor what another may not see, and never outlive the data they were built from."""

from __future__ import annotations

import io

import pandas as pd
from sqlalchemy import select

from db import schema
from db.engine import make_engine
from ingest.importer import save_action_progress
from tests.app.test_hostile_text import downloads  # noqa: F401 - the fixture recording every download
from tests.app.test_pages import page


def _hate_value(at) -> str:
    scorecard = at.dataframe[0].value
    return str(scorecard.loc[scorecard["Indicator"] == "Hate incidents", "Value"].item())


def _hate_in_csv(content: bytes) -> str:
    frame = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype=str)
    return frame.loc[frame["indicator"] == "Hate incidents", "value"].item()


def test_a_viewer_after_an_editor_still_sees_the_small_count_hidden(app_env, monkeypatch, downloads):
    monkeypatch.setenv("TN_LOCAL_ROLE", "editor")
    editor = page("1_Locality_profile.py", area="PN-NWORT", period="2026-09")
    monkeypatch.setenv("TN_LOCAL_ROLE", "viewer")
    viewer = page("1_Locality_profile.py", area="PN-NWORT", period="2026-09")
    assert not editor.exception and not viewer.exception
    assert (_hate_value(editor), _hate_value(viewer)) == ("2", "<5")
    scorecards = [content for name, content in downloads if name.startswith("scorecard-")]
    assert [_hate_in_csv(content) for content in scorecards] == ["2", "<5"]


def _first_action(url: str) -> tuple[int, str]:
    actions, plans = schema.actions, schema.action_plans
    with make_engine(url).connect() as connection:
        return tuple(connection.execute(
            select(actions.c.id, actions.c.ref).join(plans, actions.c.plan_id == plans.c.id)
            .where(plans.c.area_code == "PN-NWORT").order_by(actions.c.id).limit(1)).one())


def _card(at, ref: str) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(f"**{ref} ·"))


def test_progress_saved_elsewhere_shows_on_the_next_visit_not_the_card_built_before(app_env):
    action_id, ref = _first_action(app_env)
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2026-09")
    assert not at.exception
    assert "**Complete:** 97%" not in _card(at, ref)
    save_action_progress(make_engine(app_env), {action_id: {"percent_complete": 97}}, changed_by="another server")
    at.run()
    assert not at.exception
    assert "**Complete:** 97%" in _card(at, ref)


def _left_out(at) -> bool:
    return any("left out of the charts" in caption.value for caption in at.caption)


def _trend_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "95% CI lower" in d.value.columns)


def test_the_indicator_maps_built_charts_follow_the_viewer_and_the_chosen_area(app_env, monkeypatch):
    monkeypatch.setenv("TN_LOCAL_ROLE", "editor")
    editor = page("3_Indicator_map.py", indicator="ASB_YOUTH", geo="ward", measure="count")
    assert list(_trend_table(editor).columns) == ["Period", "Leeds", "95% CI lower", "95% CI upper"]
    editor.selectbox(key="trend_area").set_value("E05011385").run()
    assert list(_trend_table(editor).columns) == ["Period", "Armley", "95% CI lower", "95% CI upper", "Leeds"]
    monkeypatch.setenv("TN_LOCAL_ROLE", "viewer")
    viewer = page("3_Indicator_map.py", indicator="ASB_YOUTH", geo="ward", measure="count")
    assert not editor.exception and not viewer.exception
    assert (_left_out(editor), _left_out(viewer)) == (False, True)  # hidden wards are never charted for a viewer
