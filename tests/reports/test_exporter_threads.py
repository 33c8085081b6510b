"""One chart browser for the process serves several threads at once (the app's sessions share it):
each thread gets the SVGs of its own charts, in its own order."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import plotly.graph_objects as go

from reports.figures import for_print


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
