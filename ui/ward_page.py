"""Sections of the ward explorer page."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from metrics.rollup import cell_text, worst_rag
from ui.board import profile_url
from ui.charts import UNIT_AXIS, ranking_figure
from ui.components import csv_download, empty_state, rag_styler
from ui.data import (
    load_area_values,
    load_areas,
    load_basis_note,
    load_deprivation,
    load_locality,
    load_programme_status,
    load_scorecard,
)
from ui.filters import quoted
from ui.safe_text import md
from ui.mapping import area_map, values_table, withheld

WARD_ONLY = ("{name} is collected for wards only: it is not built from LSOAs, so there is no LSOA map. The "
             "league table below shows every ward.")
MAX_WARD_TABS = 6  # each ward's tab builds a scorecard and a map; beyond a handful, the league table serves


def wards_to_detail(chosen: list[str], names: dict[str, str]) -> list[str]:
    """The wards that get a tab of their own; says so when the choice is longer."""
    if len(chosen) > MAX_WARD_TABS:
        st.info(f"{len(chosen)} wards are chosen; the first {MAX_WARD_TABS} have a tab each below. All of them "
                "are highlighted in the league table.", icon=":material/info:")
    return chosen[:MAX_WARD_TABS]


def report_unknown(codes: list[str]) -> None:
    if codes:
        listed = ", ".join(quoted(c) for c in codes)
        st.warning(f"The link names {listed}, which {'is not a Leeds ward code' if len(codes) == 1 else 'are not Leeds ward codes'}"
                   " (ward codes look like E05011385). Choose wards from the list instead.", icon=":material/warning:")


def report_rejected_indicator(code: str | None) -> None:
    if code:
        st.warning(f"{quoted(code)} is not an indicator that can be shown for wards; showing the default indicator.",
                   icon=":material/warning:")


def ward_section(ward_code: str, indicator: dict, as_of: date, sees_small_numbers: bool, per_resident: bool) -> None:
    ward = load_locality(ward_code)
    tier = "priority ward (co-ordinated approach)" if ward["tier"] == "co-ordinated" else "core approach"
    st.markdown(f"**{md(ward['name'])}**: {md(ward['committee_name'])} community committee area; "
                f"population {ward['population']:,} (mid-2019); {tier}.")
    st.caption(load_deprivation(ward_code))
    if note := load_basis_note(ward_code):
        st.info(note, icon=":material/info:")
    _against_city(ward, as_of, sees_small_numbers)
    _neighbourhoods(ward, as_of, sees_small_numbers)
    _lsoa_map(ward, indicator, as_of, sees_small_numbers, per_resident)


def _against_city(ward: dict, as_of: date, sees_small_numbers: bool) -> None:
    st.subheader("Indicators against Leeds")
    frame = load_scorecard(ward["code"], as_of, sees_small_numbers)
    frame = frame[frame["vs_city"] != "Not compared"]
    if frame.empty:
        empty_state("No indicator can be compared for this ward.")
        return
    table = frame.rename(columns={"indicator": "Indicator", "period": "Period", "value": "Ward",
                                  "city_value": "Leeds", "vs_city": "Compared with Leeds",
                                  "direction": "Direction of travel"})
    st.dataframe(table[["Indicator", "Period", "Ward", "Leeds", "Compared with Leeds", "Direction of travel"]],
                 hide_index=True, width="stretch")
    st.caption("Better, similar or worse: whether the ward's 95% confidence interval contains the Leeds value "
               "(counts compared as rates per 1,000 residents).")
    csv_download(table.drop(columns=["sparkline"]), label="Download (CSV)",
                 file_name=f"ward-{ward['code']}-{as_of:%Y-%m}.csv", key=f"ward_csv_{ward['code']}")


def _neighbourhoods(ward: dict, as_of: date, sees_small_numbers: bool) -> None:
    st.subheader("Priority neighbourhoods in this ward")
    status = load_programme_status(as_of, sees_small_numbers)
    inside = status[status["ward_name"] == ward["name"]]
    if inside.empty:
        empty_state("No priority neighbourhood with an action plan lies in this ward.")
        return
    rows = [{"rag": worst_rag(g["rag"]).value, "Neighbourhood": g["area_name"].iloc[0],
             "Targets": cell_text(g["rag"]), "Profile": profile_url(code, as_of)}
            for code, g in inside.groupby("area_code")]
    st.dataframe(rag_styler(pd.DataFrame(rows), styled_columns=("Targets",)), hide_index=True, width="stretch",
                 column_config={"Profile": st.column_config.LinkColumn("Profile", display_text="Open profile")})


def _lsoa_map(ward: dict, indicator: dict, as_of: date, sees_small_numbers: bool, per_resident: bool) -> None:
    st.subheader(f"{md(indicator['name'])} by LSOA")
    if indicator["collection_geography"] == "ward":
        st.info(md(WARD_ONLY.format(name=indicator["name"])), icon=":material/info:")
        return
    values = load_area_values(indicator["code"], "lsoa", as_of, sees_small_numbers, within=(ward["code"],),
                              per_resident=per_resident)
    if values.empty:
        empty_state("No LSOA values for this indicator and period.")
        return
    if withheld(values):
        return
    outline = load_areas("ward", with_boundaries=True)
    area_map(values, load_areas("lsoa", with_boundaries=True), indicator, key=f"lsoa_map_{ward['code']}",
             outline=outline[outline["code"] == ward["code"]])
    values_table(values, area_label="LSOA")


def league_table(indicator: dict, as_of: date, sees_small_numbers: bool, per_resident: bool, *, highlight: list[str]) -> None:
    st.subheader(f"League table: {md(indicator['name'])}, all wards")
    values = load_area_values(indicator["code"], "ward", as_of, sees_small_numbers, per_resident=per_resident)
    if values.empty:
        empty_state("No ward values for this indicator and period.")
        return
    visible = values[~values["hidden"]]
    st.plotly_chart(ranking_figure(title=f"{indicator['name']}, {values['period'].iloc[0]}",
                                   x_title=UNIT_AXIS[indicator["unit"]], frame=visible, highlight=highlight),
                    width="stretch", key="league_chart",
                    alt=f"Bar chart ranking all wards by {indicator['name']}. Every value is in the table below.")
    values_table(values, area_label="Ward")
