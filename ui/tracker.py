"""Sections of the action tracker page. Filters live in the URL (``?locality=...&lead=...``)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from metrics.periods import format_date
from views.charts import timeline_figure
from ui.components import actions_table, csv_download, empty_state
from ui.filters import quoted, read_codes, write_codes

FILTERS = {  # URL key -> (column filtered on, label); localities go by code in the link, as everywhere else
    "locality": ("area_code", "Locality"),
    "lead": ("lead", "Lead"),
    "theme": ("theme", "Theme"),
    "status": ("status_label", "Status"),
    "progress": ("rag_label", "Progress"),
}


def no_actions() -> None:
    st.info("No action plan has any actions yet. Editors can load actions on the Data page.",
            icon=":material/inbox:")


def filters(actions: pd.DataFrame) -> dict[str, list[str]]:
    chosen = {}
    columns = st.columns(len(FILTERS))
    for column, (key, (field, label)) in zip(columns, FILTERS.items(), strict=True):
        names = dict(zip(actions["area_code"], actions["area_name"], strict=False)) if field == "area_code" else {}
        options = sorted(actions[field].dropna().unique(), key=lambda o: names.get(o, o))
        picked = read_codes(key, known=options)
        if picked.unknown:
            st.warning(f"{label} {', '.join(quoted(c) for c in picked.unknown)} in the link matches no action; "
                       "ignored.", icon=":material/warning:")
        chosen[key] = column.multiselect(label, options, default=picked.valid, key=f"filter_{key}",
                                         placeholder="All", format_func=lambda o, n=names: n.get(o, o))
        write_codes(key, chosen[key])
    only_overdue = st.toggle("Only overdue actions", value=st.query_params.get("overdue") == "1", key="overdue")
    if only_overdue:
        st.query_params["overdue"] = "1"
    elif "overdue" in st.query_params:
        del st.query_params["overdue"]
    chosen["overdue"] = ["1"] if only_overdue else []
    return chosen


def apply(actions: pd.DataFrame, chosen: dict[str, list[str]]) -> pd.DataFrame:
    mask = pd.Series(True, index=actions.index)
    for key, (field, _) in FILTERS.items():
        if chosen.get(key):
            mask &= actions[field].isin(chosen[key])
    if chosen.get("overdue"):
        mask &= actions["overdue"]
    return actions[mask]


def summary(actions: pd.DataFrame, rollup, on: date) -> None:
    tiles = st.columns(4)
    tiles[0].metric("Actions shown", len(actions), border=True)
    tiles[1].metric("Complete", int((actions["action_rag"] == "complete").sum()), border=True)
    tiles[2].metric("Overdue", int(actions["overdue"].sum()), border=True)
    tiles[3].metric("Off track", int((actions["action_rag"] == "off_track").sum()), border=True)
    st.caption(f"Judged on {format_date(on)}. {rollup.summary}.")


def table(actions: pd.DataFrame) -> None:
    if actions.empty:
        empty_state("No action matches these filters. Clear a filter to see more.")
        return
    shown = actions_table(actions, with_locality=True)
    csv_download(shown.drop(columns=["rag"]), label="Download these actions (CSV)", file_name="actions.csv",
                 key="actions_csv")


def timeline(actions: pd.DataFrame, on: date) -> None:
    if actions.empty:
        return
    st.subheader("Timeline")
    st.plotly_chart(timeline_figure(title="Start to due date, coloured by progress", actions=actions, today=on),
                    width="stretch", key="timeline_chart",
                    alt="Timeline of every action from start to due date, coloured by progress. The same dates are "
                        "in the actions table above.")
    st.caption("Each bar runs from the action's start to its due date and carries its progress word; the dotted "
               "line is today. The table above carries the same dates.")
