"""The overview map's share classes stay apart for colour-blind readers and in greyscale."""

from views.maps import share_colour
from views.theme import SHARE_STOPS, contrast_ratio


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
