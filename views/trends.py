"""One indicator's trend for a locality, with its benchmarks, target trajectory, events and SPC view.

No Streamlit here: the locality profile and the printed snapshot draw the same ``TrendView``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from db.disclosure import published_figures
from metrics.enums import Frequency
from metrics.intervention import before_after
from metrics.periods import format_date
from metrics.rag import Target, expected_value_at
from metrics.spc import target_assurance, xmr
from views.safe_text import md
from views.scorecards import (
    COUNT_RATE_PER,
    PUBLIC,
    SPC_MONTHS,
    FiguresSource,
    Viewer,
    disclose,
    indicator_lookup,
    series_for,
    target_from,
)


def trajectory_points(target: Target, *, start: date, end: date) -> pd.DataFrame:
    """The expected value at the trajectory's corners, for drawing the target line."""
    corners = sorted({max(start, target.baseline_date), target.target_date, max(end, target.target_date)})
    return pd.DataFrame({"date": corners, "expected": [expected_value_at(target=target, on=d) for d in corners]})


def mask_small_numbers(series: pd.DataFrame, indicator: dict, viewer: Viewer, *, engine: Engine,
                       figures: FiguresSource = published_figures) -> tuple[pd.DataFrame, int]:
    """Blank the points a viewer may not see (the one disclosure decision, ``scorecards.disclose``);
    returns the series and how many points are hidden."""
    masked = disclose(series, indicator, viewer, engine=engine, figures=figures)
    return masked, int(masked["hidden"].sum())


@dataclass(frozen=True)
class TrendView:
    """Everything one indicator's trend chart and its table alternative need."""

    indicator: dict
    locality: pd.DataFrame
    benchmarks: list[tuple[str, str, pd.DataFrame]]
    target: Target | None
    trajectory: pd.DataFrame | None
    events: pd.DataFrame
    hidden_points: int
    verdicts: list[str]


def trend_view(engine: Engine, area: dict, indicator_code: str, viewer: Viewer = PUBLIC, *,
               until: date | None = None, figures: FiguresSource = published_figures,
               indicators: dict[str, dict] | None = None, targets: pd.DataFrame | None = None,
               events: pd.DataFrame | None = None) -> TrendView:
    """The trend as it stood at ``until`` (a date; all periods when None): later values, events and
    verdicts are left out, so the page and the printed snapshot for a month agree. Points hidden
    from ``viewer`` by the disclosure decision (``figures``) carry no number.

    A caller drawing several trends of one area may pass what they share, read once: ``indicators``
    (``views.scorecards.indicator_lookup``), ``targets`` (``queries.targets_for`` of at least the
    area) and ``events`` (``queries.events_for`` of at least the area, its ward and the city);
    each is otherwise read here."""
    indicator = (indicators if indicators is not None else indicator_lookup(engine))[indicator_code]
    codes = [area["code"]] + [c for c in (area.get("ward_code"), area.get("city_code")) if c and c != area["code"]]
    if indicator["collection_geography"] != "lsoa":  # no LSOA sums: only the city's own published row
        codes = [c for c in (area["code"], area.get("city_code")) if c]
    series = series_for(engine, indicator, codes)
    if until is not None:
        series = series[series["period_end"] <= until]
    # One look at the decision for the locality, its ward and Leeds together.
    masked, _ = mask_small_numbers(series, indicator, viewer, engine=engine, figures=figures)
    mine = masked[masked["area_code"] == area["code"]]
    hidden = int(mine["hidden"].sum())
    benchmarks = []
    for kind, code, name in (("ward", area.get("ward_code"), area.get("ward_name")),
                             ("city", area.get("city_code"), "Leeds")):
        if code and code != area["code"] and (series["area_code"] == code).any():
            other = masked[masked["area_code"] == code]
            label = f"{name} ({kind})" if kind == "ward" else name
            if indicator["unit"] == "count":
                other, label = _at_benchmark_rate(mine, other), f"At the {label} rate"
            benchmarks.append((kind, label, other))
    targets = queries.targets_for(engine, [area["code"]]) if targets is None else targets
    target_rows = targets[(targets["area_code"] == area["code"])
                          & (targets["indicator_code"] == indicator_code)].to_dict("records")
    target = target_from(target_rows[-1]) if target_rows else None  # the newest plan's, as in the scorecard
    trajectory = None
    if target is not None and not mine.empty:
        trajectory = trajectory_points(target, start=mine["period_start"].min(), end=mine["period_end"].max())
    events = queries.events_for(engine, codes) if events is None else events[events["area_code"].isin(codes)]
    if until is not None:
        events = events[events["event_date"] <= until]
    if not mine.empty:
        events = events[(events["event_date"] >= mine["period_start"].min())
                        & (events["event_date"] <= mine["period_end"].max())]
    verdicts = _verdicts(indicator, mine, events) if hidden == 0 else [
        "Before-and-after comparisons are not shown because some values are suppressed (small numbers)."]
    return TrendView(indicator, mine, benchmarks, target, trajectory, events.reset_index(drop=True), hidden, verdicts)


