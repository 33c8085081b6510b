"""Every printed trend chart's text alternative matches the lines in its figure, for every sample
locality, and a chart without benchmark lines does not claim them."""

from __future__ import annotations

import dataclasses
import html

import pandas as pd
import pytest

from reports.render import snapshot_figures
from reports.snapshot import gather_snapshot
from tests.reports.conftest import AS_OF, PRODUCED

CODES = ["PN-BEVS", "PN-BOGG", "PN-CLNW", "PN-LGRN", "PN-NWORT", "PN-RECS"]


def drawn_names(figure) -> set[str]:
    """Names of the traces that put something on the chart (a line with at least one value); plotly
    draws names as HTML, so the figures carry them escaped."""
    return {html.unescape(trace.name) for trace in figure.data if trace.y is not None and pd.Series(trace.y).notna().any()}


@pytest.mark.parametrize("code", CODES)
def test_each_charts_alt_text_names_the_lines_it_draws_and_no_others(seeded_engine, code):
    snapshot = gather_snapshot(seeded_engine, code, as_of=AS_OF, on=PRODUCED)
    ward = snapshot.area["ward_name"]
    figures = snapshot_figures(snapshot)[:-1]  # the last is the map
    assert len(figures) == len(snapshot.trends) > 0
    for figure, alt in figures:
        names = drawn_names(figure)
        assert (f"{ward} ward" in alt) == any(ward in name for name in names), (alt, names)
        assert ("Leeds line" in alt or "and Leeds lines" in alt) == any("Leeds" in name for name in names), (alt, names)
        assert ("target trajectory" in alt) == ("Target trajectory" in names), (alt, names)
        assert ("numbered event" in alt) == any(a.visible is not False for a in figure.layout.annotations)


def test_a_chart_without_ward_or_leeds_lines_does_not_mention_them(seeded_engine):
    snapshot = gather_snapshot(seeded_engine, "PN-NWORT", as_of=AS_OF, on=PRODUCED)
    bare = [dataclasses.replace(view, benchmarks=[]) for view in snapshot.trends]
    figures = snapshot_figures(dataclasses.replace(snapshot, trends=bare))[:-1]
    for _, alt in figures:
        assert "Leeds" not in alt and "ward" not in alt
