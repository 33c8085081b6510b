"""Action RAG against time elapsed, overdue flags and the plan roll-up."""

import math
from datetime import date

import pytest

from metrics.actions import ActionStatus, action_rag, action_status, is_overdue, plan_rollup
from metrics.enums import ActionRag
from metrics.errors import MetricsInputError

START, DUE = date(2024, 1, 1), date(2024, 1, 11)
HALF_WAY = date(2024, 1, 6)  # expected progress 50%


@pytest.mark.parametrize(
    ("percent", "status", "today", "expected"),
    [
        (45.0, "in_progress", HALF_WAY, ActionRag.ON_TRACK),  # 90% of expected: on track
        (44.9, "in_progress", HALF_WAY, ActionRag.AT_RISK),
        (35.0, "in_progress", HALF_WAY, ActionRag.AT_RISK),  # 70% of expected: at risk
        (34.9, "in_progress", HALF_WAY, ActionRag.OFF_TRACK),
        (0.0, "in_progress", HALF_WAY, ActionRag.OFF_TRACK),
        (80.0, "in_progress", HALF_WAY, ActionRag.ON_TRACK),  # ahead of time
        (100.0, "in_progress", HALF_WAY, ActionRag.COMPLETE),
        (50.0, "Complete", HALF_WAY, ActionRag.COMPLETE),
        (50.0, "completed", date(2030, 1, 1), ActionRag.COMPLETE),
        (0.0, "not_started", date(2023, 12, 31), ActionRag.NOT_STARTED),
        (0.0, "not_started", START, ActionRag.ON_TRACK),  # nothing expected yet
        (90.0, "in_progress", date(2024, 2, 1), ActionRag.ON_TRACK),  # past due: expected 100%
        (89.9, "in_progress", date(2024, 2, 1), ActionRag.AT_RISK),
        (69.9, "in_progress", DUE, ActionRag.OFF_TRACK),
    ],
)
def test_action_rag_boundaries(percent, status, today, expected):
    assert action_rag(percent_complete=percent, start=START, due=DUE, status=status,
                      today=today) is expected


def test_same_day_start_and_due():
    day = date(2024, 5, 1)
    assert action_rag(percent_complete=95, start=day, due=day, status=None,
                      today=day) is ActionRag.ON_TRACK
    assert action_rag(percent_complete=50, start=day, due=day, status=None,
                      today=day) is ActionRag.OFF_TRACK


@pytest.mark.parametrize(
    ("percent", "start", "due", "message"),
    [
        (101, START, DUE, r"percent_complete must be between 0 and 100 \(got 101\)"),
        (-1, START, DUE, r"percent_complete must be between 0 and 100 \(got -1\)"),
        (math.nan, START, DUE, "percent_complete must be between 0 and 100"),
        (10, DUE, START, r"due date \(2024-01-01\) must not be before start date \(2024-01-11\)"),
    ],
)
def test_bad_actions_are_rejected(percent, start, due, message):
    with pytest.raises(MetricsInputError, match=message):
        action_rag(percent_complete=percent, start=start, due=due, status="x", today=HALF_WAY)


@pytest.mark.parametrize(
    ("today", "percent", "status", "overdue"),
    [
        (DUE, 50, "in_progress", False),  # due today is not overdue yet
        (date(2024, 1, 12), 50, "in_progress", True),
        (date(2024, 1, 12), 100, "in_progress", False),
        (date(2024, 1, 12), 60, "complete", False),
    ],
)
def test_is_overdue(today, percent, status, overdue):
    assert is_overdue(due=DUE, percent_complete=percent, status=status, today=today) is overdue


def _statuses(**counts):
    return [ActionStatus(ActionRag(rag), False, 50.0) for rag, n in counts.items() for _ in range(n)]


@pytest.mark.parametrize(
    ("counts", "overall"),
    [
        ({"complete": 3}, ActionRag.COMPLETE),
        ({"on_track": 9, "off_track": 1}, ActionRag.ON_TRACK),  # 90% healthy
        ({"complete": 4, "not_started": 4, "at_risk": 2}, ActionRag.AT_RISK),  # 80%
        ({"on_track": 7, "at_risk": 3}, ActionRag.AT_RISK),  # 70%
        ({"on_track": 6, "at_risk": 2, "off_track": 2}, ActionRag.OFF_TRACK),  # 60%
    ],
)
def test_plan_overall_status(counts, overall):
    assert plan_rollup(_statuses(**counts)).overall is overall


def test_plan_rollup_counts_overdue_and_mean_progress():
    today = date(2024, 1, 20)
    actions = [
        action_status(percent_complete=100, start=START, due=DUE, status="complete", today=today,
                      name="Open the hub"),
        action_status(percent_complete=40, start=START, due=DUE, status="in_progress", today=today),
        action_status(percent_complete=0, start=date(2024, 3, 1), due=date(2024, 6, 1),
                      status="not_started", today=today),
    ]
    rollup = plan_rollup(actions)
    assert rollup.total == 3
    assert rollup.overdue == 1
    assert rollup.mean_percent_complete == pytest.approx(140 / 3)
    assert rollup.counts[ActionRag.COMPLETE] == 1 and rollup.counts[ActionRag.OFF_TRACK] == 1
    assert rollup.summary == "3 actions: 1 complete, 1 off track, 1 not started; 1 overdue"
    assert rollup.overall_label == "Off track"  # 2 of 3 healthy is 67%


def test_empty_plan():
    rollup = plan_rollup([])
    assert (rollup.total, rollup.overall, rollup.mean_percent_complete) == (0, None, None)
    assert rollup.overall_label == "No actions"
    assert rollup.summary == "No actions"