def _at_benchmark_rate(mine: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """The count the locality would have at the benchmark's rate per resident, period by period.

    A ward's or the city's own count is tens or hundreds of times the locality's and would
    flatten its line; its rate applied to the locality's population is comparable.
    """
    rates = other.set_index("period_start")["rate"]
    expected = mine.assign(value=mine["period_start"].map(rates) / COUNT_RATE_PER * mine["denominator"])
    return expected[["period_start", "period_end", "label", "value"]]


def _verdicts(indicator: dict, series: pd.DataFrame, events: pd.DataFrame) -> list[str]:
    held = series[series["value"].notna()]
    verdicts = []
    for event in events.itertuples():
        result = before_after(values=held["value"].tolist(), dates=held["period_start"].tolist(),
                              event_date=event.event_date, polarity=indicator["polarity"],
                              frequency=indicator["frequency"])
        verdicts.append(f"**{md(event.title)}** ({format_date(event.event_date)}): {result.verdict}")
    return verdicts


@dataclass(frozen=True)
class SpcView:
    dates: list[date]
    values: list[float]
    result: object
    assurance: str | None


def spc_view(view: TrendView, as_of_end: date, months: int = SPC_MONTHS) -> SpcView | None:
    """XmR view of the last ``months`` monthly values up to ``as_of_end``; None when not applicable."""
    if view.indicator["frequency"] != Frequency.MONTHLY or view.hidden_points:
        return None
    held = view.locality[(view.locality["period_end"] <= as_of_end) & view.locality["value"].notna()].tail(months)
    if len(held) < 12:
        return None
    result = xmr(values=held["value"].tolist(), polarity=view.indicator["polarity"])
    assurance = None
    if view.target is not None:
        assurance = target_assurance(spc=result, target=expected_value_at(target=view.target, on=as_of_end),
                                     polarity=view.indicator["polarity"])
    return SpcView(held["period_start"].tolist(), held["value"].tolist(), result, assurance)


_LINE_WORDS = {"ward": "Dash-dot line", "city": "Dotted grey line"}


def drawn_benchmarks(view: TrendView) -> list[tuple[str, str]]:
    """(kind, name) of the benchmark lines the chart actually draws: a benchmark with no value in
    the chart's periods (none held, or every one hidden) draws nothing, so it is not named."""
    return [(kind, name) for kind, name, frame in view.benchmarks if frame["value"].notna().any()]


def chart_key(view: TrendView) -> str:
    """The caption naming what the trend chart draws, and nothing it does not (a ward line, a band,
    a target or a baseline only where there is one).

    Example: an indicator collected citywide, with no target and no interval, gets "Solid blue line
    with markers: this locality." and nothing more.
    """
    drawn_here = "value" in view.locality.columns and view.locality["value"].notna().any()
    parts = ["Solid blue line with markers: this locality." if drawn_here
             else "No line for this locality: none of its values can be shown."]
    if {"lower", "upper"} <= set(view.locality.columns) and view.locality["lower"].notna().any():
        parts.append("Shaded band: its 95% confidence interval.")
    drawn = drawn_benchmarks(view)
    parts += [f"{_LINE_WORDS[kind]}: {name}." for kind, name in drawn]
    if drawn and view.indicator["unit"] == "count":
        parts.append("Benchmark lines show the count this locality would have at their rate per resident.")
    if view.trajectory is not None and not view.trajectory.empty:
        parts.append("Dashed red line: target trajectory.")
    if view.target is not None:  # the chart marks the baseline whenever there is a target
        parts.append("Diamond: baseline.")
    if not view.events.empty:
        parts.append("Numbered dotted lines: the events listed below.")
    return " ".join(parts)


def trend_alt_text(view: TrendView, area_name: str) -> str:
    """The text alternative of the page's trend chart: what is plotted, then ``chart_key``, so it names
    only the lines drawn (the printed snapshot's, with its numbered events, is ``reports.figures.trend_alt``).

    Example: "Line chart of Community hub enquiries over time for New Wortley. Solid blue line with
    markers: this locality. Shaded band: its 95% confidence interval."
    """
    return f"Line chart of {view.indicator['name']} over time for {area_name}. {chart_key(view)}"
