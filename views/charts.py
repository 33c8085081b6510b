"""plotly figures built from frames; no Streamlit calls, so the PDF snapshot shares them.

Every figure has a title, labelled axes and a text alternative on the page (the table
beside it); series colours come from ``views.theme``. Names, titles and hover text from the store
(areas, indicators, events, actions) pass through ``views.safe_text.plotly_text``, because plotly
draws the ``<a>``, ``<b>`` and ``<br>`` tags it finds in them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from views.safe_text import plotly_text
from views.theme import CHART_SERIES, LINE_DASH, rag_swatch

UNIT_AXIS = {"count": "Count", "percent": "Per cent", "rate_per_1000": "Rate per 1,000",
             "rate_per_10000": "Rate per 10,000", "rate_per_100000": "Rate per 100,000"}
FONT = dict(family="Arial, Helvetica, sans-serif", size=13, color=CHART_SERIES["text"])
UNIT_PHRASE = {"count": "", "percent": " (%)", "rate_per_1000": " per 1,000 residents", "rate_per_10000": " per 10,000",
               "rate_per_100000": " per 100,000"}
UNIT_PLURAL = {"count": "counts", "percent": "percentages", "rate_per_1000": "rates", "rate_per_10000": "rates",
               "rate_per_100000": "rates"}


def ranked_order(polarity: str) -> str:
    """How a ranking runs, top to bottom: 'lowest first' for lower-is-better, else 'highest first'
    (``views.explore.area_values`` ranks the best first, largest first when there is no judgement)."""
    return "lowest first" if polarity == "lower_is_better" else "highest first"


def league_title(*, name: str, unit: str, period: str, polarity: str, areas: str = "wards",
                 count: int | None = None, total: int | None = None) -> str:
    """A ranking chart's title as a sentence naming the measure, the period, the areas and the order.

    Example: ``league_title(name="Recorded crime", unit="rate_per_1000", period="Sep 2026",
    polarity="lower_is_better", count=33, total=33)`` is "Recorded crime per 1,000 residents, Sep 2026:
    all 33 wards, lowest first"; with ``count=31`` it says "31 of the 33 wards"; without a count it
    names ``areas`` as given ("the chosen wards").
    """
    which = (areas if count is None else f"all {count} {areas}" if count == total
             else f"{count} of the {total} {areas}")
    return f"{name}{UNIT_PHRASE.get(unit, '')}, {period}: {which}, {ranked_order(polarity)}"


def _layout(figure: go.Figure, *, title: str, y_title: str, height: int = 380) -> go.Figure:
    figure.update_layout(
        title=dict(text=plotly_text(title), x=0, xanchor="left"),
        font=FONT,
        height=height,
        margin=dict(l=60, r=20, t=60, b=50),
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=-0.32, x=0),
        hovermode="x unified",
    )
    figure.update_yaxes(title_text=plotly_text(y_title), gridcolor=CHART_SERIES["grid"], zeroline=False, rangemode="tozero")
    figure.update_xaxes(gridcolor=CHART_SERIES["grid"])
    return figure


def trend_figure(
    *,
    title: str,
    y_title: str,
    locality: pd.DataFrame,
    locality_name: str,
    benchmarks: Sequence[tuple[str, str, pd.DataFrame]] = (),
    trajectory: pd.DataFrame | None = None,
    baseline: tuple[date, float] | None = None,
    events: pd.DataFrame | None = None,
    height: int = 380,
) -> go.Figure:
    """Actual series with its confidence band, benchmark lines, target trajectory and event markers.

    ``locality`` has columns period_end, value and optionally lower, upper; each benchmark is
    (kind, name, frame) with kind "ward" or "city"; ``trajectory`` has columns date, expected;
    ``events`` has columns event_date, title.
    """
    figure = go.Figure()
    if {"lower", "upper"} <= set(locality.columns) and locality["lower"].notna().any():
        figure.add_trace(go.Scatter(
            x=list(locality["period_end"]) + list(locality["period_end"])[::-1],
            y=list(locality["upper"]) + list(locality["lower"])[::-1],
            fill="toself", fillcolor=CHART_SERIES["band"], line=dict(width=0), hoverinfo="skip",
            name="95% confidence interval",
        ))
    for kind, name, frame in benchmarks:
        figure.add_trace(go.Scatter(
            x=frame["period_end"], y=frame["value"], name=plotly_text(name), mode="lines",
            line=dict(color=CHART_SERIES[kind], width=2, dash=LINE_DASH[kind]),
        ))
    figure.add_trace(go.Scatter(
        x=locality["period_end"], y=locality["value"], name=plotly_text(locality_name), mode="lines+markers",
        line=dict(color=CHART_SERIES["locality"], width=2.5), marker=dict(size=4),
    ))
    if trajectory is not None and not trajectory.empty:
        figure.add_trace(go.Scatter(
            x=trajectory["date"], y=trajectory["expected"], name="Target trajectory", mode="lines",
            line=dict(color=CHART_SERIES["target"], width=2, dash=LINE_DASH["target"]),
        ))
    if baseline is not None:
        figure.add_trace(go.Scatter(
            x=[baseline[0]], y=[baseline[1]], name="Baseline", mode="markers",
            marker=dict(color=CHART_SERIES["target"], size=11, symbol="diamond"),
        ))
    _add_events(figure, events)
    return _layout(figure, title=title, y_title=y_title, height=height)


def _add_events(figure: go.Figure, events: pd.DataFrame | None) -> None:
    if events is None or events.empty:
        return
    # Numbered, not titled: titles of events a few months apart overlap. The numbered list under the
    # chart carries the titles, and hovering a number shows its title.
    # One layout update for all of them: add_vline and add_annotation re-check the layout each call.
    shapes, notes = list(figure.layout.shapes), list(figure.layout.annotations)
    for number, event in enumerate(events.itertuples(), start=1):
        at = pd.Timestamp(event.event_date).timestamp() * 1000
        shapes.append(dict(type="line", xref="x", yref="paper", x0=at, x1=at, y0=0, y1=1,
                           line=dict(color=CHART_SERIES["event"], width=1, dash="dot")))
        notes.append(dict(
            x=event.event_date, y=1, yref="paper", text=str(number), hovertext=plotly_text(event.title), showarrow=False,
            xanchor="left", yanchor="top", font=dict(size=11, color=CHART_SERIES["event_text"]),
        ))
    figure.update_layout(shapes=shapes, annotations=notes)


def spc_figure(*, title: str, y_title: str, dates: Sequence[date], values: Sequence[float], mean: float,
               upper: float, lower: float, special: Sequence[bool], target: float | None = None,
               height: int = 360) -> go.Figure:
    """XmR chart: values, mean, process limits, special-cause points ringed, and the target line."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=list(dates), y=list(values), mode="lines+markers", name="Monthly value",
                                line=dict(color=CHART_SERIES["locality"], width=2), marker=dict(size=5)))
    flagged = [(d, v) for d, v, s in zip(dates, values, special, strict=True) if s]
    if flagged:
        figure.add_trace(go.Scatter(
            x=[d for d, _ in flagged], y=[v for _, v in flagged], mode="markers", name="Special cause",
            marker=dict(size=11, symbol="circle-open", color=CHART_SERIES["special"], line=dict(width=2)),
        ))
    for value, name, dash in ((mean, "Mean", "solid"), (upper, "Upper process limit", "dash"),
                              (lower, "Lower process limit", "dash")):
        figure.add_trace(go.Scatter(x=[dates[0], dates[-1]], y=[value, value], mode="lines", name=name,
                                    line=dict(color=CHART_SERIES["city"], width=1, dash=dash)))
    if target is not None:
        figure.add_trace(go.Scatter(x=[dates[0], dates[-1]], y=[target, target], mode="lines", name="Target",
                                    line=dict(color=CHART_SERIES["target"], width=2, dash="dot")))
    return _layout(figure, title=title, y_title=y_title, height=height)


