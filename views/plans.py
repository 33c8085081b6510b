"""Action plans with each action judged by ``metrics.actions``; no Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from db.config import setting
from db.errors import ConfigurationError
from metrics.actions import (
    AT_RISK_SHARE,
    ON_TRACK_SHARE,
    ActionStatus,
    PlanRollup,
    action_status,
    expected_progress,
    plan_rollup,
)
from metrics.enums import ActionRag

# Action RAG shown with the indicator palette: complete and on track share green.
ACTION_SWATCH_KEY = {
    ActionRag.COMPLETE: "green",
    ActionRag.ON_TRACK: "green",
    ActionRag.NOT_STARTED: "not_assessed",
    ActionRag.AT_RISK: "amber",
    ActionRag.OFF_TRACK: "red",
}
ACTION_SYMBOL = {
    ActionRag.COMPLETE: "✓✓",
    ActionRag.ON_TRACK: "✓",
    ActionRag.NOT_STARTED: "–",
    ActionRag.AT_RISK: "!",
    ActionRag.OFF_TRACK: "✗",
}


STATUS_LABELS = {"not_started": "Not started", "in_progress": "In progress", "complete": "Complete",
                 "on_hold": "On hold"}
# A symbol beside each recorded status, so a list of them can be scanned without reading every word.
STATUS_SYMBOLS = {"not_started": "○", "in_progress": "◑", "complete": "●", "on_hold": "‖"}


def status_text(status: str) -> str:
    """A recorded status code as its symbol and word; an unknown code as it is.

    Example:
        >>> status_text("in_progress"), status_text("paused")
        ('◑ In progress', 'paused')
    """
    if status not in STATUS_LABELS:
        return status
    return f"{STATUS_SYMBOLS[status]} {STATUS_LABELS[status]}"


def progress_rule() -> str:
    """The action-progress rule of ``metrics.actions`` in words, from its own constants: the Action
    tracker and the About page both print this, so they cannot disagree with the code or each other."""
    return (
        "Progress compares percent complete with the share of time elapsed between start and due date: "
        f"on track at {ON_TRACK_SHARE:.0%} of the expected progress or more, at risk from {AT_RISK_SHARE:.0%}, "
        "off track below. Complete actions are complete. An action whose start date has not yet come is "
        "not started: shown as such, never as on track; as it cannot be behind, a plan's overall status counts "
        "it with the complete and on-track actions."
    )


def today() -> date:
    """Today's date, or the date fixed by ``TN_TODAY`` (to reproduce a committee paper)."""
    fixed = setting("TN_TODAY")
    if not fixed:
        return date.today()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        raise ConfigurationError(f"TN_TODAY must be a date written YYYY-MM-DD (got '{fixed}').") from None


def actions_with_status(engine: Engine, area_codes: list[str] | None, on: date) -> pd.DataFrame:
    """Actions of the given localities (all when None) with their judged status on ``on``.

    Adds columns: status_label (the recorded status in words), rag_key (colour key), rag_label
    (symbol and word), action_rag, overdue,
    expected_percent (time elapsed, as a percentage). Overdue first, then by due date.
    """
    actions = queries.actions_for(engine, area_codes)
    if actions.empty:
        return actions.assign(status_label=[], rag_key=[], rag_label=[], action_rag=[], overdue=[],
                              expected_percent=[])
    judged = [
        action_status(percent_complete=row.percent_complete, start=row.start_date, due=row.due_date,
                      status=row.status, today=on, name=row.ref)
        for row in actions.itertuples()
    ]
    actions = actions.assign(
        status_label=actions["status"].map(STATUS_LABELS).fillna(actions["status"]),
        action_rag=[j.rag.value for j in judged],
        rag_key=[ACTION_SWATCH_KEY[j.rag] for j in judged],
        rag_label=[f"{ACTION_SYMBOL[j.rag]} {j.rag.label}" for j in judged],
        overdue=[j.overdue for j in judged],
        expected_percent=[
            round(100 * expected_progress(start=row.start_date, due=row.due_date, today=on))
            for row in actions.itertuples()
        ],
    )
    return actions.sort_values(["overdue", "due_date"], ascending=[False, True], ignore_index=True)


def rollup_of(actions: pd.DataFrame):
    """``metrics.actions.PlanRollup`` of a frame returned by ``actions_with_status``."""
    return plan_rollup(
        ActionStatus(rag=ActionRag(row.action_rag), overdue=bool(row.overdue),
                     percent_complete=float(row.percent_complete), name=row.ref)
        for row in actions.itertuples()
    )


@dataclass(frozen=True)
class Tile:
    """One headline count: ``count`` items in the state ``label`` (symbol and word), coloured by ``css``."""

    label: str
    count: int
    css: str


def action_tiles(rollup: PlanRollup) -> list[Tile]:
    """A tile per action state of ``metrics.actions`` (complete, on track, at risk, off track, not
    started), zeros included: every action is in exactly one, so they add up to ``rollup.total``.
    Overdue is not a state but a flag on top of one, so it is stated beside the tiles, not as one.
    The overview page and the printed snapshot both show these.

    Example:
        >>> from metrics.actions import plan_rollup
        >>> rollup = plan_rollup([ActionStatus(ActionRag.ON_TRACK, False, 50.0),
        ...                       ActionStatus(ActionRag.OFF_TRACK, True, 10.0)])
        >>> [(tile.count, tile.label) for tile in action_tiles(rollup)]    # doctest: +NORMALIZE_WHITESPACE
        [(0, '✓✓ Complete'), (1, '✓ On track'), (0, '! At risk'), (1, '✗ Off track'), (0, '– Not started')]
    """
    return [Tile(f"{ACTION_SYMBOL[rag]} {rag.label}", int(rollup.counts.get(rag, 0)),
                 f"rag-{ACTION_SWATCH_KEY[rag]}") for rag in ActionRag]
