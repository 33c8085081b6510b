"""Sections of the locality profile page (Streamlit rendering)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from db.exports import csv_bytes
from metrics.enums import Rag
from metrics.periods import format_date
from views.charts import UNIT_AXIS, spc_figure, trend_chart
from ui.components import (
    colour_legend,
    csv_download,
    empty_state,
    rag_styler,
)
from ui.data import cached_view, load_actions, load_scorecard, load_spc, load_trend
from ui.filters import quoted
from views.safe_text import md
from views.plans import progress_rule, rollup_of, status_text
from views.profile_tables import SCORECARD_COLUMNS, indicator_details, interval_text, scorecard_table, table_height
from views.theme import rag_swatch
from views.trends import SpcView, TrendView, chart_key, trend_alt_text


def report_rejected_indicator(code: str | None) -> None:
    if code:
        st.warning(f"{quoted(code)} is not an indicator held for this locality; showing the most urgent one instead.",
                   icon=":material/warning:")


def header(area: dict, *, deprivation: str = "") -> None:
    facts = [f"**Ward:** {md(area['ward_name']) or '—'}",
             f"**Community committee area:** {md(area['committee_name']) or '—'}",
             f"**Population (mid-2019):** {area['population']:,}" if area.get("population") else "",
             f"**Approach tier:** {md(area['tier']) or '—'}"]
    st.markdown(" · ".join(f for f in facts if f))
    if deprivation:
        st.caption(deprivation)
    if area["type"] == "priority_neighbourhood" and not area.get("is_custom"):
        st.caption("Neighbourhood boundary: an illustrative approximation built from the LSOAs nearest the named "
                   "estate, not the Council's own definition.")


def basis_note(note: str) -> None:
    """Say, next to the trends, when the locality's 2011 and 2021 LSOAs hold different numbers of people."""
    if note:
        st.info(note, icon=":material/info:")


def scorecard(frame: pd.DataFrame, *, area_name: str, as_of: date, code: str, sees_small_numbers: bool) -> None:
    """The scorecard in the columns that fit a laptop's width (``views.profile_tables``); the rest of
    each row is in the indicator details further down. ``frame`` is ``load_scorecard(code, as_of,
    sees_small_numbers)``."""
    st.subheader("Scorecard")
    if frame.empty:
        empty_state("No indicator has data for this locality yet.")
        return
    table, csv = _scorecard_parts(code, as_of, sees_small_numbers)
    config = {column.header: st.column_config.Column(column.header, width=column.width, help=column.help or None)
              for column in SCORECARD_COLUMNS}
    config["Recent trend"] = st.column_config.LineChartColumn(
        "Recent trend", width=SCORECARD_COLUMNS[-1].width, help=SCORECARD_COLUMNS[-1].help)
    st.dataframe(rag_styler(table), hide_index=True, width="stretch", column_config=config,
                 height=table_height(len(frame)), key="scorecard_table")
    st.caption(
        "Expected now: the value on the straight line from the baseline to the target at the end of the latest "
        "period. Comparisons use 95% confidence intervals (Wilson for percentages, Byar for counts and rates; "
        "counts are compared as rates per 1,000 residents): 'Similar' means the interval contains the "
        "benchmark; '—' means not compared. Direction: SPC (XmR) for monthly series, the Fingertips trend test "
        "for others. Each indicator's period, interval, reason for its RAG and definition are under "
        "'Indicator details and trend' below."
    )
    csv_download(csv, label="Download the scorecard (CSV)", key="scorecard_csv",
                 file_name=f"scorecard-{area_name.lower().replace(' ', '-')}-{as_of:%Y-%m}.csv")


@cached_view
def _scorecard_parts(code: str, as_of: date, sees_small_numbers: bool) -> tuple[pd.DataFrame, bytes]:
    """The scorecard as shown (``scorecard_table``) and its full rows as CSV."""
    frame = load_scorecard(code, as_of, sees_small_numbers)
    return scorecard_table(frame), csv_bytes(frame.drop(columns=["sparkline", "rag"]))


