"""Progress of a locality's action plan: percent complete against time elapsed.

Expected progress is the share of the time from start to due date that has passed (0 before the
start, 1 from the due date on). An action is:

* complete when its status says so ("complete" / "completed") or it is 100% complete;
* not started when today is before its start date: a state of its own, not on track (a plan's
  overall status counts it as healthy, with complete and on-track actions, see :class:`PlanRollup`);
* on track when its progress is at least ``ON_TRACK_SHARE`` (90%) of expected progress;
* at risk from ``AT_RISK_SHARE`` (70%) up to 90%; off track below 70%.

Past the due date expected progress is 100%, so a 95%-complete action is still "on track"
by this rule; it is also overdue, which :func:`is_overdue` reports separately.

Example:
    >>> from datetime import date
    >>> action_rag(percent_complete=30, start=date(2024, 4, 1), due=date(2025, 4, 1),
    ...            status="in_progress", today=date(2024, 10, 1)).label
    'Off track'
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from metrics.enums import ActionRag
from metrics.errors import MetricsInputError
from metrics.formatting import is_missing

ON_TRACK_SHARE = 0.9
AT_RISK_SHARE = 0.7
FULL_PERCENT = 100.0
FLOAT_TOLERANCE = 1e-9
COMPLETE_STATUSES = frozenset({"complete", "completed"})
_HEALTHY = (ActionRag.COMPLETE, ActionRag.ON_TRACK, ActionRag.NOT_STARTED)


def _check_action(*, percent_complete: float, start: date, due: date) -> None:
    if is_missing(percent_complete) or not 0 <= percent_complete <= FULL_PERCENT:
        raise MetricsInputError(
            f"percent_complete must be between 0 and 100 (got {percent_complete!r})"
        )
    if due < start:
        raise MetricsInputError(f"due date ({due}) must not be before start date ({start})")


def _is_complete(*, percent_complete: float, status: str | None) -> bool:
    normalised = (status or "").strip().lower().replace(" ", "_")
    return normalised in COMPLETE_STATUSES or percent_complete >= FULL_PERCENT


def expected_progress(*, start: date, due: date, today: date) -> float:
    """Share of the time from ``start`` to ``due`` that has passed on ``today``, from 0 to 1.

    Example:
        >>> expected_progress(start=date(2024, 1, 1), due=date(2024, 1, 11), today=date(2024, 1, 6))
        0.5
    """
    if today >= due:
        return 1.0
    if today <= start:
        return 0.0
    return (today - start).days / (due - start).days


def action_rag(
    *, percent_complete: float, start: date, due: date, status: str | None, today: date
) -> ActionRag:
    """RAG for one action (rules above).

    Example: half way through, 45% done is 90% of expected (on track); 35% is 70% (at risk).
        >>> from datetime import date
        >>> dates = dict(start=date(2024, 1, 1), due=date(2024, 1, 11), today=date(2024, 1, 6))
        >>> action_rag(percent_complete=45, status="in_progress", **dates).label
        'On track'
        >>> action_rag(percent_complete=34.9, status="in_progress", **dates).label
        'Off track'
    """
    _check_action(percent_complete=percent_complete, start=start, due=due)
    if _is_complete(percent_complete=percent_complete, status=status):
        return ActionRag.COMPLETE
    if today < start:
        return ActionRag.NOT_STARTED
    expected = expected_progress(start=start, due=due, today=today)
    if expected == 0:
        return ActionRag.ON_TRACK
    share = percent_complete / FULL_PERCENT / expected
    if share >= ON_TRACK_SHARE - FLOAT_TOLERANCE:
        return ActionRag.ON_TRACK
    if share >= AT_RISK_SHARE - FLOAT_TOLERANCE:
        return ActionRag.AT_RISK
    return ActionRag.OFF_TRACK


def is_overdue(*, due: date, percent_complete: float, status: str | None, today: date) -> bool:
    """True when the due date has passed and the action is not complete.

    Example:
        >>> is_overdue(due=date(2024, 3, 31), percent_complete=80, status="in_progress",
        ...            today=date(2024, 4, 1))
        True
    """
    return today > due and not _is_complete(percent_complete=percent_complete, status=status)


@dataclass(frozen=True)
class ActionStatus:
    """One action's judged state, as :func:`plan_rollup` needs it."""

    rag: ActionRag
    overdue: bool
    percent_complete: float
    name: str = ""


