"""Locality profile: scorecard, trends, SPC, events and the action plan of one locality (``?area=CODE``)."""

import streamlit as st

from ui import profile
from ui.auth import current_user
from ui.data import (
    load_basis_note,
    load_deprivation,
    load_first_month,
    load_latest_month,
    load_localities,
    load_locality,
    load_scorecard,
    load_trend,
)
from ui.filters import month_picker, quoted, read_value, write_value
from ui.layout import NO_DATA, guarded, page_setup, show_problem, stop_when_empty
from views.plans import today

page_setup("Locality profile")

with guarded():
    stop_when_empty(load_latest_month(), NO_DATA)
    localities = load_localities()
    stop_when_empty(localities, "No localities are defined yet. An editor can define one on the Data page.")
    names = dict(zip(localities["code"], localities["name"], strict=True))
    code, rejected = read_value("area", allowed=list(names), default=localities["code"].iloc[0])
    if rejected:
        show_problem(f"There is no locality with the code {quoted(rejected)}.",
                     hint="Choose one of the localities below instead.")
    code = st.selectbox("Locality", options=list(names), index=list(names).index(code),
                        format_func=names.get, key="area_select")
    write_value("area", code)
    area = load_locality(code)
    sees_small_numbers = current_user().sees_small_numbers
    as_of = month_picker(latest=load_latest_month(), first=load_first_month())
    profile.header(area, deprivation=load_deprivation(code))
    frame = load_scorecard(code, as_of, sees_small_numbers)
    profile.rag_legend()
    profile.scorecard(frame, area_name=area["name"], as_of=as_of, code=code, sees_small_numbers=sees_small_numbers)
    profile.narrative(frame)
    st.subheader("Indicator details and trend")
    profile.basis_note(load_basis_note(code))
    indicators = dict(zip(frame["indicator_code"], frame["indicator"], strict=True))
    urgent = profile.most_urgent(frame)
    chosen, bad_indicator = read_value("indicator", allowed=list(indicators), default=urgent)
    profile.report_rejected_indicator(bad_indicator)
    if indicators:
        chosen = st.selectbox("Details for indicator", options=list(indicators),
                              index=list(indicators).index(chosen), format_func=indicators.get,
                              key="indicator_select")
        write_value("indicator", chosen, default=urgent)
        view = load_trend(code, chosen, sees_small_numbers, as_of)
        profile.details(frame, view)
        trend_tab, spc_tab = st.tabs(["Trend against target", "SPC view"])
        with trend_tab:
            profile.trend(code, chosen, sees_small_numbers, as_of, area_name=area["name"])
        with spc_tab:
            profile.spc(code, chosen, sees_small_numbers, as_of)
    profile.action_plan(code, today())
