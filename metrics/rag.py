"""RAG status of an indicator value against the linear trajectory from its baseline to its target.

The trajectory runs from ``Target.baseline_date`` (the START date of the baseline period) to
``Target.target_date``. The expected value at a date is the baseline value on or before the
baseline date, the target value on or after the target date, and linear in days in between.
:func:`assess_against_target` reads the trajectory at the END date of the period being judged.

Rules (see :func:`rag_for`), with "shortfall" the amount by which the value misses the expected
value in the direction the polarity says is worse:

* green: no shortfall (exactly on the expected value is green);
* amber: a shortfall no bigger than the tolerance (exactly at the tolerance is amber);
* red: a shortfall bigger than the tolerance;
* not assessed, with a reason: no better direction, no target, suppressed value, no data, or
  stale data;
* cannot tell (interval mode only): the confidence interval straddles the expected value.

An absolute tolerance is in indicator units; a relative tolerance is a percentage of the expected
value. Differences within ``FLOAT_TOLERANCE`` count as equal, so 0.1 + 0.2 sits exactly on 0.3.

Example:
    >>> rag_for(value=31.9, expected=34.0, polarity="higher_is_better",
    ...         tolerance=5.0, tolerance_type="absolute").reason
    'Misses the expected 34.0 by 2.1, within the tolerance of 5.0'
"""

import math
from dataclasses import dataclass
from datetime import date

from metrics.enums import Polarity, Rag, ToleranceType, coerce_enum
from metrics.errors import MetricsInputError
from metrics.formatting import format_number, is_missing
from metrics.periods import period_label

FLOAT_TOLERANCE = 1e-9
PERCENT = 100.0
DAYS_PER_MONTH = 365.25 / 12
MONTHS_SLACK_DAYS = 3
MIN_DAYS_TO_SPEAK_IN_MONTHS = 60

REASON_NO_JUDGEMENT = "Not assessed: this indicator has no better direction"
REASON_NO_TARGET = "No target set"
REASON_NO_DATA = "No data for this period"
REASON_SUPPRESSED = "Value suppressed (small numbers)"
REASON_NO_INTERVAL = "No confidence interval to judge against"
REASON_BEFORE_BASELINE = "The period ends before the target's baseline period starts"


@dataclass(frozen=True)
class Target:
    """A target on a locality's action plan.

    ``baseline_date`` is the START date of the baseline period: the trajectory's origin.
    ``tolerance`` is the amber band: in indicator units (absolute) or in percent of the expected
    value (relative).
    """

    baseline_date: date
    baseline_value: float
    target_date: date
    target_value: float
    tolerance: float
    tolerance_type: ToleranceType

    def __post_init__(self) -> None:
        if self.target_date <= self.baseline_date:
            raise MetricsInputError(
                f"target_date ({self.target_date}) must be after "
                f"baseline_date ({self.baseline_date})"
            )
        _check_tolerance(self.tolerance)
        object.__setattr__(
            self,
            "tolerance_type",
            coerce_enum(ToleranceType, self.tolerance_type, field="tolerance_type"),
        )


@dataclass(frozen=True)
class RagResult:
    """A RAG status, its reason in plain English, and the expected value it was judged against."""

    rag: Rag
    reason: str
    expected: float | None = None


def _check_tolerance(tolerance: float) -> None:
    if is_missing(tolerance) or tolerance < 0:
        raise MetricsInputError(f"tolerance must be zero or more (got {tolerance!r})")


def expected_value_at(*, target: Target, on: date) -> float:
    """Expected value on the linear trajectory from baseline to target, on the date ``on``.

    Example: baseline 100 on 1 Apr 2018, target 50 on 1 Apr 2020 (731 days). A year in (365 days)
    the expected value is 100 - 50 x 365/731 = 75.03; after the target date it is the target.
        >>> target = Target(baseline_date=date(2018, 4, 1), baseline_value=100.0,
        ...                 target_date=date(2020, 4, 1), target_value=50.0,
        ...                 tolerance=5.0, tolerance_type=ToleranceType.ABSOLUTE)
        >>> round(expected_value_at(target=target, on=date(2019, 4, 1)), 2)
        75.03
        >>> expected_value_at(target=target, on=date(2021, 1, 1))
        50.0
    """
    if on <= target.baseline_date:
        return float(target.baseline_value)
    if on >= target.target_date:
        return float(target.target_value)
    elapsed = (on - target.baseline_date).days / (target.target_date - target.baseline_date).days
    return target.baseline_value + elapsed * (target.target_value - target.baseline_value)


def _tolerance_in_units(*, tolerance: float, tolerance_type: ToleranceType,
                        expected: float) -> float:
    if tolerance_type is ToleranceType.RELATIVE:
        return tolerance / PERCENT * abs(expected)
    return tolerance


