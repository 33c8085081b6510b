"""Statistical process control for monthly series: the XmR (individuals) chart.

Limits: the process mean plus or minus 2.66 times the mean moving range (2.66 = 3 / 1.128, so the
limits sit about three standard deviations from the mean). With ``floor_at_zero=True`` the lower
limit is raised to 0 for measures that cannot go negative (counts, rates); the rules below still use
the unfloored limits' two-thirds lines. Special-cause rules, as in NHS England's "Making Data
Count":

* Outside limits: a point above the upper or below the lower process limit;
* Run of 7 on one side of the mean: 7 or more consecutive points all above (or all below) the
  mean; a point on the mean breaks the run;
* Trend of 7 rising or falling: 7 or more consecutive points each higher (or lower) than the
  one before; an equal pair breaks the trend;
* Two of three beyond two thirds of the limits: in any 3 consecutive points, 2 or more lie beyond
  the line two thirds of the way from the mean to a limit, on the same side.

Every point in a run, trend or qualifying pattern is flagged. The overall ``variation`` reads the
latest point, as Making Data Count does: common cause, or special cause improving / concerning by
polarity ("higher" / "lower" when the indicator makes no judgement; "mixed" when the latest point
carries signals on both sides).

Example:
    >>> chart = xmr(values=[10, 12, 11, 13, 12, 11, 12, 10, 11, 12, 30])
    >>> chart.points[-1].rules, chart.variation.label
    (('Outside limits',), 'Special cause variation: higher')
"""

from collections.abc import Sequence
from dataclasses import dataclass

from metrics.enums import Assurance, Polarity, Side, SpcRule, Variation, coerce_enum
from metrics.errors import MetricsInputError
from metrics.formatting import is_missing

LIMIT_FACTOR = 2.66
MIN_XMR_POINTS = 2
RUN_LENGTH = 7
TREND_LENGTH = 7
ZONE_FRACTION = 2 / 3
ZONE_WINDOW = 3
ZONE_HITS = 2


@dataclass(frozen=True)
class SpcSignal:
    """One special-cause rule that a point breaks, and the side it points to."""

    rule: SpcRule
    side: Side


