"""Colours in one place, with the text colour that keeps contrast on each.

The RAG palette is the Okabe-Ito colour-blind-safe set adjusted for WCAG 2.2 AA:
every fill is paired with a text colour giving a contrast ratio of at least 4.5:1,
and RAG is always shown with a word or symbol as well.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Swatch:
    fill: str
    text: str


RAG_SWATCHES: dict[str, Swatch] = {
    "green": Swatch("#009E73", "#000000"),
    "amber": Swatch("#E69F00", "#000000"),
    "red": Swatch("#B8352A", "#FFFFFF"),
    "not_assessed": Swatch("#BDBDBD", "#000000"),
    "cannot_tell": Swatch("#DDDDDD", "#000000"),
    "none": Swatch("#FFFFFF", "#1F1F1F"),  # nothing to rate: no target in that theme
}

# Map fills as RGBA for pydeck.
HIGHLIGHT_RGBA = [213, 94, 0, 200]     # vermilion: priority neighbourhoods
PRIORITY_WARD_RGBA = [86, 180, 233, 110]  # sky blue: priority wards
OTHER_WARD_RGBA = [200, 200, 200, 70]
OUTLINE_RGBA = [60, 60, 60, 255]

CHART_SERIES = {  # every line at least 3:1 against white (WCAG 1.4.11), told apart by dash as well
    "locality": "#0072B2",
    "ward": "#A15C00",
    "city": "#555555",
    "target": "#B8352A",
    "band": "rgba(0,114,178,0.18)",
    "event": "#6A3D9A",
    "event_text": "#4B2C6F",
    "special": "#D55E00",
    "neutral": "#A6A6A6",
    "highlight_bar": "#0072B2",
    "histogram": "#7FA7C9",
    "text": "#1F1F1F",
    "grid": "#E5E5E5",
}
LINE_DASH = {"ward": "dashdot", "city": "dot", "target": "dash"}


def hex_to_rgba(colour: str, alpha: int = 255) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def rag_swatch(rag: str) -> Swatch:
    return RAG_SWATCHES.get(rag, RAG_SWATCHES["not_assessed"])

# Sequential single-hue scale for choropleths (ColorBrewer Purples, colour-blind safe; each step over
# 13 darker in CIE L* than the one before); grey = no value.
SEQUENTIAL = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"]
LEGEND_OUTLINE = "#555555"
NO_VALUE = "#8c8c8c"  # a mid grey far from every class colour, and named in the legend

# Viridis in five steps, light yellow to dark violet: colour-blind safe, and each step at least 1.5:1 in
# luminance (and 15 in CIE L*) from the next, so the classes stay apart in greyscale print and on the light
# base map.
SHARE_STOPS = [
    (0.0, [253, 231, 37]), (0.25, [94, 201, 98]), (0.5, [33, 145, 140]), (0.75, [59, 82, 139]),
    (1.0, [68, 1, 84]),
]
NO_DATA_RGBA = [140, 140, 140, 200]

# Page text and the focus ring (WCAG 2.2 AA). The theme's text colour is also in .streamlit/config.toml;
# Streamlit draws captions at 60% opacity (about 3:1 with its default grey); ui.layout draws them
# opaque in SECONDARY_TEXT (9:1 on white) instead.
TEXT = "#0B0C0C"
SECONDARY_TEXT = "#484949"
FOCUS_RING = "#0B0C0C"   # 19:1 on white, 17:1 on the sidebar's grey (WCAG 2.4.7, 2.4.13: at least 3:1)
FOCUS_HALO = "#FFDD00"   # a yellow band inside the ring, so focus shows on dark fills too


def relative_luminance(rgb: list[int]) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour (0 black to 1 white)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def cie_lightness(rgb: list[int]) -> float:
    """CIE L* (0 black to 100 white) of an sRGB colour: how light it looks, which is what tells map
    classes apart for colour-blind readers and in greyscale print.

    Example: ``cie_lightness([255, 255, 255])`` is 100.0; ``cie_lightness([119, 119, 119])`` is about 50.
    """
    y = relative_luminance(rgb)
    return 116 * y ** (1 / 3) - 16 if y > (6 / 29) ** 3 else y * (29 / 3) ** 3


def contrast_ratio(first: list[int], second: list[int]) -> float:
    """WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
