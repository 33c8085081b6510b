"""The action editor in words: headings and statuses as labels, edits back in codes, and the
before-and-after lines an editor confirms."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from views.action_edits import change_lines, change_summary, editor_frame, edits, saved_message


@pytest.fixture()
def shown() -> pd.DataFrame:
    actions = pd.DataFrame({
        "action_id": [11, 12], "ref": ["B2", "A1"], "title": ["Hub", "Walkabout"], "lead": ["LCC", "Police"],
        "theme": ["Safety", "Safety"], "due_date": [date(2026, 12, 31), date(2027, 3, 31)],
        "percent_complete": [10.0, 40.0], "status": ["not_started", "in_progress"], "commentary": [None, "Going well"],
        "updated_by": [None, "Sam"], "updated_at": [None, None]})
    return editor_frame(actions)


def test_the_editor_shows_headings_and_statuses_in_words_in_reference_order(shown):
    assert list(shown.columns) == ["Reference", "Action", "Lead", "Due date", "Progress (%)", "Status",
                                   "Commentary", "Last changed by", "Last changed"]
    assert list(shown["Reference"]) == ["A1", "B2"]
    assert list(shown["Status"]) == ["In progress", "Not started"]


def test_an_untouched_editor_changes_nothing(shown):
    assert edits(shown, shown.copy()) == {}


def test_edits_come_back_as_codes_and_are_described_before_and_after(shown):
    edited = shown.copy()
    edited.loc[12, ["Progress (%)", "Status"]] = [85, "Complete"]
    edited.loc[11, "Commentary"] = "Venue booked"
    changes = edits(shown, edited)
    assert changes == {12: {"percent_complete": 85.0, "status": "complete"}, 11: {"commentary": "Venue booked"}}
    assert change_summary(changes) == "2 actions change:"
    assert change_lines(shown, changes) == ["A1: progress 40% to 85%, status In progress to Complete",
                                            'B2: commentary (empty) to "Venue booked"']


def test_a_cleared_commentary_is_none_and_a_long_one_is_shortened(shown):
    edited = shown.copy()
    edited.loc[12, "Commentary"] = None
    assert edits(shown, edited) == {12: {"commentary": None}}
    assert change_lines(shown, {12: {"commentary": "x" * 100}}) == [f'A1: commentary "Going well" to "{"x" * 60}…"']


@pytest.mark.parametrize(("saved", "lines", "message"), [
    (0, ["A1: progress 40% to 85%"], "Nothing was saved: the database already held these values."),
    (1, ["A1: progress 40% to 85%"], "Saved 1 change to 1 action: A1: progress 40% to 85%."),
    (3, ["A1: progress 40% to 85%, status In progress to Complete", 'B2: commentary (empty) to "x"'],
     'Saved 3 changes to 2 actions: A1: progress 40% to 85%, status In progress to Complete; '
     'B2: commentary (empty) to "x".'),
])
def test_the_saved_message_says_what_was_saved(saved, lines, message):
    assert saved_message(saved, lines) == message
