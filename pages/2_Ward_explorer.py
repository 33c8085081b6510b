"""Ward explorer for scrutiny: one or more wards (``?ward=CODE``, several allowed) against the city,
the LSOAs and priority neighbourhoods inside them, and a league table of all 33 wards.
"""

import streamlit as st

from ui import ward_page
from ui.auth import current_user
from ui.data import load_catalogue, load_first_month, load_latest_month, load_wards
from ui.filters import month_picker, read_codes, read_value, write_codes, write_value
from ui.layout import NO_DATA, guarded, page_setup, stop_when_empty
from ui.mapping import measure_choice, preferred_indicator

page_setup("Ward explorer")

with guarded():
    stop_when_empty(load_latest_month(), NO_DATA)
    wards = load_wards()
    names = dict(zip(wards["code"], wards["name"], strict=True))
    choice = read_codes("ward", known=names)
    ward_page.report_unknown(choice.unknown)
    chosen = st.multiselect("Ward (choose one or more; the choice is kept in the link)", list(names),
                            default=choice.valid, format_func=names.get, key="ward_select")
    write_codes("ward", chosen)
    catalogue = load_catalogue()
    mappable = catalogue[catalogue["collection_geography"].isin(["lsoa", "ward"])]
    indicators = dict(zip(mappable["code"], mappable["name"], strict=True))
    code, rejected = read_value("indicator", allowed=list(indicators), default=preferred_indicator(mappable))
    ward_page.report_rejected_indicator(rejected)
    code = st.selectbox("Indicator for the maps and league table", list(indicators),
                        index=list(indicators).index(code), format_func=indicators.get, key="ward_indicator")
    write_value("indicator", code, default=preferred_indicator(mappable))
    as_of = month_picker(latest=load_latest_month(), first=load_first_month())
    sees_small_numbers = current_user().sees_small_numbers
    indicator = mappable.set_index("code").loc[code].to_dict() | {"code": code}
    per_resident, shown_as = measure_choice(indicator)
    if not chosen:
        st.info("Choose a ward above to see its indicators against Leeds, its LSOAs and its priority "
                "neighbourhoods. The league table of all wards is below.", icon=":material/touch_app:")
    shown = ward_page.wards_to_detail(chosen)
    if shown:
        ward_page.wards_section(shown, shown_as, as_of, sees_small_numbers, per_resident)
    ward_page.league_table(shown_as, as_of, sees_small_numbers, per_resident, highlight=chosen)
