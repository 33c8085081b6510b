"""Sections of the ward explorer page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from db.exports import csv_bytes
from metrics.rollup import cell_text, worst_rag
from ui.board import profile_url
from views.charts import UNIT_AXIS, league_title, ranking_figure
from ui.components import csv_download, empty_state, rag_styler
from ui.data import (
    cached_view,
    load_area_values,
    load_city_reference,
    load_basis_note,
    load_deprivation,
    load_locality,
    load_programme_status,
    load_ward_comparison,
)
from ui.filters import quoted
from views.safe_text import md
from ui.mapping import Choropleth, area_map, choropleth_of, draw_values_table, table_of_values, withheld

WARD_ONLY = ("{name} is collected for wards only: it is not built from LSOAs, so there is no LSOA map. The "
             "league table below shows every ward.")
# Long names wrap in set widths (summing under the 904 px a 1,366 px screen leaves beside the sidebar), so
# six wards' rows are read without scrolling sideways.
COMPARISON_ROW_HEIGHT = 66  # above 4rem, Streamlit wraps text in a cell
COMPARISON_WIDTHS = {"Indicator": 180, "Period": 70, "Ward": 115, "Unit": 80, "Figure": 60, "95% interval": 100,
                     "Leeds": 55, "vs Leeds": 80, "Count": 60, "Leeds count": 85}
COMPARISON_HELP = {"Figure": "The ward's figure, in the row's unit", "vs Leeds": "Better, similar or worse than Leeds",
                   "Count": "The ward's count as published", "Leeds count": "The Leeds count as published"}
MAX_WARDS = 6  # side by side, a seventh ward's columns would not fit a laptop screen; the league table serves


def wards_to_detail(chosen: list[str]) -> list[str]:
    """The wards compared side by side; says so when the choice is longer."""
    if len(chosen) > MAX_WARDS:
        st.info(f"{len(chosen)} wards are chosen; the first {MAX_WARDS} are compared side by side below. All of "
                "them are highlighted in the league table.", icon=":material/info:")
    return chosen[:MAX_WARDS]


def report_unknown(codes: list[str]) -> None:
    if codes:
        listed = ", ".join(quoted(c) for c in codes)
        st.warning(f"The link names {listed}, which {'is not a Leeds ward code' if len(codes) == 1 else 'are not Leeds ward codes'}"
                   " (ward codes look like E05011385). Choose wards from the list instead.", icon=":material/warning:")


def report_rejected_indicator(code: str | None) -> None:
    if code:
        st.warning(f"{quoted(code)} is not an indicator that can be shown for wards; showing the default indicator.",
                   icon=":material/warning:")


@dataclass(frozen=True)
class WardHeader:
    """Who a ward is, as the page writes it (Markdown, its text from the store escaped)."""

    code: str
    name: str
    summary: str
    deprivation: str
    basis_note: str  # "" when its 2011 and 2021 LSOAs hold about the same people


def wards_section(ward_codes: list[str], indicator: dict, as_of: date, sees_small_numbers: bool,
                  per_resident: bool) -> None:
    """The chosen wards side by side: who they are, one table against Leeds, one chart of the chosen
    indicator, the neighbourhoods inside them and one map of their LSOAs."""
    headers = _headers(tuple(ward_codes))
    for header in headers:
        st.markdown(header.summary)
        st.caption(header.deprivation)
        if header.basis_note:
            st.info(header.basis_note, icon=":material/info:")
    _against_city(tuple((header.code, header.name) for header in headers), as_of, sees_small_numbers)
    _chosen_chart(ward_codes, indicator, as_of, sees_small_numbers, per_resident)
    _neighbourhoods(tuple(ward_codes), as_of, sees_small_numbers)
    _lsoa_map(ward_codes, indicator, as_of, sees_small_numbers, per_resident)


@cached_view
def _headers(ward_codes: tuple[str, ...]) -> list[WardHeader]:
    """Who each ward is, in the order chosen; the same for every viewer."""
    headers = []
    for code in ward_codes:
        ward = load_locality(code)
        tier = "priority ward (co-ordinated approach)" if ward["tier"] == "co-ordinated" else "core approach"
        headers.append(WardHeader(
            code=code, name=ward["name"],
            summary=f"**{md(ward['name'])}**: {md(ward['committee_name'])} community committee area; "
                    f"population {ward['population']:,} (mid-2019); {tier}.",
            deprivation=md(load_deprivation(code)), basis_note=md(load_basis_note(code))))
    return headers


def _against_city(names: tuple[tuple[str, str], ...], as_of: date, sees_small_numbers: bool) -> None:
    st.subheader("Indicators against Leeds")
    table, csv = _comparison(names, as_of, sees_small_numbers)
    if table.empty:
        empty_state("No indicator can be compared for these wards.")
        return
    st.dataframe(table, hide_index=True, width="stretch", row_height=COMPARISON_ROW_HEIGHT,
                 column_config={name: st.column_config.TextColumn(width=width, help=COMPARISON_HELP.get(name))
                                for name, width in COMPARISON_WIDTHS.items()})
    st.caption("Each row is one ward. Counts are compared as rates per 1,000 residents, percentages as they "
               "are; the ward's figure has its 95% confidence interval. Better, similar or worse: whether that "
               "interval contains the Leeds figure. The counts are as published, before that conversion.")
    csv_download(csv, label="Download (CSV)", file_name=f"wards-{'-'.join(code for code, _ in names)}-{as_of:%Y-%m}.csv",
                 key="ward_csv")


@cached_view
def _comparison(names: tuple[tuple[str, str], ...], as_of: date, sees_small_numbers: bool) -> tuple[pd.DataFrame, bytes]:
    """The table against Leeds and the same as CSV; ``names`` as (code, name) pairs of the chosen wards."""
    table = load_ward_comparison(tuple(code for code, _ in names), names, as_of, sees_small_numbers)
    return table, csv_bytes(table)


def _chosen_chart(ward_codes: list[str], indicator: dict, as_of: date, sees_small_numbers: bool,
                  per_resident: bool) -> None:
    figure = _chosen_figure(tuple(ward_codes), indicator, as_of, sees_small_numbers, per_resident)
    if figure is None:
        return
    st.plotly_chart(figure, width="stretch", key="chosen_wards_chart",
                    alt=f"Bar chart of {indicator['name']} for the chosen wards, with the Leeds value as a line. "
                        "Every value is in the league table below.")


@cached_view
def _chosen_figure(ward_codes: tuple[str, ...], indicator: dict, as_of: date, sees_small_numbers: bool,
                   per_resident: bool) -> go.Figure | None:
    """The chosen wards' bars against the Leeds line; None when no chosen ward has a value this viewer sees."""
    values = load_area_values(indicator["code"], "ward", as_of, sees_small_numbers, per_resident=per_resident)
    chosen = values[values["code"].isin(ward_codes) & ~values["hidden"]]
    if chosen.empty:
        return None
    title = league_title(name=indicator["name"], unit=indicator["unit"], period=chosen["period"].iloc[0],
                         polarity=indicator["polarity"], areas="the chosen wards")
    return ranking_figure(title=title, x_title=UNIT_AXIS[indicator["unit"]], frame=chosen, highlight=ward_codes,
                          reference=_leeds_line(indicator, as_of, sees_small_numbers, per_resident))


