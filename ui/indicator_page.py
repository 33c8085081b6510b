"""Sections of the indicator map page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.enums import Frequency
from ui.charts import UNIT_AXIS, distribution_figure, ranking_figure, trend_figure
from ui.data import load_city_code, load_series
from ui.filters import quoted
from ui.safe_text import md
from ui.scorecards import polarity_word

RANKING_LIMIT = 40


def report_rejected(indicator: str | None, geography: str | None) -> None:
    if indicator:
        st.warning(f"{quoted(indicator)} is not an indicator that can be mapped; showing the default indicator instead. "
                   "Indicators collected for whole neighbourhoods are on the locality profile.", icon=":material/warning:")
    if geography:
        st.warning(f"{quoted(geography)} is not a geography here; use 'ward' or 'lsoa'. Showing wards.", icon=":material/warning:")


def geography_for(indicator: dict, geo: str) -> str:
    """Wards for an indicator collected for wards only (it is not built from LSOAs), saying so."""
    if indicator["collection_geography"] == "ward" and geo != "ward":
        st.info(f"{md(indicator['name'])} is collected for wards only: it is not built from LSOAs, so it is mapped "
                "by ward.", icon=":material/info:")
        return "ward"
    return geo


def no_values(indicator: dict) -> None:
    st.info(f"There are no values of {md(indicator['name'])} on or before the chosen month. Choose a later month.",
            icon=":material/search:")


def summary(indicator: dict, values: pd.DataFrame, city_text: str) -> None:
    period, basis = values["period"].iloc[0], values["basis"].iloc[0]
    built = f", added up from the {basis} census LSOAs it was published on" if basis else ""
    st.markdown(f"**{md(indicator['name'])}**, {md(period)}. Leeds: **{md(city_text)}**. "
                f"{polarity_word(indicator['polarity'])}. {len(values)} areas{built}.")


def area_trend(indicator: dict, values: pd.DataFrame, clicked: str | None, sees_small_numbers: bool) -> None:
    names = dict(zip(values["code"], values["name"], strict=True))
    options = list(names)
    if clicked in names:  # a click on the map chooses the area, as the list would
        st.session_state["trend_area"] = clicked
    if st.session_state.get("trend_area") not in names:
        st.session_state["trend_area"] = options[0]
    code = st.selectbox("Trend for (or click an area on the map)", options, format_func=names.get,
                        key="trend_area")
    if indicator["disclosure_control"] and not sees_small_numbers:
        st.info("Trends of small-number indicators are shown to editors only; the map and tables show "
                "suppressed values for this indicator.", icon=":material/lock:")
        return
    city_code = load_city_code()
    series = load_series(indicator["code"], (code, city_code))
    unit = indicator["unit"]
    if unit == "count":  # an area's count and the city's are not on one scale; their rates are
        series = series.assign(value=series["rate"], lower=series["rate_lower"], upper=series["rate_upper"])
        unit = "rate_per_1000"
    mine, city = series[series["area_code"] == code], series[series["area_code"] == city_code]
    st.plotly_chart(trend_figure(title=f"{indicator['name']}: {names[code]}", y_title=UNIT_AXIS[unit],
                                 locality=mine, locality_name=names[code], benchmarks=[("city", "Leeds", city)]),
                    width="stretch", key="area_trend_chart",
                    alt=f"Line chart of {indicator['name']} over time for {names[code]} and Leeds. The values are "
                        "in the table 'Trend data as a table' below the chart.")
    with st.expander("Trend data as a table"):
        st.dataframe(mine[["label", "value", "lower", "upper"]].rename(columns={
            "label": "Period", "value": names[code], "lower": "95% CI lower", "upper": "95% CI upper"}).merge(
            city[["label", "value"]].rename(columns={"label": "Period", "value": "Leeds"}), on="Period", how="left"
        ).round(2), hide_index=True, width="stretch")


def ranking_and_distribution(indicator: dict, values: pd.DataFrame, geography: str) -> None:
    visible = values[~values["hidden"]]
    left, right = st.columns(2)
    ranked = visible if len(visible) <= RANKING_LIMIT else pd.concat([visible.head(20), visible.tail(20)])
    title = f"Ranking ({'best and worst 20' if len(visible) > RANKING_LIMIT else 'all'} {geography.lower()})"
    left.plotly_chart(ranking_figure(title=title, x_title=UNIT_AXIS[indicator["unit"]], frame=ranked),
                      width="stretch", key="ranking_chart",
                      alt=f"Bar chart ranking areas by {indicator['name']}. Every value is in the table below.")
    right.plotly_chart(distribution_figure(title="Distribution", x_title=UNIT_AXIS[indicator["unit"]],
                                           values=visible["value"].tolist()), width="stretch", key="distribution",
                       alt=f"Histogram of {indicator['name']} across areas. Every value is in the table below.")
    if len(visible) < len(values):
        st.caption(f"{len(values) - len(visible)} areas are left out of the charts because their values are hidden "
                   "to protect small numbers (see About and methods).")


def definition(indicator: dict, *, illustrative: bool = True) -> None:
    """The indicator's definition and source; real published figures carry their attribution instead of
    the illustrative label."""
    st.subheader("About this indicator")
    origin = "illustrative values" if illustrative else "real published data; Open Government Licence v3.0"
    st.markdown(f"{md(indicator['definition'])}\n\n**Source:** {md(indicator['source'])} ({origin}). "
                f"**Unit:** {UNIT_AXIS[indicator['unit']]}. **Frequency:** {Frequency(indicator['frequency']).label}. "
                f"**Aggregation to larger areas:** {'sum of counts' if indicator['aggregation'] == 'sum' else 'numerators and denominators summed, then divided'}."
                + (" **Small numbers:** counts of 1 to 4 are shown as \\<5 to viewers, and figures from which one could "
                   "be worked out as [c]." if indicator["disclosure_control"]
                   else ""))
