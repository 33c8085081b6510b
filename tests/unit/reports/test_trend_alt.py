"""The printed trend charts' text alternatives and key name only what the charts draw."""

from __future__ import annotations

import pytest

from reports.figures import ChartContents, chart_key, trend_alt


@pytest.mark.parametrize(("drawn", "alt"), [
    (ChartContents(), "Trend of Crime in New Wortley"),
    (ChartContents(city=True), "Trend of Crime in New Wortley, with the Leeds line"),
    (ChartContents(band=True, ward=True, city=True, trajectory=True, baseline=True, events=3),
     "Trend of Crime in New Wortley, with its 95% confidence interval, the Armley ward and Leeds lines, "
     "the target trajectory from its baseline and 3 numbered events"),
    (ChartContents(ward=True, city=True, at_rate=True),
     "Trend of Crime in New Wortley, with the Armley ward and Leeds lines (at their rate per resident)"),
    (ChartContents(baseline=True, events=1), "Trend of Crime in New Wortley, with the target's baseline and 1 numbered event"),
])
def test_the_alt_text_names_only_what_is_drawn(drawn, alt):
    assert trend_alt("Crime", "New Wortley", "Armley", drawn) == alt


def test_the_key_leaves_out_lines_no_chart_draws():
    key = str(chart_key("New Wortley", "Armley", ChartContents(city=True)))
    assert "New Wortley" in key and "Leeds" in key
    for absent in ("Armley ward", "Target trajectory", "Baseline", "Event", "confidence interval"):
        assert absent not in key


def test_the_key_names_what_any_chart_draws():
    drawn = ChartContents(city=True) | ChartContents(ward=True, trajectory=True, events=2)
    key = str(chart_key("New Wortley", "Armley", drawn))
    assert all(item in key for item in ("Armley ward", "Leeds", "Target trajectory", "Event (numbered below)"))
    assert "Baseline" not in key
