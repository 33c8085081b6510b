"""Sections of the indicator map page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.enums import Frequency
from views.charts import UNIT_AXIS, distribution_figure, ranking_figure, trend_figure
from ui.data import load_city_code, load_series
from ui.filters import quoted
from views.safe_text import md
from views.scorecards import polarity_word

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


def trend_default(codes: list[str], *, city_code: str, chosen: str | None) -> str:
    """The area the trend opens on: the locality chosen in the link (``?ward=``), else the city."""
    return chosen if chosen in codes else city_code


def area_trend(indicator: dict, values: pd.DataFrame, clicked: str | None, sees_small_numbers: bool) -> None:
    city_code = load_city_code()
    names = {city_code: "Leeds"} | dict(zip(values["code"], values["name"], strict=True))
    options = list(names)
    if clicked in names:  # a click on the map chooses the area, as the list would
        st.session_state["trend_area"] = clicked
    if st.session_state.get("trend_area") not in names:
        st.session_state["trend_area"] = trend_default(options, city_code=city_code,
                                                       chosen=st.query_params.get("ward"))
    code = st.selectbox("Trend for (or click an area on the map)", options, format_func=names.get,
                        key="trend_area")
    if indicator["disclosure_control"] and not sees_small_numbers:
        st.info("Trends of small-number indicators are shown to editors only; the map and tables show "
                "suppressed values for this indicator.", icon=":material/lock:")
        return
    series = load_series(indicator["code"], tuple(dict.fromkeys((code, city_code))))
    unit = indicator["unit"]
    if unit == "count":  # an area's count and the city's are not on one scale; their rates are
        series = series.assign(value=series["rate"], lower=series["rate_lower"], upper=series["rate_upper"])
        unit = "rate_per_1000"
    mine, city = series[series["area_code"] == code], series[series["area_code"] == city_code]
    benchmarks = [] if code == city_code else [("city", "Leeds", city)]
    st.plotly_chart(trend_figure(title=f"{indicator['name']}: {names[code]}", y_title=UNIT_AXIS[unit],
                                 locality=mine, locality_name=names[code], benchmarks=benchmarks),
                    width="stretch", key="area_trend_chart",
                    alt=f"Line chart of {indicator['name']} over time for {names[code]}"
                        + ("" if code == city_code else " and Leeds")
                        + ". The values are in the table 'Trend data as a table' below the chart.")
    with st.expander("Trend data as a table"):
        table = mine[["label", "value", "lower", "upper"]].rename(columns={
            "label": "Period", "value": names[code], "lower": "95% CI lower", "upper": "95% CI upper"})
        if benchmarks:
            table = table.merge(city[["label", "value"]].rename(columns={"label": "Period", "value": "Leeds"}),
                                on="Period", how="left")
        st.dataframe(table.round(2), hide_index=True, width="stretch")


def ranking_and_distribution(indicator: dict, values: pd.DataFrame, geography: str) -> None:
    visible = values[~values["hidden"]]
    left, right = st.columns(2)
    ranked = visible if len(visible) <= RANKING_LIMIT else pd.concat([visible.head(20), visible.tail(20)])
    left.plotly_chart(ranking_figure(title=ranking_title(len(visible), geography), x_title=UNIT_AXIS[indicator["unit"]],
                                     frame=ranked),
                      width="stretch", key="ranking_chart",
                      alt=f"Bar chart ranking areas by {indicator['name']}. Every value is in the table below.")
    if len(visible) > RANKING_LIMIT and (visible.head(20)["value"] == 0).all():
        left.caption(f"The best 20 {geography_noun(geography)} all had a value of 0: their bars have no length "
                     "and are labelled 0.")
    right.plotly_chart(distribution_figure(title="Distribution", x_title=UNIT_AXIS[indicator["unit"]],
                                           values=visible["value"].tolist()), width="stretch", key="distribution",
                       alt=f"Histogram of {indicator['name']} across areas. Every value is in the table below.")
    if len(visible) < len(values):
        st.caption(f"{len(values) - len(visible)} areas are left out of the charts because their values are hidden "
                   "to protect small numbers (see About and methods).")


def geography_noun(geography: str) -> str:
    """'LSOAs (small areas)' -> 'LSOAs'; 'Wards' -> 'wards'."""
    word = geography.split(" (")[0]
    return word if word.isupper() or word[:-1].isupper() else word.lower()


def ranking_title(count: int, geography: str) -> str:
    """The ranking chart's title in plain English: all areas when they fit, else the best and worst 20.

    Example: ``ranking_title(482, "LSOAs (small areas)")`` is "The best and worst 20 LSOAs".
    """
    noun = geography_noun(geography)
    return f"The best and worst 20 {noun}" if count > RANKING_LIMIT else f"All {count} {noun}, ranked"


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
