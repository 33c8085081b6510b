"""The overview read at a glance: one card per red target saying why, and a matrix that leads with
the locality and its overall status, then one short-labelled column per theme."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from metrics.enums import Rag
from views.programme import programme_status
from views.safe_text import md

APP = str(Path(__file__).resolve().parents[2] / "app.py")
THEMES = {  # short column label: the theme's full name, in the sample data's themes
    "Family": "Children and families", "Engage": "Community engagement and influence",
    "Jobs": "Employment and skills", "Health": "Health and wellbeing", "Housing": "Housing and environment",
    "Inclusion": "Inclusion", "Safety": "Safety",
}


def _cards(node) -> list[dict]:
    """Every bordered container on the page, as its profile link (label, query) and its Markdown."""
    found = []
    for child in getattr(node, "children", {}).values():
        proto = getattr(child, "proto", None)
        border = False
        try:
            border = proto is not None and proto.WhichOneof("type") == "flex_container" and proto.flex_container.border
        except ValueError:  # a column's proto has no "type"
            pass
        if border:
            links = [e for e in child.children.values() if getattr(e, "type", "") == "page_link"]
            found.append({
                "links": [(link.proto.label, link.proto.query_string) for link in links],
                "text": "\n".join(e.value for e in child.children.values() if getattr(e, "type", "") == "markdown"),
            })
        else:
            found.extend(_cards(child))
    return found


def _red(url: str, month: str):
    status = programme_status(make_engine(url), date.fromisoformat(f"{month}-01"))
    return status[status["rag"] == Rag.RED.value]


def test_one_card_per_red_target_shows_why_trend_and_commentary(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    red = _red(app_env, "2026-09")
    cards = _cards(at.main)
    assert len(cards) == len(red) == 9
    assert all(row["commentary"] for row in red.to_dict("records"))  # the sample notes every red target
    for row in red.to_dict("records"):
        mine = [c for c in cards if f"**✗ Red: {md(row['indicator'])}**" in c["text"]
                and c["links"] == [(md(row["area_name"]), f"area={row['area_code']}&period=2026-09")]]
        assert len(mine) == 1, f"{row['area_name']}: {row['indicator']}"
        text = mine[0]["text"]
        assert f"**Commentary:** {md(row['commentary'])}" in text
        assert f"**Trend:** {md(row['direction'])}" in text
        assert f"**Why:** {md(row['rag_reason'])}." in text
        assert f"against {md(row['expected'])} expected now; target {md(row['target'])}." in text
    # Ordered by locality, then indicator, as the caption says.
    order = [(c["links"][0][0], c["text"].split("**")[1]) for c in cards]
    assert order == sorted(order)
    assert any("by locality, then indicator" in c.value for c in at.caption)


def test_cards_beyond_the_first_few_go_into_an_expander_not_lost(app_env, monkeypatch):
    import ui.board

    monkeypatch.setattr(ui.board, "CARDS_AT_A_GLANCE", 4)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    more = [e for e in at.expander if e.label == "5 more red targets"]
    assert len(more) == 1
    assert len(_cards(more[0])) == 5
    assert len(_cards(at.main)) == 9  # four on the page and five in the expander


def test_matrix_leads_with_locality_and_overall_then_short_theme_labels(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    matrix = at.dataframe[0]
    assert list(matrix.value.columns) == ["Locality", "Overall", *THEMES]
    config = json.loads(matrix.proto.columns)
    assert {label: config[label]["help"] for label in THEMES} == {label: md(name) for label, name in THEMES.items()}
    assert all(config[label]["width"] == 75 for label in THEMES)  # "small": the matrix fits a laptop screen
    # The locality's name is the link to its profile; the cell shows what follows "#".
    assert config["Locality"]["type_config"] == {"type": "link", "display_text": "#(.+)$"}
    wortley = matrix.value[matrix.value["Locality"].str.endswith("#New%20Wortley")].iloc[0]
    assert wortley["Locality"] == "Locality_profile?area=PN-NWORT&period=2026-09#New%20Wortley"
    assert wortley["Overall"].startswith("✗ Red (")
    assert set(matrix.value[list(THEMES)].stack()) <= {"✓ Green", "! Amber", "✗ Red", "? Close", "– N/A", "–"}
    assert "New Wortley (Armley)" in config["Locality"]["help"]  # the ward, no longer a column, is in the tooltip
