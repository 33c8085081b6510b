"""How a locality snapshot fills one A4 page: its headline tiles, and what gives way when it is long.

The rule (also in the README): a snapshot is one A4 page. Page one always carries the header,
the target and action tiles, "In brief", the key trend charts, the map and the action plan. The
scorecard gets the room that is left (:func:`scorecard_room`, in printed lines): its rows are
placed in scorecard order (the targets first) while they fit, and only a locality whose
scorecard needs more continues it on a second page, headed "scorecard (continued)"; page one
then says how many indicators continue. "In brief" names at most ``IN_BRIEF_MAX`` targets, the
worst RAG first, and says how many more the scorecard holds.

What gives way when a locality has many targets: first "In brief", cut to ``IN_BRIEF_SHORT``
sentences, when that alone keeps the whole scorecard on page one; so a scorecard a few rows too
long never spills onto a continuation page holding only those rows. When even that would not
do, "In brief" stays whole and the rows that do not fit continue overleaf (page one filled to its
foot first).

Heights are in millimetres of the A4 text area, measured from the stylesheet
``reports/static/print.css``: ``FIXED_MM`` is everything whose size does not depend on any text;
the rest is estimated from text lengths against the column and box widths there (``*_CHARS``
are the characters a box holds per line): the facts, the illustrative-data notice, the
attribution, "In brief", the "Left out of the latest values" line, the chart captions, key and
events, the map's title and key, the action plan, and each scorecard row, so a row whose
indicator name, value, expected value or target wraps counts twice. Change the stylesheet and these together: ``tests/reports/test_one_page.py``
checks every sample locality prints on one page and a long scorecard continues overleaf.

Example:
    >>> from metrics.actions import ActionStatus, plan_rollup
    >>> from metrics.enums import ActionRag
    >>> rollup = plan_rollup([ActionStatus(ActionRag.ON_TRACK, False, 50.0),
    ...                       ActionStatus(ActionRag.OFF_TRACK, True, 10.0)])
    >>> [(tile.count, tile.label) for tile in action_tiles(rollup)]         # doctest: +NORMALIZE_WHITESPACE
    [(0, '✓✓ Complete'), (1, '✓ On track'), (0, '! At risk'), (1, '✗ Off track'), (0, '– Not started')]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from metrics.enums import Rag
from metrics.rollup import SEVERITY
from views.plans import Tile, action_tiles  # shared with the overview page's tiles
from views.wording import ATTRIBUTION, ILLUSTRATIVE_NOTICE

# Page one in millimetres (A4 less the margins in print.css), and what each part of it takes.
PAGE_MM = 269.0
SAFETY_MM = 3.0
FIXED_MM = 83.0  # header, tiles, headings, table heads and notes, charts, key: measured
RESTRICTED_MM = 0.0  # the editors' "not for publication" line sits beside the title
FACTS_LINE_MM, FACTS_CHARS = 3.1, 150
NOTICE_LINE_MM, NOTICE_CHARS = 2.9, 165  # the illustrative-data notice under the facts
ATTRIBUTION_LINE_MM, ATTRIBUTION_CHARS = 2.3, 200  # the open data's attribution at the foot
NOTE_LINE_MM, NOTE_CHARS = 2.7, 185  # "Left out of the latest values: ..." under the scorecard
NARRATIVE_LINE_MM, NARRATIVE_CHARS, NARRATIVE_ITEM_MM = 2.9, 168, 0.3
SCORECARD_LINE_MM = 2.75
EVENTS_LINE_MM, EVENTS_CHARS = 2.6, 185
ACTION_ROW_MM, ACTION_WRAP_MM, ACTION_CHARS = 3.3, 2.55, 85
MAP_BLOCK_MM = 37.0  # the map beside the plan: the plan is never shorter than this
MAP_TITLE_LINE_MM, MAP_TITLE_CHARS = 2.8, 34
MAP_KEY_LINE_MM, MAP_KEY_CHARS = 2.6, 40  # the map's key, one item a line
CAPTION_LINE_MM, CAPTION_CHARS = 2.6, 42  # under each trend chart
KEY_LINE_MM, KEY_CHARS = 2.9, 170  # the key under the charts (each line sample counts as 5 characters)
PLAN_FIXED_MM = 12.0  # the plan's heading, table head and note
IN_BRIEF_MAX = 6
IN_BRIEF_SHORT = 2  # what "In brief" keeps when that saves a continuation page
# Characters per printed line of each scorecard column (see the widths in print.css).
INDICATOR_CHARS = 40
VALUE_CHARS = 12  # "137.2 per 10,000" takes two lines
EXPECTED_CHARS = 9
TARGET_CHARS = 20
DIRECTION_CHARS = 29
GROUP_HEADING_LINES = 1


def target_tiles(counts: dict[Rag, int]) -> list[Tile]:
    """A tile per target RAG, green to not assessed; "Cannot tell" only when some target is.

    Every target is in exactly one tile, so the counts add up to the number of targets.
    """
    order = (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.CANNOT_TELL, Rag.NOT_ASSESSED)
    return [Tile(f"{rag.symbol} {rag.label}", int(counts.get(rag, 0)), f"rag-{rag.value}")
            for rag in order if rag is not Rag.CANNOT_TELL or counts.get(rag, 0)]


def _lines(text: str, chars: int) -> int:
    return max(1, math.ceil(len(text) / chars))


def row_lines(row: pd.Series | tuple) -> int:
    """Printed lines one scorecard row takes: its longest-wrapping cell."""
    cells = ((row.indicator, INDICATOR_CHARS), (row.value, VALUE_CHARS), (row.target, TARGET_CHARS),
             (row.direction, DIRECTION_CHARS))
    if row.has_target:
        cells += ((row.expected, EXPECTED_CHARS),)
    return max(_lines(str(text), chars) for text, chars in cells)


def split_scorecard(scorecard: pd.DataFrame, lines: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows for page one, rows continued overleaf): scorecard order, page one while ``lines`` last.

    A group heading ("Targets in the action plan", "Other indicators") costs a line, and so does the
    "continues overleaf" line when some rows do not fit.

    Example: 3 one-line rows with room for 3 lines: the heading, one row and the "continues" line.
        >>> frame = pd.DataFrame({"indicator": ["A", "B", "C"], "value": ["1"] * 3, "expected": ["1"] * 3,
        ...                       "target": ["t"] * 3, "direction": ["d"] * 3, "has_target": [True] * 3})
        >>> [len(part) for part in split_scorecard(frame, lines=3)]
        [1, 2]
        >>> [len(part) for part in split_scorecard(frame, lines=4)]
        [3, 0]
    """
    costs, groups = [], set()
    for row in scorecard.itertuples():
        costs.append(row_lines(row) + (GROUP_HEADING_LINES if row.has_target not in groups else 0))
        groups.add(row.has_target)
    if sum(costs) <= lines:
        return scorecard, scorecard.iloc[0:0]
    used, fits = 1, 0  # the "continues overleaf" line
    for cost in costs:
        if used + cost > lines:
            break
        used, fits = used + cost, fits + 1
    return scorecard.iloc[:fits], scorecard.iloc[fits:]


