"""The closed sets of states the metrics rules work with, and the words shown for each.

Every enum is a ``StrEnum`` whose value is the stable code stored in the database and used in URLs;
``.label`` is the text shown to people. No colours live here: colours belong to ``ui/``, and RAG is
never shown by colour alone, hence :attr:`Rag.symbol`.

Example:
    >>> Rag.AMBER.label, Rag.AMBER.symbol
    ('Amber', '!')
    >>> coerce_enum(Polarity, "lower_is_better", field="polarity") is Polarity.LOWER_IS_BETTER
    True
"""

from enum import StrEnum
from typing import TypeVar

from metrics.errors import MetricsInputError


class Polarity(StrEnum):
    """Which direction counts as better for an indicator."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NO_JUDGEMENT = "no_judgement"


class Rag(StrEnum):
    """Red / amber / green status of a value against its target trajectory."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_ASSESSED = "not_assessed"
    CANNOT_TELL = "cannot_tell"

    @property
    def label(self) -> str:
        return _RAG_LABELS[self]

    @property
    def symbol(self) -> str:
        """A short symbol shown next to the colour, so the status never relies on colour."""
        return _RAG_SYMBOLS[self]

    @property
    def phrase(self) -> str:
        """The words used for this status inside a sentence ("on track", "at risk"...)."""
        return _RAG_PHRASES[self]


_RAG_LABELS = {
    Rag.GREEN: "Green",
    Rag.AMBER: "Amber",
    Rag.RED: "Red",
    Rag.NOT_ASSESSED: "Not assessed",
    Rag.CANNOT_TELL: "Cannot tell",
}
_RAG_SYMBOLS = {
    Rag.GREEN: "✓",
    Rag.AMBER: "!",
    Rag.RED: "✗",
    Rag.NOT_ASSESSED: "–",
    Rag.CANNOT_TELL: "?",
}
_RAG_PHRASES = {
    Rag.GREEN: "on track",
    Rag.AMBER: "at risk",
    Rag.RED: "off track",
    Rag.NOT_ASSESSED: "not assessed",
    Rag.CANNOT_TELL: "too close to call",
}


class Comparison(StrEnum):
    """Result of comparing an area's confidence interval with a benchmark value."""

    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    HIGHER = "higher"
    LOWER = "lower"
    NOT_COMPARED = "not_compared"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class TrendDirection(StrEnum):
    """Direction of travel of a series, worded by polarity."""

    INCREASING_BETTER = "increasing_better"
    INCREASING_WORSE = "increasing_worse"
    DECREASING_BETTER = "decreasing_better"
    DECREASING_WORSE = "decreasing_worse"
    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    CANNOT_BE_CALCULATED = "cannot_be_calculated"

    @property
    def label(self) -> str:
        return _TREND_LABELS[self]


_TREND_LABELS = {
    TrendDirection.INCREASING_BETTER: "Increasing and getting better",
    TrendDirection.INCREASING_WORSE: "Increasing and getting worse",
    TrendDirection.DECREASING_BETTER: "Decreasing and getting better",
    TrendDirection.DECREASING_WORSE: "Decreasing and getting worse",
    TrendDirection.INCREASING: "Increasing",
    TrendDirection.DECREASING: "Decreasing",
    TrendDirection.NO_SIGNIFICANT_CHANGE: "No significant change",
    TrendDirection.CANNOT_BE_CALCULATED: "Cannot be calculated",
}


class SpcRule(StrEnum):
    """Special-cause rules applied to an XmR chart (NHS "Making Data Count" family)."""

    OUTSIDE_LIMITS = "outside_limits"
    RUN = "run"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"

    @property
    def label(self) -> str:
        return _SPC_RULE_LABELS[self]


_SPC_RULE_LABELS = {
    SpcRule.OUTSIDE_LIMITS: "Outside limits",
    SpcRule.RUN: "Run of 7 on one side of the mean",
    SpcRule.TREND: "Trend of 7 rising or falling",
    SpcRule.TWO_OF_THREE: "Two of three beyond two thirds of the limits",
}


class Side(StrEnum):
    """Which side of the mean a special-cause signal points to."""

    HIGH = "high"
    LOW = "low"


class Variation(StrEnum):
    """Overall reading of an XmR chart, from its latest point."""

    COMMON_CAUSE = "common_cause"
    IMPROVING = "improving"
    CONCERNING = "concerning"
    HIGHER = "higher"
    LOWER = "lower"
    MIXED = "mixed"

    @property
    def label(self) -> str:
        return _VARIATION_LABELS[self]