def _leeds_line(indicator: dict, as_of: date, sees_small_numbers: bool, per_resident: bool) -> tuple[str, float] | None:
    value = load_city_reference(indicator["code"], as_of, sees_small_numbers, per_resident)
    return None if value is None else ("Leeds", value)


def _neighbourhoods(ward_codes: tuple[str, ...], as_of: date, sees_small_numbers: bool) -> None:
    several = len(ward_codes) > 1
    st.subheader("Priority neighbourhoods in these wards" if several else "Priority neighbourhoods in this ward")
    rows = _neighbourhood_rows(ward_codes, as_of, sees_small_numbers)
    if rows.empty:
        empty_state("No priority neighbourhood with an action plan lies in " + ("these wards." if several else "this ward."))
        return
    st.dataframe(rag_styler(rows, styled_columns=("Targets",)), hide_index=True, width="stretch",
                 column_config={"Profile": st.column_config.LinkColumn("Profile", display_text="Open profile")})


@cached_view
def _neighbourhood_rows(ward_codes: tuple[str, ...], as_of: date, sees_small_numbers: bool) -> pd.DataFrame:
    """One row per locality with targets in these wards: its worst RAG (``rag``, the colour key),
    name, ward, the count of each status and a link to its profile. Only the targets of the localities
    in these wards are judged, not the whole programme's."""
    status = load_programme_status(as_of, sees_small_numbers, ward_codes)
    return pd.DataFrame(
        [{"rag": worst_rag(g["rag"]).value, "Neighbourhood": g["area_name"].iloc[0], "Ward": g["ward_name"].iloc[0],
          "Targets": cell_text(g["rag"]), "Profile": profile_url(code, as_of)}
         for code, g in status.groupby("area_code")],
        columns=["rag", "Neighbourhood", "Ward", "Targets", "Profile"])


