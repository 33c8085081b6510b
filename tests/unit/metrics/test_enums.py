"""Enum codes, labels and symbols: the words and marks people see."""

import pytest

from metrics.enums import (
    ActionRag,
    Assurance,
    Frequency,
    Polarity,
    Rag,
    SpcRule,
    ToleranceType,
    TrendDirection,
    Variation,
    coerce_enum,
)
from metrics.errors import MetricsInputError


@pytest.mark.parametrize(
    ("rag", "label", "symbol", "phrase"),
    [
        (Rag.GREEN, "Green", "✓", "on track"),
        (Rag.AMBER, "Amber", "!", "at risk"),
        (Rag.RED, "Red", "✗", "off track"),
        (Rag.NOT_ASSESSED, "Not assessed", "–", "not assessed"),
        (Rag.CANNOT_TELL, "Cannot tell", "?", "too close to call"),
    ],
)
def test_rag_words_and_symbols(rag, label, symbol, phrase):
    assert (rag.label, rag.symbol, rag.phrase) == (label, symbol, phrase)


def test_every_rag_has_its_own_symbol_so_colour_is_never_alone():
    symbols = [rag.symbol for rag in Rag]
    assert len(set(symbols)) == len(symbols)


def test_stored_codes():
    assert [p.value for p in Polarity] == ["higher_is_better", "lower_is_better", "no_judgement"]
    assert [t.value for t in ToleranceType] == ["absolute", "relative"]
    assert [f.value for f in Frequency] == ["monthly", "quarterly", "annual", "calendar_year", "pooled_3_years"]
    assert Frequency.POOLED_3_YEARS.noun == "three-year period"
    assert Frequency.CALENDAR_YEAR.label == "Calendar year (January to December)"
    assert Rag("not_assessed") is Rag.NOT_ASSESSED


@pytest.mark.parametrize(
    ("member", "label"),
    [
        (ActionRag.COMPLETE, "Complete"), (ActionRag.ON_TRACK, "On track"),
        (ActionRag.AT_RISK, "At risk"), (ActionRag.OFF_TRACK, "Off track"),
        (ActionRag.NOT_STARTED, "Not started"),
        (TrendDirection.INCREASING_BETTER, "Increasing and getting better"),
        (TrendDirection.DECREASING_WORSE, "Decreasing and getting worse"),
        (TrendDirection.NO_SIGNIFICANT_CHANGE, "No significant change"),
        (TrendDirection.CANNOT_BE_CALCULATED, "Cannot be calculated"),
        (SpcRule.OUTSIDE_LIMITS, "Outside limits"),
        (SpcRule.RUN, "Run of 7 on one side of the mean"),
        (SpcRule.TREND, "Trend of 7 rising or falling"),
        (SpcRule.TWO_OF_THREE, "Two of three beyond two thirds of the limits"),
        (Variation.COMMON_CAUSE, "Common cause variation"),
        (Variation.IMPROVING, "Special cause variation: improving"),
        (Assurance.INCONSISTENT, "Inconsistent (target within process limits)"),
    ],
)
def test_labels(member, label):
    assert member.label == label


def test_every_labelled_enum_member_has_a_label():
    for enum_type in (Rag, ActionRag, TrendDirection, SpcRule, Variation, Assurance):
        assert all(member.label for member in enum_type)


def test_coerce_enum_accepts_members_and_codes_and_names_bad_ones():
    assert coerce_enum(Polarity, Polarity.NO_JUDGEMENT, field="polarity") is Polarity.NO_JUDGEMENT
    assert coerce_enum(Frequency, "annual", field="frequency") is Frequency.ANNUAL
    with pytest.raises(MetricsInputError,
                       match=r"frequency must be one of monthly, quarterly, annual, calendar_year, pooled_3_years \(got 'weekly'\)"):
        coerce_enum(Frequency, "weekly", field="frequency")
