"""Did it really change? The mean of the periods before an event against the periods after it.

Method. Take the ``periods`` values dated before the event and the ``periods`` values dated on or
after it (dates are period start dates, so the period in which the event falls counts as before
unless it starts on the event date). Estimate the common-cause spread the way an XmR chart does,
sigma = mean moving range / 1.128, pooling the moving ranges within the before period and within
the after period (the jump across the event is left out, so a real shift cannot widen its own
limits). The means of n_b and n_a points then differ by chance by at most
3 sigma sqrt(1/n_b + 1/n_a): the three-sigma rule SPC applies to single points, carried over to a
difference of means. The change is significant only when the after mean lies outside
mean_before +/- that margin.

Why not the before period's individual-point limits (mean +/- 2.66 mR)? They bound single points,
so a mean of six points would almost never cross them and real changes would be missed. Why not a
Poisson test on counts? Neighbourhood counts are usually over-dispersed (seasonality, repeat
incidents), so a Poisson test calls too many changes real; the moving ranges measure the spread
from the data itself. Honest limits: sigma from ten moving ranges is itself uncertain, so on pure
noise (six points each side) about 2 in 100 comparisons come out significant, not the 3 in 1,000 of
a textbook three-sigma rule; a 70% fall in monthly counts of about 14 is found about 98 times in
100. Read a verdict near the limit as borderline.

Example:
    >>> from datetime import date
    >>> months = [date(2018, m, 1) for m in range(1, 13)]
    >>> result = before_after(values=[14, 15, 13, 14, 16, 13, 4, 5, 4, 3, 5, 4], dates=months,
    ...                       event_date=date(2018, 7, 1), polarity="lower_is_better")
    >>> result.significant, round(result.percent_change)
    (True, -71)
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from metrics.enums import Frequency, Polarity, coerce_enum
from metrics.errors import MetricsInputError
from metrics.formatting import format_number, is_missing
from metrics.periods import format_date

DEFAULT_PERIODS = 6
MIN_PERIODS = 2
D2_CONSTANT = 1.128
SIGMA_MULTIPLIER = 3.0
PERCENT = 100.0
METHOD = (
    "Difference of means against three sigma, with sigma estimated as on an XmR chart "
    "(mean moving range / 1.128) from the moving ranges within the periods before and after"
)


@dataclass(frozen=True)
class BeforeAfterResult:
    """Means either side of an event, whether the change is beyond common cause, and the verdict."""

    mean_before: float | None
    mean_after: float | None
    percent_change: float | None
    significant: bool
    method: str
    verdict: str
    limits: tuple[float, float] | None = None
    improved: bool | None = None


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _split(values: Sequence[float], dates: Sequence[date], event_date: date,
           periods: int) -> tuple[list[float | None], list[float | None]]:
    if len(values) != len(dates):
        raise MetricsInputError(
            f"values ({len(values)}) and dates ({len(dates)}) must be the same length"
        )
    if len(set(dates)) != len(dates):
        raise MetricsInputError("dates must not repeat: give one value per period")
    ordered = sorted(zip(dates, values))
    before = [value for when, value in ordered if when < event_date][-periods:]
    after = [value for when, value in ordered if when >= event_date][:periods]
    return before, after


def _moving_ranges(values: list[float]) -> list[float]:
    return [abs(later - earlier) for earlier, later in zip(values, values[1:])]


def _limits(before: list[float], after: list[float]) -> tuple[float, float]:
    mean = sum(before) / len(before)
    ranges = _moving_ranges(before) + _moving_ranges(after)
    sigma = (sum(ranges) / len(ranges)) / D2_CONSTANT
    margin = SIGMA_MULTIPLIER * sigma * math.sqrt(1 / len(before) + 1 / len(after))
    return mean - margin, mean + margin


def _headline(mean_before: float, mean_after: float, percent: float | None, noun: str,
              periods: int, event: str) -> str:
    level = f"from {format_number(mean_before)} to {format_number(mean_after)} a {noun}"
    window = f"over the {_plural(periods, noun)} after {event}"
    if mean_after == mean_before:
        return f"Mean unchanged at {format_number(mean_before)} a {noun} {window}"
    moved = "fell" if mean_after < mean_before else "rose"
    size = "" if percent is None else f" {abs(percent):.0f}%"
    return f"Mean {moved}{size} {level} {window}"


def _judgement(mean_after: float, limits: tuple[float, float], significant: bool,
               change: str, noun: str, periods: int) -> str:
    source = f"set by the {noun}-to-{noun} variation either side"
    if significant:
        side, bound = ("below the lower", limits[0]) if mean_after < limits[0] else (
            "above the upper", limits[1])
        return (f"the {change} is beyond common-cause variation (the after mean is {side} limit "
                f"of {format_number(bound)} {source})")
    return (f"the {change} is not distinguishable from common-cause variation (the after mean is "
            f"within {format_number(limits[0])} to {format_number(limits[1])} {source})")


def before_after(
    *,
    values: Sequence[float | None],
    dates: Sequence[date],
    event_date: date,
    periods: int = DEFAULT_PERIODS,
    polarity: Polarity | str,
    frequency: Frequency | str = Frequency.MONTHLY,
) -> BeforeAfterResult:
    """Compare the ``periods`` values before ``event_date`` with the ``periods`` on or after it.

    Example: pure noise around 10 is not a change.
        >>> from datetime import date
        >>> months = [date(2018, m, 1) for m in range(1, 13)]
        >>> before_after(values=[10, 12, 9, 11, 10, 12, 11, 9, 12, 10, 11, 10], dates=months,
        ...              event_date=date(2018, 7, 1), polarity="lower_is_better").significant
        False
    """
    polarity = coerce_enum(Polarity, polarity, field="polarity")
    noun = coerce_enum(Frequency, frequency, field="frequency").noun
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < MIN_PERIODS:
        raise MetricsInputError(
            f"periods must be a whole number of at least {MIN_PERIODS} (got {periods!r})"
        )
    event = format_date(event_date)
    before, after = _split(values, dates, event_date, periods)
    usable_before = [float(v) for v in before if not is_missing(v)]
    usable_after = [float(v) for v in after if not is_missing(v)]
    if len(usable_before) < periods or len(usable_after) < periods:
        have_before = _plural(len(usable_before), noun)
        verdict = (f"Not enough data to judge: {have_before} with data before and "
                   f"{len(usable_after)} after {event}; needs {periods} each side")
        return BeforeAfterResult(None, None, None, False, METHOD, verdict)
    mean_before = sum(usable_before) / periods
    mean_after = sum(usable_after) / periods
    percent = None if mean_before == 0 else (mean_after - mean_before) / mean_before * PERCENT
    limits = _limits(usable_before, usable_after)
    significant = not limits[0] <= mean_after <= limits[1]
    change = "fall" if mean_after < mean_before else "rise"
    improved = None
    if significant and polarity is not Polarity.NO_JUDGEMENT:
        improved = (mean_after > mean_before) == (polarity is Polarity.HIGHER_IS_BETTER)
    verdict = (f"{_headline(mean_before, mean_after, percent, noun, periods, event)}; "
               f"{_judgement(mean_after, limits, significant, change, noun, periods)}")
    return BeforeAfterResult(mean_before, mean_after, percent, significant, METHOD, verdict,
                             limits, improved)
