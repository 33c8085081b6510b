"""Building blocks that need neither Chromium nor poppler: the browser search, the HTML fallback,
the offline map figure, print labelling, and the import rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from reports.errors import BrowserUnavailable
from reports.figures import ChartExporter, find_browser, number_events
from reports.render import render_snapshot
from reports.snapshot import gather_snapshot
from tests.reports.conftest import AS_OF, PRODUCED
from tests.reports.test_cli import script_sources
from views.charts import trend_figure
from views.scorecards import Viewer
from views.static_maps import exterior_rings, locality_in_ward_figure, polygon_lines

ROOT = Path(__file__).resolve().parents[2]
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[0.2, 0.2], [0.3, 0.2],
                                                                                          [0.3, 0.3], [0.2, 0.2]]]}


def test_a_missing_browser_path_is_named_in_one_sentence(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "chromium"))
    with pytest.raises(BrowserUnavailable, match=r"No Chromium or Chrome at BROWSER_PATH=.*chromium"):
        find_browser()
    with pytest.raises(BrowserUnavailable):
        ChartExporter().start()


def test_a_browser_that_will_not_start_is_reported_not_raised_raw():
    with pytest.raises(BrowserUnavailable, match="could not be started"):
        ChartExporter(browser_path="/bin/false").start()


def test_html_fallback_carries_plotly_inline_and_prints_on_a4(seeded_engine):
    snapshot = gather_snapshot(seeded_engine, "PN-BOGG", as_of=AS_OF, on=PRODUCED)
    html = render_snapshot(snapshot, fmt="html", exporter=None).decode("utf-8")
    assert "Boggart Hill" in html and "September 2026" in html
    assert html.count("Plotly.newPlot") == len(snapshot.trends) + 1
    assert "size: A4 portrait" in html and script_sources(html) == []
    hate = snapshot.scorecard.set_index("indicator").loc["Hate incidents"]
    assert hate["value"] == "<5" and hate["suppressed"]


def test_an_editors_snapshot_is_marked_not_for_publication(seeded_engine):
    snapshot = gather_snapshot(seeded_engine, "PN-BOGG", as_of=AS_OF, on=PRODUCED, viewer=Viewer(True))
    html = render_snapshot(snapshot, fmt="html", exporter=None).decode("utf-8")
    assert "Not for publication" in html
    assert snapshot.scorecard.set_index("indicator").loc["Hate incidents", "value"] != "<5"


def test_exterior_rings_and_gaps():
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], SQUARE["coordinates"]]}
    assert len(list(exterior_rings(SQUARE))) == 1 and len(list(exterior_rings(multi))) == 2
    lons, lats = polygon_lines([json.dumps(SQUARE), json.dumps(multi)])
    assert lons.count(None) == 3 and lats.count(None) == 3 and len(lons) == 3 * 6


def test_map_figure_needs_no_basemap_and_names_each_layer():
    lsoas = pd.DataFrame({"code": ["E01000001", "E01000002"], "boundary_geojson": [json.dumps(SQUARE)] * 2})
    figure = locality_in_ward_figure(locality_name="Testham", ward_name="Middle", ward_boundary=json.dumps(SQUARE),
                                     lsoas=lsoas, locality_lsoas=["E01000002"])
    assert [trace.name for trace in figure.data] == ["Other LSOAs in Middle ward", "Testham (1 LSOAs)",
                                                     "Middle ward boundary"]
    assert all(isinstance(trace, go.Scattergeo) and trace.locations is None for trace in figure.data)
    assert figure.layout.geo.visible is False and figure.layout.geo.fitbounds == "locations"


def test_print_labels_events_by_their_number_in_the_snapshot_list():
    events = pd.DataFrame({"event_date": [pd.Timestamp("2020-03-23").date(), pd.Timestamp("2022-10-03").date()],
                           "title": ["Lockdown", "Warm spaces"]})
    locality = pd.DataFrame({"period_end": [pd.Timestamp("2020-01-31"), pd.Timestamp("2023-01-31")],
                             "value": [1.0, 2.0]})
    figure = trend_figure(title="T", y_title="Count", locality=locality, locality_name="X", events=events)
    numbers = {(events["event_date"][0], "Lockdown"): 4, (events["event_date"][1], "Warm spaces"): 7}
    labelled = number_events(figure, events, numbers)
    assert [a.text for a in labelled.layout.annotations] == ["4", "7"]


def test_reports_and_the_figures_they_use_never_import_streamlit():
    code = ("import sys, reports.cli, reports.render, views.static_maps, views.wording; "
            "sys.exit('streamlit' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_shared_wording_matches_the_pages():
    import ui.layout
    import views.wording

    assert views.wording.ILLUSTRATIVE_NOTICE == ui.layout.ILLUSTRATIVE_NOTICE
    assert views.wording.ATTRIBUTION == ui.layout.ATTRIBUTION
