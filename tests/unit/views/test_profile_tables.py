"""The profile's scorecard keeps the columns a reader scans, in short words, and keeps the rest."""

from __future__ import annotations

import pandas as pd
import pytest

from views.profile_tables import (
    SCORECARD_COLUMNS,
    SCORECARD_HEADERS,
    expected_and_target,
    indicator_details,
    scorecard_table,
    short_comparison,
    short_direction,
)
from views.scorecards import SCORECARD_COLUMNS as FRAME_COLUMNS

ROW = {
    "indicator_code": "EMP_JOBS", "indicator": "Residents into employment", "theme": "Employment and skills",
    "unit": "rate_per_1000", "period": "Q2 2019/20", "value": "195.9 per 1,000", "expected": "180.0 per 1,000",
    "target": "150.0 per 1,000 by 31 Mar 2027", "rag": "red", "rag_label": "✗ Red",
    "rag_reason": "Misses the expected 180.0 by 15.9, beyond the tolerance of 9.0", "direction":
    "Increasing and getting worse", "vs_ward": "Worse", "vs_city": "Not compared", "ward_value": "150.2 per 1,000",
    "city_value": "—", "sparkline": [1.0, 2.0, 3.0], "suppressed": False, "has_target": True, "narrative": "",
    "completeness": "1 LSOA missing",
}


def test_headers_fit_a_laptop_and_come_in_priority_order():
    assert SCORECARD_HEADERS == ["RAG", "Indicator", "Value", "Expected → target", "vs ward", "vs Leeds",
                                 "Direction", "Recent trend"]
    assert sum(column.width for column in SCORECARD_COLUMNS) <= 900
    assert all(column.source in FRAME_COLUMNS for column in SCORECARD_COLUMNS)


def test_the_table_shows_the_value_with_its_unit_in_full_and_verdicts_in_short_words():
    table = scorecard_table(pd.DataFrame([ROW]))
    assert list(table.columns) == ["rag", *SCORECARD_HEADERS]
    row = table.iloc[0]
    assert row["Value"] == "195.9 per 1,000"
    assert row["Expected → target"] == "180.0 → 150.0 per 1,000"
    assert (row["vs ward"], row["vs Leeds"], row["Direction"]) == ("Worse", "—", "↑ Worsening")
    assert row["Recent trend"] == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(("label", "short"), [
    ("Increasing and getting better", "↑ Improving"), ("Decreasing and getting worse", "↓ Worsening"),
    ("No significant change", "→ No change"), ("Common cause variation", "→ No change"),
    ("Special cause variation: concerning", "Concerning"), ("Cannot be calculated (fewer than 12 months)", "Not known"),
    ("Not shown (small numbers)", "Hidden"), ("Something new", "Something new"),
])
def test_direction_in_a_word_or_two(label, short):
    assert short_direction(label) == short


def test_only_not_compared_is_shortened():
    assert [short_comparison(w) for w in ("Better", "Similar", "Worse", "Not compared")] == [
        "Better", "Similar", "Worse", "—"]


@pytest.mark.parametrize(("expected", "target", "shown"), [
    ("18.8", "27 by 31 Mar 2027", "18.8 → 27"), ("48.5%", "52.7% by 31 Mar 2024", "48.5% → 52.7%"),
    ("—", "6.0% by 31 Mar 2027", "Target 6.0%"), ("—", "No target", "No target"),
])
def test_expected_and_target(expected, target, shown):
    assert expected_and_target(expected, target) == shown


def test_the_details_hold_everything_the_table_leaves_out():
    indicator = {"definition": "Residents who started a job.", "source": "Programme returns",
                 "polarity": "higher_is_better"}
    details = dict(indicator_details(pd.Series(ROW), indicator, interval="170.1 to 221.3 per 1,000"))
    assert details["RAG"] == "✗ Red: Misses the expected 180.0 by 15.9, beyond the tolerance of 9.0"
    assert details["Latest period"] == "Q2 2019/20"
    assert details["95% confidence interval"] == "170.1 to 221.3 per 1,000"
    assert details["Target"] == "150.0 per 1,000 by 31 Mar 2027"
    assert details["Direction of travel"] == "Increasing and getting worse"
    assert details["Compared with the ward"] == "Worse (ward: 150.2 per 1,000)"
    assert details["Compared with Leeds"] == "Not compared"
    assert details["Left out of the latest value"] == "1 LSOA missing"
    assert details["Definition"] == "Residents who started a job. Higher is better."
    assert details["Source"] == "Programme returns"
    assert "95% confidence interval" not in dict(indicator_details(pd.Series(ROW), indicator))