def facts_text(snapshot) -> str:
    """The header's facts line as printed, for measuring."""
    area = snapshot.area
    return (f"Period: {snapshot.period_label} Ward: {area.get('ward_name') or '-'} Community committee area: "
            f"{area.get('committee_name') or '-'} Population (mid-2019): {area.get('population') or ''} "
            f"Produced: {snapshot.produced:%d %b %Y}")


def completeness_text(snapshot) -> str:
    """The line under the scorecard naming what the latest values leave out, as printed, for measuring."""
    return f"Left out of the latest values: {'; '.join(snapshot.completeness_notes)}."


def events_text(snapshot) -> str:
    """The list of events under the charts as printed, for measuring."""
    return "Events (numbered on the charts): " + " ".join(
        f"{number}. {event.date:%d %b %Y}: {event.title} ({event.place});"
        for number, event in enumerate(snapshot.events, start=1))


def _chart_text_mm(snapshot) -> float:
    """The wrapping text around the charts: the captions under them (the longest counts) and the key."""
    if not snapshot.trends:
        return 0.0
    captions = [40 + (len(f" {view.hidden_points} values hidden (fewer than 5 cases).") if view.hidden_points else 0)
                for view in snapshot.trends]
    key = len(f"{snapshot.area['name']} 95% confidence interval {snapshot.area.get('ward_name') or ''} ward Leeds "
              "Target trajectory Baseline Event (numbered below)") + 6 * 5
    return (CAPTION_LINE_MM * (_lines("x" * max(captions), CAPTION_CHARS) - 1)
            + KEY_LINE_MM * (_lines("x" * key, KEY_CHARS) - 1))