def _shortfall(*, value: float, expected: float, polarity: Polarity) -> float:
    """How far ``value`` misses ``expected`` in the worse direction (negative when it beats it)."""
    if polarity is Polarity.HIGHER_IS_BETTER:
        return expected - value
    return value - expected


def _describe_tolerance(*, tolerance: float, tolerance_type: ToleranceType, in_units: float) -> str:
    if tolerance_type is ToleranceType.RELATIVE:
        return f"{format_number(in_units)} ({tolerance:g}% of expected)"
    return format_number(in_units)


def _point_rag(*, value: float, expected: float, polarity: Polarity, tolerance: float,
               tolerance_type: ToleranceType) -> RagResult:
    shortfall = _shortfall(value=value, expected=expected, polarity=polarity)
    allowed = _tolerance_in_units(
        tolerance=tolerance, tolerance_type=tolerance_type, expected=expected
    )
    shown = _describe_tolerance(tolerance=tolerance, tolerance_type=tolerance_type,
                                in_units=allowed)
    expected_text = format_number(expected)
    if math.isclose(shortfall, 0.0, abs_tol=FLOAT_TOLERANCE):
        return RagResult(Rag.GREEN, f"Meets the expected {expected_text}", expected)
    if shortfall < 0:
        gap = format_number(-shortfall)
        return RagResult(Rag.GREEN, f"Beats the expected {expected_text} by {gap}", expected)
    gap = format_number(shortfall)
    if shortfall <= allowed or math.isclose(shortfall, allowed, abs_tol=FLOAT_TOLERANCE):
        reason = f"Misses the expected {expected_text} by {gap}, within the tolerance of {shown}"
        return RagResult(Rag.AMBER, reason, expected)
    reason = f"Misses the expected {expected_text} by {gap}, beyond the tolerance of {shown}"
    return RagResult(Rag.RED, reason, expected)


def _interval_rag(*, value: float, expected: float, polarity: Polarity,
                  interval: tuple[float, float], tolerance: float,
                  tolerance_type: ToleranceType) -> RagResult:
    lower, upper = interval
    if is_missing(lower) or is_missing(upper):
        return RagResult(Rag.NOT_ASSESSED, REASON_NO_INTERVAL, expected)
    if upper < lower:
        raise MetricsInputError(f"interval upper ({upper!r}) must not be below lower ({lower!r})")
    worst, best = (lower, upper) if polarity is Polarity.HIGHER_IS_BETTER else (upper, lower)
    if _shortfall(value=worst, expected=expected, polarity=polarity) <= FLOAT_TOLERANCE:
        return RagResult(
            Rag.GREEN, f"The whole interval meets the expected {format_number(expected)}", expected
        )
    if _shortfall(value=best, expected=expected, polarity=polarity) > FLOAT_TOLERANCE:
        # The whole interval misses: grade amber or red by the point value against the tolerance.
        return _point_rag(value=value, expected=expected, polarity=polarity, tolerance=tolerance,
                          tolerance_type=tolerance_type)
    reason = (
        f"The interval ({format_number(lower)} to {format_number(upper)}) straddles "
        f"the expected {format_number(expected)}"
    )
    return RagResult(Rag.CANNOT_TELL, reason, expected)


def _not_assessed_reason(*, value: float | None, expected: float | None, polarity: Polarity,
                         suppressed: bool, stale_reason: str | None) -> str | None:
    if polarity is Polarity.NO_JUDGEMENT:
        return REASON_NO_JUDGEMENT
    if is_missing(expected):
        return REASON_NO_TARGET
    if suppressed:
        return REASON_SUPPRESSED
    if is_missing(value):
        return REASON_NO_DATA
    return stale_reason


