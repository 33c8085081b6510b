"""Every locality's snapshot on one A4 page, read back from the PDF: page count, tiles that add up,
headings and chart labels that stand apart, and the rest of a long scorecard continued overleaf."""

from __future__ import annotations

import dataclasses
import re
from itertools import combinations

import pandas as pd
import pytest

from db import queries
from metrics.enums import ActionRag, Rag
from reports.layout import IN_BRIEF_SHORT, in_brief, lay_out, scorecard_room, split_scorecard
from reports.render import render_snapshot
from reports.snapshot import gather_snapshot
from tests.reports.conftest import AS_OF, PRODUCED, pdf_info, pdf_pages, pdf_words
from views.plans import ACTION_SYMBOL

CODES = ["PN-BEVS", "PN-BOGG", "PN-CLNW", "PN-LGRN", "PN-NWORT", "PN-RECS"]
TARGET_LABELS = [f"{rag.symbol} {rag.label}" for rag in Rag]
ACTION_LABELS = [f"{ACTION_SYMBOL[rag]} {rag.label}" for rag in ActionRag]
POINTS_PER_MM = 72 / 25.4
MIN_GAP_POINTS = 1.0


@pytest.fixture(scope="module")
def snapshots(seeded_engine):
    assert sorted(queries.localities(seeded_engine)["code"]) == CODES
    return {code: gather_snapshot(seeded_engine, code, as_of=AS_OF, on=PRODUCED) for code in CODES}


@pytest.fixture(scope="module")
def pdfs(snapshots, exporter, tmp_path_factory):
    folder = tmp_path_factory.mktemp("one-page")
    paths = {}
    for code, snapshot in snapshots.items():
        paths[code] = folder / f"{code}.pdf"
        paths[code].write_bytes(render_snapshot(snapshot, fmt="pdf", exporter=exporter))
    return paths


def tile_counts(text: str, labels: list[str]) -> dict[str, int]:
    pattern = rf"(\d+) ({'|'.join(re.escape(label) for label in labels)})(?= |$)"
    return {label: int(count) for count, label in re.findall(pattern, text)}


def headline(page: str) -> str:
    """The tiles band: from the tiles' titles to "In brief", as one line of words."""
    text = " ".join(page.split())
    return text[text.index("in the action plan"):text.index("In brief")]


@pytest.mark.parametrize("code", CODES)
def test_the_snapshot_is_one_a4_page(pdfs, code):
    assert int(pdf_info(pdfs[code])["Pages"]) == 1


@pytest.mark.parametrize("code", CODES)
def test_target_and_action_tiles_add_up_to_the_stated_totals(pdfs, snapshots, code):
    band = headline(pdf_pages(pdfs[code])[0])
    targets = int(re.search(r"(\d+) targets? in the action plan", " ".join(pdf_pages(pdfs[code])[0].split())).group(1))
    actions, overdue = map(int, re.search(r"(\d+) actions? in the plan, (\d+) overdue", band).groups())
    target_tiles, action_tiles = tile_counts(band, TARGET_LABELS), tile_counts(band, ACTION_LABELS)
    rollup = snapshots[code].rollup
    assert len(action_tiles) == len(ActionRag)  # one tile per state, at risk and off track included
    assert sum(action_tiles.values()) == actions == rollup.total == 8
    assert action_tiles == {f"{ACTION_SYMBOL[rag]} {rag.label}": rollup.counts[rag] for rag in ActionRag}
    assert overdue == rollup.overdue
    assert sum(target_tiles.values()) == targets == snapshots[code].targets


@pytest.mark.parametrize("code", CODES)
def test_no_two_words_on_the_page_overlap_or_touch(pdfs, code):
    words = pdf_words(pdfs[code])[0]
    clashes = [(a.text, b.text) for a, b in combinations(words, 2) if a.overlaps(b, gap=MIN_GAP_POINTS)]
    assert clashes == []