_VARIATION_LABELS = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVING: "Special cause variation: improving",
    Variation.CONCERNING: "Special cause variation: concerning",
    Variation.HIGHER: "Special cause variation: higher",
    Variation.LOWER: "Special cause variation: lower",
    Variation.MIXED: "Special cause variation: mixed signals",
}


class Assurance(StrEnum):
    """Whether a process, as it runs now, can be relied on to hit a target."""

    CONSISTENTLY_PASSING = "consistently_passing"
    CONSISTENTLY_FAILING = "consistently_failing"
    INCONSISTENT = "inconsistent"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return _ASSURANCE_LABELS[self]


_ASSURANCE_LABELS = {
    Assurance.CONSISTENTLY_PASSING: "Consistently passing",
    Assurance.CONSISTENTLY_FAILING: "Consistently failing",
    Assurance.INCONSISTENT: "Inconsistent (target within process limits)",
    Assurance.NOT_ASSESSED: "Not assessed (indicator has no better direction)",
}


class ActionRag(StrEnum):
    """Progress status of an action in a locality's action plan."""

    COMPLETE = "complete"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ToleranceType(StrEnum):
    """How an amber tolerance is expressed: in units, or in percent of the expected value."""

    ABSOLUTE = "absolute"
    RELATIVE = "relative"


class Frequency(StrEnum):
    """How often an indicator is published, and the period each value covers.

    ``annual`` is the UK financial year (April to March); ``calendar_year`` is January to December;
    ``pooled_3_years`` is three years pooled into one value (Fingertips' "2017 - 19"), starting in
    January or April, published every year so that consecutive periods overlap.
    """

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    CALENDAR_YEAR = "calendar_year"
    POOLED_3_YEARS = "pooled_3_years"

    @property
    def noun(self) -> str:
        """The period word used in sentences: "month", "quarter", "year", "three-year period"."""
        return _FREQUENCY_NOUNS[self]

    @property
    def label(self) -> str:
        """How the frequency is named on a page: "Monthly", "Financial year", "Three years pooled"."""
        return _FREQUENCY_LABELS[self]


_FREQUENCY_NOUNS = {
    Frequency.MONTHLY: "month",
    Frequency.QUARTERLY: "quarter",
    Frequency.ANNUAL: "year",
    Frequency.CALENDAR_YEAR: "year",
    Frequency.POOLED_3_YEARS: "three-year period",
}
_FREQUENCY_LABELS = {
    Frequency.MONTHLY: "Monthly",
    Frequency.QUARTERLY: "Quarterly (financial quarters)",
    Frequency.ANNUAL: "Financial year (April to March)",
    Frequency.CALENDAR_YEAR: "Calendar year (January to December)",
    Frequency.POOLED_3_YEARS: "Three years pooled",
}


class Unit(StrEnum):
    """Units an indicator value can be expressed in."""

    COUNT = "count"
    PERCENT = "percent"
    RATE_PER_1000 = "rate_per_1000"
    RATE_PER_10000 = "rate_per_10000"
    RATE_PER_100000 = "rate_per_100000"


class Aggregation(StrEnum):
    """How LSOA values combine into a locality value."""

    SUM = "sum"
    RATIO = "ratio"


class EstimateType(StrEnum):
    """How an indicator's values were made: counted (numerator and denominator), or published estimates
    held as published with their limits."""

    COUNTED = "counted"
    AGE_STANDARDISED_RATE = "age_standardised_rate"
    STANDARDISED_RATIO = "standardised_ratio"
    WEIGHTED_SURVEY_PERCENT = "weighted_survey_percent"


EnumT = TypeVar("EnumT", bound=StrEnum)


def coerce_enum(enum_type: type[EnumT], value: object, *, field: str) -> EnumT:
    """Turn a stored code (or an enum member) into a member of ``enum_type``.

    Raises :class:`MetricsInputError` naming the field and the allowed codes.

    Example:
        >>> coerce_enum(Unit, "percent", field="unit")
        <Unit.PERCENT: 'percent'>
        >>> coerce_enum(Unit, "pct", field="unit")
        Traceback (most recent call last):
        ...
        metrics.errors.MetricsInputError: unit must be one of count, percent, rate_per_1000, \
rate_per_10000, rate_per_100000 (got 'pct')
    """
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise MetricsInputError(f"{field} must be one of {allowed} (got {value!r})") from None
