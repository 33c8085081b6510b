"""Sections of the action tracker page. Filters live in the URL (``?locality=...&lead=...``)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from metrics.periods import format_date
from views.charts import timeline_figure
from views.plans import progress_rule
from ui.components import ACTION_COLUMNS, csv_download, empty_state, rag_styler
from ui.filters import quoted, read_codes, write_codes

FILTERS = {  # URL key -> (column filtered on, label); localities go by code in the link, as everywhere else
    "locality": ("area_code", "Locality"),
    "lead": ("lead", "Lead"),
    "theme": ("theme", "Theme"),
    "status": ("status_label", "Status"),
    "progress": ("rag_label", "Progress"),
}

# Widths (px) that add up to less than the table's width beside the sidebar on a 1366 px screen, so the table
# never scrolls sideways; wider screens stretch them. Long texts wrap onto up to four lines.
TABLE_WIDTHS = {"Ref": 56, "Action": 156, "Locality": 90, "Lead": 94, "Start": 88, "Due": 88, "Complete": 76,
                "Progress": 92, "Commentary": 146}
IN_COLUMN_MENU = ["Overdue", "Theme", "Status", "Time elapsed"]  # hidden at first; the column menu shows them
WRAPPED_ROW_HEIGHT = 92  # px: four lines; Streamlit wraps cell text only in rows taller than 64 px
TABLE_HEIGHT = 40 + 6 * WRAPPED_ROW_HEIGHT  # px: the header and six actions; the rest scroll down


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
    shown = actions.assign(overdue_text=actions["overdue"].map({True: "⚠ Overdue", False: ""}))
    shown = shown.rename(columns=ACTION_COLUMNS)[["rag", *TABLE_WIDTHS, *IN_COLUMN_MENU]]
    # Overdue is said beside the progress word, which saves a column; the Overdue column stays in the menu.
    on_screen = shown.assign(Progress=shown["Progress"].where(~actions["overdue"].to_numpy(),
                                                              shown["Progress"] + " · ⚠ Overdue"))
    st.dataframe(
        rag_styler(on_screen, styled_columns=("Progress",)), hide_index=True, width="stretch",
        row_height=WRAPPED_ROW_HEIGHT, height=TABLE_HEIGHT, column_config=_column_config(),
    )
    st.caption(f"{progress_rule()} Overdue actions say so beside their progress and come first. Theme, status, "
               "time elapsed and an Overdue column can be shown with the table's Show/hide columns button, and "
               "are all in the CSV download.")
    csv_download(shown.drop(columns=["rag"]), label="Download these actions (CSV)", file_name="actions.csv",
                 key="actions_csv")


def _column_config() -> dict:
    config = {name: st.column_config.Column(name, width=width) for name, width in TABLE_WIDTHS.items()}
    return config | {
        **{name: st.column_config.DateColumn(name, format="D MMM YYYY", width=TABLE_WIDTHS[name])
           for name in ("Start", "Due")},
        "Complete": st.column_config.ProgressColumn("Complete", format="%.0f%%", min_value=0, max_value=100,
                                                    width=TABLE_WIDTHS["Complete"]),
        **{name: None for name in IN_COLUMN_MENU},
    }


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