def details(frame: pd.DataFrame, view: TrendView) -> None:
    """The chosen indicator's full scorecard row, with its latest interval from the trend."""
    row = frame.loc[frame["indicator_code"] == view.indicator["code"]]
    if row.empty:
        return
    latest = view.locality.iloc[-1] if not view.locality.empty else None
    interval = "" if latest is None else interval_text(latest.get("lower"), latest.get("upper"),
                                                         unit=view.indicator["unit"])
    shown = indicator_details(row.iloc[0], view.indicator, interval=interval)
    st.markdown("\n".join(f"- **{label}:** {md(text)}" for label, text in shown))


def narrative(frame: pd.DataFrame) -> None:
    sentences = [s for s in frame["narrative"] if s]
    if sentences:
        st.subheader("In brief")
        st.markdown("\n".join(f"- {md(s)}" for s in sentences))


def most_urgent(frame: pd.DataFrame) -> str:
    """The indicator the trends open on: the scorecard's first red, else its first amber, else its
    first row (empty text for an empty scorecard)."""
    for rag in (Rag.RED, Rag.AMBER):
        urgent = frame.loc[frame["rag"] == rag.value, "indicator_code"]
        if not urgent.empty:
            return urgent.iloc[0]
    return "" if frame.empty else frame["indicator_code"].iloc[0]


@dataclass(frozen=True)
class TrendParts:
    """The trend section ready to draw: the chart, its text alternative and key (naming only the lines
    drawn), how many values are hidden, the events as one numbered Markdown list ("" when none), the
    before-and-after verdicts, and the chart's values as a table."""

    figure: go.Figure
    alt: str
    key: str
    hidden_points: int
    events: str
    verdicts: list[str]
    table: pd.DataFrame


def trend(code: str, indicator_code: str, sees_small_numbers: bool, as_of: date, *, area_name: str) -> None:
    """The chosen indicator's trend chart (``load_trend``), its key, events, verdicts and its data as a table."""
    parts = _trend_parts(code, indicator_code, sees_small_numbers, as_of, area_name)
    st.plotly_chart(parts.figure, width="stretch", key="trend_chart",
                    alt=f"{parts.alt} The values are in the table 'Chart data as a table' below the chart.")
    st.caption(md(parts.key))  # the definition and source are in the details above the chart
    if parts.hidden_points:
        st.info(f"{parts.hidden_points} values are hidden to protect small numbers: they rest on fewer than 5 cases, "
                "or one could be worked out from them.", icon=":material/lock:")
    if parts.events:
        st.markdown(f"**Events and interventions**\n\n{parts.events}")
    if parts.verdicts:
        st.markdown("**Did it make a difference? (six periods before and after each event)**")
        st.markdown("\n".join(f"- {v}" for v in parts.verdicts))
    with st.expander("Chart data as a table"):
        st.dataframe(parts.table, hide_index=True, width="stretch")


@cached_view
def _trend_parts(code: str, indicator_code: str, sees_small_numbers: bool, as_of: date,
                 area_name: str) -> TrendParts:
    """``TrendParts`` of ``load_trend``; the table has the period, the locality's value and 95% interval,
    and each benchmark line's value, rounded to 2 decimals."""
    view = load_trend(code, indicator_code, sees_small_numbers, as_of)
    table = view.locality[["label", "value", "lower", "upper"]].rename(columns={
        "label": "Period", "value": area_name, "lower": "95% CI lower", "upper": "95% CI upper"})
    for _, name, frame in view.benchmarks:
        table[name] = frame.set_index("label").reindex(view.locality["label"])["value"].to_numpy()
    events = "\n".join(f"{number}. {format_date(event.event_date)}: **{md(event.title)}** ({md(event.area_name)}). "
                       f"{md(event.description)}" for number, event in enumerate(view.events.itertuples(), start=1))
    return TrendParts(figure=trend_chart(view, area_name), alt=trend_alt_text(view, area_name), key=chart_key(view),
                      hidden_points=view.hidden_points, events=events, verdicts=list(view.verdicts),
                      table=table.round(2))