def scorecard_room(snapshot, sentences: list[str], more_sentences: int) -> int:
    """Scorecard lines page one has room for once everything else on it is placed (see module docstring)."""
    used = FIXED_MM + SAFETY_MM + (RESTRICTED_MM if snapshot.viewer.sees_small_numbers else 0)
    used += FACTS_LINE_MM * _lines(facts_text(snapshot), FACTS_CHARS)
    used += NOTICE_LINE_MM * _lines(ILLUSTRATIVE_NOTICE.replace("**", ""), NOTICE_CHARS)
    used += ATTRIBUTION_LINE_MM * _lines(ATTRIBUTION, ATTRIBUTION_CHARS)
    used += NOTE_LINE_MM * _lines(completeness_text(snapshot), NOTE_CHARS) if snapshot.completeness_notes else 0
    used += sum(NARRATIVE_LINE_MM * _lines(sentence, NARRATIVE_CHARS) + NARRATIVE_ITEM_MM for sentence in sentences)
    used += NARRATIVE_LINE_MM if more_sentences else 0
    used += EVENTS_LINE_MM * _lines(events_text(snapshot), EVENTS_CHARS) if snapshot.events else 0
    used += _chart_text_mm(snapshot)
    plan = PLAN_FIXED_MM + sum(ACTION_ROW_MM + ACTION_WRAP_MM * (_lines(f"{row.title} · {row.lead}", ACTION_CHARS) - 1)
                               for row in snapshot.actions.itertuples())
    area = snapshot.area
    map_title = f"{area['name']} within {area.get('ward_name') or ''} ward"
    map_key = (f"Other LSOAs in {area.get('ward_name')} ward", f"{area['name']} (n LSOAs)",
               f"{area.get('ward_name')} ward boundary")
    map_block = (MAP_BLOCK_MM + MAP_TITLE_LINE_MM * (_lines(map_title, MAP_TITLE_CHARS) - 1)
                 + MAP_KEY_LINE_MM * sum(_lines(item, MAP_KEY_CHARS) - 1 for item in map_key))
    used += max(map_block, plan)
    return max(0, math.floor((PAGE_MM - used) / SCORECARD_LINE_MM))


def in_brief(scorecard: pd.DataFrame, limit: int = IN_BRIEF_MAX) -> tuple[list[str], int]:
    """(sentences to print, how many more there are): the targets' sentences, worst RAG first."""
    order = {rag.value: rank for rank, rag in enumerate(SEVERITY)}
    said = scorecard[scorecard["narrative"].fillna("").astype(bool)]
    ranked = said.assign(_rank=said["rag"].map(order), _row=range(len(said))).sort_values(["_rank", "_row"])
    sentences = ranked["narrative"].tolist()
    return sentences[:limit], max(0, len(sentences) - limit)


@dataclass(frozen=True)
class PageLayout:
    """What goes where in one snapshot (see the module docstring for the rule)."""

    target_tiles: list[Tile]
    action_tiles: list[Tile]
    in_brief: list[str]
    more_in_brief: int
    scorecard: pd.DataFrame
    continued: pd.DataFrame


def lay_out(snapshot) -> PageLayout:
    """The layout of a ``reports.snapshot.Snapshot``."""
    sentences, more = in_brief(snapshot.scorecard)
    first, rest = split_scorecard(snapshot.scorecard, scorecard_room(snapshot, sentences, more))
    if not rest.empty and len(sentences) > IN_BRIEF_SHORT:
        short, short_more = in_brief(snapshot.scorecard, limit=IN_BRIEF_SHORT)
        whole, none_left = split_scorecard(snapshot.scorecard, scorecard_room(snapshot, short, short_more))
        if none_left.empty:  # a shorter "In brief" keeps the snapshot on one page
            sentences, more, first, rest = short, short_more, whole, none_left
    return PageLayout(target_tiles=target_tiles(snapshot.target_counts), action_tiles=action_tiles(snapshot.rollup),
                      in_brief=sentences, more_in_brief=more, scorecard=first, continued=rest)