def test_expected_and_target_headings_stand_apart(pdfs):
    words = pdf_words(pdfs["PN-NWORT"])[0]
    heading_line = next(w.top for w in words if w.text == "Expected")  # the scorecard's column headings
    assert {"Indicator", "Period", "Value", "RAG"} <= {w.text for w in words if abs(w.top - heading_line) < 1}
    expected = next(w for w in words if w.text == "Expected" and abs(w.top - heading_line) < 1)
    target = next(w for w in words if w.text == "Target" and abs(w.top - heading_line) < 1)
    assert not expected.overlaps(target)
    assert target.left - expected.right >= 2 * POINTS_PER_MM  # a clear gap, not two cells' padding


def test_close_events_share_one_label_on_the_charts(pdfs, snapshots):
    """New Wortley's three lockdowns fall within ten months: their numbers are merged, not run together."""
    titles = [event.title for event in snapshots["PN-NWORT"].events]
    first = titles.index("COVID-19: first national lockdown") + 1
    words = {w.text for w in pdf_words(pdfs["PN-NWORT"])[0]}
    assert f"{first}–{first + 2}" in words or f"{first + 1}–{first + 2}" in words


@pytest.fixture(scope="module")
def long_snapshot(snapshots):
    """New Wortley with three times as many targets: more than one page can hold."""
    snapshot = snapshots["PN-NWORT"]
    scorecard = snapshot.scorecard
    targets = scorecard[scorecard["has_target"]]
    extra = [targets.assign(indicator=targets["indicator"] + f" (plan {n})") for n in (2, 3)]
    longer = pd.concat([targets, *extra, scorecard[~scorecard["has_target"]]], ignore_index=True)
    return dataclasses.replace(snapshot, scorecard=longer)


def test_a_long_scorecard_continues_overleaf_and_page_one_stays_full(long_snapshot, exporter, tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(render_snapshot(long_snapshot, fmt="pdf", exporter=exporter))
    pages = pdf_pages(path)
    assert len(pages) == 2
    first, second = (" ".join(page.split()) for page in pages)
    moved = int(re.search(r"The scorecard continues overleaf \((\d+) more indicators?\)", first).group(1))
    assert "New Wortley: scorecard (continued)" in second and "Action plan" in first
    names = long_snapshot.scorecard["indicator"].tolist()
    on_two = [name for name in names if " ".join(name.split()[:3]) in second]  # a long name wraps in its cell
    assert len(on_two) == moved > 0 and names[-moved:] == on_two  # the tail of the scorecard, in order
    bottom = max(w.bottom for w in pdf_words(path)[0] if w.text != "Page" and "Thriving" not in w.text)
    assert bottom > 250 * POINTS_PER_MM  # page one is used to the foot, not left half empty


def with_extra_targets(snapshot, count: int):
    """``snapshot`` with ``count`` more target rows (copies of its first target, renamed)."""
    scorecard = snapshot.scorecard
    targets = scorecard[scorecard["has_target"]]
    extra = pd.concat([targets.iloc[[0]].assign(indicator=f"Extra target {n}") for n in range(1, count + 1)])
    longer = pd.concat([targets, extra, scorecard[~scorecard["has_target"]]], ignore_index=True)
    return dataclasses.replace(snapshot, scorecard=longer)


def test_in_brief_gives_way_before_a_few_rows_spill_onto_a_page_of_their_own(snapshots, exporter, tmp_path):
    """The smallest scorecard too long for page one with "In brief" whole stays on one page, with
    "In brief" cut to two sentences and the count of the rest."""
    snapshot = snapshots["PN-NWORT"]
    full = snapshot.scorecard["narrative"].fillna("").astype(bool).sum()
    count = next(n for n in range(1, 60)
                 if split_scorecard(with_extra_targets(snapshot, n).scorecard,
                                    scorecard_room(snapshot, *in_brief(snapshot.scorecard)))[1].size)
    longer = with_extra_targets(snapshot, count)
    page = lay_out(longer)
    assert page.continued.empty and len(page.in_brief) == IN_BRIEF_SHORT
    path = tmp_path / "a-little-long.pdf"
    path.write_bytes(render_snapshot(longer, fmt="pdf", exporter=exporter))
    assert int(pdf_info(path)["Pages"]) == 1
    text = " ".join(pdf_pages(path)[0].split())
    assert f"Extra target {count}" in text and "continues overleaf" not in text
    more = full + count - IN_BRIEF_SHORT  # the extra rows copy a target with a sentence
    assert f"{more} more targets: see the scorecard." in text
