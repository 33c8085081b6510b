"""The About page and the Action tracker say the same about not-started actions, and what they say is
what ``metrics.actions`` does: shown as not started (never as on track), counted as healthy overall."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from metrics.actions import ActionStatus, action_rag, plan_rollup
from metrics.enums import ActionRag

ROOT = Path(__file__).resolve().parents[2]
NOT_STARTED_SENTENCE = "An action whose start date has not yet come is not started: shown as such, never as on track"


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"pages/{name}")
    return at.run()


def shown_text(at: AppTest) -> str:
    return " ".join(" ".join(str(e.value).split()) for e in (*at.markdown, *at.caption))


def test_the_code_keeps_not_started_apart_from_on_track_but_healthy_overall():
    rag = action_rag(percent_complete=0, start=date(2027, 1, 1), due=date(2027, 6, 1), status="not_started",
                     today=date(2026, 11, 22))
    assert rag is ActionRag.NOT_STARTED and rag is not ActionRag.ON_TRACK
    plan = plan_rollup([ActionStatus(ActionRag.NOT_STARTED, False, 0.0)] * 9 + [ActionStatus(ActionRag.OFF_TRACK, True, 0.0)])
    assert plan.overall is ActionRag.ON_TRACK  # 9 of 10 healthy: not started counts with on track overall


def test_methods_page_and_tracker_say_the_same_about_not_started_actions(app_env):
    about, tracker = page("8_About_and_methods.py"), page("4_Action_tracker.py")
    assert not about.exception and not tracker.exception
    methods, tracked = shown_text(about), shown_text(tracker)
    assert NOT_STARTED_SENTENCE in methods and NOT_STARTED_SENTENCE in tracked
    assert "count as on track" not in methods and "counted as on track" not in methods
    progress = set(tracker.dataframe[0].value["Progress"])
    assert "– Not started" in progress  # the tracker shows them apart, as the text says
