"""The pure rules behind the one-page snapshot: tiles that add up, event labels that never touch,
and which scorecard rows stay on page one."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from metrics.actions import ActionStatus, plan_rollup
from metrics.enums import ActionRag, Rag
from reports.figures import CHAR_WIDTH_EM, EVENT_FONT_SIZE, EVENT_LABEL_GAP_PX, event_labels, number_runs
from reports.layout import action_tiles, in_brief, split_scorecard, target_tiles

TEN_YEARS = (date(2016, 1, 1), date(2026, 1, 1))


def test_action_tiles_have_one_tile_per_state_and_add_up():
    states = [ActionRag.COMPLETE] * 2 + [ActionRag.ON_TRACK] * 3 + [ActionRag.AT_RISK, ActionRag.OFF_TRACK,
                                                                     ActionRag.NOT_STARTED]
    rollup = plan_rollup(ActionStatus(rag, rag is ActionRag.AT_RISK, 50.0) for rag in states)
    tiles = action_tiles(rollup)
    assert [tile.label for tile in tiles] == ["✓✓ Complete", "✓ On track", "! At risk", "✗ Off track",
                                              "– Not started"]
    assert [tile.count for tile in tiles] == [2, 3, 1, 1, 1] and sum(t.count for t in tiles) == rollup.total == 8
    assert [tile.css for tile in tiles] == ["rag-green", "rag-green", "rag-amber", "rag-red", "rag-not_assessed"]


@pytest.mark.parametrize(("counts", "labels"), [
    ({Rag.GREEN: 3, Rag.AMBER: 2, Rag.RED: 1}, ["✓ Green", "! Amber", "✗ Red", "– Not assessed"]),
    ({Rag.GREEN: 1, Rag.CANNOT_TELL: 2}, ["✓ Green", "! Amber", "✗ Red", "? Cannot tell", "– Not assessed"]),
])
def test_target_tiles_show_cannot_tell_only_when_some_target_is(counts, labels):
    tiles = target_tiles(counts)
    assert [tile.label for tile in tiles] == labels
    assert sum(tile.count for tile in tiles) == sum(counts.values())


@pytest.mark.parametrize(("numbers", "text"), [([5, 6], "5–6"), ([4, 5, 6], "4–6"), ([3], "3"), ([1, 3, 4], "1,3–4")])
def test_number_runs(numbers, text):
    assert number_runs(numbers) == text


def test_events_weeks_apart_share_a_label_and_far_ones_keep_their_own():
    dates = [date(2020, 3, 23), date(2020, 11, 5), date(2021, 1, 6), date(2023, 10, 3)]
    labels = event_labels(dates, [4, 5, 6, 7], span=TEN_YEARS, plot_px=250)
    assert labels == ["4–6", "", "", "7"]


def test_no_two_event_labels_come_closer_than_their_width():
    dates = [date(2016 + i // 4, 1 + 3 * (i % 4), 1) for i in range(40)]  # one event a quarter
    labels = event_labels(dates, list(range(1, 41)), span=TEN_YEARS, plot_px=250)
    days_per_px = (TEN_YEARS[1] - TEN_YEARS[0]).days / 250
    shown = [(when, text) for when, text in zip(dates, labels, strict=True) if text]
    for (first, text), (second, _) in zip(shown, shown[1:]):
        width_days = (len(text) * CHAR_WIDTH_EM * EVENT_FONT_SIZE + EVENT_LABEL_GAP_PX) * days_per_px
        assert (second - first).days >= width_days, (first, text, second)
    numbers = [n for _, text in shown for part in text.split(",") for n in _expand(part)]
    assert numbers == list(range(1, 41))  # every event still numbered, once


def _expand(part: str) -> list[int]:
    first, _, last = part.partition("–")
    return list(range(int(first), int(last or first) + 1))


def _scorecard(names: list[str], with_target: int) -> pd.DataFrame:
    return pd.DataFrame({"indicator": names, "value": ["12"] * len(names), "expected": ["11.5"] * len(names),
                         "target": ["9 by 31 Mar 2027"] * len(names),
                         "direction": ["No significant change"] * len(names),
                         "has_target": [i < with_target for i in range(len(names))]})


def test_every_row_stays_on_page_one_when_it_fits():
    frame = _scorecard(list("ABCDEF"), with_target=2)
    first, rest = split_scorecard(frame, lines=8)  # six rows and two group headings
    assert len(first) == 6 and rest.empty


def test_the_tail_continues_overleaf_in_order_when_it_does_not_fit():
    frame = _scorecard(list("ABCDEF"), with_target=2)
    first, rest = split_scorecard(frame, lines=7)  # one line short: the "continues" line costs one too
    assert first["indicator"].tolist() == ["A", "B", "C", "D"] and rest["indicator"].tolist() == ["E", "F"]


def test_a_long_indicator_name_counts_as_two_lines():
    short = _scorecard(["Hate incidents", "B"], with_target=2)
    long = _scorecard(["Young people not in education, employment or training", "B"], with_target=2)
    assert split_scorecard(short, lines=3)[1].empty  # heading and two one-line rows
    assert split_scorecard(long, lines=4)[1].empty  # the long name wraps: one line more
    assert len(split_scorecard(long, lines=3)[1]) == 2


def test_in_brief_names_the_worst_targets_first_and_counts_the_rest():
    frame = pd.DataFrame({"rag": ["green", "red", "amber", "green", "red", "green", "amber", "green"],
                          "narrative": [f"Sentence {i}." for i in range(8)]})
    sentences, more = in_brief(frame, limit=6)
    assert sentences[:4] == ["Sentence 1.", "Sentence 4.", "Sentence 2.", "Sentence 6."] and more == 2
