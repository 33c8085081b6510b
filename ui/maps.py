"""pydeck maps built from area frames; no Streamlit calls, so reports can reuse them.

Basemap tiles need the internet; the GeoJSON layers carry everything that matters,
so the map reads correctly with or without tiles.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pydeck as pdk

from ui.theme import (
    HIGHLIGHT_RGBA,
    NO_DATA_RGBA,
    NO_VALUE,
    OTHER_WARD_RGBA,
    OUTLINE_RGBA,
    PRIORITY_WARD_RGBA,
    SEQUENTIAL,
    SHARE_STOPS,
    hex_to_rgba,
)

LEEDS_VIEW = pdk.ViewState(latitude=53.81, longitude=-1.55, zoom=9.4, pitch=0)


def feature_collection(frame: pd.DataFrame, *, properties: list[str]) -> dict:
    """GeoJSON FeatureCollection from a frame with ``boundary_geojson`` and the named columns."""
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(row["boundary_geojson"]),
            "properties": {name: _plain(row[name]) for name in properties},
        }
        for row in frame.to_dict("records")
    ]
    return {"type": "FeatureCollection", "features": features}


def _plain(value):
    if isinstance(value, float) and pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def geojson_layer(layer_id: str, collection: dict, *, pickable: bool = True, line_width: int = 1) -> pdk.Layer:
    return pdk.Layer(
        "GeoJsonLayer",
        data=collection,
        id=layer_id,
        pickable=pickable,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=OUTLINE_RGBA,
        line_width_min_pixels=line_width,
        auto_highlight=pickable,
    )


def programme_map(wards: pd.DataFrame, neighbourhoods: pd.DataFrame) -> pdk.Deck:
    """The 33 wards (priority wards tinted) with the priority neighbourhoods highlighted on top."""
    wards = wards.assign(
        fill=[PRIORITY_WARD_RGBA if tier == "co-ordinated" else OTHER_WARD_RGBA for tier in wards["tier"]],
        label=[
            f"{name} ward ({'priority ward' if tier == 'co-ordinated' else 'core'})"
            for name, tier in zip(wards["name"], wards["tier"], strict=True)
        ],
    )
    neighbourhoods = neighbourhoods.assign(
        fill=[HIGHLIGHT_RGBA] * len(neighbourhoods),
        label=[f"{name}: priority neighbourhood in {ward}" for name, ward in
               zip(neighbourhoods["name"], neighbourhoods["parent_name"], strict=True)],
    )
    layers = [
        geojson_layer("wards", feature_collection(wards, properties=["code", "name", "label", "fill"])),
        geojson_layer(
            "neighbourhoods",
            feature_collection(neighbourhoods, properties=["code", "name", "label", "fill"]),
            line_width=2,
        ),
    ]
    return pdk.Deck(
        layers=layers,
        initial_view_state=LEEDS_VIEW,
        map_provider="carto",
        map_style="light",
        tooltip={"text": "{label}"},
    )


def share_colour(share: float | None) -> list[int]:
    if share is None or pd.isna(share):
        return NO_DATA_RGBA
    colour = SHARE_STOPS[0][1]
    for stop, rgb in SHARE_STOPS:
        if share >= stop:
            colour = rgb
    return [*colour, 230]


def share_legend_rows() -> list[tuple[str, str]]:
    """(colour, meaning) for the share-on-track map, from its own colour stops."""
    stops = [stop for stop, _ in SHARE_STOPS]
    rows = []
    for index, (stop, rgb) in enumerate(SHARE_STOPS):
        upper = stops[index + 1] if index + 1 < len(stops) else None
        text = f"{stop:.0%}" if upper is None else f"{stop:.0%} to under {upper:.0%}"
        rows.append(("#{:02x}{:02x}{:02x}".format(*rgb), text))
    rgb = NO_DATA_RGBA[:3]
    return rows + [("#{:02x}{:02x}{:02x}".format(*rgb), "Nothing assessed")]


def share_map(wards: pd.DataFrame, places: pd.DataFrame) -> pdk.Deck:
    """Localities filled by their share of targets on track, over ward outlines."""
    wards = wards.assign(fill=[[255, 255, 255, 0]] * len(wards), label=wards["name"] + " ward")
    places = places.assign(fill=[share_colour(s) for s in places["share"]])
    layers = [
        geojson_layer("wards", feature_collection(wards, properties=["code", "name", "label", "fill"]),
                      pickable=False),
        geojson_layer("localities", feature_collection(places, properties=["code", "name", "label", "fill"]),
                      line_width=2),
    ]
    view = pdk.ViewState(latitude=53.795, longitude=-1.53, zoom=11, pitch=0)
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider="carto", map_style="light",
                    tooltip={"text": "{label}"})


def value_bins(values: pd.Series, *, classes: int = 5) -> list[float]:
    """Quantile class breaks (``classes`` + 1 edges) of the non-missing values; fewer if values repeat."""
    present = values.dropna()
    if present.empty:
        return []
    edges = sorted(set(present.quantile([i / classes for i in range(classes + 1)]).round(6)))
    return edges if len(edges) > 1 else [edges[0], edges[0]]


def bin_index(value: float | None, edges: list[float]) -> int | None:
    if value is None or pd.isna(value) or not edges:
        return None
    for index in range(1, len(edges)):
        if value <= edges[index]:
            return index - 1
    return len(edges) - 2


def legend_rows(edges: list[float], *, unit_text) -> list[tuple[str, str]]:
    """(colour, 'from – to') for each class, then the grey for no or hidden value."""
    rows = [(SEQUENTIAL[i], f"{unit_text(edges[i])} to {unit_text(edges[i + 1])}") for i in range(len(edges) - 1)]
    return rows + [(NO_VALUE, "No value, or hidden (small numbers)")]


def choropleth(frame: pd.DataFrame, *, edges: list[float], layer_id: str = "areas",
               outline: pd.DataFrame | None = None, view: pdk.ViewState | None = None) -> pdk.Deck:
    """Areas filled by class of ``value`` (hidden values grey), with ``tooltip`` text per area."""
    fills = []
    for value, hidden in zip(frame["value"], frame["hidden"], strict=True):
        index = None if hidden else bin_index(value, edges)
        fills.append(hex_to_rgba(NO_VALUE if index is None else SEQUENTIAL[index], 220))
    frame = frame.assign(fill=fills)
    layers = []
    if outline is not None:
        outline = outline.assign(fill=[[255, 255, 255, 0]] * len(outline), tooltip=outline["name"])
        layers.append(geojson_layer("outline", feature_collection(outline, properties=["code", "name", "tooltip",
                                                                                      "fill"]), pickable=False,
                                    line_width=3))
    layers.append(geojson_layer(layer_id, feature_collection(frame, properties=["code", "name", "tooltip", "fill"])))
    return pdk.Deck(layers=layers[::-1], initial_view_state=view or LEEDS_VIEW, map_provider="carto",
                    map_style="light", tooltip={"text": "{tooltip}"})


def view_for(boundaries: pd.DataFrame) -> pdk.ViewState:
    """A view centred on the given areas, zoomed to roughly fit them."""
    points = [point for geometry in boundaries["boundary_geojson"] for point in _points(json.loads(geometry))]
    if not points:
        return LEEDS_VIEW
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.6, 0.01)
    zoom = max(8.0, min(14.0, 9.4 + math.log2(0.6 / span)))
    return pdk.ViewState(latitude=(min(lats) + max(lats)) / 2, longitude=(min(lons) + max(lons)) / 2, zoom=zoom)


def _points(geometry: dict):
    coordinates = geometry["coordinates"]
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    for polygon in polygons:
        yield from polygon[0]
