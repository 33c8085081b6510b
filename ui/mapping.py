"""Shared Streamlit sections for pages that map one indicator across areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import pydeck as pdk
import streamlit as st

from metrics.formatting import format_value
from ui.components import colour_legend
from ui.data import cached_view, load_area_values, load_areas
from views.deprivation import lsoa_deprivation
from ui.filters import quoted, write_value
from views.maps import choropleth, legend_bins, legend_rows, legend_title, view_for


def with_tooltips(values: pd.DataFrame, indicator: dict) -> pd.DataFrame:
    total = len(values)

    def _tip(row) -> str:
        if row.hidden:
            return f"{row.name}: {row.shown} (hidden: small numbers)"
        interval = ""
        if pd.notna(row.lower) and pd.notna(row.upper):
            interval = (f" (95% CI {format_value(row.lower, unit=indicator['unit'])} to "
                        f"{format_value(row.upper, unit=indicator['unit'])})")
        return f"{row.name}: {row.shown}{interval}, ranked {row.rank} of {total}{deprivation_note(row)}"

    return values.assign(tooltip=[_tip(row) for row in values.itertuples()])


def deprivation_note(row) -> str:
    """'; IMD 2025 decile 1 (IMD 2019: 2)' for an LSOA, naming which index each decile is from."""
    text = lsoa_deprivation(**{name: getattr(row, name, None) for name in
                               ("imd_rank", "imd_decile", "imd2025_rank", "imd2025_decile")})
    return f"; {text}" if text else ""


@dataclass(frozen=True)
class Choropleth:
    """A built choropleth: the map, and its class edges drawn to ``decimals`` for the legend."""

    deck: pdk.Deck
    edges: list[float]
    decimals: int


@cached_view
def choropleth_of(indicator: dict, area_type: str, as_of: date, sees_small_numbers: bool, per_resident: bool,
                  *, within: tuple[str, ...] | None = None) -> Choropleth:
    """The map of ``ui.data.load_area_values`` for these choices, with a tooltip per area; ``within``
    (ward codes) also draws those wards' outlines and fits the view to them. ``indicator`` is as shown
    (its unit a rate when ``per_resident``)."""
    values = load_area_values(indicator["code"], area_type, as_of, sees_small_numbers, within=within,
                              per_resident=per_resident)
    boundaries = load_areas(area_type, with_boundaries=True, within=within if area_type == "lsoa" else None)
    frame = with_tooltips(values, indicator).merge(boundaries[["code", "boundary_geojson"]], on="code")
    outline = None
    if within is not None:
        wards = load_areas("ward", with_boundaries=True)
        outline = wards[wards["code"].isin(within)]
    edges, decimals = legend_bins(frame.loc[~frame["hidden"], "value"], unit=indicator["unit"])
    deck = choropleth(frame, edges=edges, outline=outline, view=view_for(outline if outline is not None else frame),
                      decimals=decimals)
    return Choropleth(deck=deck, edges=edges, decimals=decimals)


def area_map(shown: Choropleth, indicator: dict, *, key: str) -> str | None:
    """Draw the choropleth (``choropleth_of``) and its legend; returns the code of the clicked area, if any."""
    event = st.pydeck_chart(shown.deck, height=520, on_select="rerun", selection_mode="single-object", key=key,
                            alt=f"Map of {indicator['name']} by area, shaded in five classes. Every value is in the "
                                "table below the map.")
    legend(shown.edges, indicator, decimals=shown.decimals)
    picked = (event.selection.get("objects", {}) if event else {}).get("areas", [])
    if picked:
        chosen = picked[0]
        return (chosen.get("properties") or chosen).get("code")
    return None


def withheld(values: pd.DataFrame) -> bool:
    """Say so, and return True, when every value is hidden from this viewer (small areas of a
    small-number indicator)."""
    if not values.empty and values["hidden"].all():
        st.info("This indicator counts small numbers, so viewers see it for wards and larger areas only; "
                "signed-in editors see the small areas.", icon=":material/lock:")
        return True
    return False


def legend(edges: list[float], indicator: dict, *, decimals: int) -> None:
    colour_legend(legend_rows(edges, decimals=decimals), title=legend_title(indicator["unit"]))
    st.caption("Classes are quintiles of the values shown. Hover an area for its value, 95% interval and rank. "
               "The table below carries every value.")


def values_table(values: pd.DataFrame, *, area_label: str) -> None:
    draw_values_table(table_of_values(values, area_label=area_label))


def table_of_values(values: pd.DataFrame, *, area_label: str) -> pd.DataFrame:
    """The table under a map (``ui.data.load_area_values`` as shown): Rank, the area (``area_label``), In,
    Value, Compared with Leeds, Period."""
    table = values.rename(columns={"rank": "Rank", "name": area_label, "parent_name": "In", "shown": "Value",
                                   "vs_city": "Compared with Leeds", "period": "Period"})
    return table[["Rank", area_label, "In", "Value", "Compared with Leeds", "Period"]]


def draw_values_table(table: pd.DataFrame) -> None:
    """Draw a ``table_of_values``."""
    st.dataframe(table, hide_index=True, width="stretch")


def measure_choice(indicator: dict) -> tuple[bool, dict]:
    """For a count, offer the rate per 1,000 residents (kept in ``?measure=``); returns the choice and the
    indicator as it should be labelled (its unit replaced when a rate is shown). Counts collected for wards
    only are shown as counts: their populations come with LSOA counts, not with them."""
    if indicator["unit"] != "count" or indicator.get("collection_geography") == "ward":
        return False, indicator
    requested = st.query_params.get("measure", "rate")
    if requested not in ("rate", "count"):
        st.warning(f"The measure {quoted(requested)} in the link is not 'rate' or 'count'; showing rates.",
                   icon=":material/warning:")
    default = requested != "count"
    per_resident = st.toggle("Show as a rate per 1,000 residents (fairer between areas of different sizes)",
                             value=default, key="per_resident")
    write_value("measure", "rate" if per_resident else "count", default="rate")
    return per_resident, (indicator | {"unit": "rate_per_1000"} if per_resident else indicator)


DEFAULT_INDICATOR = "ASB_ALL"


def preferred_indicator(mappable: pd.DataFrame) -> str:
    """The indicator a map opens on: anti-social behaviour when the catalogue has it, else the first."""
    codes = list(mappable["code"])
    return DEFAULT_INDICATOR if DEFAULT_INDICATOR in codes else codes[0]
