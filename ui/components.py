"""Small Streamlit building blocks shared by pages: RAG tables, tiles, downloads."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from db.exports import csv_bytes
from views.plans import progress_rule
from views.theme import LEGEND_OUTLINE, rag_swatch


def rag_styler(frame: pd.DataFrame, *, key_column: str = "rag", styled_columns: tuple[str, ...] = ("RAG",),
               hide: tuple[str, ...] = ()) -> Styler:
    """Colour the RAG cells from ``views.theme`` (with their text colour for contrast); the word stays."""
    keys = frame[key_column]
    shown = frame.drop(columns=[key_column, *hide])

    def _colour(column: pd.Series) -> list[str]:
        if column.name not in styled_columns:
            return [""] * len(column)
        return [f"background-color: {rag_swatch(k).fill}; color: {rag_swatch(k).text}" for k in keys]

    return shown.style.apply(_colour, axis=0)


def matrix_styler(matrix: pd.DataFrame, keys: pd.DataFrame) -> Styler:
    """Colour every cell of a locality-by-theme matrix by the RAG key in the same cell of ``keys``."""

    def _colour(column: pd.Series) -> list[str]:
        if column.name not in keys.columns:
            return [""] * len(column)
        return [f"background-color: {rag_swatch(k).fill}; color: {rag_swatch(k).text}" for k in keys[column.name]]

    return matrix.style.apply(_colour, axis=0)


def csv_download(frame: pd.DataFrame | bytes, *, label: str, file_name: str, key: str) -> None:
    """A download button for ``frame`` as CSV (``db.exports.csv_bytes``), or for CSV bytes already made."""
    data = frame if isinstance(frame, bytes) else csv_bytes(frame)
    st.download_button(label, data=data, file_name=file_name, mime="text/csv", key=key, icon=":material/download:")


def empty_state(message: str) -> None:
    st.info(message, icon=":material/search:")


ACTION_COLUMNS = {
    "area_name": "Locality", "ref": "Ref", "title": "Action", "lead": "Lead", "theme": "Theme",
    "start_date": "Start", "due_date": "Due", "percent_complete": "Complete", "expected_percent": "Time elapsed",
    "rag_label": "Progress", "overdue_text": "Overdue", "commentary": "Commentary", "rag_key": "rag",
    "status_label": "Status",
}


def actions_table(actions: pd.DataFrame, *, with_locality: bool) -> pd.DataFrame:
    """Draw actions with progress bars, the progress word coloured, overdue flagged; returns what was shown."""
    shown = actions.assign(overdue_text=actions["overdue"].map({True: "⚠ Overdue", False: ""}))
    shown = shown.rename(columns=ACTION_COLUMNS)
    columns = ["rag", "Overdue", *(["Locality"] if with_locality else []), "Ref", "Action", "Lead", "Theme",
               "Start", "Due", "Status", "Complete", "Time elapsed", "Progress", "Commentary"]
    shown = shown[columns]
    st.dataframe(
        rag_styler(shown, styled_columns=("Progress",)), hide_index=True, width="stretch",
        column_config={
            "Complete": st.column_config.ProgressColumn("Complete", format="%.0f%%", min_value=0, max_value=100),
            "Time elapsed": st.column_config.NumberColumn("Time elapsed", format="%d%%"),
            "Start": st.column_config.DateColumn("Start", format="D MMM YYYY"),
            "Due": st.column_config.DateColumn("Due", format="D MMM YYYY"),
        },
    )
    st.caption(progress_rule())
    return shown


def colour_legend(rows: list[tuple[str, str]], *, title: str = "Legend") -> None:
    """Colour chips with their meaning in words, after ``title`` (which may name the unit once); colours
    come from views.theme, the words are ours."""
    chips = "".join(
        f"<span style='display:inline-block;margin-right:12px'><span style='display:inline-block;width:14px;"
        f"height:14px;background:{colour};border:1px solid {LEGEND_OUTLINE};vertical-align:middle'></span> "
        f"{html.escape(text)}</span>"
        for colour, text in rows
    )
    st.markdown(f"<div><strong>{html.escape(title)}:</strong> {chips}</div>", unsafe_allow_html=True)
