"""The About page's indicator definitions: six columns of plain words, one row per indicator."""

from __future__ import annotations

import pandas as pd

from views.methods import DEFINITION_COLUMNS, definitions_table


def _indicator(**overrides) -> dict:
    return {"code": "FUEL_POVERTY", "name": "Households in fuel poverty", "theme": "Housing and environment",
            "definition": "Share of households.", "source": "DESNZ", "unit": "percent",
            "polarity": "lower_is_better", "frequency": "calendar_year", "disclosure_control": False,
            "staleness_days": 730} | overrides


def test_one_row_per_indicator_in_order_with_the_six_columns():
    catalogue = pd.DataFrame([_indicator(), _indicator(code="ASB_ALL", name="Anti-social behaviour")])
    table = definitions_table(catalogue, illustrative={"ASB_ALL"})
    assert list(table.columns) == DEFINITION_COLUMNS
    assert table["Indicator"].tolist() == ["Households in fuel poverty (FUEL_POVERTY)",
                                           "Anti-social behaviour (ASB_ALL)"]
    assert table["Data"].tolist() == ["Real published data", "Illustrative"]


def test_how_it_is_read_is_one_sentence_in_words_with_month_names_capitalised():
    table = definitions_table(pd.DataFrame([_indicator()]), illustrative=set())
    assert table.loc[0, "How it is read"] == (
        "Per cent; lower is better; calendar year (January to December); stale after 730 days.")


def test_small_numbers_rule_and_no_judgement_are_said():
    row = _indicator(polarity="no_judgement", disclosure_control=True, unit="count", frequency="monthly")
    sentence = definitions_table(pd.DataFrame([row]), illustrative=set()).loc[0, "How it is read"]
    assert sentence == "Count; no judgement; monthly; small numbers hidden; stale after 730 days."


def test_missing_definition_and_source_show_empty_not_none():
    table = definitions_table(pd.DataFrame([_indicator(definition=None, source=None)]), illustrative=set())
    assert (table.loc[0, "Definition"], table.loc[0, "Source"]) == ("", "")


def test_an_empty_catalogue_gives_an_empty_table_with_the_columns():
    empty = pd.DataFrame(columns=list(_indicator()))
    table = definitions_table(empty, illustrative=set())
    assert table.empty and list(table.columns) == DEFINITION_COLUMNS