def _lsoa_map(ward_codes: list[str], indicator: dict, as_of: date, sees_small_numbers: bool,
             per_resident: bool) -> None:
    st.subheader(f"{md(indicator['name'])} by LSOA")
    if indicator["collection_geography"] == "ward":
        st.info(md(WARD_ONLY.format(name=indicator["name"])), icon=":material/info:")
        return
    values, shown, table = _lsoa_view(indicator, as_of, sees_small_numbers, per_resident, tuple(ward_codes))
    if values.empty:
        empty_state("No LSOA values for this indicator and period.")
        return
    if withheld(values):
        return
    area_map(shown, indicator, key="lsoa_map")
    draw_values_table(table)


@cached_view
def _lsoa_view(indicator: dict, as_of: date, sees_small_numbers: bool, per_resident: bool,
               ward_codes: tuple[str, ...]) -> tuple[pd.DataFrame, Choropleth | None, pd.DataFrame | None]:
    """The wards' LSOA values, with their map and table when this viewer sees any of them."""
    values = load_area_values(indicator["code"], "lsoa", as_of, sees_small_numbers, within=ward_codes,
                              per_resident=per_resident)
    if values.empty or values["hidden"].all():
        return values, None, None
    return (values, choropleth_of(indicator, "lsoa", as_of, sees_small_numbers, per_resident, within=ward_codes),
            table_of_values(values, area_label="LSOA"))


def league_table(indicator: dict, as_of: date, sees_small_numbers: bool, per_resident: bool, *, highlight: list[str]) -> None:
    st.subheader(f"League table: {md(indicator['name'])}, all wards")
    league = _league(indicator, as_of, sees_small_numbers, per_resident, tuple(highlight))
    if league is None:
        empty_state("No ward values for this indicator and period.")
        return
    figure, table = league
    st.plotly_chart(figure, width="stretch", key="league_chart",
                    alt=f"Bar chart ranking all wards by {indicator['name']}. Every value is in the table below.")
    draw_values_table(table)


@cached_view
def _league(indicator: dict, as_of: date, sees_small_numbers: bool, per_resident: bool,
            highlight: tuple[str, ...]) -> tuple[go.Figure, pd.DataFrame] | None:
    """Every ward with a value this viewer sees, ranked, the ``highlight`` wards coloured, against Leeds,
    and the table of every ward; None when no ward has a value."""
    values = load_area_values(indicator["code"], "ward", as_of, sees_small_numbers, per_resident=per_resident)
    if values.empty:
        return None
    visible = values[~values["hidden"]]
    title = league_title(name=indicator["name"], unit=indicator["unit"], period=values["period"].iloc[0],
                         count=len(visible), total=len(values), polarity=indicator["polarity"])
    figure = ranking_figure(title=title, x_title=UNIT_AXIS[indicator["unit"]], frame=visible, highlight=highlight,
                            reference=_leeds_line(indicator, as_of, sees_small_numbers, per_resident))
    return figure, table_of_values(values, area_label="Ward")
