"""Sections of the programme overview page (Streamlit rendering only; figures come from views.programme,
views.plans and views.maps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import pandas as pd
import pydeck as pdk
import streamlit as st

from metrics.enums import ActionRag, Rag
from metrics.rollup import rag_counts, share_on_track
from ui.components import colour_legend, empty_state, matrix_styler
from ui.data import cached_view, load_areas, load_boundaries, load_localities, load_programme_status
from ui.filters import month_key
from views.maps import share_legend_rows, share_map
from views.plans import action_tiles, rollup_of
from views.programme import CARDS_AT_A_GLANCE, RED_CARD_ORDER, RedCard, red_cards, short_theme_labels
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


# The matrix's Locality cells are links whose text is the name carried after "#" (LinkColumn
# decodes the capture group), so the name itself opens the profile and no column is spent on a link.
NAME_IN_LINK = r"#(.+)$"
# Widths in px: the matrix must fit the ~900 px of content a 1366 px laptop leaves beside the sidebar.
# Longer texts are cut short in their cell, never scrolled; with more themes Overall gives up width.
MATRIX_WIDTH = 900
THEME_COLUMN_WIDTH = 75  # Streamlit's "small"
LOCALITY_COLUMN_WIDTH = 170
OVERALL_COLUMN_WIDTH = 190
NARROWEST_OVERALL = 110


def overall_width(theme_count: int) -> int:
    """Width of the Overall column that keeps the matrix within ``MATRIX_WIDTH`` when it can."""
    spare = MATRIX_WIDTH - LOCALITY_COLUMN_WIDTH - THEME_COLUMN_WIDTH * theme_count
    return max(NARROWEST_OVERALL, min(OVERALL_COLUMN_WIDTH, spare))


def matrix_link(code: str, name: str, as_of: date) -> str:
    """The profile link of a matrix row, with the locality's name after "#" for the cell to show."""
    return f"{profile_url(code, as_of)}#{quote(name, safe='')}"


@dataclass(frozen=True)
class MatrixTable:
    """The locality-by-theme matrix ready to draw: ``shown`` (Locality link, Overall, a short-labelled
    column per theme), ``keys`` (the RAG key of each coloured cell), the themes' full names in column
    order, and every locality with its ward as one sentence for the Locality column's help."""

    shown: pd.DataFrame
    keys: pd.DataFrame
    themes: list[str]
    labels: list[str]
    wards: str


@cached_view
def _matrix_table(as_of: date, sees_small_numbers: bool) -> MatrixTable | None:
    """The matrix of ``load_programme_status``; None when no locality has a target."""
    status = load_programme_status(as_of, sees_small_numbers)
    if status.empty:
        return None
    themes, matrix_rows = scorecard_matrix(status, list(dict.fromkeys(status["area_code"])))
    labels = short_theme_labels(themes)
    rows = [{"Locality": matrix_link(r.code, r.locality, as_of), "Overall": r.overall.text,
             **{label: c.short for label, c in zip(labels, r.cells, strict=True)}} for r in matrix_rows]
    keys = [{"Overall": r.overall.rag, **{label: c.rag for label, c in zip(labels, r.cells, strict=True)}}
            for r in matrix_rows]
    wards = "; ".join(f"{r.locality} ({r.ward})" for r in matrix_rows)
    return MatrixTable(pd.DataFrame(rows), pd.DataFrame(keys), themes, labels, wards)


def theme_matrix(as_of: date, sees_small_numbers: bool) -> None:
    """Locality (a link to its profile), its overall status, then one short-labelled column per theme,
    all narrow enough to read on a 1366 px laptop without scrolling sideways."""
    st.subheader("Localities by theme")
    matrix = _matrix_table(as_of, sees_small_numbers)
    if matrix is None:
        empty_state("No locality has targets yet, so there is nothing to rate.")
        return
    columns = {
        "Locality": st.column_config.LinkColumn(
            "Locality", display_text=NAME_IN_LINK, width=LOCALITY_COLUMN_WIDTH, pinned=True,
            help=md(f"Opens the locality's profile at this month. Localities and their wards: {matrix.wards}.")),
        "Overall": st.column_config.TextColumn(
            "Overall", width=overall_width(len(matrix.themes)),
            help="The worst status among all the locality's targets, with the count of each status."),
        **{label: st.column_config.TextColumn(label, width=THEME_COLUMN_WIDTH, help=md(theme))
           for label, theme in zip(matrix.labels, matrix.themes, strict=True)},
    }
    st.dataframe(matrix_styler(matrix.shown, matrix.keys), hide_index=True, width="stretch", column_config=columns)
    st.caption("Select a locality to open its profile; hover over a column heading for the theme's full name. "
               "Each theme cell shows the worst status among the locality's targets in that theme; Overall counts "
               "every status. ✓ Green: meets or beats the trajectory; ! Amber: misses within tolerance; "
               "✗ Red: misses beyond tolerance; ? Close: too close to call; – N/A: not assessed (no data, stale "
               "data or suppressed); – alone: no target in that theme.")