def rag_for(
    *,
    value: float | None,
    expected: float | None,
    polarity: Polarity | str,
    tolerance: float,
    tolerance_type: ToleranceType | str,
    interval: tuple[float, float] | None = None,
    use_interval: bool = False,
    suppressed: bool = False,
    stale_reason: str | None = None,
) -> RagResult:
    """RAG for ``value`` against ``expected``, honouring polarity and the amber tolerance.

    With ``use_interval`` the confidence interval is judged instead of the point: green only when
    the whole interval meets or beats the expected value (a bound touching it counts), amber or
    red by the point value when the whole interval misses it, and cannot tell otherwise (the
    interval straddles or touches the expected value from the wrong side).

    Example: lower is better, expected 20, relative tolerance 10% (2.0); 22.0 is amber, 22.5 red.
        >>> rag_for(value=22.0, expected=20.0, polarity="lower_is_better",
        ...         tolerance=10, tolerance_type="relative").rag
        <Rag.AMBER: 'amber'>
        >>> rag_for(value=22.5, expected=20.0, polarity="lower_is_better",
        ...         tolerance=10, tolerance_type="relative").rag
        <Rag.RED: 'red'>
    """
    polarity = coerce_enum(Polarity, polarity, field="polarity")
    tolerance_type = coerce_enum(ToleranceType, tolerance_type, field="tolerance_type")
    _check_tolerance(tolerance)
    expected = None if is_missing(expected) else float(expected)
    reason = _not_assessed_reason(value=value, expected=expected, polarity=polarity,
                                  suppressed=suppressed, stale_reason=stale_reason)
    if reason is not None:
        return RagResult(Rag.NOT_ASSESSED, reason, expected)
    if use_interval:
        if interval is None:
            return RagResult(Rag.NOT_ASSESSED, REASON_NO_INTERVAL, expected)
        return _interval_rag(value=value, expected=expected, polarity=polarity, interval=interval,
                             tolerance=tolerance, tolerance_type=tolerance_type)
    return _point_rag(value=float(value), expected=expected, polarity=polarity,
                      tolerance=tolerance, tolerance_type=tolerance_type)


def describe_staleness_limit(days: int) -> str:
    """The staleness limit as an adjective: "18-month" when close to whole months, else "45-day".

    Example:
        >>> describe_staleness_limit(548), describe_staleness_limit(45)
        ('18-month', '45-day')
    """
    months = round(days / DAYS_PER_MONTH)
    close_to_months = abs(months * DAYS_PER_MONTH - days) <= MONTHS_SLACK_DAYS
    if days >= MIN_DAYS_TO_SPEAK_IN_MONTHS and close_to_months:
        return f"{months}-month"
    return f"{days}-day"


def staleness_reason(*, period_start: date, period_end: date, as_of: date,
                     staleness_days: int | None) -> str | None:
    """The reason the data is stale, or ``None`` when it is fresh or there is no limit.

    Stale means more than ``staleness_days`` days between the period's end and ``as_of``.

    Example:
        >>> staleness_reason(period_start=date(2023, 3, 1), period_end=date(2023, 3, 31),
        ...                  as_of=date(2024, 11, 1), staleness_days=548)
        'Latest data (Mar 2023) is older than the 18-month staleness limit'
    """
    if staleness_days is None:
        return None
    if staleness_days < 0:
        raise MetricsInputError(f"staleness_days must be zero or more (got {staleness_days!r})")
    if (as_of - period_end).days <= staleness_days:
        return None
    label = period_label(start=period_start, end=period_end)
    limit = describe_staleness_limit(staleness_days)
    return f"Latest data ({label}) is older than the {limit} staleness limit"


def assess_against_target(
    *,
    target: Target | None,
    value: float | None,
    period_start: date,
    period_end: date,
    polarity: Polarity | str,
    as_of: date,
    staleness_days: int | None,
    interval: tuple[float, float] | None = None,
    use_interval: bool = False,
    suppressed: bool = False,
) -> RagResult:
    """RAG for an observation of the period ``period_start``..``period_end`` against ``target``.

    The expected value is read at ``period_end``; the data is stale when more than
    ``staleness_days`` days separate ``period_end`` from ``as_of``. Never guesses: no target, no
    value, a suppressed value, stale data or a period before the baseline give "not assessed" with
    the reason.

    Example:
        >>> target = Target(baseline_date=date(2017, 4, 1), baseline_value=40.0,
        ...                 target_date=date(2020, 3, 31), target_value=20.0,
        ...                 tolerance=5.0, tolerance_type="absolute")
        >>> assess_against_target(target=target, value=19.0, period_start=date(2019, 4, 1),
        ...     period_end=date(2020, 3, 31), polarity="lower_is_better",
        ...     as_of=date(2020, 6, 1), staleness_days=548).reason
        'Beats the expected 20.0 by 1.0'
    """
    if target is None:
        return RagResult(Rag.NOT_ASSESSED, REASON_NO_TARGET, None)
    if period_end < target.baseline_date:  # the plan did not exist yet: nothing to be on track against
        return RagResult(Rag.NOT_ASSESSED, REASON_BEFORE_BASELINE, None)
    expected = expected_value_at(target=target, on=period_end)
    stale = staleness_reason(period_start=period_start, period_end=period_end, as_of=as_of,
                             staleness_days=staleness_days)
    return rag_for(value=value, expected=expected, polarity=polarity, tolerance=target.tolerance,
                   tolerance_type=target.tolerance_type, interval=interval,
                   use_interval=use_interval, suppressed=suppressed, stale_reason=stale)
