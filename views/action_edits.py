"""The action-progress editor in words, and what an edit would change; no Streamlit here.

Editors see labels, not database codes: column headings such as "Progress (%)" and statuses such as
"In progress" (not ``in_progress``). Their edits are turned back into codes for
``ingest.importer.save_action_progress``, and described before anything is written, for example
``A1: progress 40% to 85%, status In progress to Complete``.
"""

from __future__ import annotations

import numbers

import pandas as pd

from views.plans import STATUS_LABELS

# Stored column -> heading in the editor, in the order shown. Only the last three are editable.
HEADINGS = {
    "ref": "Reference", "title": "Action", "lead": "Lead", "due_date": "Due date",
    "percent_complete": "Progress (%)", "status": "Status", "commentary": "Commentary",
    "updated_by": "Last changed by", "updated_at": "Last changed",
}
EDITABLE_FIELDS = ("percent_complete", "status", "commentary")
COLUMN_ORDER = ("Reference", "Action", "Progress (%)", "Status", "Commentary", "Due date")
# The editor's order: what can be changed first, beside what it is. Lead and who changed what last are
# left out of the grid so that it fits a 1366 px laptop; the tracker shows the lead, and the recent
# changes below the editor say who changed what and when.
EDITABLE = tuple(HEADINGS[f] for f in EDITABLE_FIELDS)
STATUS_CODES = {label: code for code, label in STATUS_LABELS.items()}
STATUS_OPTIONS = tuple(STATUS_LABELS.values())
FIELD_WORDS = {"percent_complete": "progress", "status": "status", "commentary": "commentary"}
SHOWN_TEXT = 60  # characters of a commentary quoted in a summary


def editor_frame(actions: pd.DataFrame) -> pd.DataFrame:
    """The actions as the editor shows them.

    ``actions``: as ``views.plans.actions_with_status`` returns (action_id, ref, title, lead, due_date,
    percent_complete (0-100), status (a code of ``db.schema.ACTION_STATUSES``), commentary, updated_by,
    updated_at, ...). Returns a frame indexed by action_id, sorted by reference, with the columns of
    ``HEADINGS`` under their headings and the status in words (an unknown code is shown as stored).

    >>> frame = pd.DataFrame({"action_id": [7], "ref": ["A1"], "title": ["Hub"], "lead": ["LCC"],
    ...     "due_date": [None], "percent_complete": [40.0], "status": ["in_progress"], "commentary": [None],
    ...     "updated_by": [None], "updated_at": [None]})
    >>> editor_frame(frame).loc[7, "Status"]
    'In progress'
    """
    view = actions.set_index("action_id")[list(HEADINGS)].sort_values("ref")
    view = view.assign(status=view["status"].map(STATUS_LABELS).fillna(view["status"]))
    return view.rename(columns=HEADINGS)


def edits(shown: pd.DataFrame, edited: pd.DataFrame) -> dict[int, dict[str, object]]:
    """What the editor changed, in database codes: ``{action_id: {field: new value}}``.

    ``shown`` is ``editor_frame``'s result and ``edited`` what the editor returned for it (same index).
    Fields are ``EDITABLE_FIELDS``; progress is given back as a float (0-100), a status as its code, a cleared
    cell as None.

    >>> shown = pd.DataFrame({"Progress (%)": [40.0], "Status": ["In progress"], "Commentary": [None]}, index=[7])
    >>> edits(shown, shown.assign(**{"Progress (%)": [85], "Status": ["Complete"]}))
    {7: {'percent_complete': 85.0, 'status': 'complete'}}
    """
    changes: dict[int, dict[str, object]] = {}
    for action_id in shown.index:
        for field in EDITABLE_FIELDS:
            old, new = shown.at[action_id, HEADINGS[field]], edited.at[action_id, HEADINGS[field]]
            if (pd.isna(old) and pd.isna(new)) or old == new:
                continue
            value = None if pd.isna(new) else new
            if field == "percent_complete" and isinstance(value, numbers.Real):  # numpy's too; the importer checks
                value = float(value)
            elif field == "status" and value is not None:
                value = STATUS_CODES.get(str(value), str(value))
            changes.setdefault(int(action_id), {})[field] = value
    return changes


