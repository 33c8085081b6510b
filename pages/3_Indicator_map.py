"""Indicator map: one indicator across wards or LSOAs at one period, with ranking and distribution.

Indicator, geography and period live in the URL (``?indicator=ASB_ALL&geo=lsoa&period=2026-09``).
"""

import streamlit as st

from ui import indicator_page
from ui.auth import current_user
from ui.data import (
    load_area_values,
    load_catalogue,
    load_city_value,
    load_first_month,
    load_illustrative_indicators,
    load_latest_month,
)
from ui.filters import month_picker, read_value, write_value
from ui.layout import NO_DATA, guarded, page_setup, stop_when_empty
from ui.mapping import (
    area_map,
    choropleth_of,
    measure_choice,
    preferred_indicator,
    values_table,
    withheld,
)

GEOGRAPHIES = {"ward": "Wards", "lsoa": "LSOAs (small areas)"}

page_setup("Indicator map")

with guarded():
    stop_when_empty(load_latest_month(), NO_DATA)
    catalogue = load_catalogue()
    mappable = catalogue[catalogue["collection_geography"].isin(["lsoa", "ward"])]
    names = dict(zip(mappable["code"], mappable["name"], strict=True))
    code, rejected = read_value("indicator", allowed=list(names), default=preferred_indicator(mappable))
    geo, bad_geo = read_value("geo", allowed=list(GEOGRAPHIES), default="ward")
    indicator_page.report_rejected(rejected, bad_geo)
    left, right = st.columns([3, 2])
    code = left.selectbox("Indicator", list(names), index=list(names).index(code), format_func=names.get,
                          key="indicator_select")
    geo = right.radio("Geography", list(GEOGRAPHIES), index=list(GEOGRAPHIES).index(geo),
                      format_func=GEOGRAPHIES.get, horizontal=True, key="geo_radio")
    write_value("indicator", code, default=preferred_indicator(mappable))
    write_value("geo", geo, default="ward")
    as_of = month_picker(latest=load_latest_month(), first=load_first_month())
    indicator = mappable.set_index("code").loc[code].to_dict() | {"code": code}
    geo = indicator_page.geography_for(indicator, geo)
    per_resident, shown_as = measure_choice(indicator)
    sees_small_numbers = current_user().sees_small_numbers
    values = load_area_values(code, geo, as_of, sees_small_numbers, per_resident=per_resident)
    if values.empty:
        indicator_page.no_values(indicator)
        st.stop()
    if withheld(values):
        st.stop()
    indicator_page.summary(indicator, values, load_city_value(code, as_of, sees_small_numbers, per_resident))
    clicked = area_map(choropleth_of(shown_as, geo, as_of, sees_small_numbers, per_resident), shown_as,
                       key="indicator_map")
    indicator_page.area_trend(indicator, values, clicked, sees_small_numbers)
    indicator_page.ranking_and_distribution(shown_as, geo, as_of, sees_small_numbers, per_resident, GEOGRAPHIES[geo])
    values_table(values, area_label="Ward" if geo == "ward" else "LSOA")
    indicator_page.definition(indicator, illustrative=code in load_illustrative_indicators())
