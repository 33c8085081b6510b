"""Sections of the programme overview page (Streamlit rendering only; figures come from views.maps)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from metrics.enums import ActionRag, Rag
from metrics.rollup import rag_counts, share_on_track
from ui.components import colour_legend, empty_state, matrix_styler, rag_styler
from ui.filters import month_key
from views.maps import share_legend_rows, share_map
from views.plans import action_tiles, rollup_of
from views.programme import theme_matrix as scorecard_matrix
from views.safe_text import md

PROFILE_PAGE = "pages/1_Locality_profile.py"


def profile_url(code: str, as_of: date) -> str:
    """Relative link to a locality's profile at the same month, valid from any page of the app."""
    return f"Locality_profile?area={code}&period={month_key(as_of)}"


def headline_tiles(status: pd.DataFrame, actions: pd.DataFrame) -> None:
    """Target tiles by RAG, then a tile per action state (``views.plans.action_tiles``, as the printed
    snapshot): every action is in exactly one, and how many are overdue is stated beside them."""
    counts = rag_counts(status["rag"])
    tiles = st.columns(4)
    tiles[0].metric("✓ On track (green)", counts[Rag.GREEN], border=True)
    tiles[1].metric("! At risk (amber)", counts[Rag.AMBER], border=True)
    tiles[2].metric("✗ Off track (red)", counts[Rag.RED], border=True)
    tiles[3].metric("– Not assessed", counts[Rag.NOT_ASSESSED] + counts[Rag.CANNOT_TELL], border=True)
    rollup = rollup_of(actions)
    noun = "action" if rollup.total == 1 else "actions"
    st.markdown(f"**{rollup.total} {noun} in the plans, {rollup.overdue} overdue** (due date passed, not complete)")
    for column, tile in zip(st.columns(len(ActionRag)), action_tiles(rollup), strict=True):
        column.metric(f"Actions: {tile.label}", tile.count, border=True)
    st.caption(
        f"{len(status)} targets across {status['area_code'].nunique()} localities, judged against the linear "
        "trajectory from each baseline to its target. Actions are judged on today's date."
    )


def theme_matrix(status: pd.DataFrame, as_of: date) -> None:
    st.subheader("Localities by theme")
    if status.empty:
        empty_state("No locality has targets yet, so there is nothing to rate.")
        return
    themes, matrix_rows = scorecard_matrix(status, list(dict.fromkeys(status["area_code"])))
    rows = [{"Locality": r.locality, "Ward": r.ward, **{t: c.text for t, c in zip(themes, r.cells, strict=True)},
             "Overall": r.overall.text, "Profile": profile_url(r.code, as_of)} for r in matrix_rows]
    keys = [{**{t: c.rag for t, c in zip(themes, r.cells, strict=True)}, "Overall": r.overall.rag}
            for r in matrix_rows]
    matrix = pd.DataFrame(rows)
    st.dataframe(
        matrix_styler(matrix, pd.DataFrame(keys)), hide_index=True, width="stretch",
        column_config={"Profile": st.column_config.LinkColumn("Profile", display_text="Open profile")},
    )
    st.caption("Each cell shows the worst status among the locality's targets in that theme, with the count of "
               "each status. ✓ Green: meets or beats the trajectory; ! Amber: misses within tolerance; "
               "✗ Red: misses beyond tolerance; – Not assessed: no data, stale data or suppressed.")


def exceptions(status: pd.DataFrame) -> None:
    red = status[status["rag"] == Rag.RED.value]
    st.subheader(f"Exceptions: {len(red)} red {'target' if len(red) == 1 else 'targets'}")
    if red.empty:
        empty_state("No target is red for this period.")
        return
    table = red.rename(columns={
        "area_name": "Locality", "indicator": "Indicator", "period": "Period", "value": "Latest value",
        "expected": "Expected now", "target": "Target", "rag_label": "RAG", "rag_reason": "Why",
        "direction": "Trend", "commentary": "Commentary",
    })[["rag", "Locality", "Indicator", "Period", "Latest value", "Expected now", "Target", "RAG", "Why", "Trend",
        "Commentary"]]
    st.dataframe(rag_styler(table), hide_index=True, width="stretch")


def locality_map(status: pd.DataFrame, localities: pd.DataFrame, boundaries: pd.DataFrame,
                 wards: pd.DataFrame, as_of: date) -> None:
    st.subheader("Share of targets on track, by locality")
    shares = status.groupby("area_code")["rag"].apply(share_on_track)
    counts = status.groupby("area_code")["rag"].apply(
        lambda s: (int((s == "green").sum()), int((~s.isin(["not_assessed"])).sum())))
    places = boundaries.merge(
        localities[["code", "ward_name"]], on="code", how="left")
    places["share"] = places["code"].map(shares)
    places["label"] = [
        f"{name} ({ward}): {counts.get(code, (0, 0))[0]} of {counts.get(code, (0, 0))[1]} assessed targets on track"
        for code, name, ward in zip(places["code"], places["name"], places["ward_name"], strict=True)
    ]
    st.pydeck_chart(share_map(wards, places), height=520,
                    alt="Map of the localities shaded by their share of targets on track. The same figures are in "
                        "the table 'Localities by theme' above.")
    colour_legend(share_legend_rows())
    st.caption(f"All {len(wards)} wards are outlined; the {len(places)} localities are filled: darker means a "
               "larger share of targets on track, grey that nothing could be assessed. The matrix above carries "
               "the same figures. Map tiles need an internet connection; the boundaries do not.")
    links = st.columns(min(len(localities), 6) or 1)
    for column, row in zip(links * 10, localities.itertuples()):
        column.page_link(PROFILE_PAGE, label=md(row.name), query_params={"area": row.code, "period": month_key(as_of)},
                         icon=":material/location_on:")