def change_lines(shown: pd.DataFrame, changes: dict[int, dict[str, object]]) -> list[str]:
    """One plain-text line per changed action, before and after, in reference order.

    ``shown`` is ``editor_frame``'s result; ``changes`` as ``edits`` returns. Text is not escaped: the
    page escapes it before rendering.

    >>> shown = pd.DataFrame({"Reference": ["A1"], "Progress (%)": [40.0], "Status": ["In progress"],
    ...                       "Commentary": [None]}, index=[7])
    >>> change_lines(shown, {7: {"percent_complete": 85, "status": "complete"}})
    ['A1: progress 40% to 85%, status In progress to Complete']
    """
    lines = []
    for action_id in sorted(changes, key=lambda a: str(shown.at[a, HEADINGS["ref"]])):
        parts = [f"{FIELD_WORDS[field]} {_shown(field, shown.at[action_id, HEADINGS[field]], before=True)} to "
                 f"{_shown(field, new)}" for field, new in changes[action_id].items()]
        lines.append(f"{shown.at[action_id, HEADINGS['ref']]}: " + ", ".join(parts))
    return lines


def change_summary(changes: dict[int, dict[str, object]]) -> str:
    """The heading of the confirmation, e.g. ``2 actions change:`` (``changes`` as ``edits`` returns)."""
    count = len(changes)
    return f"{count} action{'' if count == 1 else 's'} change{'s' if count == 1 else ''}:"


def saved_message(saved: int, lines: list[str]) -> str:
    """What the page says after a save of ``saved`` fields described by ``lines`` (``change_lines``)."""
    if saved == 0:
        return "Nothing was saved: the database already held these values."
    return (f"Saved {saved} change{'' if saved == 1 else 's'} to {len(lines)} action{'' if len(lines) == 1 else 's'}: "
            + "; ".join(lines) + ".")


def _shown(field: str, value: object, *, before: bool = False) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "(empty)"
    if field == "percent_complete":
        return f"{float(value):g}%"
    if field == "status":
        return str(value) if before else STATUS_LABELS.get(str(value), str(value))
    text = " ".join(str(value).split())
    return f'"{text[:SHOWN_TEXT]}…"' if len(text) > SHOWN_TEXT else f'"{text}"'


HISTORY_HEADINGS = {"changed_at": "When", "changed_by": "Who", "ref": "Reference", "title": "Action",
                    "field": "What", "old_value": "Before", "new_value": "After"}


def history_frame(updates: pd.DataFrame) -> pd.DataFrame:
    """Recorded changes to actions in words, newest first.

    ``updates``: as ``ingest.history.action_update_history`` returns (changed_at, changed_by, ref, title,
    field, old_value, new_value as stored text). Returns the columns of ``HISTORY_HEADINGS`` under their
    headings, with fields and statuses in words and progress as a percentage.

    >>> history_frame(pd.DataFrame({"changed_at": [None], "changed_by": ["Sam"], "ref": ["A1"], "title": ["Hub"],
    ...     "field": ["status"], "old_value": ["in_progress"], "new_value": ["complete"]})).iloc[0].tolist()
    [None, 'Sam', 'A1', 'Hub', 'Status', 'In progress', 'Complete']
    """
    def words(field: str, value: object) -> object:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return value
        if field == "status":
            return STATUS_LABELS.get(str(value), value)
        return f"{value}%" if field == "percent_complete" else value

    frame = updates[list(HISTORY_HEADINGS)]
    frame = frame.assign(
        old_value=[words(f, v) for f, v in zip(frame["field"], frame["old_value"], strict=True)],
        new_value=[words(f, v) for f, v in zip(frame["field"], frame["new_value"], strict=True)],
        field=frame["field"].map(lambda f: FIELD_WORDS.get(f, f).capitalize()),
    )
    return frame.rename(columns=HISTORY_HEADINGS)
