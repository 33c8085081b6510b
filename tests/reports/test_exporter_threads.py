"""One chart browser for the process serves several threads at once (the app's sessions share it):
each thread gets the SVGs of its own charts, in its own order."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import plotly.graph_objects as go

from reports.figures import RELOAD_EVERY, ChartExporter, for_print


def labelled(text: str) -> go.Figure:
    figure = go.Figure(go.Bar(x=[text], y=[1]))
    return for_print(figure, (200, 120), copy=False)


def test_threads_sharing_one_exporter_each_get_their_own_charts(exporter):
    groups = [[f"group{g}chart{c}" for c in range(3)] for g in range(4)]

    def draw(labels: list[str]) -> list[bytes]:
        return exporter.svgs([labelled(label) for label in labels])

    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        drawn = list(pool.map(draw, groups))
    for labels, svgs in zip(groups, drawn, strict=True):
        assert len(svgs) == len(labels)
        for label, svg in zip(labels, svgs, strict=True):
            text = svg.decode("utf-8")
            assert text.lstrip().startswith("<svg") and label in text


def test_a_tab_kept_between_charts_draws_a_chart_as_a_freshly_loaded_page_does(exporter):
    """The browser's tabs keep their page between charts (plotly.js is not loaded again for each):
    a chart drawn after many others is the chart a newly started browser draws first."""
    def drawn(svg: bytes) -> str:  # plotly names its clip paths and layers with random hex ids
        return re.sub(r"[0-9a-f]{6}", "", svg.decode("utf-8"))

    figures = [labelled(f"chart {n}") for n in range(RELOAD_EVERY + 5)]
    after_many = exporter.svgs(figures)
    with ChartExporter(tabs=1) as fresh:
        first = [fresh.svgs([figure])[0] for figure in (figures[-1], figures[0])]
    assert drawn(after_many[-1]) == drawn(first[0]) and drawn(after_many[0]) == drawn(first[1])
    assert f"chart {RELOAD_EVERY + 4}" in drawn(after_many[-1])
