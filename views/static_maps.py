"""A locality's LSOAs within its ward as a plotly figure that renders offline.

The interactive maps (``views.maps``) use pydeck, which cannot be exported to a static image;
printable reports need a figure kaleido can turn into SVG. Boundaries are drawn as
``go.Scattergeo`` polygons with the geo basemap hidden: plotly.js then needs no topojson
(which it would fetch from a CDN for choropleths or a visible basemap), so the figure
renders with no internet. No Streamlit here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pandas as pd
import plotly.graph_objects as go

from views.charts import FONT
from views.safe_text import plotly_text
from views.theme import HIGHLIGHT_RGBA, OTHER_WARD_RGBA, OUTLINE_RGBA


def _rgba(values: list[int]) -> str:
    red, green, blue, alpha = values
    return f"rgba({red},{green},{blue},{alpha / 255:.2f})"


def exterior_rings(geometry: dict) -> Iterator[list[list[float]]]:
    """The outer ring of every polygon of a GeoJSON Polygon or MultiPolygon (holes are dropped:
    an LSOA inside another is drawn on top anyway)."""
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"][0]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield polygon[0]


def polygon_lines(geometries: Iterable[str]) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of every exterior ring, rings separated by gaps (None)."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for text in geometries:
        for ring in exterior_rings(json.loads(text)):
            lons += [point[0] for point in ring] + [None]
            lats += [point[1] for point in ring] + [None]
    return lons, lats


def _area_trace(name: str, geometries: Iterable[str], *, fill: str, line: str, width: float) -> go.Scattergeo:
    lons, lats = polygon_lines(geometries)
    return go.Scattergeo(lon=lons, lat=lats, mode="lines", fill="toself", fillcolor=fill, name=plotly_text(name),
                         line=dict(color=line, width=width), hoverinfo="skip")


def locality_in_ward_figure(*, locality_name: str, ward_name: str | None, ward_boundary: str | None,
                            lsoas: pd.DataFrame, locality_lsoas: Iterable[str], height: int = 360) -> go.Figure:
    """The ward's LSOAs in grey with the locality's LSOAs in the highlight colour and the ward outlined.

    ``lsoas`` has columns code, boundary_geojson: every LSOA to draw (the ward's and the
    locality's); ``locality_lsoas`` the codes that make up the locality. The legend names each
    layer, so the map does not rely on colour alone.
    """
    mine = lsoas["code"].isin(set(locality_lsoas))
    figure = go.Figure()
    others = lsoas.loc[~mine, "boundary_geojson"]
    if not others.empty:
        figure.add_trace(_area_trace(f"Other LSOAs in {ward_name} ward" if ward_name else "Other LSOAs", others,
                                     fill=_rgba(OTHER_WARD_RGBA), line=_rgba(OUTLINE_RGBA), width=0.4))
    figure.add_trace(_area_trace(f"{locality_name} ({int(mine.sum())} LSOAs)", lsoas.loc[mine, "boundary_geojson"],
                                 fill=_rgba(HIGHLIGHT_RGBA), line=_rgba(OUTLINE_RGBA), width=1.2))
    if ward_boundary:
        lons, lats = polygon_lines([ward_boundary])
        figure.add_trace(go.Scattergeo(lon=lons, lat=lats, mode="lines", name=plotly_text(f"{ward_name} ward boundary"),
                                       line=dict(color=_rgba(OUTLINE_RGBA), width=2.2), hoverinfo="skip"))
    figure.update_geos(visible=False, fitbounds="locations", projection_type="mercator")
    figure.update_layout(
        title=dict(text=plotly_text(f"{locality_name} within {ward_name} ward" if ward_name else locality_name), x=0,
                   xanchor="left"),
        font=FONT, height=height, margin=dict(l=10, r=10, t=50, b=10), paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0),
    )
    return figure
