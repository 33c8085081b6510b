"""pydeck maps built from area frames; no Streamlit calls, so reports can reuse them.

Basemap tiles need the internet; the GeoJSON layers carry everything that matters,
so the map reads correctly with or without tiles.
"""

from __future__ import annotations

import functools
import json
import math
import weakref

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from views.theme import (
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
GEOMETRIES_REMEMBERED = 8_192  # every ward, LSOA (both bases) and locality boundary, with room to spare


class CompactDeck(pdk.Deck):
    """A ``pdk.Deck`` that serialises without indentation (the same JSON, a third smaller to send), and
    only once: a built map is shared between visitors and never changed (``ui.data.cached_view``), so
    every visit after the first sends the text made for it instead of walking every boundary again."""

    def to_json(self) -> str:
        made = _MADE_JSON.get(self)
        if made is None:
            made = _MADE_JSON[self] = json.dumps(self, sort_keys=True, default=default_serialize,
                                                 separators=(",", ":"))
        return made


# Kept beside the deck rather than on it, where pydeck's serialiser would read it as part of the map.
_MADE_JSON: weakref.WeakKeyDictionary[CompactDeck, str] = weakref.WeakKeyDictionary()


@functools.lru_cache(maxsize=GEOMETRIES_REMEMBERED)
def parsed_geometry(boundary_geojson: str) -> dict:
    """A boundary's GeoJSON geometry, parsed once per process (boundaries change only with a new
    geography). The answer is shared: read it, never change it."""
    return json.loads(boundary_geojson)


def feature_collection(frame: pd.DataFrame, *, properties: list[str]) -> dict:
    """GeoJSON FeatureCollection from a frame with ``boundary_geojson`` and the named columns."""
    features = [
        {
            "type": "Feature",
            "geometry": parsed_geometry(row["boundary_geojson"]),
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
    return CompactDeck(
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
    return CompactDeck(layers=layers, initial_view_state=view, map_provider="carto", map_style="light",
                    tooltip={"text": "{label}"})


LEGEND_UNITS = {"count": "count", "percent": "per cent", "rate_per_1000": "rate per 1,000 residents",
                "rate_per_10000": "rate per 10,000", "rate_per_100000": "rate per 100,000"}


def legend_decimals(unit: str) -> int:
    """Decimals the map's classes are drawn to: whole numbers for counts, one decimal otherwise (as values
    are shown elsewhere on the page)."""
    return 0 if unit == "count" else 1


def legend_title(unit: str) -> str:
    """The legend's title, which says the unit once so the classes can be bare numbers.

    Example: ``legend_title("rate_per_1000")`` is "Legend (rate per 1,000 residents)".
    """
    return f"Legend ({LEGEND_UNITS.get(unit, unit)})"


def legend_bins(values: pd.Series, *, unit: str, classes: int = 5) -> tuple[list[float], int]:
    """Class edges (``value_bins``) and the decimals they are drawn to: the unit's (``legend_decimals``),
    or one more where that many would merge classes (rates that are mostly under 1, say).

    Example: ``legend_bins(pd.Series([0.11, 0.14, 0.16, 0.2, 0.24, 0.3]), unit="rate_per_1000")`` has
    two decimals, since to one decimal the six values would make only two classes.
    """
    decimals = legend_decimals(unit)
    edges = value_bins(values, classes=classes, decimals=decimals)
    if unit != "count":
        finer = value_bins(values, classes=classes, decimals=decimals + 1)
        if len(finer) > len(edges):
            return finer, decimals + 1
    return edges, decimals


def value_bins(values: pd.Series, *, classes: int = 5, decimals: int = 1) -> list[float]:
    """Quantile class breaks (``classes`` + 1 edges) of the non-missing values, rounded to ``decimals``
    so the legend's figures are the breaks themselves; fewer edges if values repeat.

    Example: ``value_bins(pd.Series([0.81, 2.46, 4.1]), classes=2)`` is ``[0.8, 2.5, 4.1]``.
    """
    present = values.dropna()
    if present.empty:
        return []
    quantiles = present.quantile([i / classes for i in range(classes + 1)])
    edges = sorted(set(round(float(q), decimals) for q in quantiles))
    return edges if len(edges) > 1 else [edges[0], edges[0]]


def bin_index(value: float | None, edges: list[float], *, decimals: int | None = None) -> int | None:
    """The class of ``value``: the first whose upper edge it does not exceed, judged on the value as
    shown (rounded to ``decimals``) so an area never sits in a class its shown value is outside."""
    if value is None or pd.isna(value) or not edges:
        return None
    shown = value if decimals is None else round(float(value), decimals)
    for index in range(1, len(edges)):
        if shown <= edges[index]:
            return index - 1
    return len(edges) - 2


def legend_classes(edges: list[float], *, decimals: int) -> list[tuple[float, float]]:
    """(from, to) of each class, none overlapping: each class after the first starts one step of
    ``decimals`` above the previous end, as ``bin_index`` assigns values.

    Example: ``legend_classes([0.8, 2.5, 4.1], decimals=1)`` is ``[(0.8, 2.5), (2.6, 4.1)]``.
    """
    step = 10 ** -decimals
    return [(edges[0] if i == 0 else round(edges[i] + step, decimals), edges[i + 1]) for i in range(len(edges) - 1)]


def legend_rows(edges: list[float], *, decimals: int = 1) -> list[tuple[str, str]]:
    """(colour, 'from to to') for each class (``legend_classes``), then the grey for no or hidden value.
    Figures are bare numbers, all to ``decimals``: the unit is said once, in ``legend_title``.

    Example: ``legend_rows([0, 0.8, 2.5], decimals=2)`` reads "0.00 to 0.80", "0.81 to 2.50".
    """
    def text(value: float) -> str:
        return f"{value:,.{decimals}f}"

    rows = [(SEQUENTIAL[i], text(low) if low >= high else f"{text(low)} to {text(high)}")
            for i, (low, high) in enumerate(legend_classes(edges, decimals=decimals))]
    return rows + [(NO_VALUE, "No value, or hidden (small numbers)")]


def choropleth(frame: pd.DataFrame, *, edges: list[float], layer_id: str = "areas",
               outline: pd.DataFrame | None = None, view: pdk.ViewState | None = None,
               decimals: int | None = None) -> pdk.Deck:
    """Areas filled by class of ``value`` (hidden values grey), with ``tooltip`` text per area."""
    fills = []
    for value, hidden in zip(frame["value"], frame["hidden"], strict=True):
        index = None if hidden else bin_index(value, edges, decimals=decimals)
        fills.append(hex_to_rgba(NO_VALUE if index is None else SEQUENTIAL[index], 220))
    frame = frame.assign(fill=fills)
    layers = []
    if outline is not None:
        outline = outline.assign(fill=[[255, 255, 255, 0]] * len(outline), tooltip=outline["name"])
        layers.append(geojson_layer("outline", feature_collection(outline, properties=["code", "name", "tooltip",
                                                                                      "fill"]), pickable=False,
                                    line_width=3))
    layers.append(geojson_layer(layer_id, feature_collection(frame, properties=["code", "name", "tooltip", "fill"])))
    return CompactDeck(layers=layers[::-1], initial_view_state=view or LEEDS_VIEW, map_provider="carto",
                    map_style="light", tooltip={"text": "{tooltip}"})


def view_for(boundaries: pd.DataFrame) -> pdk.ViewState:
    """A view centred on the given areas, zoomed to roughly fit them."""
    points = [point for geometry in boundaries["boundary_geojson"] for point in _points(parsed_geometry(geometry))]
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