@dataclass(frozen=True)
class SpcPoint:
    """A value on the chart with the special-cause signals it carries."""

    value: float
    signals: tuple[SpcSignal, ...] = ()

    @property
    def special_cause(self) -> bool:
        return bool(self.signals)

    @property
    def rules(self) -> tuple[str, ...]:
        """Names of the rules this point breaks, in rule order, without repeats."""
        broken = {signal.rule for signal in self.signals}
        return tuple(rule.label for rule in SpcRule if rule in broken)


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart: centre line, limits, flagged points and the overall reading."""

    mean: float
    mean_moving_range: float
    upper_limit: float
    lower_limit: float
    points: tuple[SpcPoint, ...]
    variation: Variation

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(point.value for point in self.points)


def _check_values(values: Sequence[float]) -> list[float]:
    if len(values) < MIN_XMR_POINTS:
        raise MetricsInputError(
            f"An XmR chart needs at least {MIN_XMR_POINTS} values (got {len(values)})"
        )
    if any(is_missing(value) for value in values):
        raise MetricsInputError("An XmR chart cannot have missing values; drop or fill them first")
    return [float(value) for value in values]


def _runs(flags: list[bool], minimum: int) -> set[int]:
    """Indexes inside stretches of at least ``minimum`` consecutive true flags."""
    hits: set[int] = set()
    start = 0
    for index in range(len(flags) + 1):
        if index == len(flags) or not flags[index]:
            if index - start >= minimum:
                hits.update(range(start, index))
            start = index + 1
    return hits


def _trend_hits(values: list[float], rising: bool) -> set[int]:
    steps = [(later > earlier) if rising else (later < earlier)
             for earlier, later in zip(values, values[1:])]
    # TREND_LENGTH - 1 consecutive steps span TREND_LENGTH points (each step and the one before).
    step_hits = _runs(steps, TREND_LENGTH - 1)
    return {index for step in step_hits for index in (step, step + 1)}


def _zone_hits(beyond: list[bool]) -> set[int]:
    hits: set[int] = set()
    for start in range(len(beyond) - ZONE_WINDOW + 1):
        window = range(start, start + ZONE_WINDOW)
        if sum(beyond[index] for index in window) >= ZONE_HITS:
            hits.update(index for index in window if beyond[index])
    return hits


def _signals(values: list[float], mean: float, spread: float,
             lower: float) -> list[list[SpcSignal]]:
    upper = mean + spread
    zone_high, zone_low = mean + ZONE_FRACTION * spread, mean - ZONE_FRACTION * spread
    found: dict[tuple[SpcRule, Side], set[int]] = {
        (SpcRule.OUTSIDE_LIMITS, Side.HIGH): {i for i, v in enumerate(values) if v > upper},
        (SpcRule.OUTSIDE_LIMITS, Side.LOW): {i for i, v in enumerate(values) if v < lower},
        (SpcRule.RUN, Side.HIGH): _runs([v > mean for v in values], RUN_LENGTH),
        (SpcRule.RUN, Side.LOW): _runs([v < mean for v in values], RUN_LENGTH),
        (SpcRule.TREND, Side.HIGH): _trend_hits(values, rising=True),
        (SpcRule.TREND, Side.LOW): _trend_hits(values, rising=False),
        (SpcRule.TWO_OF_THREE, Side.HIGH): _zone_hits([v > zone_high for v in values]),
        (SpcRule.TWO_OF_THREE, Side.LOW): _zone_hits([v < zone_low for v in values]),
    }
    per_point: list[list[SpcSignal]] = [[] for _ in values]
    for (rule, side), indexes in found.items():
        for index in sorted(indexes):
            per_point[index].append(SpcSignal(rule, side))
    return per_point


def _variation(point: SpcPoint, polarity: Polarity) -> Variation:
    sides = {signal.side for signal in point.signals}
    if not sides:
        return Variation.COMMON_CAUSE
    if len(sides) > 1:
        return Variation.MIXED
    high = sides == {Side.HIGH}
    if polarity is Polarity.NO_JUDGEMENT:
        return Variation.HIGHER if high else Variation.LOWER
    improving = high == (polarity is Polarity.HIGHER_IS_BETTER)
    return Variation.IMPROVING if improving else Variation.CONCERNING


def xmr(
    *,
    values: Sequence[float],
    polarity: Polarity | str = Polarity.NO_JUDGEMENT,
    floor_at_zero: bool = False,
) -> SpcResult:
    """XmR chart of ``values`` (oldest first) with special-cause flags and the overall variation.

    Example: mean 11.0, moving ranges 2, 0, 2, mean moving range 1.33, limits 11.0 +/- 3.55.
        >>> chart = xmr(values=[10, 12, 12, 10])
        >>> [round(x, 2) for x in (chart.mean_moving_range, chart.upper_limit, chart.lower_limit)]
        [1.33, 14.55, 7.45]
    """
    polarity = coerce_enum(Polarity, polarity, field="polarity")
    numbers = _check_values(values)
    mean = sum(numbers) / len(numbers)
    moving_ranges = [abs(later - earlier) for earlier, later in zip(numbers, numbers[1:])]
    mean_moving_range = sum(moving_ranges) / len(moving_ranges)
    spread = LIMIT_FACTOR * mean_moving_range
    lower = max(0.0, mean - spread) if floor_at_zero else mean - spread
    signals = _signals(numbers, mean, spread, lower)
    points = tuple(SpcPoint(v, tuple(s)) for v, s in zip(numbers, signals))
    return SpcResult(mean, mean_moving_range, mean + spread, lower, points,
                     _variation(points[-1], polarity))


def target_assurance(*, spc: SpcResult, target: float, polarity: Polarity | str) -> str:
    """Can the process, as it runs now, be relied on to meet ``target``?

    A target outside the process limits is met every time (consistently passing) or never
    (consistently failing); a target inside them, limits included, is hit or missed by chance.

    Example: limits 7.45 to 14.55, higher is better.
        >>> chart = xmr(values=[10, 12, 12, 10])
        >>> target_assurance(spc=chart, target=6.0, polarity="higher_is_better")
        'Consistently passing'
        >>> target_assurance(spc=chart, target=14.0, polarity="higher_is_better")
        'Inconsistent (target within process limits)'
    """
    polarity = coerce_enum(Polarity, polarity, field="polarity")
    if is_missing(target):
        raise MetricsInputError("target must be a number for an assurance reading")
    if polarity is Polarity.NO_JUDGEMENT:
        return Assurance.NOT_ASSESSED.label
    if spc.lower_limit <= target <= spc.upper_limit:
        return Assurance.INCONSISTENT.label
    process_above_target = target < spc.lower_limit
    passing = process_above_target == (polarity is Polarity.HIGHER_IS_BETTER)
    return (Assurance.CONSISTENTLY_PASSING if passing else Assurance.CONSISTENTLY_FAILING).label