def action_status(*, percent_complete: float, start: date, due: date, status: str | None,
                  today: date, name: str = "") -> ActionStatus:
    """Judge one action: its RAG and overdue flag together.

    Example:
        >>> action_status(percent_complete=100, start=date(2024, 1, 1), due=date(2024, 2, 1),
        ...               status="in_progress", today=date(2024, 3, 1)).rag.label
        'Complete'
    """
    return ActionStatus(
        rag=action_rag(percent_complete=percent_complete, start=start, due=due, status=status,
                       today=today),
        overdue=is_overdue(due=due, percent_complete=percent_complete, status=status, today=today),
        percent_complete=float(percent_complete),
        name=name,
    )


@dataclass(frozen=True)
class PlanRollup:
    """Counts by action RAG, overdue actions, mean percent complete and an overall status.

    ``overall`` is complete when every action is; otherwise on track when at least 90% of actions
    are complete, on track or not yet started, at risk from 70%, off track below (the same shares
    as one action). It is ``None`` for a plan with no actions.
    """

    counts: dict[ActionRag, int] = field(default_factory=dict)
    total: int = 0
    overdue: int = 0
    mean_percent_complete: float | None = None
    overall: ActionRag | None = None

    @property
    def overall_label(self) -> str:
        return "No actions" if self.overall is None else self.overall.label

    @property
    def summary(self) -> str:
        if self.total == 0:
            return "No actions"
        parts = [f"{self.counts[rag]} {rag.label.lower()}" for rag in ActionRag if self.counts[rag]]
        noun = "action" if self.total == 1 else "actions"
        return f"{self.total} {noun}: {', '.join(parts)}; {self.overdue} overdue"


def _overall(counts: dict[ActionRag, int], total: int) -> ActionRag:
    if counts[ActionRag.COMPLETE] == total:
        return ActionRag.COMPLETE
    healthy = sum(counts[rag] for rag in _HEALTHY) / total
    if healthy >= ON_TRACK_SHARE - FLOAT_TOLERANCE:
        return ActionRag.ON_TRACK
    if healthy >= AT_RISK_SHARE - FLOAT_TOLERANCE:
        return ActionRag.AT_RISK
    return ActionRag.OFF_TRACK


def plan_rollup(actions: Iterable[ActionStatus]) -> PlanRollup:
    """Roll a plan's judged actions up into counts and an overall status.

    Example: 8 on track, 1 at risk and 1 off track is 80% healthy, so the plan is at risk.
        >>> statuses = ([ActionStatus(ActionRag.ON_TRACK, False, 50.0)] * 8
        ...             + [ActionStatus(ActionRag.AT_RISK, True, 20.0),
        ...                ActionStatus(ActionRag.OFF_TRACK, True, 0.0)])
        >>> rollup = plan_rollup(statuses)
        >>> rollup.overall_label, rollup.summary
        ('At risk', '10 actions: 8 on track, 1 at risk, 1 off track; 2 overdue')
    """
    items = list(actions)
    counts = {rag: sum(1 for item in items if item.rag == rag) for rag in ActionRag}
    if not items:
        return PlanRollup(counts=counts)
    mean = math.fsum(item.percent_complete for item in items) / len(items)
    return PlanRollup(
        counts=counts,
        total=len(items),
        overdue=sum(1 for item in items if item.overdue),
        mean_percent_complete=mean,
        overall=_overall(counts, len(items)),
    )
