"""Sections of the indicator map page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics.enums import Frequency
from views.charts import UNIT_AXIS, UNIT_PLURAL, distribution_figure, ranked_order, ranking_figure, trend_figure
from ui.data import cached_view, load_area_values, load_city_code, load_series, load_wards
from ui.filters import quoted
from views.safe_text import md
from views.scorecards import polarity_word

RANKING_LIMIT = 40  # every area is drawn up to this many; beyond it, the ends
SHOWN_EACH_END = 20


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
    chosen = st.query_params.get("ward")
    mapped = dict(zip(values["code"], values["name"], strict=True))
    ward_list = load_wards()
    wards = dict(zip(ward_list["code"], ward_list["name"], strict=True))
    # the ward in the link leads the list even when LSOAs are mapped, so the trend opens on it
    names = {city_code: "Leeds"} | ({chosen: wards[chosen]} if chosen in wards else {}) | mapped
    options = list(names)
    if clicked in names:  # a click on the map chooses the area, as the list would
        st.session_state["trend_area"] = clicked
    if st.session_state.get("trend_area") not in names:
        st.session_state["trend_area"] = trend_default(options, city_code=city_code, chosen=chosen)
    code = st.selectbox("Trend for (or click an area on the map)", options, format_func=names.get,
                        key="trend_area")
    if indicator["disclosure_control"] and not sees_small_numbers:
        st.info("Trends of small-number indicators are shown to editors only; the map and tables show "
                "suppressed values for this indicator.", icon=":material/lock:")
        return
    figure, table = _trend_parts(indicator, code, names[code], city_code, sees_small_numbers)
    st.plotly_chart(figure, width="stretch", key="area_trend_chart",
                    alt=f"Line chart of {indicator['name']} over time for {names[code]}"
                        + ("" if code == city_code else " and Leeds")
                        + ". The values are in the table 'Trend data as a table' below the chart.")
    with st.expander("Trend data as a table"):
        st.dataframe(table, hide_index=True, width="stretch")


@cached_view
def _trend_parts(indicator: dict, code: str, name: str, city_code: str,
                 sees_small_numbers: bool) -> tuple[go.Figure, pd.DataFrame]:
    """The trend of ``code`` (called ``name``) against Leeds, and the table of its values (rounded to 2
    places): built once per choice, as every rerun of the page would draw them alike. The series is the
    same for every viewer who is shown it; ``sees_small_numbers`` keys it by role all the same, as every
    built view is."""
    series = load_series(indicator["code"], tuple(dict.fromkeys((code, city_code))))
    unit = indicator["unit"]
    if unit == "count":  # an area's count and the city's are not on one scale; their rates are
        series = series.assign(value=series["rate"], lower=series["rate_lower"], upper=series["rate_upper"])
        unit = "rate_per_1000"
    mine, city = series[series["area_code"] == code], series[series["area_code"] == city_code]
    benchmarks = [] if code == city_code else [("city", "Leeds", city)]
    figure = trend_figure(title=f"{indicator['name']}: {name}", y_title=UNIT_AXIS[unit], locality=mine,
                          locality_name=name, benchmarks=benchmarks)
    table = mine[["label", "value", "lower", "upper"]].rename(columns={
        "label": "Period", "value": name, "lower": "95% CI lower", "upper": "95% CI upper"})
    if benchmarks:
        table = table.merge(city[["label", "value"]].rename(columns={"label": "Period", "value": "Leeds"}),
                            on="Period", how="left")
    return figure, table.round(2)


@dataclass(frozen=True)
class RankingParts:
    """The ranking charts (each with its title and the note under it) and the distribution, built."""

    rankings: list[tuple[str, go.Figure, str | None]]
    distribution: go.Figure
    left_out: int  # areas whose values are hidden, so not charted


def ranking_and_distribution(indicator: dict, area_type: str, as_of: date, sees_small_numbers: bool,
                             per_resident: bool, geography: str) -> None:
    """The ranking of ``load_area_values`` for these choices beside its distribution; ``indicator`` as shown."""
    parts = _ranking_parts(indicator, area_type, as_of, sees_small_numbers, per_resident, geography)
    left, right = st.columns(2)
    for number, (title, figure, note) in enumerate(parts.rankings):
        left.plotly_chart(figure, width="stretch", key=f"ranking_chart_{number}",
                          alt=f"Bar chart: {title}, by {indicator['name']}. Every value is in the table below.")
        if note:
            left.caption(note)  # under the chart whose bars have no length
    right.plotly_chart(parts.distribution, width="stretch", key="distribution",
                       alt=f"Histogram of {indicator['name']} across areas. Every value is in the table below.")
    if parts.left_out:
        st.caption(f"{parts.left_out} areas are left out of the charts because their values are hidden "
                   "to protect small numbers (see About and methods).")


@cached_view
def _ranking_parts(indicator: dict, area_type: str, as_of: date, sees_small_numbers: bool, per_resident: bool,
                   geography: str) -> RankingParts:
    """Every area this viewer sees ranked (or the two ends of the ranking), and their distribution."""
    values = load_area_values(indicator["code"], area_type, as_of, sees_small_numbers, per_resident=per_resident)
    visible = values[~values["hidden"]]
    groups = ([visible] if len(visible) <= RANKING_LIMIT
              else [visible.head(SHOWN_EACH_END), visible.tail(SHOWN_EACH_END)])
    titles = ranking_titles(len(visible), geography, unit=indicator["unit"], polarity=indicator["polarity"])
    zeros = int((visible["value"] == 0).sum())
    rankings = [(title, ranking_figure(title=title, x_title=UNIT_AXIS[indicator["unit"]], frame=group),
                 zero_note(zeros, int((group["value"] == 0).sum()), geography_noun(geography)))
                for title, group in zip(titles, groups, strict=True)]
    distribution = distribution_figure(title="Distribution", x_title=UNIT_AXIS[indicator["unit"]],
                                       values=visible["value"].tolist())
    return RankingParts(rankings=rankings, distribution=distribution, left_out=len(values) - len(visible))


def geography_noun(geography: str) -> str:
    """'LSOAs (small areas)' -> 'LSOAs'; 'Wards' -> 'wards'."""
    word = geography.split(" (")[0]
    return word if word.isupper() or word[:-1].isupper() else word.lower()


def ranking_titles(count: int, geography: str, *, unit: str, polarity: str) -> list[str]:
    """Titles of the ranking charts in plain English, best end first as the table is ranked: one chart
    of every area when they fit, else one for each end, named by its values rather than as best or worst.

    Example: ``ranking_titles(488, "LSOAs (small areas)", unit="rate_per_1000", polarity="lower_is_better")``
    is ["The 20 LSOAs with the lowest rates", "The 20 LSOAs with the highest rates"]; for 33 wards it is
    ["All 33 wards, lowest first"].
    """
    noun = geography_noun(geography)
    if count <= RANKING_LIMIT:
        return [f"All {count} {noun}, {ranked_order(polarity)}"]
    ends = ("lowest", "highest") if polarity == "lower_is_better" else ("highest", "lowest")
    return [f"The {SHOWN_EACH_END} {noun} with the {end} {UNIT_PLURAL[unit]}" for end in ends]


def zero_note(zeros: int, shown: int, noun: str) -> str | None:
    """Why some bars have no length: the areas that recorded none, and how many of them are drawn.

    Example: ``zero_note(29, 20, "LSOAs")`` is "29 LSOAs recorded none (0), so they tie; 20 of them are
    shown, each marked with a dot at 0. The table below lists them all."
    """
    if not shown:
        return None
    drawn = ("it is" if zeros == 1 else "each is") if shown == zeros else f"{shown} of them are shown, each"
    return (f"{zeros} {noun if zeros != 1 else noun[:-1]} recorded none (0){', so they tie' if zeros > 1 else ''}; "
            f"{drawn} marked with a dot at 0. The table below lists them all.")


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