def ranking_figure(*, title: str, x_title: str, frame: pd.DataFrame, highlight: Sequence[str] = (),
                   height: int | None = None, reference: tuple[str, float] | None = None) -> go.Figure:
    """Horizontal bars of ``value`` by ``name`` in the frame's order (first row at the top, as in the
    table beside it), highlighted codes in the locality colour; ``reference`` is a (name, value) drawn
    as a labelled vertical line (the Leeds value). A value of 0 has no bar, so it is marked with a dot
    as well as its figure."""
    ordered = frame.iloc[::-1]  # plotly draws the first category at the bottom
    names = ordered["name"].map(plotly_text)
    colours = [CHART_SERIES["highlight_bar"] if code in set(highlight) else CHART_SERIES["neutral"]
               for code in ordered["code"]]
    labels = [f"{value:,.1f}" for value in ordered["value"]]  # the value as text, so a bar of 0 is still read
    error_bars = _error_bars(ordered)
    figure = go.Figure(go.Bar(
        x=ordered["value"], y=names, orientation="h", marker=dict(color=colours),
        error_x=error_bars, hovertemplate="%{y}: %{x:,.1f}<extra></extra>",
        text=None if error_bars else labels, textposition="outside", cliponaxis=False,
    ))
    if error_bars:  # a label at the bar's end would sit on its interval, so it goes past the upper limit
        figure.add_trace(go.Scatter(
            x=ordered["upper"].fillna(ordered["value"]), y=names, mode="text", text=[f"\u2002{label}" for label in labels],
            textposition="middle right", textfont=dict(color=CHART_SERIES["text"]), hoverinfo="skip",
            cliponaxis=False, name="Value",
        ))
    zero = ordered["value"] == 0
    if zero.any():
        figure.add_trace(go.Scatter(x=ordered["value"][zero], y=names[zero], mode="markers", name="None recorded",
                                    marker=dict(color=CHART_SERIES["text"], size=7, symbol="circle"),
                                    hovertemplate="%{y}: none recorded<extra></extra>", cliponaxis=False))
    figure = _layout(figure, title=title, y_title="", height=height or max(320, 18 * len(ordered) + 120))
    figure.update_xaxes(title_text=plotly_text(x_title))
    figure.update_yaxes(categoryorder="array", categoryarray=names.tolist())
    if reference is not None:
        name, value = reference
        figure.add_vline(x=value, line=dict(color=CHART_SERIES["city"], width=2, dash=LINE_DASH["city"]),
                         annotation_text=plotly_text(f"{name} {value:,.1f}"), annotation_position="top")
    figure.update_layout(hovermode="closest", showlegend=False)
    return figure


