"""The trend chart's caption and text alternative name only what the chart draws."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from metrics.rag import Target
from views.trends import TrendView, chart_key, trend_alt_text

PERIODS = [date(2025, 1, 31), date(2025, 2, 28)]


def view(*, unit: str = "percent", benchmarks=(), target: bool = False, band: bool = True,
         events: int = 0) -> TrendView:
    locality = pd.DataFrame({"period_end": PERIODS, "value": [10.0, 12.0],
                             "lower": [8.0, 9.0] if band else [None, None],
                             "upper": [12.0, 14.0] if band else [None, None]})
    goal = Target(baseline_date=date(2025, 1, 1), baseline_value=10.0, target_date=date(2027, 3, 31),
                  target_value=20.0, tolerance=1.0, tolerance_type="absolute") if target else None
    trajectory = pd.DataFrame({"date": PERIODS, "expected": [10.0, 10.5]}) if target else None
    happened = pd.DataFrame({"event_date": [date(2025, 2, 1)] * events, "title": ["Hub opened"] * events})
    return TrendView(indicator={"name": "Feel safe after dark", "unit": unit}, locality=locality,
                     benchmarks=list(benchmarks), target=goal, trajectory=trajectory,
                     events=happened, hidden_points=0, verdicts=[])


def line(kind: str, name: str, values) -> tuple[str, str, pd.DataFrame]:
    return kind, name, pd.DataFrame({"period_end": PERIODS, "value": values})


def test_a_lone_series_is_described_as_a_lone_series():
    alone = view(band=False)
    assert chart_key(alone) == "Solid blue line with markers: this locality."
    assert trend_alt_text(alone, "New Wortley") == (
        "Line chart of Feel safe after dark over time for New Wortley. Solid blue line with markers: this locality.")


@pytest.mark.parametrize("values", [[None, None], [float("nan"), float("nan")]])
def test_a_benchmark_with_no_value_drawn_is_not_named(values):
    empty = view(benchmarks=[line("ward", "Armley (ward)", values), line("city", "Leeds", [50.0, 51.0])])
    for text in (chart_key(empty), trend_alt_text(empty, "New Wortley")):
        assert "Armley" not in text and "Dash-dot" not in text
        assert "Dotted grey line: Leeds." in text


def test_ward_leeds_target_baseline_and_events_are_named_when_drawn():
    full = view(benchmarks=[line("ward", "Armley (ward)", [40.0, 41.0]), line("city", "Leeds", [50.0, 51.0])],
                target=True, events=2)
    text = trend_alt_text(full, "New Wortley")
    for part in ("Shaded band: its 95% confidence interval.", "Dash-dot line: Armley (ward).",
                 "Dotted grey line: Leeds.", "Dashed red line: target trajectory.", "Diamond: baseline.",
                 "Numbered dotted lines"):
        assert part in text
    assert "ward and Leeds" not in text


def test_no_target_means_no_trajectory_or_baseline_in_the_text():
    text = trend_alt_text(view(), "New Wortley")
    assert "target" not in text.lower() and "baseline" not in text.lower()


def test_a_locality_with_every_value_hidden_is_not_said_to_have_a_line():
    hidden = view(band=False)
    hidden.locality["value"] = None
    assert chart_key(hidden) == "No line for this locality: none of its values can be shown."
