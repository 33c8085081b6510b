"""One locality's PDF snapshot, read back as a reader would: the text, the page size, the pictures."""

from __future__ import annotations

import re

import pytest

from reports.render import render_snapshot
from reports.snapshot import gather_snapshot
from tests.reports.conftest import (
    A4_POINTS,
    AS_OF,
    PRODUCED,
    on_white,
    page_image,
    page_size_points,
    pdf_info,
    pdf_pages,
    pixels_near,
)
from views.scorecards import PUBLIC, Viewer, locality_context, locality_scorecard
from views.theme import CHART_SERIES, HIGHLIGHT_RGBA

CODE = "PN-NWORT"


@pytest.fixture(scope="module")
def snapshot(seeded_engine):
    return gather_snapshot(seeded_engine, CODE, as_of=AS_OF, viewer=PUBLIC, on=PRODUCED)


@pytest.fixture(scope="module")
def pdf(snapshot, exporter, tmp_path_factory):
    path = tmp_path_factory.mktemp("snapshot") / "new-wortley.pdf"
    path.write_bytes(render_snapshot(snapshot, fmt="pdf", exporter=exporter))
    return path


@pytest.fixture(scope="module")
def page_scorecard(seeded_engine):
    """The scorecard exactly as the Locality profile page asks for it, for a member of the public."""
    area = locality_context(seeded_engine, CODE)
    return locality_scorecard(seeded_engine, area, AS_OF, PUBLIC)


def scorecard_section(pages: list[str]) -> list[str]:
    text = "\n".join(pages)
    start = text.index("\nScorecard\n")
    end = text.index("(p): provisional.", start)
    return text[start:end].splitlines()


def shortest_unique_prefixes(names: list[str]) -> dict[str, str]:
    """The fewest leading words that tell each name apart (a long name wraps in its table cell)."""
    prefixes = {}
    for name in names:
        words = name.split()
        for n in range(1, len(words) + 1):
            prefix = " ".join(words[:n])
            if sum(other.startswith(prefix) for other in names) == 1 or n == len(words):
                prefixes[name] = prefix
                break
    return prefixes


def row_line(lines: list[str], prefix: str) -> str:
    found = [line for line in lines if line.strip().startswith(prefix)]
    assert len(found) == 1, f"expected one scorecard row starting {prefix!r}, found {found}"
    return found[0]


def test_pdf_is_one_a4_portrait_page(pdf):
    assert page_size_points(pdf) == A4_POINTS
    assert int(pdf_info(pdf)["Pages"]) == 1


def test_title_names_the_locality_ward_committee_period_and_date_produced(pdf):
    first_page = pdf_pages(pdf)[0]
    assert re.search(r"^\s*New Wortley\s{2,}THRIVING NEIGHBOURHOODS · LOCALITY SNAPSHOT\s*$", first_page, re.M)
    for fact in ("Period: September 2026", "Ward: Armley", "Community committee area: Inner West",
                 "Produced: 15 Oct 2026"):
        assert fact in " ".join(first_page.split()), fact


def test_every_scorecard_row_shows_the_pages_value_and_rag_word(pdf, page_scorecard):
    lines = scorecard_section(pdf_pages(pdf))
    prefixes = shortest_unique_prefixes(page_scorecard["indicator"].tolist())
    assert len(page_scorecard) >= 20
    for row in page_scorecard.itertuples():
        line = row_line(lines, prefixes[row.indicator])
        tokens = line.split()
        assert (row.rag_label if row.has_target else "No target") in line, (row.indicator, row.rag_label, line)
        assert row.value.split()[0] in tokens, (row.indicator, row.value, line)
        if " " not in row.value:
            assert re.search(rf"(^|\s){re.escape(row.value)}(\s|$)", line), (row.indicator, row.value, line)


def test_a_suppressed_number_stays_hidden_in_the_public_pdf(seeded_engine, pdf, page_scorecard):
    hidden = page_scorecard[page_scorecard["suppressed"]]
    assert not hidden.empty, "the sample data should hold a small number under disclosure control"
    area = locality_context(seeded_engine, CODE)
    editor = locality_scorecard(seeded_engine, area, AS_OF, Viewer(sees_small_numbers=True)).set_index("indicator")
    lines = scorecard_section(pdf_pages(pdf))
    prefixes = shortest_unique_prefixes(page_scorecard["indicator"].tolist())
    for row in hidden.itertuples():
        true_value = editor.loc[row.indicator, "value"]
        assert row.value == "<5" and true_value != "<5"
        tokens = row_line(lines, prefixes[row.indicator]).split()
        assert "<5" in tokens
        assert true_value not in tokens


def test_the_key_trend_charts_and_the_map_are_in_the_pdf_as_drawings(pdf, snapshot):
    text = " ".join("\n".join(pdf_pages(pdf)).split())
    trends = text[text.index(" Trends "):text.index("Events (numbered on the charts):")]
    assert 3 <= len(snapshot.trends) <= 4
    for view in snapshot.trends:
        assert view.indicator["name"] in trends
    assert trends.count("2020") >= len(snapshot.trends)  # each chart's own x axis, drawn in its SVG
    assert "Target trajectory" in trends and "Armley ward" in trends  # the key shared by the charts
    assert "New Wortley within Armley ward" in text
    assert "New Wortley (2 LSOAs)" in text  # the key printed under the map, from its traces


def test_the_charts_targets_come_first(snapshot):
    with_target = [view.target is not None for view in snapshot.trends]
    assert with_target == sorted(with_target, reverse=True) and with_target[0]


def test_chart_bands_and_map_fill_are_painted(pdf):
    pages = [page_image(pdf, number, dpi=150) for number in range(1, int(pdf_info(pdf)["Pages"]) + 1)]
    band = on_white((0, 114, 178), 0.18)  # CHART_SERIES["band"]: the confidence band of every trend chart
    assert CHART_SERIES["band"] == "rgba(0,114,178,0.18)"
    highlight = on_white(tuple(HIGHLIGHT_RGBA[:3]), HIGHLIGHT_RGBA[3] / 255)  # the locality's LSOAs on the map
    assert sum(pixels_near(image, band, tolerance=6) for image in pages) > 8_000
    assert sum(pixels_near(image, highlight, tolerance=12) for image in pages) > 400


def test_action_plan_progress_and_narrative_are_printed(pdf, snapshot):
    text = " ".join("\n".join(pdf_pages(pdf)).split())
    assert f"Action plan · overall: {snapshot.rollup.overall_label}" in text
    for sentence in snapshot.narrative:
        assert " ".join(sentence.split()[:8]) in text
    for ref in snapshot.actions["ref"]:
        assert ref in text


def test_notice_attribution_and_page_numbers_are_printed(pdf):
    pages = pdf_pages(pdf)
    text = " ".join("\n".join(pages).split())
    assert "Illustrative data." in text and "Contains OS data © Crown copyright" in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
