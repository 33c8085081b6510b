"""The map sent to the browser: compact JSON, boundaries parsed once per process."""

import json

import pandas as pd
from pydeck.bindings.json_tools import serialize

from views.maps import choropleth, parsed_geometry

SQUARE = json.dumps({"type": "Polygon", "coordinates": [[[-1.5, 53.8], [-1.4, 53.8], [-1.4, 53.9], [-1.5, 53.8]]]})


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"code": ["E01000001", "E01000002"], "name": ["One", "Two"], "value": [3.0, 7.0],
                         "hidden": [False, False], "tooltip": ["One: 3", "Two: 7"],
                         "boundary_geojson": [SQUARE, SQUARE.replace("-1.5", "-1.6")]})


def test_the_map_json_has_no_indentation_and_says_the_same():
    deck = choropleth(_frame(), edges=[3.0, 5.0, 7.0], decimals=1)
    compact = deck.to_json()
    assert "\n" not in compact and "\": " not in compact  # no indentation, no space after a key
    assert json.loads(compact) == json.loads(serialize(deck))
    assert len(compact) < len(serialize(deck))


def test_a_boundary_is_parsed_once_however_often_it_is_drawn():
    parsed_geometry.cache_clear()
    for _ in range(3):
        choropleth(_frame(), edges=[3.0, 5.0, 7.0], decimals=1).to_json()
    info = parsed_geometry.cache_info()
    assert (info.misses, info.hits) == (2, 4)


def test_a_built_map_is_serialised_once_and_its_own_text_kept():
    first, second = (choropleth(_frame(), edges=[3.0, 5.0, 7.0], decimals=1) for _ in range(2))
    text = first.to_json()
    assert first.to_json() is text  # a second visit sends the text made for the first
    assert "madeJson" not in text and json.loads(first.to_json()) == json.loads(serialize(first))
    assert second.to_json() == text and second.to_json() is not text  # another map has its own