@cached_view
def _red_cards(as_of: date, sees_small_numbers: bool) -> list[RedCard]:
    return red_cards(load_programme_status(as_of, sees_small_numbers))


def exceptions(as_of: date, sees_small_numbers: bool) -> None:
    """One card per red target: locality (a link to its profile), indicator, the latest value against
    the expected one and the target, why it is red, the trend and the officer's commentary. The first
    ``CARDS_AT_A_GLANCE`` are laid out on the page, any more in an expander below them."""
    cards = _red_cards(as_of, sees_small_numbers)
    st.subheader(f"Exceptions: {len(cards)} red {'target' if len(cards) == 1 else 'targets'}")
    if not cards:
        empty_state("No target is red for this period.")
        return
    st.caption(f"What is red and why, {RED_CARD_ORDER}. Commentary is the latest note from the locality's "
               "officer.")
    _card_grid(cards[:CARDS_AT_A_GLANCE], as_of)
    rest = cards[CARDS_AT_A_GLANCE:]
    if rest:
        with st.expander(f"{len(rest)} more red {'target' if len(rest) == 1 else 'targets'}"):
            _card_grid(rest, as_of)


CARDS_PER_ROW = 2
LINKS_PER_ROW = 3  # six names a row cut "The Recreations, Holbeck" short at laptop width


def _card_grid(cards: list[RedCard], as_of: date) -> None:
    for start in range(0, len(cards), CARDS_PER_ROW):
        row = cards[start:start + CARDS_PER_ROW]
        for column, card in zip(st.columns(CARDS_PER_ROW), row):
            with column.container(border=True):
                _red_card(card, as_of)


def _red_card(card: RedCard, as_of: date) -> None:
    st.page_link(PROFILE_PAGE, label=md(card.locality), icon=":material/location_on:",
                 query_params={"area": card.area_code, "period": month_key(as_of)})
    note = md(card.commentary) if card.commentary else "No commentary recorded for this period."
    # One Markdown element of three paragraphs: each element is a message the server sends.
    st.markdown(f"**✗ Red: {md(card.indicator)}**  \n"
                f"Latest {md(card.value)} in {md(card.period)} against {md(card.expected)} expected now; "
                f"target {md(card.target)}.\n\n"
                f"**Why:** {md(card.why)}  \n**Trend:** {md(card.trend)}\n\n"
                f"**Commentary:** {note}")


@dataclass(frozen=True)
class ShareMap:
    """The share-on-track map and what its caption counts."""

    deck: pdk.Deck
    wards: int
    places: int


@cached_view
def _share_map(as_of: date, sees_small_numbers: bool) -> ShareMap:
    """Localities filled by their share of assessed targets on track, labelled with the counts, over the
    ward outlines (``views.maps.share_map``)."""
    status = load_programme_status(as_of, sees_small_numbers)
    localities = load_localities()
    wards = load_areas("ward", with_boundaries=True)
    shares = status.groupby("area_code")["rag"].apply(share_on_track)
    counts = status.groupby("area_code")["rag"].apply(
        lambda s: (int((s == "green").sum()), int((~s.isin(["not_assessed"])).sum())))
    places = load_boundaries(tuple(localities["code"])).merge(localities[["code", "ward_name"]], on="code", how="left")
    places["share"] = places["code"].map(shares)
    places["label"] = [
        f"{name} ({ward}): {counts.get(code, (0, 0))[0]} of {counts.get(code, (0, 0))[1]} assessed targets on track"
        for code, name, ward in zip(places["code"], places["name"], places["ward_name"], strict=True)
    ]
    return ShareMap(share_map(wards, places), wards=len(wards), places=len(places))


def locality_map(as_of: date, sees_small_numbers: bool) -> None:
    st.subheader("Share of targets on track, by locality")
    shown = _share_map(as_of, sees_small_numbers)
    st.pydeck_chart(shown.deck, height=520,
                    alt="Map of the localities shaded by their share of targets on track. The same figures are in "
                        "the table 'Localities by theme' above.")
    colour_legend(share_legend_rows())
    st.caption(f"All {shown.wards} wards are outlined; the {shown.places} localities are filled: darker means a "
               "larger share of targets on track, grey that nothing could be assessed. The matrix above carries "
               "the same figures. Map tiles need an internet connection; the boundaries do not.")
    localities = load_localities()
    links = st.columns(min(len(localities), LINKS_PER_ROW) or 1)
    for column, row in zip(links * 10, localities.itertuples()):
        column.page_link(PROFILE_PAGE, label=md(row.name), query_params={"area": row.code, "period": month_key(as_of)},
                         icon=":material/location_on:")