def spc(code: str, indicator_code: str, sees_small_numbers: bool, as_of: date) -> None:
    """The chosen indicator's XmR chart (``load_spc``) with its reading, special causes and data as a table."""
    view = load_spc(code, indicator_code, sees_small_numbers, as_of)
    if view is None:
        st.caption("SPC charts are drawn for monthly indicators with at least 12 months of unsuppressed data.")
        return
    indicator = load_trend(code, indicator_code, sees_small_numbers, as_of).indicator
    result = view.result
    st.plotly_chart(_spc_figure(code, indicator_code, sees_small_numbers, as_of), width="stretch", key="spc_chart",
                    alt=f"SPC chart of {indicator['name']} by month with its mean and process limits. The values are "
                        "in the table 'SPC chart data as a table' below the chart.")
    st.markdown(f"**Reading:** {result.variation.label}." + (f" **Target:** {view.assurance}." if view.assurance else ""))
    flagged = [(d, p) for d, p in zip(view.dates, result.points, strict=True) if p.special_cause]
    if flagged:
        st.markdown(f"Special-cause months ({len(flagged)}):\n" + "\n".join(
            f"- {d:%b %Y}: {', '.join(p.rules)}" for d, p in flagged))
    with st.expander("SPC chart data as a table"):
        st.dataframe(pd.DataFrame({
            "Month": [f"{d:%b %Y}" for d in view.dates], "Value": view.values,
            "Special cause": [", ".join(p.rules) for p in result.points],
        }), hide_index=True, width="stretch")
    st.caption(f"Mean {result.mean:,.1f}; process limits {result.lower_limit:,.1f} to {result.upper_limit:,.1f} "
               "(mean ± 2.66 × mean moving range). Special cause: a point outside the limits, 7 in a row on one "
               "side of the mean, 7 rising or falling, or 2 of 3 beyond two thirds of the limits.")


@cached_view
def _spc_figure(code: str, indicator_code: str, sees_small_numbers: bool, as_of: date) -> go.Figure:
    view = load_spc(code, indicator_code, sees_small_numbers, as_of)
    indicator = load_trend(code, indicator_code, sees_small_numbers, as_of).indicator
    result = view.result
    return spc_figure(
        title=f"{indicator['name']}: statistical process control (XmR)", y_title=UNIT_AXIS[indicator["unit"]],
        dates=view.dates, values=view.values, mean=result.mean, upper=result.upper_limit, lower=result.lower_limit,
        special=[p.special_cause for p in result.points])


def action_plan(code: str, on: date) -> None:
    """One card per action of the locality (``views.plans.actions_with_status`` on ``on``, overdue first):
    progress, status and commentary wrap within the page's width instead of hiding in a wide table."""
    st.subheader("Action plan")
    plan = _action_cards(code, on)
    if plan is None:
        empty_state("This locality has no actions recorded.")
        return
    summary, cards = plan
    st.markdown(summary)
    for text, source in cards:
        with st.container(border=True):
            st.markdown(text)
            st.caption(source)
    st.caption(progress_rule())


@cached_view
def _action_cards(code: str, on: date) -> tuple[str, list[tuple[str, str]]] | None:
    """The plan's summary line and each action's card as (Markdown, caption); None when it has no actions."""
    actions = load_actions((code,), on)
    if actions.empty:
        return None
    rollup = rollup_of(actions)
    cards = []
    for action in actions.itertuples():
        overdue = " · **⚠ Overdue**" if action.overdue else ""
        commentary = f"\n\n{md(action.commentary)}" if action.commentary and not pd.isna(action.commentary) else ""
        cards.append((f"**{md(action.ref)} · {md(action.title)}**{overdue}\n\n"
                      f"**Progress:** {action.rag_label} · **Status:** {md(status_text(action.status))} · "
                      f"**Complete:** {action.percent_complete:.0f}% (time elapsed {action.expected_percent:.0f}%)"
                      f" · **Due:** {format_date(action.due_date)}{commentary}",
                      f"Lead: {md(action.lead)} · Theme: {md(action.theme)} · Started {format_date(action.start_date)}"))
    return f"**{rollup.overall_label}:** {rollup.summary}.", cards


def rag_legend() -> None:
    colour_legend([(rag_swatch(key).fill, label) for key, label in (
        ("green", "✓ Green"), ("amber", "! Amber"), ("red", "✗ Red"), ("not_assessed", "– Not assessed"))])