def _error_bars(frame: pd.DataFrame) -> dict | None:
    if not {"lower", "upper"} <= set(frame.columns) or frame["lower"].isna().all():
        return None
    return dict(type="data", symmetric=False, array=(frame["upper"] - frame["value"]).tolist(),
                arrayminus=(frame["value"] - frame["lower"]).tolist(), color=CHART_SERIES["city"], thickness=1)


def distribution_figure(*, title: str, x_title: str, values: Sequence[float], marker: float | None = None,
                        marker_name: str = "") -> go.Figure:
    figure = go.Figure(go.Histogram(x=list(values), nbinsx=30, marker=dict(color=CHART_SERIES["histogram"]), name="Areas"))
    if marker is not None:
        figure.add_vline(x=marker, line=dict(color=CHART_SERIES["target"], width=2),
                         annotation_text=plotly_text(marker_name), annotation_position="top")
    figure = _layout(figure, title=title, y_title="Number of areas", height=320)
    figure.update_xaxes(title_text=plotly_text(x_title))
    figure.update_layout(hovermode="closest", showlegend=False)
    return figure


def timeline_figure(*, title: str, actions: pd.DataFrame, today: date) -> go.Figure:
    """Start-to-due bars per action, coloured by action RAG with its word in the hover and in a label just
    past the bar's end (outside, so a short bar's word keeps the chart's text size and contrast)."""
    figure = go.Figure()
    for row in actions.itertuples():
        swatch = rag_swatch(row.rag_key)
        figure.add_trace(go.Bar(
            x=[(pd.Timestamp(row.due_date) - pd.Timestamp(row.start_date)).days * 86_400_000],
            base=[pd.Timestamp(row.start_date)], y=[plotly_text(f"{row.ref} {row.area_name}")], orientation="h",
            marker=dict(color=swatch.fill), text=[row.rag_label], textposition="outside", cliponaxis=False,
            outsidetextfont=dict(color=CHART_SERIES["text"]), showlegend=False,
            hovertext=plotly_text(f"{row.title} ({row.lead}): {row.rag_label}, {row.percent_complete:.0f}% complete"),
            hoverinfo="text",
        ))
    figure.add_vline(x=pd.Timestamp(today).timestamp() * 1000, line=dict(color=CHART_SERIES["text"], width=1.5, dash="dot"),
                     annotation_text="Today", annotation_position="top")
    figure = _layout(figure, title=title, y_title="", height=max(300, 24 * len(actions) + 120))
    figure.update_xaxes(type="date", range=_timeline_range(actions, today))
    figure.update_yaxes(autorange="reversed", rangemode="normal")
    figure.update_layout(hovermode="closest", barmode="overlay")
    return figure


def _timeline_range(actions: pd.DataFrame, today: date) -> list[pd.Timestamp] | None:
    """Start to due date (and today), with room after the latest due date for the progress word, which
    plotly's own range leaves out and so cuts off."""
    dates = pd.to_datetime(pd.concat([actions["start_date"], actions["due_date"], pd.Series([today])]))
    if dates.isna().all():
        return None
    first, last = dates.min(), dates.max()
    span = max(last - first, pd.Timedelta(days=90))
    return [first - span * 0.02, last + span * 0.22]


def trend_chart(view, area_name: str, *, height: int = 380) -> go.Figure:
    """The trend chart of a ``views.trends.TrendView``: the page and the printed snapshot both draw this."""
    indicator = view.indicator
    return trend_figure(
        title=f"{indicator['name']}, {area_name}", y_title=UNIT_AXIS.get(indicator["unit"], indicator["unit"]),
        locality=view.locality, locality_name=area_name, benchmarks=view.benchmarks, trajectory=view.trajectory,
        baseline=(view.target.baseline_date, view.target.baseline_value) if view.target else None,
        events=view.events, height=height,
    )
