"""What printing does to be quick changes nothing a reader sees, and leaves the process as it was.

Charts are slimmed before WeasyPrint draws them (``reports.figures.slim_svg``): the printed picture
and its words must be exactly those of the chart as the browser exported it. The fixtures are a
trend chart and the map of New Wortley as kaleido exported them."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from PIL import ImageChops

from reports.figures import slim_svg, svg_image
from reports.render import make_pack, pdf_from_html
from tests.reports.conftest import page_image, pdf_pages

CHARTS = Path(__file__).resolve().parents[1] / "fixtures" / "charts"


def printed(tmp_path: Path, svg: bytes, name: str) -> Path:
    """A PDF of the chart alone, at the width a trend chart has on the A4 page."""
    html = f'<body class="tn-report"><div style="width: 45mm">{svg_image(svg, alt="chart")}</div></body>'
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf_from_html(html.replace('class="chart"', 'style="width: 100%"')))
    return path


@pytest.mark.parametrize("name", ["trend_as_exported.svg", "map_as_exported.svg"])
def test_a_slimmed_chart_prints_the_same_picture_and_words(tmp_path, name):
    exported = (CHARTS / name).read_bytes()
    slimmed = slim_svg(exported)
    before, after = printed(tmp_path, exported, "exported"), printed(tmp_path, slimmed, "slimmed")

    assert ImageChops.difference(page_image(before, 1, dpi=200), page_image(after, 1, dpi=200)).getbbox() is None
    assert pdf_pages(after) == pdf_pages(before)


def test_a_slimmed_trend_chart_keeps_its_axis_labels_and_drops_its_empty_groups():
    exported = (CHARTS / "trend_as_exported.svg").read_bytes()
    slimmed = slim_svg(exported)
    labels = re.compile(rb"<text[^>]*>([^<]+)</text>")

    assert labels.findall(slimmed) == labels.findall(exported)
    assert b"2020" in labels.findall(slimmed)
    assert slimmed.count(b"<g") < exported.count(b"<g") / 2
    drawn_paths = re.compile(rb'<path [^>]*\bd="[^"]')
    assert len(drawn_paths.findall(slimmed)) == len(drawn_paths.findall(exported)) == 32


def test_laying_out_a_report_puts_the_garbage_collector_back_as_it_was():
    before = gc.get_threshold()
    pdf = pdf_from_html('<body class="tn-report"><p>Thriving Neighbourhoods</p></body>')
    assert pdf.startswith(b"%PDF") and gc.get_threshold() == before


def test_a_report_that_fails_still_puts_the_garbage_collector_back(seeded_engine):
    before = gc.get_threshold()
    with pytest.raises(ValueError, match="format must be one of"):
        make_pack(seeded_engine, None, fmt="docx", exporter=None)
    assert gc.get_threshold() == before
