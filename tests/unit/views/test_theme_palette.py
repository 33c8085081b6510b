"""The overview map's share classes stay apart for colour-blind readers and in greyscale."""

import pytest

from views.maps import share_colour
from views.theme import SEQUENTIAL, SHARE_STOPS, cie_lightness, contrast_ratio, hex_to_rgba


def test_adjacent_share_classes_differ_in_lightness_by_at_least_1_5_to_1():
    colours = [rgb for _, rgb in SHARE_STOPS]
    ratios = [contrast_ratio(a, b) for a, b in zip(colours, colours[1:])]
    assert min(ratios) >= 1.5, ratios


def test_lightest_class_is_visible_against_a_white_base_map():
    assert contrast_ratio(SHARE_STOPS[0][1], [255, 255, 255]) >= 1.1


def test_shares_of_six_localities_map_to_distinct_classes():
    shares = [0.0, 0.2, 0.3, 0.6, 0.8, 1.0]
    assert len({tuple(share_colour(s)) for s in shares}) == 5  # 0.0 and 0.2 share the lowest class
    assert share_colour(None) not in [[*rgb, 230] for _, rgb in SHARE_STOPS]


MIN_LIGHTNESS_STEP = 8  # CIE L*: about the smallest step readers tell apart reliably without hue


def _palettes():
    return {"choropleth classes": [hex_to_rgba(colour) for colour in SEQUENTIAL],
            "share on track": [rgb for _, rgb in SHARE_STOPS]}


@pytest.mark.parametrize("name", ["choropleth classes", "share on track"])
def test_adjacent_palette_steps_differ_in_lightness_by_at_least_the_floor(name):
    lightness = [cie_lightness(rgb) for rgb in _palettes()[name]]
    steps = [abs(a - b) for a, b in zip(lightness, lightness[1:])]
    assert min(steps) >= MIN_LIGHTNESS_STEP, (name, [round(x, 1) for x in lightness])


@pytest.mark.parametrize("name", ["choropleth classes", "share on track"])
def test_palettes_run_light_to_dark_so_more_reads_darker(name):
    lightness = [cie_lightness(rgb) for rgb in _palettes()[name]]
    assert lightness == sorted(lightness, reverse=True), [round(x, 1) for x in lightness]


@pytest.mark.parametrize(("rgb", "expected"), [([255, 255, 255], 100.0), ([0, 0, 0], 0.0), ([119, 119, 119], 50.0),
                                               ([255, 0, 0], 53.2), ([0, 0, 255], 32.3)])
def test_cie_lightness_matches_published_values(rgb, expected):
    assert cie_lightness(rgb) == pytest.approx(expected, abs=0.1)


def test_the_near_identical_light_blues_would_fail_the_floor():
    blues = [[222, 235, 247], [198, 219, 239], [158, 202, 225]]  # three adjacent light blue steps
    steps = [abs(cie_lightness(a) - cie_lightness(b)) for a, b in zip(blues, blues[1:])]
    assert min(steps) < MIN_LIGHTNESS_STEP
