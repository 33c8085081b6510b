"""The overview's at-a-glance pieces: short theme labels, short matrix cells, one card per red target."""

from __future__ import annotations

import pandas as pd
import pytest

from views.programme import PROGRAMME_COLUMNS, RedCard, red_cards, short_cell_text, short_theme_labels


@pytest.mark.parametrize(("theme", "label"), [
    ("Safety", "Safety"),
    ("Anti-social behaviour", "ASB"),
    ("Crime", "Crime"),
    ("Community engagement and influence", "Engage"),
    ("Employment and skills", "Jobs"),
    ("Children and families", "Family"),
    ("Health and wellbeing", "Health"),
    ("Housing and environment", "Housing"),
    ("Inclusion", "Inclusion"),
    ("transportation and travel", "Transport"),  # unknown: first word, cut to nine letters
])
def test_each_theme_gets_a_short_label(theme, label):
    assert short_theme_labels([theme]) == [label]


def test_themes_that_would_share_a_label_stay_apart():
    assert short_theme_labels(["Health and wellbeing", "Health services", "Health"]) == [
        "Health", "Health 2", "Health 3"]


@pytest.mark.parametrize(("statuses", "text"), [
    (["red", "green"], "✗ Red"),
    (["amber", "green", "green"], "! Amber"),
    (["green"], "✓ Green"),
    (["cannot_tell", "green"], "? Close"),
    (["not_assessed"], "– N/A"),
    ([], "–"),
])
def test_a_short_cell_names_the_worst_status_in_a_word(statuses, text):
    assert short_cell_text(statuses) == text


def _row(area: str, indicator: str, rag: str, **extra) -> dict:
    row = dict.fromkeys(PROGRAMME_COLUMNS, "")
    row.update(area_code=f"PN-{area[:3].upper()}", area_name=area, ward_name="Ward", theme="Safety",
               indicator_code=indicator[:4].upper(), indicator=indicator, period="2025/26", value="42.6%",
               expected="52.7%", target="52.7% by 31 Mar 2024", rag=rag, rag_label=rag,
               rag_reason="Misses the expected 52.7 by 10.1, beyond the tolerance of 3.0",
               direction="No significant change", commentary="Lighting upgrades are under way. (Officer)")
    row.update(extra)
    return row


def test_one_card_per_red_target_ordered_by_locality_then_indicator():
    status = pd.DataFrame([
        _row("Wortley", "Feel safe", "red"),
        _row("Armley", "Youth ASB", "red", commentary=float("nan")),
        _row("Armley", "Burglary", "green"),
        _row("Armley", "Arson", "red", value="Not shown (small numbers)"),
        _row("Beeston", "Fly-tipping", "amber"),
    ], columns=PROGRAMME_COLUMNS)
    cards = red_cards(status)
    assert [(c.locality, c.indicator) for c in cards] == [
        ("Armley", "Arson"), ("Armley", "Youth ASB"), ("Wortley", "Feel safe")]
    assert cards[2] == RedCard(
        area_code="PN-WOR", locality="Wortley", indicator="Feel safe", theme="Safety", period="2025/26",
        value="42.6%", expected="52.7%", target="52.7% by 31 Mar 2024",
        why="Misses the expected 52.7 by 10.1, beyond the tolerance of 3.0.", trend="No significant change",
        commentary="Lighting upgrades are under way. (Officer)")
    assert cards[1].commentary == ""  # no note is an empty string, never "nan"


def test_no_red_target_gives_no_card():
    assert red_cards(pd.DataFrame([_row("Armley", "Burglary", "green")], columns=PROGRAMME_COLUMNS)) == []
